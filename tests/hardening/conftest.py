"""Each hardening check runs against two apps: the generated project and an untouched
stock Masonite 5 skeleton on the same services. A check must pass on the first and
catch the defect on the second, which proves it tests what it claims to."""

from __future__ import annotations

import contextlib
import itertools
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import BUCKET, app_settings
from tests.support.app_agent import AppAgent
from tests.support.dynos import Dyno, dyno_environment, gunicorn_dyno, make_slug, web_dyno
from tests.support.probes import install_probes
from tests.support.recording_proxy import recording_proxy
from tests.support.stock_masonite import configure_stock, create_stock_project


@dataclass
class Target:
    """One app under test: its directory, environment, and (when served) its URL."""

    name: str
    project: Path
    bin_dir: Path
    settings: dict[str, str]
    dyno: Dyno | None = None

    @property
    def url(self) -> str:
        return self.dyno.url

    def agent(self, **overrides) -> AppAgent:
        env = dyno_environment(self.bin_dir, {**self.settings, **overrides})
        return AppAgent(self.project, self.bin_dir / "python", env)

    def run(self, code: str, **overrides):
        with self.agent(**overrides) as agent:
            return agent.run(code)


def migrate(project: Path, bin_dir: Path, settings: dict[str, str]) -> None:
    subprocess.run(
        [str(bin_dir / "python"), "craft", "migrate", "--force"],
        cwd=project,
        check=True,
        capture_output=True,
        env=dyno_environment(bin_dir, settings),
        timeout=120,
    )


@pytest.fixture(scope="session")
def internet():
    """Every outbound HTTP call of the debug-mode apps lands here instead."""
    with recording_proxy() as proxy:
        yield proxy


def proxy_settings(internet) -> dict[str, str]:
    return {"HTTP_PROXY": internet.url, "HTTPS_PROXY": internet.url, "NO_PROXY": "127.0.0.1,localhost"}


@pytest.fixture(scope="session")
def app_settings_for(redis, s3, internet, postgres):
    databases = itertools.count(1)

    def make(debug: bool) -> dict[str, str]:
        settings = app_settings(
            f"redis://127.0.0.1:{redis.port}/0",
            s3,
            postgres.create_database(f"hardened_{next(databases)}"),
            WEB_CONCURRENCY="1",
            CACHE_NAMESPACE="hardened",
            MAX_UPLOAD_BYTES=str(48 * 1024 * 1024),
        )
        if debug:
            settings.update(APP_DEBUG="true", **proxy_settings(internet))
        return settings

    return make


@contextlib.contextmanager
def generated_target(default_project, project_bin, settings, parent: Path, name: str):
    project = install_probes(make_slug(default_project, parent / default_project.name))
    migrate(project, project_bin, settings)
    with web_dyno(project, project_bin, settings, name) as dyno:
        yield Target(name, project, project_bin, settings, dyno)


@contextlib.contextmanager
def stock_target(project_bin, redis, s3, parent: Path, debug: bool, name: str, extra: dict | None = None):
    project = create_stock_project(parent, project_bin)
    configure_stock(project, redis.port, BUCKET, parent / "stock.sqlite3", debug=debug)
    install_probes(project)
    settings = {
        "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{s3.port}",
        "AWS_DEFAULT_REGION": "us-east-1",
        **(extra or {}),
    }
    migrate(project, project_bin, settings)
    with gunicorn_dyno(project, project_bin, settings, name=name) as dyno:
        yield Target(name, project, project_bin, settings, dyno)


@pytest.fixture(scope="session")
def app(default_project, project_bin, app_settings_for, tmp_path_factory):
    with generated_target(
        default_project, project_bin, app_settings_for(False), tmp_path_factory.mktemp("hardened"), "app"
    ) as target:
        yield target


@pytest.fixture(scope="session")
def app_debug(default_project, project_bin, app_settings_for, tmp_path_factory):
    with generated_target(
        default_project, project_bin, app_settings_for(True), tmp_path_factory.mktemp("hardened-debug"), "app-debug"
    ) as target:
        yield target


@pytest.fixture(scope="session")
def stock(project_bin, redis, s3, tmp_path_factory):
    with stock_target(project_bin, redis, s3, tmp_path_factory.mktemp("stock"), False, "stock") as target:
        yield target


@pytest.fixture(scope="session")
def stock_debug(project_bin, redis, s3, internet, tmp_path_factory):
    with stock_target(
        project_bin, redis, s3, tmp_path_factory.mktemp("stock-debug"), True, "stock-debug", proxy_settings(internet)
    ) as target:
        yield target
