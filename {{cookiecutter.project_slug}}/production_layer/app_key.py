"""APP_KEY: which values are accepted, and the Fernet key derived from one.

Two formats are accepted so that every way of producing a key works:

* a Fernet key (what ``python craft key:generate`` prints), used as it is;
* any other high-entropy string of at least 32 characters, such as the 64 hex
  characters of Heroku's ``generator: secret`` or a ``pulumi_random`` password.
  The Fernet key is derived from it with HKDF-SHA256, so every dyno given the
  same string derives the same key and can read the others' cookies.

This module is the one source of these rules: `infra/` imports it to validate a
configured ``appKey`` before `pulumi up` sets it. It must therefore import nothing
beyond the standard library at module level (the infra venv has no cryptography).
Messages never contain the key itself.
"""

import base64
import binascii

MIN_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10
# What the template, app.json's generator and infra/ produce: 64 random letters and digits.
GENERATED_LENGTH = 64
_DERIVATION_INFO = b"masonite-heroku app key v1"


class InvalidAppKey(ValueError):
    """APP_KEY is missing or too weak to encrypt cookies with."""


def app_key_problem(app_key: str) -> str | None:
    """Why ``app_key`` is refused, or None if it is accepted."""
    app_key = (app_key or "").strip()
    if is_fernet_key(app_key):
        return None
    if len(app_key) < MIN_LENGTH:
        return (
            f"must be a Fernet key or a random string of at least {MIN_LENGTH} characters; "
            f"got {len(app_key)} characters"
        )
    if len(set(app_key)) < MIN_DISTINCT_CHARACTERS:
        return (
            f"looks like a placeholder: it uses fewer than {MIN_DISTINCT_CHARACTERS} distinct characters; "
            "use a randomly generated value"
        )
    return None


def fernet_key_from_app_key(app_key: str) -> bytes:
    """Return the url-safe base64 Fernet key to use for ``app_key``."""
    problem = app_key_problem(app_key)
    if problem:
        raise InvalidAppKey(
            f'APP_KEY {problem}. Generate one with: python -c "import secrets; print(secrets.token_hex(32))"'
        )
    app_key = app_key.strip()
    if is_fernet_key(app_key):
        return app_key.encode("ascii")
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVATION_INFO).derive(
        app_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


def is_fernet_key(value: str) -> bool:
    if len(value) != 44:
        return False
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False
