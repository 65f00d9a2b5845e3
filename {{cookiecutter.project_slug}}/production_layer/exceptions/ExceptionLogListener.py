"""Log an exception once, when it is a server error, without any key in the log.

Replaces Masonite's `LoggerExceptionsListener` on `masonite.exception.*`, which logs
every exception at ERROR with its traceback: each 404, CSRF failure and bad body
from any client, and any key an exception message happens to contain. Here an
exception is logged (through Masonite's logger, config/logging.py) when it becomes
a 5xx that no `<Name>Handler` took care of, with APP_KEY and every key derived
from it replaced by a marker.
"""

import traceback

from production_layer.exceptions.status import http_status


class ExceptionLogListener:
    def handle(self, event: str, exception: BaseException | None = None):
        from wsgi import application

        if exception is None or http_status(exception) < 500:
            return
        handler = application.make("exception_handler")
        if getattr(handler, "bound_handler", None) and handler.bound_handler(exception) is not None:
            return
        text = f"{type(exception).__name__}: {exception}\n" + "".join(traceback.format_exception(exception))
        if application.has("keyring"):
            text = application.make("keyring").redact(text)
        application.make("logger").error(text.rstrip())
