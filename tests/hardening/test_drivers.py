"""Disks and cache stores as a user's own code meets them: a second disk and a second store in
config, controllers that keep a disk or store in a variable, Masonite's documented cache calls,
all on Redis 6.2 (the oldest version infra/ provisions)."""

from __future__ import annotations

import uuid

import pytest
import redis as redis_py
import requests

from tests.conftest import app_settings
from tests.hardening.conftest import migrate
from tests.support.dynos import make_slug, web_dyno
from tests.support.processes import endpoint_url, s3_client
from tests.support.redis_servers import redis_6_2_server

ARCHIVE_BUCKET = "archive-bucket"

SECOND_DISK = """

# A second bucket for archived files, next to the uploads disk.
DISKS["archive"] = {**DISKS["s3"], "bucket": os.environ.get("ARCHIVE_BUCKET")}
"""

SECOND_STORE = """

# Reports get a cache namespace of their own.
STORES["reports"] = {**STORES["redis"], "namespace": os.environ.get("REPORTS_NAMESPACE", "reports")}
"""

SHOP_CONTROLLER = """
from masonite.controllers import Controller
from masonite.facades import Cache, Storage
from masonite.request import Request
from masonite.response import Response


class ShopController(Controller):
    def save_note(self, request: Request, response: Response):
        notes = Storage.disk("s3")
        Storage.disk("archive").exists("index.txt")  # elsewhere, the app looks at the archive
        key = notes.put(request.input("path"), request.input("text"))
        return response.json({"key": key})

    def cache_report(self, request: Request, response: Response):
        cache = Cache.store()
        Cache.store("reports").put("last", "report")  # elsewhere, the app caches a report
        cache.put(request.input("key"), "main")
        Cache.put(request.input("kept"), "no expiry")
        total_key = request.input("total")
        total = Cache.remember(total_key, lambda store: store.put(total_key, 42, 300))
        return response.json({"total": total})

    def clear(self, request: Request, response: Response):
        return response.json({"deleted": Cache.flush()})

    def limited(self, request: Request, response: Response):
        return response.json({"ok": True})
"""

SHOP_ROUTES = """

ROUTES += [
    Route.post("/shop/notes", "ShopController@save_note"),
    Route.post("/shop/report", "ShopController@cache_report"),
    Route.post("/shop/clear", "ShopController@clear"),
    Route.get("/shop/limited", "ShopController@limited").middleware("throttle:3/minute"),
]
"""


def add_user_code(project):
    (project / "config" / "filesystem.py").write_text((project / "config" / "filesystem.py").read_text() + SECOND_DISK)
    (project / "config" / "cache.py").write_text((project / "config" / "cache.py").read_text() + SECOND_STORE)
    (project / "app" / "controllers" / "ShopController.py").write_text(SHOP_CONTROLLER)
    csrf = project / "app" / "middlewares" / "VerifyCsrfToken.py"
    csrf.write_text(csrf.read_text().replace("exempt = []", 'exempt = ["/shop/*"]'))
    routes = project / "routes" / "web.py"
    routes.write_text(routes.read_text() + SHOP_ROUTES)
    return project


@pytest.fixture(scope="module")
def redis62():
    with redis_6_2_server() as server:
        yield server


@pytest.fixture(scope="module")
def shop(default_project, project_bin, s3, redis62, tmp_path_factory):
    """The generated project with the user's second disk and store, on Redis 6.2."""
    s3_client(s3).create_bucket(Bucket=ARCHIVE_BUCKET)
    parent = tmp_path_factory.mktemp("shop")
    project = add_user_code(make_slug(default_project, parent / default_project.name))
    settings = app_settings(
        f"redis://127.0.0.1:{redis62.port}/0",
        s3,
        f"sqlite:///{parent / 'shop.sqlite3'}",
        WEB_CONCURRENCY="1",
        CACHE_NAMESPACE="shop[1]",
        REPORTS_NAMESPACE="shop1",
        ARCHIVE_BUCKET=ARCHIVE_BUCKET,
    )
    migrate(project, project_bin, settings)
    with web_dyno(project, project_bin, settings, "shop") as dyno:
        yield dyno


def keys(s3, bucket: str) -> set[str]:
    return {item["Key"] for item in s3_client(s3).list_objects_v2(Bucket=bucket).get("Contents", [])}


def aliasing_problems(target, s3) -> list[str]:
    """Stock Masonite through its own API (no HTTP route of ours there): a kept disk, another disk asked for."""
    key = f"kept/{uuid.uuid4().hex}.txt"
    archive = {"driver": "s3", "client": "test", "secret": "test", "bucket": ARCHIVE_BUCKET, "region": "us-east-1"}
    code = (
        "storage = application.make('storage')\n"
        "disks = dict(application.make('config').get('filesystem.disks'))\n"
        f"disks['archive'] = {{**disks['s3'], **{archive!r}, 'endpoint_url': {endpoint_url(s3)!r}}}\n"
        "storage.set_configuration(disks)\n"
        "kept = storage.disk('s3')\n"
        "storage.disk('archive')\n"
        f"kept.put({key!r}, 'x')\n"
    )
    target.run(code)
    return [] if key not in keys(s3, ARCHIVE_BUCKET) else ["a kept disk wrote into the disk asked for last"]


def test_a_kept_disk_keeps_writing_to_its_own_bucket_and_returns_the_key_it_stored(shop, stock, s3):
    assert aliasing_problems(stock, s3), "stock's disks are one shared driver"
    name = uuid.uuid4().hex
    response = requests.post(shop.url + "/shop/notes", json={"path": f"notes//../{name}.txt", "text": "hi"}, timeout=10)
    assert response.status_code == 200, response.text[:300]
    key = response.json()["key"]
    assert key == f"notes/{name}.txt"
    assert key in keys(s3, "app-uploads-test")
    assert not any(name in stored for stored in keys(s3, ARCHIVE_BUCKET))


def test_stores_keep_their_own_namespace_and_expiries_follow_masonites_documentation(shop, redis62):
    raw = redis_py.Redis(port=redis62.port, decode_responses=True)
    names = {field: uuid.uuid4().hex for field in ("key", "kept", "total")}
    response = requests.post(shop.url + "/shop/report", json=names, timeout=10)
    assert response.status_code == 200 and response.json() == {"total": 42}, response.text[:300]
    assert raw.get(f"shop[1]:cache:{names['key']}") == '"main"', "a kept store wrote elsewhere"
    assert raw.get("shop1:cache:last") == '"report"'
    assert raw.ttl(f"shop[1]:cache:{names['key']}") == -1, "put without seconds keeps the value"
    assert raw.ttl(f"shop[1]:cache:{names['kept']}") == -1
    assert 0 < raw.ttl(f"shop[1]:cache:{names['total']}") <= 300, "remember keeps the callback's expiry"


def test_flush_removes_exactly_its_own_namespace(shop, redis62):
    raw = redis_py.Redis(port=redis62.port, decode_responses=True)
    requests.post(shop.url + "/shop/report", json={"key": "a", "kept": "b", "total": "c"}, timeout=10)
    raw.set("another-app:data", "keep")
    assert requests.post(shop.url + "/shop/clear", timeout=10).status_code == 200
    assert raw.keys("shop[[]1]:*") == [], "flush left its own keys"
    assert raw.get("shop1:cache:last") == '"report"', "flush removed the shop1 namespace"
    assert raw.get("another-app:data") == "keep"


def test_health_cache_and_throttle_work_on_redis_6_2(shop, redis62):
    assert redis_py.Redis(port=redis62.port).info("server")["redis_version"].startswith("6.2.")
    health = requests.get(shop.url + "/health", timeout=10)
    assert health.status_code == 200 and health.json()["checks"]["cache"] == "ok", health.text
    statuses = [requests.get(shop.url + "/shop/limited", timeout=10).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
