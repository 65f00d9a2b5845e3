"""APP_KEY and APP_KEY_FALLBACKS: which values are accepted, and the keys derived from them.

Two formats are accepted so that every way of producing a key works:

* a Fernet key (what ``python craft key:generate`` prints);
* any other high-entropy string of at least 32 characters, such as the 64 hex
  characters of Heroku's ``generator: secret`` or a ``pulumi_random`` password.

Each purpose gets its own key, derived from APP_KEY with HKDF-SHA256 (``derive_key``):
a cookie token is never a valid signature and the other way round. Every dyno given
the same APP_KEY derives the same keys.

``APP_KEY_FALLBACKS`` holds older keys, comma-separated, newest first: they are
accepted for reading (cookies, signatures), never for writing, so a key can be
rotated without logging everyone out (README.md, "Rotating APP_KEY").

This module is the one source of these rules: `infra/` imports it to validate a
configured ``appKey`` before `pulumi up` sets it. It must therefore import nothing
beyond the standard library at module level (the infra venv has no cryptography).
Messages never contain a key.
"""

import base64
import binascii

MIN_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10
# What the template, app.json's generator and infra/ produce: 64 random letters and digits.
GENERATED_LENGTH = 64
GENERATE_HINT = 'Generate one with: python -c "import secrets; print(secrets.token_hex(32))"'

PURPOSES = {
    "cookies": b"masonite-heroku app key v2: cookies",
    "signing": b"masonite-heroku app key v2: signing",
}
# The one key that earlier versions derived for cookies and `sign` alike (a Fernet
# APP_KEY was used as it is). Still accepted for reading, so that deploying this
# version keeps everyone's session and earlier signed links; nothing is written with it.
_LEGACY_INFO = b"masonite-heroku app key v1"


class InvalidAppKey(ValueError):
    """APP_KEY or one of APP_KEY_FALLBACKS is missing or too weak to use."""


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


def split_fallbacks(value: str | None) -> list[str]:
    """The keys of an ``APP_KEY_FALLBACKS`` value: comma-separated, newest first, blanks ignored."""
    return [key.strip() for key in (value or "").split(",") if key.strip()]


def fallbacks_problem(value: str | None) -> str | None:
    """Why an ``APP_KEY_FALLBACKS`` value is refused (naming the position, never the key), or None."""
    keys = split_fallbacks(value)
    for position, key in enumerate(keys, 1):
        problem = app_key_problem(key)
        if problem:
            return f"key {position} of {len(keys)} {problem}"
    return None


def require_app_keys(app_key: str, fallbacks: str | None = None) -> None:
    """Raise InvalidAppKey, naming the variable and never its value, unless both are usable."""
    problem = app_key_problem(app_key)
    if problem:
        raise InvalidAppKey(f"APP_KEY {problem}. {GENERATE_HINT}")
    problem = fallbacks_problem(fallbacks)
    if problem:
        raise InvalidAppKey(
            f"APP_KEY_FALLBACKS {problem}. It lists earlier values of APP_KEY, comma-separated, newest first."
        )


def derive_key(app_key: str, purpose: str) -> bytes:
    """The url-safe base64 Fernet key for ``purpose`` (one of PURPOSES), derived from ``app_key``."""
    require_app_keys(app_key)
    return _hkdf(app_key.strip(), PURPOSES[purpose])


def legacy_key(app_key: str) -> bytes:
    """The Fernet key that earlier versions used for every purpose; accepted for reading only."""
    require_app_keys(app_key)
    app_key = app_key.strip()
    if is_fernet_key(app_key):
        return app_key.encode("ascii")
    return _hkdf(app_key, _LEGACY_INFO)


def fernet_key_from_app_key(app_key: str) -> bytes:
    """A Fernet key for ``app_key``, or InvalidAppKey: what infra/ checks a configured key with."""
    return legacy_key(app_key)


def is_fernet_key(value: str) -> bool:
    if len(value) != 44:
        return False
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


def _hkdf(secret: str, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode("utf-8"))
    return base64.urlsafe_b64encode(derived)
