"""The uploads page in a real browser: headless Chromium against two dynos behind one origin.

- `chromium_browser`: one headless Chromium for the session. Without Chromium, chromedriver
  or selenium the browser tests are skipped, saying what is missing; under CI (CI=true)
  that is a failure instead.
- `browser_stack`: the baked project's slug as two dynos (web.1, web.2) behind a router
  (one origin, requests taking turns), on the session's Redis and PostgreSQL (a database
  of its own) and a fresh moto server behind a proxy that answers CORS from the bucket's
  own rule, the rule infra/ writes (infra/bucket_cors.py) for the app's origin.
- `first_visit`: the uploads page as the first visitor sees it, before any upload.
- `page`: the browser, reset for one test; the test fails if the page logged a console
  error or a Content-Security-Policy violation that the test did not expect.

Screenshots go to build/screenshots (or $SCREENSHOTS_DIR); `make screenshots` copies them
to docs/screenshots, which the README shows.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import BUCKET, app_settings
from tests.infra.program_harness import load_infra_module
from tests.support.chromium import DESKTOP, PHONE, Chromium, chromium, find_binaries, skip_or_fail
from tests.support.cors_s3 import CorsEnforcingS3, cors_enforcing_s3, s3_api_rule
from tests.support.dynos import Dyno, run_release, web_dyno
from tests.support.router import Router, router

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or REPO / "build" / "screenshots")
KIB, MIB = 1024, 1024 * 1024
# Small limits keep the files small: up to 256 KB through the app, up to 16 MB straight to S3.
MAX_UPLOAD_BYTES = 256 * KIB
MAX_DIRECT_UPLOAD_BYTES = 16 * MIB
REFRESH_SECONDS = 2


@dataclass
class BrowserStack:
    router: Router
    s3: CorsEnforcingS3
    settings: dict[str, str]
    dynos: list[Dyno] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return self.router.url

    @property
    def uploads_url(self) -> str:
        return self.router.url + "/uploads"

    def object_keys(self) -> set[str]:
        pages = self.s3.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def object_bytes(self, key: str) -> bytes:
        return self.s3.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@dataclass
class FirstVisit:
    list_text: str
    hint_text: str
    problems: list[str]


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Chromium]:
    found = find_binaries()
    if isinstance(found, str):
        skip_or_fail(found)
    with chromium(found) as browser:
        print(f"\n[browser] Chromium {browser.version} ({found.chromium}, {found.driver})")
        yield browser


@pytest.fixture(scope="session")
def cors_rule(default_project):
    """The CORS rule infra/ gives the bucket (infra/bucket_cors.py of the baked project)."""
    return load_infra_module(default_project / "infra", "bucket_cors").uploads_cors_rule


@pytest.fixture(scope="session")
def browser_stack(chromium_browser, slug, project_bin, redis, postgres, cors_rule) -> Iterator[BrowserStack]:
    with cors_enforcing_s3() as s3, router() as front:
        s3.client.create_bucket(Bucket=BUCKET)
        s3.client.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [s3_api_rule(cors_rule([front.url]))]})
        settings = app_settings(
            f"redis://127.0.0.1:{redis.port}/0",
            s3.moto,
            postgres.create_database("browser"),
            APP_URL=front.url,
            AWS_ENDPOINT_URL_S3=s3.url,
            CACHE_NAMESPACE="browser-tests",
            MAX_UPLOAD_BYTES=str(MAX_UPLOAD_BYTES),
            MAX_DIRECT_UPLOAD_BYTES=str(MAX_DIRECT_UPLOAD_BYTES),
            UPLOADS_REFRESH_SECONDS=str(REFRESH_SECONDS),
        )
        release = run_release(slug, project_bin, settings)
        assert release.returncode == 0, release.stdout + release.stderr
        with web_dyno(slug, project_bin, settings, "web.1") as a, web_dyno(slug, project_bin, settings, "web.2") as b:
            front.dynos = [a, b]
            yield BrowserStack(front, s3, settings, [a, b])


@pytest.fixture(scope="session")
def first_visit(browser_stack, chromium_browser) -> FirstVisit:
    """The page before anyone uploaded anything (taken before the first browser test runs)."""
    browser = chromium_browser
    browser.reset()
    browser.open(browser_stack.uploads_url)
    browser.wait_for(lambda: browser.js("return document.documentElement.classList.contains('js')"), 10, "uploads.js")
    visit = FirstVisit(
        list_text=browser.text("#uploads"),
        hint_text=browser.text("#upload-limits"),
        problems=browser.problems(),
    )
    browser.screenshot(SCREENSHOTS / "uploads-empty.png")
    with phone(browser):
        browser.screenshot(SCREENSHOTS / "uploads-empty-phone.png")
    return visit


@pytest.fixture
def page(chromium_browser, first_visit) -> Iterator[Chromium]:
    chromium_browser.reset()
    yield chromium_browser
    leftover = chromium_browser.problems()
    assert leftover == [], "the page logged console errors or CSP violations:\n" + "\n".join(leftover)


@contextlib.contextmanager
def phone(browser: Chromium) -> Iterator[None]:
    browser.viewport(*PHONE, mobile=True)
    try:
        yield
    finally:
        browser.viewport(*DESKTOP)
