"""The request object: verified cookies and a strictly parsed body."""

from masonite.request import Request

from production_layer.cookies.EncryptedCookieJar import EncryptedCookieJar
from production_layer.request.CachedHeaderBag import CachedHeaderBag
from production_layer.request.StrictInputBag import StrictInputBag


class SecureRequest(Request):
    def __init__(self, environ: dict, cookie_jar: EncryptedCookieJar):
        self._secure_cookie_jar = cookie_jar
        super().__init__(environ)

    # Masonite internal, pinned by test_request_init_builds_cookie_header_and_input_bags_in_load.
    def load(self):
        self.cookie_jar = self._secure_cookie_jar
        self.cookie_jar.load(self.environ.get("HTTP_COOKIE", ""))
        self.header_bag = CachedHeaderBag()
        self.header_bag.load(self.environ)
        self.input_bag = StrictInputBag()
        self.input_bag.load(self.environ)
