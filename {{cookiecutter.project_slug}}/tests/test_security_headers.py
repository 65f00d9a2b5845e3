"""Every response carries the security headers, and cookies carry the safe flags."""

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
