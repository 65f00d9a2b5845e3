"""S3 emulator stopped: uploads get a 503 with a clear message, nothing half-written is
left (in S3, in the database, in the cached upload list, in the user's session or on the
dyno's disk), the list (from the database) still answers, and service recovers once the
emulator is back.

moto keeps its data in memory, so the emulator here records every request it receives
and, after a restart, replays them: it comes back holding what it held before it stopped,
as S3 would after an outage.
"""

import json
import threading
import time

import pytest
import requests

from tests.conftest import BUCKET
from tests.faults.conftest import csrf_token, flashes, listed_names, running_stack, upload, upload_links
from tests.faults.traffic import timed_get, wait_until
from tests.support.browser import Browser
from tests.support.processes import endpoint_url

UNAVAILABLE = "File storage is unavailable"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def app(slug, project_bin, tmp_path_factory, postgres):
    with running_stack(
        slug,
        project_bin,
        tmp_path_factory.mktemp("s3-stopped"),
        postgres,
        record_s3=True,
        MAX_UPLOAD_BYTES=str(64 * MB),
    ) as stack:
        yield stack


def restart_emulator(app) -> None:
    """Start the emulator again on the same port and give it back the data it held."""
    app.s3.start()
    replay = requests.post(endpoint_url(app.s3) + "/moto-api/recorder/replay-recording", timeout=120)
    assert replay.status_code == 200, replay.text[:300]


def new_log_text(app, offset: int) -> str:
    with open(app.s3.log_path, "rb") as log:
        log.seek(offset)
        return log.read().decode(errors="replace")


def pending_multipart_uploads(app) -> list[str]:
    return [item["Key"] for item in app.s3_client().list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])]


def refused_upload(response, name: str) -> list[str]:
    problems = []
    if response.status_code != 503:
        problems.append(f"{name}: HTTP {response.status_code}, not 503")
    if UNAVAILABLE not in response.text:
        problems.append(f"{name}: the page does not say '{UNAVAILABLE}'")
    return problems


def nothing_of(app, user: Browser, names: list[str]) -> list[str]:
    """Traces of failed uploads: in the app's list (cached or not), a flash message or the dyno's disk."""
    problems = []
    for dyno in app.dynos:
        page = user.get("/uploads", base_url=dyno.url)
        problems += [f"{dyno.name} lists {name}" for name in names if name in listed_names(page.text)]
        problems += [
            f"{dyno.name} flashed {text!r}" for _, text in flashes(page.text) if any(name in text for name in names)
        ]
    cached = app.redis_client().get(app.upload_list_cache_key()) or "[]"
    problems += [f"the cached list holds {name}" for name in names if name in cached]
    problems += [f"the database records {name}" for name in names if name in app.recorded_names()]
    problems += [f"left on the dyno's disk: {path}" for path in app.tmp_files()]
    return problems


def test_uploads_get_a_503_while_s3_is_down_and_nothing_is_left_half_written(app):
    a, b = app.dynos
    user = Browser(a.url)
    assert upload(user, b"kept through the outage", "kept.txt").status_code == 303
    page = user.get("/uploads")
    assert "kept.txt" in listed_names(page.text)
    kept_link = upload_links(page.text)["kept.txt"]
    token = csrf_token(user)
    keys_before = app.object_keys()

    app.s3.stop()
    try:
        started = time.monotonic()
        small = upload(user, b"lost", "lost-small.txt", token=token)
        small_seconds = time.monotonic() - started
        started = time.monotonic()
        large = upload(user, b"m" * (9 * MB), "lost-multipart.bin", base_url=b.url, token=token)
        large_seconds = time.monotonic() - started
        confirm = user.post(
            "/uploads/confirm",
            json={"key": "uploads/20260101000000-" + "0" * 32 + ".txt"},
            headers={"X-CSRF-TOKEN": token, "Accept": "application/json"},
        )
        download = user.get(kept_link)
        listing = user.get("/uploads")
        welcome = user.get("/")
        health = [timed_get(dyno.url, "/health", timeout=30) for dyno in app.dynos]
        traces = nothing_of(app, user, ["lost-small.txt", "lost-multipart.bin"])
    finally:
        restart_emulator(app)

    print(
        f"\n[s3 stopped] POST /uploads 4 bytes: {small.status_code} in {small_seconds:.2f} s; "
        f"9 MB (multipart): {large.status_code} in {large_seconds:.2f} s"
    )
    print(
        f"[s3 stopped] confirm {confirm.status_code}, download link {download.status_code}, "
        f"/uploads {listing.status_code} (from the database), / {welcome.status_code}, "
        f"/health {[o.status for o in health]} in {max(o.seconds for o in health):.2f} s "
        f"(storage {[json.loads(o.body)['checks']['storage'] if o.status in (200, 503) else None for o in health]})"
    )
    print(
        f"[s3 stopped] after the restart: objects {len(app.object_keys())} (before {len(keys_before)}), "
        f"traces of the failed uploads {len(traces)}"
    )

    problems = refused_upload(small, "4-byte upload") + refused_upload(large, "9 MB upload")
    if confirm.status_code != 503 or UNAVAILABLE not in confirm.text:
        problems.append(f"POST /uploads/confirm: HTTP {confirm.status_code}, not a 503 saying '{UNAVAILABLE}'")
    if download.status_code != 503 or UNAVAILABLE not in download.text:
        problems.append(f"GET {kept_link} (HTML): HTTP {download.status_code}, not a 503 saying '{UNAVAILABLE}'")
    if listing.status_code != 200 or "kept.txt" not in listed_names(listing.text):
        problems.append(f"GET /uploads: HTTP {listing.status_code} without the recorded uploads")
    if welcome.status_code != 200:
        problems.append(f"GET /: HTTP {welcome.status_code}")
    # /health may still show a storage check that succeeded seconds ago (a dyno reuses it briefly); it must
    # answer quickly, and a 503 must name storage, not the cache or the database.
    for outcome in health:
        checks = json.loads(outcome.body)["checks"] if outcome.status in (200, 503) else {}
        if (
            not checks
            or outcome.seconds >= 5
            or checks["cache"] != "ok"
            or checks["database"] != "ok"
            or (outcome.status == 503 and checks["storage"] == "ok")
        ):
            problems.append(f"/health: {outcome.status} in {outcome.seconds:.1f} s, {checks}")
    problems += traces
    if app.object_keys() != keys_before:
        problems.append(f"objects changed in S3: {sorted(app.object_keys() ^ keys_before)}")

    # Recovery: the same dynos serve uploads and downloads again.
    back = wait_until(lambda: all(timed_get(d.url, "/health", 10).status == 200 for d in app.dynos), 10)
    if back is None:
        problems.append("/health did not recover within 10 s of the emulator's restart")
    after = upload(user, b"after the outage", "after-restart.txt", base_url=b.url)
    names = listed_names(user.get("/uploads").text)
    redirect = user.get(kept_link, base_url=b.url)
    downloaded = requests.get(redirect.headers["Location"], timeout=10).content if redirect.status_code == 302 else b""
    if after.status_code != 303 or not {"kept.txt", "after-restart.txt"} <= set(names):
        problems.append(f"after the restart: upload {after.status_code}, list {names}")
    if downloaded != b"kept through the outage":
        problems.append(f"after the restart: download {redirect.status_code} gave {downloaded[:40]!r}")
    back_text = "never" if back is None else f"after {back:.2f} s"
    print(
        f"[s3 stopped] recovery: /health 200 on both dynos {back_text}; upload {after.status_code}, "
        f"download {redirect.status_code}"
    )
    assert problems == [], "\n".join(problems)


def test_emulator_killed_in_the_middle_of_a_multipart_upload(app):
    user = Browser(app.dynos[0].url)
    token = csrf_token(user)
    keys_before = app.object_keys()
    result = {}

    def send():
        started = time.monotonic()
        try:
            result["response"] = upload(user, b"p" * (40 * MB), "cut-mid-transfer.bin", token=token, timeout=60)
        except requests.RequestException as error:  # no HTTP answer at all: reported below
            result["error"] = error
        result["seconds"] = time.monotonic() - started

    log_start = app.s3.log_path.stat().st_size
    sender = threading.Thread(target=send)
    sender.start()
    # Kill the emulator as soon as it has answered CreateMultipartUpload: the parts are still to come.
    started = wait_until(lambda: "?uploads HTTP" in new_log_text(app, log_start), timeout=60, interval=0.005)
    app.s3.kill()
    sender.join(90)
    try:
        traces = nothing_of(app, user, ["cut-mid-transfer.bin"])
    finally:
        restart_emulator(app)
    keys_after = app.object_keys()
    pending = pending_multipart_uploads(app)
    response = result.get("response")
    answer = response.status_code if response is not None else f"no answer ({result.get('error')!r})"

    print(
        f"\n[s3 killed mid-upload] killed {started or 0:.2f} s into a 40 MB upload; answer {answer} "
        f"after {result['seconds']:.2f} s; new objects {len(keys_after - keys_before)}; "
        f"incomplete multipart uploads {len(pending)} (S3 aborts them with the bucket's lifecycle rule); "
        f"traces {traces}"
    )
    assert started is not None, "the emulator never started a multipart upload"
    assert response is not None, answer
    assert refused_upload(response, "40 MB upload") == []
    assert traces == []
    assert keys_after == keys_before, "no object, whole or partial, was left in S3"
    back = wait_until(lambda: all(timed_get(d.url, "/health", 10).status == 200 for d in app.dynos), 10)
    assert back is not None
    assert upload(user, b"again", "after-the-cut.txt").status_code == 303
