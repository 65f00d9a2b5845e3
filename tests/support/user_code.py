"""User code written into a copy of the generated project, the way a Masonite developer would:
a login, pages extending base.html, custom error pages, `Sign` and a signed route,
`MustVerifyEmail`, an exception with its own handler and listener, and plain cookies.

The hardening checks of request state, keys, error extension points, HEAD and the cookie
API run against one dyno of this project (tests/hardening/with_user_code/).
"""

from __future__ import annotations

from pathlib import Path

USER = {"name": "Alice", "email": "alice@example.com", "password": "wonderland-42"}

FILES = {
    "app/controllers/AccountController.py": """
from masonite.auth import Sign
from masonite.authentication import Auth
from masonite.controllers import Controller
from masonite.exceptions import InvalidToken
from masonite.request import Request
from masonite.response import Response
from masonite.views import View

from app.mail.LinkRecorder import LinkRecorder
from app.models.User import User


class AccountController(Controller):
    def show(self, view: View):
        return view.render("account")

    def login(self, auth: Auth, request: Request, response: Response):
        if not auth.attempt(request.input("email"), request.input("password")):
            return response.redirect("/account?failed=1")
        return response.redirect("/account")

    def login_then_fail(self, auth: Auth, request: Request):
        auth.attempt(request.input("email"), request.input("password"))
        raise RuntimeError("the dashboard is down")

    def greet(self, view: View, request: Request):
        view.share({"greeting": f"Hello {request.input('name')}"})
        return view.render("account")

    def profile(self, request: Request):
        user = User.find_or_fail(request.param("id"))
        return {"name": user.name}

    def send_verification(self, request: Request):
        recorder = LinkRecorder()
        request.user().verify_email(recorder, request)
        return {"link": recorder.data["link"]}

    def verify_email(self, request: Request, response: Response):
        try:
            user_id, _ = Sign().unsign(request.param("token")).split("::")
        except InvalidToken:
            return response.json({"verified": False}, 403)
        return {"verified": True, "user_id": int(user_id)}
""",
    "app/controllers/SignedController.py": """
from masonite.auth import Sign
from masonite.controllers import Controller
from masonite.exceptions import InvalidToken
from masonite.request import Request
from masonite.response import Response


class SignedController(Controller):
    def make(self, request: Request):
        return {"token": Sign().sign(request.input("value"))}

    def check(self, request: Request, response: Response):
        try:
            return {"value": Sign().unsign(request.param("token"))}
        except InvalidToken:
            return response.json({"error": "bad signature"}, 403)
""",
    "app/controllers/BillingController.py": """
from masonite.controllers import Controller

from app.exceptions.PaymentRequired import PaymentRequired
from app.exceptions.Refund import Refund
from app.exceptions.Teapot import Teapot


class BillingController(Controller):
    def show(self):
        raise PaymentRequired("card declined for alice@example.com")

    def teapot(self):
        raise Teapot()

    def refund(self):
        raise Refund()

    def inspect(self):
        dd({"card": "4242-dumped"})
""",
    "app/controllers/PrefsController.py": """
from masonite.controllers import Controller
from masonite.request import Request
from masonite.response import Response


class PrefsController(Controller):
    def show(self, request: Request):
        return {"theme": request.cookie("theme"), "session_user": request.session.get("user")}

    def dark(self, response: Response):
        response.cookie("theme", "dark", encrypt=False, http_only=False)
        return {"ok": True}
""",
    "app/exceptions/__init__.py": "",
    "app/exceptions/PaymentRequired.py": '''
class PaymentRequired(Exception):
    """The account must upgrade its plan for this feature."""
''',
    "app/exceptions/PaymentRequiredHandler.py": """
class PaymentRequiredHandler:
    def __init__(self, application):
        self.application = application

    def handle(self, exception):
        return self.application.make("response").view("Please upgrade your plan.", status=402)
""",
    "app/exceptions/Refund.py": """
class Refund(Exception):
    pass
""",
    "app/exceptions/RefundHandler.py": """
class RefundHandler:
    def __init__(self, application):
        self.application = application

    def handle(self, exception):
        raise RuntimeError("the refund service is down")
""",
    "app/exceptions/Teapot.py": """
class Teapot(Exception):
    is_http_exception = True

    def get_status(self):
        return 418

    def get_response(self):
        return "short and stout"
""",
    "app/listeners/__init__.py": "",
    "app/listeners/ExceptionAudit.py": """
class ExceptionAudit:
    def handle(self, event, exception=None):
        print(f"audit: {event}", flush=True)
""",
    "app/mail/__init__.py": "",
    "app/mail/LinkRecorder.py": '''
class LinkRecorder:
    """What MustVerifyEmail.verify_email expects of a mail manager; keeps the message instead of sending it."""

    def helper(self):
        return self

    def to(self, address):
        self.address = address
        return self

    def template(self, name, data):
        self.data = data
        return self

    def subject(self, subject):
        return self

    def send(self):
        return self
''',
    "app/providers/AppProvider.py": """
from masonite.providers import Provider

from app.exceptions.PaymentRequiredHandler import PaymentRequiredHandler
from app.exceptions.RefundHandler import RefundHandler
from app.listeners.ExceptionAudit import ExceptionAudit


class AppProvider(Provider):
    def __init__(self, application):
        self.application = application

    def register(self):
        self.application.bind("PaymentRequiredHandler", PaymentRequiredHandler(self.application))
        self.application.bind("RefundHandler", RefundHandler(self.application))
        self.application.make("event").listen("masonite.exception.*", [ExceptionAudit])

    def boot(self):
        pass
""",
    "templates/account.html": """{% extends 'base.html' %}
{% block content %}
<p id="user">{% if auth() %}Signed in as {{ auth().email }}{% else %}Not signed in{% endif %}</p>
{% if greeting %}<p id="greeting">{{ greeting }}</p>{% endif %}
{% endblock %}
""",
    "templates/errors/404.html": """{% extends 'base.html' %}
{% block content %}
<h1>{{ message }}</h1>
<p id="user">{% if auth() %}Signed in as {{ auth().email }}{% endif %}</p>
{% if greeting %}<p id="greeting">{{ greeting }}</p>{% endif %}
{% endblock %}
""",
    "templates/errors/400.html": """{% extends 'base.html' %}
{% block content %}
<h1>{{ message }}</h1>
<p id="user">{% if auth() %}Signed in as {{ auth().email }}{% endif %}</p>
{% if greeting %}<p id="greeting">{{ greeting }}</p>{% endif %}
{% endblock %}
""",
}

ROUTES = """

ROUTES += [
    Route.get("/account", "AccountController@show").name("account"),
    Route.post("/account/login", "AccountController@login"),
    Route.post("/account/login-then-fail", "AccountController@login_then_fail"),
    Route.get("/account/greet", "AccountController@greet"),
    Route.post("/account/verify-email", "AccountController@send_verification"),
    Route.get("/email/verify/@token:signed", "AccountController@verify_email"),
    Route.get("/users/@id", "AccountController@profile"),
    Route.get("/signed/make", "SignedController@make"),
    Route.get("/signed/@token:signed", "SignedController@check"),
    Route.get("/billing", "BillingController@show"),
    Route.get("/teapot", "BillingController@teapot"),
    Route.get("/billing/refund", "BillingController@refund"),
    Route.get("/billing/inspect", "BillingController@inspect"),
    Route.get("/prefs", "PrefsController@show"),
    Route.get("/prefs/dark", "PrefsController@dark"),
    Route.redirect("/my-account", "/account"),
]
"""


def install_user_code(project: Path) -> Path:
    for relative, text in FILES.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"))
    model = project / "app" / "models" / "User.py"
    source = model.read_text()
    source = source.replace(
        "from masonite.authentication import Authenticates\n",
        "from masonite.auth import MustVerifyEmail\nfrom masonite.authentication import Authenticates\n",
    )
    model.write_text(source.replace("Authorizes, Notifiable)", "Authorizes, Notifiable, MustVerifyEmail)"))
    routes = project / "routes" / "web.py"
    routes.write_text(routes.read_text() + ROUTES)
    return project


CREATE_USER = f"""
from app.models.User import User
if not User.where("email", {USER["email"]!r}).first():
    User().register({USER!r})
result = True
"""


def dyno_log(target) -> str:
    """Everything the dyno has written so far (ManagedProcess.log() keeps only the tail)."""
    return target.dyno.log_path.read_text(errors="replace")


def login(browser, password: str = USER["password"]):
    token = browser.csrf_token("/account")
    return browser.post("/account/login", data={"__token": token, "email": USER["email"], "password": password})
