"""Unexpected input around uploads never gives a 5xx: filenames are cleaned before they are
stored or shown, a name S3 could not keep is refused with its reason, and objects the app did
not create never show up, whatever their keys or metadata.

The database row and the object's S3 metadata always hold the same (cleaned) name.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

import requests

from tests.support.browser import Browser
from tests.support.visitor import Visitor

LINKS = re.compile(r'<a href="/uploads/([^"]+)">([^<]+)</a>')
UNKNOWN_TOKEN = "20260102030405-" + "e" * 32 + ".txt"


def listed_names(stack) -> list[list[str]]:
    """The names each dyno's uploads page shows (HTML entities decoded)."""
    pages = [Browser(dyno.url).get("/uploads") for dyno in stack.dynos]
    assert [page.status_code for page in pages] == [200, 200]
    return [[html.unescape(name) for _, name in LINKS.findall(page.text)] for page in pages]


def recorded(stack, key: str) -> str | None:
    rows = stack.postgres.execute("SELECT original_name FROM uploads WHERE key = %s", (key,), database=stack.database)
    return rows[0][0] if rows else None


def stored_name(stack, key: str) -> str:
    head = stack.s3_client().head_object(Bucket=stack.settings["S3_BUCKET"], Key=key)
    return unquote(head["Metadata"]["original-name"])


def direct_upload(
    stack, visitor: Visitor, token: str, name_json: bytes, content: bytes = b"direct"
) -> tuple[dict, str]:
    """Presign with the filename exactly as written in JSON, post the file to S3, confirm; returns (presign, key)."""
    body = b'{"filename": ' + name_json + b', "content_type": "text/plain", "size": %d}' % len(content)
    presigned = visitor.presign_raw(token, body)
    assert presigned.status_code == 200, presigned.text[:300]
    fields = presigned.json()["fields"]
    sent = requests.post(presigned.json()["url"], data=fields, files={"file": ("x", content)}, timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text[:300]
    confirmed = visitor.confirm(token, presigned.json()["key"])
    assert confirmed.status_code == 200, confirmed.text[:300]
    return fields, presigned.json()["key"]


def key_of(stack, name: str) -> str:
    rows = stack.postgres.execute(
        "SELECT key FROM uploads WHERE original_name = %s ORDER BY id DESC LIMIT 1", (name,), database=stack.database
    )
    assert rows, f"no record named {name!r}"
    return rows[0][0]


def test_unsafe_characters_are_removed_before_a_name_is_stored_or_shown(stack):
    a, b = stack.dynos
    visitor = Visitor(a.url)
    token = visitor.csrf_token()

    # Through the app: a right-to-left override makes "txt.exe" read "exe.txt"; a zero-width space hides.
    uploaded = visitor.upload(token, "invoice\u202etxt.exe\u200b", base_url=b.url)
    assert uploaded.status_code == 303, uploaded.text[:300]
    form_key = key_of(stack, "invoicetxt.exe")

    # Straight to S3: a lone surrogate (valid JSON, not encodable), terminal escapes, a newline, isolates.
    fields, direct_key = direct_upload(
        stack, visitor, token, b'"\\u2066report\\u2069 \\ud800\\u001b[31mred\\u0007\\nline.txt"'
    )
    cleaned = "report [31mred line.txt"
    assert unquote(fields["x-amz-meta-original-name"]) == cleaned

    assert recorded(stack, form_key) == stored_name(stack, form_key) == "invoicetxt.exe"
    assert recorded(stack, direct_key) == stored_name(stack, direct_key) == cleaned
    for names in listed_names(stack):
        assert {"invoicetxt.exe", cleaned} <= set(names)
        assert not any(re.search(r"[\u202a-\u202e\u2066-\u2069\u200b\x00-\x1f]", name) for name in names)


def test_readable_names_in_any_script_are_kept_as_they_are(stack):
    visitor = Visitor(stack.dynos[0].url)
    token = visitor.csrf_token()
    name = "Résumé – 日本語 Ελληνικά عربي 👩\u200d💻.pdf"
    assert visitor.upload(token, name).status_code == 303
    _, direct_key = direct_upload(stack, visitor, token, b'"direct ' + name.encode() + b'"')
    form_key = key_of(stack, name)
    assert recorded(stack, form_key) == stored_name(stack, form_key) == name
    assert recorded(stack, direct_key) == stored_name(stack, direct_key) == "direct " + name
    assert all({name, "direct " + name} <= set(names) for names in listed_names(stack))


def test_a_name_over_s3s_2_kb_metadata_limit_is_refused_with_the_limit_and_nothing_is_stored(stack):
    visitor = Visitor(stack.dynos[1].url)
    token = visitor.csrf_token()
    too_long = "日" * 230 + ".txt"  # 234 characters, but 2,074 bytes once percent-encoded for S3
    fits = "日" * 200 + ".txt"
    assert len(quote(too_long)) + len("x-amz-meta-original-name") > 2048 >= len(quote(fits)) + 24
    objects_before = {
        o["Key"] for o in stack.s3_client().list_objects_v2(Bucket=stack.settings["S3_BUCKET"]).get("Contents", [])
    }

    presigned = visitor.presign(token, {"filename": too_long, "content_type": "text/plain", "size": 10})
    page = visitor.upload(token, too_long)
    accepted = visitor.presign(token, {"filename": fits, "content_type": "text/plain", "size": 10})

    assert presigned.status_code == 400, presigned.text[:300]
    assert "2 KB (2,048 bytes)" in presigned.json()["error"] and "2,098 bytes" in presigned.json()["error"]
    assert page.status_code == 400 and "2 KB (2,048 bytes)" in page.text
    assert accepted.status_code == 200
    objects_after = {
        o["Key"] for o in stack.s3_client().list_objects_v2(Bucket=stack.settings["S3_BUCKET"]).get("Contents", [])
    }
    assert objects_after == objects_before
    assert not stack.postgres.execute(
        "SELECT 1 FROM uploads WHERE original_name LIKE %s", ("日日日%",), database=stack.database
    )


def test_names_with_nothing_visible_are_refused(stack):
    visitor = Visitor(stack.dynos[0].url)
    token = visitor.csrf_token()
    answer = visitor.presign_raw(
        token, b'{"filename": "\\u202e\\u200f\\ud800", "content_type": "text/plain", "size": 1}'
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "The filename has no visible characters."


STRAY = {
    "uploads/": b"",  # the S3 console's "folder"
    "uploads/README": b"Files uploaded through the app.",
    "uploads/notes/2026/plan.txt": b"nested",
    "uploads/..%2F..%2Fx": b"odd",
    "uploads/ünïcödé ☃.txt": b"unicode key",
    f"uploads/{UNKNOWN_TOKEN}": b"the app's key form, put by another tool",
    "uploads/20260102030405-" + "f" * 32 + ".txt": b"the app's key form, with metadata it never writes",
    "uploads/20260102030405-" + "d" * 32 + ".txt": b"the app's key form, a name that is not clean",
}
METADATA = {
    "uploads/20260102030405-" + "f" * 32 + ".txt": {"original-name": "%ff%fe not utf-8"},
    "uploads/20260102030405-" + "d" * 32 + ".txt": {"original-name": quote("evil\u202etxt.exe")},
}


def test_objects_the_app_did_not_create_never_show_up_and_never_give_a_5xx(stack):
    bucket = stack.settings["S3_BUCKET"]
    for key, body in STRAY.items():
        stack.s3_client().put_object(Bucket=bucket, Key=key, Body=body, Metadata=METADATA.get(key, {}))
    a, b = stack.dynos
    visitor = Visitor(a.url)
    token = visitor.csrf_token()
    assert visitor.upload(token, "after the strays.txt", base_url=b.url).status_code == 303  # a fresh list

    answers = {}
    for key in STRAY:
        rest = key.removeprefix("uploads/")
        answers[f"confirm {key!r}"] = visitor.confirm(token, key, base_url=(a, b)[len(answers) % 2].url)
        answers[f"confirm {rest!r}"] = visitor.confirm(token, rest)
        answers[f"download {rest!r}"] = visitor.get("/uploads/" + quote(rest, safe="/"), base_url=b.url)
    failures = {what: answer.status_code for what, answer in answers.items() if not 400 <= answer.status_code < 500}
    # "uploads/" itself is the uploads page (200); every other answer is a 404
    failures.pop("download ''", None)
    assert failures == {}, failures

    for names in listed_names(stack):
        assert "after the strays.txt" in names
        assert not set(names) & {"README", "plan.txt", UNKNOWN_TOKEN, "evil\u202etxt.exe", "eviltxt.exe"}
        assert not any(name.startswith("%ff") or "ünïcödé" in name for name in names)
    recorded_keys = {key for (key,) in stack.postgres.execute("SELECT key FROM uploads", database=stack.database)}
    assert not recorded_keys & set(STRAY)
