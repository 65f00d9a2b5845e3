"""Turn the APP_KEY environment variable into the Fernet key that encrypts cookies.

Two formats are accepted so that every way of producing a key works:

* a Fernet key (what ``python craft key:generate`` prints), used as it is;
* any other high-entropy string of at least 32 characters, such as the 64 hex
  characters of Heroku's ``generator: secret`` or a ``pulumi_random`` password.
  The Fernet key is derived from it with HKDF-SHA256, so every dyno given the
  same string derives the same key and can read the others' cookies.
"""

import base64
import binascii

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MIN_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10
_DERIVATION_INFO = b"masonite-heroku app key v1"


class InvalidAppKey(ValueError):
    """APP_KEY is missing or too weak to encrypt cookies with."""


def fernet_key_from_app_key(app_key: str) -> bytes:
    """Return the url-safe base64 Fernet key to use for ``app_key``."""
    app_key = (app_key or "").strip()
    if _is_fernet_key(app_key):
        return app_key.encode("ascii")
    if len(app_key) < MIN_LENGTH:
        raise InvalidAppKey(
            f"APP_KEY must be a Fernet key or a random string of at least {MIN_LENGTH} "
            f"characters; got {len(app_key)} characters. "
            'Generate one with: python -c "import secrets; print(secrets.token_hex(32))"'
        )
    if len(set(app_key)) < MIN_DISTINCT_CHARACTERS:
        raise InvalidAppKey(
            f"APP_KEY looks like a placeholder: it uses fewer than {MIN_DISTINCT_CHARACTERS} "
            "distinct characters. Use a randomly generated value."
        )
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVATION_INFO).derive(
        app_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


def _is_fernet_key(value: str) -> bool:
    if len(value) != 44:
        return False
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False
