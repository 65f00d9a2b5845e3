from production_layer.middleware.HerokuClientIp import HerokuClientIp
from production_layer.middleware.SessionMiddleware import SessionMiddleware
from production_layer.middleware.ThrottleRequests import ThrottleRequests

__all__ = ["HerokuClientIp", "SessionMiddleware", "ThrottleRequests"]
