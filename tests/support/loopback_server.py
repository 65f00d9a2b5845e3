"""A tiny threaded TCP server on 127.0.0.1, for the in-test proxies."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from tests.support.processes import free_port


class LoopbackServer:
    """Accepts connections on a free port until stopped; subclasses implement `handle`."""

    def __init__(self):
        self.port = free_port()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def handle(self, client: socket.socket) -> None:
        raise NotImplementedError

    def serve(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self.handle, args=(client,), daemon=True)
            thread.start()
            self.threads.append(thread)


@contextlib.contextmanager
def running(server: LoopbackServer) -> Iterator[LoopbackServer]:
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.listener.close()
        thread.join(timeout=5)
        for handler in server.threads:
            handler.join(timeout=5)
