"""WSGI middleware: security headers on every response, and a last-resort 500.

It wraps everything (static files, redirects, error pages), which Masonite's
own middleware cannot: that only runs for requests that matched a route.
"""

import logging

logger = logging.getLogger("app.errors")

GENERIC_500 = b"Something went wrong on our side."


class SecurityHeaders:
    def __init__(self, app, headers: dict, strict_transport_security: str):
        self.app = app
        self.headers = list(headers.items()) + [("Strict-Transport-Security", strict_transport_security)]
        self.names = {name.lower() for name, _ in self.headers}

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            kept = [(name, value) for name, value in headers if name.lower() not in self.names]
            return start_response(status, kept + self.headers, exc_info)

        try:
            return self.app(environ, start_with_headers)
        except Exception:
            logger.exception("Unhandled error outside the exception handler")
            start_with_headers(
                "500 Internal Server Error",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(GENERIC_500)))],
            )
            return [GENERIC_500]
