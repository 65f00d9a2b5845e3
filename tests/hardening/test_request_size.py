"""Request size: no limit in stock Masonite; here a 413 before the body is read."""

import socket
import time
from urllib.parse import urlparse


def declared_huge_body_problems(target) -> list[str]:
    """Declare a 2 GB body, send none of it, and wait a few seconds for the answer."""
    address = urlparse(target.url)
    request = (
        b"POST /_probe/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: 2000000000\r\nConnection: close\r\n\r\n"
    )
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=5) as connection:
        connection.sendall(request)
        try:
            answer = connection.recv(4096).decode(errors="replace")
        except TimeoutError:
            answer = ""
    status = answer.split(" ", 2)[1] if answer.startswith("HTTP/") else "no answer"
    if status != "413":
        return [f"a 2 GB declared body got {status} after {time.monotonic() - started:.1f} s"]
    return []


def test_a_body_over_the_limit_gets_413_before_it_is_read(app, stock):
    assert declared_huge_body_problems(stock), "stock tries to read the whole body"
    assert declared_huge_body_problems(app) == []


def test_a_chunked_body_over_the_limit_is_cut_off_with_413(app):
    address = urlparse(app.url)
    limit = int(app.settings["MAX_UPLOAD_BYTES"])
    chunk = b"x" * 65536
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            b"POST /_probe/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        sent = 0
        try:
            while sent <= limit + 2 * 65536 * 2:
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = connection.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
