"""A listener that stands in for the internet: it records every connection and answers nothing.

Point HTTP_PROXY/HTTPS_PROXY at it and any outbound HTTP call a process makes
shows up in `connections`, without anything leaving the machine.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from tests.support.processes import free_port


class RecordingProxy:
    def __init__(self):
        self.port = free_port()
        self.connections = 0
        self.requests: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with client:
                client.settimeout(1)
                with contextlib.suppress(OSError):
                    self.requests.append(client.recv(1024))
                    client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@contextlib.contextmanager
def recording_proxy() -> Iterator[RecordingProxy]:
    proxy = RecordingProxy()
    thread = threading.Thread(target=proxy.serve, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.stopping.set()
        proxy.listener.close()
        thread.join(timeout=5)
