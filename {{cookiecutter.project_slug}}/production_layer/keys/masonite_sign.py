"""Masonite's `Sign`, signing with the signing key and verifying under APP_KEY_FALLBACKS too.

`masonite.auth.Sign` builds `Fernet(self.key)` in `sign()` and `unsign()`, so it can
hold one key only, and a key that is not in Fernet format makes it raise
`InvalidSecretKey` with the key in the message. `use_key_ring` gives that module a
`Fernet` that, for the container's `key` (or APP_KEY itself, as the stock skeleton
passes it), is a MultiFernet: new signatures with the signing key derived from
APP_KEY, verification under every accepted key. Any other key gets a plain Fernet,
exactly as before. Every `Sign`, wherever it was imported, goes through it.
"""

from __future__ import annotations

import importlib

from cryptography.fernet import Fernet

from production_layer.keys.KeyRing import KeyRing
from production_layer.keys.SigningKey import SigningKey


class KeyRingFernet:
    """Called like `Fernet(key)` by Masonite's Sign."""

    def __init__(self, keyring: KeyRing):
        self.keyring = keyring

    def __call__(self, key, backend=None):
        if isinstance(key, SigningKey):
            return key.keyring.fernet("signing")
        if self.keyring.is_secret(key):
            return self.keyring.fernet("signing")
        return Fernet(key)


def use_key_ring(keyring: KeyRing) -> None:
    # `masonite.auth.Sign` is the class; the module that defines it has the same name.
    sign_module = importlib.import_module("masonite.auth.Sign")
    # Masonite internal, pinned by test_sign_builds_a_module_level_fernet_from_its_key.
    sign_module.Fernet = KeyRingFernet(keyring)
