"""Bind the application key the way Masonite expects, one derived key per purpose."""

from __future__ import annotations

from production_layer.keys.KeyRing import KeyRing
from production_layer.keys.masonite_sign import use_key_ring
from production_layer.keys.SigningKey import SigningKey


def bind_app_keys(application) -> KeyRing:
    """Bind `keyring` (every key), `key` (the signing key, what `Sign()` reads) and `sign`.

    Stock Masonite binds APP_KEY itself as `key`; here `Sign()`, `MustVerifyEmail` and
    signed routes get a key of their own, and the cookie jar another (the `keyring`).
    """
    from masonite.auth import Sign

    keyring = KeyRing.from_config(application.make("config"))
    use_key_ring(keyring)
    signing_key = SigningKey(keyring)
    application.bind("keyring", keyring)
    application.bind("key", signing_key)
    application.bind("sign", Sign(signing_key))
    return keyring
