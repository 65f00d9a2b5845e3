"""The WSGI entry point: `gunicorn wsgi:application` (see Procfile).

`application` is the Masonite Application (the service container); calling it runs
the WSGI handler chain below. Tools and tests can use
`from wsgi import application; application.make("cache")`.
"""

from masonite.utils.location import base_path

from app.Kernel import Kernel as ApplicationKernel
from config.providers import PROVIDERS
from production_layer.content_security_policy import policy_header
from production_layer.foundation import Application, FrameworkKernel
from production_layer.health.HealthChecks import HealthChecks
from production_layer.request.BodyLimits import BodyLimits
from production_layer.wsgi_middleware import (
    BodySizeLimit,
    ContentSecurityPolicy,
    HealthProbe,
    HttpsRedirect,
    SecurityHeaders,
)
from production_layer.wsgi_middleware.HeadAsGet import HeadAsGet

# Masonite's Application (the service container), inspecting each signature once per process.
application = Application(base_path())

# FrameworkKernel replaces masonite.foundation.Kernel: settings come from the environment
# (Heroku config vars), and a missing one stops the process here.
application.register_providers(FrameworkKernel, ApplicationKernel)

application.add_providers(*PROVIDERS)

# What runs before Masonite sees a request, innermost first. SecurityHeaders wraps everything
# below it, so every response (static files, redirects, error pages) gets the security headers;
# HeadAsGet wraps it all, so every layer answers a HEAD as the GET it stands for.
config = application.make("config")
handler = application.get_response_handler()  # Masonite: static files, routing, error pages
handler = HealthProbe(handler, HealthChecks(application))  # GET /health, before routing
handler = BodySizeLimit(handler, BodyLimits.from_config(config))  # 413 before a body over its limit is read
handler = HttpsRedirect(handler, app_url=config.get("security.https_redirect_url"))  # plain http -> https
# Pages (error pages too) get the Content-Security-Policy of config/security.py.
handler = ContentSecurityPolicy(
    handler, policy_header(config.get("security.content_security_policy")), debug=application.is_debug()
)
handler = SecurityHeaders(
    handler,
    headers=config.get("security.security_headers"),
    strict_transport_security=config.get("security.strict_transport_security"),
)
handler = HeadAsGet(handler)  # HEAD answers exactly like GET, without the body, on every route
application.set_response_handler(handler)
