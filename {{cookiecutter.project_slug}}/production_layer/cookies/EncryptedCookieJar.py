"""A cookie jar that decrypts on load, encrypts on render and applies one set of flags.

Stock Masonite decrypts in `EncryptCookies` middleware, which only runs on routed
requests and keeps undecryptable values; it also rebuilds cookie options from the
configuration for every cookie. Here a cookie that does not authenticate is never
loaded, every cookie written (deletions included) carries the configured flags, and
the flags are computed once per process.
"""

from masonite.cookies import Cookie, CookieJar

from production_layer.cookies.CookieCipher import CookieCipher
from production_layer.http_errors import CookieTooLarge

BROWSER_COOKIE_LIMIT = 4096
# Any date in the past deletes a cookie; a constant saves parsing "expired" on every request.
EXPIRED = "Thu, 01 Jan 1970 00:00:00"


# Masonite internal, pinned by test_cookie_jar_keeps_added_loaded_and_deleted_cookies_in_three_dicts.
class EncryptedCookieJar(CookieJar):
    def __init__(self, cipher: CookieCipher, options: dict):
        super().__init__()
        self.cipher = cipher
        self.options = options

    def load_cookie(self, key, value):
        plaintext = self.cipher.decrypt(key, value)
        if plaintext is not None:
            self.loaded_cookies[key] = Cookie(key, plaintext, **self.options)

    def add(self, name, value, **options):
        value = str(value)
        size = len(name) + 1 + self.cipher.encrypted_length(name, value)
        if size > BROWSER_COOKIE_LIMIT:
            raise CookieTooLarge(
                f"cookie {name!r} would be {size} bytes once encrypted; browsers drop cookies "
                f"over {BROWSER_COOKIE_LIMIT} bytes. Keep large values in the cache or database."
            )
        self.cookies[name] = Cookie(name, value, **{**self.options, **options})

    def delete(self, name):
        self.deleted_cookies[name] = Cookie(name, "", **{**self.options, "expires": EXPIRED, "timezone": "GMT"})
        self.cookies.pop(name, None)
        self.loaded_cookies.pop(name, None)

    def render_response(self):
        headers = []
        for name, cookie in self.deleted_cookies.items():
            if name not in self.cookies:
                headers.append(("Set-Cookie", cookie.render()))
        for name, cookie in self.cookies.items():
            encrypted = Cookie(name, self.cipher.encrypt(name, cookie.value), **cookie.options)
            headers.append(("Set-Cookie", encrypted.render()))
        return headers
