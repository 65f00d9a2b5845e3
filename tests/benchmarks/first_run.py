"""Group 8: a new project's first run, as a user meets it: `make install` (time, venv size) and
`make dev` from typing it to the first page on http://127.0.0.1:8000, install included.

Each run bakes a fresh project. pip's cache is warm (the benchmark installed the same
requirements moments before), which is the case the target speaks of.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.report import at_most, fmt_spread, spread, table
from tests.benchmarks.resources import first_200, stop_group
from tests.support.baking import bake

MB = 1024 * 1024
DEV_URL = "http://127.0.0.1:8000/"


def clean_environment() -> dict[str, str]:
    """This process's environment without what would leak into the project's own make and venv."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "VIRTUAL_ENV")) and key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")
    }


def dev_ports(project: Path) -> list[int]:
    """The fixed loopback ports `make dev` serves on: web, Valkey, S3 and PostgreSQL (from .env)."""
    from urllib.parse import urlparse

    env = dict(
        line.split("=", 1) for line in (project / ".env").read_text().splitlines() if "=" in line and line[0] != "#"
    )
    return [
        8000,
        urlparse(env["REDIS_URL"]).port,
        urlparse(env["AWS_ENDPOINT_URL_S3"]).port,
        urlparse(env["DATABASE_URL"]).port,
    ]


def require_free(ports: list[int]) -> None:
    for port in ports:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(f"port {port} is in use: `make dev` needs it free to be measured")


def venv_figures(venv: Path) -> tuple[float, int]:
    size = sum(path.stat().st_size for path in venv.rglob("*") if path.is_file() and not path.is_symlink())
    packages = len(list(venv.glob("lib/python*/site-packages/*.dist-info")))
    return size / MB, packages


def first_run(runs: int) -> dict:
    installs, sizes, packages, first_pages = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-first-run-") as folder:
        # As root, the embedded PostgreSQL runs as an unprivileged user, who must reach the venv.
        os.chmod(folder, 0o755)
        for run in range(runs):
            project = bake(Path(folder) / f"install-{run}")
            started = time.monotonic()
            subprocess.run(
                ["make", "install"], cwd=project, env=clean_environment(), check=True, capture_output=True, timeout=900
            )
            installs.append(time.monotonic() - started)
            size, count = venv_figures(project / ".venv")
            sizes.append(size)
            packages.append(count)

            project = bake(Path(folder) / f"dev-{run}")
            require_free(dev_ports(project))
            started = time.monotonic()
            process = subprocess.Popen(
                ["make", "dev"],
                cwd=project,
                env=clean_environment(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                first_pages.append(first_200(DEV_URL, started, process, limit=300))
            finally:
                stop_group(process)
            print(
                f"[bench] first run {run + 1}/{runs}: make install {installs[-1]:.1f} s, venv {size:.0f} MB "
                f"({count} packages); make dev to the first page {first_pages[-1]:.1f} s",
                file=sys.stderr,
            )
    return {
        "install_seconds": spread(installs),
        "venv_mb": spread(sizes),
        "venv_packages": spread(packages),
        "make_dev_first_page_seconds": spread(first_pages),
    }


def targets(figures: dict) -> list:
    return [
        at_most(
            "A new project's `make dev`, typing it to the first page, install included",
            figures["make_dev_first_page_seconds"],
            60,
            " s",
            1,
        )
    ]


def markdown(figures: dict) -> str:
    rows = [
        [
            "`make install` (requirements-dev.txt into a new .venv, warm pip cache)",
            fmt_spread(figures["install_seconds"], 1, " s"),
        ],
        [
            "the dev venv",
            f"{fmt_spread(figures['venv_mb'], 0, ' MB')}, {figures['venv_packages']['median']:.0f} packages",
        ],
        [
            "`make dev`: typing it to the first 200 on http://127.0.0.1:8000, install included",
            fmt_spread(figures["make_dev_first_page_seconds"], 1, " s"),
        ],
    ]
    return (
        "A freshly baked project each run, on this machine, with pip's cache warm. The dev venv has "
        "moto's S3 server only (`moto[s3]`, Flask, flask-cors): the `server` extra would add every AWS "
        "service's dependencies (cfn-lint, sympy, networkx, docker, aws-xray-sdk, ...), about 170 MB and "
        "30 packages the project never uses.\n\n" + table(["Step", "median (min–max)"], rows)
    )
