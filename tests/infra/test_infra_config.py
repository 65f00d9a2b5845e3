"""Stack configuration: bad values fail early with messages that name the key, the value and what is allowed."""

from __future__ import annotations

import json

import pulumi
import pytest

from tests.infra.program_harness import DEFAULT_INFRA_DIR, project_config_schema, project_name

VALID = {"herokuApp": "demo-app"}


def load(infra_config, infra_dir, **overrides):
    """`load_settings` fed like Pulumi would: Pulumi.yaml defaults, then `overrides`, as strings."""
    values = {}
    for key, declared in project_config_schema(infra_dir).items():
        if ":" not in key and "default" in declared:
            values[key] = _encode(declared["default"])
    values.update({key: _encode(value) for key, value in {**VALID, **overrides}.items() if value is not None})
    for key, value in overrides.items():
        if value is None:
            values.pop(key, None)
    return infra_config.load_settings(values.get, project_name(infra_dir), "dev")


def _encode(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def error_of(infra_config, infra_dir, **overrides) -> str:
    with pytest.raises(infra_config.ConfigError) as raised:
        load(infra_config, infra_dir, **overrides)
    return str(raised.value)


def test_defaults_are_valid_and_safe(infra_config):
    """The template's own defaults (a generated copy's follow its answers: tests/infra/test_infra_generated_copy.py)."""
    settings = load(infra_config, DEFAULT_INFRA_DIR)
    assert settings.redis_provider == "heroku-key-value-store"
    assert settings.key_value_store_plan == "heroku-redis:mini"
    assert settings.storage.retain_on_delete is True
    assert settings.storage.encryption == "AES256"
    assert settings.storage.bucket_name is None
    assert settings.storage.cors_origins == ()
    assert settings.heroku.app_name == "demo-app" and settings.heroku.manage_app is False
    assert settings.heroku.retain_database_on_delete is True
    assert settings.app_key is None and settings.app_key_fallbacks == ()
    assert settings.elasticache is None and settings.elasticache_sets_redis_url is True
    assert settings.heroku.manage_addons is False, "no add-on on an app the stack does not manage"
    assert settings.heroku.preboot is True and settings.heroku.space is None
    assert settings.heroku.web == infra_config.WebFormation(quantity=2, size="standard-1x", concurrency=2)


def test_config_errors_are_clean_pulumi_run_errors(infra_config):
    """A RunError makes the CLI print the message without a Python traceback."""
    assert issubclass(infra_config.ConfigError, pulumi.RunError)


@pytest.mark.parametrize(
    ("overrides", "fragments"),
    [
        ({"redisProvider": "memcached"}, ["redisProvider", "'memcached'", "heroku-key-value-store, aws-elasticache"]),
        (
            {"herokuApp": None},
            [
                "herokuApp is not set",
                "pulumi config set herokuApp <your-heroku-app-name>",
                "redisProvider aws-elasticache",
            ],
        ),
        ({"herokuApp": ""}, ["herokuApp is not set", "pulumi config set herokuApp"]),
        ({"herokuApp": "Demo_App"}, ["herokuApp", "'Demo_App'", "lowercase letters, digits and dashes"]),
        ({"retainBucketOnDelete": "maybe"}, ["retainBucketOnDelete", "'maybe'", "allowed values: true, false"]),
        ({"manageHerokuApp": "yes"}, ["manageHerokuApp", "'yes'", "true, false"]),
        ({"retainDatabaseOnDelete": "1"}, ["retainDatabaseOnDelete", "'1'", "true, false"]),
        ({"herokuRegion": "asia"}, ["herokuRegion", "'asia'", "us, eu"]),
        ({"bucketEncryption": "DES"}, ["bucketEncryption", "'DES'", "AES256, aws:kms"]),
        ({"kmsKeyId": "alias/x"}, ["kmsKeyId", "bucketEncryption aws:kms"]),
        ({"bucketName": "My_Bucket"}, ["bucketName", "'My_Bucket'", "lowercase letters"]),
        ({"bucketName": "ab"}, ["bucketName", "'ab'", "3-63 characters"]),
        ({"bucketName": "192.168.10.20"}, ["bucketName", "IP address"]),
        ({"bucketName": "xn--uploads"}, ["bucketName", "reserves"]),
        ({"corsOrigins": ["*"]}, ["corsOrigins", "'*'", "wildcards are not allowed"]),
        ({"corsOrigins": ["https://*.example.com"]}, ["corsOrigins", "'https://*.example.com'", "wildcards"]),
        ({"corsOrigins": ["https://example.com/"]}, ["corsOrigins", "without a path or a trailing slash"]),
        ({"corsOrigins": ["http://example.com"]}, ["corsOrigins", "must use https"]),
        ({"corsOrigins": ["example.com"]}, ["corsOrigins", "https://www.example.com"]),
        (
            {"corsOrigins": "*"},
            ["corsOrigins", "'*'", "not a list of strings", "pulumi config set --path 'corsOrigins[0]'"],
        ),
        ({"noncurrentVersionExpirationDays": "0"}, ["noncurrentVersionExpirationDays", "'0'", "from 1 to 3650"]),
        ({"noncurrentVersionExpirationDays": "soon"}, ["noncurrentVersionExpirationDays", "'soon'", "whole numbers"]),
        (
            {"keyValueStorePlan": "memcachier:dev"},
            ["keyValueStorePlan", "'memcachier:dev'", "start with 'heroku-redis:'"],
        ),
        ({"herokuPostgresPlan": "mysql:tiny"}, ["herokuPostgresPlan", "'mysql:tiny'", "heroku-postgresql:essential-0"]),
        ({"bucketEncryption": "aws:kms", "kmsKeyId": "my-key"}, ["kmsKeyId 'my-key'", "alias/<name>"]),
        ({"herokuSpace": "acme-space"}, ["herokuSpace only applies to an app this stack creates"]),
        ({"manageHerokuApp": True, "herokuSpace": "Acme Space"}, ["herokuSpace 'Acme Space'"]),
        ({"manageHerokuAddons": "sometimes"}, ["manageHerokuAddons 'sometimes'", "true, false"]),
        ({"herokuPreboot": "on"}, ["herokuPreboot 'on'", "true, false"]),
        ({"webConcurrency": "65"}, ["webConcurrency '65'", "from 0 to 64"]),
        ({"elasticacheSetsRedisUrl": False}, ["elasticacheSetsRedisUrl false is only for step 1", "pulumi config rm"]),
        (
            {"herokuApp": None, "redisProvider": "aws-elasticache", "manageHerokuAddons": True},
            ["manageHerokuAddons needs a Heroku app"],
        ),
        (
            {"herokuApp": None, "redisProvider": "aws-elasticache", "manageHerokuApp": True},
            ["manageHerokuApp needs a Heroku app"],
        ),
        (
            {
                "herokuApp": None,
                "redisProvider": "aws-elasticache",
                "herokuPostgresPlan": "heroku-postgresql:essential-0",
            },
            ["herokuPostgresPlan needs a Heroku app"],
        ),
    ],
)
def test_bad_values_are_named_with_the_allowed_ones(infra_config, infra_dir, overrides, fragments):
    message = error_of(infra_config, infra_dir, **overrides)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from:\n{message}"


@pytest.mark.parametrize(
    ("overrides", "fragments"),
    [
        ({"elasticacheNodeType": "t3.micro"}, ["elasticacheNodeType", "'t3.micro'", "start with 'cache.'"]),
        ({"elasticacheNumCacheClusters": "7"}, ["elasticacheNumCacheClusters", "'7'", "from 1 to 6"]),
        ({"elasticacheEngineVersion": "latest"}, ["elasticacheEngineVersion", "'latest'"]),
        ({"elasticacheVpcId": "my-vpc"}, ["elasticacheVpcId", "'my-vpc'", "vpc-0123456789abcdef0"]),
        ({"elasticacheSubnetIds": ["subnet-1"]}, ["elasticacheSubnetIds", "'subnet-1'", "subnet-0123456789abcdef0"]),
        ({"elasticacheSecurityGroupIds": ["default"]}, ["elasticacheSecurityGroupIds", "'default'"]),
        (
            {"elasticacheSubnetIds": ["subnet-0123456789abcdef0"]},
            ["elasticacheVpcId", "pulumi config set elasticacheVpcId"],
        ),
        ({"elasticacheAllowedCidrs": ["0.0.0.0/0"]}, ["elasticacheAllowedCidrs", "'0.0.0.0/0'", "every address"]),
        ({"elasticacheAllowedCidrs": ["banana"]}, ["elasticacheAllowedCidrs", "'banana'", "CIDR block"]),
        ({"elasticacheAllowedCidrs": ["8.8.8.0/24"]}, ["elasticacheAllowedCidrs", "'8.8.8.0/24'", "public range"]),
        ({}, ["needs elasticacheAllowedCidrs", "pulumi config set --path 'elasticacheAllowedCidrs[0]'"]),
        (
            {"manageHerokuApp": True, "elasticacheAllowedCidrs": ["10.0.0.0/16"]},
            ["needs herokuSpace", "pulumi config set herokuSpace"],
        ),
    ],
)
def test_bad_elasticache_values(infra_config, infra_dir, overrides, fragments):
    message = error_of(infra_config, infra_dir, redisProvider="aws-elasticache", **overrides)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from:\n{message}"


def test_every_problem_is_reported_at_once(infra_config, infra_dir):
    message = error_of(infra_config, infra_dir, redisProvider="valkey", bucketEncryption="none", corsOrigins=["*"])
    assert "redisProvider" in message and "bucketEncryption" in message and "corsOrigins" in message


def test_a_weak_app_key_is_refused_without_echoing_it(infra_config, infra_dir):
    message = error_of(infra_config, infra_dir, appKey="changeme")
    assert "appKey" in message and "32 characters" in message
    assert "changeme" not in message
    message = error_of(infra_config, infra_dir, appKey="ab" * 20)
    assert "distinct characters" in message and "abab" not in message


def test_good_values_are_accepted(infra_config, infra_dir):
    settings = load(
        infra_config,
        infra_dir,
        redisProvider="aws-elasticache",
        manageHerokuApp=True,
        herokuRegion="eu",
        herokuSpace="acme-space",
        herokuPostgresPlan="heroku-postgresql:essential-0",
        webDynoSize="Private-M",
        webConcurrency=5,
        bucketName="my.uploads-bucket",
        bucketEncryption="aws:kms",
        kmsKeyId="arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        corsOrigins=["https://www.example.com", "http://localhost:8000", "https://www.example.com"],
        retainBucketOnDelete=False,
        noncurrentVersionExpirationDays=7,
        elasticacheVpcId="vpc-0123456789abcdef0",
        elasticacheSubnetIds=["subnet-0123456789abcdef0"],
        elasticacheAllowedCidrs=["10.0.0.0/16"],
        elasticacheNumCacheClusters=3,
        appKey="0123456789abcdef" * 4,
    )
    assert settings.storage.cors_origins == ("https://www.example.com", "http://localhost:8000")
    assert settings.storage.retain_on_delete is False
    assert settings.elasticache.num_cache_clusters == 3
    assert settings.elasticache.subnet_ids == ("subnet-0123456789abcdef0",)
    assert settings.heroku.region == "eu"
    assert settings.heroku.space == "acme-space" and settings.heroku.preboot is False, "Private Spaces roll instead"
    assert settings.heroku.web == infra_config.WebFormation(quantity=2, size="private-m", concurrency=5)


def test_every_key_the_program_reads_is_declared_in_pulumi_yaml(infra_config, infra_dir):
    """And every declared project key is read: Pulumi.yaml and config.py describe the same settings."""
    declared = {key for key in project_config_schema(infra_dir) if ":" not in key}
    read: set[str] = set()
    values = {
        "herokuApp": "demo-app",
        "redisProvider": "aws-elasticache",
        "elasticacheAllowedCidrs": '["10.0.0.0/16"]',
        "bucketEncryption": "aws:kms",
    }

    def recording_get(key):
        read.add(key)
        return values.get(key)

    infra_config.load_settings(recording_get, project_name(infra_dir), "dev")
    assert read == declared


def test_every_declared_key_has_a_type_a_default_and_a_description(infra_dir):
    for key, declared in project_config_schema(infra_dir).items():
        if ":" in key:  # provider keys take only a value
            assert set(declared) == {"value"}, key
            continue
        assert {"type", "default", "description"} <= set(declared), key
        assert declared["type"] in ("string", "boolean", "integer", "array"), key
        if declared["type"] == "array":
            assert declared["items"] == {"type": "string"}, key
        assert declared["description"].strip(), key
        assert "secret" not in declared, f"{key}: a secret key may not have a plain default"


@pytest.mark.parametrize("version", ["5.0", "6.0", "6"])
def test_redis_older_than_the_cache_store_supports_is_refused(infra_config, infra_dir, version):
    """The app's cache store needs Redis 6.2 (tests/production_layer/test_redis_cache_driver.py runs it on 6.2)."""
    message = error_of(
        infra_config,
        infra_dir,
        redisProvider="aws-elasticache",
        elasticacheAllowedCidrs=["10.0.0.0/16"],
        elasticacheEngineVersion=version,
    )
    assert f"elasticacheEngineVersion '{version}' is too old" in message and "6.2" in message


@pytest.mark.parametrize("version", ["6.2", "7", "7.1"])
def test_redis_the_cache_store_supports_is_accepted(infra_config, infra_dir, version):
    settings = load(
        infra_config,
        infra_dir,
        redisProvider="aws-elasticache",
        elasticacheAllowedCidrs=["10.0.0.0/16"],
        elasticacheEngineVersion=version,
    )
    assert settings.elasticache.engine_version == version
