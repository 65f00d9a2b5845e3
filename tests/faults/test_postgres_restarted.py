"""PostgreSQL stopped under steady load (a fast shutdown, as in a Heroku Postgres maintenance or
failover), then started again on the same port.

While it is down: pages that use no database (`/`, static files) answer as usual, `/uploads` is
served from the Redis cache, `/health` answers 503 within 5 s naming the database, and an upload
gets a 503 and leaves nothing behind (neither an object in S3 nor a record).
After the restart every worker reconnects by itself: no 5xx, with the same dyno processes.
"""

import json
import time

import pytest

from tests.faults.conftest import listed_names, running_stack, upload
from tests.faults.traffic import SteadyLoad, summary, timed_get, wait_until
from tests.support.browser import Browser
from tests.support.postgres import find_binaries, postgres_server

BASELINE_SECONDS = 1.0
OUTAGE_SECONDS = 3.0
HEALTH_LIMIT_SECONDS = 5.0
RECOVERY_LIMIT_SECONDS = 5.0
SEEDED = "before-outage.txt"
LOST = "during-outage.txt"


@pytest.fixture(scope="module")
def app(slug, project_bin, tmp_path_factory):
    """A stack on a PostgreSQL server of its own: this module stops it."""
    with (
        postgres_server(find_binaries(), name="postgres-restarted") as postgres,
        running_stack(slug, project_bin, tmp_path_factory.mktemp("postgres-restarted"), postgres) as stack,
    ):
        yield stack


def normal(outcome) -> bool:
    if outcome.status != 200:
        return False
    if outcome.path == "/health":
        return json.loads(outcome.body)["status"] == "ok"
    return outcome.path != "/uploads" or SEEDED in listed_names(outcome.body)


def outage_problem(outcome) -> str | None:
    if outcome.path == "/health":
        if outcome.status != 503:
            return f"/health answered {outcome.status or outcome.error} while the database was down"
        checks = json.loads(outcome.body)["checks"]
        if checks != {"cache": "ok", "storage": "ok", "database": "error"}:
            return f"/health reported {checks}"
        if outcome.seconds >= HEALTH_LIMIT_SECONDS:
            return f"/health took {outcome.seconds:.1f} s"
        return None
    if not normal(outcome):
        return f"{outcome.path} answered {outcome.status or outcome.error}"
    return None


def test_postgres_stopped_and_restarted_under_load(app):
    seeder = Browser(app.dynos[0].url)
    assert upload(seeder, b"seed", SEEDED).status_code == 303
    assert SEEDED in listed_names(seeder.get("/uploads").text)  # the list is now in Redis
    objects_before = app.object_keys()
    pids = app.process_ids()
    # "/" and static files use no database; "/uploads" comes from the cache; "/health" checks the database.
    plan = [
        (dyno.url, paths) for dyno in app.dynos for paths in (["/", "/uploads", "/health"], ["/robots.txt", "/health"])
    ]

    with SteadyLoad(plan) as load:
        time.sleep(BASELINE_SECONDS)
        stopping_at = time.monotonic()
        app.postgres.stop()
        stopped_at = time.monotonic()
        visitor = Browser(app.dynos[1].url)
        lost = upload(visitor, b"written while the database was down", LOST)
        time.sleep(max(0.0, stopped_at + OUTAGE_SECONDS - time.monotonic()))
        restarting_at = time.monotonic()
        app.postgres.start()
        restarted_at = time.monotonic()
        health_back = wait_until(
            lambda: all(normal(timed_get(dyno.url, "/health", 10)) for dyno in app.dynos), RECOVERY_LIMIT_SECONDS + 5
        )
        time.sleep(max(0.0, restarted_at + RECOVERY_LIMIT_SECONDS + 0.5 - time.monotonic()))

    # Requests in flight while the server was stopping or starting could see either state: left out of
    # the phases (but still checked for 5xx below).
    baseline = [o for o in load.started_between(0, stopping_at) if o.started + o.seconds < stopping_at]
    outage = [o for o in load.started_between(stopped_at, restarting_at) if o.started + o.seconds < restarting_at]
    after = load.started_between(restarted_at)
    print(f"\n[postgres stopped] baseline: {summary(baseline)}")
    print(f"[postgres stopped] outage {OUTAGE_SECONDS:.0f} s: {summary(outage, expected_503='/health')}")
    for path in ("/", "/robots.txt", "/uploads", "/health"):
        answers = sorted({o.status or o.error for o in outage if o.path == path}, key=str)
        slowest = max((o.seconds for o in outage if o.path == path), default=0.0)
        print(
            f"[postgres stopped]   {path}: {sum(o.path == path for o in outage)} requests, {answers}, max {slowest:.2f} s"
        )
    print(f"[postgres stopped]   POST /uploads: {lost.status_code}")

    everything = load.started_between(0)
    assert [
        (o.path, o.status or o.error)
        for o in everything
        if o.status is None or (o.status >= 500 and not (o.path == "/health" and o.status == 503))
    ] == [], "no 5xx but /health's 503"
    assert all(normal(o) for o in baseline), [(o.path, o.status) for o in baseline if not normal(o)]
    assert {o.path for o in outage} == {"/", "/robots.txt", "/uploads", "/health"}, "every path was exercised"
    assert sorted({p for o in outage if (p := outage_problem(o))}) == []

    assert lost.status_code == 503, "an upload while the database is down is refused"
    assert app.object_keys() == objects_before, "its object was removed again"
    assert LOST not in app.recorded_names() and SEEDED in app.recorded_names()

    failures_after = [o for o in after if not normal(o)]
    recovered_at = max((o.started + o.seconds for o in failures_after), default=restarted_at)
    health_text = "never" if health_back is None else f"after {health_back:.2f} s"
    print(
        f"[postgres stopped] after restart: {summary(after, expected_503='/health')}; "
        f"{len(failures_after)} answers before recovery, all normal {recovered_at - restarted_at:.2f} s after "
        f"the restart; /health 200 on both dynos {health_text}"
    )
    assert health_back is not None and health_back <= RECOVERY_LIMIT_SECONDS
    assert recovered_at - restarted_at <= RECOVERY_LIMIT_SECONDS
    assert upload(Browser(app.dynos[0].url), b"after", "after-restart.txt").status_code == 303
    assert "after-restart.txt" in app.recorded_names()
    assert app.process_ids() == pids, "no dyno or worker was restarted"
