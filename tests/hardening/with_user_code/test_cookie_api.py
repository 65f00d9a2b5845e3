"""Issue 10, item 8: Masonite's cookie API works (plain cookies are written and read), and a plain
cookie never becomes the session, the CSRF token, the user or any other security decision."""

import re

import requests

from tests.support.browser import CSRF_META, Browser, cookie_attributes, set_cookie_headers
from tests.support.user_code import USER, login


def test_encrypt_false_writes_a_plain_cookie_with_the_secure_flags(user_app):
    response = requests.get(user_app.url + "/prefs/dark", timeout=10)
    theme = [header for header in set_cookie_headers(response) if header.startswith("theme=")]
    assert theme and theme[0].startswith("theme=dark;"), set_cookie_headers(response)
    attributes = cookie_attributes(theme[0])
    assert "secure" in attributes and re.search(r"SameSite=Lax", theme[0], re.IGNORECASE)
    assert "httponly" not in attributes, "http_only=False was asked for, so the page's JavaScript can read it"


def test_a_cookie_set_by_javascript_reads_with_request_cookie(user_app):
    response = requests.get(user_app.url + "/prefs", headers={"Cookie": "theme=light"}, timeout=10)
    assert response.json()["theme"] == "light"


def remember_token(target) -> str:
    code = f"from app.models.User import User\nresult = User.where('email', {USER['email']!r}).first().remember_token"
    return target.run(code)


def test_a_plain_cookie_is_never_the_session_the_csrf_token_or_the_user(user_app):
    problems = []
    fixed = "attacker-chosen-session-id"
    page = requests.get(user_app.url + "/account", headers={"Cookie": f"SESSID={fixed}"}, timeout=10)
    if CSRF_META.search(page.text).group(1) == fixed:
        problems.append("a plain SESSID became the session id and CSRF token")

    forged = requests.post(
        user_app.url + "/account/login",
        headers={"Cookie": f"SESSID={fixed}; csrf_token={fixed}"},
        data={"__token": fixed, "email": USER["email"], "password": USER["password"]},
        timeout=10,
    )
    if forged.status_code != 403:
        problems.append(f"a POST whose CSRF cookies are plain got {forged.status_code}, not 403")

    assert login(Browser(user_app.url)).status_code == 302
    stolen = requests.get(
        user_app.url + "/account", headers={"Cookie": f"token={remember_token(user_app)}"}, timeout=10
    )
    if "Signed in as" in stolen.text:
        problems.append("a plain login token signed the visitor in")

    session = requests.get(user_app.url + "/prefs", headers={"Cookie": "s_user=alice; f_success=yes"}, timeout=10)
    if session.json()["session_user"] is not None:
        problems.append("a plain s_ cookie became session data")
    assert problems == []
