"""A stand-in for Heroku's router: one origin in front of several dynos, taking turns.

A browser sees a single origin (the app's domain), while consecutive requests land on
different dynos, as they do on Heroku. Every request is recorded (method, path, body
size, dyno), so a test can tell how many bytes went through the app.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tests.support.dynos import Dyno
from tests.support.reverse_proxy import ProxiedRequest, ReverseProxy, running


@dataclass(frozen=True)
class RoutedRequest:
    method: str
    path: str
    body_bytes: int
    dyno: str
    status: int


class Router(ReverseProxy):
    """Its origin (`url`) exists before the dynos start, so their settings can name it (APP_URL)."""

    def __init__(self, dynos: Sequence[Dyno] = ()):
        super().__init__("router")
        self.dynos = list(dynos)
        self.turns = itertools.count()
        self.lock = threading.Lock()
        self.requests: list[RoutedRequest] = []

    def handle(self, request: ProxiedRequest) -> None:
        with self.lock:
            dyno = self.dynos[next(self.turns) % len(self.dynos)]
        body_bytes = request.length
        # Heroku's router appends the client's address to X-Forwarded-For.
        forwarded_for = ", ".join(filter(None, [request.header("X-Forwarded-For"), request.handler.client_address[0]]))
        del request.headers["X-Forwarded-For"]
        status = self.forward(request, dyno.port, [("X-Forwarded-For", forwarded_for)])
        with self.lock:
            self.requests.append(RoutedRequest(request.method, request.path, body_bytes, dyno.name, status))

    def mark(self) -> int:
        """A position in the request log, for `requests_since`."""
        with self.lock:
            return len(self.requests)

    def requests_since(self, mark: int) -> list[RoutedRequest]:
        with self.lock:
            return self.requests[mark:]


@contextlib.contextmanager
def router(dynos: Sequence[Dyno] = ()) -> Iterator[Router]:
    with running(Router(dynos)) as proxy:
        yield proxy
