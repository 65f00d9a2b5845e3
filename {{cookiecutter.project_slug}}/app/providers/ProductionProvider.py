"""Swap in the drivers and handlers that make Masonite safe on several dynos.

* cache store `redis`: every call goes to Redis (app/drivers/RedisCacheDriver.py);
* disks `s3` and `file`: streaming, Content-Type, cleaned keys (app/drivers/);
* exception handler: no leaks, right statuses (app/exceptions/SafeExceptionHandler.py).

Must come after CacheProvider, StorageProvider and ExceptionProvider in
config/providers.py, since it replaces what they registered.
"""

from masonite.providers import Provider

from app.drivers.RedisCacheDriver import RedisCacheDriver
from app.drivers.S3Driver import S3Driver
from app.drivers.SafeLocalDriver import SafeLocalDriver
from app.exceptions.SafeExceptionHandler import SafeExceptionHandler


class ProductionProvider(Provider):
    def __init__(self, application):
        self.application = application

    def register(self):
        self.application.make("cache").add_driver("redis", RedisCacheDriver(self.application))

        storage = self.application.make("storage")
        storage.add_driver("s3", S3Driver(self.application))
        storage.add_driver("file", SafeLocalDriver(self.application))

        stock = self.application.make("exception_handler")
        handler = SafeExceptionHandler(self.application)
        handler.drivers = stock.drivers
        handler.driver_config = stock.driver_config
        self.application.bind("exception_handler", handler)

    def boot(self):
        pass
