"""A cache store where every call goes to Redis, with Masonite's documented semantics.

Replaces stock Masonite's Redis cache driver, which copied the whole namespace
into a per-process dict on first use and served reads from it (other dynos'
writes were never seen), ran FLUSHALL on `flush()`, returned None for falsy
defaults and had no REDIS_URL or TLS support. Values are stored as JSON, so an
integer written by one process reads back as an integer in every other.

Expiry follows Masonite's cache documentation: `put(key, value)` or
`seconds=None` keeps the value until it is forgotten (`forever()` says so
explicitly); a positive number of seconds (fractions allowed) expires it then;
zero or fewer seconds means it is already expired, so nothing is kept.

Every command used exists in Redis 6.2 (the oldest version infra/ provisions;
tests/production_layer/test_redis_cache_driver.py runs against a 6.2 server).
"""

import json
import logging
import math
import re
import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import redis

from production_layer.environment import MissingEnvironment

logger = logging.getLogger("app.cache")

URL_SCHEMES = ("redis", "rediss", "unix")
# Characters special in a Redis SCAN MATCH pattern: escaped so a namespace matches only itself.
GLOB_SPECIAL = "\\*?[]"
EXPIRED = object()
INCREMENT_RETRIES = 10
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class RedisCacheDriver:
    # One client (and connection pool) per URL and connection settings, per process.
    _clients: dict = {}

    def __init__(self, application):
        self.application = application
        self.options = {}
        self._client = None
        self._prefix = None

    def set_options(self, options: dict) -> "RedisCacheDriver":
        self.options = options
        self._client = self._prefix = None
        return self

    def get_connection(self) -> redis.Redis:
        """The shared client for this store's URL and settings; redis-py reconnects after fork."""
        if self._client is None:
            url = store_url(self.options)
            settings = connection_options(self.options)
            identity = (url, tuple(sorted(settings.items(), key=lambda item: item[0])))
            if identity not in self._clients:
                self._clients[identity] = redis.Redis.from_url(url, **settings)
            self._client = self._clients[identity]
        return self._client

    def prefix(self) -> str:
        return namespace_prefix(self.options.get("namespace") or self.options.get("name") or "app")

    def key(self, key: str) -> str:
        if self._prefix is None:
            self._prefix = self.prefix()
        return f"{self._prefix}{key}"

    # Masonite's cache API ---------------------------------------------------

    def get(self, key: str, default: Any = None, **options) -> Any:
        raw = self.get_connection().get(self.key(key))
        return default if raw is None else decode(raw)

    def get_many(self, keys: list[str], default: Any = None) -> list[Any]:
        """Several values in one round trip to Redis (MGET), in the order of ``keys``.

        Not part of Masonite's cache interface: a page that reads several keys on every
        request saves a round trip per key.
        """
        raws = self.get_connection().mget([self.key(key) for key in keys])
        return [default if raw is None else decode(raw) for raw in raws]

    def put(self, key: str, value: Any = None, seconds: float | None = None, **options) -> Any:
        """Store ``value`` (None stores nothing) for ``seconds``, or with no expiry when None."""
        if value is None:
            return None
        expiry = expiry_arguments(seconds)
        if expiry is EXPIRED:
            self.forget(key)
        else:
            self.get_connection().set(self.key(key), encode(value), **expiry)
        return value

    def forever(self, key: str, value: Any = None) -> Any:
        return self.put(key, value, seconds=None)

    def add(self, key: str, value: Any = None, seconds: float | None = None) -> Any:
        """Store ``value`` only if ``key`` is absent; return the value now stored."""
        if value is None:
            return self.get(key)
        expiry = expiry_arguments(seconds)
        if expiry is EXPIRED:
            return self.get(key, value)
        if self.get_connection().set(self.key(key), encode(value), nx=True, **expiry):
            return value
        return self.get(key, value)

    def has(self, key: str) -> bool:
        return bool(self.get_connection().exists(self.key(key)))

    def forget(self, key: str) -> bool:
        return bool(self.get_connection().delete(self.key(key)))

    def increment(self, key: str, amount: int = 1) -> int:
        """Atomic. A missing key starts from 0 (and never expires); an existing one keeps its expiry.

        A number stored as a string (`put("age", "21")`, as Masonite's documentation shows)
        is incremented too, and is a number from then on.
        """
        try:
            return self.get_connection().incrby(self.key(key), amount)
        except redis.ResponseError:
            return self._increment_stored_text(key, amount)

    def decrement(self, key: str, amount: int = 1) -> int:
        return self.increment(key, -amount)

    def remember(self, key: str, callback: Callable, seconds: float | None = None) -> Any:
        """The cached value, or else the callback's result, stored for ``seconds`` (None: no expiry).

        Callbacks written the way Masonite's documentation shows, which store the value
        themselves (``lambda cache: cache.put(key, value, 300)``), keep the expiry they chose.
        """
        value = self.get(key)
        if value is not None:
            return value
        value = callback(self)
        if value is None:
            return self.get(key)
        return self.add(key, value, seconds)

    def flush(self) -> int:
        """Delete this store's namespace, exactly (never FLUSHALL): the Redis may be shared."""
        client = self.get_connection()
        deleted = 0
        batch = []
        for name in client.scan_iter(match=glob_escape(self.prefix()) + "*", count=500):
            batch.append(name)
            if len(batch) >= 500:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
        return deleted

    def _increment_stored_text(self, key: str, amount: int) -> int:
        name = self.key(key)
        with self.get_connection().pipeline() as pipeline:
            for _ in range(INCREMENT_RETRIES):
                try:
                    pipeline.watch(name)
                    current = decode(pipeline.get(name))
                    number = whole_number(current)
                    if number is None:
                        raise ValueError(f"cache key {key!r} holds {current!r}, which is not a whole number")
                    pipeline.multi()
                    pipeline.set(name, encode(number + amount), keepttl=True)
                    pipeline.execute()
                    return number + amount
                except redis.WatchError:
                    continue
        raise redis.WatchError(f"cache key {key!r} kept changing while it was being incremented")


def expiry_arguments(seconds: float | None):
    """redis-py SET arguments for an expiry in seconds: {} for none, EXPIRED for zero or fewer."""
    if seconds is None:
        return {}
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or math.isnan(seconds):
        raise TypeError(f"cache expiry must be a number of seconds or None, got {seconds!r}")
    if seconds <= 0:
        return EXPIRED
    if math.isinf(seconds):
        return {}
    if float(seconds).is_integer():
        return {"ex": int(seconds)}
    return {"px": math.ceil(seconds * 1000)}


def namespace_prefix(namespace: str) -> str:
    """`shop` -> `shop:cache:`. A `:` or `\\` in the namespace is escaped, so no namespace's
    prefix can start another's (`shop` must not own the keys of namespace `shop:cache:x`)."""
    escaped = str(namespace).replace("\\", "\\\\").replace(":", "\\:")
    return f"{escaped}:cache:"


def glob_escape(text: str) -> str:
    """``text`` as a SCAN MATCH pattern that matches only itself."""
    return "".join("\\" + character if character in GLOB_SPECIAL else character for character in text)


def store_url(options: dict) -> str:
    """The store's `url`, or one built from Masonite's documented host/port/password/db options."""
    if options.get("url"):
        return options["url"]
    scheme = "rediss" if options.get("ssl") else "redis"
    password = options.get("password")
    credentials = f":{quote(str(password), safe='')}@" if password else ""
    host = options.get("host") or "127.0.0.1"
    return f"{scheme}://{credentials}{host}:{options.get('port') or 6379}/{options.get('db') or 0}"


def connection_options(options: dict) -> dict:
    """Short timeouts for every connection; for `rediss://`, TLS 1.2+ that verifies the server.

    Verification uses the system's trusted CAs, plus the PEM certificates in `tls_ca_certs`
    (REDIS_TLS_CA_CERT) when given. `tls_verify` False (REDIS_TLS_VERIFY=false) turns it off for
    this store alone: Heroku Key-Value Store presents a self-signed certificate that no CA
    vouches for, so its connection is encrypted but cannot be authenticated.
    """
    settings = {
        "socket_connect_timeout": float(options.get("connect_timeout", 2)),
        "socket_timeout": float(options.get("socket_timeout", 2)),
        "health_check_interval": 30,
        "decode_responses": True,
    }
    if store_url(options).startswith("rediss://"):
        settings["ssl_min_version"] = ssl.TLSVersion.TLSv1_2
        if options.get("tls_verify", True):
            settings["ssl_cert_reqs"] = "required"
            settings["ssl_check_hostname"] = True
            if options.get("tls_ca_certs"):
                settings["ssl_ca_data"] = options["tls_ca_certs"]
        else:
            settings["ssl_cert_reqs"] = "none"
    return settings


def check_store_options(name: str, options: dict) -> None:
    """Stop the app at boot, with a clear message, if a Redis store cannot work as configured."""
    url = store_url(options)
    where = f"cache store {name!r} (config/cache.py)"
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        scheme = ""
    if scheme not in URL_SCHEMES:
        raise MissingEnvironment(
            f"{where}: its URL (REDIS_URL for the default store) must start with redis://, rediss:// or unix://"
        )
    if options.get("tls_ca_certs"):
        try:
            ssl.create_default_context(cadata=options["tls_ca_certs"])
        except (ssl.SSLError, ValueError, TypeError):
            raise MissingEnvironment(
                f"{where}: its CA certificates (REDIS_TLS_CA_CERT for the default store) are not PEM certificates"
            ) from None
    if scheme == "rediss" and not options.get("tls_verify", True):
        logger.warning(
            "%s: TLS certificate verification is off (REDIS_TLS_VERIFY=false): the connection to %s is "
            "encrypted, but the server is not authenticated",
            where,
            urlsplit(url).hostname,
        )


def whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        return int(value)
    return None


def encode(value: Any) -> str:
    return json.dumps(value)


def decode(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw
