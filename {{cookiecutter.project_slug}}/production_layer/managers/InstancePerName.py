"""One driver instance per configured name, each with its own options.

Stock Masonite's `Storage.disk(name)` and `Cache.store(name)` look up the one
driver object registered for the disk's driver, call `set_options` on it and
return it: every disk (or store) with the same driver is the same object, and
its options follow the last name asked for. A disk kept in a variable then
silently writes wherever another piece of code pointed it:

    uploads = Storage.disk("s3")
    Storage.disk("archive")        # another s3 disk, another bucket
    uploads.put("a.txt", "...")    # stock: lands in the archive bucket

Here each name gets its own instance of its driver's class, made once per
process and kept, so a disk or store object always means what it was asked for.
"""

from __future__ import annotations

from typing import Any


class UnknownName(LookupError):
    """A disk or store name that config/filesystem.py or config/cache.py does not define."""


class InstancePerName:
    """Mixed into Masonite's Storage and Cache managers (they share this shape)."""

    kind = "driver"
    config_file = "config"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._instances: dict[str, Any] = {}

    # Masonite internal, pinned by test_storage_and_cache_keep_their_configuration_in_store_config.
    def set_configuration(self, config: dict):
        self._instances = {}
        return super().set_configuration(config)

    def add_driver(self, name: str, driver) -> None:
        self._instances = {}
        super().add_driver(name, driver)

    def instance(self, name: str | None) -> Any:
        name = self.resolve_name(name)
        found = self._instances.get(name)
        if found is None:
            options = self.store_config.get(name)
            registered = self.drivers.get(options.get("driver"))
            if registered is None:
                raise UnknownName(
                    f"{self.kind} {name!r} uses driver {options.get('driver')!r}, which is not registered "
                    f"(registered: {', '.join(sorted(self.drivers))})"
                )
            found = type(registered)(self.application).set_options(options)
            self._instances[name] = found
        return found

    def resolve_name(self, name: str | None) -> str:
        if name in (None, "default"):
            name = self.store_config.get("default")
        if not isinstance(self.store_config.get(name), dict):
            defined = sorted(key for key, value in self.store_config.items() if isinstance(value, dict))
            raise UnknownName(f"no {self.kind} named {name!r} in {self.config_file} (defined: {', '.join(defined)})")
        return name
