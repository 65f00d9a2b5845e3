"""Wrap the whole WSGI application in the protections every response needs.

Registered last, so it wraps static files and error pages too: security headers
outermost, then the https redirect, the body size limit, and the health probe.
"""

from masonite.providers import Provider

from app.health.HealthChecks import HealthChecks
from app.http.BodySizeLimit import BodySizeLimit
from app.http.HealthProbe import HealthProbe
from app.http.HttpsRedirect import HttpsRedirect
from app.http.SecurityHeaders import SecurityHeaders
from production_layer.content_security_policy import policy_header
from production_layer.ContentSecurityPolicy import ContentSecurityPolicy

# Room for multipart boundaries and the other form fields around the largest file.
MULTIPART_OVERHEAD = 64 * 1024


class HttpHardeningProvider(Provider):
    def __init__(self, application):
        self.application = application

    def register(self):
        config = self.application.make("config")
        handler = self.application.get_response_handler()
        handler = HealthProbe(handler, HealthChecks(self.application))
        handler = BodySizeLimit(handler, limit=config.get("application.max_upload_bytes") + MULTIPART_OVERHEAD)
        handler = HttpsRedirect(handler)
        handler = ContentSecurityPolicy(handler, policy_header(dict(config.get("security.content_security_policy"))))
        handler = SecurityHeaders(
            handler,
            headers=dict(config.get("security.security_headers")),
            strict_transport_security=config.get("security.strict_transport_security"),
        )
        self.application.set_response_handler(handler)

    def boot(self):
        pass
