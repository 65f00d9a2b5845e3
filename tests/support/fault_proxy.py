"""A TCP relay in front of the S3 emulator that a test breaks on purpose, at a chosen point.

Stopping or killing the emulator breaks every connection at an instant the test does not
control, so a check of "S3 fails in the middle of an upload" would pass or fail by timing.
This relay makes the failure exact:

* `refuse()`: nothing listens on the port (connection refused), and open connections are reset;
* `fail(Fault(...))`: once a request whose bytes match `request` has passed through, the
  relay counts `after_bytes` more bytes in one `direction` (the request body on its way to S3,
  or S3's response on its way back, from where `after_response` matches if given, e.g. the
  final status line after a `100 Continue`), then resets the connection (RST, as a crashed
  server or a dropped route would), closes it (FIN, as a killed process's sockets close) or
  stalls it (stops relaying both ways and holds it open, as a hung server would), for every
  matching request until `heal()`.

Upstream is 127.0.0.1:`upstream_port`, which may be set after the relay has started.
"""

from __future__ import annotations

import contextlib
import re
import selectors
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from tests.support.loopback_server import LoopbackServer

CHUNK = 65536


@dataclass(frozen=True)
class Fault:
    request: bytes  # a regular expression over the request's bytes (request line and headers)
    action: str  # "reset" (RST), "close" (FIN, as a killed process's socket closes) or "stall"
    direction: str = "request"  # count bytes of the "request" (to S3) or of the "response" (from S3)
    after_bytes: int = 0
    after_response: bytes = b""  # a regular expression the response must match before counting starts

    def __post_init__(self):
        assert self.action in ("reset", "close", "stall"), self.action
        assert self.direction in ("request", "response"), self.direction


class FaultProxy(LoopbackServer):
    def __init__(self, upstream_port: int | None = None):
        super().__init__()
        self.upstream_port = upstream_port
        self.fault: Fault | None = None
        self.healed = threading.Event()
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        self.triggered = 0  # connections broken by the current fault
        self.connections = 0  # connections accepted since the relay started
        self.serving: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # What a test calls --------------------------------------------------------

    def fail(self, fault: Fault) -> None:
        with self.lock:
            self.fault = fault
            self.triggered = 0
            self.healed.clear()

    def refuse(self) -> None:
        """Stop listening (connection refused) and reset every open connection."""
        self.listener.close()
        if self.serving is not None:
            self.serving.join(timeout=5)
        with self.lock:
            connections = list(self.open)
        for connection in connections:
            reset(connection)

    def heal(self) -> None:
        """Relay normally again, listening if `refuse()` stopped it; stalled connections are reset."""
        with self.lock:
            self.fault = None
        self.healed.set()
        if self.listener.fileno() == -1:
            self.listener = socket.create_server(("127.0.0.1", self.port))
            self.listener.settimeout(0.2)
            self.start()

    def start(self) -> None:
        self.serving = threading.Thread(target=self.serve, daemon=True)
        self.serving.start()

    def stop(self) -> None:
        self.stopping.set()
        self.healed.set()
        self.refuse()
        for handler in self.threads:
            handler.join(timeout=5)

    # Relaying ------------------------------------------------------------------

    def handle(self, client: socket.socket) -> None:
        with self.lock:
            self.connections += 1
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except (OSError, TypeError):
            reset(client)
            return
        with self.lock:
            self.open.update((client, upstream))
        try:
            broken = self.relay(client, upstream)
        finally:
            with self.lock:
                self.open.difference_update((client, upstream))
        # One side closed: pass that on as it came (FIN), so the other side still reads what was sent.
        for sock in (client, upstream):
            reset(sock) if broken else close(sock)

    def relay(self, client: socket.socket, upstream: socket.socket) -> bool:
        """Relay until either side closes (False) or the fault breaks the connection (True)."""
        seen = b""  # the latest request bytes, to find the fault's pattern across reads
        answer = b""  # the latest response bytes, to find `after_response` across reads
        fault: Fault | None = None  # set once this connection carried the fault's request
        counting = False  # whether the fault's bytes are being counted yet
        countdown = 0  # bytes the fault still lets through
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, "request")
            selector.register(upstream, selectors.EVENT_READ, "response")
            while not self.stopping.is_set():
                for key, _ in selector.select(timeout=0.2):
                    source: socket.socket = key.fileobj
                    target = upstream if source is client else client
                    try:
                        data = source.recv(CHUNK)
                    except OSError:
                        return True
                    if not data:
                        return False
                    start = 0  # where counting starts in this read
                    if fault is None and key.data == "request":
                        with self.lock:
                            current = self.fault
                        window = seen + data
                        match = re.search(current.request, window) if current is not None else None
                        seen = window[-4096:]
                        if match:
                            fault, countdown = current, current.after_bytes
                            counting = fault.direction == "request" or not fault.after_response
                            start = max(match.end() - (len(window) - len(data)), 0)
                    elif fault is not None and not counting and key.data == "response":
                        window = answer + data
                        match = re.search(fault.after_response, window)
                        answer = window[-4096:]
                        if match:
                            counting = True
                            start = max(match.start() - (len(window) - len(data)), 0)
                    if fault is not None and counting and key.data == fault.direction:
                        if len(data) - start >= countdown:
                            with contextlib.suppress(OSError):
                                target.sendall(data[: start + countdown])
                            self.break_connection(fault)
                            return fault.action != "close"
                        countdown -= len(data) - start
                    try:
                        target.sendall(data)
                    except OSError:
                        return True
        return True

    def break_connection(self, fault: Fault) -> None:
        with self.lock:
            self.triggered += 1
        if fault.action == "stall":
            # Hold both sockets open and read nothing: the sender's buffers fill and it waits.
            while not (self.healed.wait(0.2) or self.stopping.is_set()):
                pass


def close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


def reset(sock: socket.socket) -> None:
    """Close with RST rather than FIN, as a crashed peer or a dropped route would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


@contextlib.contextmanager
def fault_proxy(upstream_port: int | None = None) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream_port)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
