"""Rate-limit settings, the per-client key, and the counter in Redis (a real Valkey server).

The counter is checked for what the stock middleware gets wrong: requests that arrive
together on several processes must never let more than the limit through.
"""

from __future__ import annotations

import threading
import uuid
from types import SimpleNamespace

import pytest
import redis as redis_py
from production_layer.environment import MissingEnvironment
from production_layer.rates.ClientLimiter import ClientLimiter, client_key
from production_layer.rates.limits import (
    InvalidRateLimit,
    describe_wait,
    describe_window,
    env_rate_limit,
    parse_limits,
)
from production_layer.rates.RateCounter import RateCounter, Window


@pytest.mark.parametrize(
    "setting,windows",
    [
        ("20/minute", [(20, 60)]),
        ("20/minute,200/day", [(20, 60), (200, 86400)]),
        (" 5 / second , 100/5 minutes ", [(5, 1), (100, 300)]),
        ("3/hours", [(3, 3600)]),
        ("unlimited", []),
        ("UNLIMITED", []),
    ],
)
def test_settings_parse_into_windows(setting, windows):
    assert parse_limits(setting) == windows


@pytest.mark.parametrize("setting", ["", "20", "20/fortnight", "0/minute", "-1/minute", "20/0 minutes", "x/minute"])
def test_a_setting_that_does_not_parse_is_refused_with_the_expected_form(setting):
    with pytest.raises(InvalidRateLimit, match="N/unit"):
        parse_limits(setting)


def test_a_bad_setting_stops_the_app_at_boot_naming_the_variable(monkeypatch):
    monkeypatch.setenv("UPLOAD_RATE_LIMIT", "twenty a minute")
    with pytest.raises(MissingEnvironment, match="UPLOAD_RATE_LIMIT: 'twenty a minute' is not a rate limit"):
        env_rate_limit("UPLOAD_RATE_LIMIT", "20/minute")
    monkeypatch.setenv("UPLOAD_RATE_LIMIT", "3/hour")
    assert env_rate_limit("UPLOAD_RATE_LIMIT", "20/minute") == "3/hour"
    monkeypatch.delenv("UPLOAD_RATE_LIMIT")
    assert env_rate_limit("UPLOAD_RATE_LIMIT", "20/minute") == "20/minute"


def test_windows_and_waits_read_naturally():
    assert [describe_window(s) for s in (1, 60, 300, 3600, 86400, 90)] == [
        "second",
        "minute",
        "5 minutes",
        "hour",
        "day",
        "90 seconds",
    ]
    assert [describe_wait(s) for s in (1, 41, 120, 121, 7200, 7201)] == [
        "1 second",
        "41 seconds",
        "120 seconds",
        "3 minutes",
        "120 minutes",
        "3 hours",
    ]


def visitor(ip: str, user_id: int | None = None):
    user = SimpleNamespace(get_primary_key_value=lambda: user_id) if user_id is not None else None
    return SimpleNamespace(ip=lambda: ip, user=lambda: user)


def test_a_logged_in_user_is_counted_as_the_user_wherever_they_come_from():
    assert client_key(visitor("203.0.113.7", user_id=42)) == "user:42"
    assert client_key(visitor("198.51.100.1", user_id=42)) == "user:42"


def test_a_visitor_is_counted_by_address_and_ipv6_by_its_64_block():
    assert client_key(visitor("203.0.113.7")) == "ip:203.0.113.7"
    assert client_key(visitor("2001:db8:1:2:aaaa::1")) == client_key(visitor("2001:db8:1:2:ffff::9"))
    assert client_key(visitor("2001:db8:1:2::1")) == "ip:2001:db8:1:2::/64"
    assert client_key(visitor("2001:db8:1:3::1")) != client_key(visitor("2001:db8:1:2::1"))
    assert client_key(visitor("::ffff:203.0.113.7")) == "ip:203.0.113.7"


def test_the_client_limiter_gives_masonite_limits_for_every_window():
    limits = ClientLimiter("20/minute,200/day").allow(visitor("203.0.113.7"))
    assert [(limit.max_attempts, round(limit.delay * 60), limit.key) for limit in limits] == [
        (20, 60, "ip:203.0.113.7"),
        (200, 86400, "ip:203.0.113.7"),
    ]
    assert ClientLimiter("unlimited").allow(visitor("203.0.113.7")).is_unlimited()


@pytest.fixture
def valkey(redis):
    client = redis_py.Redis(host="127.0.0.1", port=redis.port, decode_responses=True)
    yield client
    client.close()


def counter(valkey) -> RateCounter:
    return RateCounter(valkey, f"test-rates-{uuid.uuid4().hex}:")


def test_the_counter_lets_exactly_the_limit_through_however_many_arrive_together(redis):
    """8 processes' worth of clients at once (threads, each with its own connection)."""
    prefix = f"together-{uuid.uuid4().hex}:"
    window = [Window("uploads|ip:203.0.113.7", 50, 60)]
    allowed = []

    def client():
        connection = redis_py.Redis(host="127.0.0.1", port=redis.port, decode_responses=True)
        for _ in range(25):
            allowed.append(RateCounter(connection, prefix).hit(window).allowed)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 200
    assert allowed.count(True) == 50


def test_a_request_must_fit_every_window_and_a_refused_one_is_not_counted(valkey):
    rates = counter(valkey)
    windows = [Window("a", 3, 60), Window("a", 5, 3600)]
    decisions = [rates.hit(windows) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0, 0]
    refused = decisions[-1]
    assert [state.count for state in refused.windows] == [3, 3]  # the refusals counted nowhere
    assert refused.tightest.window.max_requests == 3
    assert 1 <= refused.retry_after <= 60
    assert refused.reset_at > 0


def test_retry_after_waits_for_the_longest_full_window(valkey):
    rates = counter(valkey)
    windows = [Window("b", 1, 60), Window("b", 1, 3600)]
    assert rates.hit(windows).allowed
    refused = rates.hit(windows)
    assert not refused.allowed
    assert 3500 < refused.retry_after <= 3600


def test_clients_and_names_are_counted_apart_and_windows_expire(valkey):
    rates = counter(valkey)
    assert rates.hit([Window("uploads|ip:1", 1, 1)]).allowed
    assert not rates.hit([Window("uploads|ip:1", 1, 1)]).allowed
    assert rates.hit([Window("uploads|ip:2", 1, 1)]).allowed
    assert rates.hit([Window("confirm|ip:1", 1, 1)]).allowed
    threading.Event().wait(1.2)
    assert rates.hit([Window("uploads|ip:1", 1, 1)]).allowed


def test_every_counter_expires(valkey):
    rates = counter(valkey)
    rates.hit([Window("c", 10, 60)])
    keys = valkey.keys(rates.key_prefix + "*")
    assert keys and all(0 < valkey.ttl(key) <= 60 for key in keys)


def test_stock_masonite_lets_more_than_the_limit_through_when_requests_arrive_together(redis):
    """Why the throttle middleware is replaced: stock reads the count, then increments it."""
    from masonite.rates import RateLimiter
    from production_layer.drivers.RedisCacheDriver import RedisCacheDriver

    key = f"stock-{uuid.uuid4().hex}"
    options = {"url": f"redis://127.0.0.1:{redis.port}/0", "namespace": "stock-rates"}
    allowed = []

    def client():
        store = RedisCacheDriver(None).set_options(options)
        limiter = RateLimiter(application=None)
        limiter.__class__ = type("OnStore", (RateLimiter,), {"cache": property(lambda self: store)})
        for _ in range(25):
            if not limiter.too_many_attempts(key, 50):  # ThrottleRequestsMiddleware.before, stock
                limiter.hit(key, 60)
                allowed.append(True)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"\n[stock throttle] {len(allowed)} of 200 requests let through by a limit of 50")
    assert len(allowed) > 50


def test_the_counter_uses_the_cache_stores_redis_and_namespace_with_a_short_timeout(redis):
    from production_layer.drivers.RedisCacheDriver import RedisCacheDriver

    for options in (
        {"url": f"redis://127.0.0.1:{redis.port}/0", "namespace": "shop"},
        {"host": "127.0.0.1", "port": redis.port, "namespace": "shop"},  # Masonite's documented options
    ):
        rates = RateCounter.for_store(RedisCacheDriver(None).set_options(options), timeout=0.5)
        assert rates.key_prefix.startswith("shop:") and rates.key_prefix.endswith("throttle:")
        assert rates.redis.connection_pool.connection_kwargs["socket_timeout"] == 0.5
        assert rates.hit([Window(f"for-store-{uuid.uuid4().hex}", 1, 60)]).allowed
