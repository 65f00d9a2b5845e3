"""PostgreSQL as on Heroku: TLS only, a pooled connection per worker, and recovery after a restart."""

import time

from tests.conftest import require_tls
from tests.servers import run_release


def test_probes_reuse_one_tls_connection_per_worker(app, other_app, browser, postgres):
    opened_before = postgres.connections_opened()

    for _ in range(50):
        for server in (app, other_app):
            assert browser.get(f"{server.url}/health").status_code == 200

    # 2 web processes x WEB_CONCURRENCY=2 workers, each keeping its connection: at most 4 new ones
    # (the stock driver opened one per probe: 100 here).
    assert postgres.connections_opened() - opened_before <= 4
    if postgres.tls:
        authorized = [line for line in postgres.full_output().splitlines() if "connection authorized: user=app" in line]
        assert all("SSL enabled" in line for line in authorized)


def test_a_database_url_asking_for_plaintext_fails_loudly_without_the_password(app_settings, postgres):
    require_tls(postgres)
    url = postgres.database_url + "?sslmode=disable"

    try:
        run_release({**app_settings, "DATABASE_URL": url})
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError("the release phase connected without TLS")

    assert "DATABASE_URL" in message and "sslmode=disable" in message
    assert postgres.password not in message


def test_health_reports_a_database_outage_and_recovers_without_a_restart(app, browser, postgres):
    assert browser.get(f"{app.url}/health").status_code == 200
    postgres.stop()
    try:
        started = time.monotonic()
        health = browser.get(f"{app.url}/health")
        seconds = time.monotonic() - started
        welcome = browser.get(f"{app.url}/")
    finally:
        postgres.start()

    assert health.status_code == 503 and seconds < 5
    assert health.json()["checks"] == {"cache": "ok", "storage": "ok", "database": "error"}
    assert welcome.status_code == 200, "a page that needs no database keeps answering"
    assert browser.get(f"{app.url}/health").status_code == 200
