"""The policy pack: each policy's `validate` on good and bad inputs, and on what the program registers.

The pack's `__main__.py` starts an analyzer server and blocks, so it is never
imported; it is only read as source.
"""

from __future__ import annotations

import ast
import copy
import json

import pytest
from pulumi_policy import EnforcementLevel

from tests.infra import program_checks as checks
from tests.infra.policy_harness import (
    all_violations,
    policy_resources,
    resource,
    stack_violations_of,
    violations_of,
)

BUCKET_NAME = "demo-uploads-0a1b2c3d"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET_NAME}"


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
    assert all_violations(pack, run) == {}


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


@pytest.mark.parametrize("name", ["AWS_SECRET_ACCESS_KEY", "APP_KEY", "APP_KEY_FALLBACKS", "REDIS_URL", "DATABASE_URL"])
def test_heroku_secrets_are_sensitive(policies, name):
    policy = policies["heroku-secrets-sensitive"]
    association = "heroku:app/configAssociation:ConfigAssociation"
    good = {"appId": "uuid", "vars": {"S3_BUCKET": BUCKET_NAME}, "sensitiveVars": {name: "s3cr3t"}}
    assert violations_of(policy, association, good) == []
    bad = {"appId": "uuid", "vars": {"S3_BUCKET": BUCKET_NAME, name: "s3cr3t"}}
    assert any(name in message for message in violations_of(policy, association, bad))
    assert violations_of(policy, "heroku:app/app:App", {"name": "demo", "configVars": {name: "s3cr3t"}})


def test_every_program_resource_type_is_one_the_pack_knows(pack):
    """The types the pack checks are the SDK's tokens (a typo would make a policy silently check nothing)."""
    from tests.infra import program_harness

    tokens = {value for name, value in vars(program_harness).items() if name.isupper() and ":" in str(value)}
    checked = {pack.SECURITY_GROUP, pack.HEROKU_ADDON, pack.ACCESS_KEY, pack.IAM_USER, pack.USER_POLICY}
    assert checked <= tokens


# --- KMS --------------------------------------------------------------------

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_GRANT = {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": KEY_ARN}


def test_user_policy_may_use_one_kms_key_for_s3_and_nothing_more(policies):
    policy = policies["iam-app-user-bucket-scoped"]
    kind = "aws:iam/userPolicy:UserPolicy"
    via_s3 = {**KMS_GRANT, "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}
    assert violations_of(policy, kind, user_policy(OBJECTS, LISTING, via_s3)) == []
    assert violations_of(policy, kind, user_policy(OBJECTS, LISTING, KMS_GRANT)) == []
    bad = {
        "every KMS action": {**KMS_GRANT, "Action": "kms:*"},
        "key administration": {**KMS_GRANT, "Action": ["kms:Decrypt", "kms:ScheduleKeyDeletion"]},
        "sharing the key": {**KMS_GRANT, "Action": ["kms:Decrypt", "kms:CreateGrant"]},
        "an alias": {**KMS_GRANT, "Resource": "arn:aws:kms:us-east-1:123456789012:alias/uploads"},
        "every key": {**KMS_GRANT, "Resource": "*"},
        "two keys": {**KMS_GRANT, "Resource": [KEY_ARN, KEY_ARN.replace("1234abcd", "5678abcd")]},
        "S3 and KMS mixed": {**KMS_GRANT, "Action": ["kms:Decrypt", "s3:GetObject"]},
    }
    for label, statement in bad.items():
        assert violations_of(policy, kind, user_policy(OBJECTS, LISTING, statement)), label


def encryption(key: str | None, bucket: str = BUCKET_NAME):
    default = {"sseAlgorithm": "aws:kms", **({"kmsMasterKeyId": key} if key else {})}
    return resource(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "encryption",
        {"bucket": bucket, "rules": [{"applyServerSideEncryptionByDefault": default, "bucketKeyEnabled": True}]},
    )


def test_a_customer_key_must_be_granted_and_only_it(policies):
    policy = policies["iam-user-policy-uses-bucket-kms-key"]
    user_policy_resource = resource("aws:iam/userPolicy:UserPolicy", "app", user_policy(OBJECTS, LISTING, KMS_GRANT))
    ungranted = resource("aws:iam/userPolicy:UserPolicy", "app", user_policy(OBJECTS, LISTING))
    assert stack_violations_of(policy, [encryption(KEY_ARN), user_policy_resource]) == []
    assert stack_violations_of(policy, [encryption(None), ungranted]) == [], "the AWS managed key needs no grant"
    assert stack_violations_of(policy, [encryption("alias/aws/s3"), ungranted]) == []
    (missing,) = stack_violations_of(policy, [encryption(KEY_ARN), ungranted])
    assert "lacks kms:Decrypt, kms:GenerateDataKey" in missing
    (stray,) = stack_violations_of(policy, [encryption(None), user_policy_resource])
    assert "encrypts none of the buckets" in stray
    (alias,) = stack_violations_of(policy, [encryption("alias/uploads")])
    assert "key's ARN" in alias


# --- security groups ---------------------------------------------------------


def ingress(cidr: str, from_port=6379, to_port=6379, protocol="tcp", ipv6=False) -> dict:
    return {
        "protocol": protocol,
        "fromPort": from_port,
        "toPort": to_port,
        "cidrBlocks": [] if ipv6 else [cidr],
        "ipv6CidrBlocks": [cidr] if ipv6 else [],
    }


def test_security_groups_admit_redis_only_from_private_addresses(policies):
    policy = policies["ec2-ingress-private"]
    group = "aws:ec2/securityGroup:SecurityGroup"
    assert violations_of(policy, group, {"ingress": [ingress("10.0.0.0/16")]}) == []
    assert violations_of(policy, group, {"ingress": [ingress("172.31.0.0/16"), ingress("fd00::/8", ipv6=True)]}) == []
    assert violations_of(policy, group, {"ingress": [ingress("0.0.0.0/0")]}), "6379 open to the internet"
    assert violations_of(policy, group, {"ingress": [ingress("::/0", ipv6=True)]})
    assert violations_of(policy, group, {"ingress": [ingress("0.0.0.0/0", 443, 443)]}), "any port, whole internet"
    assert violations_of(policy, group, {"ingress": [ingress("52.95.110.0/24")]}), "a public range on 6379"
    assert violations_of(policy, group, {"ingress": [ingress("52.95.110.0/24", 0, 0, protocol="-1")]}), "all ports"
    assert violations_of(policy, group, {"ingress": [ingress("52.95.110.0/24", 443, 443)]}) == []
    rule = "aws:ec2/securityGroupRule:SecurityGroupRule"
    assert violations_of(policy, rule, {"type": "ingress", **ingress("0.0.0.0/0")})
    assert violations_of(policy, rule, {"type": "egress", **ingress("0.0.0.0/0")}) == []
    standalone = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
    assert violations_of(
        policy, standalone, {"ipProtocol": "tcp", "fromPort": 6379, "toPort": 6379, "cidrIpv4": "0.0.0.0/0"}
    )
    assert violations_of(policy, standalone, {"ipProtocol": "-1", "cidrIpv6": "::/0"})
    assert (
        violations_of(
            policy, standalone, {"ipProtocol": "tcp", "fromPort": 6379, "toPort": 6379, "cidrIpv4": "10.0.0.0/8"}
        )
        == []
    )


# --- access keys -------------------------------------------------------------


def test_access_keys_only_for_the_stacks_scoped_user(scenario_runs, policies):
    policy = policies["iam-access-keys-for-stack-users"]
    resources = policy_resources(scenario_runs["key-value-store+heroku"])
    assert stack_violations_of(policy, resources) == []
    admin_key = resource("aws:iam/accessKey:AccessKey", "admin-key", {"user": "admin"})
    assert "does not create" in stack_violations_of(policy, [*resources, admin_key])[0]
    (user,) = [r for r in resources if r.resource_type == "aws:iam/user:User"]
    unscoped = resource("aws:iam/user:User", "ops", {"name": "ops"})
    ops_key = resource("aws:iam/accessKey:AccessKey", "ops-key", {"user": "ops"}, {"user": [unscoped]})
    assert "without the bucket-scoped" in stack_violations_of(policy, [*resources, unscoped, ops_key])[0]
    pgp = resource("aws:iam/accessKey:AccessKey", "pgp", {"user": user.props["name"], "pgpKey": "keybase:someone"})
    assert "pgpKey" in stack_violations_of(policy, [*resources, pgp])[0]


# --- Heroku add-ons ----------------------------------------------------------


def test_heroku_add_ons_own_their_config_vars(scenario_runs, policies):
    policy = policies["heroku-addons-own-their-config-vars"]
    resources = policy_resources(scenario_runs["managed-app+postgres"])
    assert stack_violations_of(policy, resources) == []
    (association,) = [r for r in resources if r.resource_type == "heroku:app/configAssociation:ConfigAssociation"]
    writes_redis_url = resource(
        association.resource_type,
        "redis-url",
        {"appId": association.props["appId"], "sensitiveVars": {"REDIS_URL": "rediss://elsewhere"}},
        association.property_dependencies,
    )
    (message,) = stack_violations_of(policy, [*resources, writes_redis_url])
    assert "REDIS_URL is set by an add-on" in message
    (postgres,) = [r for r in resources if str(r.props.get("plan", "")).startswith("heroku-postgresql:")]
    second = resource(postgres.resource_type, "second-db", dict(postgres.props), postgres.property_dependencies)
    messages = stack_violations_of(policy, [*resources, second])
    assert len(messages) == 2 and all("second heroku-postgresql add-on" in message for message in messages)
    other_app = resource(postgres.resource_type, "other-app-db", {**postgres.props, "appId": "another-uuid"})
    assert stack_violations_of(policy, [*resources, other_app]) == [], "one database per app, not per stack"


def test_kms_grants_are_matched_through_the_bucket_during_a_preview(policies):
    """Before the bucket exists its id is unknown: the encryption's bucket is found through the dependency."""
    policy = policies["iam-user-policy-uses-bucket-kms-key"]
    bucket = resource("aws:s3/bucket:Bucket", "b", {"bucket": BUCKET_NAME})
    config = encryption(KEY_ARN, bucket=None)
    config.property_dependencies = {"bucket": [bucket]}
    granted = resource("aws:iam/userPolicy:UserPolicy", "app", user_policy(OBJECTS, LISTING, KMS_GRANT))
    assert stack_violations_of(policy, [bucket, config, granted]) == []
    nameless = resource("aws:s3/bucket:Bucket", "b", {})
    config.property_dependencies = {"bucket": [nameless]}
    assert stack_violations_of(policy, [nameless, config, granted]) == [], "unknown yet: no verdict"
