"""A listener that stands in for the internet: it records every connection and answers nothing.

Point HTTP_PROXY/HTTPS_PROXY at it and any outbound HTTP call a process makes
shows up in `connections`, without anything leaving the machine.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

from tests.support.loopback_server import LoopbackServer, running


class RecordingProxy(LoopbackServer):
    def __init__(self):
        super().__init__()
        self.connections = 0
        self.requests: list[bytes] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle(self, client: socket.socket) -> None:
        self.connections += 1
        with client:
            client.settimeout(1)
            with contextlib.suppress(OSError):
                self.requests.append(client.recv(1024))
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@contextlib.contextmanager
def recording_proxy() -> Iterator[RecordingProxy]:
    with running(RecordingProxy()) as proxy:
        yield proxy
