"""WSGI middleware: answer `GET /health` before the framework runs.

A probe should cost almost nothing and must not depend on the machinery it
reports on: it skips routing, sessions and cookies (so it never sets a cookie)
and answers 200 with every check `ok`, or 503 naming the failing one.
"""

import json

from production_layer.health.HealthChecks import HealthChecks

PATH = "/health"


class HealthProbe:
    def __init__(self, app, checks: HealthChecks):
        self.app = app
        self.checks = checks

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH:
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
            return [b""]
        report = self.checks.run()
        body = json.dumps(report).encode()
        status = "200 OK" if report["status"] == "ok" else "503 Service Unavailable"
        start_response(
            status,
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [b"" if method == "HEAD" else body]
