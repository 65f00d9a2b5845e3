"""Issue 10, item 5: Masonite's exception extension points work, production output stays safe,
and exceptionite's debug routes exist only in debug."""

import time

import requests

from tests.support.browser import Browser
from tests.support.user_code import dyno_log

JSON = {"Accept": "application/json"}


def log_after(target, request) -> tuple[requests.Response, str]:
    """The response to ``request()`` and what the dyno logged meanwhile."""
    before = len(dyno_log(target))
    response = request()
    time.sleep(0.3)  # the listener prints from the worker; let the line reach the log file
    return response, dyno_log(target)[before:]


def test_find_or_fail_on_a_missing_row_is_a_404_for_html_and_json(user_app):
    page = requests.get(user_app.url + "/users/999999", timeout=10)
    assert page.status_code == 404 and "<h1>" in page.text, "the custom 404 page"
    api = requests.get(user_app.url + "/users/999999", headers=JSON, timeout=10)
    assert api.status_code == 404 and api.json()["status"] == 404
    assert requests.get(user_app.url + "/users/1", headers=JSON, timeout=10).json() == {"name": "Alice"}


def test_a_handler_bound_as_name_handler_renders_its_exception_and_listeners_hear_it(user_app):
    response, log = log_after(user_app, lambda: requests.get(user_app.url + "/billing", timeout=10))
    assert (response.status_code, response.text) == (402, "Please upgrade your plan.")
    assert "audit: masonite.exception.PaymentRequired" in log
    assert "card declined" not in log, "an exception its handler took care of is not logged as an error"


def test_a_handler_that_fails_gives_a_generic_500_and_its_error_is_logged(user_app):
    response, log = log_after(user_app, lambda: requests.get(user_app.url + "/billing/refund", timeout=10))
    assert response.status_code == 500 and "Something went wrong" in response.text
    assert "refund service" not in response.text
    assert log.count("RuntimeError: the refund service is down") >= 1


def test_dd_in_production_is_a_generic_500(user_app):
    response = requests.get(user_app.url + "/billing/inspect", timeout=10)
    assert response.status_code == 500 and "4242-dumped" not in response.text


def test_http_exceptions_keep_their_status_and_message(user_app):
    page = requests.get(user_app.url + "/teapot", timeout=10)
    api = requests.get(user_app.url + "/teapot", headers=JSON, timeout=10)
    assert (page.status_code, api.status_code) == (418, 418)
    assert "short and stout" in page.text
    assert api.json() == {"error": "short and stout", "status": 418}


def test_server_errors_are_generic_and_logged_once_client_errors_are_not_logged(user_app):
    failure, log = log_after(user_app, lambda: requests.post(user_app.url + "/account/login-then-fail", timeout=10))
    assert failure.status_code == 403, "a POST without a CSRF token"
    assert "Traceback" not in log, "a CSRF failure is the client's error, not the app's"

    missing, log = log_after(user_app, lambda: requests.get(user_app.url + "/no-such-page", timeout=10))
    assert missing.status_code == 404 and "Traceback" not in log

    browser = Browser(user_app.url)
    token = browser.csrf_token("/account")
    crash, log = log_after(user_app, lambda: browser.post("/account/login-then-fail", data={"__token": token}))
    assert crash.status_code == 500 and "Something went wrong" in crash.text
    assert "the dashboard is down" not in crash.text
    assert log.count("Traceback (most recent call last)") == 1, log
    assert "RuntimeError: the dashboard is down" in log
    assert "audit: masonite.exception." in log


def test_exceptionite_routes_exist_only_in_debug(user_app, stock, app_debug):
    def action(target):
        return requests.post(target.url + "/_exceptionite/actions/", json={}, timeout=30)

    assert action(stock).status_code == 500, "stock routes the debug actions whatever APP_DEBUG says"
    response, log = log_after(user_app, lambda: action(user_app))
    assert response.status_code == 404 and "Traceback" not in log
    assert action(app_debug).status_code != 404, "the debug page's actions still work in debug"
