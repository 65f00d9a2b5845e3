"""Database Config

DATABASE_URL is the only source: Heroku Postgres sets it (postgres://user:pass@host:5432/db),
and `sqlite:////absolute/path.sqlite3` chooses SQLite explicitly. Every libpq parameter in
a Postgres URL's query string is honoured (`?sslmode=verify-full&sslrootcert=...`); without
`sslmode` in the URL, PGSSLMODE applies, else `require`.

Postgres connections come from a pool in each gunicorn worker (production_layer/database/):
at most DATABASE_POOL_SIZE per worker, so a formation opens at most
dynos x WEB_CONCURRENCY x DATABASE_POOL_SIZE connections (see README.md, "Database").
"""

import os

from masoniteorm.connections import ConnectionResolver

from production_layer.database.database_url import connection_from_url
from production_layer.database.PooledPostgresConnection import PooledPostgresConnection
from production_layer.environment import env_int, is_debug

# libpq reads this: a database that does not answer must not hang a request or the health check.
os.environ.setdefault("PGCONNECT_TIMEOUT", "3")

DEVELOPMENT_DATABASE_URL = "sqlite:///database.sqlite3"

DATABASE_URL = os.environ.get("DATABASE_URL") or (DEVELOPMENT_DATABASE_URL if is_debug() else "")

# Connections each worker process may open, and how long a request waits for a free one (seconds).
POOL_SIZE = env_int("DATABASE_POOL_SIZE", 2)
POOL_TIMEOUT = env_int("DATABASE_POOL_TIMEOUT", 3)

DATABASES = {
    "default": "primary",
    "primary": connection_from_url(DATABASE_URL, POOL_SIZE, POOL_TIMEOUT) if DATABASE_URL else {},
}

DB = ConnectionResolver().set_connection_details(DATABASES)
DB.register(PooledPostgresConnection)
