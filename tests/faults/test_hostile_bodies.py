"""Hostile request bodies: malformed JSON, wrong content types, truncated multipart, huge
declared Content-Length and path-traversal filenames all get a 4xx, never a 5xx, carry no
other client's Set-Cookie, and store nothing.

Each request goes out on a raw socket, so the tests can send what no well-behaved client
would (a Content-Length that lies, a body cut off half way). Just before each one, another
client opens a session on the same dyno: its cookies must never come back to the attacker.
"""

import json
import socket
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest

from tests.faults.conftest import csrf_token, running_stack
from tests.support.browser import Browser

BOUNDARY = "hostile-boundary-7d1f"


@dataclass
class RawResponse:
    status: int | None
    set_cookies: list[str]
    body: bytes


@dataclass
class Case:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    content_length: int | str | None = None  # None: the body's real length
    cut: bool = False  # send the head and body, then close our side (the body ends early)


@pytest.fixture(scope="module")
def app(slug, project_bin, tmp_path_factory, postgres):
    # Every case comes from one address; a limit this high keeps each one reaching the code it probes
    # (the upload limit itself: tests/hardening/test_upload_limits.py).
    with running_stack(
        slug, project_bin, tmp_path_factory.mktemp("hostile-bodies"), postgres, UPLOAD_RATE_LIMIT="1000/minute"
    ) as stack:
        yield stack


def raw_request(url: str, case: Case, cookie: str, timeout: float = 20.0) -> RawResponse:
    host, port = urlparse(url).hostname, urlparse(url).port
    length = len(case.body) if case.content_length is None else case.content_length
    lines = [
        f"{case.method} {case.path} HTTP/1.1",
        f"Host: {host}:{port}",
        f"Content-Length: {length}",
        "Connection: close",
        f"Cookie: {cookie}",
        *(f"{k}: {v}" for k, v in case.headers.items()),
    ]
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + case.body)
            if case.cut:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered (e.g. 413) and closed before reading everything
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    if not head_lines[0].startswith("HTTP/"):
        return RawResponse(None, [], raw)
    cookies = [line.split(":", 1)[1].strip() for line in head_lines[1:] if line.lower().startswith("set-cookie:")]
    return RawResponse(int(head_lines[0].split()[1]), cookies, body)


def multipart(filename_header: str, content: bytes = b"data", token: str = "", closing: bool = True) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="__token"\r\n\r\n{token}\r\n'.encode(),
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; {filename_header}\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n",
    ]
    return b"".join(parts) + (f"--{BOUNDARY}--\r\n".encode() if closing else b"")


def cases(token: str) -> list[Case]:
    as_json = {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-TOKEN": token}
    form = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Accept": "text/html"}
    good_upload = multipart('filename="fine.txt"', b"x" * 4096, token)
    traversal_names = [
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/etc/passwd",
        "a/../../b.txt",
        "..",
        ".",
        "uploads/../../x",
    ]
    found = []
    for path in ("/uploads/presign", "/uploads/confirm"):
        found += [
            Case(f"{path}: malformed JSON", "POST", path, as_json, b'{"filename": '),
            Case(f"{path}: JSON that is not an object", "POST", path, as_json, b"[1, 2, 3]"),
            Case(f"{path}: JSON that is not UTF-8", "POST", path, as_json, b'{"filename": "\xff\xfe"}'),
            Case(f"{path}: JSON nested 100,000 deep", "POST", path, as_json, b"[" * 100_000 + b"]" * 100_000),
            Case(
                f"{path}: JSON number of 5,000 digits",
                "POST",
                path,
                as_json,
                b'{"filename": "a.txt", "content_type": "text/plain", "size": ' + b"9" * 5000 + b"}",
            ),
            Case(
                f"{path}: JSON of the wrong types",
                "POST",
                path,
                as_json,
                b'{"filename": ["a"], "content_type": {"x": 1}, "size": "12", "key": 7}',
            ),
        ]
    for path in ("/uploads", "/uploads/presign"):
        headers = {"Accept": "text/html", "X-CSRF-TOKEN": token}
        found += [
            Case(f"{path}: text/plain body", "POST", path, {**headers, "Content-Type": "text/plain"}, b"hello"),
            Case(
                f"{path}: application/xml body",
                "POST",
                path,
                {**headers, "Content-Type": "application/xml"},
                b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
            ),
            Case(f"{path}: body without a Content-Type", "POST", path, headers, b'{"filename": "a.txt"}'),
            Case(
                f"{path}: multipart without a boundary",
                "POST",
                path,
                {**headers, "Content-Type": "multipart/form-data"},
                good_upload,
            ),
            Case(
                f"{path}: form that is not UTF-8",
                "POST",
                path,
                {**headers, "Content-Type": "application/x-www-form-urlencoded"},
                b"__token=" + b"\xff\xfe" * 8,
            ),
            Case(
                f"{path}: UTF-16 JSON",
                "POST",
                path,
                {**headers, "Content-Type": "application/json; charset=utf-16"},
                '{"filename": "a.txt"}'.encode("utf-16"),
            ),
        ]
    found += [
        Case(
            "/uploads: multipart without its closing boundary",
            "POST",
            "/uploads",
            form,
            multipart('filename="fine.txt"', b"x" * 4096, token, closing=False),
        ),
        Case(
            "/uploads: multipart cut half way (Content-Length says more)",
            "POST",
            "/uploads",
            form,
            good_upload[: len(good_upload) // 2],
            content_length=len(good_upload),
            cut=True,
        ),
        Case(
            "/uploads: multipart with the wrong boundary",
            "POST",
            "/uploads",
            {**form, "Content-Type": "multipart/form-data; boundary=other"},
            good_upload,
        ),
        Case(
            "/uploads/presign: JSON cut half way",
            "POST",
            "/uploads/presign",
            as_json,
            b'{"filename": "a.txt", "con',
            content_length=200,
            cut=True,
        ),
        Case("/uploads: Content-Length of 10 TB", "POST", "/uploads", form, good_upload, content_length=10 * 1024**4),
        Case(
            "/uploads/presign: Content-Length of 2^64", "POST", "/uploads/presign", as_json, b"{}", content_length=2**64
        ),
        Case("/uploads: Content-Length not a number", "POST", "/uploads", form, good_upload, content_length="12abc"),
        Case("/uploads: negative Content-Length", "POST", "/uploads", form, good_upload, content_length=-1),
    ]
    for name in traversal_names:
        found.append(
            Case(f"/uploads: filename {name!r}", "POST", "/uploads", form, multipart(f'filename="{name}"', b"x", token))
        )
        found.append(
            Case(
                f"/uploads/presign: filename {name!r}",
                "POST",
                "/uploads/presign",
                as_json,
                json.dumps({"filename": name, "content_type": "text/plain", "size": 1}).encode(),
            )
        )
    # Not sent as a multipart filename: the parser reduces a Windows full path (C:\\..., \\\\server\\..., what old IE
    # sent) to its last part, so the app receives "boot.ini", a plain name. As JSON it reaches the app verbatim.
    found.append(
        Case(
            "/uploads/presign: filename 'C:\\boot.ini'",
            "POST",
            "/uploads/presign",
            as_json,
            json.dumps({"filename": "C:\\boot.ini", "content_type": "text/plain", "size": 1}).encode(),
        )
    )
    found.append(
        Case(
            "/uploads: RFC 5987 filename*=../../etc/passwd",
            "POST",
            "/uploads",
            form,
            multipart("filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", b"x", token),
        )
    )
    found.append(
        Case(
            "/uploads: filename with a NUL byte",
            "POST",
            "/uploads",
            form,
            multipart('filename="evil.txt\0.png"', b"x", token),
        )
    )
    return found


def test_hostile_bodies_get_a_4xx_without_foreign_cookies_and_store_nothing(app):
    codec = app.cookies
    attacker = Browser(app.dynos[0].url)
    token = csrf_token(attacker)
    cookie = "; ".join(f"{name}={value}" for name, value in attacker.cookies.items())
    own_session = codec.decrypt("SESSID", attacker.cookies["SESSID"])
    keys_before = app.object_keys()
    cached_before = app.upload_list_cache_key(), app.redis_client().get(app.upload_list_cache_key())
    recorded_before = app.recorded_names()
    statuses, problems = Counter(), []

    for case in cases(token):
        for dyno in app.dynos:
            # Another client opens a session on this dyno just before the hostile request.
            victim = Browser(dyno.url)
            victim.get("/uploads")
            victim_session = codec.decrypt("SESSID", victim.cookies["SESSID"])
            answer = raw_request(dyno.url, case, cookie)
            statuses[answer.status] += 1
            where = f"{case.name} on {dyno.name}"
            if answer.status is None or not 400 <= answer.status < 500:
                problems.append(f"{where}: HTTP {answer.status} {answer.body[:120]!r}")
            for header in answer.set_cookies:
                name, _, rest = header.partition("=")
                value = codec.decrypt(name, rest.split(";", 1)[0])
                if value == victim_session or (name == "SESSID" and value not in (None, "", own_session)):
                    problems.append(f"{where}: another client's cookie {name} in the response")

    keys_after = app.object_keys()
    cached_after = app.upload_list_cache_key(), app.redis_client().get(app.upload_list_cache_key())
    print(
        f"\n[hostile bodies] cases {len(cases(token))} on 2 dynos; requests {sum(statuses.values())}; "
        f"answers {dict(sorted(statuses.items(), key=str))}; problems {len(problems)}; "
        f"objects stored {len(keys_after - keys_before)}; files left on the dynos' disk {len(app.tmp_files())}"
    )
    assert problems == [], "\n".join(problems)
    assert keys_after == keys_before, f"stored: {sorted(keys_after - keys_before)}"
    assert cached_after == cached_before
    assert app.recorded_names() == recorded_before
    assert app.tmp_files() == []
