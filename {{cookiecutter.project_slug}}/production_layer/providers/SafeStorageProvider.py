"""Stock StorageProvider, with an S3 disk that streams and a local disk that stays in its root.

See production_layer/drivers/S3Driver.py and SafeLocalDriver.py for what the stock
drivers did wrong.
"""

from masonite.providers import StorageProvider

from production_layer.drivers.S3Driver import S3Driver
from production_layer.drivers.SafeLocalDriver import SafeLocalDriver


class SafeStorageProvider(StorageProvider):
    def register(self):
        super().register()
        storage = self.application.make("storage")
        storage.add_driver("s3", S3Driver(self.application))
        storage.add_driver("file", SafeLocalDriver(self.application))
