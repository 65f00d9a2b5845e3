"""APP_KEY and APP_KEY_FALLBACKS, as one set of keys per purpose.

Anything new is written with the key derived from APP_KEY; anything read is
accepted under APP_KEY or one of APP_KEY_FALLBACKS (newest first), each with this
version's derivation and with the derivation earlier versions used. Nothing here
ever prints a key: ``repr()`` shows how many keys there are, and ``redact()``
removes every key, raw or derived, from a text before it is logged.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, MultiFernet

from production_layer.app_key import PURPOSES, derive_key, legacy_key, require_app_keys, split_fallbacks

REDACTED = "[redacted key]"


class KeyRing:
    def __init__(self, app_key: str, fallbacks: Sequence[str] = ()):
        fallbacks = [key.strip() for key in fallbacks if key and key.strip()]
        require_app_keys(app_key, ",".join(fallbacks))
        self._secrets = (app_key.strip(), *fallbacks)
        self._writing = {purpose: derive_key(self._secrets[0], purpose) for purpose in PURPOSES}
        self._reading = {purpose: self._reading_keys(purpose) for purpose in PURPOSES}
        self._fernets = {purpose: MultiFernet([Fernet(key) for key in keys]) for purpose, keys in self._reading.items()}

    @classmethod
    def from_config(cls, config) -> KeyRing:
        """The keys of ``config/application.py``'s KEY and KEY_FALLBACKS."""
        return cls(config.get("application.key") or "", split_fallbacks(config.get("application.key_fallbacks")))

    def key(self, purpose: str) -> bytes:
        """The Fernet key that anything new for ``purpose`` is written with."""
        return self._writing[purpose]

    def reading_keys(self, purpose: str) -> list[bytes]:
        """Every Fernet key accepted when reading for ``purpose``, the writing key first."""
        return list(self._reading[purpose])

    def fernet(self, purpose: str) -> MultiFernet:
        """Encrypts with ``key(purpose)``, decrypts under any of ``reading_keys(purpose)``."""
        return self._fernets[purpose]

    def is_secret(self, value) -> bool:
        """True if ``value`` is APP_KEY or one of APP_KEY_FALLBACKS as configured (raw, not derived)."""
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if not isinstance(value, str):
            return False
        value = value.strip().encode()
        return any(hmac.compare_digest(value, secret.encode()) for secret in self._secrets)

    def redact(self, text: str) -> str:
        """``text`` with every key, raw or derived, replaced by a marker."""
        for secret in self._everything():
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def _reading_keys(self, purpose: str) -> list[bytes]:
        keys = [derive_key(secret, purpose) for secret in self._secrets]
        keys += [legacy_key(secret) for secret in self._secrets]
        return list(dict.fromkeys(keys))

    def _everything(self) -> list[str]:
        derived = [key.decode("ascii") for keys in self._reading.values() for key in keys]
        # Longest first, so that a key containing another is replaced whole.
        return sorted({*self._secrets, *derived}, key=len, reverse=True)

    def __repr__(self) -> str:
        return f"<KeyRing: APP_KEY and {len(self._secrets) - 1} fallback(s)>"
