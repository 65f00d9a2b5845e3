"""Issue 10, item 1: nothing a request leaves behind reaches the next visitor on the same worker,
whatever happened in that request (its controller raised, its body did not parse, it was a 404)."""

import re

import requests

from tests.support.browser import CSRF_META, Browser
from tests.support.user_code import USER, login

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_a_login_whose_controller_raises_does_not_log_in_the_next_visitor(user_app):
    signed_in = Browser(user_app.url)
    assert login(signed_in).status_code == 302
    assert f"Signed in as {USER['email']}" in signed_in.get("/account").text, "the login works"

    problems = []
    for attempt in range(3):
        alice = Browser(user_app.url)
        token = alice.csrf_token("/account")
        failed = alice.post(
            "/account/login-then-fail", data={"__token": token, "email": USER["email"], "password": USER["password"]}
        )
        assert failed.status_code == 500, failed.text[:200]
        visitor = requests.get(user_app.url + "/account", timeout=10)
        if "Signed in as" in visitor.text:
            problems.append(f"attempt {attempt + 1}: the next visitor is signed in as Alice")
    assert problems == []


def alices_traces(target) -> dict[str, str]:
    """Alice signs in, gets a page that shares a greeting, then a request of hers fails."""
    alice = Browser(target.url)
    assert login(alice).status_code == 302
    page = alice.get("/account/greet", params={"name": "Alice-private-note"})
    assert "Hello Alice-private-note" in page.text
    csrf_token = CSRF_META.search(page.text).group(1)
    token = alice.csrf_token("/account")
    alice.post("/account/login-then-fail", data={"__token": token, **{k: USER[k] for k in ("email", "password")}})
    return {
        "her CSRF token (her session id)": csrf_token,
        "her greeting": "Alice-private-note",
        "her login": "Signed in",
    }


def test_error_pages_extending_base_show_nothing_of_the_previous_visitor(user_app):
    pages = {
        "a custom 404 page": lambda: requests.get(user_app.url + "/no-such-page", timeout=10),
        # The body does not parse: the request fails in the first provider's boot.
        "a custom 400 page": lambda: requests.post(
            user_app.url + "/account/login", data=b"a=\xff\xfe", headers=FORM, timeout=10
        ),
    }
    problems = []
    for name, visit in pages.items():
        traces = alices_traces(user_app)
        page = visit()
        assert "<h1>" in page.text, f"{name}: the custom template was not used ({page.status_code})"
        problems += [f"{name} shows {what}" for what, trace in traces.items() if trace in page.text]
        meta = CSRF_META.search(page.text)
        if meta and meta.group(1):
            problems.append(f"{name} carries a CSRF token although the visitor has no session: {meta.group(1)[:12]}...")
    assert problems == []


def test_anything_shared_by_a_request_is_gone_for_the_next_page(user_app):
    Browser(user_app.url).get("/account/greet", params={"name": "Bob"})
    page = requests.get(user_app.url + "/account", timeout=10)
    assert page.status_code == 200
    assert not re.search(r"Hello Bob", page.text)
