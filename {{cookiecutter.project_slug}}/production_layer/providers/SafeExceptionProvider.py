"""Stock ExceptionProvider, with an exception handler that never leaks and keeps statuses.

See production_layer/exceptions/SafeExceptionHandler.py.
"""

from masonite.providers import ExceptionProvider

from production_layer.exceptions.SafeExceptionHandler import SafeExceptionHandler


class SafeExceptionProvider(ExceptionProvider):
    def register(self):
        super().register()
        stock = self.application.make("exception_handler")
        handler = SafeExceptionHandler(self.application)
        # Masonite internal, pinned by test_exception_handler_keeps_its_renderers_in_drivers_and_driver_config.
        handler.drivers = stock.drivers
        handler.driver_config = stock.driver_config
        self.application.bind("exception_handler", handler)
