"""Stock ExceptionProvider, with an exception handler that never leaks and keeps statuses,
and exceptionite's debug routes only when debug is on.

See production_layer/exceptions/SafeExceptionHandler.py.
"""

from masonite.providers import ExceptionProvider

from production_layer.exceptions.SafeExceptionHandler import SafeExceptionHandler


class SafeExceptionProvider(ExceptionProvider):
    def register(self):
        router = self.application.make("router")
        # Masonite internal, pinned by test_router_keeps_its_routes_in_a_list_and_exceptionite_adds_one.
        routes_before = {id(route) for route in router.routes}
        super().register()
        if not self.application.is_debug():
            # Stock registers POST /_exceptionite/actions/ (the debug page's buttons) whatever APP_DEBUG says.
            router.routes = [route for route in router.routes if id(route) in routes_before]

        stock = self.application.make("exception_handler")
        handler = SafeExceptionHandler(self.application)
        # Masonite internal, pinned by test_exception_handler_keeps_its_renderers_in_drivers_and_driver_config.
        handler.drivers = stock.drivers
        handler.driver_config = stock.driver_config
        self.application.bind("exception_handler", handler)
