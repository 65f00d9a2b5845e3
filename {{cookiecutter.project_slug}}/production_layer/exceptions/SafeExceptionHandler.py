"""Render errors without leaking anything, with the right status, for HTML and JSON.

Replaces stock Masonite's ExceptionHandler, which (debug off) sent the exception
text to JSON clients, turned a body that did not parse into a 500, served a 404
as a 500 in debug, and (debug on) fetched package updates over the network.
Here HTTP errors keep their status and their public message, CSRF failures are
403s, and any other exception is logged and answered with a generic 500. The
debug page (APP_DEBUG on) is kept for development, with its network look-ups
turned off in config/exceptions.py.
"""

import logging

from masonite.exceptions import InvalidCSRFToken
from masonite.exceptions.ExceptionHandler import ExceptionHandler

from production_layer.http_errors import Forbidden, HttpError

logger = logging.getLogger("app.errors")

STATUS_MESSAGES = {
    400: "The request could not be understood.",
    403: "You are not allowed to do that.",
    404: "Page not found.",
    405: "That method is not allowed here.",
    413: "The request body is too large.",
    429: "Too many requests. Please slow down.",
    500: "Something went wrong on our side.",
    503: "A service this page depends on is unavailable. Please try again shortly.",
}


class SafeExceptionHandler(ExceptionHandler):
    def handle(self, exception):
        if isinstance(exception, InvalidCSRFToken):
            exception = Forbidden("The form has expired or its CSRF token is invalid. Reload the page and try again.")

        status = self.status_of(exception)
        if status >= 500:
            if self.application.is_debug():
                return super().handle(exception)
            logger.error("Unhandled %s: %s", type(exception).__name__, exception, exc_info=exception)

        response = self.application.make("response")
        if hasattr(exception, "get_headers"):
            response.with_headers(exception.get_headers() or {})
        return self.render(status, self.public_message(exception, status))

    @staticmethod
    def status_of(exception) -> int:
        if getattr(exception, "is_http_exception", False) and hasattr(exception, "get_status"):
            return int(exception.get_status())
        if hasattr(exception, "get_status"):
            return int(exception.get_status())
        return 500

    @staticmethod
    def public_message(exception, status: int) -> str:
        if isinstance(exception, HttpError):
            return exception.message
        return STATUS_MESSAGES.get(status, STATUS_MESSAGES[500] if status >= 500 else STATUS_MESSAGES[400])

    def render(self, status: int, message: str):
        response = self.application.make("response")
        request = self.application.make("request")
        if request.accepts_json() or "json" in (request.environ.get("CONTENT_TYPE") or ""):
            return response.json({"error": message, "status": status}, status)
        # Set explicitly: Response.view() keeps a status set earlier (RouteProvider sets 500 on any error).
        response.status(status)
        view = self.application.make("view")
        # A page of your own for one status: add templates/errors/<status>.html.
        template = f"errors/{status}" if view.exists(f"errors/{status}") else "errors/error"
        return response.view(view.render(template, {"status": status, "message": message}), status)
