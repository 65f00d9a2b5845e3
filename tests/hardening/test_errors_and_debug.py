"""Defects 8 and 9: debug on by default, leaking error pages, outbound calls, 404 as 500."""

import contextlib
import re

import requests

SECRETS = ("probe-secret-detail", "Traceback", "RuntimeError", "ProbeController", "test")


@contextlib.contextmanager
def without_env_file_setting(target, name: str):
    """Stock Masonite reads .env over the environment; take the setting out while probing."""
    env_file = target.project / ".env"
    original = env_file.read_text() if env_file.exists() else None
    if original is not None:
        env_file.write_text(re.sub(rf"^{name}=.*$\n?", "", original, flags=re.M))
    try:
        yield
    finally:
        if original is not None:
            env_file.write_text(original)


def debug_flag_problems(target) -> list[str]:
    expected = {
        None: False,
        "": False,
        "false": False,
        "False": False,
        "no": False,
        "off": False,
        "0": False,
        "true": True,
        "1": True,
        "yes": True,
        "on": True,
        "TRUE": True,
    }
    problems = []
    with without_env_file_setting(target, "APP_DEBUG"):
        for value, debug in expected.items():
            overrides = {"APP_DEBUG": value} if value is not None else {}
            env_note = "unset" if value is None else repr(value)
            code = "result = application.is_debug()"
            with target.agent(**overrides) as agent:
                if value is None:
                    agent.run("import os; os.environ.pop('APP_DEBUG', None)")
                seen = agent.run(code) if not agent.boot_error else None
            if seen is not debug:
                problems.append(f"APP_DEBUG {env_note} gives debug={seen}")
    return problems


def test_debug_is_off_unless_app_debug_says_true_1_yes_or_on(app, stock):
    assert debug_flag_problems(stock), "stock turns debug on when APP_DEBUG is unset, no or off"
    assert debug_flag_problems(app) == []


def error_page_problems(target) -> list[str]:
    problems = []
    for accept in ("application/json", "text/html"):
        response = requests.get(target.url + "/_probe/error", headers={"Accept": accept}, timeout=10)
        if response.status_code != 500:
            problems.append(f"{accept}: HTTP {response.status_code}")
        leaked = [secret for secret in SECRETS if secret in response.text]
        if leaked:
            problems.append(f"{accept}: the error page shows {leaked}")
    return problems


def test_production_5xx_pages_are_generic_for_html_and_json(app, stock):
    assert error_page_problems(stock), "stock sends the exception text to JSON clients"
    assert error_page_problems(app) == []


def debug_page_problems(target, internet) -> list[str]:
    problems = []
    before = internet.connections
    for path, expected in (("/no-such-page", 404), ("/_probe/error", 500)):
        try:
            status = requests.get(target.url + path, timeout=30).status_code
        except requests.ConnectionError as error:
            status = f"no response ({type(error).__name__})"
        if status != expected:
            problems.append(f"{path} is HTTP {status} in debug, not {expected}")
    if internet.connections != before:
        problems.append(f"error pages made {internet.connections - before} outbound connections")
    return problems


def test_debug_error_pages_make_no_outbound_calls_and_404_stays_404(app_debug, stock_debug, internet):
    assert debug_page_problems(stock_debug, internet), "stock fetches package updates and serves 404 as 500"
    assert debug_page_problems(app_debug, internet) == []
