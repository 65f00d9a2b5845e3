"""A Masonite limiter that gives every client a count of its own.

The client is the logged-in user when there is one, so people behind one address (an
office, a mobile carrier's NAT) do not share a limit and a user's limit follows them
from address to address; otherwise it is the client IP that Heroku's router appended
(production_layer/middleware/HerokuClientIp.py), which the client cannot choose. An
IPv6 client counts as its /64 network, the block one subscriber is usually given, so
changing addresses inside it does not reset the count. The session is not used for
visitors who are not logged in: dropping a cookie would start a fresh count.
"""

import ipaddress

from masonite.rates import Limit, Limiter

from production_layer.rates.limits import limits_from_setting


class ClientLimiter(Limiter):
    def __init__(self, setting: str):
        self.setting = setting

    def allow(self, request) -> list[Limit] | Limit:
        limits = limits_from_setting(self.setting, client_key(request))
        return limits or Limit.unlimited()


def client_key(request) -> str:
    user = request.user()
    if user:
        return f"user:{user.get_primary_key_value()}"
    return f"ip:{client_network(request.ip() or '')}"


def client_network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100]
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))
