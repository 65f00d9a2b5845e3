"""The uploads example keeps its records in PostgreSQL: a row only once S3 holds the object, the
list from one indexed query (never a bucket listing), and the list and the bucket never disagree."""

import contextlib
import re

import requests

from tests.support.browser import Browser

LINKS = re.compile(r'<a href="/uploads/([^"]+)">([^<]+)</a>')
MISSING_TOKEN = "20260101000000-" + "0" * 32 + ".txt"
LIST_QUERY = (
    "SELECT key, original_name, size, content_type, created_at FROM uploads ORDER BY created_at DESC, id DESC LIMIT 20"
)


def records(stack) -> dict[str, tuple]:
    """key -> (original name, size, content type), from the database."""
    rows = stack.postgres.execute("SELECT key, original_name, size, content_type FROM uploads", database=stack.database)
    return {key: tuple(rest) for key, *rest in rows}


def objects(stack) -> set[str]:
    listing = stack.s3_client().list_objects_v2(Bucket=stack.settings["S3_BUCKET"], Prefix="uploads/")
    return {item["Key"] for item in listing.get("Contents", [])}


def listed(stack, dyno: int = 1) -> dict[str, str]:
    """name -> token, as the uploads page shows them."""
    page = Browser(stack.dynos[dyno].url).get("/uploads")
    assert page.status_code == 200, page.text[:300]
    return {name: token for token, name in LINKS.findall(page.text)}


def upload(browser: Browser, content: bytes, filename: str, content_type: str = "text/plain"):
    token = browser.csrf_token()
    return browser.post("/uploads", data={"__token": token}, files={"file": (filename, content, content_type)})


@contextlib.contextmanager
def failing_record_writes(stack):
    """Every INSERT into uploads fails as if the server were shutting down (SQLSTATE 57P01)."""
    statements = [
        "CREATE FUNCTION refuse_uploads() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'simulated outage' USING ERRCODE = '57P01'; END $$",
        "CREATE TRIGGER refuse_uploads BEFORE INSERT ON uploads FOR EACH ROW EXECUTE FUNCTION refuse_uploads()",
    ]
    for statement in statements:
        stack.postgres.execute(statement, database=stack.database)
    try:
        yield
    finally:
        stack.postgres.execute("DROP TRIGGER refuse_uploads ON uploads", database=stack.database)
        stack.postgres.execute("DROP FUNCTION refuse_uploads()", database=stack.database)


def test_an_upload_writes_its_record_once_s3_holds_the_object_and_every_dyno_lists_it(stack):
    user = Browser(stack.dynos[0].url)
    listed(stack)  # the other dyno has the list cached: the write must invalidate it

    assert upload(user, b"%PDF-1.7 report", "Q3 report.pdf", "application/pdf").status_code == 303

    token = listed(stack)["Q3 report.pdf"]
    key = "uploads/" + token
    assert records(stack)[key] == ("Q3 report.pdf", 15, "application/pdf")
    assert key in objects(stack)


def test_a_confirmed_direct_upload_is_recorded_once_even_when_confirmed_twice(stack):
    user = Browser(stack.dynos[0].url)
    token = user.csrf_token()
    headers = {"X-CSRF-TOKEN": token, "Accept": "application/json"}
    presigned = user.post(
        "/uploads/presign", json={"filename": "clip.mp4", "content_type": "video/mp4", "size": 6}, headers=headers
    ).json()

    early = user.post("/uploads/confirm", json={"key": presigned["key"]}, headers=headers)
    assert early.status_code == 404, "not in S3 yet: nothing is recorded"
    assert presigned["key"] not in records(stack)

    sent = requests.post(presigned["url"], data=presigned["fields"], files={"file": ("clip.mp4", b"\x00" * 6)})
    assert sent.status_code in (200, 201, 204), sent.text
    for _ in range(2):
        confirmed = user.post("/uploads/confirm", json={"key": presigned["key"]}, headers=headers)
        assert confirmed.status_code == 200, confirmed.text

    assert records(stack)[presigned["key"]] == ("clip.mp4", 6, "video/mp4")
    count = stack.postgres.execute(
        "SELECT count(*) FROM uploads WHERE key = %s", (presigned["key"],), database=stack.database
    )
    assert count == [(1,)]
    assert "clip.mp4" in listed(stack)


def test_an_object_without_a_record_never_shows_up(stack):
    key = "uploads/" + MISSING_TOKEN.replace("0" * 32, "a" * 32)
    stack.s3_client().put_object(Bucket=stack.settings["S3_BUCKET"], Key=key, Body=b"put behind the app's back")
    user = Browser(stack.dynos[0].url)
    assert upload(user, b"x", "written-after.txt").status_code == 303  # a write: the list is rebuilt

    assert key.removeprefix("uploads/") not in listed(stack).values()
    assert user.get("/uploads/" + key.removeprefix("uploads/")).status_code == 404


def test_a_record_that_cannot_be_written_takes_its_object_away_again(stack):
    user = Browser(stack.dynos[0].url)
    before = objects(stack), records(stack)

    with failing_record_writes(stack):
        answer = upload(user, b"never listed", "lost.txt")

    assert answer.status_code == 503
    assert (objects(stack), records(stack)) == before, "neither an object nor a record is left"
    assert "lost.txt" not in listed(stack, dyno=0) and "lost.txt" not in listed(stack, dyno=1)


def test_a_record_whose_object_is_gone_is_dropped_when_asked_for(stack):
    user = Browser(stack.dynos[0].url)
    assert upload(user, b"soon gone", "removed-from-s3.txt").status_code == 303
    token = listed(stack)["removed-from-s3.txt"]
    stack.s3_client().delete_object(Bucket=stack.settings["S3_BUCKET"], Key="uploads/" + token)

    assert user.get("/uploads/" + token).status_code == 404
    assert "uploads/" + token not in records(stack)
    assert "removed-from-s3.txt" not in listed(stack)


def test_the_list_is_one_indexed_query_and_never_a_bucket_listing(stack):
    plan = stack.postgres.execute("SET enable_seqscan = off; EXPLAIN " + LIST_QUERY, database=stack.database)
    assert "uploads_recent_index" in " ".join(row[0] for row in plan)

    log_before = stack.s3.log_path.read_text(errors="replace")
    user = Browser(stack.dynos[0].url)
    assert upload(user, b"y", "cold-list.txt").status_code == 303  # invalidates the cached list
    s3_requests_for_the_upload = stack.s3.log_path.read_text(errors="replace")[len(log_before) :]
    log_before = stack.s3.log_path.read_text(errors="replace")

    assert "cold-list.txt" in listed(stack)  # a cold cache: the list comes from the database
    new_s3_requests = stack.s3.log_path.read_text(errors="replace")[len(log_before) :]
    assert "PUT /" in s3_requests_for_the_upload or "POST /" in s3_requests_for_the_upload
    assert "list-type" not in new_s3_requests and "HEAD /" not in new_s3_requests, new_s3_requests[-500:]
