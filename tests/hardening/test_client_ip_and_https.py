"""Defects 11 and 12: spoofable client IP; no HTTPS redirect or security headers."""

import requests

SECURITY_HEADERS = ("Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def client_ip_problems(target) -> list[str]:
    headers = {"Client-IP": "1.2.3.4", "X-Forwarded-For": "6.6.6.6, 203.0.113.7"}
    seen = requests.get(target.url + "/_probe/ip", headers=headers, timeout=10).json()["ip"]
    return [] if seen == "203.0.113.7" else [f"client IP taken as {seen}"]


def test_client_ip_is_the_last_forwarded_for_entry(app, stock):
    assert client_ip_problems(stock), "stock trusts Client-IP and the first entry"
    assert client_ip_problems(app) == []


def https_problems(target) -> list[str]:
    problems = []
    response = requests.get(
        target.url + "/_probe/ip?a=1&b=two",
        allow_redirects=False,
        timeout=10,
        headers={"X-Forwarded-Proto": "http", "Host": "shop.example.com"},
    )
    if (
        response.status_code != 301
        or response.headers.get("Location") != "https://shop.example.com/_probe/ip?a=1&b=two"
    ):
        problems.append(f"plain http got {response.status_code} {response.headers.get('Location')}")
    for path in ("/_probe/ip", "/health", "/no-such-page", "/_probe/error", "/robots.txt"):
        response = requests.get(target.url + path, headers={"X-Forwarded-Proto": "https"}, timeout=10)
        missing = [header for header in SECURITY_HEADERS if header not in response.headers]
        if missing:
            problems.append(f"{path} ({response.status_code}) lacks {missing}")
            continue
        hsts = response.headers["Strict-Transport-Security"]
        max_age = int(hsts.split("max-age=")[1].split(";")[0])
        if max_age < 31536000 or "includeSubDomains" not in hsts:
            problems.append(f"weak HSTS: {hsts}")
        if response.headers["X-Content-Type-Options"] != "nosniff" or response.headers["X-Frame-Options"] != "DENY":
            problems.append(f"{path}: weak nosniff/frame headers")
    return problems


def test_plain_http_is_redirected_and_every_response_has_security_headers(app, stock):
    assert https_problems(stock), "stock ignores X-Forwarded-Proto and sends no security headers"
    assert https_problems(app) == []


def test_local_plain_http_without_a_proxy_header_is_served(app_debug):
    response = requests.get(app_debug.url + "/_probe/ip", allow_redirects=False, timeout=10)
    assert response.status_code == 200
