"""The container, response handler and configuration of the production layer behave as Masonite's
do, doing less work per request.

Masonite's container keeps its bindings, swaps and hooks on the class, shared by every instance:
each test uses classes of its own so that nothing it binds answers another test.
"""

import copy
import io

import pytest
from masonite.container import Container
from masonite.foundation import Application as MasoniteApplication
from masonite.providers import Provider
from production_layer.configuration import CachedConfiguration
from production_layer.foundation import Application, ResponseHandler
from production_layer.foundation.ResponseHandler import does_nothing


@pytest.fixture(autouse=True)
def container_state():
    """Put back the class-wide bindings, swaps and hooks these tests add."""
    saved = {name: copy.copy(getattr(Container, name)) for name in ("objects", "swaps")}
    hooks = {action: dict(listeners) for action, listeners in Container._hooks.items()}
    yield
    for name, value in saved.items():
        getattr(Container, name).clear()
        getattr(Container, name).update(value)
    for action, listeners in hooks.items():
        Container._hooks[action].clear()
        Container._hooks[action].update(listeners)


def service_types():
    class Service:
        pass

    class Special(Service):
        pass

    def wants(service):
        return service

    wants.__annotations__ = {"service": Service}
    return Service, Special, wants


def test_the_container_resolves_what_masonites_resolves():
    for container_class in (MasoniteApplication, Application):
        Service, Special, wants = service_types()
        container = container_class(".")
        first, second, swapped = Special(), Special(), Service()
        container.bind(f"service-{container_class.__module__}", first)
        assert container.resolve(wants) is first
        assert container.resolve(wants) is first
        container.bind(f"service-{container_class.__module__}", second)
        assert container.resolve(wants) is second
        container.swap(Service, lambda annotation, app, swapped=swapped: swapped)
        assert container.resolve(wants) is swapped


def test_the_container_inspects_each_signature_once(monkeypatch):
    Service, Special, _ = service_types()
    container = Application(".")
    container.bind("inspected-service", Special())
    calls = []
    original = MasoniteApplication.get_parameters
    monkeypatch.setattr(
        MasoniteApplication, "get_parameters", lambda self, obj: calls.append(obj) or original(self, obj)
    )

    class Controller:
        def __init__(self, service: Service):
            self.service = service

        def show(self, service: Service):
            return service

    Controller.__init__.__annotations__ = Controller.show.__annotations__ = {"service": Service}
    for _ in range(3):
        controller = container.resolve(Controller)
        assert isinstance(container.resolve(controller.show), Special)
    assert len(calls) == 2, "once for the class, once for the method, whatever the instance"


def test_the_container_fires_resolve_hooks_for_remembered_bindings():
    _, Special, wants = service_types()
    container = Application(".")
    container.bind("hooked-service", Special())
    seen = []
    container.on_resolve(Special, lambda obj, *args: seen.append(obj))
    container.resolve(wants)
    container.resolve(wants)
    assert len(seen) == 2


class Recording(Provider):
    def __init__(self, application, calls, name):
        self.application, self.calls, self.name = application, calls, name


class Idle(Recording):
    def boot(self):
        """Nothing to do."""


class Plain(Recording):
    def boot(self):
        self.calls.append(self.name)


class Booted:
    pass


class Asking(Recording):
    def boot(self, service):
        self.calls.append((self.name, service))


Asking.boot.__annotations__ = {"service": Booted}


class Failing(Recording):
    def boot(self):
        raise RuntimeError("boom")


class Handler:
    def __init__(self, calls):
        self.calls = calls

    def handle(self, error):
        self.calls.append(("handled", str(error)))


def serve(application):
    from masonite.response import Response

    class Jar:
        def render_response(self):
            return [("Set-Cookie", "a=1")]

    response = Response(application)
    response.cookie_jar = Jar()
    application.bind("request", object())
    application.bind("response", response)
    statuses = []
    handler = ResponseHandler(application)
    body = b"".join(handler({"wsgi.input": io.BytesIO()}, lambda status, headers: statuses.append((status, headers))))
    return handler, statuses, body


def test_the_response_handler_skips_idle_boots_calls_plain_ones_and_resolves_the_rest():
    application = Application(".")
    calls = []
    service = Booted()
    application.bind("booted", service)
    application.bind("exception_handler", Handler(calls))
    application.providers = [Idle(application, calls, "idle"), Plain(application, calls, "plain")]
    application.providers.append(Asking(application, calls, "asking"))
    handler, statuses, _ = serve(application)
    assert calls == ["plain", ("asking", service)]
    assert len(handler.boots()) == 2
    assert statuses[0][1][-1] == ("Set-Cookie", "a=1"), "the bound response's cookie jar is rendered"
    application.providers.insert(0, Failing(application, calls, "failing"))
    calls.clear()
    serve(application)
    assert calls == [("handled", "boom")], "providers added later are booted; the first failure stops the boots"


def test_idle_boots_are_recognised_and_busy_ones_are_not():
    assert does_nothing(Provider.boot) and does_nothing(Idle.boot)
    assert not does_nothing(Plain.boot) and not does_nothing(Failing.boot)


def test_configuration_answers_are_kept_until_the_configuration_changes():
    configuration = CachedConfiguration(Application("."))
    configuration.set("application.name", "One")
    assert configuration.get("application.name") == "One"
    assert configuration.get("application.missing", "default") == "default"
    configuration.set("application.name", "Two")
    assert configuration.get("application.name") == "Two"
    configuration.set("application.missing", "now set")
    assert configuration.get("application.missing", "default") == "now set"


def test_the_container_fires_make_hooks_when_some_are_registered():
    container = Application(".")
    made = []
    container.bind("hooked-binding", "value")
    assert container.make("hooked-binding") == "value"
    container.on_make("hooked-binding", lambda obj, *args: made.append(obj))
    container.make("hooked-binding")
    assert made == ["value"]
