from production_layer.wsgi_middleware.BodySizeLimit import BodySizeLimit
from production_layer.wsgi_middleware.ContentSecurityPolicy import ContentSecurityPolicy
from production_layer.wsgi_middleware.HealthProbe import HealthProbe
from production_layer.wsgi_middleware.HttpsRedirect import HttpsRedirect
from production_layer.wsgi_middleware.SecurityHeaders import SecurityHeaders

__all__ = ["BodySizeLimit", "ContentSecurityPolicy", "HealthProbe", "HttpsRedirect", "SecurityHeaders"]
