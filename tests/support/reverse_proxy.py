"""A small threaded HTTP/1.1 reverse proxy on 127.0.0.1, the base of the in-test router and S3 front.

Request and response bodies are streamed in chunks, so a large upload is never held in
memory by the proxy; subclasses decide where a request goes (`handle`) and may look at or
change what passes (`on_body_chunk`, `response_headers`).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = 64 * 1024
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


class ProxiedRequest:
    """What the proxy needs to know about one incoming request."""

    def __init__(self, handler: BaseHTTPRequestHandler):
        self.handler = handler
        self.method = handler.command
        self.path = handler.path
        self.headers = handler.headers
        self.length = int(handler.headers.get("Content-Length") or 0)

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    def respond(self, status: int, headers: list[tuple[str, str]], body: bytes = b"") -> None:
        self.discard_body()
        self.handler.send_response_only(status)
        for name, value in [*headers, ("Content-Length", str(len(body)))]:
            self.handler.send_header(name, value)
        self.handler.end_headers()
        if self.method != "HEAD":
            self.handler.wfile.write(body)

    def discard_body(self) -> None:
        remaining, self.length = self.length, 0
        while remaining > 0:
            remaining -= len(self.handler.rfile.read(min(CHUNK, remaining)))


class ReverseProxy:
    def __init__(self, name: str, receive_buffer: int | None = None):
        self.name = name
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except (ConnectionError, TimeoutError):
                    self.close_connection = True

            def dispatch(self):
                request = ProxiedRequest(self)
                if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                    request.respond(501, [("Connection", "close")], b"chunked request bodies are not supported here")
                    self.close_connection = True
                    return
                proxy.handle(request)

            do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = dispatch

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        if receive_buffer:
            # A small receive window makes a sender feel the proxy's pace at once (see `on_body_chunk`).
            self.server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.server.daemon_threads = True
        self.server.server_bind()
        self.server.server_activate()
        self.port = self.server.server_address[1]
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # Subclasses ---------------------------------------------------------------

    def handle(self, request: ProxiedRequest) -> None:
        raise NotImplementedError

    def on_body_chunk(self, request: ProxiedRequest, received: int) -> None:
        """Called after each chunk of a request body is passed on; `received` counts so far."""

    def response_headers(self, request: ProxiedRequest, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return headers

    # Forwarding ---------------------------------------------------------------

    def forward(self, request: ProxiedRequest, upstream_port: int, extra_headers: list[tuple[str, str]] = ()) -> int:
        """Send the request to 127.0.0.1:upstream_port and stream the answer back; returns its status."""
        upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=120)
        answered = False
        try:
            upstream.putrequest(request.method, request.path, skip_host=True, skip_accept_encoding=True)
            for name, value in request.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            for name, value in extra_headers:
                upstream.putheader(name, value)
            upstream.endheaders()
            received, remaining = 0, request.length
            while remaining > 0:
                chunk = request.handler.rfile.read(min(CHUNK, remaining))
                if not chunk:
                    raise ConnectionError("the client went away in the middle of its request body")
                upstream.send(chunk)
                received += len(chunk)
                remaining -= len(chunk)
                self.on_body_chunk(request, received)
            request.length = 0
            answer = upstream.getresponse()
            headers = [(name, value) for name, value in answer.getheaders() if name.lower() not in HOP_BY_HOP]
            headers = self.response_headers(request, headers)
            length = answer.getheader("Content-Length")
            body = None
            if length is None:
                body = answer.read()  # chunked or close-delimited upstream: resent with a length
                headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
                headers.append(("Content-Length", str(len(body))))
            answered = True
            request.handler.send_response_only(answer.status, answer.reason)
            for name, value in headers:
                request.handler.send_header(name, value)
            request.handler.end_headers()
            if body is not None:
                request.handler.wfile.write(body)
            else:
                while chunk := answer.read(CHUNK):
                    request.handler.wfile.write(chunk)
            return answer.status
        except OSError as error:
            request.handler.close_connection = True
            if answered:
                return 0  # cut off in the middle of the answer: the client sees the connection close
            request.length = 0  # what is left of the body is not read: the connection closes after this
            request.respond(
                502, [("Content-Type", "text/plain"), ("Connection", "close")], f"{self.name}: {error}".encode()
            )
            return 502
        finally:
            upstream.close()

    # Lifecycle ----------------------------------------------------------------

    def start(self) -> ReverseProxy:
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread:
            self.thread.join(timeout=5)


@contextlib.contextmanager
def running(proxy: ReverseProxy) -> Iterator[ReverseProxy]:
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
