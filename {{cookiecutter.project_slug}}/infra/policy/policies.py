"""The guardrails, as pulumi-policy policies, for the uploads bucket, the app's IAM user, Redis and Heroku.

`__main__.py` only builds the pack from `POLICIES`: importing this module has
no side effect, so tests call each policy's `validate` directly.

Props arrive with the engine's camelCase names (`blockPublicAcls`). During a
preview some values are unknown; reading one raises, and the framework then
reports "can't run during preview" instead of a violation.

The analyzer API does not show `retainOnDelete`, so keeping the bucket on
destroy is checked by the program's tests, not here.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
PUBLIC_ACCESS_BLOCK_TYPES = ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",)
OWNERSHIP_CONTROLS_TYPES = ("aws:s3/bucketOwnershipControls:BucketOwnershipControls",)
ACL_TYPES = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
ENCRYPTION_TYPES = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
VERSIONING_TYPES = ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2")
CORS_TYPES = (
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
)
LIFECYCLE_TYPES = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
BUCKET_POLICY_TYPES = ("aws:s3/bucketPolicy:BucketPolicy",)
USER_POLICY = "aws:iam/userPolicy:UserPolicy"
USER_POLICY_ATTACHMENT_TYPES = (
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    "aws:iam/policyAttachment:PolicyAttachment",
)
ACCESS_KEY = "aws:iam/accessKey:AccessKey"
IAM_USER = "aws:iam/user:User"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SECURITY_GROUP_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
CACHE_CLUSTER = "aws:elasticache/cluster:Cluster"
HEROKU_CONFIG_ASSOCIATION = "heroku:app/configAssociation:ConfigAssociation"
HEROKU_APP = "heroku:app/app:App"
HEROKU_ADDON = "heroku:addon/addon:Addon"

PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
ENCRYPTION_ALGORITHMS = ("AES256", "aws:kms", "aws:kms:dsse")
MAX_ABORT_INCOMPLETE_MULTIPART_DAYS = 7
APP_OBJECT_ACTIONS = frozenset(
    {
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
        "s3:GetObjectAttributes",
    }
)
APP_BUCKET_ACTIONS = frozenset({"s3:ListBucket"})
APP_KMS_ACTIONS = frozenset({"kms:GenerateDataKey", "kms:Decrypt"})
"""What S3 needs from KMS on the app's behalf with SSE-KMS; nothing that administers or shares a key."""
SECRET_CONFIG_VARS = ("AWS_SECRET_ACCESS_KEY", "APP_KEY", "APP_KEY_FALLBACKS", "REDIS_URL", "DATABASE_URL")
ADDON_CONFIG_VARS = {"heroku-postgresql": "DATABASE_URL", "heroku-redis": "REDIS_URL"}
"""The config var each add-on service sets (and owns) on the app it is attached to."""
REDIS_PORT = 6379
AWS_MANAGED_S3_KEY = re.compile(r"^(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:)?alias/aws/s3$")
AUTH_TOKEN_FORBIDDEN = re.compile(r"[@/\"\s]")
_OBJECT_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/\*$")
_BUCKET_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$")
_KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/(?:[0-9a-f-]{36}|mrk-[0-9a-f]{32})$")


# --- S3 ---------------------------------------------------------------------


def public_access_fully_blocked(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in PUBLIC_ACCESS_BLOCK_TYPES:
        return
    for flag in PUBLIC_ACCESS_FLAGS:
        if args.props.get(flag) is not True:
            report_violation(f"{flag} must be true: uploads must never be public.", None)


def acls_disabled(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type in ACL_TYPES:
        report_violation("Bucket ACLs are disabled (BucketOwnerEnforced); grant access with IAM instead.", None)
    elif args.resource_type in OWNERSHIP_CONTROLS_TYPES:
        ownership = (args.props.get("rule") or {}).get("objectOwnership")
        if ownership != "BucketOwnerEnforced":
            report_violation(f"objectOwnership must be BucketOwnerEnforced (ACLs off), not {ownership!r}.", None)
    elif args.resource_type in (BUCKET, BUCKET_V2):
        acl = args.props.get("acl")
        if acl not in (None, "", "private"):
            report_violation(f"The bucket must not set the canned ACL {acl!r}.", None)


def default_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in ENCRYPTION_TYPES:
        return
    rules = args.props.get("rules") or []
    if not rules:
        report_violation("Default encryption needs a rule (AES256, or aws:kms with a bucket key).", None)
    for rule in rules:
        algorithm = (rule.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm")
        if algorithm not in ENCRYPTION_ALGORITHMS:
            report_violation(
                f"sseAlgorithm must be one of {', '.join(ENCRYPTION_ALGORITHMS)}, not {algorithm!r}.", None
            )
        elif algorithm.startswith("aws:kms") and rule.get("bucketKeyEnabled") is not True:
            report_violation("KMS encryption must enable the S3 bucket key (bucketKeyEnabled).", None)


def versioning_enabled(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in VERSIONING_TYPES:
        return
    status = (args.props.get("versioningConfiguration") or {}).get("status")
    if status != "Enabled":
        report_violation(f"Versioning must be Enabled, not {status!r}: it is how overwritten uploads come back.", None)


def cors_exact_origins(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type in CORS_TYPES or args.resource_type in (BUCKET, BUCKET_V2):
        rules = args.props.get("corsRules") or []
    else:
        return
    for rule in rules:
        for origin in rule.get("allowedOrigins") or []:
            if "*" in origin:
                report_violation(f"CORS origin {origin!r} is a wildcard; list the app's exact origins.", None)


def lifecycle_cleans_up(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in LIFECYCLE_TYPES:
        return
    enabled = [rule for rule in args.props.get("rules") or [] if rule.get("status") == "Enabled"]
    abort_days = [
        (rule.get("abortIncompleteMultipartUpload") or {}).get("daysAfterInitiation")
        for rule in enabled
        if rule.get("abortIncompleteMultipartUpload")
    ]
    if not any(
        isinstance(days, (int, float)) and 0 < days <= MAX_ABORT_INCOMPLETE_MULTIPART_DAYS for days in abort_days
    ):
        report_violation(
            f"An enabled lifecycle rule must abort incomplete multipart uploads within "
            f"{MAX_ABORT_INCOMPLETE_MULTIPART_DAYS} days.",
            None,
        )
    if not any((rule.get("noncurrentVersionExpiration") or {}).get("noncurrentDays") for rule in enabled):
        report_violation("An enabled lifecycle rule must expire noncurrent object versions.", None)


def tls_only_bucket_policy(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in BUCKET_POLICY_TYPES:
        return
    document = _policy_document(args.props.get("policy"))
    if document is None:
        report_violation("The bucket policy is not a JSON policy document.", None)
        return
    statements = _statements(document)
    if not any(_denies_insecure_transport(statement) for statement in statements):
        report_violation(
            "The bucket policy must deny every request without TLS: Effect Deny, Principal *, Action s3:*, "
            "Condition Bool aws:SecureTransport false, on the bucket and bucket/*.",
            None,
        )
    for statement in statements:
        if statement.get("Effect") == "Allow" and _is_everyone(statement.get("Principal")):
            report_violation("The bucket policy must not allow anyone ('Principal: *').", None)


def bucket_has_safeguards(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Every bucket in the stack has each safeguard resource attached to it."""
    required = {
        "a public access block": PUBLIC_ACCESS_BLOCK_TYPES,
        "ownership controls (BucketOwnerEnforced)": OWNERSHIP_CONTROLS_TYPES,
        "default encryption": ENCRYPTION_TYPES,
        "versioning": VERSIONING_TYPES,
        "a lifecycle configuration": LIFECYCLE_TYPES,
        "a TLS-only bucket policy": BUCKET_POLICY_TYPES,
    }
    buckets = [resource for resource in args.resources if resource.resource_type in (BUCKET, BUCKET_V2)]
    for bucket in buckets:
        for label, types in required.items():
            attached = [
                resource
                for resource in args.resources
                if resource.resource_type in types and _refers_to_bucket(resource, bucket)
            ]
            if not attached:
                report_violation(f"Bucket {bucket.name!r} has no {label}.", bucket.urn)


# --- IAM --------------------------------------------------------------------


def app_user_policy_scoped(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """An inline user policy may only handle objects of one bucket and list that bucket."""
    if args.resource_type in USER_POLICY_ATTACHMENT_TYPES:
        report_violation(
            "Attach no managed policies to users; the app user has one inline, bucket-scoped policy.", None
        )
        return
    if args.resource_type != USER_POLICY:
        return
    document = _policy_document(args.props.get("policy"))
    if document is None:
        report_violation("The user policy is not a JSON policy document.", None)
        return
    for problem in user_policy_problems(document):
        report_violation(problem, None)


def user_policy_targets_stack_bucket(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """The bucket a user policy grants access to is a bucket of this stack."""
    bucket_names = {
        name
        for resource in args.resources
        if resource.resource_type in (BUCKET, BUCKET_V2)
        if isinstance(name := _known(resource.props, "bucket"), str)
    }
    for resource, document in _user_policy_documents(args):
        for name in sorted(buckets_granted(document) - bucket_names):
            report_violation(
                f"User policy {resource.name!r} grants access to bucket {name!r}, which this stack does not own.",
                resource.urn,
            )


def user_policy_problems(document: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    for statement in _statements(document):
        if statement.get("Effect") != "Allow":
            continue
        if "NotAction" in statement or "NotResource" in statement:
            problems.append("Allow statements must not use NotAction or NotResource.")
            continue
        actions = set(_as_list(statement.get("Action")))
        resources = _as_list(statement.get("Resource"))
        if not actions or not resources:
            problems.append("Every Allow statement needs explicit actions and resources.")
            continue
        if actions & APP_KMS_ACTIONS:
            problems += _kms_statement_problems(actions, resources)
            continue
        object_actions = actions & APP_OBJECT_ACTIONS
        bucket_actions = actions & APP_BUCKET_ACTIONS
        for action in sorted(actions - APP_OBJECT_ACTIONS - APP_BUCKET_ACTIONS):
            problems.append(
                f"Action {action!r} is not an object action, s3:ListBucket or the use of the bucket's KMS key "
                "(no wildcards, no bucket or key administration)."
            )
        for resource in resources:
            if object_actions and not _OBJECT_ARN.match(resource):
                problems.append(f"Object actions must target arn:aws:s3:::BUCKET/*, not {resource!r}.")
            if bucket_actions and not _BUCKET_ARN.match(resource):
                problems.append(f"s3:ListBucket must target exactly arn:aws:s3:::BUCKET, not {resource!r}.")
    if len(buckets_granted(document)) > 1:
        problems.append(f"The policy reaches more than one bucket: {sorted(buckets_granted(document))}.")
    return problems


def _kms_statement_problems(actions: set[str], resources: list[Any]) -> list[str]:
    """A KMS statement may only let S3 use one key for the app: data keys and decryption, on its key ARN."""
    problems = [
        f"Action {action!r} does not belong in the KMS statement: only {', '.join(sorted(APP_KMS_ACTIONS))}."
        for action in sorted(actions - APP_KMS_ACTIONS)
    ]
    problems += [
        f"KMS actions must target one key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not {resource!r}: "
        "an alias or a wildcard cannot be granted safely."
        for resource in resources
        if not isinstance(resource, str) or not _KMS_KEY_ARN.match(resource)
    ]
    if len(resources) > 1:
        problems.append("The KMS statement must name exactly one key.")
    return problems


def kms_keys_granted(document: Mapping[str, Any]) -> set[str]:
    return {
        resource
        for statement in _statements(document)
        if statement.get("Effect") == "Allow" and set(_as_list(statement.get("Action"))) & APP_KMS_ACTIONS
        for resource in _as_list(statement.get("Resource"))
        if isinstance(resource, str)
    }


def kms_actions_granted(document: Mapping[str, Any], key_arn: str) -> set[str]:
    return {
        action
        for statement in _statements(document)
        if statement.get("Effect") == "Allow" and key_arn in _as_list(statement.get("Resource"))
        for action in _as_list(statement.get("Action"))
    }


def user_policy_uses_bucket_key(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """SSE-KMS with a customer-managed key: the app user may use exactly that key, or uploads fail.

    S3 calls KMS as the caller, so a user without kms:GenerateDataKey and kms:Decrypt on
    the bucket's key can neither upload nor download. The reverse also holds: a user may
    be granted only keys that encrypt a bucket it may reach.
    """
    buckets = [resource for resource in args.resources if resource.resource_type in (BUCKET, BUCKET_V2)]
    bucket_keys: dict[str, str] = {}
    some_bucket_unknown = False  # during a preview, before the bucket exists
    for resource in args.resources:
        if resource.resource_type not in ENCRYPTION_TYPES:
            continue
        for rule in _known(resource.props, "rules") or []:
            default = rule.get("applyServerSideEncryptionByDefault") or {}
            key = default.get("kmsMasterKeyId")
            if (
                not str(default.get("sseAlgorithm", "")).startswith("aws:kms")
                or not key
                or AWS_MANAGED_S3_KEY.match(key)
            ):
                continue
            if not _KMS_KEY_ARN.match(key):
                report_violation(
                    f"Encrypt with the KMS key's ARN, not {key!r}: the app user's grant must name the same key.",
                    resource.urn,
                )
                continue
            name = _bucket_name_of(resource, buckets)
            if name is None:
                some_bucket_unknown = True
            else:
                bucket_keys[name] = key
    for resource, document in _user_policy_documents(args):
        reachable = buckets_granted(document)
        needed = {key for bucket, key in bucket_keys.items() if bucket in reachable}
        for key in sorted(needed):
            missing = APP_KMS_ACTIONS - kms_actions_granted(document, key)
            if missing:
                report_violation(
                    f"User policy {resource.name!r} reaches a bucket encrypted with {key} but lacks "
                    f"{', '.join(sorted(missing))} on it: every upload and download would be denied.",
                    resource.urn,
                )
        if some_bucket_unknown:
            continue
        for key in sorted(kms_keys_granted(document) - needed):
            report_violation(
                f"User policy {resource.name!r} may use the KMS key {key}, which encrypts none of the buckets it "
                "reaches.",
                resource.urn,
            )


def access_keys_for_stack_users(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Access keys only for users of this stack whose only policy is the bucket-scoped one, handed over in clear.

    A key for a user outside the stack could carry any permission. A PGP-encrypted key
    (pgpKey) leaves the provider without the secret, so the app would get an empty one.
    """
    users = [resource for resource in args.resources if resource.resource_type == IAM_USER]
    scoped_users = {
        target.urn
        for policy in args.resources
        if policy.resource_type == USER_POLICY
        for target in users
        if _refers_to(policy, "user", target, "name")
    }
    for key in args.resources:
        if key.resource_type != ACCESS_KEY:
            continue
        if _known(key.props, "pgpKey"):
            report_violation("The app's access key must not use pgpKey: the app needs the secret itself.", key.urn)
        owners = [user for user in users if _refers_to(key, "user", user, "name")]
        if not owners:
            report_violation(
                f"Access key {key.name!r} belongs to a user this stack does not create: keys only for the app user.",
                key.urn,
            )
        elif not any(owner.urn in scoped_users for owner in owners):
            report_violation(
                f"Access key {key.name!r} belongs to a user without the bucket-scoped inline policy.", key.urn
            )


def buckets_granted(document: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for statement in _statements(document):
        if statement.get("Effect") != "Allow":
            continue
        for resource in _as_list(statement.get("Resource")):
            match = _OBJECT_ARN.match(resource) or _BUCKET_ARN.match(resource)
            if match:
                names.add(match.group(1))
    return names


# --- Redis ------------------------------------------------------------------


def elasticache_encrypted_with_auth(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type == CACHE_CLUSTER:
        if args.props.get("engine") in ("redis", "valkey") and not args.props.get("replicationGroupId"):
            report_violation(
                "Use an aws.elasticache.ReplicationGroup for Redis so it gets TLS and an auth token.", None
            )
        return
    if args.resource_type != REPLICATION_GROUP:
        return
    props = args.props
    if props.get("transitEncryptionEnabled") is not True:
        report_violation("transitEncryptionEnabled must be true: the app connects with rediss://.", None)
    if props.get("transitEncryptionMode") not in (None, "", "required"):
        report_violation("transitEncryptionMode must be 'required' so that plain-text clients are refused.", None)
    if props.get("atRestEncryptionEnabled") is not True:
        report_violation("atRestEncryptionEnabled must be true.", None)
    token = props.get("authToken")
    if not token and not props.get("userGroupIds"):
        report_violation("Redis needs an auth token (authToken) or RBAC user groups.", None)
    elif isinstance(token, str) and token:
        if AUTH_TOKEN_FORBIDDEN.search(token):
            report_violation(
                "The auth token must not contain '@', '/', '\"' or spaces: ElastiCache rejects them.", None
            )
        if not 16 <= len(token) <= 128:
            report_violation("The auth token must be 16 to 128 characters long.", None)


# --- Heroku -----------------------------------------------------------------


def heroku_secrets_sensitive(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type == HEROKU_CONFIG_ASSOCIATION:
        plain = args.props.get("vars") or {}
    elif args.resource_type == HEROKU_APP:
        plain = args.props.get("configVars") or {}
    else:
        return
    for name in SECRET_CONFIG_VARS:
        if name in plain:
            report_violation(f"{name} is a secret: put it in sensitive vars so that Pulumi masks it.", None)


def security_group_ingress_private(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """No port open to the whole internet; Redis's port only to private addresses (a peered Private Space)."""
    for rule in _ingress_rules(args):
        for cidr in rule["cidrs"]:
            try:
                network = ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                report_violation(f"Ingress source {cidr!r} is not a CIDR block.", None)
                continue
            ports = f"ports {rule['from']}-{rule['to']}" if rule["from"] is not None else "every port"
            if network.prefixlen == 0:
                report_violation(f"Ingress from {cidr} opens {ports} to the whole internet.", None)
            elif network.is_global and _covers(rule, REDIS_PORT):
                report_violation(
                    f"Redis (port {REDIS_PORT}) must only admit private addresses, not the public range {cidr}.",
                    None,
                )


def heroku_addons_own_their_config_vars(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """One owner per add-on config var, and one add-on per service and app.

    Heroku refuses a config var write to a var an add-on owns (the update then fails
    every time), and a second Postgres or Key-Value Store add-on is billed as a second
    one while the app keeps reading the first (HEROKU_POSTGRESQL_<COLOR>_URL).
    """
    addons_by_app: dict[str, list[tuple[PolicyResource, str]]] = {}
    for addon in args.resources:
        if addon.resource_type != HEROKU_ADDON:
            continue
        service = str(_known(addon.props, "plan") or "").split(":", 1)[0]
        if service in ADDON_CONFIG_VARS:
            addons_by_app.setdefault(_app_identity(addon), []).append((addon, service))
    for app, addons in addons_by_app.items():
        services = [service for _, service in addons]
        for addon, service in addons:
            if services.count(service) > 1:
                report_violation(
                    f"Add-on {addon.name!r} is a second {service} add-on on the same app: it would be billed "
                    f"while the app keeps reading the first one's {ADDON_CONFIG_VARS[service]}.",
                    addon.urn,
                )
        owned = {ADDON_CONFIG_VARS[service] for service in services}
        for association in args.resources:
            if association.resource_type != HEROKU_CONFIG_ASSOCIATION or _app_identity(association) != app:
                continue
            written = set(_known(association.props, "vars") or {}) | set(
                _known(association.props, "sensitiveVars") or {}
            )
            for name in sorted(written & owned):
                report_violation(
                    f"{name} is set by an add-on on this app; config vars {association.name!r} must not write it "
                    "(Heroku refuses, and every update fails).",
                    association.urn,
                )


# --- helpers ----------------------------------------------------------------


def _user_policy_documents(args: StackValidationArgs) -> Iterator[tuple[PolicyResource, Mapping[str, Any]]]:
    """The stack's user policies whose document is known (during a preview it may not be yet)."""
    for resource in args.resources:
        if resource.resource_type == USER_POLICY:
            document = _policy_document(_known(resource.props, "policy"))
            if document is not None:
                yield resource, document


def _policy_document(value: Any) -> Mapping[str, Any] | None:
    if isinstance(value, Mapping):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, Mapping) else None
    return None


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    statements = document.get("Statement") or []
    if isinstance(statements, Mapping):
        statements = [statements]
    return [statement for statement in statements if isinstance(statement, Mapping)]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, Mapping)):
        return [value]
    return list(value)


def _is_everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in _as_list(principal.get("AWS"))


def _denies_insecure_transport(statement: Mapping[str, Any]) -> bool:
    if statement.get("Effect") != "Deny" or not _is_everyone(statement.get("Principal")):
        return False
    if not set(_as_list(statement.get("Action"))) & {"s3:*", "*"}:
        return False
    condition = (statement.get("Condition") or {}).get("Bool") or {}
    if str(condition.get("aws:SecureTransport")).lower() != "false":
        return False
    resources = _as_list(statement.get("Resource"))
    return any(_BUCKET_ARN.match(r) for r in resources) and any(_OBJECT_ARN.match(r) for r in resources)


def _known(props: Mapping[str, Any], key: str) -> Any:
    """props[key], or None when it is unknown during a preview."""
    try:
        return props.get(key)
    except UnknownValueError:
        return None


def _refers_to(resource: PolicyResource, prop: str, target: PolicyResource, target_prop: str) -> bool:
    """Whether `resource.<prop>` is `target`, by dependency or by value (`target.<target_prop>` or its id)."""
    if any(dependency.urn == target.urn for dependency in resource.property_dependencies.get(prop, [])):
        return True
    value = _known(resource.props, prop)
    return value is not None and value in (_known(target.props, target_prop), _known(target.props, "id"))


def _bucket_name_of(resource: PolicyResource, buckets: list[PolicyResource]) -> str | None:
    """The name of the bucket `resource.bucket` refers to (by dependency, or its own value), None if unknown."""
    for bucket in buckets:
        if any(dependency.urn == bucket.urn for dependency in resource.property_dependencies.get("bucket", [])):
            return _known(bucket.props, "bucket")
    value = _known(resource.props, "bucket")
    return value if isinstance(value, str) else None


def _app_identity(resource: PolicyResource) -> str:
    """The Heroku app a resource belongs to: its appId, or the URN of the resource that appId comes from."""
    dependencies = resource.property_dependencies.get("appId", [])
    if dependencies:
        return dependencies[0].urn
    return str(_known(resource.props, "appId"))


def _ingress_rules(args: ResourceValidationArgs) -> list[dict[str, Any]]:
    """Ingress rules of a security group or of a standalone rule resource: sources and port range."""
    props = args.props
    if args.resource_type == SECURITY_GROUP:
        rules = props.get("ingress") or []
    elif args.resource_type == SECURITY_GROUP_RULE:
        rules = [props] if props.get("type") == "ingress" else []
    elif args.resource_type == SECURITY_GROUP_INGRESS_RULE:
        rules = [
            {
                "protocol": props.get("ipProtocol"),
                "fromPort": props.get("fromPort"),
                "toPort": props.get("toPort"),
                "cidrBlocks": [props["cidrIpv4"]] if props.get("cidrIpv4") else [],
                "ipv6CidrBlocks": [props["cidrIpv6"]] if props.get("cidrIpv6") else [],
            }
        ]
    else:
        return []
    found = []
    for rule in rules:
        every_port = str(rule.get("protocol")) in ("-1", "all")
        found.append(
            {
                "cidrs": [*(rule.get("cidrBlocks") or []), *(rule.get("ipv6CidrBlocks") or [])],
                "from": None if every_port else rule.get("fromPort"),
                "to": None if every_port else rule.get("toPort"),
            }
        )
    return found


def _covers(rule: Mapping[str, Any], port: int) -> bool:
    if rule["from"] is None or rule["to"] is None:
        return True
    return int(rule["from"]) <= port <= int(rule["to"])


def _refers_to_bucket(resource: PolicyResource, bucket: PolicyResource) -> bool:
    """Whether `resource.bucket` is this bucket, by dependency or by name/id."""
    if any(dependency.urn == bucket.urn for dependency in resource.property_dependencies.get("bucket", [])):
        return True
    target = _known(resource.props, "bucket")
    return target is not None and target in _identities(bucket)


def _identities(bucket: PolicyResource) -> Iterable[str]:
    return [value for value in (_known(bucket.props, "bucket"), _known(bucket.props, "id")) if isinstance(value, str)]


def _resource_policy(name: str, description: str, validate) -> ResourceValidationPolicy:
    return ResourceValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=EnforcementLevel.MANDATORY
    )


def _stack_policy(name: str, description: str, validate) -> StackValidationPolicy:
    return StackValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=EnforcementLevel.MANDATORY
    )


POLICIES = [
    _resource_policy(
        "s3-public-access-fully-blocked", "All four S3 public access blocks are on.", public_access_fully_blocked
    ),
    _resource_policy("s3-acls-disabled", "Buckets use BucketOwnerEnforced ownership and no ACLs.", acls_disabled),
    _resource_policy(
        "s3-default-encryption", "Buckets encrypt by default (AES256, or KMS with a bucket key).", default_encryption
    ),
    _resource_policy("s3-versioning-enabled", "Bucket versioning is Enabled.", versioning_enabled),
    _resource_policy("s3-cors-exact-origins", "CORS allows exact origins only, never '*'.", cors_exact_origins),
    _resource_policy(
        "s3-lifecycle-cleans-up",
        "Lifecycle rules abort incomplete multipart uploads within 7 days and expire noncurrent versions.",
        lifecycle_cleans_up,
    ),
    _resource_policy(
        "s3-tls-only-bucket-policy",
        "Bucket policies deny requests without TLS and allow no one.",
        tls_only_bucket_policy,
    ),
    _stack_policy(
        "s3-bucket-has-safeguards", "Every bucket has all of its safeguard resources.", bucket_has_safeguards
    ),
    _resource_policy(
        "iam-app-user-bucket-scoped",
        "User policies allow object actions on one bucket's objects and ListBucket on that bucket, nothing else.",
        app_user_policy_scoped,
    ),
    _stack_policy(
        "iam-user-policy-targets-stack-bucket",
        "User policies only reach buckets of this stack.",
        user_policy_targets_stack_bucket,
    ),
    _stack_policy(
        "iam-user-policy-uses-bucket-kms-key",
        "A bucket encrypted with a customer-managed KMS key: its users may use that key, and no other.",
        user_policy_uses_bucket_key,
    ),
    _stack_policy(
        "iam-access-keys-for-stack-users",
        "Access keys only for this stack's bucket-scoped users, never PGP-encrypted.",
        access_keys_for_stack_users,
    ),
    _resource_policy(
        "ec2-ingress-private",
        "No ingress from the whole internet; Redis's port only from private addresses.",
        security_group_ingress_private,
    ),
    _resource_policy(
        "elasticache-encrypted-with-auth",
        "Redis on ElastiCache encrypts in transit and at rest and requires a safe auth token.",
        elasticache_encrypted_with_auth,
    ),
    _resource_policy(
        "heroku-secrets-sensitive",
        "Secrets reach Heroku only as sensitive config vars.",
        heroku_secrets_sensitive,
    ),
    _stack_policy(
        "heroku-addons-own-their-config-vars",
        "One Postgres and one Key-Value Store add-on per app, and no config vars writing what they set.",
        heroku_addons_own_their_config_vars,
    ),
]
