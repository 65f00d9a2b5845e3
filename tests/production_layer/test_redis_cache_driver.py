"""The Redis cache store against real servers: a current Valkey and Redis 6.2, the oldest
version infra/ provisions. Every test runs on both, so a command that 6.2 lacks fails here."""

from __future__ import annotations

import uuid

import pytest
import redis as redis_py
from production_layer.drivers.RedisCacheDriver import (
    RedisCacheDriver,
    check_store_options,
    connection_options,
    glob_escape,
    namespace_prefix,
)
from production_layer.environment import MissingEnvironment
from production_layer.managers.InstancePerName import UnknownName
from production_layer.managers.IsolatedCache import IsolatedCache

from tests.support.redis_servers import SERVERS


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request):
    with SERVERS[request.param]() as running:
        yield running


@pytest.fixture
def raw(server):
    client = redis_py.Redis(port=server.port, decode_responses=True)
    yield client
    client.flushall()


def store(server, namespace: str | None = None, **options) -> RedisCacheDriver:
    return RedisCacheDriver(None).set_options(
        {"url": f"redis://127.0.0.1:{server.port}/0", "namespace": namespace or uuid.uuid4().hex[:8], **options}
    )


def test_values_round_trip_as_json_and_falsy_defaults_are_kept(server):
    cache = store(server)
    for value in ({"a": [1, 2]}, 0, "", "text", [1], 2.5):
        cache.put("k", value)
        assert cache.get("k") == value
    assert [cache.get("absent", default) for default in (0, False, "", [])] == [0, False, "", []]
    assert cache.put("none", None) is None and not cache.has("none")


def test_without_seconds_a_value_never_expires(server, raw):
    cache = store(server)
    cache.put("a", 1)
    cache.put("b", 1, None)
    cache.forever("c", 1)
    assert [raw.ttl(cache.key(name)) for name in "abc"] == [-1, -1, -1]


def test_seconds_set_the_expiry_and_fractions_are_kept(server, raw):
    cache = store(server)
    cache.put("whole", 1, 300)
    cache.put("fraction", 1, 1.5)
    assert 290 < raw.ttl(cache.key("whole")) <= 300
    assert 1000 < raw.pttl(cache.key("fraction")) <= 1500


@pytest.mark.parametrize("seconds", [0, -5, -0.5])
def test_zero_or_fewer_seconds_means_already_expired(server, seconds):
    cache = store(server)
    cache.put("k", "old")
    assert cache.put("k", "new", seconds) == "new"
    assert cache.get("k") is None
    assert cache.add("fresh", "x", seconds) == "x" and not cache.has("fresh")


@pytest.mark.parametrize("seconds", ["300", True, float("nan")])
def test_an_expiry_that_is_not_a_number_is_refused(server, seconds):
    with pytest.raises(TypeError, match="number of seconds"):
        store(server).put("k", 1, seconds)


def test_add_keeps_an_existing_value_and_sets_the_expiry_of_a_new_one(server, raw):
    cache = store(server)
    assert cache.add("k", "first", 60) == "first"
    assert cache.add("k", "second", 600) == "first"
    assert 50 < raw.ttl(cache.key("k")) <= 60


def test_remember_stores_the_callbacks_value_for_the_seconds_given(server, raw):
    cache = store(server)
    calls = []

    def compute(_):
        calls.append(1)
        return "computed"

    assert cache.remember("timed", compute, 60) == "computed"
    assert cache.remember("timed", compute, 60) == "computed" and len(calls) == 1
    assert 50 < raw.ttl(cache.key("timed")) <= 60
    assert cache.remember("kept", compute) == "computed" and raw.ttl(cache.key("kept")) == -1


def test_remember_keeps_the_expiry_of_a_callback_that_stores_the_value_itself(server, raw):
    """Masonite's documentation: `cache.remember(key, lambda cache: cache.put(key, value, 300))`."""
    cache = store(server)
    assert cache.remember("users", lambda cache: cache.put("users", 42, 300)) == 42
    assert 290 < raw.ttl(cache.key("users")) <= 300


def test_increment_is_atomic_starts_from_zero_and_keeps_the_expiry(server, raw):
    cache = store(server)
    assert cache.increment("new") == 1 and raw.ttl(cache.key("new")) == -1
    cache.put("timed", 5, 60)
    assert cache.increment("timed", 3) == 8 and cache.decrement("timed") == 7
    assert 50 < raw.ttl(cache.key("timed")) <= 60


def test_a_number_stored_as_text_can_be_incremented_as_masonites_documentation_shows(server, raw):
    cache = store(server)
    cache.put("age", "21", 60)
    assert cache.increment("age") == 22 and cache.get("age") == 22
    assert 50 < raw.ttl(cache.key("age")) <= 60
    cache.put("name", "joe")
    with pytest.raises(ValueError, match="'name' holds 'joe'"):
        cache.increment("name")


@pytest.mark.parametrize(
    "mine,neighbours",
    [
        ("shop[1]", ["shop1", "shop]"]),
        ("a*", ["ab", "a"]),
        ("a?", ["ab"]),
        ("a\\b", ["ab", "a\\\\b"]),
        ("x", ["x:cache:y", "x:other"]),
        ("x:cache:y", ["x", "x:cache:yy"]),
        ("[^a]", ["b", "[a]"]),
    ],
)
def test_flush_removes_exactly_its_own_namespace(server, raw, mine, neighbours):
    caches = {namespace: store(server, namespace) for namespace in [mine, *neighbours]}
    for cache in caches.values():
        cache.put("k", "v")
        cache.put("other", "v")
    raw.set("unrelated:data", "keep")
    assert caches[mine].flush() == 2
    assert not caches[mine].has("k") and not caches[mine].has("other")
    assert all(caches[namespace].get("k") == "v" for namespace in neighbours)
    assert raw.get("unrelated:data") == "keep"


def test_namespace_prefixes_and_patterns():
    assert namespace_prefix("shop") == "shop:cache:"
    assert namespace_prefix("a:b\\c") == "a\\:b\\\\c:cache:"
    assert glob_escape("s[1]*?\\") == "s\\[1\\]\\*\\?\\\\"


def test_each_store_is_its_own_instance_with_its_own_options(server, raw):
    url = f"redis://127.0.0.1:{server.port}/0"
    cache = IsolatedCache(None).set_configuration(
        {
            "default": "main",
            "main": {"driver": "redis", "url": url, "namespace": "main"},
            "other": {"driver": "redis", "url": url, "namespace": "other"},
        }
    )
    cache.add_driver("redis", RedisCacheDriver(None))
    main = cache.store()
    other = cache.store("other")
    main.put("k", "main's")
    assert main is cache.store("main") is cache.store("default") and main is not other
    assert raw.get("main:cache:k") == '"main\'s"' and raw.get("other:cache:k") is None
    cache.forever("f", 1, store="other")
    assert other.get("f") == 1 and raw.ttl("other:cache:f") == -1
    with pytest.raises(UnknownName, match="no cache store named 'missing'.*defined: main, other"):
        cache.store("missing")


def test_masonites_documented_host_and_name_options_work_too(server, raw):
    cache = RedisCacheDriver(None).set_options({"host": "127.0.0.1", "port": server.port, "name": "documented"})
    cache.put("k", 1)
    assert raw.get("documented:cache:k") == "1"


def test_tls_verifies_the_server_unless_the_store_turns_it_off():
    verified = connection_options({"url": "rediss://cache.example:6380"})
    assert verified["ssl_cert_reqs"] == "required" and verified["ssl_check_hostname"] is True
    assert "ssl_ca_data" not in verified
    pinned = connection_options({"url": "rediss://cache.example:6380", "tls_ca_certs": "PEM"})
    assert pinned["ssl_ca_data"] == "PEM" and pinned["ssl_cert_reqs"] == "required"
    unverified = connection_options({"url": "rediss://cache.example:6380", "tls_verify": False})
    assert unverified["ssl_cert_reqs"] == "none"
    assert "ssl_cert_reqs" not in connection_options({"url": "redis://cache.example:6379", "tls_verify": False})


def test_a_store_that_cannot_work_stops_the_app_at_boot_with_a_reason():
    with pytest.raises(MissingEnvironment, match="'redis'.*must start with redis://"):
        check_store_options("redis", {"url": "http://cache.example"})
    with pytest.raises(MissingEnvironment, match="REDIS_TLS_CA_CERT.*not PEM"):
        check_store_options("redis", {"url": "rediss://cache.example", "tls_ca_certs": "not a certificate"})
    check_store_options("redis", {"url": "rediss://cache.example", "tls_verify": False})


def test_get_many_reads_several_keys_in_one_round_trip(server, raw):
    cache = store(server)
    cache.put("one", {"n": 1})
    cache.put("two", 0)
    raw.set("not-namespaced", "x")
    assert cache.get_many(["one", "missing", "two", "not-namespaced"], "default") == [{"n": 1}, "default", 0, "default"]
