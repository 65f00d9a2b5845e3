"""Database Config

DATABASE_URL is the only source: Heroku Postgres sets it, and
`sqlite:////absolute/path.sqlite3` chooses SQLite explicitly (development).
"""

import os

from masoniteorm.config import db_url
from masoniteorm.connections import ConnectionResolver

from production_layer.environment import is_debug

# libpq reads this: a stuck database must not hang a request or the health check.
os.environ.setdefault("PGCONNECT_TIMEOUT", "3")

DEVELOPMENT_DATABASE_URL = "sqlite:///database.sqlite3"


def connection_from_url(url: str) -> dict:
    connection = db_url(url)
    if connection["driver"] == "postgres":
        connection["options"] = {"sslmode": os.environ.get("PGSSLMODE", "require")}
    return connection


DATABASE_URL = os.environ.get("DATABASE_URL") or (DEVELOPMENT_DATABASE_URL if is_debug() else "")

DATABASES = {
    "default": "primary",
    "primary": connection_from_url(DATABASE_URL) if DATABASE_URL else {},
}

DB = ConnectionResolver().set_connection_details(DATABASES)
