"""SSE-KMS with a customer-managed key: the app's user may use that key, or every upload and download fails.

S3 asks KMS for a data key (upload) or a decryption (download, completing a
multipart upload) as the caller, so the caller needs kms:GenerateDataKey and
kms:Decrypt on the bucket's key. IAM names keys by ARN only: the program resolves
whatever `kmsKeyId` holds (id, alias, ARN) with `aws.kms.get_key_output`.
"""

from __future__ import annotations

import json

import pytest

from tests.infra import program_checks as checks
from tests.infra.policy_harness import all_violations, policy_resources, stack_violations_of
from tests.infra.program_harness import (
    ENCRYPTION,
    IAM_USER_POLICY,
    MOCK_ACCOUNT_ID,
    MOCK_KMS_KEY_UUID,
    run_programs,
)

REGION = "eu-west-1"
KEY_ARN = f"arn:aws:kms:{REGION}:{MOCK_ACCOUNT_ID}:key/{MOCK_KMS_KEY_UUID}"
BASE = {"herokuApp": checks.HEROKU_APP_NAME, "aws:region": REGION}


KEY_FORMS = ["alias/uploads", MOCK_KMS_KEY_UUID, KEY_ARN]


@pytest.fixture(scope="module")
def runs(infra_dir):
    batch = {"aws-managed": {"config": {**BASE, "bucketEncryption": "aws:kms"}}}
    batch |= {form: {"config": {**BASE, "bucketEncryption": "aws:kms", "kmsKeyId": form}} for form in KEY_FORMS}
    return run_programs(batch, infra_dir)


@pytest.fixture(scope="module")
def aws_managed_key(runs):
    """Before: aws:kms with the AWS managed key aws/s3 (its key policy already lets S3 callers use it)."""
    return runs["aws-managed"]


@pytest.fixture(params=KEY_FORMS)
def customer_key(runs, request):
    """After: a customer-managed key, configured as an alias, a key id or a key ARN."""
    return runs[request.param]


def statements(run) -> list[dict]:
    return json.loads(run.one(IAM_USER_POLICY).inputs["policy"])["Statement"]


def test_the_aws_managed_key_needs_no_grant(aws_managed_key):
    aws_managed_key.raise_error()
    assert not [i for i in aws_managed_key.invokes if i.token == "aws:kms/getKey:getKey"]
    (rule,) = aws_managed_key.one(ENCRYPTION).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "aws:kms"}
    assert rule["bucketKeyEnabled"] is True
    assert not [s for s in statements(aws_managed_key) if any(a.startswith("kms:") for a in s["Action"])]


def test_a_customer_key_is_resolved_to_its_arn_and_granted(customer_key):
    customer_key.raise_error()
    configured = checks.setting(customer_key, "kmsKeyId")
    assert [i.args for i in customer_key.invokes if i.token == "aws:kms/getKey:getKey"] == [{"keyId": configured}]
    (rule,) = customer_key.one(ENCRYPTION).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == KEY_ARN, "the same key the grant names"
    (grant,) = [s for s in statements(customer_key) if s["Sid"] == "AppUploadsKey"]
    assert grant == {
        "Sid": "AppUploadsKey",
        "Effect": "Allow",
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": KEY_ARN,
        "Condition": {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}},
    }
    assert "alias/" not in customer_key.one(IAM_USER_POLICY).inputs["policy"]


def test_the_policy_pack_accepts_the_grant_and_requires_it(customer_key, pack, policies):
    """The pack refused such a grant before; now it requires it whenever a customer key encrypts the bucket."""
    assert all_violations(pack, customer_key) == {}
    resources = policy_resources(customer_key)
    without_grant = [
        _with_policy(resource, [s for s in statements(customer_key) if s["Sid"] != "AppUploadsKey"])
        if resource.resource_type == IAM_USER_POLICY
        else resource
        for resource in resources
    ]
    (message,) = stack_violations_of(policies["iam-user-policy-uses-bucket-kms-key"], without_grant)
    assert "kms:Decrypt, kms:GenerateDataKey" in message and "denied" in message


def _with_policy(resource, new_statements):
    resource.props = {**resource.props, "policy": json.dumps({"Version": "2012-10-17", "Statement": new_statements})}
    return resource
