"""Authenticated, name-bound, expiring encryption for cookie values.

Replaces stock Masonite's `EncryptCookies`, which keeps a cookie's raw value
when it fails to decrypt (so `Cookie: s_user=admin` became session data), does
not bind a token to its cookie name and never expires tokens. Cookies are
written with the cookie key derived from APP_KEY and read under any key of
APP_KEY_FALLBACKS too (production_layer/keys/KeyRing.py).
"""

import base64
import binascii
import math
import time

from cryptography.fernet import InvalidToken

from production_layer.keys.KeyRing import KeyRing

# Fernet token: version (1) + timestamp (8) + IV (16) + padded ciphertext + HMAC (32), base64url.
_FERNET_OVERHEAD = 1 + 8 + 16 + 32
_AES_BLOCK = 16
# Every Fernet token starts with its version byte (0x80) and the high bytes of a timestamp.
_TOKEN_PREFIX = "gAAAAA"
# An unchanged cookie is written again once it is this old (seconds), not on every response.
REISSUE_AFTER = 60 * 60


class CookieCipher:
    def __init__(self, keyring: KeyRing, max_age: int):
        self._fernet = keyring.fernet("cookies")
        self.max_age = max_age

    def encrypt(self, name: str, value: str) -> str:
        return self._fernet.encrypt(self._plaintext(name, value)).decode("ascii")

    def decrypt(self, name: str, token: str) -> str | None:
        """The cookie's value, or None if it is forged, tampered, renamed or too old."""
        try:
            plaintext = self._fernet.decrypt(token.encode("ascii"), ttl=self.max_age)
        except (InvalidToken, UnicodeEncodeError, ValueError, TypeError):
            return None
        prefix = self._plaintext(name, "")
        if not plaintext.startswith(prefix):
            return None
        try:
            return plaintext[len(prefix) :].decode("utf-8")
        except UnicodeDecodeError:
            return None

    def encrypted_length(self, name: str, value: str) -> int:
        """Length of ``encrypt(name, value)`` without encrypting."""
        padded = (len(self._plaintext(name, value)) // _AES_BLOCK + 1) * _AES_BLOCK
        return 4 * math.ceil((_FERNET_OVERHEAD + padded) / 3)

    def is_fresh(self, token: str) -> bool:
        """True for a token issued so recently that writing it again would only cost time.

        Called for tokens that decrypted: re-issuing each one once per `REISSUE_AFTER` (a
        quarter of `max_age` at most) keeps an active visitor's session from expiring.
        """
        try:
            issued_at = int.from_bytes(base64.urlsafe_b64decode(token[:16])[1:9], "big")
        except (binascii.Error, ValueError):
            return False
        return 0 <= time.time() - issued_at < min(REISSUE_AFTER, self.max_age // 4)

    @staticmethod
    def looks_encrypted(value: str) -> bool:
        """True for what can only be one of our tokens, valid or not (tampered, renamed, expired)."""
        return value.startswith(_TOKEN_PREFIX)

    @staticmethod
    def _plaintext(name: str, value: str) -> bytes:
        return f"{name}\x00{value}".encode()
