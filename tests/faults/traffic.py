"""Steady background traffic against the dynos, with every response kept for the checks."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import requests


@dataclass
class Outcome:
    url: str
    path: str
    started: float
    seconds: float
    status: int | None
    error: str | None
    body: str

    @property
    def failed(self) -> bool:
        """No HTTP answer at all, or a 5xx."""
        return self.status is None or self.status >= 500


def timed_get(url: str, path: str, timeout: float = 30.0, **kwargs) -> Outcome:
    started = time.monotonic()
    try:
        response = requests.get(url + path, timeout=timeout, allow_redirects=False, **kwargs)
        return Outcome(url, path, started, time.monotonic() - started, response.status_code, None, response.text)
    except requests.RequestException as error:
        return Outcome(url, path, started, time.monotonic() - started, None, type(error).__name__, "")


class SteadyLoad:
    """One thread per (dyno URL, paths) entry, each requesting its paths in turn until stopped."""

    def __init__(self, plan: list[tuple[str, list[str]]], timeout: float = 30.0):
        self.plan = plan
        self.timeout = timeout
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=entry, daemon=True) for entry in plan]

    def _client(self, url: str, paths: list[str]) -> None:
        index = 0
        while not self._stop.is_set():
            outcome = timed_get(url, paths[index % len(paths)], self.timeout)
            with self._lock:
                self.outcomes.append(outcome)
            index += 1

    def __enter__(self) -> SteadyLoad:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(self.timeout + 5)

    def started_between(self, start: float, end: float = float("inf")) -> list[Outcome]:
        with self._lock:
            return [o for o in self.outcomes if start <= o.started < end]


def summary(outcomes: list[Outcome], expected_503: str | None = None) -> str:
    """ "requests 4,812; 5xx 0; max latency 1.9 s", with the 503s of ``expected_503`` (a path) apart."""
    expected = [o for o in outcomes if o.path == expected_503 and o.status == 503]
    failed = sum(outcome.failed for outcome in outcomes) - len(expected)
    latency = max((outcome.seconds for outcome in outcomes), default=0.0)
    apart = f" (+{len(expected)} expected 503 from {expected_503})" if expected_503 else ""
    return f"requests {len(outcomes):,}; 5xx or no answer {failed}{apart}; max latency {latency:.2f} s"


def wait_until(condition, timeout: float, interval: float = 0.05) -> float | None:
    """Seconds until ``condition()`` was true, or None if it never was within ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    return None
