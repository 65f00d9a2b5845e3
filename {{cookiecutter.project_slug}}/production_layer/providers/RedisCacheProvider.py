"""Stock CacheProvider, with a `redis` store where every call goes to Redis.

Replaces the stock Redis store, which served reads from a per-process copy of the
namespace (see production_layer/drivers/RedisCacheDriver.py).
"""

from masonite.providers import CacheProvider

from production_layer.drivers.RedisCacheDriver import RedisCacheDriver


class RedisCacheProvider(CacheProvider):
    def register(self):
        super().register()
        self.application.make("cache").add_driver("redis", RedisCacheDriver(self.application))
