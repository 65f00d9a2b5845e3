"""Defects 11 and 12: spoofable client IP; no HTTPS redirect or security headers."""

import pytest
import requests

from tests.support.app_agent import AgentError
from tests.support.dynos import web_dyno

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


def method_problems(target) -> list[str]:
    problems = []
    for method in ("POST", "PUT", "DELETE"):
        response = requests.request(
            method,
            target.url + "/_probe/echo?x=1",
            data={"a": "1"},
            allow_redirects=False,
            timeout=10,
            headers={"X-Forwarded-Proto": "http", "Host": "shop.example.com"},
        )
        if (
            response.status_code != 308
            or response.headers.get("Location") != "https://shop.example.com/_probe/echo?x=1"
        ):
            problems.append(f"plain-http {method} got {response.status_code} {response.headers.get('Location')}")
    return problems


def test_a_plain_http_post_is_redirected_with_308_which_keeps_the_method(app, stock):
    assert method_problems(stock), "stock does not redirect"
    assert method_problems(app) == []


def app_url_problems(url: str) -> list[str]:
    problems = []
    for method, status in (("GET", 301), ("POST", 308)):
        response = requests.request(
            method,
            url + "/_probe/ip?a=1",
            allow_redirects=False,
            timeout=10,
            headers={"X-Forwarded-Proto": "http", "Host": "evil.example"},
        )
        location = response.headers.get("Location")
        if response.status_code != status or location != "https://shop.example.com/_probe/ip?a=1":
            problems.append(f"{method} with Host: evil.example got {response.status_code} to {location}")
    return problems


def test_with_app_url_set_the_redirect_goes_to_its_host_and_hsts_follows_its_settings(app, stock):
    assert app_url_problems(stock.url), "stock does not redirect"
    settings = {
        **app.settings,
        "APP_URL": "https://shop.example.com",
        "HSTS_MAX_AGE": "63072000",
        "HSTS_PRELOAD": "true",
    }
    with web_dyno(app.project, app.bin_dir, settings, "app.app-url") as dyno:
        assert app_url_problems(dyno.url) == []
        hsts = requests.get(dyno.url + "/_probe/ip", timeout=10).headers["Strict-Transport-Security"]
    assert hsts == "max-age=63072000; includeSubDomains; preload"


def test_settings_that_would_redirect_or_preload_wrongly_stop_the_app_at_boot(app):
    for settings, named in (
        ({"HSTS_PRELOAD": "true", "HSTS_INCLUDE_SUBDOMAINS": "false"}, "HSTS_PRELOAD"),
        ({"APP_URL": "shop.example.com"}, "APP_URL"),
    ):
        with pytest.raises(AgentError, match=named):
            app.run("result = 1", **settings)
