"""A bare Masonite Application for unit tests of framework-level code, outside any project.

Masonite's facades and `config()` helper import `application` from the `wsgi` module;
`bare_application(settings)` provides one whose configuration is the given nested dict
(dotted paths, like `config("session.drivers.cookie")`), and removes it afterwards.
"""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Iterator

MISSING = object()


class DictConfiguration:
    """Masonite's configuration interface over a nested dict."""

    def __init__(self, settings: dict):
        self.settings = settings

    def get(self, path, default=None):
        value = self.settings
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return value

    def has(self, path):
        return self.get(path, MISSING) is not MISSING


# What stock Masonite reads while building requests and cookies.
MINIMAL_SETTINGS = {"session": {"drivers": {"cookie": {}}}}


@contextlib.contextmanager
def bare_application(settings: dict | None = None) -> Iterator:
    from masonite.foundation import Application

    application = Application(".")
    application.bind("config", DictConfiguration(MINIMAL_SETTINGS if settings is None else settings))
    module = types.ModuleType("wsgi")
    module.application = application
    previous = sys.modules.get("wsgi")
    sys.modules["wsgi"] = module
    try:
        yield application
    finally:
        if previous is None:
            sys.modules.pop("wsgi", None)
        else:
            sys.modules["wsgi"] = previous
