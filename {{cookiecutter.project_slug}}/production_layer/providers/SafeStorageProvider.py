"""Stock StorageProvider, with disks that are each their own driver instance, an S3 disk that
streams, and a local disk that stays in its root.

See production_layer/managers/InstancePerName.py for why each disk needs its own instance,
and production_layer/drivers/S3Driver.py and SafeLocalDriver.py for what the stock drivers
did wrong.
"""

from masonite.configuration import config
from masonite.providers import StorageProvider

from production_layer.drivers.S3Driver import S3Driver
from production_layer.drivers.SafeLocalDriver import SafeLocalDriver
from production_layer.managers.IsolatedStorage import IsolatedStorage


class SafeStorageProvider(StorageProvider):
    def register(self):
        storage = IsolatedStorage(self.application).set_configuration(config("filesystem.disks"))
        storage.add_driver("file", SafeLocalDriver(self.application))
        storage.add_driver("s3", S3Driver(self.application))
        self.application.bind("storage", storage)
