"""The apps under measurement, each served by gunicorn with sync workers, on shared PostgreSQL, Redis and S3."""

from __future__ import annotations

import contextlib
import re
import secrets
import selectors
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import BUCKET, app_settings
from tests.support.dynos import (
    Dyno,
    dyno_environment,
    gunicorn_dyno,
    make_slug,
    procfile_command,
    run_release,
    web_dyno,
)
from tests.support.postgres import PostgresServer
from tests.support.processes import ManagedProcess, endpoint_url, free_port, s3_client
from tests.support.stock_masonite import configure_stock, create_stock_project

HELLO_WORLD = """\
def application(environ, start_response):
    body = b"Hello, world!"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


@dataclass
class Services:
    redis: ManagedProcess
    s3: ManagedProcess
    postgres: PostgresServer

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis.port}/0"

    def s3_client(self):
        return s3_client(self.s3)

    def empty_bucket(self) -> None:
        client = self.s3_client()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            for item in page.get("Contents", []):
                client.delete_object(Bucket=BUCKET, Key=item["Key"])


ACCESS_LOG = " --access-logfile -"


def web_command(project: Path, access_log: bool = True) -> str:
    """The generated project's Procfile `web` command, with or without gunicorn's access log.

    Every app of the throughput group is served by this same command (same worker class,
    worker count, timeouts, `--preload`), so that only the app differs between them.
    """
    command = procfile_command(project, "web")
    if ACCESS_LOG not in command:
        raise RuntimeError(f"the Procfile's web command no longer has{ACCESS_LOG}: {command}")
    return command if access_log else command.replace(ACCESS_LOG, "")


@contextlib.contextmanager
def served(folder: Path, bin_dir: Path, settings: dict[str, str], command: str, name: str) -> Iterator[Dyno]:
    """`command` run in `folder` with PORT set, as Heroku runs a Procfile process."""
    port = free_port()
    env = dyno_environment(bin_dir, {"WEB_CONCURRENCY": "2", **settings}, port)
    with Dyno(["bash", "-c", command], port=port, env=env, cwd=folder, name=name).start(timeout=60) as dyno:
        yield dyno


@contextlib.contextmanager
def hello_world(bin_dir: Path, workdir: Path, command: str, name: str = "hello-world") -> Iterator[Dyno]:
    """The ceiling: a WSGI app that does nothing, served by the same command as the app."""
    folder = workdir / name
    folder.mkdir()
    (folder / "wsgi.py").write_text(HELLO_WORLD)
    with served(folder, bin_dir, {}, command, name) as dyno:
        yield dyno


@contextlib.contextmanager
def stock_masonite(
    bin_dir: Path, workdir: Path, services: Services, workers: int = 2, command: str | None = None
) -> Iterator[Dyno]:
    """An untouched `project start` skeleton, its settings pointed at the same services.

    Served by `command` when given (the throughput group gives the app's own), else by plain gunicorn.
    """
    parent = workdir / "stock"
    parent.mkdir()
    project = create_stock_project(parent, bin_dir)
    configure_stock(project, services.redis.port, BUCKET, parent / "stock.sqlite3", debug=False)
    settings = {"AWS_ENDPOINT_URL_S3": endpoint_url(services.s3), "AWS_DEFAULT_REGION": "us-east-1"}
    if command:
        with served(project, bin_dir, {**settings, "WEB_CONCURRENCY": str(workers)}, command, "stock") as dyno:
            yield dyno
        return
    with gunicorn_dyno(project, bin_dir, settings, workers=workers, name="stock") as dyno:
        yield dyno


def generated_settings(services: Services, **overrides: str) -> dict[str, str]:
    """The app's config vars, with a new database of its own."""
    return app_settings(
        services.redis_url,
        services.s3,
        services.postgres.create_database(f"bench_{secrets.token_hex(4)}"),
        APP_KEY=secrets.token_hex(32),
        CACHE_NAMESPACE="bench",
        **overrides,
    )


def generated_slug(project: Path, workdir: Path) -> Path:
    return make_slug(project, workdir / "slug" / project.name)


@contextlib.contextmanager
def generated_app(
    slug: Path,
    bin_dir: Path,
    settings: dict[str, str],
    name: str = "web.1",
    release: bool = True,
    command: str | None = None,
) -> Iterator[Dyno]:
    """The generated project run by its own Procfile `web` command (or `command`), after its `release` command."""
    if release:
        released = run_release(slug, bin_dir, settings)
        if released.returncode != 0:
            raise RuntimeError(f"release failed: {released.stdout}{released.stderr}")
    if command:
        with served(slug, bin_dir, settings, command, name) as dyno:
            yield dyno
        return
    with web_dyno(slug, bin_dir, settings, name) as dyno:
        yield dyno


class CountingProxy:
    """A TCP forwarder that keeps the bytes clients send through it to one server."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.sent = bytearray()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def declared_body_bytes(self) -> int:
        """The request body bytes the server was sent, by the requests' Content-Length headers."""
        return sum(int(length) for length in re.findall(rb"\r\ncontent-length: *(\d+)", bytes(self.sent), re.I))

    def _serve(self) -> None:
        self._listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client: socket.socket) -> None:
        server = socket.create_connection(("127.0.0.1", self.target_port))
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, server)
        selector.register(server, selectors.EVENT_READ, client)
        with client, server, selector:
            while True:
                for key, _ in selector.select(timeout=30):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    if key.fileobj is client:
                        self.sent += data
                    key.data.sendall(data)

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(2)
        self._listener.close()
