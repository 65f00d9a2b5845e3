"""A cookie jar that decrypts on load, encrypts on render and applies one set of flags.

Stock Masonite decrypts in `EncryptCookies` middleware, which only runs on routed
requests and keeps undecryptable values; it also rebuilds cookie options from the
configuration for every cookie. Here a cookie that does not authenticate is never
loaded as an encrypted one, every cookie written (deletions included) carries the
configured flags, and the flags are computed once per process.

Masonite's plain cookies keep working: `response.cookie(name, value, encrypt=False)`
is sent as it is, and a cookie the browser set itself (from JavaScript) reads back
with `request.cookie(name)`, marked `encrypt=False`. A plain cookie can never stand
in for an encrypted one: the names the framework relies on (`ENCRYPTED_ONLY`, plus
`encrypted_only` in config/session.py) are dropped unless they authenticate, and so
is anything that looks like one of our tokens but does not authenticate.
"""

import re

from masonite.cookies import Cookie, CookieJar

from production_layer.cookies.CookieCipher import CookieCipher
from production_layer.http_errors import CookieTooLarge

BROWSER_COOKIE_LIMIT = 4096
# Any date in the past deletes a cookie; a constant saves parsing "expired" on every request.
EXPIRED = "Thu, 01 Jan 1970 00:00:00"
# The session id (also the CSRF token), the CSRF cookie, the login token, and the
# cookie session driver's data (`s_`) and flash (`f_`) cookies. `*` ends a prefix.
ENCRYPTED_ONLY = ("SESSID", "csrf_token", "token", "s_*", "f_*")
# RFC 6265 cookie-octet: what a cookie value may contain unquoted.
PLAIN_VALUE = re.compile(r"[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*")


class PlainCookieRefused(ValueError):
    """A plain cookie the app must not write: a security cookie's name, or a value that breaks the header."""


# Masonite internal, pinned by test_cookie_jar_keeps_added_loaded_and_deleted_cookies_in_three_dicts.
class EncryptedCookieJar(CookieJar):
    def __init__(self, cipher: CookieCipher, options: dict, encrypted_only=ENCRYPTED_ONLY):
        super().__init__()
        self.cipher = cipher
        self.options = options
        self.encrypted_names = frozenset(name for name in encrypted_only if not name.endswith("*"))
        self.encrypted_prefixes = tuple(name[:-1] for name in encrypted_only if name.endswith("*"))
        # What the browser sent: every cookie name, and the values it holds in recent tokens.
        # A response's jar is given its request's (RequestLifecycleProvider), to skip writing
        # what the browser already has; None means unknown, and everything is written.
        self.browser_names = None
        self.fresh_values = {}

    def must_be_encrypted(self, name: str) -> bool:
        return name in self.encrypted_names or name.startswith(self.encrypted_prefixes)

    def load(self, cookie_string):
        self.browser_names = set()
        return super().load(cookie_string)

    def load_cookie(self, key, value):
        self.browser_names.add(key)
        plaintext = self.cipher.decrypt(key, value)
        if plaintext is not None:
            self.loaded_cookies[key] = Cookie(key, plaintext, **self.options)
            if self.cipher.is_fresh(value):
                self.fresh_values[key] = plaintext
        elif not self.must_be_encrypted(key) and not self.cipher.looks_encrypted(value):
            self.loaded_cookies[key] = Cookie(key, value, **{**self.options, "encrypt": False})

    def add(self, name, value, **options):
        value = str(value)
        encrypt = options.get("encrypt", True)
        if encrypt:
            size = len(name) + 1 + self.cipher.encrypted_length(name, value)
        else:
            self.check_plain(name, value)
            size = len(name) + 1 + len(value)
        if size > BROWSER_COOKIE_LIMIT:
            raise CookieTooLarge(
                f"cookie {name!r} would be {size} bytes{' once encrypted' if encrypt else ''}; browsers drop "
                f"cookies over {BROWSER_COOKIE_LIMIT} bytes. Keep large values in the cache or database."
            )
        self.cookies[name] = Cookie(name, value, **{**self.options, **options})

    def check_plain(self, name: str, value: str) -> None:
        if self.must_be_encrypted(name):
            raise PlainCookieRefused(
                f"cookie {name!r} is read only when it is encrypted (the session, CSRF and login cookies "
                "rely on it); write it without encrypt=False, or give your plain cookie another name"
            )
        if not PLAIN_VALUE.fullmatch(value):
            raise PlainCookieRefused(
                f"plain cookie {name!r} has characters a cookie value cannot carry (spaces, quotes, commas, "
                "semicolons, backslashes, control or non-ASCII characters); encode it first, "
                "for example with urllib.parse.quote"
            )

    def delete(self, name):
        self.deleted_cookies[name] = Cookie(name, "", **{**self.options, "expires": EXPIRED, "timezone": "GMT"})
        self.cookies.pop(name, None)
        self.loaded_cookies.pop(name, None)

    def render_response(self):
        headers = []
        for name, cookie in self.deleted_cookies.items():
            if name not in self.cookies and (self.browser_names is None or name in self.browser_names):
                headers.append(("Set-Cookie", cookie.render()))
        for name, cookie in self.cookies.items():
            if cookie.encrypt and self.is_unchanged(cookie):
                continue  # the browser already holds this value in a recent token
            if cookie.encrypt:
                cookie = Cookie(name, self.cipher.encrypt(name, cookie.value), **cookie.options)
            headers.append(("Set-Cookie", cookie.render()))
        return headers

    def knows_what_the_browser_sent(self, request_jar: "EncryptedCookieJar") -> None:
        self.browser_names = request_jar.browser_names or set()
        self.fresh_values = request_jar.fresh_values

    def is_unchanged(self, cookie: Cookie) -> bool:
        """Written with the value and the flags the browser sent it with, in a recent token.

        Session middleware writes the session id and the CSRF cookie on every response;
        sending them again unchanged costs an encryption each and tells the browser nothing.
        """
        return self.fresh_values.get(cookie.name) == cookie.value and cookie.options == self.options
