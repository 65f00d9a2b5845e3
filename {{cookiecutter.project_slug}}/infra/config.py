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

# gunicorn workers per web dyno: what Heroku's Python buildpack sets WEB_CONCURRENCY to at boot
# on each size (by its memory). None: no figure known here, so webConcurrency must be set.
COMMON_RUNTIME_DYNO_SIZES: dict[str, int | None] = {
    "eco": 2,
    "basic": 2,
    "standard-1x": 2,
    "standard-2x": 4,
    "performance-m": 5,
    "performance-l": 17,
    "performance-l-ram": None,
    "performance-xl": None,
    "performance-2xl": None,
}
PRIVATE_SPACE_DYNO_SIZES: dict[str, int | None] = {
    size: None for size in ("private-s", "private-m", "private-l", "shield-s", "shield-m", "shield-l")
}
SINGLE_DYNO_SIZES = ("eco", "basic")
"""Eco and Basic run at most one dyno per process type and have no preboot."""
MAX_WEB_DYNOS = 100

_S3_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_ENGINE_VERSION = re.compile(r"^\d+(\.\d+)?$")
# The app's cache store uses no command newer than Redis 6.2 (production_layer/drivers/RedisCacheDriver.py).
OLDEST_REDIS_VERSION = (6, 2)
_HEROKU_APP_NAME = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
_HEROKU_SPACE_NAME = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
_KMS_KEY_ID = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|mrk-[0-9a-f]{32}"
    r"|alias/[A-Za-z0-9/_-]{1,250}"
    r"|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key/(?:[0-9a-f-]{36}|mrk-[0-9a-f]{32})|alias/[A-Za-z0-9/_-]{1,250}))$"
)
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
class WebFormation:
    """The web process of a managed app: how many dynos, how big, and gunicorn workers in each."""

    quantity: int
    size: str
    concurrency: int


@dataclass(frozen=True)
class HerokuSettings:
    app_name: str
    manage_app: bool
    region: str
    space: str | None
    """The Private Space a managed app is created in; None for the Common Runtime."""
    manage_addons: bool
    """Attach and manage the Postgres and Key-Value Store add-ons (always for a managed app)."""
    postgres_plan: str | None
    retain_database_on_delete: bool
    preboot: bool
    """Heroku preboot on a managed app (Common Runtime only: Private Spaces deploy with rolling restarts)."""
    web: WebFormation


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
    app_key_fallbacks: tuple[str, ...]
    """Older keys the app still accepts (APP_KEY_FALLBACKS), newest first."""
    elasticache_sets_redis_url: bool
    """Write REDIS_URL on the app for ElastiCache (false only while a Key-Value Store add-on still owns it)."""


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
    elasticache = _elasticache_settings(read, heroku) if redis_provider == AWS_ELASTICACHE else None
    sets_redis_url = read.boolean("elasticacheSetsRedisUrl", True)
    if not sets_redis_url and (elasticache is None or heroku is None):
        read.problem(
            "elasticacheSetsRedisUrl",
            "elasticacheSetsRedisUrl false is only for step 1 of a switch to aws-elasticache on a Heroku app "
            "(infra/README.md); remove it with: pulumi config rm elasticacheSetsRedisUrl",
        )
    storage = _storage_settings(read)
    app_key = read.string("appKey")
    if app_key is not None and (reason := app_key_problem(app_key)):
        # Never echo the value of a secret.
        read.problem("appKey", f"appKey is set but {reason}")
    app_key_fallbacks = _app_key_fallbacks(read, app_key)

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
        app_key_fallbacks=app_key_fallbacks,
        elasticache_sets_redis_url=sets_redis_url,
    )


def check_existing_app(settings: Settings, exists: bool, space: str | None) -> None:
    """Checks that need Heroku's answer about the app: whether it `exists`, and its Private Space.

    Raises ConfigError before any resource is registered, like `load_settings`.
    """
    heroku = settings.heroku
    if heroku is None or heroku.manage_app:
        return
    problems = []
    if not exists:
        problems.append(
            f"herokuApp '{heroku.app_name}' does not exist on Heroku: create it (heroku create {heroku.app_name}) "
            "or let this stack create it: pulumi config set manageHerokuApp true"
        )
    elif settings.elasticache is not None and not space:
        problems.append(
            f"herokuApp '{heroku.app_name}' runs on the Common Runtime, which cannot reach ElastiCache (it has no "
            "public endpoint). Move the app into a Heroku Private Space peered with the VPC, or use: "
            f"pulumi config set redisProvider {HEROKU_KEY_VALUE_STORE}"
        )
    if problems:
        raise invalid_configuration(problems)


def invalid_configuration(messages: list[str]) -> ConfigError:
    """One error listing every problem, in the form the CLI prints without a traceback."""
    return ConfigError("Invalid stack configuration, nothing was changed:\n" + "\n".join(f"  - {m}" for m in messages))


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
    space = read.string("herokuSpace")
    manage_addons = read.boolean("manageHerokuAddons", False)
    postgres_plan = read.string("herokuPostgresPlan")
    retain_database = read.boolean("retainDatabaseOnDelete", True)
    preboot = read.boolean("herokuPreboot", True)
    web = _web_formation(read, space)
    if postgres_plan is not None and not postgres_plan.startswith("heroku-postgresql:"):
        read.problem(
            "herokuPostgresPlan",
            f"herokuPostgresPlan '{postgres_plan}' is not a Heroku Postgres plan; "
            "use a plan such as heroku-postgresql:essential-0",
        )
    if space is not None and not _HEROKU_SPACE_NAME.match(space):
        read.problem("herokuSpace", f"herokuSpace '{space}' is not a Heroku Private Space name")
    if space is not None and not manage_app:
        read.problem(
            "herokuSpace",
            "herokuSpace only applies to an app this stack creates (manageHerokuApp true); "
            "an existing app stays where it is",
        )
    if manage_app and preboot and space is None and web.size in SINGLE_DYNO_SIZES:
        read.problem(
            "herokuPreboot",
            f"herokuPreboot needs Standard or Performance dynos, not webDynoSize '{web.size}': "
            "pulumi config set webDynoSize standard-1x (or: pulumi config set herokuPreboot false)",
        )
    if app_name is None:
        for key, is_set in (
            ("manageHerokuApp", manage_app),
            ("manageHerokuAddons", manage_addons),
            ("herokuPostgresPlan", postgres_plan is not None),
        ):
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
        space=space,
        manage_addons=manage_app or manage_addons,
        postgres_plan=postgres_plan,
        retain_database_on_delete=retain_database,
        preboot=preboot and space is None,
        web=web,
    )


def _web_formation(read: _Reader, space: str | None) -> WebFormation:
    sizes = PRIVATE_SPACE_DYNO_SIZES if space is not None else COMMON_RUNTIME_DYNO_SIZES
    default_size = next(iter(sizes)) if space is not None else "standard-1x"
    size = (read.string("webDynoSize") or default_size).lower()
    if size not in sizes:
        where = f"in Private Space '{space}'" if space is not None else "on the Common Runtime"
        read.problem("webDynoSize", f"webDynoSize '{size}' is not allowed {where}; allowed values: {', '.join(sizes)}")
        size = default_size
    quantity = read.integer("webDynoQuantity", 2, 0, MAX_WEB_DYNOS)
    if size in SINGLE_DYNO_SIZES and quantity > 1:
        read.problem("webDynoQuantity", f"webDynoQuantity '{quantity}' is not allowed: {size} dynos run one at most")
    concurrency = read.integer("webConcurrency", 0, 0, 64)
    if concurrency == 0:
        concurrency = sizes[size] or 0
        if not concurrency:
            read.problem(
                "webConcurrency",
                f"webDynoSize '{size}' needs webConcurrency (gunicorn workers per dyno): the template knows the "
                f"buildpack's figure only for {', '.join(s for s, n in COMMON_RUNTIME_DYNO_SIZES.items() if n)}",
            )
    return WebFormation(quantity=quantity, size=size, concurrency=concurrency)


def _app_key_fallbacks(read: _Reader, app_key: str | None) -> tuple[str, ...]:
    """APP_KEY_FALLBACKS: comma-separated, newest first, each a key the app would accept. Never echoed."""
    raw = read.string("appKeyFallbacks")
    if raw is None:
        return ()
    keys = [key.strip() for key in raw.split(",")]
    for position, key in enumerate(keys, 1):
        if not key:
            read.problem("appKeyFallbacks", f"appKeyFallbacks entry {position} is empty (a stray comma?)")
        elif reason := app_key_problem(key):
            read.problem("appKeyFallbacks", f"appKeyFallbacks entry {position} is set but {reason}")
        elif app_key is not None and key == app_key.strip():
            read.problem("appKeyFallbacks", f"appKeyFallbacks entry {position} is the same as appKey")
        elif key in keys[: position - 1]:
            read.problem("appKeyFallbacks", f"appKeyFallbacks entry {position} repeats an earlier entry")
    return tuple(keys)


def _storage_settings(read: _Reader) -> StorageSettings:
    bucket_name = read.string("bucketName")
    if bucket_name is not None and (reason := s3_bucket_name_problem(bucket_name)):
        read.problem("bucketName", f"bucketName '{bucket_name}' {reason}")
    encryption = read.choice("bucketEncryption", BUCKET_ENCRYPTIONS, "AES256")
    kms_key_id = read.string("kmsKeyId")
    if kms_key_id is not None and encryption != "aws:kms":
        read.problem("kmsKeyId", "kmsKeyId is only used with: pulumi config set bucketEncryption aws:kms")
    elif kms_key_id is not None and not _KMS_KEY_ID.match(kms_key_id):
        read.problem(
            "kmsKeyId",
            f"kmsKeyId '{kms_key_id}' is not a KMS key id, key ARN, alias/<name> or alias ARN",
        )
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


def _elasticache_settings(read: _Reader, heroku: HerokuSettings | None) -> ElastiCacheSettings:
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
        elif network.is_global:
            read.problem(
                "elasticacheAllowedCidrs",
                f"elasticacheAllowedCidrs entry '{cidr}' is a public range; ElastiCache is reached only over "
                "private addresses (e.g. a peered Private Space's 10.0.0.0/16)",
            )
    if heroku is not None and not allowed_cidrs and not security_group_ids:
        read.problem(
            "elasticacheAllowedCidrs",
            "redisProvider aws-elasticache with herokuApp needs elasticacheAllowedCidrs: without it, port 6379 "
            "admits only the VPC's own CIDR, which no Heroku dyno is in. Set the peered Private Space's CIDR: "
            "pulumi config set --path 'elasticacheAllowedCidrs[0]' 10.0.0.0/16 "
            "(or give your own groups with elasticacheSecurityGroupIds)",
        )
    if heroku is not None and heroku.manage_app and heroku.space is None:
        read.problem(
            "herokuSpace",
            "redisProvider aws-elasticache with a managed app needs herokuSpace: an app on the Common Runtime "
            "cannot reach ElastiCache. pulumi config set herokuSpace <private-space-peered-with-the-vpc>",
        )
    node_type = read.prefixed("elasticacheNodeType", "cache.", "cache.t4g.micro")
    engine_version = read.matching("elasticacheEngineVersion", _ENGINE_VERSION, "7.1", "a Redis version such as 7.1")
    if tuple(int(part) for part in engine_version.split(".")) < OLDEST_REDIS_VERSION:
        oldest = ".".join(map(str, OLDEST_REDIS_VERSION))
        read.problem(
            "elasticacheEngineVersion",
            f"elasticacheEngineVersion '{engine_version}' is too old: the app's cache store needs Redis {oldest} "
            f"or newer (pulumi config set elasticacheEngineVersion 7.1)",
        )
    return ElastiCacheSettings(
        node_type=node_type,
        engine_version=engine_version,
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
            raise invalid_configuration([message for messages in self._problems.values() for message in messages])

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
