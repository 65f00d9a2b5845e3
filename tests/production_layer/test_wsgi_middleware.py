"""The WSGI wrappers in wsgi.py, each on its own around a tiny WSGI app."""

from __future__ import annotations

import io
import json

import pytest
from production_layer.environment import MissingEnvironment
from production_layer.http_errors import PayloadTooLarge
from production_layer.request.BodyLimits import MULTIPART_OVERHEAD, BodyLimits
from production_layer.wsgi_middleware import BodySizeLimit, HealthProbe, HttpsRedirect, SecurityHeaders
from production_layer.wsgi_middleware.HttpsRedirect import canonical_host
from production_layer.wsgi_middleware.SecurityHeaders import strict_transport_security


def call(app, path="/", method="GET", body=b"", headers=None, chunked=False):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "example.test",
        "wsgi.input": io.BytesIO(body),
        **({"HTTP_TRANSFER_ENCODING": "chunked"} if chunked else {"CONTENT_LENGTH": str(len(body))}),
        **(headers or {}),
    }
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers

    content = b"".join(app(environ, start_response))
    return int(seen["status"].split()[0]), dict(seen["headers"]), content


def echo_length(environ, start_response):
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(len(body)).encode()]


LIMITS = BodyLimits(max_upload_bytes=100, max_body_bytes=10)
FORM = {"CONTENT_TYPE": "application/x-www-form-urlencoded"}
MULTIPART = {"CONTENT_TYPE": "multipart/form-data; boundary=x"}


def test_a_declared_body_over_its_kinds_limit_gets_413_before_the_app_runs():
    ran = []

    def app(environ, start_response):
        ran.append(True)
        return echo_length(environ, start_response)

    status, headers, body = call(BodySizeLimit(app, LIMITS), method="POST", body=b"x" * 11, headers=FORM)
    assert status == 413 and not ran
    assert headers["Connection"] == "close" and b"10 bytes" in body and b"multipart" in body
    assert call(BodySizeLimit(app, LIMITS), method="POST", body=b"x" * 10, headers=FORM)[2] == b"10"
    assert call(BodySizeLimit(app, LIMITS), method="POST", body=b"x" * 11, headers=MULTIPART)[2] == b"11", (
        "multipart bodies may reach the upload limit"
    )
    too_big_upload = b"x" * (100 + MULTIPART_OVERHEAD + 1)
    assert call(BodySizeLimit(app, LIMITS), method="POST", body=too_big_upload, headers=MULTIPART)[0] == 413
    assert len(ran) == 2


def test_a_chunked_body_that_is_not_multipart_gets_413_before_the_app_runs():
    ran = []

    def app(environ, start_response):
        ran.append(environ["CONTENT_LENGTH"])
        return echo_length(environ, start_response)

    assert call(BodySizeLimit(app, LIMITS), method="POST", body=b"x" * 11, chunked=True, headers=FORM)[0] == 413
    assert not ran
    assert call(BodySizeLimit(app, LIMITS), method="POST", body=b"x" * 10, chunked=True, headers=FORM)[2] == b"10"
    assert ran == ["10"], "the app gets a body within the limit with its length"


def test_a_chunked_multipart_body_is_cut_off_once_past_the_limit():
    """Masonite's exception handler turns the error into a 413 (tests/hardening/test_request_size.py)."""
    with pytest.raises(PayloadTooLarge):
        call(BodySizeLimit(echo_length, LIMITS), method="POST", body=b"x" * 100_000, chunked=True, headers=MULTIPART)


def test_the_parser_gets_the_limits_from_the_environ():
    seen = []

    def app(environ, start_response):
        seen.append(BodyLimits.of(environ))
        return echo_length(environ, start_response)

    call(BodySizeLimit(app, LIMITS))
    assert seen == [LIMITS]
    assert BodyLimits.of({}) == BodyLimits(), "outside wsgi.py the defaults apply"


def test_limits_come_from_config_with_defaults_for_the_missing_ones():
    class Config:
        def get(self, path):
            return {"application.max_body_bytes": 5, "application.max_upload_bytes": 50}.get(path)

    assert BodyLimits.from_config(Config()) == BodyLimits(max_upload_bytes=50, max_body_bytes=5)


@pytest.mark.parametrize("setting", ["max_body_bytes", "max_upload_bytes", "max_form_fields", "max_json_depth"])
def test_a_limit_that_is_not_a_positive_number_stops_the_app_naming_its_setting(setting):
    with pytest.raises(MissingEnvironment, match=BodyLimits.SETTINGS[setting]):
        BodyLimits(**{setting: 0})


def redirect(app, method="GET", host="x.test", path="/"):
    headers = {"HTTP_X_FORWARDED_PROTO": "http", "HTTP_HOST": host}
    status, sent, _ = call(app, path=path, method=method, headers=headers)
    return status, sent.get("Location")


def test_plain_http_from_the_router_is_redirected_to_https():
    app = HttpsRedirect(echo_length)
    assert redirect(app, path="/a b") == (301, "https://x.test/a%20b")
    assert call(app, headers={"HTTP_X_FORWARDED_PROTO": "https"})[0] == 200
    assert call(app)[0] == 200, "no proxy header: a local run is served as it is"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_methods_other_than_get_and_head_get_308_which_keeps_the_method(method):
    assert redirect(HttpsRedirect(echo_length), method=method) == (308, "https://x.test/")


def test_head_gets_301_like_get():
    assert redirect(HttpsRedirect(echo_length), method="HEAD") == (301, "https://x.test/")


def test_with_app_url_the_redirect_goes_to_its_host_whatever_the_request_says():
    app = HttpsRedirect(echo_length, app_url="https://shop.example.com/")
    assert redirect(app, host="evil.example", path="/cart") == (301, "https://shop.example.com/cart")
    assert redirect(app, method="POST", host="evil.example") == (308, "https://shop.example.com/")


@pytest.mark.parametrize(
    "app_url,host",
    [
        ("https://shop.example.com", "shop.example.com"),
        ("https://shop.example.com:8443/base", "shop.example.com:8443"),
        ("https://shop.example.com:443", "shop.example.com"),
        ("http://127.0.0.1:8000/", "127.0.0.1"),
        ("https://[2001:db8::1]/", "[2001:db8::1]"),
        ("", None),
        (None, None),
    ],
)
def test_the_redirect_host_is_app_urls_host_and_https_port(app_url, host):
    assert canonical_host(app_url) == host


@pytest.mark.parametrize("app_url", ["shop.example.com", "ftp://shop.example.com", "https://", "https://a b.com"])
def test_an_app_url_that_is_not_a_url_stops_the_app_naming_it(app_url):
    with pytest.raises(MissingEnvironment, match="APP_URL"):
        canonical_host(app_url)


def test_an_app_url_with_credentials_is_refused_without_repeating_them():
    with pytest.raises(MissingEnvironment) as refused:
        canonical_host("https://admin:hunter2@shop.example.com")
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize("host", ["evil.example/path", "a@b.example", "a b", "x" * 3000 + "/"])
def test_without_app_url_a_host_header_that_is_not_a_host_gets_400(host):
    assert redirect(HttpsRedirect(echo_length), host=host) == (400, None)


@pytest.mark.parametrize(
    "max_age,subdomains,preload,header",
    [
        (31536000, True, False, "max-age=31536000; includeSubDomains"),
        (31536000, False, False, "max-age=31536000"),
        (63072000, True, True, "max-age=63072000; includeSubDomains; preload"),
        (300, False, False, "max-age=300"),
    ],
)
def test_hsts_follows_its_settings(max_age, subdomains, preload, header):
    assert strict_transport_security(max_age, subdomains, preload) == header


@pytest.mark.parametrize("max_age,subdomains", [(31536000, False), (86400, True)])
def test_hsts_preload_is_refused_where_the_preload_list_would_refuse_it(max_age, subdomains):
    with pytest.raises(MissingEnvironment, match="HSTS_PRELOAD"):
        strict_transport_security(max_age, subdomains, True)


def test_every_response_gets_the_security_headers_and_a_crash_gets_a_generic_500():
    def crash(environ, start_response):
        raise RuntimeError("secret detail")

    headers = {"X-Frame-Options": "DENY"}
    status, sent, _ = call(SecurityHeaders(echo_length, headers, "max-age=1"))
    assert status == 200 and sent["X-Frame-Options"] == "DENY" and sent["Strict-Transport-Security"] == "max-age=1"
    status, sent, body = call(SecurityHeaders(crash, headers, "max-age=1"))
    assert status == 500 and b"secret" not in body and sent["X-Frame-Options"] == "DENY"


class FakeChecks:
    def __init__(self, status):
        self.status = status

    def run(self):
        return {"status": self.status, "checks": {"cache": "ok" if self.status == "ok" else "error"}}


def test_health_is_answered_before_the_app_and_only_for_get_and_head():
    app = HealthProbe(echo_length, FakeChecks("ok"))
    status, headers, body = call(app, path="/health")
    assert status == 200 and json.loads(body)["status"] == "ok" and headers["Cache-Control"] == "no-store"
    assert call(app, path="/health", method="HEAD")[2] == b""
    assert call(app, path="/health", method="POST")[0] == 405
    assert call(HealthProbe(echo_length, FakeChecks("failing")), path="/health")[0] == 503
    assert call(app, path="/other")[0] == 200


def test_head_is_answered_like_get_without_the_body():
    from production_layer.wsgi_middleware.HeadAsGet import HeadAsGet

    seen, closed = [], []

    class Body(list):
        def close(self):
            closed.append(True)

    def app(environ, start_response):
        seen.append(environ["REQUEST_METHOD"])
        start_response("302 Found", [("Location", "/there"), ("Content-Length", "5")])
        return Body([b"hello"])

    assert call(HeadAsGet(app), method="HEAD") == (302, {"Location": "/there", "Content-Length": "5"}, b"")
    assert seen == ["GET"] and closed == [True]
    assert call(HeadAsGet(app), method="GET")[2] == b"hello" and seen[-1] == "GET"
    assert call(HeadAsGet(app), method="POST")[2] == b"hello" and seen[-1] == "POST"


def test_head_waits_for_an_app_that_starts_its_response_while_iterating():
    from production_layer.wsgi_middleware.HeadAsGet import HeadAsGet

    def lazy(environ, start_response):
        start_response("200 OK", [("Content-Length", "2")])
        yield b"ok"

    assert call(HeadAsGet(lazy), method="HEAD") == (200, {"Content-Length": "2"}, b"")
