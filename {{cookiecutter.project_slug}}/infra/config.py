"""Read and validate the whole stack configuration before any resource exists.

`load_settings` is given a plain getter (``pulumi.Config().get`` in the
program, a ``dict.get`` in tests) and either returns frozen settings or raises
one `ConfigError` that lists every bad key, its value and what is allowed.
Failing here, before the first resource is registered, means a typo never
leaves half a stack behind.

This module only uses the standard library and `pulumi.RunError`, so the
validation rules can be tested without a Pulumi engine.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pulumi
from app_rules import app_key_problem

HEROKU_KEY_VALUE_STORE = "heroku-key-value-store"
AWS_ELASTICACHE = "aws-elasticache"
REDIS_PROVIDERS = (HEROKU_KEY_VALUE_STORE, AWS_ELASTICACHE)
BUCKET_ENCRYPTIONS = ("AES256", "aws:kms")
HEROKU_REGIONS = ("us", "eu")
BOOLEANS = ("true", "false")

_S3_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_ENGINE_VERSION = re.compile(r"^\d+(\.\d+)?$")
_HEROKU_APP_NAME = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
_AWS_ID = {
    "vpc": re.compile(r"^vpc-[0-9a-f]{8,17}$"),
    "subnet": re.compile(r"^subnet-[0-9a-f]{8,17}$"),
    "sg": re.compile(r"^sg-[0-9a-f]{8,17}$"),
}

ConfigGetter = Callable[[str], "str | None"]


class ConfigError(pulumi.RunError):
    """Stack configuration is invalid; the message says which keys and how to fix them.

    A `pulumi.RunError` makes the CLI print the message without a traceback.
    """


@dataclass(frozen=True)
class StorageSettings:
    bucket_name: str | None
    retain_on_delete: bool
    encryption: str
    kms_key_id: str | None
    cors_origins: tuple[str, ...]
    noncurrent_version_expiration_days: int


@dataclass(frozen=True)
class HerokuSettings:
    app_name: str
    manage_app: bool
    region: str
    postgres_plan: str | None
    retain_database_on_delete: bool


@dataclass(frozen=True)
class ElastiCacheSettings:
    node_type: str
    engine_version: str
    num_cache_clusters: int
    vpc_id: str | None
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    allowed_cidrs: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    project: str
    stack: str
    storage: StorageSettings
    redis_provider: str
    key_value_store_plan: str
    elasticache: ElastiCacheSettings | None
    heroku: HerokuSettings | None
    app_key: str | None
    """The configured APP_KEY, or None to generate one with pulumi_random."""


def load_settings(get: ConfigGetter, project: str, stack: str) -> Settings:
    """Validate every key and return the settings, or raise one ConfigError for all problems."""
    read = _Reader(get)

    redis_provider = read.choice("redisProvider", REDIS_PROVIDERS, HEROKU_KEY_VALUE_STORE)
    heroku = _heroku_settings(read)
    if redis_provider == HEROKU_KEY_VALUE_STORE and heroku is None and not read.has_problem("redisProvider"):
        read.problem(
            "herokuApp",
            f"redisProvider '{HEROKU_KEY_VALUE_STORE}' attaches a Key-Value Store add-on to a Heroku app, "
            "but herokuApp is not set. Set it with: pulumi config set herokuApp <your-heroku-app-name> "
            f"(or choose the other provider: pulumi config set redisProvider {AWS_ELASTICACHE})",
        )
    key_value_store_plan = read.prefixed("keyValueStorePlan", "heroku-redis:", "heroku-redis:mini")
    elasticache = _elasticache_settings(read) if redis_provider == AWS_ELASTICACHE else None
    storage = _storage_settings(read)
    app_key = read.string("appKey")
    if app_key is not None and (reason := app_key_problem(app_key)):
        # Never echo the value of a secret.
        read.problem("appKey", f"appKey is set but {reason}")

    read.raise_if_invalid()
    return Settings(
        project=project,
        stack=stack,
        storage=storage,
        redis_provider=redis_provider,
        key_value_store_plan=key_value_store_plan,
        elasticache=elasticache,
        heroku=heroku,
        app_key=app_key,
    )


def s3_bucket_name_problem(name: str) -> str | None:
    """Why S3 would reject `name` as a general purpose bucket name, or None."""
    if not _S3_BUCKET_NAME.match(name):
        return (
            "must be 3-63 characters of lowercase letters, digits, dots and hyphens, "
            "starting and ending with a letter or digit"
        )
    if ".." in name or ".-" in name or "-." in name:
        return "must not contain '..', '.-' or '-.'"
    if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", name):
        return "must not look like an IP address"
    if name.startswith(("xn--", "sthree-", "amzn-s3-demo-")) or name.endswith(
        ("-s3alias", "--ol-s3", "--x-s3", "--table-s3")
    ):
        return "uses a prefix or suffix that S3 reserves"
    return None


def cors_origin_problem(origin: str) -> str | None:
    """Why `origin` is not an exact browser origin (scheme://host[:port]), or None."""
    if "*" in origin:
        return "wildcards are not allowed; list each exact origin of the app (e.g. https://www.example.com)"
    parts = urlsplit(origin)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be an origin such as https://www.example.com"
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        return "must be only scheme://host[:port], without a path or a trailing slash"
    if parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1"):
        return "must use https (plain http is only allowed for localhost)"
    return None


def _heroku_settings(read: _Reader) -> HerokuSettings | None:
    app_name = read.string("herokuApp")
    manage_app = read.boolean("manageHerokuApp", False)
    region = read.choice("herokuRegion", HEROKU_REGIONS, "us")
    postgres_plan = read.string("herokuPostgresPlan")
    retain_database = read.boolean("retainDatabaseOnDelete", True)
    if postgres_plan is not None and not postgres_plan.startswith("heroku-postgresql:"):
        read.problem(
            "herokuPostgresPlan",
            f"herokuPostgresPlan '{postgres_plan}' is not a Heroku Postgres plan; "
            "use a plan such as heroku-postgresql:essential-0",
        )
    if app_name is None:
        for key, is_set in (("manageHerokuApp", manage_app), ("herokuPostgresPlan", postgres_plan is not None)):
            if is_set:
                read.problem(key, f"{key} needs a Heroku app: pulumi config set herokuApp <your-heroku-app-name>")
        return None
    if not _HEROKU_APP_NAME.match(app_name):
        read.problem(
            "herokuApp",
            f"herokuApp '{app_name}' is not a Heroku app name: 3-30 lowercase letters, digits and dashes, "
            "starting with a letter",
        )
    return HerokuSettings(
        app_name=app_name,
        manage_app=manage_app,
        region=region,
        postgres_plan=postgres_plan,
        retain_database_on_delete=retain_database,
    )


def _storage_settings(read: _Reader) -> StorageSettings:
    bucket_name = read.string("bucketName")
    if bucket_name is not None and (reason := s3_bucket_name_problem(bucket_name)):
        read.problem("bucketName", f"bucketName '{bucket_name}' {reason}")
    encryption = read.choice("bucketEncryption", BUCKET_ENCRYPTIONS, "AES256")
    kms_key_id = read.string("kmsKeyId")
    if kms_key_id is not None and encryption != "aws:kms":
        read.problem("kmsKeyId", "kmsKeyId is only used with: pulumi config set bucketEncryption aws:kms")
    origins = read.string_list("corsOrigins")
    for origin in origins:
        if reason := cors_origin_problem(origin):
            read.problem("corsOrigins", f"corsOrigins entry '{origin}' is not allowed: {reason}")
    return StorageSettings(
        bucket_name=bucket_name,
        retain_on_delete=read.boolean("retainBucketOnDelete", True),
        encryption=encryption,
        kms_key_id=kms_key_id,
        cors_origins=tuple(dict.fromkeys(origins)),
        noncurrent_version_expiration_days=read.integer("noncurrentVersionExpirationDays", 30, 1, 3650),
    )


def _elasticache_settings(read: _Reader) -> ElastiCacheSettings:
    vpc_id = read.aws_id("elasticacheVpcId", "vpc")
    subnet_ids = read.aws_id_list("elasticacheSubnetIds", "subnet")
    security_group_ids = read.aws_id_list("elasticacheSecurityGroupIds", "sg")
    if subnet_ids and not security_group_ids and vpc_id is None:
        read.problem(
            "elasticacheVpcId",
            "elasticacheSubnetIds is set, so the program needs the VPC of those subnets to create the "
            "security group: pulumi config set elasticacheVpcId vpc-... "
            "(or give your own groups with elasticacheSecurityGroupIds)",
        )
    allowed_cidrs = read.string_list("elasticacheAllowedCidrs")
    for cidr in allowed_cidrs:
        try:
            network = ipaddress.ip_network(cidr, strict=True)
        except ValueError:
            read.problem(
                "elasticacheAllowedCidrs",
                f"elasticacheAllowedCidrs entry '{cidr}' is not a CIDR block such as 10.0.0.0/16",
            )
            continue
        if network.prefixlen == 0:
            read.problem("elasticacheAllowedCidrs", f"elasticacheAllowedCidrs entry '{cidr}' would admit every address")
    node_type = read.prefixed("elasticacheNodeType", "cache.", "cache.t4g.micro")
    return ElastiCacheSettings(
        node_type=node_type,
        engine_version=read.matching("elasticacheEngineVersion", _ENGINE_VERSION, "7.1", "a Redis version such as 7.1"),
        num_cache_clusters=read.integer("elasticacheNumCacheClusters", 1, 1, 6),
        vpc_id=vpc_id,
        subnet_ids=subnet_ids,
        security_group_ids=security_group_ids,
        allowed_cidrs=tuple(allowed_cidrs),
    )


class _Reader:
    """Typed access to raw config strings that collects problems instead of stopping at the first."""

    def __init__(self, get: ConfigGetter) -> None:
        self._get = get
        self._problems: dict[str, list[str]] = {}

    def problem(self, key: str, message: str) -> None:
        self._problems.setdefault(key, []).append(message)

    def has_problem(self, key: str) -> bool:
        return key in self._problems

    def raise_if_invalid(self) -> None:
        if self._problems:
            lines = [f"  - {message}" for messages in self._problems.values() for message in messages]
            raise ConfigError("Invalid stack configuration, nothing was changed:\n" + "\n".join(lines))

    def string(self, key: str) -> str | None:
        """A string, or None when the key is unset or empty (Pulumi.yaml defaults optional keys to "")."""
        value = self._get(key)
        if value is None:
            return None
        value = str(value).strip()
        return value or None

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.string(key)
        if value is None:
            return default
        if value not in allowed:
            self.problem(key, f"{key} '{value}' is not allowed; allowed values: {', '.join(allowed)}")
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.string(key)
        if value is None:
            return default
        if value.lower() not in BOOLEANS:
            self.problem(key, f"{key} '{value}' is not a boolean; allowed values: {', '.join(BOOLEANS)}")
            return default
        return value.lower() == "true"

    def integer(self, key: str, default: int, minimum: int, maximum: int) -> int:
        value = self.string(key)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not minimum <= number <= maximum:
            self.problem(
                key, f"{key} '{value}' is not allowed; allowed values: whole numbers from {minimum} to {maximum}"
            )
            return default
        return number

    def prefixed(self, key: str, prefix: str, default: str) -> str:
        value = self.string(key)
        if value is None:
            return default
        if not value.startswith(prefix) or value == prefix:
            self.problem(
                key, f"{key} '{value}' is not allowed; allowed values start with '{prefix}' (default {default})"
            )
            return default
        return value

    def matching(self, key: str, pattern: re.Pattern, default: str, allowed: str) -> str:
        value = self.string(key)
        if value is None:
            return default
        if not pattern.match(value):
            self.problem(key, f"{key} '{value}' is not allowed; allowed values: {allowed} (default {default})")
            return default
        return value

    def string_list(self, key: str) -> list[str]:
        """A list of strings, stored by Pulumi as a JSON array (`pulumi config set --path 'key[0]' value`)."""
        raw = self.string(key)
        if raw is None:
            return []
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(
                key,
                f"{key} '{raw}' is not a list of strings; "
                f"set entries with: pulumi config set --path '{key}[0]' <value>",
            )
            return []
        return [item.strip() for item in value if item.strip()]

    def aws_id(self, key: str, kind: str) -> str | None:
        value = self.string(key)
        if value is not None and not _AWS_ID[kind].match(value):
            self.problem(key, f"{key} '{value}' is not allowed; allowed values look like {kind}-0123456789abcdef0")
            return None
        return value

    def aws_id_list(self, key: str, kind: str) -> tuple[str, ...]:
        values = self.string_list(key)
        for value in values:
            if not _AWS_ID[kind].match(value):
                self.problem(
                    key, f"{key} entry '{value}' is not allowed; allowed values look like {kind}-0123456789abcdef0"
                )
        return tuple(values)
