"""Every response carries the security headers, pages a Content-Security-Policy, cookies the safe flags."""

import re

import pytest

from tests.servers import running, web_process

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def set_cookie_headers(response) -> list[str]:
    return response.raw.headers.getlist("Set-Cookie")


def cookie_flags(header: str) -> set[str]:
    return {part.strip().split("=", 1)[0].lower() for part in header.split(";")[1:] if part.strip()}


@pytest.mark.parametrize("path", ["/", "/health", "/robots.txt", "/no-such-page"])
def test_every_response_carries_the_security_headers(app, browser, path):
    response = browser.get(f"{app.url}{path}")

    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{path}: {name}"


@pytest.mark.parametrize("path", ["/", "/no-such-page"])
def test_pages_carry_a_content_security_policy_without_inline_code(app, browser, path):
    response = browser.get(f"{app.url}{path}")

    policy = dict(directive.split(" ", 1) for directive in response.headers["Content-Security-Policy"].split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    # The policy allows no inline code, so the page must have none.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", response.text)


@pytest.mark.parametrize("path", ["/robots.txt", "/css/app.css"])
def test_static_files_allow_no_other_origin(app, browser, path):
    response = browser.get(f"{app.url}{path}", headers={"Origin": "https://elsewhere.example"})

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Content-Security-Policy" not in response.headers, "only documents need a policy"


def test_static_files_allow_every_origin_when_asked(app_settings, browser):
    with running(web_process({**app_settings, "STATIC_FILES_ALLOW_ALL_ORIGINS": "true"})) as cdn_friendly:
        response = browser.get(f"{cdn_friendly.url}/css/app.css")

    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_plain_http_from_the_router_is_sent_to_https_on_app_urls_host(app, browser):
    # Whatever Host the request names: the redirect never lets a request choose where it goes.
    response = browser.get(f"{app.url}/health?full=1", headers={"Host": "evil.example", "X-Forwarded-Proto": "http"})

    assert response.status_code == 301
    assert response.headers["Location"] == "https://shop.example.com/health?full=1"
    assert response.headers["Strict-Transport-Security"] == SECURITY_HEADERS["Strict-Transport-Security"]


def test_a_plain_http_post_is_sent_to_https_keeping_its_method(app, browser):
    # 308, not 301: browsers repeat a 308 with the same method and body.
    response = browser.post(f"{app.url}/?next=1", data={"a": "1"}, headers={"X-Forwarded-Proto": "http"})

    assert response.status_code == 308
    assert response.headers["Location"] == "https://shop.example.com/?next=1"


def test_cookies_are_http_only_and_same_site(app, browser):
    cookies = set_cookie_headers(browser.get(f"{app.url}/"))

    assert cookies
    for header in cookies:
        assert {"httponly", "samesite"} <= cookie_flags(header), header
        assert "SameSite=Lax" in header, header


def test_cookies_are_secure_in_production(app_settings, browser):
    # The other tests turn Secure off to speak plain http; an empty value reads as unset.
    with running(web_process({**app_settings, "SESSION_SECURE_COOKIES": ""})) as production:
        cookies = set_cookie_headers(browser.get(f"{production.url}/"))

    assert cookies
    for header in cookies:
        assert "secure" in cookie_flags(header), header
