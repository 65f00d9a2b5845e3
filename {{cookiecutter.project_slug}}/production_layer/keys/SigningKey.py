"""The container's `key`: the signing key derived from APP_KEY, never printed.

Masonite's `Sign()` (and what uses it: `MustVerifyEmail`, signed routes) reads the
`key` binding and needs a Fernet key, which APP_KEY need not be. This is the
signing key derived from APP_KEY, as a string Masonite can use, that shows a
marker instead of its value wherever it is printed, formatted or logged.
"""

from __future__ import annotations

from production_layer.keys.KeyRing import KeyRing

MARKER = "[APP_KEY-derived signing key]"


class SigningKey(str):
    keyring: KeyRing

    def __new__(cls, keyring: KeyRing) -> SigningKey:
        key = super().__new__(cls, keyring.key("signing").decode("ascii"))
        key.keyring = keyring
        return key

    def __repr__(self) -> str:
        return MARKER

    def __str__(self) -> str:
        return MARKER

    def __format__(self, spec: str) -> str:
        return format(MARKER, spec)
