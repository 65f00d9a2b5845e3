"""Masonite ORM's Postgres connection, drawing from a per-process pool and honouring the whole URL.

Registered in config/database.py under the driver name ``pooled_postgres``; models, the
query builder, migrations and `/health` use it like the stock driver. Differences:

* connections come from ConnectionPool (bounded, checked before reuse, fork-safe)
  instead of one new TLS connection per query;
* libpq gets DATABASE_URL itself, so every parameter of its query string applies;
* a failed connection or a connection lost mid-query raises DatabaseUnavailable (a 503
  naming DATABASE_URL with its password masked) instead of a QueryException (a 500),
  and the stock driver's own crash when closing a connection that never opened is gone.
"""

import threading

import psycopg2
from masoniteorm.connections import PostgresConnection
from masoniteorm.exceptions import QueryException

from production_layer.database.ConnectionPool import ConnectionPool, PoolTimeout
from production_layer.database.database_url import POOLED_POSTGRES, redact
from production_layer.database.DatabaseUnavailable import DatabaseUnavailable

_pools: dict[tuple, ConnectionPool] = {}
_pools_lock = threading.Lock()


class PooledPostgresConnection(PostgresConnection):
    name = POOLED_POSTGRES

    def create_connection(self):
        try:
            return self.pool().acquire()
        except (psycopg2.Error, PoolTimeout) as error:
            raise self.unavailable(error) from error

    def close_connection(self):
        connection, self._connection = self._connection, None
        if connection is not None:
            self.pool().release(connection)

    def query(self, query, bindings=(), results="*"):
        try:
            return super().query(query, bindings, results)
        except QueryException as error:
            cause = error.__cause__
            if isinstance(cause, DatabaseUnavailable):
                raise cause from cause.__cause__
            if isinstance(cause, psycopg2.OperationalError | psycopg2.InterfaceError):
                raise self.unavailable(cause) from cause
            raise

    def pool(self) -> ConnectionPool:
        details = self.full_details
        key = (details["dsn"], tuple(sorted(details["options"].items())), details["pool_size"], details["pool_timeout"])
        with _pools_lock:
            if key not in _pools:
                parameters = dict(details["options"])
                _pools[key] = ConnectionPool(
                    lambda: psycopg2.connect(details["dsn"], **parameters),
                    max_size=details["pool_size"],
                    timeout=details["pool_timeout"],
                )
            return _pools[key]

    def unavailable(self, error: Exception) -> DatabaseUnavailable:
        url = self.full_details["dsn"]
        reason = " ".join(str(error).split()) or type(error).__name__
        message = f"Could not use the database at DATABASE_URL={redact(url)}: {reason}"
        sslmode = self.full_details["options"].get("sslmode")
        if sslmode in ("disable", "allow") and "no encryption" in reason:
            message += (
                f" (DATABASE_URL asks for sslmode={sslmode}, and this server accepts TLS connections only, "
                "like Heroku Postgres: remove sslmode from the URL or set sslmode=require)"
            )
        password = self.password
        if password:
            message = message.replace(password, "***")
        return DatabaseUnavailable(message)
