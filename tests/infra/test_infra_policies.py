"""The policy pack: each policy's `validate` on good and bad inputs, and on what the program registers.

The pack's `__main__.py` starts an analyzer server and blocks, so it is never
imported; it is only read as source.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json

import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from tests.infra import program_checks as checks
from tests.infra.program_harness import ProgramRun

BUCKET_NAME = "demo-uploads-0a1b2c3d"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET_NAME}"


@pytest.fixture(scope="module")
def pack(infra_dir):
    path = infra_dir / "policy" / "policies.py"
    spec = importlib.util.spec_from_file_location("infra_policy_pack_policies", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def policies(pack):
    return {policy.name: policy for policy in pack.POLICIES}


def options() -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=False,
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
    )


def violations_of(policy: ResourceValidationPolicy, resource_type: str, props: dict) -> list[str]:
    found: list[str] = []
    args = ResourceValidationArgs(resource_type, props, f"urn:pulumi:test::p::{resource_type}::r", "r", options(), None)
    policy.validate(args, lambda message, urn=None: found.append(message))
    return found


def stack_violations_of(policy: StackValidationPolicy, resources: list[PolicyResource]) -> list[str]:
    found: list[str] = []
    policy.validate(StackValidationArgs(resources), lambda message, urn=None: found.append(message))
    return found


def policy_resources(run: ProgramRun) -> list[PolicyResource]:
    """The registered custom resources as the analyzer would hand them to stack policies."""
    by_urn = {
        r.urn: PolicyResource(r.type, r.state, r.urn, r.name, options(), None, None, [], {})
        for r in run.custom_resources()
    }
    for r in run.custom_resources():
        by_urn[r.urn].property_dependencies = {
            key: [by_urn[urn] for urn in urns if urn in by_urn] for key, urns in r.property_dependencies.items()
        }
    return list(by_urn.values())


def resource(type_: str, name: str, props: dict, depends_on: dict | None = None) -> PolicyResource:
    return PolicyResource(
        type_, props, f"urn:pulumi:test::p::{type_}::{name}", name, options(), None, None, [], depends_on or {}
    )


# --- the pack as a whole -----------------------------------------------------


def test_every_policy_is_mandatory_and_named_once(pack):
    names = [policy.name for policy in pack.POLICIES]
    assert len(names) == len(set(names))
    assert all(policy.enforcement_level == EnforcementLevel.MANDATORY for policy in pack.POLICIES)


def test_main_only_builds_a_mandatory_pack_from_the_policies_module(infra_dir):
    tree = ast.parse((infra_dir / "policy" / "__main__.py").read_text())
    imports = {
        (node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    assert ("policies", "POLICIES") in imports
    calls = [
        node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "PolicyPack"
    ]
    assert len(calls) == 1
    keywords = {keyword.arg: ast.unparse(keyword.value) for keyword in calls[0].keywords}
    assert keywords["policies"] == "POLICIES"
    assert keywords["enforcement_level"] == "EnforcementLevel.MANDATORY"
    defined = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Assign))]
    assert not defined, "policies belong in policies.py"


@pytest.mark.parametrize("scenario", sorted(checks.SCENARIOS))
def test_what_the_program_registers_passes_every_policy(scenario_runs, pack, scenario):
    run = scenario_runs[scenario]
    run.raise_error()
    for policy in pack.POLICIES:
        if isinstance(policy, ResourceValidationPolicy):
            for registered in run.custom_resources():
                assert violations_of(policy, registered.type, registered.inputs) == [], (policy.name, registered.name)
        else:
            assert stack_violations_of(policy, policy_resources(run)) == [], policy.name


# --- S3 ---------------------------------------------------------------------

PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
GOOD_PAB = {
    "bucket": BUCKET_NAME,
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}


@pytest.mark.parametrize("flag", ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
def test_public_access_block_needs_all_four_flags(policies, flag):
    policy = policies["s3-public-access-fully-blocked"]
    assert violations_of(policy, PAB, GOOD_PAB) == []
    for bad in (False, None):
        props = {**GOOD_PAB, flag: bad}
        if bad is None:
            del props[flag]
        assert any(flag in message for message in violations_of(policy, PAB, props))


def test_acls_stay_disabled(policies):
    policy = policies["s3-acls-disabled"]
    ownership = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
    assert violations_of(policy, ownership, {"rule": {"objectOwnership": "BucketOwnerEnforced"}}) == []
    assert violations_of(policy, ownership, {"rule": {"objectOwnership": "ObjectWriter"}})
    assert violations_of(policy, "aws:s3/bucketAcl:BucketAcl", {"acl": "private"})
    assert violations_of(policy, "aws:s3/bucket:Bucket", {"bucket": BUCKET_NAME}) == []
    assert violations_of(policy, "aws:s3/bucket:Bucket", {"bucket": BUCKET_NAME, "acl": "public-read"})


def test_default_encryption(policies):
    policy = policies["s3-default-encryption"]
    sse = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"

    def rules(algorithm, bucket_key):
        return {
            "rules": [
                {"applyServerSideEncryptionByDefault": {"sseAlgorithm": algorithm}, "bucketKeyEnabled": bucket_key}
            ]
        }

    assert violations_of(policy, sse, rules("AES256", True)) == []
    assert violations_of(policy, sse, rules("aws:kms", True)) == []
    assert violations_of(policy, sse, rules("aws:kms", False)), "KMS without a bucket key"
    assert violations_of(policy, sse, rules("none", True))
    assert violations_of(policy, sse, {"rules": []})


def test_versioning_enabled(policies):
    policy = policies["s3-versioning-enabled"]
    versioning = "aws:s3/bucketVersioning:BucketVersioning"
    assert violations_of(policy, versioning, {"versioningConfiguration": {"status": "Enabled"}}) == []
    assert violations_of(policy, versioning, {"versioningConfiguration": {"status": "Suspended"}})


def test_cors_origins_are_exact(policies):
    policy = policies["s3-cors-exact-origins"]
    cors = "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration"

    def origins(*values):
        return {"corsRules": [{"allowedMethods": ["GET"], "allowedOrigins": list(values)}]}

    assert violations_of(policy, cors, origins("https://www.example.com")) == []
    assert violations_of(policy, cors, origins("*"))
    assert violations_of(policy, cors, origins("https://www.example.com", "https://*.example.com"))
    assert violations_of(policy, "aws:s3/bucket:Bucket", origins("*")), "inline CORS on the bucket too"


def test_lifecycle_cleans_up(policies):
    policy = policies["s3-lifecycle-cleans-up"]
    lifecycle = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    abort = {"id": "a", "status": "Enabled", "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7}}
    expire = {"id": "e", "status": "Enabled", "noncurrentVersionExpiration": {"noncurrentDays": 30}}
    assert violations_of(policy, lifecycle, {"rules": [abort, expire]}) == []
    assert violations_of(policy, lifecycle, {"rules": [expire]}), "no multipart clean-up"
    assert violations_of(
        policy, lifecycle, {"rules": [{**abort, "abortIncompleteMultipartUpload": {"daysAfterInitiation": 30}}, expire]}
    )
    assert violations_of(policy, lifecycle, {"rules": [{**abort, "status": "Disabled"}, expire]})
    assert violations_of(policy, lifecycle, {"rules": [abort]}), "old versions kept forever"


def tls_policy(**changes) -> dict:
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [BUCKET_ARN, f"{BUCKET_ARN}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        **changes,
    }
    return {"bucket": BUCKET_NAME, "policy": json.dumps({"Version": "2012-10-17", "Statement": [statement]})}


def test_bucket_policy_denies_requests_without_tls(policies):
    policy = policies["s3-tls-only-bucket-policy"]
    bucket_policy = "aws:s3/bucketPolicy:BucketPolicy"
    assert violations_of(policy, bucket_policy, tls_policy()) == []
    assert violations_of(policy, bucket_policy, tls_policy(Condition={"Bool": {"aws:SecureTransport": "true"}}))
    assert violations_of(policy, bucket_policy, tls_policy(Effect="Allow"))
    assert violations_of(policy, bucket_policy, tls_policy(Resource=[f"{BUCKET_ARN}/*"])), (
        "the bucket itself is not covered"
    )
    assert violations_of(policy, bucket_policy, tls_policy(Action="s3:GetObject"))
    public = json.loads(tls_policy()["policy"])
    public["Statement"].append(
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{BUCKET_ARN}/*"}
    )
    assert violations_of(policy, bucket_policy, {"policy": json.dumps(public)}), "a public read statement"
    assert violations_of(policy, bucket_policy, {"policy": "not json"})


def test_every_bucket_has_its_safeguards(scenario_runs, policies):
    policy = policies["s3-bucket-has-safeguards"]
    resources = policy_resources(scenario_runs["key-value-store+heroku"])
    assert stack_violations_of(policy, resources) == []
    without_pab = [r for r in resources if r.resource_type != PAB]
    assert any("public access block" in message for message in stack_violations_of(policy, without_pab))
    stray = resource("aws:s3/bucket:Bucket", "stray", {"bucket": "another-bucket-123"})
    messages = stack_violations_of(policy, [*resources, stray])
    assert len(messages) == 6 and all("'stray'" in message for message in messages)


def test_safeguards_are_matched_by_dependency_when_names_are_unknown(policies):
    """During a preview the auto-generated bucket name is unknown; the dependency still ties them."""
    policy = policies["s3-bucket-has-safeguards"]
    bucket = resource("aws:s3/bucket:Bucket", "b", {})
    safeguards = [
        resource(type_, type_.rsplit(":", 1)[1], {}, {"bucket": [bucket]})
        for type_ in (
            PAB,
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketVersioning:BucketVersioning",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketPolicy:BucketPolicy",
        )
    ]
    assert stack_violations_of(policy, [bucket, *safeguards]) == []
    assert len(stack_violations_of(policy, [bucket, *safeguards[1:]])) == 1


# --- IAM --------------------------------------------------------------------


def user_policy(*statements) -> dict:
    return {"user": "app", "policy": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})}


OBJECTS = {
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    "Resource": f"{BUCKET_ARN}/*",
}
LISTING = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET_ARN}


def test_user_policy_scoped_to_one_bucket(policies, access_policies):
    policy = policies["iam-app-user-bucket-scoped"]
    kind = "aws:iam/userPolicy:UserPolicy"
    program_document = {"user": "app", "policy": json.dumps(access_policies.app_user_policy_document(BUCKET_NAME))}
    assert violations_of(policy, kind, program_document) == []
    assert violations_of(policy, kind, user_policy(OBJECTS, LISTING)) == []
    bad = {
        "every action": {**OBJECTS, "Action": "s3:*"},
        "a wildcard action": {**OBJECTS, "Action": "s3:Get*"},
        "bucket administration": {**LISTING, "Action": ["s3:ListBucket", "s3:PutBucketPolicy"]},
        "bucket deletion": {**LISTING, "Action": "s3:DeleteBucket"},
        "every bucket": {**OBJECTS, "Resource": "arn:aws:s3:::*/*"},
        "every resource": {**OBJECTS, "Resource": "*"},
        "objects on the bucket ARN": {**OBJECTS, "Resource": BUCKET_ARN},
        "listing on objects": {**LISTING, "Resource": f"{BUCKET_ARN}/*"},
        "NotResource": {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": f"{BUCKET_ARN}/*"},
        "other services": {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"},
    }
    for label, statement in bad.items():
        assert violations_of(policy, kind, user_policy(statement, LISTING)), label
    other_bucket = {**OBJECTS, "Resource": "arn:aws:s3:::someone-elses-bucket/*"}
    assert violations_of(policy, kind, user_policy(OBJECTS, other_bucket)), "two buckets"
    assert violations_of(
        policy,
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        {"user": "app", "policyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"},
    )


def test_user_policy_must_target_a_bucket_of_the_stack(scenario_runs, policies):
    policy = policies["iam-user-policy-targets-stack-bucket"]
    resources = policy_resources(scenario_runs["key-value-store+heroku"])
    assert stack_violations_of(policy, resources) == []
    foreign = copy.deepcopy(user_policy({**OBJECTS, "Resource": "arn:aws:s3:::someone-elses-bucket/*"}))
    messages = stack_violations_of(policy, [*resources, resource("aws:iam/userPolicy:UserPolicy", "foreign", foreign)])
    assert messages and "someone-elses-bucket" in messages[0]


# --- Redis ------------------------------------------------------------------

GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
GOOD_GROUP = {
    "transitEncryptionEnabled": True,
    "atRestEncryptionEnabled": True,
    "authToken": "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6",
}


def test_elasticache_encrypted_with_a_safe_auth_token(policies):
    policy = policies["elasticache-encrypted-with-auth"]
    assert violations_of(policy, GROUP, GOOD_GROUP) == []
    assert violations_of(policy, GROUP, {**GOOD_GROUP, "transitEncryptionEnabled": False})
    assert violations_of(policy, GROUP, {**GOOD_GROUP, "transitEncryptionMode": "preferred"})
    assert violations_of(policy, GROUP, {**GOOD_GROUP, "atRestEncryptionEnabled": False})
    assert violations_of(policy, GROUP, {key: value for key, value in GOOD_GROUP.items() if key != "authToken"})
    for character in '@/" ':
        assert violations_of(policy, GROUP, {**GOOD_GROUP, "authToken": GOOD_GROUP["authToken"] + character})
    assert violations_of(policy, GROUP, {**GOOD_GROUP, "authToken": "short"})
    assert violations_of(policy, "aws:elasticache/cluster:Cluster", {"engine": "redis"})
    assert (
        violations_of(policy, "aws:elasticache/cluster:Cluster", {"engine": "redis", "replicationGroupId": "g"}) == []
    )


# --- Heroku -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["AWS_SECRET_ACCESS_KEY", "APP_KEY", "REDIS_URL", "DATABASE_URL"])
def test_heroku_secrets_are_sensitive(policies, name):
    policy = policies["heroku-secrets-sensitive"]
    association = "heroku:app/configAssociation:ConfigAssociation"
    good = {"appId": "uuid", "vars": {"S3_BUCKET": BUCKET_NAME}, "sensitiveVars": {name: "s3cr3t"}}
    assert violations_of(policy, association, good) == []
    bad = {"appId": "uuid", "vars": {"S3_BUCKET": BUCKET_NAME, name: "s3cr3t"}}
    assert any(name in message for message in violations_of(policy, association, bad))
    assert violations_of(policy, "heroku:app/app:App", {"name": "demo", "configVars": {name: "s3cr3t"}})
