"""The generated app on PostgreSQL configured like Heroku Postgres (TLS only): pooled connections,
and DATABASE_URL honoured in full (sslmode and the other libpq parameters)."""

import requests

from tests.support.app_agent import AppAgent
from tests.support.dynos import dyno_environment, web_dyno
from tests.support.postgres import require_tls

REQUESTS_PER_PATH = 50
PATHS = ("/health", "/uploads", "/")

CONNECT = """
from masoniteorm.query import QueryBuilder
from production_layer.database.database_url import connection_from_url
details = {{"default": "primary", "primary": connection_from_url({url!r}, 2, 3)}}
try:
    row = QueryBuilder(connection_details=details).statement(
        "SELECT s.ssl, current_setting('application_name') AS name FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()"
    )[0]
    result = {{"ssl": row["ssl"], "name": row["name"]}}
except Exception as error:
    result = {{"error": f"{{type(error).__name__}}: {{error}}"}}
"""


def test_pages_and_probes_reuse_pooled_tls_connections(stack):
    opened_before = len(stack.postgres.authorized_connections(stack.database))

    for _ in range(REQUESTS_PER_PATH):
        for dyno in stack.dynos:
            for path in PATHS:
                assert requests.get(dyno.url + path, timeout=10).status_code == 200, path

    sessions = stack.postgres.authorized_connections(stack.database)
    opened = len(sessions) - opened_before
    workers = len(stack.dynos) * int(stack.settings["WEB_CONCURRENCY"])
    print(
        f"\n[postgres] {REQUESTS_PER_PATH * len(PATHS) * len(stack.dynos)} requests on {workers} workers: "
        f"{opened} new connections; {stack.postgres.backends(stack.database)} open now"
    )
    # The stock driver opened one connection per query: 200 for the /health and /uploads requests here.
    assert opened <= workers * 2, "at most DATABASE_POOL_SIZE (2) per worker"
    assert stack.postgres.backends(stack.database) <= workers * 2
    if stack.postgres.tls:
        assert all("SSL enabled" in line for line in sessions), "every connection is TLS"


def test_sslmode_and_the_other_libpq_parameters_of_database_url_are_honoured(stack):
    require_tls(stack.postgres)
    postgres = stack.postgres
    url = stack.settings["DATABASE_URL"]
    cert = postgres.certificate
    env = dyno_environment(stack.bin_dir, stack.settings)
    env.pop("PGSSLMODE", None)

    with AppAgent(stack.project, stack.bin_dir / "python", env) as agent:
        default = agent.run(CONNECT.format(url=url))
        disable = agent.run(CONNECT.format(url=url + "?sslmode=disable"))
        verify_full = agent.run(CONNECT.format(url=f"{url}?sslmode=verify-full&sslrootcert={cert}"))
        verify_ca = agent.run(CONNECT.format(url=f"{url}?sslmode=verify-ca&sslrootcert={cert}&application_name=ca"))

    assert default == {"ssl": True, "name": ""}, "no sslmode in the URL: require"
    assert "DatabaseUnavailable" in disable["error"] and "DATABASE_URL=" in disable["error"]
    assert "sslmode=disable" in disable["error"] and "accepts TLS connections only" in disable["error"]
    assert postgres.app_password not in disable["error"]
    # The certificate names postgres.local, not 127.0.0.1: verify-full must refuse it (require would not).
    assert "does not match host name" in verify_full["error"]
    assert verify_ca == {"ssl": True, "name": "ca"}

    with AppAgent(stack.project, stack.bin_dir / "python", {**env, "PGSSLMODE": "disable"}) as agent:
        from_pgsslmode = agent.run(CONNECT.format(url=url))
        url_wins = agent.run(CONNECT.format(url=url + "?sslmode=require"))
    assert "no encryption" in from_pgsslmode["error"], "without sslmode in the URL, PGSSLMODE applies"
    assert url_wins == {"ssl": True, "name": ""}


def test_a_plaintext_database_url_answers_503_on_database_pages_and_fails_loudly_in_the_logs(stack):
    require_tls(stack.postgres)
    settings = {**stack.settings, "DATABASE_URL": stack.settings["DATABASE_URL"] + "?sslmode=disable"}
    with web_dyno(stack.project, stack.bin_dir, settings, "web.plaintext") as dyno:
        health = requests.get(dyno.url + "/health", timeout=10)
        welcome = requests.get(dyno.url + "/", timeout=10)
        download = requests.get(dyno.url + "/uploads/20260101000000-" + "0" * 32 + ".txt", timeout=10)
        log = dyno.log()

    assert health.status_code == 503 and health.json()["checks"]["database"] == "error"
    assert welcome.status_code == 200, "pages that need no database keep answering"
    assert download.status_code == 503, "a page that needs the database says it is unavailable"
    assert "DATABASE_URL=postgres://app:***@127.0.0.1" in log and "sslmode=disable" in log
    assert stack.postgres.app_password not in log
