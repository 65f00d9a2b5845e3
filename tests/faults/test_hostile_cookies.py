"""Hostile cookies, property-based: random, tampered, swapped-name, oversized and expired
cookies, sent to every route, never give a 5xx, are never loaded into a session, and never
change another client's session (its data stays the same and none of its cookies is sent
to the attacker)."""

import itertools
import string
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.faults.conftest import running_stack, upload, upload_links
from tests.support.browser import Browser

EXAMPLES = 60
MAX_AGE = 60 * 60 * 24 * 14  # the app's default SESSION_MAX_AGE
KNOWN_NAMES = ["SESSID", "s_owner", "s_role", "s_admin", "s_user", "f_success", "f_errors", "csrf_token", "token"]
TOKEN_CHARS = string.ascii_letters + string.digits + "-_="
COOKIE_CHARS = st.characters(codec="latin-1", exclude_categories=("Cc",), exclude_characters=";")


@pytest.fixture(scope="module")
def app(probed_slug, project_bin, tmp_path_factory, postgres):
    with running_stack(probed_slug, project_bin, tmp_path_factory.mktemp("hostile-cookies"), postgres) as stack:
        yield stack


@pytest.fixture(scope="module")
def victim(app):
    """A client with a session of its own, which no hostile request may touch."""
    browser = Browser(app.dynos[0].url)
    browser.get("/_probe/set", params={"key": "owner", "value": "victim-7f3a"})
    browser.get("/_probe/set", params={"key": "role", "value": "admin"})
    assert browser.get("/_probe/session").json()["data"] == {"owner": "victim-7f3a", "role": "admin"}
    assert {"SESSID", "s_owner", "s_role"} <= set(browser.cookies)
    return browser


def routes(app, download_link: str) -> list[tuple[str, str, dict]]:
    """(method, path, request options): every route of the app, its static files and the probes."""
    junk = {"X-CSRF-TOKEN": "junk", "Accept": "application/json"}
    return [
        ("GET", "/", {}),
        ("GET", "/uploads", {}),
        ("POST", "/uploads", {"data": {"__token": "junk"}, "files": {"file": ("a.txt", b"hi", "text/plain")}}),
        (
            "POST",
            "/uploads/presign",
            {"json": {"filename": "a.txt", "content_type": "text/plain", "size": 2}, "headers": junk},
        ),
        ("POST", "/uploads/confirm", {"json": {"key": "uploads/x"}, "headers": junk}),
        ("GET", download_link, {}),
        ("GET", "/health", {}),
        ("GET", "/robots.txt", {}),
        ("GET", "/no-such-page", {}),
        ("GET", "/_probe/session", {}),
        ("GET", "/_probe/set?key=note&value=mine", {}),
    ]


def hostile_cookie(codec, victim_tokens: dict[str, str]):
    """One hostile (kind, name, value) cookie, of one of six kinds."""
    names = st.sampled_from(KNOWN_NAMES) | st.from_regex(r"\A[A-Za-z][A-Za-z0-9_]{0,15}\Z")
    victim_items = st.sampled_from(sorted(victim_tokens.items()))

    def tamper(item, position, replacement):
        name, token = item
        index = position % len(token)
        changed = token[:index] + replacement + token[index + 1 :]
        return name, changed

    def kind(label, pairs):
        return pairs.map(lambda pair: (label, *pair))

    return st.one_of(
        kind("random", st.tuples(names, st.text(COOKIE_CHARS, max_size=300))),
        kind("forged", st.tuples(names, st.sampled_from(["admin", '{"user": "admin"}', "victim-7f3a", "1", ""]))),
        kind(
            "tampered",
            st.builds(tamper, victim_items, st.integers(0, 10_000), st.sampled_from(TOKEN_CHARS)).filter(
                lambda pair: pair[1] != victim_tokens[pair[0]] and codec.decrypt(pair[0], pair[1]) is None
            ),
        ),
        kind(
            "swapped-name",
            st.tuples(names, victim_items)
            .filter(lambda pair: pair[0] != pair[1][0])
            .map(lambda pair: (pair[0], pair[1][1])),
        ),
        kind(
            "oversized",
            st.builds(lambda name, char, size: (name, char * size), names, COOKIE_CHARS, st.integers(4000, 9000)),
        ),
        kind(
            "expired",
            st.builds(
                lambda name, value, age: (name, codec.encrypt(name, value, at=time.time() - MAX_AGE - age)),
                names,
                st.sampled_from(["victim-7f3a", "admin", "x"]),
                st.integers(60, 10**8),
            ),
        ),
    )


def decrypted(codec, cookies: dict[str, str]) -> dict[str, str | None]:
    return {name: codec.decrypt(name, token) for name, token in cookies.items()}


def test_hostile_cookies_never_give_a_5xx_or_change_another_session(app, victim):
    codec = app.cookies
    seeded = Browser(app.dynos[0].url)
    assert upload(seeded, b"hello", "hello.txt").status_code == 303
    download_link = upload_links(seeded.get("/uploads").text)["hello.txt"]
    victim_tokens = dict(victim.cookies)
    # csrf_token is re-encrypted on every response, so compare what the cookies hold, not their ciphertext.
    victim_state = decrypted(codec, victim.cookies)
    victim_values = set(victim_state.values()) - {None}
    expected_session = victim.get("/_probe/session").json()["data"]
    dynos = itertools.cycle(app.dynos)
    counts, kinds, latencies = Counter(), Counter(), []  # over every example, shrinking included

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(jar=st.lists(hostile_cookie(codec, victim_tokens), min_size=1, max_size=4))
    def attack(jar):
        dyno = next(dynos)
        header = "; ".join(f"{name}={value}" for _, name, value in jar)
        kinds.update(kind for kind, _, _ in jar)
        attacker = Browser(dyno.url)
        found = []
        counts["examples"] += 1
        for method, path, options in routes(app, download_link):
            options = dict(options)
            headers = {**options.pop("headers", {}), "Cookie": header}
            started = time.monotonic()
            response = attacker.request(method, path, headers=headers, **options)
            latencies.append(time.monotonic() - started)
            counts["requests"] += 1
            where = f"{method} {path} with Cookie: {header[:120]!r}"
            if response.status_code >= 500:
                counts["5xx"] += 1
                found.append(f"{response.status_code} for {where}")
            leaked = set(codec.set_cookies(response).values()) & victim_values
            if leaked:
                counts["foreign Set-Cookie"] += 1
                found.append(f"the victim's session values {leaked} sent to the attacker: {where}")
            if path == "/_probe/session" and response.status_code == 200:
                data = response.json()["data"]
                if data:
                    counts["hostile cookie loaded"] += 1
                    found.append(f"hostile cookies loaded into the session as {data}: {where}")
        seen = victim.get("/_probe/session", base_url=next(dynos).url)
        if seen.json()["data"] != expected_session or decrypted(codec, victim.cookies) != victim_state:
            counts["victim session changed"] += 1
            found.append(f"the victim's session changed to {seen.json()['data']} after {header[:120]!r}")
        assert found == [], "\n".join(found[:5])

    try:
        attack()
    finally:
        print(
            f"\n[hostile cookies] examples {counts['examples']}; requests {counts['requests']:,}; "
            f"5xx {counts['5xx']}; foreign Set-Cookie {counts['foreign Set-Cookie']}; "
            f"hostile cookie loaded {counts['hostile cookie loaded']}; "
            f"victim session changed {counts['victim session changed']}; "
            f"max latency {max(latencies, default=0):.2f} s"
        )
        print(f"[hostile cookies] cookies sent by kind: {dict(sorted(kinds.items()))}")
