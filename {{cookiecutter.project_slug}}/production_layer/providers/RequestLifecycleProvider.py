"""Give every request a fresh start: its own request, response and session, and nothing
left over from the request before.

Replaces stock `FrameworkProvider.boot`. Masonite keeps request data in process-wide
objects and resets some of them in the `boot` of the provider that owns them; when an
earlier provider raises for a request, the later boots never run. So everything that
can hold a request's data is reset here, first, before anything can fail
(production_layer/README.md, "Request-scoped state", lists what and why):

* the Response and Session are new; the Request is new, and a request whose body does
  not parse is still bound (without its body) so the 400 goes to the right client;
* the logged-in user and the auth guard a route chose are forgotten;
* the View's shared data and composers go back to what the providers registered (the
  CSRF token, errors and anything a request `share`d are dropped), and the helpers
  `HelpersProvider` shares (request, session, auth, cookie...) point at this request;
* `dump()` output and the container's query builder start empty.
"""

import io
import time

from masonite.providers import FrameworkProvider, HelpersProvider
from masonite.response import Response
from masonite.sessions import Session

from production_layer.cookies.CookieCipher import CookieCipher
from production_layer.cookies.EncryptedCookieJar import ENCRYPTED_ONLY, EncryptedCookieJar
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
        self.encrypted_only = (*ENCRYPTED_ONLY, *cookie.get("encrypted_only", ()))
        self.cipher = CookieCipher(self.application.make("keyring"), max_age=cookie["max_age"])
        self.session_config = dict(session_config)
        self.view_defaults = None
        self.query_builder = self.application.make("builder") if self.application.has("builder") else None
        self.clean_builder = (self.query_builder, dict(vars(self.query_builder or object())))

    def boot(self):
        self.forget_previous_request()
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

    def forget_previous_request(self):
        auth = self.application.make("auth")
        auth.set_user(None)
        # Masonite internal, pinned by test_auth_keeps_the_user_and_the_chosen_guard_on_itself.
        auth._guard = None

        view = self.application.make("view")
        # Masonite internal, pinned by test_view_state_is_instance_attributes_and_load_template_sets_env.
        if self.view_defaults is None:
            # The first boot in this process: only what providers registered is shared yet.
            self.view_defaults = (dict(view._shared), dict(view.composers))
        shared, composers = self.view_defaults
        view._shared = dict(shared)
        view.composers = dict(composers)
        view.dictionary = {}
        view.rendered_template = None

        self.application.make("dumper").clear()
        self.forget_pending_query()

    def forget_pending_query(self):
        """Bind a fresh query builder if the bound one was used (a new one costs about 30 µs)."""
        if self.query_builder is None:
            return
        builder = self.application.make("builder")
        clean, state = self.clean_builder
        if builder is clean and vars(builder) == state:
            return
        builder = self.query_builder.new()
        self.application.bind("builder", builder)
        self.clean_builder = (builder, dict(vars(builder)))

    def bind_request(self, request):
        request.app = self.application
        self.application.bind("request", request)
        # What the browser already holds need not be sent back unchanged, or deleted again.
        self.application.make("response").cookie_jar.knows_what_the_browser_sent(request.cookie_jar)
        # What HelpersProvider.boot shares, for this request, even if its boot never runs.
        HelpersProvider(self.application).boot()

    def new_cookie_jar(self) -> EncryptedCookieJar:
        return EncryptedCookieJar(self.cipher, self.cookie_options, self.encrypted_only)

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
