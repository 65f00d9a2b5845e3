"""Stock CacheProvider, with stores that are each their own driver instance and a `redis`
store where every call goes to Redis.

See production_layer/managers/InstancePerName.py for why each store needs its own instance,
and production_layer/drivers/RedisCacheDriver.py for what the stock Redis store did wrong.
Every Redis store's settings are checked here, at boot, so a wrong URL or certificate stops
the process with a clear message instead of failing on the first request.
"""

from masonite.cache.drivers import FileDriver, MemcachedDriver
from masonite.configuration import config
from masonite.providers import CacheProvider

from production_layer.drivers.RedisCacheDriver import RedisCacheDriver, check_store_options
from production_layer.managers.IsolatedCache import IsolatedCache


class RedisCacheProvider(CacheProvider):
    def register(self):
        stores = config("cache.stores")
        cache = IsolatedCache(self.application).set_configuration(stores)
        cache.add_driver("file", FileDriver(self.application))
        cache.add_driver("memcached", MemcachedDriver(self.application))
        cache.add_driver("redis", RedisCacheDriver(self.application))
        for name, options in stores.items():
            if isinstance(options, dict) and options.get("driver") == "redis":
                check_store_options(name, options)
        self.application.bind("cache", cache)
