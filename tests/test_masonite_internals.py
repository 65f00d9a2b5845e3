"""Pins on the Masonite internals the production layer relies on.

Each place in `production_layer/` that reaches past Masonite's public API carries a
`Masonite internal:` comment. Each test here checks, against the installed Masonite,
the one fact such a line depends on, so a Masonite release that changes it fails here,
by name, instead of in production.
"""

from __future__ import annotations

import importlib
import inspect
import io
import re

import pytest
from masonite.cookies import CookieJar
from masonite.exceptions.ExceptionHandler import ExceptionHandler
from masonite.foundation import Application, Kernel
from masonite.input import InputBag
from masonite.request import Request
from masonite.sessions import Session
from masonite.views import View

from tests.support.baking import PROJECT_TEMPLATE
from tests.support.bare_masonite import bare_application

PRODUCTION_LAYER = PROJECT_TEMPLATE / "production_layer"
PIN = re.compile(r"Masonite internal, pinned by (test_\w+)")


@pytest.fixture(autouse=True)
def application():
    with bare_application() as application:
        yield application


def environ(**extra) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "QUERY_STRING": "a=1",
        "wsgi.input": io.BytesIO(),
        "HTTP_COOKIE": "one=1; two=2",
        **extra,
    }


def test_every_internal_the_layer_relies_on_names_its_pin():
    pins = {}
    for path in sorted(PRODUCTION_LAYER.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "Masonite internal" in line:
                match = PIN.search(line)
                assert match, f"{path.relative_to(PRODUCTION_LAYER)}:{number} names no pin: {line.strip()}"
                pins[f"{path.relative_to(PRODUCTION_LAYER)}:{number}"] = match.group(1)
    assert pins, "the layer marks the lines that rely on Masonite internals"
    missing = {place: pin for place, pin in pins.items() if pin not in globals()}
    assert not missing, missing


def test_request_init_builds_cookie_header_and_input_bags_in_load():
    """production_layer/request/SecureRequest.py overrides `Request.load` to use its own bags."""
    calls = []

    class Recording(Request):
        def load(self):
            calls.append("load")
            super().load()

    request = Recording(environ())
    assert calls == ["load"]
    assert set(request.cookie_jar.loaded_cookies) == {"one", "two"}
    assert request.input_bag.query_string == {"a": "1"}
    assert request.header_bag is not None


def test_input_bag_load_calls_parse_and_reads_query_string_and_post_data():
    """production_layer/request/StrictInputBag.py overrides `parse` and fills these two dicts."""
    parsed = []

    class Recording(InputBag):
        def parse(self, environ):
            parsed.append(environ)
            self.query_string = self.query_parse("x=1")
            self.post_data = self.parse_dict({"y": ["2"]})

    bag = Recording()
    bag.load(environ())
    assert len(parsed) == 1
    assert bag.get("x") == "1" and bag.get("y") == "2"


def test_cookie_jar_keeps_added_loaded_and_deleted_cookies_in_three_dicts():
    """production_layer/cookies/EncryptedCookieJar.py reads and writes these dicts directly."""
    jar = CookieJar()
    assert (jar.cookies, jar.loaded_cookies, jar.deleted_cookies) == ({}, {}, {})
    jar.load("kept=1")
    assert set(jar.loaded_cookies) == {"kept"}
    jar.add("new", "2")
    jar.delete("kept")
    assert set(jar.cookies) == {"new"} and set(jar.deleted_cookies) == {"kept"}
    assert all(name == "Set-Cookie" for name, _ in jar.render_response())


def test_response_handler_sends_the_bound_responses_cookie_jar():
    """The layer binds a Response whose `cookie_jar` is its own jar; the handler must render that jar."""
    module = importlib.import_module("masonite.foundation.response_handler")
    source = inspect.getsource(module.response_handler)
    assert 'application.make("response")' in source
    assert "response.cookie_jar.render_response()" in source
    assert "for provider in application.get_providers():" in source
    assert "application.resolve(provider.boot)" in source


def test_exception_handler_keeps_its_renderers_in_drivers_and_driver_config():
    """production_layer/providers/SafeExceptionProvider.py copies these to its own handler."""
    handler = ExceptionHandler(Application("."))
    handler.add_driver("web", object())
    assert set(handler.drivers) == {"web"}
    assert handler.driver_config == {}


def test_view_state_is_instance_attributes_and_load_template_sets_env(application, monkeypatch):
    """production_layer/providers/CachedViewProvider.py copies `vars(view)`; views/CachedView.py
    reuses `env` per location, keyed on `loaders`, `_jinja_extensions` and `_filters`."""
    monkeypatch.chdir(PROJECT_TEMPLATE)
    monkeypatch.syspath_prepend(str(PROJECT_TEMPLATE))
    view = View(application)
    for name in ("loaders", "env", "_jinja_extensions", "_filters", "_shared", "namespaces"):
        assert name in vars(view), name
    view.add_location("templates")
    view.load_template("base")
    assert view.env is not None and view.env.loader is not None


def test_request_ip_is_the_private_ip_attribute():
    """production_layer/middleware/HerokuClientIp.py sets `request._ip`, which `ip()` returns."""
    request = Request(environ())
    request._ip = "203.0.113.7"
    assert request.ip() == "203.0.113.7"


def test_session_drivers_are_a_plain_dict_attribute():
    """production_layer/providers/RequestLifecycleProvider.py shares one drivers dict between sessions."""
    session = Session(Application("."))
    assert session.drivers == {}
    session.drivers = {"cookie": object()}
    assert set(session.drivers) == {"cookie"}


def test_kernel_register_loads_the_environment_first():
    """production_layer/foundation/FrameworkKernel.py overrides `load_environment`."""
    calls = []

    class Recording(Kernel):
        def load_environment(self):
            calls.append("load_environment")
            raise StopIteration

    try:
        Recording(Application(".")).register()
    except StopIteration:
        pass
    assert calls == ["load_environment"]


def test_rate_limiter_get_limiter_raises_key_error_for_unknown_names():
    from masonite.rates import GlobalLimiter, RateLimiter

    limiter = RateLimiter(application=None).register("known", GlobalLimiter("1/minute"))
    assert isinstance(limiter.get_limiter("known"), GlobalLimiter)
    with pytest.raises(KeyError):
        limiter.get_limiter("unknown")
