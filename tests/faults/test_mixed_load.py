"""Mixed load: 10,000 requests across both dynos from several concurrent clients, each
keeping its own session. Expect no 5xx and no response carrying another client's session.

Each client picks a dyno at random for every request, reads and writes its session through
the test-only `/_probe/...` routes, browses the pages, checks `/health` and uploads now and
then. Every Set-Cookie is decrypted with APP_KEY and must belong to the client that got it.
"""

import random
import re
import threading
import time
from collections import Counter

import pytest

from tests.faults.conftest import flashes, running_stack, upload
from tests.support.browser import CSRF_META, Browser

TOTAL_REQUESTS = 10_000
CLIENTS = 8
# Weights per request. Each upload invalidates the cached upload list, and the next `/uploads`
# reads it from the database again.
ACTIONS = {"session": 40, "set": 15, "uploads": 15, "welcome": 15, "health": 5, "static": 9.5, "upload": 0.5}
UPLOADED = re.compile(r"Uploaded (\S+) \(")


@pytest.fixture(scope="module")
def app(probed_slug, project_bin, tmp_path_factory, postgres):
    # The eight clients share one address here, so they would share one upload limit
    # (tested per client in tests/hardening/test_upload_limits.py).
    with running_stack(
        probed_slug, project_bin, tmp_path_factory.mktemp("mixed-load"), postgres, UPLOAD_RATE_LIMIT="1000/minute"
    ) as stack:
        yield stack


class Client:
    """One user: its own cookies, and what it expects its session to hold."""

    def __init__(self, number: int, app, requests_to_make: int):
        self.name = f"client-{number}"
        self.app = app
        self.codec = app.cookies
        self.random = random.Random(number)
        self.browser = Browser(app.dynos[0].url)
        self.requests_to_make = requests_to_make
        self.counter = 0
        self.session_id = None
        self.token = None
        self.uploaded: set[str] = set()
        self.counts = Counter()
        self.problems: list[str] = []
        self.max_latency = 0.0

    def request(self, method: str, path: str, **kwargs):
        dyno = self.random.choice(self.app.dynos)
        started = time.monotonic()
        response = self.browser.request(method, path, base_url=dyno.url, **kwargs)
        self.max_latency = max(self.max_latency, time.monotonic() - started)
        self.counts["requests"] += 1
        if response.status_code >= 500:
            self.counts["5xx"] += 1
            self.problems.append(f"{self.name}: {response.status_code} for {method} {path} on {dyno.name}")
        foreign = self.foreign_cookies(response)
        if foreign:
            self.counts["foreign"] += 1
            self.problems.append(f"{self.name}: {method} {path} on {dyno.name} set {foreign}")
        return response

    def foreign_cookies(self, response) -> dict:
        """Cookies in ``response`` that are not this client's own session data."""
        cookies = self.codec.set_cookies(response)
        if self.session_id is None:
            self.session_id = cookies.get("SESSID")  # the first response starts this client's session
        expected = {
            "SESSID": self.session_id,
            "csrf_token": self.session_id,
            "s_owner": self.name,
            "s_n": f"v{self.counter}",
        }
        foreign = {}
        for name, value in cookies.items():
            if value == "":
                continue  # a deletion
            if name == "f_success":
                if not any(f"Uploaded {mine} (" in value for mine in self.uploaded):
                    foreign[name] = value
            elif name in expected and value != expected[name]:
                foreign[name] = value
            elif name not in expected:
                foreign[name] = value
        return foreign

    def check_page(self, response) -> None:
        if match := CSRF_META.search(response.text):
            self.token = match.group(1)
        for kind, text in flashes(response.text):
            names = UPLOADED.findall(text)
            if kind != "success" or not set(names) <= self.uploaded:
                self.counts["foreign"] += 1
                self.problems.append(f"{self.name}: saw another client's flash {text!r}")

    def run(self) -> None:
        self.request("GET", "/_probe/set", params={"key": "owner", "value": self.name})
        self.request("GET", "/_probe/set", params={"key": "n", "value": "v0"})
        actions, weights = zip(*ACTIONS.items(), strict=True)
        while self.counts["requests"] < self.requests_to_make:
            action = self.random.choices(actions, weights)[0]
            if action == "upload" and self.token is None:
                action = "uploads"
            getattr(self, action)()

    def session(self):
        response = self.request("GET", "/_probe/session")
        if response.status_code == 200:
            data = response.json()["data"]
            flashed = UPLOADED.findall(data.get("success") or "")
            if (
                data.get("owner") != self.name
                or data.get("n") != f"v{self.counter}"
                or not set(flashed) <= self.uploaded
            ):
                self.counts["foreign"] += 1
                self.problems.append(f"{self.name}: session reads {data}")

    def set(self):
        self.counter += 1
        self.request("GET", "/_probe/set", params={"key": "n", "value": f"v{self.counter}"})

    def uploads(self):
        self.check_page(self.request("GET", "/uploads"))

    def welcome(self):
        self.request("GET", "/")

    def health(self):
        self.request("GET", "/health")

    def static(self):
        self.request("GET", "/robots.txt")

    def upload(self):
        name = f"{self.name}-{len(self.uploaded)}.txt"
        self.uploaded.add(name)
        dyno = self.random.choice(self.app.dynos)
        started = time.monotonic()
        response = upload(self.browser, name.encode(), name, base_url=dyno.url, token=self.token)
        self.max_latency = max(self.max_latency, time.monotonic() - started)
        self.counts["requests"] += 1
        if response.status_code != 303:
            self.counts["5xx" if response.status_code >= 500 else "upload refused"] += 1
            self.problems.append(f"{self.name}: upload answered {response.status_code}")
        if foreign := self.foreign_cookies(response):
            self.counts["foreign"] += 1
            self.problems.append(f"{self.name}: upload response set {foreign}")


def test_ten_thousand_mixed_requests_from_concurrent_sessions(app):
    clients = [Client(number, app, TOTAL_REQUESTS // CLIENTS) for number in range(CLIENTS)]
    threads = [threading.Thread(target=client.run) for client in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started

    counts = sum((client.counts for client in clients), Counter())
    problems = [problem for client in clients for problem in client.problems]
    latency = max(client.max_latency for client in clients)
    print(
        f"\n[mixed load] {CLIENTS} clients on 2 dynos: requests {counts['requests']:,} in {seconds:.1f} s "
        f"({counts['requests'] / seconds:,.0f}/s); 5xx {counts['5xx']}; "
        f"responses with another client's session data {counts['foreign']}; "
        f"uploads {sum(len(c.uploaded) for c in clients)}; max latency {latency:.2f} s"
    )
    assert counts["requests"] >= TOTAL_REQUESTS
    assert all(client.session_id for client in clients)
    assert len({client.session_id for client in clients}) == CLIENTS
    assert problems == [], "\n".join(problems[:20])
