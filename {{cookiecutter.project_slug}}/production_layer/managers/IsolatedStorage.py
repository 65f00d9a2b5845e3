"""Masonite's Storage manager, where every disk is its own driver instance (see InstancePerName)."""

from masonite.filesystem import Storage

from production_layer.managers.InstancePerName import InstancePerName


class IsolatedStorage(InstancePerName, Storage):
    kind = "disk"
    config_file = "config/filesystem.py DISKS"

    def disk(self, name: str = "default"):
        return self.instance(name)
