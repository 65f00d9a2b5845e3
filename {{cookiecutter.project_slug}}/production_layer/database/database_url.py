"""DATABASE_URL -> Masonite ORM connection settings, keeping every libpq parameter of the URL.

Masonite ORM's ``db_url`` drops the query string, so ``?sslmode=verify-full`` or
``?sslrootcert=...`` would be silently ignored. Here a Postgres URL is handed to libpq
as it is; only ``sslmode`` gets a default when the URL has none: ``PGSSLMODE`` if set,
else ``require`` (Heroku Postgres accepts TLS connections only).
"""

import os
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from masoniteorm.config import db_url

POSTGRES_SCHEMES = frozenset({"postgres", "postgresql"})
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
DEFAULT_SSLMODE = "require"
# The driver name config/database.py registers PooledPostgresConnection under.
POOLED_POSTGRES = "pooled_postgres"


class InvalidDatabaseUrl(SystemExit):
    """DATABASE_URL (or PGSSLMODE) cannot work; raised at boot, the message never shows the password."""


def redact(url: str) -> str:
    """The URL with its password replaced by ***, safe for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def url_parameters(url: str) -> dict[str, str]:
    """The libpq parameters given in the URL's query string (sslmode, sslrootcert, connect_timeout...)."""
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def sslmode_for(url: str) -> str:
    """The URL's own sslmode, else PGSSLMODE, else require."""
    sslmode = url_parameters(url).get("sslmode") or os.environ.get("PGSSLMODE", "").strip() or DEFAULT_SSLMODE
    if sslmode not in SSL_MODES:
        source = "DATABASE_URL" if "sslmode" in url_parameters(url) else "PGSSLMODE"
        raise InvalidDatabaseUrl(f"{source} asks for sslmode={sslmode!r}; use one of {', '.join(SSL_MODES)}")
    return sslmode


def connection_from_url(url: str, pool_size: int, pool_timeout: float) -> dict:
    """Masonite ORM connection details for a postgres:// or sqlite:/// URL."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return db_url(url, options={})
    if scheme not in POSTGRES_SCHEMES:
        raise InvalidDatabaseUrl(
            f"DATABASE_URL must start with postgres:// (Heroku Postgres) or sqlite:///, not {redact(url)!r}"
        )
    if pool_size < 1:
        raise InvalidDatabaseUrl(f"DATABASE_POOL_SIZE must be 1 or more, got {pool_size}")
    try:
        connection = db_url(url, options={})
    except ValueError as error:  # a port that is not a number, for example
        raise InvalidDatabaseUrl(f"DATABASE_URL is not a valid URL ({error}): {redact(url)!r}") from None
    parameters = url_parameters(url)
    parameters["sslmode"] = sslmode_for(url)
    connection.update(
        driver=POOLED_POSTGRES,
        # The URL itself goes to libpq; host, user and the rest above are for Masonite's own use.
        dsn=url,
        options=parameters,
        pool_size=pool_size,
        pool_timeout=pool_timeout,
    )
    return connection
