"""Masonite's Cache manager, where every store is its own driver instance (see InstancePerName)."""

from masonite.cache import Cache

from production_layer.managers.InstancePerName import InstancePerName


class IsolatedCache(InstancePerName, Cache):
    kind = "cache store"
    config_file = "config/cache.py STORES"

    def store(self, name: str = "default"):
        return self.instance(name)

    def forever(self, *args, store=None, **kwargs):
        """Store a value with no expiry (the same as `put` without seconds)."""
        return self.store(name=store).forever(*args, **kwargs)
