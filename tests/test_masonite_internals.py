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
    loaded = []

    class Recording(CookieJar):
        def load_cookie(self, key, value):
            loaded.append((key, value))

    Recording().load("a=1; b=2")
    assert loaded == [("a", "1"), ("b", "2")], "load() hands every cookie of the header to load_cookie()"
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
    reuses `env` per location, keyed on `loaders`, `_jinja_extensions` and `_filters`;
    providers/RequestLifecycleProvider.py resets `_shared`, `composers` and `dictionary` per request."""
    monkeypatch.chdir(PROJECT_TEMPLATE)
    monkeypatch.syspath_prepend(str(PROJECT_TEMPLATE))
    view = View(application)
    for name in ("loaders", "env", "_jinja_extensions", "_filters", "_shared", "namespaces", "composers", "dictionary"):
        assert name in vars(view), name
    view.add_location("templates")
    view.load_template("errors/error")
    assert view.env is not None and view.env.loader is not None
    # What load_template sets besides `env`, for a template of the view locations.
    assert (view.template, view.filename) == ("errors/error", "errors/error.html")


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


def test_storage_and_cache_keep_their_configuration_in_store_config():
    """production_layer/managers/InstancePerName.py reads `store_config`, `drivers` and `application`
    of Masonite's Storage and Cache, and makes a driver as `DriverClass(application).set_options(options)`."""
    from masonite.cache import Cache
    from masonite.cache.drivers import FileDriver, MemcachedDriver, RedisDriver
    from masonite.filesystem import Storage
    from masonite.filesystem.drivers import AmazonS3Driver, LocalDriver

    application = Application(".")
    disks = {"default": "a", "a": {"driver": "d"}}
    for manager_class in (Storage, Cache):
        manager = manager_class(application)
        assert manager.set_configuration(disks) is manager and manager.store_config == disks
        driver = object()
        manager.add_driver("d", driver)
        assert manager.drivers == {"d": driver} and manager.application is application
    for driver_class in (LocalDriver, AmazonS3Driver, FileDriver, RedisDriver, MemcachedDriver):
        driver = driver_class(application)
        assert driver.set_options({}) is driver and driver.options == {}


def test_sign_builds_a_module_level_fernet_from_its_key():
    """production_layer/keys/masonite_sign.py swaps the `Fernet` that `masonite.auth.Sign` looks up."""
    module = importlib.import_module("masonite.auth.Sign")
    assert callable(module.Fernet)
    for method in (module.Sign.sign, module.Sign.unsign):
        assert "Fernet(self.key)" in inspect.getsource(method)
    assert 'application.make("key")' in inspect.getsource(module.Sign.__init__)


def test_auth_keeps_the_user_and_the_chosen_guard_on_itself(application):
    """production_layer/providers/RequestLifecycleProvider.py resets `_user` (via set_user) and `_guard`."""
    from masonite.authentication import Auth

    auth = Auth(application, {"default": "web"})
    auth.add_guard("web", object())
    auth.add_guard("api", object())
    auth.guard("api")
    assert auth._guard == "api" and auth.get_guard() is auth.guards["api"]
    auth._guard = None
    assert auth.get_guard() is auth.guards["web"]
    auth.set_user("someone")
    assert auth._user == "someone"


def test_router_keeps_its_routes_in_a_list_and_exceptionite_adds_one():
    """production_layer/providers/SafeExceptionProvider.py removes what stock registration added."""
    from masonite.routes import HTTPRoute, Router

    first, second = HTTPRoute("/a", request_method=["get"]), HTTPRoute("/b", request_method=["post"])
    router = Router(first)
    router.add(second)
    assert router.routes == [first, second], "added routes are appended to the one list"
    source = inspect.getsource(
        importlib.import_module("masonite.providers.ExceptionProvider").ExceptionProvider.register
    )
    assert 'make("router").add(' in source and "/_exceptionite/actions/" in source


def test_logging_provider_listens_to_exceptions_through_event_listeners():
    """production_layer/providers/SafeLoggingProvider.py replaces this listener in `Event.events`."""
    from masonite.events import Event
    from masonite.logging import LoggingProvider

    source = inspect.getsource(LoggingProvider.register)
    assert '"masonite.exception.*", [LoggerExceptionsListener]' in source
    event = Event(Application("."))
    event.listen("masonite.exception.*", [object])
    assert event.events == {"masonite.exception.*": [object]}


def test_response_keeps_its_status_in_the_private_status_attribute():
    """production_layer/exceptions/SafeExceptionHandler.py unsets `_status` before a bound handler runs."""
    from masonite.response import Response

    response = Response(Application("."))
    response.status(500)
    response._status = None
    assert response.get_status_code() is None
    response.view("x", status=402)
    assert response.get_status() == 402


def test_kernel_register_sets_the_response_handler_in_register_framework():
    """production_layer/foundation/FrameworkKernel.py sets its ResponseHandler after `register_framework`."""
    from masonite.foundation.response_handler import response_handler

    application = Application(".")

    class WithoutEnvironment(Kernel):
        def load_environment(self):
            pass

        def register_capsules(self):
            pass

        def register_commands(self):
            pass

        def register_testing(self):
            pass

    WithoutEnvironment(application).register()
    assert application.get_response_handler() is response_handler


def test_container_reads_parameters_through_get_parameters():
    """production_layer/foundation/Application.py keeps what `get_parameters` answers for each function."""
    seen = []

    class Recording(Application):
        def get_parameters(self, obj):
            seen.append(obj)
            return super().get_parameters(obj)

    def needs_nothing(value="default"):
        return value

    container = Recording(".")
    assert container.resolve(needs_nothing) == "default"
    assert seen == [needs_nothing]


def test_container_finds_a_typed_parameter_by_scanning_its_bindings():
    """production_layer/foundation/Application.py remembers which binding answered a type, checks it
    the way `_find_annotated_parameter` does, and still fires the `resolve` hook."""

    class Service:
        pass

    class Special(Service):
        pass

    container = Application(".")
    first, second = Special(), Special()
    container.bind("service", first)
    hooks = []
    container.on_resolve(Special, lambda obj, *args: hooks.append(obj))

    def wants(service):
        return service

    wants.__annotations__ = {"service": Service}  # a class, not a string (this module has postponed annotations)

    assert container.resolve(wants) is first
    container.bind("service", second)
    assert container.resolve(wants) is second, "a rebinding under the same key is what resolves"
    source = inspect.getsource(Application._find_annotated_parameter)
    assert "self.swaps" in source and "self.objects.items()" in source and 'self.fire_hook("resolve"' in source


def test_configuration_changes_only_through_set_load_and_merge_with():
    """production_layer/configuration/CachedConfiguration.py clears its cache in exactly these methods."""
    from masonite.configuration import Configuration

    writers = {
        name
        for name, method in inspect.getmembers(Configuration, inspect.isfunction)
        if "self._config[" in inspect.getsource(method)
        and "] =" in inspect.getsource(method)
        or "self.set(" in inspect.getsource(method)
    }
    assert writers == {"load", "merge_with", "set"}


def test_header_bag_names_every_header_through_convert_name():
    """production_layer/request/CachedHeaderBag.py keeps `convert_name`'s answers: it must depend on the
    name alone, and every lookup must go through it."""
    from masonite.headers import HeaderBag

    assert HeaderBag.convert_name(None, "HTTP_X_FORWARDED_FOR") == "X-Forwarded-For"
    for method in ("add", "add_if_not_exists", "get", "__contains__", "__getitem__"):
        assert "self.convert_name(" in inspect.getsource(getattr(HeaderBag, method)), method
    assert "self." not in inspect.getsource(HeaderBag.convert_name).split("return", 1)[1]


def test_rate_limiter_get_limiter_raises_key_error_for_unknown_names():
    from masonite.rates import GlobalLimiter, RateLimiter

    limiter = RateLimiter(application=None).register("known", GlobalLimiter("1/minute"))
    assert isinstance(limiter.get_limiter("known"), GlobalLimiter)
    with pytest.raises(KeyError):
        limiter.get_limiter("unknown")


def test_container_fires_hooks_only_from_its_hooks_table():
    """production_layer/foundation/Application.py skips `fire_hook` when no hook of that action exists."""
    from masonite.container import Container

    assert set(Container._hooks) == {"make", "bind", "resolve"}
    source = inspect.getsource(Container.fire_hook)
    assert "self._hooks[action]" in source and "for _, hook_list in self._hooks[action].items()" in source
