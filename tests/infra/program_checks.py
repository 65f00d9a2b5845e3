"""What a run of the infra program must look like, as reusable checks.

Each `check_*` function takes a `ProgramRun` (from `program_harness.run_program`)
and raises AssertionError with a readable message. `SCENARIOS` lists the stack
configurations the tests run; `check_everything(run)` applies every check that
fits the run's configuration, so a generated project's `infra/` can be held to
the same standard as the template's:

    run = run_scenario(project / "infra", "key-value-store+heroku")
    check_everything(run, project / "infra")
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from tests.infra.program_harness import (
    BUCKET,
    BUCKET_POLICY,
    CACHE_SUBNET_GROUP,
    CORS,
    ENCRYPTION,
    HEROKU_ADDON,
    HEROKU_APP,
    HEROKU_CONFIG,
    HEROKU_FEATURE,
    HEROKU_FORMATION,
    IAM_ACCESS_KEY,
    IAM_USER,
    IAM_USER_POLICY,
    LIFECYCLE,
    MOCK_ACCESS_KEY_ID,
    MOCK_ACCOUNT_ID,
    MOCK_HEROKU_APP_UUID,
    MOCK_KMS_KEY_UUID,
    MOCK_SECRET_ACCESS_KEY,
    MOCK_SPACE_REGION,
    MOCK_SPACE_TEAM,
    OWNERSHIP_CONTROLS,
    PUBLIC_ACCESS_BLOCK,
    RANDOM_PASSWORD,
    REPLICATION_GROUP,
    VERSIONING,
    ProgramRun,
    RegisteredResource,
    load_infra_module,
    mock_heroku_web_url,
    run_program,
)

HEROKU_APP_NAME = "demo-app"
CONFIGURED_APP_KEY = "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg="  # a Fernet key
# Older keys the app still accepts, newest first: a Fernet key and a pulumi_random-like one.
CONFIGURED_APP_KEY_FALLBACKS = "Xw3tqu2Kx5kOe0m0gq5Ijq1lXdf8QeY1m3yq0CwJX3E=,q8Zr2VhX0aLmT4yN7cPw1sEb9KfGj3Ud"
PRIVATE_SPACE = "acme-space"
PRIVATE_SPACE_CIDR = "10.0.0.0/16"
CONFIGURED_SUBNETS = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
CONFIGURED_SECURITY_GROUPS = ["sg-0123456789abcdef0"]
CONFIGURED_VPC = "vpc-0123456789abcdef0"

# The template's own defaults for the keys a generated project sets from its answers
# (hooks/post_gen_project.py), so every scenario means the same in any copy of the program.
BASELINE: dict = {
    "aws:region": "us-east-1",
    "redisProvider": "heroku-key-value-store",
    "herokuApp": "",
    "manageHerokuApp": False,
    "herokuPostgresPlan": "",
    "bucketName": "",
}

SCENARIOS: dict[str, dict] = {
    "key-value-store+heroku": {"herokuApp": HEROKU_APP_NAME},
    "key-value-store+custom-plan": {"herokuApp": HEROKU_APP_NAME, "keyValueStorePlan": "heroku-redis:premium-0"},
    "elasticache+heroku": {
        "herokuApp": HEROKU_APP_NAME,
        "redisProvider": "aws-elasticache",
        "elasticacheAllowedCidrs": [PRIVATE_SPACE_CIDR],
    },
    "elasticache-only": {"redisProvider": "aws-elasticache"},
    "elasticache+configured-network": {
        "redisProvider": "aws-elasticache",
        "elasticacheSubnetIds": CONFIGURED_SUBNETS,
        "elasticacheSecurityGroupIds": CONFIGURED_SECURITY_GROUPS,
        "elasticacheNumCacheClusters": 2,
        "elasticacheNodeType": "cache.t4g.small",
    },
    "elasticache+configured-vpc": {
        "redisProvider": "aws-elasticache",
        "elasticacheVpcId": CONFIGURED_VPC,
        "elasticacheAllowedCidrs": ["10.1.0.0/16"],
    },
    "managed-app+postgres": {
        "herokuApp": HEROKU_APP_NAME,
        "manageHerokuApp": True,
        "herokuRegion": "eu",
        "herokuPostgresPlan": "heroku-postgresql:essential-0",
    },
    "managed-app-in-space+elasticache": {
        "herokuApp": HEROKU_APP_NAME,
        "manageHerokuApp": True,
        "herokuSpace": PRIVATE_SPACE,
        "herokuPostgresPlan": "heroku-postgresql:standard-0",
        "redisProvider": "aws-elasticache",
        "elasticacheVpcId": CONFIGURED_VPC,
        "elasticacheAllowedCidrs": [PRIVATE_SPACE_CIDR],
        "webDynoSize": "private-m",
        "webDynoQuantity": 3,
        "webConcurrency": 5,
    },
    "existing-app+managed-addons": {
        "herokuApp": HEROKU_APP_NAME,
        "manageHerokuAddons": True,
        "herokuPostgresPlan": "heroku-postgresql:essential-1",
    },
    "throwaway": {"herokuApp": HEROKU_APP_NAME, "retainBucketOnDelete": False, "retainDatabaseOnDelete": False},
    "kms+named-bucket+origins": {
        "herokuApp": HEROKU_APP_NAME,
        "bucketEncryption": "aws:kms",
        "kmsKeyId": "alias/uploads",
        "bucketName": "my-company-uploads",
        "corsOrigins": ["https://www.example.com", "https://example.com"],
        "noncurrentVersionExpirationDays": 90,
        "aws:region": "eu-west-1",
    },
    "configured-app-key": {
        "herokuApp": HEROKU_APP_NAME,
        "appKey": CONFIGURED_APP_KEY,
        "appKeyFallbacks": CONFIGURED_APP_KEY_FALLBACKS,
    },
}
SCENARIOS = {name: {**BASELINE, **config} for name, config in SCENARIOS.items()}
SECRET_CONFIG_KEYS = {"configured-app-key": ("appKey", "appKeyFallbacks")}
HEROKU_APPS: dict[str, dict | None] = {
    # What Heroku holds when the scenario runs (None: the app exists on the Common Runtime, with a build).
    "elasticache+heroku": {HEROKU_APP_NAME: {"space": PRIVATE_SPACE}},
    "managed-app+postgres": {HEROKU_APP_NAME: {"region": "eu"}},
    "managed-app-in-space+elasticache": {HEROKU_APP_NAME: {"space": PRIVATE_SPACE, "region": MOCK_SPACE_REGION}},
}


def run_scenarios(infra_dir: Path | str) -> dict[str, ProgramRun]:
    """Every scenario, run in parallel child processes (each run is a separate Python process anyway)."""
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        futures = {name: pool.submit(run_scenario, infra_dir, name) for name in SCENARIOS}
        return {name: future.result() for name, future in futures.items()}


def run_scenario(infra_dir: Path | str, name: str) -> ProgramRun:
    """One scenario of `SCENARIOS`, with its secret keys and what Heroku holds for it."""
    return run_program(
        infra_dir, SCENARIOS[name], secret_keys=SECRET_CONFIG_KEYS.get(name, ()), heroku_apps=HEROKU_APPS.get(name)
    )


# --- helpers ----------------------------------------------------------------


def setting(run: ProgramRun, key: str) -> str:
    """The raw config value the run was given (after Pulumi.yaml defaults)."""
    full_key = key if ":" in key else f"{run.project}:{key}"
    return run.config.get(full_key, "")


def heroku_app_name(run: ProgramRun) -> str:
    return setting(run, "herokuApp")


def uses_elasticache(run: ProgramRun) -> bool:
    return setting(run, "redisProvider") == "aws-elasticache"


def manages_app(run: ProgramRun) -> bool:
    return setting(run, "manageHerokuApp") == "true"


def manages_addons(run: ProgramRun) -> bool:
    return manages_app(run) or setting(run, "manageHerokuAddons") == "true"


def app_has_build(run: ProgramRun) -> bool:
    """Whether Heroku held a build of the app when the run looked it up."""
    if run.heroku_apps is None:
        return True
    known = run.heroku_apps.get(heroku_app_name(run))
    return known is not None and known.get("has_build", True)


def kms_key_arn(run: ProgramRun) -> str | None:
    """The ARN the mocked KMS resolves kmsKeyId to (any form: id, alias or ARN)."""
    configured = setting(run, "kmsKeyId")
    if setting(run, "bucketEncryption") != "aws:kms" or not configured:
        return None
    if ":key/" in configured:
        return configured
    region = setting(run, "aws:region") or "us-east-1"
    return f"arn:aws:kms:{region}:{MOCK_ACCOUNT_ID}:key/{MOCK_KMS_KEY_UUID}"


def expected_web_concurrency(run: ProgramRun) -> str:
    configured = int(setting(run, "webConcurrency") or 0)
    by_size = {"standard-1x": 2, "standard-2x": 4, "performance-m": 5, "performance-l": 17, "eco": 2, "basic": 2}
    return str(configured or by_size[setting(run, "webDynoSize") or "standard-1x"])


def bucket(run: ProgramRun) -> RegisteredResource:
    return run.one(BUCKET)


def bucket_name(run: ProgramRun) -> str:
    return bucket(run).inputs["bucket"]


def attached_to_bucket(run: ProgramRun, type_: str) -> RegisteredResource:
    resource = run.one(type_)
    assert resource.inputs.get("bucket") == bucket_name(run), f"{resource.name} is not attached to the uploads bucket"
    return resource


def config_vars(run: ProgramRun) -> tuple[dict, dict, RegisteredResource]:
    association = run.one(HEROKU_CONFIG)
    return association.inputs.get("vars") or {}, association.inputs.get("sensitiveVars") or {}, association


def app_key_password(run: ProgramRun) -> RegisteredResource:
    """The RandomPassword whose result became APP_KEY."""
    _, sensitive, _ = config_vars(run)
    matches = [r for r in run.of_type(RANDOM_PASSWORD) if r.state.get("result") == sensitive.get("APP_KEY")]
    assert len(matches) == 1, "APP_KEY does not come from exactly one pulumi_random RandomPassword"
    return matches[0]


def policy_document(resource: RegisteredResource) -> dict:
    return json.loads(resource.inputs["policy"])


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


# --- bucket -----------------------------------------------------------------


def check_bucket_name(run: ProgramRun, s3_bucket_name_problem) -> None:
    """Named after the project and stack plus a random suffix, unless configured."""
    name = bucket_name(run)
    assert s3_bucket_name_problem(name) is None, f"{name!r}: {s3_bucket_name_problem(name)}"
    configured = setting(run, "bucketName")
    if configured:
        assert name == configured
    else:
        expected_prefix = re.sub(r"[^a-z0-9]+", "-", f"{run.project}-{run.stack}".lower())[:40].strip("-") + "-"
        assert name.startswith(expected_prefix), f"{name!r} does not start with {expected_prefix!r}"
        suffix = name.removeprefix(expected_prefix)
        assert len(suffix) == 8 and all(c in "0123456789abcdef" for c in suffix), f"random suffix {suffix!r}"


def check_public_access_fully_blocked(run: ProgramRun) -> None:
    block = attached_to_bucket(run, PUBLIC_ACCESS_BLOCK)
    for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"):
        assert block.inputs.get(flag) is True, f"{flag} is {block.inputs.get(flag)!r}"


def check_acls_disabled(run: ProgramRun) -> None:
    controls = attached_to_bucket(run, OWNERSHIP_CONTROLS)
    assert controls.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    assert "acl" not in bucket(run).inputs


def check_encryption(run: ProgramRun) -> None:
    """SSE-S3, or SSE-KMS with a bucket key (which means nothing with SSE-S3) and the key by its ARN."""
    (rule,) = attached_to_bucket(run, ENCRYPTION).inputs["rules"]
    default = rule["applyServerSideEncryptionByDefault"]
    expected = setting(run, "bucketEncryption") or "AES256"
    assert default["sseAlgorithm"] == expected
    if expected == "aws:kms":
        assert rule["bucketKeyEnabled"] is True
        assert default.get("kmsMasterKeyId") == kms_key_arn(run)
    else:
        assert not rule.get("bucketKeyEnabled"), "bucket_key_enabled does nothing with AES256"
        assert "kmsMasterKeyId" not in default


def check_versioning(run: ProgramRun) -> None:
    assert attached_to_bucket(run, VERSIONING).inputs["versioningConfiguration"]["status"] == "Enabled"


def check_lifecycle(run: ProgramRun) -> None:
    rules = attached_to_bucket(run, LIFECYCLE).inputs["rules"]
    enabled = [rule for rule in rules if rule["status"] == "Enabled"]
    abort = [
        r["abortIncompleteMultipartUpload"]["daysAfterInitiation"]
        for r in enabled
        if "abortIncompleteMultipartUpload" in r
    ]
    assert abort and all(0 < days <= 7 for days in abort), f"abort incomplete multipart uploads: {abort}"
    noncurrent = [
        r["noncurrentVersionExpiration"]["noncurrentDays"] for r in enabled if "noncurrentVersionExpiration" in r
    ]
    assert noncurrent == [int(setting(run, "noncurrentVersionExpirationDays") or 30)]
    for rule in enabled:
        assert rule.get("filter") == {} and "prefix" not in rule, f"rule {rule['id']} must cover every object"


def check_tls_only_policy(run: ProgramRun) -> None:
    document = policy_document(attached_to_bucket(run, BUCKET_POLICY))
    arn = f"arn:aws:s3:::{bucket_name(run)}"
    denies = [
        s
        for s in document["Statement"]
        if s["Effect"] == "Deny"
        and s["Principal"] == "*"
        and "s3:*" in _as_list(s["Action"])
        and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        and set(_as_list(s["Resource"])) == {arn, f"{arn}/*"}
    ]
    assert denies, f"no statement denies requests without TLS: {document}"
    assert not [s for s in document["Statement"] if s["Effect"] == "Allow"], "the bucket policy must not allow anything"


def check_cors(run: ProgramRun) -> None:
    """CORS for the app's exact origins only, never '*'."""
    cors = run.of_type(CORS)
    configured = json.loads(setting(run, "corsOrigins") or "[]")
    if configured:
        expected = configured
    elif heroku_app_name(run):
        expected = [mock_heroku_web_url(heroku_app_name(run)).rstrip("/")]
    else:
        assert not cors, "without herokuApp or corsOrigins there is no origin to allow"
        assert any("corsOrigins" in warning for warning in run.warnings())
        return
    (rule,) = attached_to_bucket(run, CORS).inputs["corsRules"]
    assert rule["allowedOrigins"] == expected
    assert not [origin for origin in rule["allowedOrigins"] if "*" in origin]
    assert set(rule["allowedMethods"]) <= {"GET", "POST", "PUT", "HEAD"}
    assert 0 < rule["maxAgeSeconds"] <= 3600


def check_bucket_kept_on_destroy(run: ProgramRun) -> None:
    """retainBucketOnDelete (default true) keeps the bucket and all its safeguards on `pulumi destroy`."""
    retain = setting(run, "retainBucketOnDelete") != "false"
    safeguards = [bucket(run)] + [
        r for r in run.resources if r.type.startswith("aws:s3/") and r.inputs.get("bucket") == bucket_name(run)
    ]
    for resource in safeguards:
        kept = resource.retain_on_delete or resource.protect
        assert kept == retain, (
            f"{resource.name}: retain_on_delete={resource.retain_on_delete}, protect={resource.protect}"
        )
    assert bucket(run).inputs["forceDestroy"] is (not retain)
    # A replacement reuses the name only once the old bucket is gone; a kept one is never gone.
    assert bucket(run).delete_before_replace is (not retain)


# --- IAM --------------------------------------------------------------------


def check_iam_scoped_to_bucket(run: ProgramRun, app_user_policy_document) -> None:
    """One user, one key, one inline policy: object actions on BUCKET/* and ListBucket on BUCKET.

    With a customer-managed KMS key, also the use of that key (by its ARN) through S3.
    The user is autonamed (no fixed name), so that a replacement can create the new one first.
    """
    user, policy, key = run.one(IAM_USER), run.one(IAM_USER_POLICY), run.one(IAM_ACCESS_KEY)
    iam_types = {r.type for r in run.custom_resources() if r.type.startswith("aws:iam/")}
    assert iam_types == {IAM_USER, IAM_USER_POLICY, IAM_ACCESS_KEY}, f"unexpected IAM resources: {iam_types}"
    assert "name" not in user.inputs, "a fixed IAM user name blocks replacement ('name taken')"
    assert user.inputs["path"].strip("/") and user.inputs["path"].startswith("/") and user.inputs["path"].endswith("/")
    assert policy.inputs["user"] == user.state["name"] and key.inputs["user"] == user.state["name"]
    document = policy_document(policy)
    assert document == app_user_policy_document(bucket_name(run), kms_key_arn(run))
    arn = f"arn:aws:s3:::{bucket_name(run)}"
    for statement in document["Statement"]:
        assert statement["Effect"] == "Allow"
        actions, resources = set(_as_list(statement["Action"])), _as_list(statement["Resource"])
        assert not [a for a in actions if "*" in a], f"wildcard action in {statement}"
        if actions == {"s3:ListBucket"}:
            assert resources == [arn]
        elif all(action.startswith("kms:") for action in actions):
            assert actions == {"kms:GenerateDataKey", "kms:Decrypt"} and resources == [kms_key_arn(run)]
            assert statement["Condition"] == {
                "StringEquals": {"kms:ViaService": f"s3.{resources[0].split(':')[3]}.amazonaws.com"}
            }
        else:
            assert resources == [f"{arn}/*"], f"object actions on {resources}"
            assert actions <= {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"}


# --- secrets and outputs -----------------------------------------------------


def check_outputs(run: ProgramRun) -> None:
    outputs = run.outputs
    name = bucket_name(run)
    assert outputs["bucketName"].value == name
    assert outputs["bucketArn"].value == f"arn:aws:s3:::{name}"
    assert outputs["region"].value == (setting(run, "aws:region") or "us-east-1")
    assert outputs["iamUserArn"].value == run.one(IAM_USER).state["arn"]
    assert outputs["accessKeyId"].value == MOCK_ACCESS_KEY_ID
    assert outputs["secretAccessKey"].value == MOCK_SECRET_ACCESS_KEY
    if uses_elasticache(run):
        assert outputs["redisUrl"].value.startswith("rediss://")
    else:
        assert "redisUrl" not in outputs
    if heroku_app_name(run):
        assert outputs["herokuGitUrl"].value == f"https://git.heroku.com/{heroku_app_name(run)}.git"
    else:
        assert "herokuGitUrl" not in outputs


def check_secrets_marked_secret(run: ProgramRun) -> None:
    """Secret values are secret wherever they appear, and never leak into plain outputs or inputs."""
    assert run.outputs["secretAccessKey"].secret
    if "redisUrl" in run.outputs:
        assert run.outputs["redisUrl"].secret
    secrets = {MOCK_SECRET_ACCESS_KEY}
    if heroku_app_name(run):
        _, sensitive, association = config_vars(run)
        assert "sensitiveVars" in association.secret_inputs
        secrets |= set(sensitive.values())
    for group in run.of_type(REPLICATION_GROUP):
        assert "authToken" in group.secret_inputs
        secrets.add(group.inputs["authToken"])
    for name, output in run.outputs.items():
        if not output.secret:
            assert not _mentions(output.value, secrets), f"output {name} shows a secret in plain text"
    for resource in run.resources:
        plain = {key: value for key, value in resource.inputs.items() if key not in resource.secret_inputs}
        assert not _mentions(plain, secrets), f"{resource.name} takes a secret as a plain input"


def _mentions(value, secrets: Iterable[str]) -> bool:
    text = json.dumps(value)
    return any(secret and secret in text for secret in secrets)


# --- Heroku -----------------------------------------------------------------


def check_heroku_config_vars(run: ProgramRun) -> None:
    """The app's env vars are all there, secrets sensitive, addressed by the app's UUID."""
    if not heroku_app_name(run):
        assert not run.of_type(HEROKU_CONFIG) and not run.of_type(HEROKU_ADDON) and not run.of_type(HEROKU_APP)
        assert not [i for i in run.invokes if i.token.startswith("heroku:")]
        return
    plain, sensitive, association = config_vars(run)
    assert association.inputs["appId"] == MOCK_HEROKU_APP_UUID, "app_id must be the app's UUID, not its name"
    assert plain == {
        "S3_BUCKET": bucket_name(run),
        "AWS_REGION": setting(run, "aws:region") or "us-east-1",
        "AWS_ACCESS_KEY_ID": MOCK_ACCESS_KEY_ID,
        **({"WEB_CONCURRENCY": expected_web_concurrency(run)} if manages_app(run) else {}),
        # The Key-Value Store's certificate is self-signed: the app verifies every other Redis.
        **({} if uses_elasticache(run) else {"REDIS_TLS_VERIFY": "false"}),
    }
    writes_redis_url = uses_elasticache(run) and setting(run, "elasticacheSetsRedisUrl") != "false"
    expected_sensitive = {"AWS_SECRET_ACCESS_KEY", "APP_KEY"}
    expected_sensitive |= {"REDIS_URL"} if writes_redis_url else set()
    expected_sensitive |= {"APP_KEY_FALLBACKS"} if setting(run, "appKeyFallbacks") else set()
    assert set(sensitive) == expected_sensitive
    assert sensitive["AWS_SECRET_ACCESS_KEY"] == MOCK_SECRET_ACCESS_KEY
    if setting(run, "appKeyFallbacks"):
        assert sensitive["APP_KEY_FALLBACKS"] == setting(run, "appKeyFallbacks")
    if setting(run, "appKey"):
        assert sensitive["APP_KEY"] == setting(run, "appKey")
        assert not run.of_type(RANDOM_PASSWORD) or all(
            r.state.get("result") != sensitive["APP_KEY"] for r in run.of_type(RANDOM_PASSWORD)
        )
    else:
        assert app_key_password(run).inputs["special"] is False


def check_heroku_app(run: ProgramRun) -> None:
    """Looked up by name by default; created (and kept on destroy) with manageHerokuApp."""
    if not heroku_app_name(run):
        return
    lookups = [i for i in run.invokes if i.token == "heroku:app/getApp:getApp"]
    # One lookup either way: whether an existing app can reach Redis, whether a managed one has a build yet.
    assert [i.args for i in lookups] == [{"name": heroku_app_name(run)}]
    if manages_app(run):
        app = run.one(HEROKU_APP)
        assert app.inputs["name"] == heroku_app_name(run)
        if setting(run, "herokuSpace"):
            # In a Private Space: the space's region and team, as Heroku looked them up.
            assert app.inputs["space"] == setting(run, "herokuSpace")
            assert app.inputs["region"] == MOCK_SPACE_REGION
            assert app.inputs["organization"] == {"name": MOCK_SPACE_TEAM}
        else:
            assert app.inputs["region"] == (setting(run, "herokuRegion") or "us")
            assert "space" not in app.inputs and "organization" not in app.inputs
        assert app.retain_on_delete == (setting(run, "retainDatabaseOnDelete") != "false")
        # Heroku cannot move an app: a replacement could neither take its name nor keep its database.
        assert set(app.ignore_changes) == {"region", "space", "organization"}
    else:
        assert not run.of_type(HEROKU_APP)
    postgres = [a for a in run.of_type(HEROKU_ADDON) if a.inputs["plan"].startswith("heroku-postgresql:")]
    if setting(run, "herokuPostgresPlan") and manages_addons(run):
        (addon,) = postgres
        assert addon.inputs["plan"] == setting(run, "herokuPostgresPlan")
        assert addon.inputs["appId"] == MOCK_HEROKU_APP_UUID
        assert addon.retain_on_delete == (setting(run, "retainDatabaseOnDelete") != "false")
    else:
        assert not postgres


# --- Redis ------------------------------------------------------------------


def check_redis(run: ProgramRun) -> None:
    redis_addons = [a for a in run.of_type(HEROKU_ADDON) if a.inputs["plan"].startswith("heroku-redis:")]
    if not uses_elasticache(run):
        assert not run.of_type(REPLICATION_GROUP)
        if not manages_addons(run):
            assert not redis_addons, "no add-on on an app whose add-ons the stack does not manage"
            return
        (addon,) = redis_addons
        assert addon.inputs["plan"] == (setting(run, "keyValueStorePlan") or "heroku-redis:mini")
        assert addon.inputs["appId"] == MOCK_HEROKU_APP_UUID
        # Created only once the config vars no longer hold a REDIS_URL (a switch from ElastiCache).
        assert config_vars(run)[2].urn in addon.depends_on
        return
    assert not redis_addons
    group = run.one(REPLICATION_GROUP)
    assert group.inputs["transitEncryptionEnabled"] is True
    assert group.inputs["atRestEncryptionEnabled"] is True
    assert group.inputs.get("transitEncryptionMode") in (None, "required")
    token = group.inputs["authToken"]
    assert "authToken" in group.secret_inputs
    (token_source,) = [r for r in run.of_type(RANDOM_PASSWORD) if r.state.get("result") == token]
    assert token_source.inputs["special"] is False or set(token_source.inputs.get("overrideSpecial", "")) <= set(
        "!&#$^<>-"
    )
    assert 16 <= token_source.inputs["length"] <= 128
    assert not set(token) & set('@/" ')
    expected_url = f"rediss://:{quote(token, safe='')}@{group.state['primaryEndpointAddress']}:6379"
    assert run.outputs["redisUrl"].value == expected_url
    if heroku_app_name(run) and setting(run, "elasticacheSetsRedisUrl") != "false":
        assert config_vars(run)[1]["REDIS_URL"] == expected_url
    nodes = int(setting(run, "elasticacheNumCacheClusters") or 1)
    assert group.inputs["numCacheClusters"] == nodes
    assert group.inputs["automaticFailoverEnabled"] is (nodes > 1)
    assert group.inputs["nodeType"] == (setting(run, "elasticacheNodeType") or "cache.t4g.micro")
    subnet_group = run.one(CACHE_SUBNET_GROUP)
    assert group.inputs["subnetGroupName"] == subnet_group.state["name"]


def check_web_process(run: ProgramRun) -> None:
    """Preboot and the web formation on a managed app (formation once it has a build); nothing on another app."""
    features, formations = run.of_type(HEROKU_FEATURE), run.of_type(HEROKU_FORMATION)
    if not heroku_app_name(run) or not manages_app(run):
        assert not features and not formations, "the stack only scales and configures apps it manages"
        return
    preboot = setting(run, "herokuPreboot") != "false" and not setting(run, "herokuSpace")
    assert [(f.inputs["name"], f.inputs["enabled"], f.inputs["appId"]) for f in features] == (
        [("preboot", True, MOCK_HEROKU_APP_UUID)] if preboot else []
    )
    if not app_has_build(run):
        assert not formations and any("git push" in message for _, message in run.logs)
        return
    (formation,) = formations
    assert formation.inputs == {
        "appId": MOCK_HEROKU_APP_UUID,
        "type": "web",
        "quantity": int(setting(run, "webDynoQuantity") or 2),
        "size": setting(run, "webDynoSize") or "standard-1x",
    }


CHECKS_WITHOUT_ARGUMENTS = (
    check_public_access_fully_blocked,
    check_acls_disabled,
    check_encryption,
    check_versioning,
    check_lifecycle,
    check_tls_only_policy,
    check_cors,
    check_bucket_kept_on_destroy,
    check_outputs,
    check_secrets_marked_secret,
    check_heroku_config_vars,
    check_heroku_app,
    check_redis,
    check_web_process,
)


def check_everything(run: ProgramRun, infra_dir: Path | str) -> None:
    """Every check above, for a run of the program in `infra_dir`."""
    run.raise_error()
    check_bucket_name(run, load_infra_module(infra_dir, "config").s3_bucket_name_problem)
    check_iam_scoped_to_bucket(run, load_infra_module(infra_dir, "access_policies").app_user_policy_document)
    for check in CHECKS_WITHOUT_ARGUMENTS:
        check(run)
