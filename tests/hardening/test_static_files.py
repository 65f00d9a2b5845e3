"""Defect 10: internal storage served under /framework/...."""

import requests


def internal_file_problems(target) -> list[str]:
    secret = target.project / "storage" / "framework" / "filesystem" / "secret.txt"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("internal")
    problems = []
    for path in (
        "/framework/filesystem/secret.txt",
        "/static/framework/filesystem/secret.txt",
        "/storage/framework/filesystem/secret.txt",
        "/framework/cache/",
    ):
        response = requests.get(target.url + path, timeout=10)
        if response.status_code != 404 or "internal" in response.text:
            problems.append(f"{path}: HTTP {response.status_code}")
    if requests.get(target.url + "/robots.txt", timeout=10).status_code != 200:
        problems.append("public asset /robots.txt is not served")
    return problems


def test_only_public_asset_folders_are_served(app, stock):
    assert internal_file_problems(stock), "stock serves storage/framework/"
    assert internal_file_problems(app) == []
