"""Sessions live in encrypted cookies, so a session started on one dyno continues on any other."""

import requests

SESSION_COOKIE = "SESSID"


def cookies_set_by(response) -> set[str]:
    return {header.split("=", 1)[0] for header in response.raw.headers.getlist("Set-Cookie")}


def test_a_first_visit_starts_a_session(app, browser):
    response = browser.get(f"{app.url}/")

    assert response.status_code == 200
    assert SESSION_COOKIE in cookies_set_by(response)


def test_the_session_goes_on_across_requests_and_processes(app, other_app, browser):
    browser.get(f"{app.url}/")
    session = browser.cookies[SESSION_COOKIE]

    for web in (app, other_app, app):
        response = browser.get(f"{web.url}/")
        assert response.status_code == 200
        assert SESSION_COOKIE not in cookies_set_by(response), f"{web.url} started a new session"

    assert browser.cookies[SESSION_COOKIE] == session


def test_a_tampered_session_cookie_is_dropped_for_a_new_session(app, browser):
    browser.get(f"{app.url}/")
    tampered = browser.cookies[SESSION_COOKIE][:-8] + "AAAAAAAA"

    response = requests.get(f"{app.url}/", headers={"Cookie": f"{SESSION_COOKIE}={tampered}"}, timeout=10)

    assert response.status_code == 200
    assert SESSION_COOKIE in cookies_set_by(response)
