"""Fault and hostile-input tests: each module gets its own Redis, S3 emulator, database and two dynos.

These tests kill, freeze and stop the services, so they never touch the session-wide
`stack`, `redis` and `s3` fixtures the rest of the suite shares. Each module builds its
stack with `running_stack` in a module-scoped fixture of its own, with a database of its
own on the session's PostgreSQL server (or on a server of its own, when it stops it).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis as redis_py
import requests
from cryptography.fernet import Fernet

from tests.conftest import BUCKET, app_settings
from tests.faults.cookies import CookieCodec
from tests.support.browser import Browser
from tests.support.dynos import Dyno, make_slug, run_release, web_dyno
from tests.support.memory import gunicorn_master, gunicorn_workers
from tests.support.postgres import PostgresServer
from tests.support.probes import install_probes
from tests.support.processes import ManagedProcess, moto_server, redis_server, s3_client

NAMESPACE = "faults"
FLASH = re.compile(r'class="flash (success|error)"[^>]*>([^<]+)<')
LINKS = re.compile(r'<a href="(/uploads/[^"]+)">([^<]+)</a>')


@dataclass
class FaultStack:
    """Two dynos of the generated app on a Redis and an S3 emulator that the test may break."""

    project: Path
    bin_dir: Path
    redis: ManagedProcess
    s3: ManagedProcess
    postgres: PostgresServer
    database: str
    settings: dict[str, str]
    tmp_dir: Path
    dynos: list[Dyno] = field(default_factory=list)

    @property
    def cookies(self) -> CookieCodec:
        return CookieCodec(self.settings["APP_KEY"])

    def s3_client(self):
        return s3_client(self.s3)

    def object_keys(self) -> set[str]:
        pages = self.s3_client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def redis_client(self) -> redis_py.Redis:
        return redis_py.Redis(host="127.0.0.1", port=self.redis.port, decode_responses=True, socket_timeout=5)

    def cache_key(self, name: str) -> str:
        return f"{NAMESPACE}:cache:{name}"

    def upload_list_cache_key(self) -> str:
        """Where the uploads page caches its list, with the generation it was computed at."""
        return self.cache_key("uploads:recent")

    def recorded_names(self) -> list[str]:
        """The original names of the uploads recorded in the database."""
        rows = self.postgres.execute("SELECT original_name FROM uploads ORDER BY id", database=self.database)
        return [name for (name,) in rows]

    def process_ids(self) -> dict[str, list[int]]:
        """Each dyno's gunicorn master and worker pids: unchanged means nothing was restarted."""
        return {
            dyno.name: [gunicorn_master(dyno.process.pid), *gunicorn_workers(dyno.process.pid)] for dyno in self.dynos
        }

    def tmp_files(self) -> list[str]:
        return sorted(str(path.relative_to(self.tmp_dir)) for path in self.tmp_dir.rglob("*"))


@contextlib.contextmanager
def running_stack(
    project: Path, bin_dir: Path, workdir: Path, postgres: PostgresServer, record_s3: bool = False, **overrides: str
) -> Iterator[FaultStack]:
    """Redis, the S3 emulator, a new database on ``postgres`` and dynos web.1 and web.2, all stopped on exit.

    ``record_s3`` makes the emulator record every request it receives, so that after a
    restart its state can be replayed (moto keeps its data in memory only).
    """
    tmp_dir = workdir / "dyno-tmp"
    tmp_dir.mkdir()
    s3_env = {"MOTO_ENABLE_RECORDING": "true", "MOTO_RECORDER_FILEPATH": str(workdir / "s3-recording.jsonl")}
    database = re.sub(r"\W", "_", workdir.name)
    with redis_server() as redis, moto_server(s3_env if record_s3 else None) as s3:
        settings = app_settings(
            f"redis://127.0.0.1:{redis.port}/0",
            s3,
            postgres.create_database(database),
            APP_KEY=Fernet.generate_key().decode("ascii"),
            CACHE_NAMESPACE=NAMESPACE,
            REDIS_SOCKET_TIMEOUT="2",
            REDIS_CONNECT_TIMEOUT="2",
            TMPDIR=str(tmp_dir),
            **overrides,
        )
        stack = FaultStack(project, bin_dir, redis, s3, postgres, database, settings, tmp_dir)
        stack.s3_client().create_bucket(Bucket=BUCKET)
        release = run_release(project, bin_dir, settings)
        assert release.returncode == 0, release.stdout + release.stderr
        with web_dyno(project, bin_dir, settings, "web.1") as a, web_dyno(project, bin_dir, settings, "web.2") as b:
            stack.dynos = [a, b]
            stack.cookies.check_against(requests.get(a.url + "/uploads", timeout=30))
            yield stack


@pytest.fixture(scope="session")
def probed_slug(default_project, tmp_path_factory) -> Path:
    """The slug plus test-only `/_probe/...` routes that show and set session data."""
    return install_probes(make_slug(default_project, tmp_path_factory.mktemp("probed-slug") / default_project.name))


# Helpers shared by the modules -------------------------------------------------


def csrf_token(browser: Browser, base_url: str | None = None) -> str:
    return browser.csrf_token("/uploads", base_url=base_url)


def upload(
    browser: Browser,
    content: bytes,
    filename: str,
    base_url: str | None = None,
    token: str | None = None,
    timeout: float = 60,
):
    token = token or csrf_token(browser, base_url)
    return browser.post(
        "/uploads",
        base_url=base_url,
        data={"__token": token},
        timeout=timeout,
        files={"file": (filename, content, "application/octet-stream")},
    )


def listed_names(page_text: str) -> list[str]:
    return [name for _, name in LINKS.findall(page_text)]


def upload_links(page_text: str) -> dict[str, str]:
    return {name: href for href, name in LINKS.findall(page_text)}


def flashes(page_text: str) -> list[tuple[str, str]]:
    return FLASH.findall(page_text)
