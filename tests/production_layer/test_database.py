"""production_layer/database/: DATABASE_URL read in full, and the per-worker pool on a real PostgreSQL.

The pool tests run against a server of their own (configured like Heroku Postgres when this
machine has a TLS-capable one), since they stop, restart and kill it.
"""

import os
import threading
import time

import psycopg2
import pytest
from masoniteorm.connections import ConnectionResolver
from masoniteorm.query import QueryBuilder
from production_layer.database.ConnectionPool import ConnectionPool, PoolTimeout
from production_layer.database.database_url import InvalidDatabaseUrl, connection_from_url, redact, sslmode_for
from production_layer.database.DatabaseUnavailable import DatabaseUnavailable
from production_layer.database.PooledPostgresConnection import PooledPostgresConnection

from tests.support.postgres import find_binaries, postgres_server

URL = "postgres://user:s3cret-pass@db.example.com:5433/shop"

# What config/database.py does in a project.
ConnectionResolver().register(PooledPostgresConnection)


# DATABASE_URL -------------------------------------------------------------------------


def test_the_password_never_appears_in_a_redacted_url():
    assert redact(URL + "?sslmode=require") == "postgres://user:***@db.example.com:5433/shop?sslmode=require"
    assert redact("postgres://db.example.com/shop") == "postgres://db.example.com/shop"


def test_sslmode_comes_from_the_url_then_pgsslmode_then_require(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert sslmode_for(URL) == "require"
    monkeypatch.setenv("PGSSLMODE", "verify-full")
    assert sslmode_for(URL) == "verify-full"
    assert sslmode_for(URL + "?sslmode=verify-ca") == "verify-ca"
    assert sslmode_for(URL + "?sslmode=disable") == "disable", "the URL wins, even when it asks for less"


def test_every_libpq_parameter_of_the_url_reaches_the_connection(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    url = URL + "?sslrootcert=/etc/ca.pem&application_name=web&connect_timeout=5"
    connection = connection_from_url(url, pool_size=2, pool_timeout=3)

    assert connection["driver"] == "pooled_postgres"
    assert connection["dsn"] == url
    assert connection["options"] == {
        "sslrootcert": "/etc/ca.pem",
        "application_name": "web",
        "connect_timeout": "5",
        "sslmode": "require",
    }
    assert (connection["host"], connection["port"], connection["database"]) == ("db.example.com", 5433, "shop")


@pytest.mark.parametrize(
    "url",
    ["mysql://user:s3cret-pass@db/shop", URL + "?sslmode=strict", "postgres://user:s3cret-pass@db:port/shop"],
    ids=["another database", "an unknown sslmode", "a port that is not a number"],
)
def test_a_url_that_cannot_work_stops_the_boot_naming_database_url_without_the_password(url):
    with pytest.raises(InvalidDatabaseUrl) as refused:
        connection_from_url(url, pool_size=2, pool_timeout=3)

    assert "DATABASE_URL" in str(refused.value)
    assert "s3cret-pass" not in str(refused.value)


def test_sqlite_stays_an_explicit_choice():
    assert connection_from_url("sqlite:////tmp/app.sqlite3", 2, 3)["driver"] == "sqlite"


# The pool, on a real server ---------------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    with postgres_server(find_binaries(), name="postgres-pool") as server:
        yield server


@pytest.fixture
def database_url(server, request):
    """A new database; the URL asks for plaintext only on a server built without TLS."""
    url = server.create_database("pool_" + request.node.name[-40:].lower())
    return url if server.tls else url + "?sslmode=disable"


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


def details(url: str, pool_size: int = 2, pool_timeout: float = 1.0) -> dict:
    return {"default": "primary", "primary": connection_from_url(url, pool_size, pool_timeout)}


def query(connection_details: dict, sql: str = "SELECT pg_backend_pid() AS pid") -> list:
    return QueryBuilder(connection_details=connection_details).statement(sql)


def backend_pid(connection_details: dict) -> int:
    return query(connection_details)[0]["pid"]


def test_queries_reuse_one_pooled_connection_over_tls(server, database_url):
    connection_details = details(database_url)

    pids = {backend_pid(connection_details) for _ in range(20)}

    assert len(pids) == 1
    sessions = server.authorized_connections(database_name(database_url))
    assert len(sessions) == 1
    if server.tls:
        assert "SSL enabled" in sessions[0]


def test_the_pool_is_bounded_and_a_caller_waits_then_gets_a_503(server, database_url):
    connection_details = details(database_url, pool_size=2, pool_timeout=0.5)
    outcomes = []

    def slow_query():
        try:
            query(connection_details, "SELECT pg_sleep(1.5)")
            outcomes.append("ok")
        except DatabaseUnavailable as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=slow_query) for _ in range(5)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    open_now = server.backends(database_name(database_url))
    for thread in threads:
        thread.join()

    assert open_now == 2
    assert outcomes.count("ok") == 2
    refused = [outcome for outcome in outcomes if outcome != "ok"]
    assert len(refused) == 3 and all("DATABASE_URL" in text and "busy" in text for text in refused)
    assert all(server.app_password not in text for text in refused)


def test_a_restarted_server_costs_no_failed_query(server, database_url):
    connection_details = details(database_url)
    before = backend_pid(connection_details)

    server.stop()  # a fast shutdown, as in a maintenance: the server closes every connection
    server.start()

    assert backend_pid(connection_details) != before  # a new connection, and no error on the way


def test_after_a_crash_the_dead_connection_is_replaced(server, database_url):
    connection_details = details(database_url)
    backend_pid(connection_details)

    server.kill()  # SIGKILL: no goodbye from the server, only a closed socket
    server.start()

    assert backend_pid(connection_details)


def test_an_outage_is_a_503_naming_database_url_and_the_next_query_after_it_works(server, database_url):
    connection_details = details(database_url)
    backend_pid(connection_details)

    server.stop()
    try:
        with pytest.raises(DatabaseUnavailable) as outage:
            backend_pid(connection_details)
    finally:
        server.start()

    assert outage.value.get_status() == 503
    assert "DATABASE_URL=postgres://app:***@127.0.0.1" in str(outage.value)
    assert server.app_password not in str(outage.value)
    assert backend_pid(connection_details)


def test_the_stock_driver_opens_a_connection_per_query_and_its_pool_fails_after_a_restart(server, database_url):
    """Why the stock driver is replaced: the reason this module exists, shown on the same server."""
    database = database_name(database_url)
    sslmode = "require" if server.tls else "disable"
    stock = details(database_url)["primary"] | {"driver": "postgres", "options": {"sslmode": sslmode}}
    before = len(server.authorized_connections(database))
    for _ in range(5):
        QueryBuilder(connection_details={"default": "primary", "primary": stock}).statement("SELECT 1")
    assert len(server.authorized_connections(database)) - before == 5

    pooled = stock | {"connection_pooling_enabled": True, "connection_pooling_max_size": 5}
    connection_details = {"default": "primary", "primary": pooled}
    QueryBuilder(connection_details=connection_details).statement("SELECT 1")
    server.stop()
    server.start()
    failures = 0
    for _ in range(3):
        try:
            QueryBuilder(connection_details=connection_details).statement("SELECT 1")
        except Exception:
            failures += 1
    # Stock hands out the dead connection (a failed query), puts it back, fails again on it, then drops it.
    assert failures >= 1, "the stock pool checks nothing before reuse"


def test_fork_gives_the_child_its_own_connections_and_leaves_the_parents_alone(server, database_url):
    connection_details = details(database_url)
    pool = PooledPostgresConnection(**connection_info(connection_details)).pool()
    in_use = pool.acquire()  # held across the fork, as by another thread of a preloaded master
    idle_pid = backend_pid(connection_details)  # a second connection, idle in the pool at the fork
    read, write = os.pipe()

    child = os.fork()
    if child == 0:
        try:
            pid = backend_pid(connection_details)
            in_use.close()  # closing the inherited copy must not end the parent's session
            os.write(write, str(pid).encode())
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    child_pid = int(os.read(read, 32))

    with in_use.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        in_use_pid = cursor.fetchone()[0]
    pool.release(in_use)
    parent_pid = backend_pid(connection_details)

    assert child_pid not in (idle_pid, in_use_pid), "the child never uses a connection of the parent"
    assert parent_pid != idle_pid, "idle connections are closed before the fork"
    assert in_use.closed == 0, "the parent's connection in use survived the child closing its copy"


def connection_info(connection_details: dict) -> dict:
    primary = connection_details["primary"]
    keys = ("host", "database", "user", "port", "password", "prefix", "options")
    return {key: primary.get(key) for key in keys} | {"full_details": primary}


def test_a_pool_never_hands_out_a_connection_the_server_closed(server, database_url):
    pool = ConnectionPool(lambda: psycopg2.connect(database_url, sslmode="prefer"), max_size=1, timeout=0.2)
    first = pool.acquire()
    pool.release(first)
    server.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (database_name(database_url),),
    )
    time.sleep(0.1)

    second = pool.acquire()

    assert second is not first and second.closed == 0
    pool.release(second)
    held = pool.acquire()
    with pytest.raises(PoolTimeout):
        pool.acquire()
    pool.release(held)
