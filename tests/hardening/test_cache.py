"""Defect 6: a Redis cache that is not shared between processes, FLUSHALL, falsy defaults."""

import threading
import uuid

import redis as redis_py
import requests

from tests.support.app_agent import AgentError
from tests.support.dynos import gunicorn_dyno, web_dyno
from tests.support.processes import redis_server

CACHE = "cache = application.make('cache').store()\n"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def sharing_problems(target) -> list[str]:
    key, fresh_key = unique("shared"), unique("fresh")
    problems = []
    with target.agent() as one, target.agent() as two:
        one.run(CACHE + f"cache.put({key!r}, 'v1')")
        two.run(CACHE + f"result = cache.get({key!r})")
        one.run(CACHE + f"cache.put({key!r}, 'v2')")
        if (seen := two.run(CACHE + f"result = cache.get({key!r})")) != "v2":
            problems.append(f"an overwrite by another process read as {seen!r}")
        one.run(CACHE + f"cache.forget({key!r})")
        if (seen := two.run(CACHE + f"result = cache.get({key!r})")) is not None:
            problems.append(f"a key deleted by another process read as {seen!r}")
        one.run(CACHE + f"cache.put({fresh_key!r}, {{'n': 1}})")
    with target.agent() as three:
        if (seen := three.run(CACHE + f"result = cache.get({fresh_key!r})")) != {"n": 1}:
            problems.append(f"an existing key read as {seen!r} in a new process")
    return problems


def test_every_cache_read_goes_to_redis_so_all_processes_agree(app, stock):
    assert sharing_problems(stock), "stock serves reads from a per-process copy"
    assert sharing_problems(app) == []


def default_problems(target) -> list[str]:
    absent = unique("absent")
    results = target.run(CACHE + f"result = [cache.get({absent!r}, d) for d in (0, False, '', [])]")
    return [] if results == [0, False, "", []] else [f"falsy defaults came back as {results}"]


def test_falsy_defaults_are_honoured(app, stock):
    assert default_problems(stock), "stock returns None for falsy defaults"
    assert default_problems(app) == []


def flush_problems(target, redis) -> list[str]:
    client = redis_py.Redis(port=redis.port)
    client.set("another-app:data", "keep me")
    mine = unique("mine")
    problems = []
    target.run(CACHE + f"cache.put({mine!r}, 'x')")
    namespaced = [key.decode() for key in client.scan_iter(match=f"*{mine}")]
    if len(namespaced) != 1 or namespaced[0] == mine or ":" not in namespaced[0]:
        problems.append(f"the key is not namespaced: {namespaced}")
    target.run(CACHE + "cache.flush()")
    if client.get("another-app:data") != b"keep me":
        problems.append("flush() deleted another application's key")
    if list(client.scan_iter(match=f"*{mine}")):
        problems.append("flush() left the app's own key")
    client.delete("another-app:data")
    return problems


def test_flush_removes_only_the_apps_namespace(app, stock, redis):
    assert flush_problems(stock, redis), "stock runs FLUSHALL"
    assert flush_problems(app, redis) == []


def atomicity_problems(target) -> list[str]:
    key = unique("counter")
    increments = 150
    errors = []

    def count(agent):
        try:
            agent.run(CACHE + f"for _ in range({increments}): cache.increment({key!r})")
        except AgentError as error:
            errors.append(f"increment failed: {str(error).splitlines()[0]}")

    with target.agent() as one, target.agent() as two:
        one.run(CACHE + f"cache.put({key!r}, 0)")
        workers = [threading.Thread(target=count, args=(agent,)) for agent in (one, two)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        total = one.run(CACHE + f"result = cache.get({key!r})")
    if total != 2 * increments:
        errors.append(f"{2 * increments} increments from two processes gave {total}")
    return errors


def test_increments_from_several_processes_are_atomic(app, stock):
    assert atomicity_problems(stock), "stock increments a per-process copy"
    assert atomicity_problems(app) == []


def semantics_problems(target) -> list[str]:
    key, remembered = unique("added"), unique("remembered")
    code = CACHE + (
        f"first = cache.add({key!r}, 'first')\n"
        f"second = cache.add({key!r}, 'second')\n"
        "calls = []\n"
        "def compute(store):\n"
        "    calls.append(1)\n"
        "    return 'computed'\n"
        f"r1 = cache.remember({remembered!r}, compute)\n"
        f"r2 = cache.remember({remembered!r}, compute)\n"
        f"cache.forget({key!r})\n"
        f"result = [first, second, cache.get({key!r}), cache.has({key!r}), r1, r2, len(calls),"
        f" cache.get({remembered!r})]\n"
    )
    seen = target.run(code)
    expected = ["first", "first", None, False, "computed", "computed", 1, "computed"]
    return [] if seen == expected else [f"add/forget/remember gave {seen}, expected {expected}"]


def test_add_remember_and_forget_do_what_their_names_say(app, stock):
    assert semantics_problems(stock), "stock's add overwrites and remember discards the callback's value"
    assert semantics_problems(app) == []


def redis_url_problems(target) -> list[str]:
    key = unique("via-url")
    with redis_server() as other:
        target.run(CACHE + f"cache.put({key!r}, 'here')", REDIS_URL=f"redis://127.0.0.1:{other.port}/0")
        found = [k for k in redis_py.Redis(port=other.port).scan_iter(match=f"*{key}")]
    return [] if found else ["REDIS_URL is ignored"]


def test_the_cache_is_configured_from_redis_url(app, stock):
    assert redis_url_problems(stock), "stock has no REDIS_URL support"
    assert redis_url_problems(app) == []


def timeout_problems(target) -> list[str]:
    """Both timeouts must be set, and short enough that a frozen Redis cannot hold a request
    (or the 5-second health check) for long: redis-py's own default is 5 s."""
    options = target.run(CACHE + "result = cache.get_connection().connection_pool.connection_kwargs")
    return [
        f"{name} is {options.get(name)!r}"
        for name in ("socket_timeout", "socket_connect_timeout")
        if not options.get(name) or float(options[name]) > 2.5
    ]


def test_redis_connect_and_socket_timeouts_are_short(app, stock):
    assert timeout_problems(stock), "stock leaves redis-py's 5 s defaults"
    assert timeout_problems(app) == []


def throttle_problems(target, second_dyno) -> list[str]:
    statuses = []
    for url in (target.url, second_dyno.url) * 2:
        statuses.append(requests.get(url + "/_probe/throttled", timeout=10).status_code)
    return [] if statuses == [200, 200, 200, 429] else [f"3/minute across two dynos gave {statuses}"]


def test_throttle_counts_across_dynos(app, stock):
    with gunicorn_dyno(stock.project, stock.bin_dir, stock.settings, name="stock.2") as second:
        assert throttle_problems(stock, second), "stock counts per process"
    with web_dyno(app.project, app.bin_dir, app.settings, "app.2") as second:
        assert throttle_problems(app, second) == []
