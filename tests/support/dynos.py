"""Run a generated project's Procfile processes the way Heroku runs them."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.support.processes import ManagedProcess, free_port


def procfile_command(project: Path, process: str, procfile: str = "Procfile") -> str:
    for line in (project / procfile).read_text().splitlines():
        if line.startswith(f"{process}:"):
            return line.split(":", 1)[1].strip()
    raise LookupError(f"{procfile} has no {process!r} process")


def dyno_environment(bin_dir: Path, settings: dict[str, str], port: int | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "VIRTUAL_ENV"))}
    env.update(settings)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    if port is not None:
        env["PORT"] = str(port)
        # Heroku binds 0.0.0.0; tests keep every server on loopback.
        env["WEB_BIND"] = "127.0.0.1"
    return env


class Dyno(ManagedProcess):
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def web_dyno(project: Path, bin_dir: Path, settings: dict[str, str], name: str = "web.1") -> Iterator[Dyno]:
    port = free_port()
    dyno = Dyno(
        ["bash", "-c", procfile_command(project, "web")],
        port=port,
        env=dyno_environment(bin_dir, settings, port),
        cwd=project,
        name=name,
    )
    with dyno.start(timeout=60):
        yield dyno


def run_release(project: Path, bin_dir: Path, settings: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", procfile_command(project, "release")],
        cwd=project,
        env=dyno_environment(bin_dir, settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


def make_slug(project: Path, destination: Path) -> Path:
    """Copy what `git push heroku` would deploy: no git-ignored local files, minus .slugignore."""
    ignored_at_root = {
        line.strip().lstrip("/")
        for line in (project / ".slugignore").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    }

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name in {".venv", "__pycache__", ".pytest_cache", ".ruff_cache"}}
        skipped |= {name for name in names if name == ".env" or (name.startswith(".env.") and name != ".env.example")}
        if Path(directory) == project:
            skipped |= {name for name in names if name in ignored_at_root}
        return skipped

    shutil.copytree(project, destination, ignore=ignore)
    return destination


@contextlib.contextmanager
def gunicorn_dyno(
    project: Path, bin_dir: Path, settings: dict[str, str], workers: int = 1, name: str = "stock"
) -> Iterator[Dyno]:
    """A project without a Procfile (stock Masonite), served by gunicorn like Heroku would."""
    port = free_port()
    command = f"exec gunicorn wsgi:application --bind 127.0.0.1:{port} --workers {workers} --timeout 15"
    dyno = Dyno(
        ["bash", "-c", command], port=port, env=dyno_environment(bin_dir, settings, port), cwd=project, name=name
    )
    with dyno.start(timeout=60):
        yield dyno
