"""Read and forge the app's cookies from outside, the way only someone holding APP_KEY could.

The app encrypts cookies with the key it derives from APP_KEY for cookies (the
production layer's `app_key.derive_key(APP_KEY, "cookies")`, used here too), and a
cookie token is Fernet("<name>\\0<value>").
The tests use this to tell whose session a Set-Cookie carries and to make
expired-but-authentic tokens. `check_against` proves the format still matches the app.
"""

from __future__ import annotations

import importlib.util
import time

from cryptography.fernet import Fernet, InvalidToken

from tests.support.baking import PROJECT_TEMPLATE
from tests.support.browser import parse_set_cookie, set_cookie_headers


def cookie_key(app_key: str) -> bytes:
    """The app's own derivation, from the production layer's module (loaded by path: its folder name has braces)."""
    spec = importlib.util.spec_from_file_location(
        "faults_app_key", PROJECT_TEMPLATE / "production_layer" / "app_key.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.derive_key(app_key, "cookies")


class CookieCodec:
    def __init__(self, app_key: str):
        self.fernet = Fernet(cookie_key(app_key))

    def encrypt(self, name: str, value: str, at: float | None = None) -> str:
        plaintext = f"{name}\0{value}".encode()
        return self.fernet.encrypt_at_time(plaintext, int(at if at is not None else time.time())).decode("ascii")

    def decrypt(self, name: str, token: str) -> str | None:
        """The value if ``token`` is an authentic token for ``name`` (any age), else None."""
        try:
            plaintext = self.fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError, ValueError, TypeError):
            return None
        prefix = f"{name}\0"
        return plaintext[len(prefix) :] if plaintext.startswith(prefix) else None

    def set_cookies(self, response) -> dict[str, str | None]:
        """Every cookie a response sets, decrypted ("" for a deletion, None if it does not decrypt)."""
        found = {}
        for header in set_cookie_headers(response):
            name, value, _ = parse_set_cookie(header)
            found[name] = "" if value == "" else self.decrypt(name, value)
        return found

    def check_against(self, response) -> None:
        """Fail early if the app's cookie format is no longer the one this codec speaks."""
        cookies = self.set_cookies(response)
        assert cookies.get("SESSID"), f"a new session's SESSID did not decrypt with the test codec: {cookies}"
