"""Stock LoggingProvider, with exceptions logged once, 5xx only, and never with a key in them.

See production_layer/exceptions/ExceptionLogListener.py.
"""

from masonite.logging import LoggingProvider
from masonite.logging.LoggerExceptionsListener import LoggerExceptionsListener

from production_layer.exceptions.ExceptionLogListener import ExceptionLogListener

EXCEPTION_EVENTS = "masonite.exception.*"


class SafeLoggingProvider(LoggingProvider):
    def register(self):
        super().register()
        event = self.application.make("event")
        # Masonite internal, pinned by test_logging_provider_listens_to_exceptions_through_event_listeners.
        listeners = event.events.get(EXCEPTION_EVENTS, [])
        listeners[:] = [listener for listener in listeners if listener is not LoggerExceptionsListener]
        event.listen(EXCEPTION_EVENTS, [ExceptionLogListener])
