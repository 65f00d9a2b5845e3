"""A cache store where every call goes to Redis.

Replaces stock Masonite's Redis cache driver, which copied the whole namespace
into a per-process dict on first use and served reads from it (other dynos'
writes were never seen), ran FLUSHALL on `flush()`, returned None for falsy
defaults and had no REDIS_URL or TLS support. Values are stored as JSON, so an
integer written by one process reads back as an integer in every other.
"""

import json
from collections.abc import Callable
from typing import Any

import redis


class RedisCacheDriver:
    _clients: dict = {}

    def __init__(self, application):
        self.application = application
        self.options = {}

    def set_options(self, options: dict) -> "RedisCacheDriver":
        self.options = options
        return self

    def get_connection(self) -> redis.Redis:
        """One client (and connection pool) per URL per process; redis-py reconnects after fork."""
        url = self.options["url"]
        client = self._clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, **connection_options(self.options))
            self._clients[url] = client
        return client

    def key(self, key: str) -> str:
        return f"{self.options.get('namespace', 'app')}:cache:{key}"

    def get(self, key: str, default: Any = None, **options) -> Any:
        raw = self.get_connection().get(self.key(key))
        return default if raw is None else decode(raw)

    def put(self, key: str, value: Any = None, seconds: int | None = None, **options) -> Any:
        if value is None:
            return None
        self.get_connection().set(self.key(key), encode(value), ex=self.ttl(seconds))
        return value

    def add(self, key: str, value: Any = None, seconds: int | None = None) -> Any:
        """Store ``value`` only if ``key`` is absent; return the value now stored."""
        if value is None:
            return self.get(key)
        client = self.get_connection()
        if client.set(self.key(key), encode(value), ex=self.ttl(seconds), nx=True):
            return value
        return self.get(key)

    def has(self, key: str) -> bool:
        return bool(self.get_connection().exists(self.key(key)))

    def forget(self, key: str) -> bool:
        return bool(self.get_connection().delete(self.key(key)))

    def increment(self, key: str, amount: int = 1) -> int:
        """Atomic; a new key starts from 0 and gets the default expiry."""
        pipeline = self.get_connection().pipeline(transaction=True)
        pipeline.incrby(self.key(key), amount)
        pipeline.expire(self.key(key), self.ttl(None), nx=True)
        value, _ = pipeline.execute()
        return value

    def decrement(self, key: str, amount: int = 1) -> int:
        return self.increment(key, -amount)

    def remember(self, key: str, callback: Callable, seconds: int | None = None) -> Any:
        """The cached value, or the callback's result, stored for next time.

        Masonite-style callbacks that store the value themselves (``cache.put``)
        and return nothing are supported too.
        """
        value = self.get(key)
        if value is not None:
            return value
        value = callback(self)
        if value is None:
            return self.get(key)
        self.put(key, value, seconds)
        return value

    def flush(self) -> int:
        """Delete this app's keys only (never FLUSHALL): the Redis may be shared."""
        client = self.get_connection()
        deleted = 0
        batch = []
        for name in client.scan_iter(match=self.key("*"), count=500):
            batch.append(name)
            if len(batch) >= 500:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
        return deleted

    def ttl(self, seconds: int | None) -> int:
        return int(seconds or self.options.get("timeout", 60 * 60 * 24 * 30))


def connection_options(options: dict) -> dict:
    """Timeouts for every connection; TLS without verification for `rediss://`.

    Heroku Key-Value Store requires TLS and presents a self-signed certificate,
    so verification cannot succeed; the connection is still encrypted.
    """
    settings = {
        "socket_connect_timeout": float(options.get("connect_timeout", 2)),
        "socket_timeout": float(options.get("socket_timeout", 2)),
        "health_check_interval": 30,
        "decode_responses": True,
    }
    if options["url"].startswith("rediss://"):
        settings["ssl_cert_reqs"] = None
    return settings


def encode(value: Any) -> str:
    return json.dumps(value)


def decode(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw
