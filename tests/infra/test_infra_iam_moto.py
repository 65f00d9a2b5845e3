"""The app user's IAM policy, enforced by a real S3/IAM emulator.

moto_server runs as a separate process with `INITIAL_NO_AUTH_ACTION_COUNT`:
the first requests (the set-up below) run unauthenticated, every later one is
checked against IAM. The policy attached to the user is the exact JSON the
program registered in a mock run, for the exact bucket name it chose.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.infra.program_harness import BUCKET, IAM_USER, IAM_USER_POLICY
from tests.support.processes import endpoint_url, moto_server

OTHER_BUCKET = "someone-elses-bucket"
REGION = "us-east-1"
# Requests made before enforcement starts, counted in `app_credentials`.
SETUP_ACTIONS = 7


def client(service: str, server, access_key_id: str, secret_access_key: str):
    return boto3.client(
        service,
        endpoint_url=endpoint_url(server),
        region_name=REGION,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def program_policy(scenario_runs):
    """(bucket name, user name, policy JSON) exactly as the program registers them."""
    run = scenario_runs["key-value-store+heroku"]
    run.raise_error()
    return run.one(BUCKET).inputs["bucket"], run.one(IAM_USER).state["name"], run.one(IAM_USER_POLICY).inputs["policy"]


@pytest.fixture(scope="module")
def iam_enforcing_s3():
    with moto_server(extra_env={"INITIAL_NO_AUTH_ACTION_COUNT": str(SETUP_ACTIONS)}) as server:
        yield server


@pytest.fixture(scope="module")
def app_s3(iam_enforcing_s3, program_policy):
    """An S3 client with the app user's key, once IAM enforcement is on."""
    bucket, user, policy = program_policy
    admin_s3 = client("s3", iam_enforcing_s3, "admin", "admin")
    admin_iam = client("iam", iam_enforcing_s3, "admin", "admin")
    admin_s3.create_bucket(Bucket=bucket)  # 1
    admin_s3.create_bucket(Bucket=OTHER_BUCKET)  # 2
    admin_s3.put_object(Bucket=OTHER_BUCKET, Key="private.txt", Body=b"not yours")  # 3
    admin_iam.create_user(UserName=user)  # 4
    admin_iam.put_user_policy(UserName=user, PolicyName="app-uploads", PolicyDocument=policy)  # 5
    key = admin_iam.create_access_key(UserName=user)["AccessKey"]  # 6
    admin_s3.put_object(Bucket=bucket, Key="existing.txt", Body=b"hello")  # 7
    # From here on, every request is authenticated and authorised.
    with pytest.raises(ClientError) as refused:
        client("s3", iam_enforcing_s3, "AKIAUNKNOWNUNKNOWN00", "wrong").list_buckets()
    assert refused.value.response["Error"]["Code"] in ("InvalidAccessKeyId", "AccessDenied", "SignatureDoesNotMatch")
    return client("s3", iam_enforcing_s3, key["AccessKeyId"], key["SecretAccessKey"])


def denied(call) -> bool:
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"] == "AccessDenied"
    return False


def test_app_user_can_put_get_list_and_delete_its_uploads(app_s3, program_policy):
    bucket = program_policy[0]
    app_s3.put_object(Bucket=bucket, Key="uploads/avatar.png", Body=b"png bytes")
    assert app_s3.get_object(Bucket=bucket, Key="uploads/avatar.png")["Body"].read() == b"png bytes"
    assert app_s3.get_object(Bucket=bucket, Key="existing.txt")["Body"].read() == b"hello"
    keys = {item["Key"] for item in app_s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert {"uploads/avatar.png", "existing.txt"} <= keys
    app_s3.delete_object(Bucket=bucket, Key="uploads/avatar.png")
    keys = {item["Key"] for item in app_s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert "uploads/avatar.png" not in keys


def test_app_user_is_denied_on_another_bucket(app_s3):
    assert denied(lambda: app_s3.put_object(Bucket=OTHER_BUCKET, Key="x.txt", Body=b"x"))
    assert denied(lambda: app_s3.get_object(Bucket=OTHER_BUCKET, Key="private.txt"))
    assert denied(lambda: app_s3.list_objects_v2(Bucket=OTHER_BUCKET))
    assert denied(lambda: app_s3.delete_object(Bucket=OTHER_BUCKET, Key="private.txt"))


@pytest.mark.parametrize(
    "administration",
    [
        "put_bucket_policy",
        "delete_bucket_policy",
        "put_bucket_acl",
        "put_bucket_cors",
        "put_bucket_versioning",
        "put_public_access_block",
        "delete_bucket",
        "create_bucket",
        "list_buckets",
    ],
)
def test_app_user_cannot_administer_buckets(app_s3, program_policy, administration):
    bucket = program_policy[0]
    calls = {
        "put_bucket_policy": lambda: app_s3.put_bucket_policy(
            Bucket=bucket, Policy='{"Version":"2012-10-17","Statement":[]}'
        ),
        "delete_bucket_policy": lambda: app_s3.delete_bucket_policy(Bucket=bucket),
        "put_bucket_acl": lambda: app_s3.put_bucket_acl(Bucket=bucket, ACL="public-read"),
        "put_bucket_cors": lambda: app_s3.put_bucket_cors(
            Bucket=bucket, CORSConfiguration={"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]}
        ),
        "put_bucket_versioning": lambda: app_s3.put_bucket_versioning(
            Bucket=bucket, VersioningConfiguration={"Status": "Suspended"}
        ),
        "put_public_access_block": lambda: app_s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": False,
                "IgnorePublicAcls": False,
                "BlockPublicPolicy": False,
                "RestrictPublicBuckets": False,
            },
        ),
        "delete_bucket": lambda: app_s3.delete_bucket(Bucket=bucket),
        "create_bucket": lambda: app_s3.create_bucket(Bucket="app-made-bucket-0001"),
        "list_buckets": lambda: app_s3.list_buckets(),
    }
    assert denied(calls[administration])
