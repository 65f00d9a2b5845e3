from production_layer.middleware.HerokuClientIp import HerokuClientIp
from production_layer.middleware.SessionMiddleware import SessionMiddleware

__all__ = ["HerokuClientIp", "SessionMiddleware"]
