"""The S3 emulator the browser tests use answers CORS from the bucket's rule, as S3 does.

moto's own server allows every origin, so these checks are what makes the browser tests'
direct uploads evidence about the rule infra/ writes.
"""

from __future__ import annotations

import boto3
import pytest
import requests

from tests.conftest import BUCKET
from tests.support.cors_s3 import (
    NOT_ALLOWED,
    NOT_ENABLED,
    actual_request_headers,
    cors_enforcing_s3,
    preflight,
    s3_api_rule,
)

APP = "https://my-app.herokuapp.com"
ELSEWHERE = "https://evil.example"


@pytest.fixture(scope="module")
def rules(cors_rule):
    return [s3_api_rule(cors_rule([APP]))]


def test_the_rule_is_the_one_infra_writes(rules, cors_rule):
    (rule,) = rules
    assert rule["AllowedOrigins"] == [APP]
    assert rule["AllowedMethods"] == ["GET", "POST", "PUT"]
    assert "x-amz-*" in rule["AllowedHeaders"] and rule["MaxAgeSeconds"] == 600
    assert set(cors_rule([APP])) == {
        "id",
        "allowed_methods",
        "allowed_origins",
        "allowed_headers",
        "expose_headers",
        "max_age_seconds",
    }


def test_a_preflight_from_the_app_for_an_allowed_method_and_headers_is_granted(rules):
    verdict = preflight(rules, APP, "POST", ["content-type", "x-amz-meta-original-name"])

    headers = dict(verdict.headers)
    assert verdict.status == 200
    assert headers["Access-Control-Allow-Origin"] == APP
    assert headers["Access-Control-Allow-Methods"] == "GET, POST, PUT"
    assert headers["Access-Control-Allow-Headers"] == "content-type, x-amz-meta-original-name"
    assert headers["Access-Control-Max-Age"] == "600"


@pytest.mark.parametrize(
    ("origin", "method", "headers"),
    [
        (ELSEWHERE, "POST", []),
        (APP + ":8443", "POST", []),
        ("http://my-app.herokuapp.com", "POST", []),
        (APP, "DELETE", []),
        (APP, "POST", ["authorization"]),
    ],
)
def test_a_preflight_outside_the_rule_is_refused(rules, origin, method, headers):
    verdict = preflight(rules, origin, method, headers)

    assert (verdict.status, verdict.headers, verdict.message) == (403, [], NOT_ALLOWED)


def test_without_a_rule_cors_is_not_enabled():
    assert preflight(None, APP, "POST", []).message == NOT_ENABLED
    assert actual_request_headers(None, APP, "GET") == []


def test_origins_match_exactly_or_by_their_one_wildcard():
    rules = [{"AllowedOrigins": ["https://*.example.com"], "AllowedMethods": ["GET"]}]

    assert preflight(rules, "https://a.example.com", "GET", []).status == 200
    assert preflight(rules, "https://example.com", "GET", []).status == 403
    assert preflight(rules, "https://a.example.com.evil.test", "GET", []).status == 403


def test_answers_carry_cors_headers_only_for_an_allowed_origin_and_method(rules):
    assert dict(actual_request_headers(rules, APP, "GET"))["Access-Control-Allow-Origin"] == APP
    assert actual_request_headers(rules, ELSEWHERE, "GET") == []
    assert actual_request_headers(rules, APP, "DELETE") == []


def test_the_emulator_answers_over_http_from_the_bucket_rule(cors_rule):
    with cors_enforcing_s3() as s3:
        s3.client.create_bucket(Bucket=BUCKET)
        s3.client.put_object(Bucket=BUCKET, Key="hello.txt", Body=b"hello")
        url = f"{s3.url}/{BUCKET}"
        ask = {"Access-Control-Request-Method": "POST"}

        without_rule = requests.options(url, headers={"Origin": APP, **ask}, timeout=10)
        s3.client.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [s3_api_rule(cors_rule([APP]))]})
        granted = requests.options(url, headers={"Origin": APP, **ask}, timeout=10)
        refused = requests.options(url, headers={"Origin": ELSEWHERE, **ask}, timeout=10)
        hello = presigned_get(s3.url, "hello.txt")
        read_by_app = requests.get(hello, headers={"Origin": APP}, timeout=10)
        read_elsewhere = requests.get(hello, headers={"Origin": ELSEWHERE}, timeout=10)

    assert without_rule.status_code == 403 and "CORS is not enabled" in without_rule.text
    assert granted.status_code == 200 and granted.headers["Access-Control-Allow-Origin"] == APP
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers
    assert read_by_app.content == b"hello" and read_by_app.headers["Access-Control-Allow-Origin"] == APP
    # Like S3, the object is served, but without a CORS header the browser keeps it from the page.
    assert read_elsewhere.content == b"hello" and "Access-Control-Allow-Origin" not in read_elsewhere.headers


def presigned_get(endpoint: str, key: str) -> str:
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    )
    return client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=60)
