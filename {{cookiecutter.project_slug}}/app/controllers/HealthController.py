from masonite.controllers import Controller
from masonite.request import Request
from masonite.response import Response

from app.health.HealthChecks import HealthChecks


class HealthController(Controller):
    """`GET /health`: 200 when cache, storage and database answer, 503 otherwise."""

    def show(self, request: Request, response: Response):
        report = HealthChecks(request.app).run()
        response.header("Cache-Control", "no-store")
        return response.json(report, 200 if report["status"] == "ok" else 503)
