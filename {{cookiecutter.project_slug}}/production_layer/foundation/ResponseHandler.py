"""Masonite's WSGI response handler, booting providers without inspecting them on every request.

Stock `masonite.foundation.response_handler` resolves every provider's `boot` through the
container on every request, and the container inspects its signature each time, although
most boots (`pass`) do nothing. Here each provider's boot is looked at once per process: a
boot that does nothing is skipped, one that takes no arguments is called directly, and one
that asks for container objects is resolved by the container as before. The rest is the
stock handler, step for step.
"""

import dis
import inspect

# What `pass`, `return` or a lone docstring compile to, before and after Python 3.12.
RETURNS_NONE = ([("RETURN_CONST", None)], [("LOAD_CONST", None), ("RETURN_VALUE", None)])


def does_nothing(function) -> bool:
    """True for a function whose body is only `pass`, `return` or a docstring."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    steps = [(step.opname, step.argval) for step in dis.get_instructions(code) if step.opname not in ("RESUME", "NOP")]
    return steps in RETURNS_NONE


class ResponseHandler:
    def __init__(self, application):
        self.application = application
        self._booted_providers = None
        self._boots = []

    def boots(self) -> list:
        """What to call for each provider's boot, worked out again only if the providers change."""
        providers = self.application.get_providers()
        if self._booted_providers != [id(provider) for provider in providers]:
            self._boots = [boot for boot in map(self.boot_of, providers) if boot is not None]
            self._booted_providers = [id(provider) for provider in providers]
        return self._boots

    def boot_of(self, provider):
        boot = provider.boot
        if does_nothing(getattr(boot, "__func__", boot)):
            return None
        if inspect.signature(boot).parameters:
            return lambda: self.application.resolve(boot)
        return boot

    # Masonite internal, pinned by test_response_handler_sends_the_bound_responses_cookie_jar.
    def __call__(self, environ, start_response):
        application = self.application
        application.bind("environ", environ)
        try:
            for boot in self.boots():
                boot()
        except Exception as error:
            application.make("exception_handler").handle(error)

        application.make("request")
        response = application.make("response")
        start_response(response.get_status_code(), response.get_headers() + response.cookie_jar.render_response())
        return iter([response.get_response_content()])
