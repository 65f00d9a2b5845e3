"""Request size: no limit in stock Masonite; here a limit per kind of body, a 413 before the
body is read or parsed, and parsing bounded in fields, depth and time."""

import json
import socket
import time
from urllib.parse import urlparse

import requests

from tests.support.memory import gunicorn_worker, peak_rss_growth_during

MB = 1024 * 1024
# The most a worker's peak memory may grow while refusing a body it never reads or parses.
UNREAD_BODY_GROWTH = MB
# Refusing a chunked body reads it up to the limit (MAX_BODY_BYTES, 1 MiB by default).
CHUNKED_BODY_GROWTH = 4 * MB


def raw_post(url: str, headers: dict[str, str], pieces) -> tuple[str, bytes]:
    """Send a request head, then ``pieces`` of body as they come; returns (status, response body).

    A server that answers early and closes makes the rest of the upload fail: that is fine."""
    address = urlparse(url)
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(
            f"POST {address.path or '/'} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{head}\r\n".encode()
        )
        try:
            for piece in pieces:
                connection.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    status_line, _, rest = answer.partition(b"\r\n")
    status = status_line.split(b" ")[1].decode() if status_line.startswith(b"HTTP/") else "no answer"
    return status, rest.partition(b"\r\n\r\n")[2]


def sized(body: bytes, content_type: str) -> tuple[dict[str, str], list[bytes]]:
    return {"Content-Type": content_type, "Content-Length": str(len(body))}, [
        body[start : start + 65536] for start in range(0, len(body), 65536)
    ]


def chunked(body: bytes, content_type: str) -> tuple[dict[str, str], list[bytes]]:
    pieces = [body[start : start + 65536] for start in range(0, len(body), 65536)]
    return {"Content-Type": content_type, "Transfer-Encoding": "chunked"}, [
        b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces
    ] + [b"0\r\n\r\n"]


FOUR_MB_FORM = "&".join(f"field{n}={'x' * 40}" for n in range(4 * MB // 50)).encode()
FOUR_MB_JSON = json.dumps({"items": ["x" * 40] * (4 * MB // 44)}).encode()


def refusal(target, headers, pieces) -> tuple[str, int, float]:
    """Send the body to a single-worker dyno; (status, growth of the worker's peak memory, seconds)."""
    outcome = {}

    def send():
        started = time.monotonic()
        outcome["status"], _ = raw_post(target.url + "/_probe/echo", headers, pieces)
        outcome["seconds"] = time.monotonic() - started

    growth = peak_rss_growth_during(gunicorn_worker(target.dyno.process.pid), send)
    return outcome["status"], growth, outcome["seconds"]


def test_four_megabytes_of_json_or_form_get_413_unread_without_memory_growth(app, stock):
    status, growth, seconds = refusal(stock, *sized(FOUR_MB_JSON, "application/json"))
    print(f"\n[body limits] stock, 4 MB JSON: {status} in {seconds:.2f} s, worker peak +{growth / MB:.1f} MB")
    assert status == "200" and growth > 16 * MB, "stock reads and parses the whole body"
    for name, body, content_type in (
        ("form", FOUR_MB_FORM, "application/x-www-form-urlencoded"),
        ("JSON", FOUR_MB_JSON, "application/json"),
    ):
        status, growth, seconds = refusal(app, *sized(body, content_type))
        print(f"[body limits] app, 4 MB {name}: {status} in {seconds:.2f} s, worker peak +{growth / MB:.2f} MB")
        assert status == "413", name
        assert growth < UNREAD_BODY_GROWTH, f"refusing a 4 MB {name} grew the worker by {growth / MB:.1f} MB"


def test_a_chunked_body_that_is_not_multipart_gets_413_at_max_body_bytes(app):
    for name, body, content_type in (
        ("form", FOUR_MB_FORM, "application/x-www-form-urlencoded"),
        ("JSON", FOUR_MB_JSON, "application/json"),
    ):
        status, growth, seconds = refusal(app, *chunked(body, content_type))
        print(f"\n[body limits] app, 4 MB chunked {name}: {status} in {seconds:.2f} s, +{growth / MB:.2f} MB")
        assert status == "413", name
        assert growth < CHUNKED_BODY_GROWTH, f"refusing a chunked {name} grew the worker by {growth / MB:.1f} MB"


def multipart_body(size: int, boundary: str = "limit-test") -> tuple[bytes, str]:
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body += b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_multipart_bodies_may_reach_max_upload_bytes_and_no_further(app):
    limit = int(app.settings["MAX_UPLOAD_BYTES"])
    status, _ = raw_post(app.url + "/_probe/echo", *sized(*multipart_body(4 * MB)))
    assert status == "200", "a 4 MB upload is under MAX_UPLOAD_BYTES"
    status, _ = raw_post(app.url + "/_probe/echo", *chunked(*multipart_body(limit + MB)))
    assert status == "413", "a chunked upload past MAX_UPLOAD_BYTES is cut off"


def test_a_body_declared_over_the_upload_limit_gets_413_before_it_is_read(app, stock):
    """Declare a 2 GB body and send none of it: the answer must not wait for it."""
    headers = {"Content-Type": "application/octet-stream", "Content-Length": "2000000000"}
    assert raw_post(stock.url + "/_probe/echo", headers, [])[0] != "413", "stock waits for the whole body"
    assert raw_post(app.url + "/_probe/echo", headers, [])[0] == "413"


def test_forms_and_json_are_parsed_within_bounds_with_a_reason(app):
    many_fields = "&".join(f"f{n}=1" for n in range(1001))
    response = requests.post(
        app.url + "/_probe/echo",
        data=many_fields,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        timeout=10,
    )
    assert response.status_code == 413 and "more than 1000 fields" in response.text, response.text[:200]
    deep = {"a": 1}
    for _ in range(32):
        deep = {"a": deep}
    response = requests.post(app.url + "/_probe/echo", json=deep, headers={"Accept": "application/json"}, timeout=10)
    assert response.status_code == 400 and "nested deeper than 32 levels" in response.text, response.text[:200]
    assert requests.post(app.url + "/_probe/echo", json=deep["a"], timeout=10).status_code == 200


def test_a_long_bracketed_query_name_is_parsed_in_linear_time(app):
    """Stock Masonite's name grouping backtracks exponentially: this query would hold a worker
    until gunicorn killed it, and every request with it would do the same."""
    for _ in range(2):
        response = requests.get(app.url + "/_probe/ip?" + "a" * 2000 + "[]=1", timeout=10)
        assert response.status_code == 200
    assert requests.get(app.url + "/_probe/ip?a=1&a[b]=2", timeout=10).status_code == 400
