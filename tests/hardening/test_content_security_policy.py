"""No Content-Security-Policy on stock pages; static files sent to every origin (WhiteNoise's default)."""

import requests

PAGES = ("/", "/no-such-page")


def csp_problems(target) -> list[str]:
    problems = []
    for path in PAGES:
        response = requests.get(target.url + path, timeout=10)
        policy = response.headers.get("Content-Security-Policy", "")
        if "script-src 'self'" not in policy or "style-src 'self'" not in policy:
            problems.append(f"{path}: HTTP {response.status_code} with Content-Security-Policy {policy!r}")
    return problems


def test_every_page_carries_a_content_security_policy(app, stock):
    assert csp_problems(stock), "stock sends no policy"
    assert csp_problems(app) == []


def static_cors_problems(target) -> list[str]:
    response = requests.get(target.url + "/robots.txt", headers={"Origin": "https://elsewhere.example"}, timeout=10)
    allowed = response.headers.get("Access-Control-Allow-Origin")
    return [f"/robots.txt: Access-Control-Allow-Origin {allowed!r}"] if allowed else []


def test_static_files_are_not_shared_with_every_origin(app, stock):
    assert static_cors_problems(stock), "stock (WhiteNoise) answers every origin with *"
    assert static_cors_problems(app) == []
