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
        # Masonite internal: the handler's renderers (exceptionite's debug page) live in these attributes.
        handler.drivers = stock.drivers
        handler.driver_config = stock.driver_config
        self.application.bind("exception_handler", handler)
