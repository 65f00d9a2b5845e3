"""WSGI middleware: security headers on every response, and a last-resort 500.

It wraps everything (static files, redirects, error pages), which Masonite's
own middleware cannot: that only runs for requests that matched a route.
"""

import logging

from production_layer.environment import MissingEnvironment

logger = logging.getLogger("app.errors")

GENERIC_500 = b"Something went wrong on our side."
# hstspreload.org accepts a domain only with includeSubDomains and a max-age of at least a year.
PRELOAD_MIN_AGE = 31536000


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


def strict_transport_security(max_age: int, include_subdomains: bool, preload: bool) -> str:
    """The Strict-Transport-Security header value, refusing a `preload` that browsers' lists would reject."""
    if max_age < 0:
        raise MissingEnvironment(f"HSTS_MAX_AGE must be a number of seconds, got {max_age}")
    if preload and (not include_subdomains or max_age < PRELOAD_MIN_AGE):
        raise MissingEnvironment(
            f"HSTS_PRELOAD needs HSTS_INCLUDE_SUBDOMAINS on and HSTS_MAX_AGE of at least {PRELOAD_MIN_AGE} "
            "(what hstspreload.org requires)"
        )
    directives = [f"max-age={max_age}"]
    if include_subdomains:
        directives.append("includeSubDomains")
    if preload:
        directives.append("preload")
    return "; ".join(directives)
