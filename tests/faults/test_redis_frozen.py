"""Redis frozen (SIGSTOP): it still accepts connections but never answers.

No request may hang longer than the configured Redis socket timeout plus 1 s, and
`/health` answers within 5 s, reporting the cache as failing.
"""

import json
import signal
import time

import pytest

from tests.faults.conftest import csrf_token, listed_names, running_stack, upload
from tests.faults.traffic import Outcome, SteadyLoad, summary, timed_get, wait_until
from tests.support.browser import Browser

FROZEN_SECONDS = 4.0
HEALTH_LIMIT_SECONDS = 5.0


@pytest.fixture(scope="module")
def app(slug, project_bin, tmp_path_factory, postgres):
    with running_stack(slug, project_bin, tmp_path_factory.mktemp("redis-frozen"), postgres) as stack:
        yield stack


def timed_upload(browser: Browser, url: str, token: str, name: str) -> Outcome:
    started = time.monotonic()
    response = upload(browser, b"written while Redis was frozen", name, base_url=url, token=token)
    return Outcome(url, "POST /uploads", started, time.monotonic() - started, response.status_code, None, "")


def test_frozen_redis_never_holds_a_request_past_the_socket_timeout(app):
    limit = float(app.settings["REDIS_SOCKET_TIMEOUT"]) + 1
    browsers = {dyno.url: Browser(dyno.url) for dyno in app.dynos}
    tokens = {url: csrf_token(browser) for url, browser in browsers.items()}
    assert upload(browsers[app.dynos[0].url], b"seed", "before-freeze.txt").status_code == 303
    # Two clients per dyno, one per sync worker, so that no request waits in gunicorn's queue.
    plan = [(dyno.url, paths) for dyno in app.dynos for paths in (["/uploads", "/"], ["/", "/uploads"])]

    app.redis.signal(signal.SIGSTOP)
    try:
        frozen_at = time.monotonic()
        with SteadyLoad(plan) as load:
            time.sleep(FROZEN_SECONDS)
        pages = load.started_between(frozen_at)
        uploads = [
            timed_upload(browsers[url], url, tokens[url], f"during-freeze-{n}.txt") for n, url in enumerate(browsers)
        ]
        health = [timed_get(dyno.url, "/health", timeout=30) for dyno in app.dynos]
    finally:
        app.redis.signal(signal.SIGCONT)
    recovered = wait_until(lambda: all(timed_get(d.url, "/health", 10).status == 200 for d in app.dynos), 10)

    print(
        f"\n[redis SIGSTOP] pages while frozen ({FROZEN_SECONDS:.0f} s): {summary(pages)}; "
        f"limit {limit:.1f} s (REDIS_SOCKET_TIMEOUT {app.settings['REDIS_SOCKET_TIMEOUT']} s + 1 s)"
    )
    print(f"[redis SIGSTOP] uploads while frozen: {summary(uploads)}; answers {[o.status for o in uploads]}")
    caches = [json.loads(o.body)["checks"]["cache"] if o.status in (200, 503) else None for o in health]
    print(
        f"[redis SIGSTOP] /health while frozen: {summary(health, expected_503='/health')}; "
        f"answers {[o.status for o in health]}, cache {caches}"
    )
    back = "never" if recovered is None else f"{recovered:.2f} s after SIGCONT"
    print(f"[redis SIGSTOP] /health 200 on both dynos again: {back}")

    slow = [(o.path, round(o.seconds, 2)) for o in pages + uploads if o.seconds > limit]
    assert slow == [], f"requests held longer than {limit} s: {slow}"
    assert [o.status for o in pages if o.status != 200] == []
    assert all("before-freeze.txt" in listed_names(o.body) for o in pages if o.path == "/uploads")
    assert [o.status for o in uploads] == [303, 303]
    assert all(outcome.seconds < HEALTH_LIMIT_SECONDS for outcome in health)
    assert [outcome.status for outcome in health] == [503, 503]
    assert "ok" not in caches
    assert recovered is not None
