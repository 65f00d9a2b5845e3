"""The local disk with the same path cleaning as S3.

Stock Masonite joined user-supplied names onto the disk root, so `../` wrote
outside it. Local files live on a dyno's ephemeral disk: use it for scratch
work only, never for uploads.
"""

from masonite.filesystem.drivers import LocalDriver

from production_layer.drivers.safe_paths import clean_key


class SafeLocalDriver(LocalDriver):
    def get_path(self, path):
        return super().get_path(clean_key(path))
