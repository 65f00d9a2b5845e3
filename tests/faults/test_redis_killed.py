"""Redis killed (SIGKILL) under steady load, then restarted on the same port.

While Redis is gone: pages that do not need the cache answer as usual, `/uploads` lists the
files straight from the database (never a 5xx), and `/health` reports the cache as failing.
After Redis comes back everything recovers within 5 s, with the same dyno processes.
"""

import json
import time

import pytest

from tests.faults.conftest import listed_names, running_stack, upload, upload_links
from tests.faults.traffic import SteadyLoad, summary, timed_get, wait_until
from tests.support.browser import Browser

BASELINE_SECONDS = 1.0
OUTAGE_SECONDS = 3.0
RECOVERY_LIMIT_SECONDS = 5.0
SEEDED = ["before-outage-1.txt", "before-outage-2.txt"]


@pytest.fixture(scope="module")
def app(slug, project_bin, tmp_path_factory, postgres):
    with running_stack(slug, project_bin, tmp_path_factory.mktemp("redis-killed"), postgres) as stack:
        yield stack


def health_problem(outcome, cache_expected: str) -> str | None:
    if outcome.status not in (200, 503):
        return f"/health answered {outcome.status or outcome.error}"
    checks = json.loads(outcome.body)["checks"]
    if (checks["cache"] == "ok") != (cache_expected == "ok"):
        return f"/health reported cache {checks['cache']!r}"
    if checks["storage"] != "ok" or checks["database"] != "ok":
        return f"/health reported {checks}"
    return None


def expected_status(path: str) -> int:
    return 302 if path.startswith("/uploads/") else 200  # a download link redirects to S3


def healthy(outcome) -> bool:
    if outcome.status != expected_status(outcome.path):
        return False
    return outcome.path != "/health" or health_problem(outcome, "ok") is None


def test_redis_sigkill_under_load_degrades_then_recovers_without_restarting_dynos(app):
    seeder = Browser(app.dynos[0].url)
    for name in SEEDED:
        assert upload(seeder, b"seed", name).status_code == 303
    download = upload_links(seeder.get("/uploads").text)[SEEDED[0]]
    pids = app.process_ids()
    # "/" and a download link (S3 only) do not need the cache; "/uploads" reads it; "/health" checks it.
    plan = [
        (dyno.url, paths)
        for dyno in app.dynos
        for paths in (["/", "/uploads", "/health"], ["/uploads", download, "/health"])
    ]

    with SteadyLoad(plan) as load:
        time.sleep(BASELINE_SECONDS)
        killed_at = time.monotonic()
        app.redis.kill()
        time.sleep(OUTAGE_SECONDS)
        restarting_at = time.monotonic()
        app.redis.start()  # same port and arguments; returns once it listens
        restarted_at = time.monotonic()
        health_back = wait_until(
            lambda: all(healthy(timed_get(dyno.url, "/health", 10)) for dyno in app.dynos), RECOVERY_LIMIT_SECONDS + 5
        )
        time.sleep(max(0.0, restarted_at + RECOVERY_LIMIT_SECONDS + 0.5 - time.monotonic()))

    # Requests in flight at the kill, or while Redis was starting again, could see either state: left out
    # of the phases (but still checked for 5xx below).
    baseline = [o for o in load.started_between(0, killed_at) if o.started + o.seconds < killed_at]
    outage = [o for o in load.started_between(killed_at, restarting_at) if o.started + o.seconds < restarting_at]
    after = load.started_between(restarted_at)
    print(f"\n[redis SIGKILL] baseline: {summary(baseline)}")
    print(f"[redis SIGKILL] outage {OUTAGE_SECONDS:.0f} s: {summary(outage, expected_503='/health')}")
    for path, label in (
        ("/", "/"),
        (download, "/uploads/<token> (download)"),
        ("/uploads", "/uploads"),
        ("/health", "/health"),
    ):
        answers = [o.status or o.error for o in outage if o.path == path]
        print(f"[redis SIGKILL]   {label}: {len(answers)} requests, answers {sorted(set(answers), key=str)}")

    everything = load.started_between(0)
    assert [
        (o.path, o.status or o.error)
        for o in everything
        if o.status is None or (o.status >= 500 and not (o.path == "/health" and o.status == 503))
    ] == []
    assert all(healthy(o) for o in baseline), [(o.path, o.status, o.body[:200]) for o in baseline if not healthy(o)]

    problems = []
    for outcome in outage:
        if outcome.path in ("/", download) and outcome.status != expected_status(outcome.path):
            problems.append(f"{outcome.path} answered {outcome.status or outcome.error}")
        elif outcome.path == "/uploads":
            if outcome.status != 200:
                problems.append(f"/uploads answered {outcome.status or outcome.error}")
            elif not set(SEEDED) <= set(listed_names(outcome.body)):
                problems.append("/uploads did not list the recorded files")
        elif outcome.path == "/health":
            if outcome.status != 503:
                problems.append(f"/health answered {outcome.status or outcome.error} while Redis was down")
            elif problem := health_problem(outcome, "failing"):
                problems.append(problem)
    assert {o.path for o in outage} == {"/", download, "/uploads", "/health"}, "every path was exercised"
    assert problems == [], sorted(set(problems))

    # Recovered: from some moment on, every request answers normally again.
    failures_after = [o for o in after if not healthy(o)]
    recovered_at = max((o.started + o.seconds for o in failures_after), default=restarted_at)
    recovery = recovered_at - restarted_at
    health_text = "never" if health_back is None else f"after {health_back:.2f} s"
    print(
        f"[redis SIGKILL] after restart: {summary(after, expected_503='/health')}; "
        f"{len(failures_after)} answers before recovery; "
        f"all answers normal {recovery:.2f} s after the restart; /health 200 on both dynos {health_text}"
    )
    assert health_back is not None and health_back <= RECOVERY_LIMIT_SECONDS
    assert recovery <= RECOVERY_LIMIT_SECONDS
    assert any(o.path == "/uploads" and o.started > recovered_at for o in after)
    assert app.redis_client().exists(app.upload_list_cache_key()), "/uploads uses the cache again"
    assert app.process_ids() == pids, "no dyno or worker was restarted"
