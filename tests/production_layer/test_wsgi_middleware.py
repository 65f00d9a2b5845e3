"""The WSGI wrappers in wsgi.py, each on its own around a tiny WSGI app."""

from __future__ import annotations

import io
import json

import pytest
from production_layer.http_errors import PayloadTooLarge
from production_layer.wsgi_middleware import BodySizeLimit, HealthProbe, HttpsRedirect, SecurityHeaders


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


def test_a_declared_body_over_the_limit_gets_413_before_the_app_runs():
    ran = []

    def app(environ, start_response):
        ran.append(True)
        return echo_length(environ, start_response)

    status, headers, body = call(BodySizeLimit(app, limit=10), method="POST", body=b"x" * 11)
    assert status == 413 and not ran
    assert headers["Connection"] == "close" and b"10 bytes" in body
    assert call(BodySizeLimit(app, limit=10), method="POST", body=b"x" * 10)[2] == b"10"


def test_a_chunked_body_is_cut_off_once_past_the_limit():
    """Masonite's exception handler turns the error into a 413 (tests/hardening/test_request_size.py)."""
    with pytest.raises(PayloadTooLarge):
        call(BodySizeLimit(echo_length, limit=10), method="POST", body=b"x" * 100, chunked=True)


def test_the_limit_leaves_room_for_the_form_around_the_largest_upload():
    assert BodySizeLimit.limit_for(1000) > 1000


def test_plain_http_from_the_router_is_redirected_to_https():
    app = HttpsRedirect(echo_length)
    status, headers, _ = call(app, path="/a b", headers={"HTTP_X_FORWARDED_PROTO": "http", "HTTP_HOST": "x.test"})
    assert status == 301 and headers["Location"] == "https://x.test/a%20b"
    assert call(app, headers={"HTTP_X_FORWARDED_PROTO": "https"})[0] == 200
    assert call(app)[0] == 200, "no proxy header: a local run is served as it is"


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
