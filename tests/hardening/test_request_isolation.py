"""Defect 2 and 3: one request's cookies reaching another client; unparsable bodies; sync workers."""

import re

import requests

from tests.support.baking import PROJECT_TEMPLATE
from tests.support.browser import set_cookie_headers

LEAKS = ("Traceback", "JSONDecodeError", "Expecting value", "probe-secret-detail", "line 1 column")


def bad_body_problems(target) -> list[str]:
    problems = []
    bodies = {
        "malformed JSON": ("application/json", b'{"name": '),
        "JSON that is not an object": ("application/json", b"[1, 2"),
        "unsupported content type": ("text/plain", b"hello"),
        "undecodable form": ("application/x-www-form-urlencoded", b"a=\xff\xfe"),
    }
    for kind, (content_type, body) in bodies.items():
        # Another client's request first: its Set-Cookie headers must never reach the next client.
        requests.get(target.url + "/_probe/set", params={"key": "user", "value": "alice"}, timeout=10)
        response = requests.post(
            target.url + "/_probe/echo",
            data=body,
            timeout=10,
            headers={"Content-Type": content_type, "Accept": "application/json"},
        )
        if response.status_code != 400:
            problems.append(f"{kind}: HTTP {response.status_code}")
        if set_cookie_headers(response):
            problems.append(f"{kind}: response carries Set-Cookie {set_cookie_headers(response)[0][:40]}...")
        leaked = [word for word in LEAKS if word in response.text]
        if leaked:
            problems.append(f"{kind}: exception text in the response ({leaked})")
    return problems


def test_unparsable_bodies_get_400_and_never_another_clients_cookies(app, stock):
    assert any("Set-Cookie" in problem for problem in bad_body_problems(stock)), "stock leaks cookies"
    assert bad_body_problems(app) == []


def test_gunicorn_runs_sync_workers_only_and_says_why():
    procfile = (PROJECT_TEMPLATE / "Procfile").read_text()
    web = next(line for line in procfile.splitlines() if line.startswith("web:"))
    assert "--worker-class sync" in web
    assert not re.search(r"--threads|gthread|gevent|eventlet|uvicorn", web)
    comment = " ".join(line for line in procfile.splitlines() if line.startswith("#")).lower()
    assert "sync" in comment and "thread" in comment
    readme = (PROJECT_TEMPLATE / "README.md").read_text().lower()
    assert "sync workers" in readme and "thread" in readme
