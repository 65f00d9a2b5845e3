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


def test_in_debug_only_masonites_debug_page_goes_without_the_policy(app_debug):
    """The debug page (APP_DEBUG on, server errors) is inline scripts and styles; every other page keeps the policy."""
    crashed = requests.get(app_debug.url + "/_probe/error", timeout=30)
    missing = requests.get(app_debug.url + "/no-such-page", timeout=30)

    assert crashed.status_code == 500 and "Content-Security-Policy" not in crashed.headers
    assert missing.status_code == 404 and "script-src 'self'" in missing.headers["Content-Security-Policy"]
