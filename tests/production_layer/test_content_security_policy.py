"""The Content-Security-Policy: built from config/security.py's directives, sent with documents only."""

from __future__ import annotations

import pytest
from production_layer.content_security_policy import InvalidContentSecurityPolicy, policy_header, s3_browser_origin
from production_layer.wsgi_middleware import ContentSecurityPolicy


def test_the_header_lists_each_directive_with_its_sources_once():
    header = policy_header(
        {"default-src": ["'self'"], "connect-src": ["'self'", None, "https://b.s3.amazonaws.com", ""]}
    )

    assert header == "default-src 'self'; connect-src 'self' https://b.s3.amazonaws.com"


@pytest.mark.parametrize(
    ("directives", "complaint"),
    [
        ({"script-src": "'self'"}, "must be a list of sources"),
        ({"script-src": ["'self'; script-src *"]}, "is not a single source"),
        ({"script src": ["'self'"]}, "is not a directive name"),
    ],
)
def test_a_policy_that_would_break_the_header_is_refused_at_boot(directives, complaint):
    with pytest.raises(InvalidContentSecurityPolicy, match=complaint):
        policy_header(directives)


@pytest.mark.parametrize(
    ("disk", "origin"),
    [
        ({"bucket": "my-uploads", "region": "us-east-1"}, "https://my-uploads.s3.amazonaws.com"),
        (
            {"bucket": "my-uploads", "region": "eu-west-1", "endpoint_url": "http://127.0.0.1:5055"},
            "http://127.0.0.1:5055",
        ),
        ({"bucket": None, "region": "us-east-1"}, None),
    ],
)
def test_the_bucket_origin_is_where_boto3_sends_browsers(disk, origin, monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)

    assert s3_browser_origin(disk) == origin


def answered(headers, status="200 OK", debug=False):
    def app(environ, start_response):
        start_response(status, headers)
        return [b""]

    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(headers)

    ContentSecurityPolicy(app, "default-src 'self'", debug=debug)({}, start_response)
    return seen


def test_documents_get_the_policy_and_other_answers_do_not():
    assert answered([("Content-Type", "text/html; charset=utf-8")])["Content-Security-Policy"] == "default-src 'self'"
    assert "Content-Security-Policy" not in answered([("Content-Type", "application/json")])
    assert "Content-Security-Policy" not in answered([("Content-Type", "text/css")])


def test_a_page_that_sets_its_own_policy_keeps_it():
    own = answered([("Content-Type", "text/html"), ("Content-Security-Policy", "default-src 'none'")])

    assert own["Content-Security-Policy"] == "default-src 'none'"


def test_in_debug_the_debug_page_of_a_server_error_is_left_alone():
    page = [("Content-Type", "text/html; charset=utf-8")]

    assert "Content-Security-Policy" not in answered(page, "500 Internal Server Error", debug=True)
    assert "Content-Security-Policy" in answered(page, "404 Not Found", debug=True)
    assert "Content-Security-Policy" in answered(page, "500 Internal Server Error", debug=False)
