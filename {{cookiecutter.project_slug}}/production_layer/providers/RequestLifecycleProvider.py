"""Give every request a fresh Request, Response and Session.

Replaces stock `FrameworkProvider.boot`. Masonite binds these objects in a
process-global container; when a body failed to parse, stock Masonite never
bound the new request's Response, so the error page (and the previous client's
`Set-Cookie` headers) went out on the previous request's Response. Here the new
Response and Session are bound before anything can fail, and a request whose
body does not parse is still bound (without its body) so the 400 goes to the
right client.
"""

import io
import time

from masonite.providers import FrameworkProvider
from masonite.response import Response
from masonite.sessions import Session

from production_layer.cookies.CookieCipher import CookieCipher
from production_layer.cookies.EncryptedCookieJar import EncryptedCookieJar
from production_layer.request.SecureRequest import SecureRequest


class RequestLifecycleProvider(FrameworkProvider):
    def register(self):
        super().register()
        session_config = self.application.make("config").get("session.drivers")
        cookie = dict(session_config["cookie"])
        # Computed once per process: stock Masonite re-read the configuration per cookie.
        self.cookie_options = {
            "http_only": cookie.get("http_only", True),
            "secure": cookie.get("secure", True),
            "samesite": cookie.get("samesite", "Lax"),
            "path": cookie.get("path", "/"),
            "encrypt": True,
            "expires": None,
            "timezone": None,
        }
        self.cipher = CookieCipher(self.application.make("key"), max_age=cookie["max_age"])
        self.session_config = dict(session_config)

    def boot(self):
        self.application.bind("start_time", time.time())
        response = Response(self.application)
        # Masonite internal, pinned by test_response_handler_sends_the_bound_responses_cookie_jar.
        response.cookie_jar = self.new_cookie_jar()
        self.application.bind("response", response)
        self.application.bind("session", self.new_session())

        environ = self.application.make("environ")
        try:
            request = SecureRequest(environ, self.new_cookie_jar())
        except Exception:
            # Whatever went wrong with the body, the error page must answer this request.
            self.bind_request(SecureRequest(without_body(environ), self.new_cookie_jar()))
            raise
        self.bind_request(request)

    def bind_request(self, request):
        request.app = self.application
        self.application.bind("request", request)

    def new_cookie_jar(self) -> EncryptedCookieJar:
        return EncryptedCookieJar(self.cipher, self.cookie_options)

    def new_session(self) -> Session:
        session = Session(self.application).set_configuration(self.session_config)
        # Masonite internal, pinned by test_session_drivers_are_a_plain_dict_attribute.
        session.drivers = self.session_drivers()
        return session

    def session_drivers(self) -> dict:
        if not hasattr(self, "_session_drivers"):
            self._session_drivers = self.application.make("session").drivers
        return self._session_drivers


def without_body(environ: dict) -> dict:
    return {**environ, "CONTENT_LENGTH": "0", "CONTENT_TYPE": "", "wsgi.input": io.BytesIO()}
