"""Masonite's Configuration, answering each `config()` lookup from a per-process cache.

Stock `Configuration.get` costs tens of microseconds a call (the lookup hashes the dotted
dictionary holding the whole configuration), and pages call it several times per request.
Configuration is loaded once at boot; here each path's answer is kept until the
configuration is changed through `set`, `merge_with` or `load`, which clear the cache.
"""

from masonite.configuration import Configuration

_MISSING = object()


# Masonite internal, pinned by test_configuration_changes_only_through_set_load_and_merge_with.
class CachedConfiguration(Configuration):
    def __init__(self, application):
        super().__init__(application)
        self._answers = {}

    def get(self, path, default=None):
        answer = self._answers.get(path, _MISSING)
        if answer is _MISSING:
            answer = super().get(path, _MISSING)
            self._answers[path] = answer
        return default if answer is _MISSING else answer

    def set(self, path, value):
        self._answers.clear()
        super().set(path, value)

    def load(self):
        self._answers.clear()
        super().load()

    def merge_with(self, path, external_config):
        self._answers.clear()
        super().merge_with(path, external_config)
