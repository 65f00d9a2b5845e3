"""Test-only routes added to a copy of a project, so that a stock Masonite project and the
generated one can be observed over HTTP the same way."""

from __future__ import annotations

from pathlib import Path

PROBE_CONTROLLER = """
from masonite.controllers import Controller
from masonite.request import Request
from masonite.response import Response


class ProbeController(Controller):
    def session(self, request: Request, response: Response):
        return response.json({"data": request.app.make("session").all()})

    def set_session(self, request: Request, response: Response):
        value = request.input("value", "") or "x" * int(request.input("size", "1"))
        request.app.make("session").set(request.input("key"), value)
        return response.json({"ok": True})

    def ip(self, request: Request, response: Response):
        return response.json({"ip": request.ip()})

    def error(self, request: Request, response: Response):
        raise RuntimeError("probe-secret-detail")

    def ok(self, request: Request, response: Response):
        return response.json({"ok": True})

    def store(self, request: Request, response: Response):
        path = request.app.make("storage").disk("s3").put_file("probe", request.input("file"))
        return response.json({"path": path})
"""

PROBE_ROUTES = """

ROUTES += [
    Route.get("/_probe/session", "ProbeController@session"),
    Route.get("/_probe/set", "ProbeController@set_session"),
    Route.get("/_probe/ip", "ProbeController@ip"),
    Route.get("/_probe/error", "ProbeController@error"),
    Route.post("/_probe/echo", "ProbeController@ok"),
    Route.post("/_probe/store", "ProbeController@store"),
    Route.get("/_probe/throttled", "ProbeController@ok").middleware("throttle:3/minute"),
]
"""


def install_probes(project: Path) -> Path:
    (project / "app" / "controllers" / "ProbeController.py").write_text(PROBE_CONTROLLER)
    csrf = project / "app" / "middlewares" / "VerifyCsrfToken.py"
    csrf.write_text(csrf.read_text().replace("exempt = []", 'exempt = ["/_probe/*"]'))
    routes = project / "routes" / "web.py"
    routes.write_text(routes.read_text() + PROBE_ROUTES)
    return project
