from production_layer.rates.ClientLimiter import ClientLimiter
from production_layer.rates.limits import env_rate_limit, parse_limits
from production_layer.rates.RateCounter import RateCounter

__all__ = ["ClientLimiter", "RateCounter", "env_rate_limit", "parse_limits"]
