"""Any S3 failure during an upload answers 503, before, during or after the transfer, whether the
connection is refused, reset, closed or stalls; nothing half-written is ever visible.

The dynos reach the S3 emulator through a relay that breaks connections at an exact point
(tests/support/fault_proxy.py), so each case is deterministic: killing the emulator instead
lands wherever the upload happens to be, which made `make test` flaky (a CreateMultipartUpload
answer cut inside its headers read as an empty 200, and the app answered 500).

Checked for every failure: the answer is a 503 saying so (a page for the form, JSON for the
direct-upload API), and once the dyno has cleaned up there is no object, no incomplete
multipart upload, no database row and no list entry, on either dyno. Then the same dynos
serve the same request normally.
"""

from __future__ import annotations

import time

import pytest
import requests

from tests.conftest import BUCKET
from tests.faults.conftest import flashes, listed_names, running_stack
from tests.faults.traffic import wait_until
from tests.support.fault_proxy import Fault, fault_proxy
from tests.support.visitor import Visitor

UNAVAILABLE = "File storage is unavailable"
MB = 1024 * 1024
KEY = rb"/" + BUCKET.encode() + rb"/uploads/\d{14}-[0-9a-f]{32}"
CREATE = rb"POST " + KEY + rb"\S*\?uploads "
PART_2 = rb"PUT " + KEY + rb"\S*[?&]partNumber=2[& ]"
COMPLETE = rb"POST " + KEY + rb"\S*\?uploadId="
SINGLE_PUT = rb"PUT " + KEY + rb"[^?\s]* HTTP"
HEAD = rb"HEAD " + KEY
ANSWERED = rb"HTTP/1\.1 [2-5]\d\d"  # a final status line, after any 100 Continue


def case_ids(cases: dict) -> list[str]:
    return [name.replace(" ", "-") for name in cases]


@pytest.fixture(scope="module")
def app(slug, project_bin, tmp_path_factory, postgres):
    with fault_proxy() as proxy:
        with running_stack(
            slug,
            project_bin,
            tmp_path_factory.mktemp("s3-failures"),
            postgres,
            AWS_ENDPOINT_URL_S3=proxy.url,
            MAX_UPLOAD_BYTES=str(32 * MB),
        ) as stack:
            proxy.upstream_port = stack.s3.port
            stack.proxy = proxy
            yield stack


@pytest.fixture(autouse=True)
def healed(app):
    yield
    app.proxy.heal()


def leftovers(app) -> list[str]:
    """Anything in S3, the database or either dyno's list besides what the module stored on purpose."""
    client = app.s3_client()
    found = [f"object {key}" for key in app.object_keys() - app.kept]
    found += [
        f"incomplete multipart upload {u['Key']}"
        for u in client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    ]
    found += [f"record {name}" for name in set(app.recorded_names()) - app.kept_names]
    for dyno in app.dynos:
        page = requests.get(dyno.url + "/uploads", timeout=30)
        found += [f"{dyno.name} lists {name}" for name in set(listed_names(page.text)) - app.kept_names]
        found += [f"{dyno.name} flashes {text!r}" for _, text in flashes(page.text)]
    return found


def settled(app, seconds: float = 30) -> list[str]:
    """Leftovers once the dynos' background clean-up has had time to finish (empty at once, usually)."""
    wait_until(lambda: not leftovers(app), seconds, interval=0.2)
    return leftovers(app)


@pytest.fixture(scope="module", autouse=True)
def kept(app):
    """One upload stored before any fault, to check downloads and that nothing else changes."""
    visitor = Visitor(app.dynos[0].url)
    answer = visitor.upload(visitor.csrf_token(), "kept.txt", b"kept through every fault")
    assert answer.status_code == 303, flashes(answer.text)
    app.kept = app.object_keys()
    app.kept_names = {"kept.txt"}
    [(key,)] = app.postgres.execute("SELECT key FROM uploads", database=app.database)
    app.kept_link = "/" + key


def refused_page(answer, what: str) -> list[str]:
    problems = []
    if answer.status_code != 503:
        problems.append(f"{what}: HTTP {answer.status_code}, not 503")
    if UNAVAILABLE not in answer.text:
        problems.append(f"{what}: the answer does not say '{UNAVAILABLE}': {answer.text[:200]!r}")
    return problems


def abort_incomplete_uploads(app) -> int:
    client = app.s3_client()
    uploads = client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    for upload in uploads:
        client.abort_multipart_upload(Bucket=BUCKET, Key=upload["Key"], UploadId=upload["UploadId"])
    return len(uploads)


# name: (fault, file size, whether S3 is left with incomplete multipart uploads); None is a refused connection
FORM_UPLOAD_FAULTS = {
    "refused, before the transfer": (None, 2 * MB, False),
    "reset asking for a multipart upload": (Fault(CREATE, "reset"), 17 * MB, False),
    # S3 started the upload, but its id never arrived: no one can abort it but the bucket's lifecycle rule.
    "closed inside the multipart upload's answer headers": (Fault(CREATE, "close", "response", 20), 17 * MB, True),
    "reset in the middle of part 2": (Fault(PART_2, "reset", "request", 1 * MB), 17 * MB, False),
    "stalled in the middle of part 2 (timeout)": (Fault(PART_2, "stall", "request", 1 * MB), 17 * MB, False),
    "stalled before part 2's answer (timeout)": (
        Fault(PART_2, "stall", "response", after_response=ANSWERED),
        17 * MB,
        False,
    ),
    "reset after S3 assembled the object": (Fault(COMPLETE, "reset", "response"), 17 * MB, False),
    "reset after S3 stored a single PUT": (
        Fault(SINGLE_PUT, "reset", "response", after_response=ANSWERED),
        2 * MB,
        False,
    ),
}


@pytest.mark.parametrize("fault,size,incomplete", FORM_UPLOAD_FAULTS.values(), ids=case_ids(FORM_UPLOAD_FAULTS))
def test_a_form_upload_gets_a_503_and_leaves_nothing_whatever_breaks(app, fault, size, incomplete):
    a, b = app.dynos
    visitor = Visitor(a.url)
    token = visitor.csrf_token()
    name = f"lost-{time.monotonic_ns()}.bin"
    if fault is None:
        app.proxy.refuse()
    else:
        app.proxy.fail(fault)
    started = time.monotonic()
    answer = visitor.upload(token, name, b"f" * size, base_url=b.url)
    seconds = time.monotonic() - started
    app.proxy.heal()
    problems = refused_page(answer, f"POST /uploads ({size // MB} MB)")
    if "text/html" not in answer.headers.get("Content-Type", ""):
        problems.append("the form did not get a page back")
    if incomplete and not abort_incomplete_uploads(app):
        problems.append("expected S3 to hold the incomplete uploads it started")
    problems += settled(app)
    again = visitor.upload(token, name, b"f" * size, base_url=b.url)
    print(f"\n[S3 fault] 503 after {seconds:.1f} s; then the same upload: {again.status_code}")
    assert problems == [], "\n".join(problems)
    assert again.status_code == 303
    app.kept |= app.object_keys() - app.kept
    app.kept_names.add(name)


CONFIRM_FAULTS = {
    "refused": None,
    "reset": Fault(HEAD, "reset", "response"),
    "closed inside the answer's headers": Fault(HEAD, "close", "response", 20),
    "stalled (timeout)": Fault(HEAD, "stall", "response"),
}


@pytest.mark.parametrize("fault", CONFIRM_FAULTS.values(), ids=case_ids(CONFIRM_FAULTS))
def test_confirming_a_direct_upload_gets_a_503_and_records_nothing_until_s3_answers(app, fault):
    a, b = app.dynos
    visitor = Visitor(a.url)
    token = visitor.csrf_token()
    name = f"direct-{time.monotonic_ns()}.bin"
    presigned = visitor.presign(token, {"filename": name, "content_type": "application/octet-stream", "size": 100})
    assert presigned.status_code == 200, presigned.text[:300]
    form = presigned.json()
    sent = requests.post(form["url"], data=form["fields"], files={"file": (name, b"d" * 100)}, timeout=10)
    assert sent.status_code in (200, 201, 204)
    if fault is None:
        app.proxy.refuse()
    else:
        app.proxy.fail(fault)
    confirmed = visitor.confirm(token, form["key"], base_url=b.url)
    stalled = fault is not None and fault.action == "stall"
    download = None if stalled else visitor.get(app.kept_link, headers={"Accept": "text/html"})  # stalls alike
    app.proxy.heal()

    problems = refused_page(confirmed, "POST /uploads/confirm")
    if confirmed.headers.get("Content-Type", "").split(";")[0] != "application/json":
        problems.append(f"confirm answered {confirmed.headers.get('Content-Type')}, not JSON")
    elif confirmed.json().get("status") != 503:
        problems.append(f"confirm's JSON: {confirmed.text[:200]}")
    if download is not None:
        problems += refused_page(download, "a download link")
    app.kept |= {form["key"]}  # in S3, not yet recorded: the browser may confirm again
    problems += settled(app)
    retried = visitor.confirm(token, form["key"])
    assert problems == [], "\n".join(problems)
    assert retried.status_code == 200 and retried.json()["upload"]["name"] == name
    app.kept_names.add(name)


def test_a_direct_upload_cut_on_its_way_to_s3_is_never_recorded(app):
    visitor = Visitor(app.dynos[0].url)
    token = visitor.csrf_token()
    presigned = visitor.presign(
        token, {"filename": "cut.bin", "content_type": "application/octet-stream", "size": 4 * MB}
    )
    form = presigned.json()
    app.proxy.fail(Fault(rb"POST /" + BUCKET.encode() + rb"/? HTTP", "reset", "request", 2 * MB))
    with pytest.raises(requests.ConnectionError):
        requests.post(form["url"], data=form["fields"], files={"file": ("cut.bin", b"c" * 4 * MB)}, timeout=30)
    app.proxy.heal()
    confirmed = visitor.confirm(token, form["key"], base_url=app.dynos[1].url)
    assert confirmed.status_code == 404 and confirmed.json()["error"] == "No such upload."
    assert settled(app) == []


def test_with_redis_down_uploads_are_not_throttled_and_still_work(app):
    """The rate limit fails open: it guards against abuse, and refusing every upload while Redis is
    down would turn a cache outage into an upload outage. Last in the module: it stops Redis."""
    visitor = Visitor(app.dynos[0].url)
    token = visitor.csrf_token()
    app.redis.stop()
    answers = [
        visitor.upload(token, f"no-redis-{n}.txt", b"still works", base_url=d.url) for n, d in enumerate(app.dynos)
    ]
    presigned = visitor.presign(token, {"filename": "no-redis.bin", "content_type": "text/plain", "size": 5})
    logs = "".join(dyno.log() for dyno in app.dynos)
    assert [answer.status_code for answer in answers] == [303, 303], [flashes(a.text) for a in answers]
    assert presigned.status_code == 200 and "x-ratelimit-limit" not in presigned.headers
    assert "rate limits not enforced: Redis is unavailable" in logs
    assert {"no-redis-0.txt", "no-redis-1.txt"} <= set(app.recorded_names())
