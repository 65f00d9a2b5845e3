"""Issue 10, items 2 and 3: APP_KEY works for every Masonite feature that uses it, each purpose has
its own key, no key ever reaches a log or a page, and APP_KEY_FALLBACKS rotates keys without
logging anyone out."""

from __future__ import annotations

import base64
import importlib.util

import requests
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tests.hardening.conftest import Target
from tests.support.baking import PROJECT_TEMPLATE
from tests.support.browser import Browser, set_cookie_headers
from tests.support.dynos import web_dyno
from tests.support.user_code import dyno_log, login

MINT = """
from masonite.auth import Sign
from production_layer.cookies.CookieCipher import CookieCipher
cipher = CookieCipher(application.make("keyring"), max_age=3600)
result = {"signature": Sign().sign("from-the-old-key"), "cookie": cipher.encrypt("s_user", "alice")}
"""
READABLE = """
from masonite.auth import Sign
from production_layer.cookies.CookieCipher import CookieCipher
try:
    Sign().unsign({signature!r})
    signature = True
except Exception:
    signature = False
cookie = CookieCipher(application.make("keyring"), max_age=3600).decrypt("SESSID", {cookie!r}) is not None
result = {{"signature": signature, "cookie": cookie}}
"""


def app_key_module():
    spec = importlib.util.spec_from_file_location(
        "app_key_under_test", PROJECT_TEMPLATE / "production_layer" / "app_key.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def every_key(*app_keys: str) -> dict[str, str]:
    """Each key as configured and each key the app derives from it, by name."""
    module = app_key_module()
    keys = {}
    for index, app_key in enumerate(app_keys):
        keys[f"key {index}"] = app_key
        keys[f"key {index}, legacy derivation"] = module.legacy_key(app_key).decode()
        for purpose in module.PURPOSES:
            keys[f"key {index}, {purpose}"] = module.derive_key(app_key, purpose).decode()
    return keys


def legacy_fernet(app_key: str) -> Fernet:
    """The one key earlier versions of the template derived (cookies and `sign` alike)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"masonite-heroku app key v1").derive(
        app_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def session_user(target, cookie: str):
    response = requests.get(target.url + "/prefs", headers={"Cookie": f"s_user={cookie}"}, timeout=10)
    assert response.status_code == 200, response.text[:300]
    return response.json()["session_user"]


def signature_check(target, token: str) -> int:
    return requests.get(f"{target.url}/signed/{token}", timeout=10).status_code


def test_sign_signed_routes_and_must_verify_email_work_with_the_generated_key_format(user_app):
    made = requests.get(user_app.url + "/signed/make", params={"value": "order-42"}, timeout=10)
    assert made.status_code == 200, made.text[:300]
    token = made.json()["token"]
    checked = requests.get(f"{user_app.url}/signed/{token}", timeout=10)
    assert checked.status_code == 200 and checked.json() == {"value": "order-42"}
    tampered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    assert signature_check(user_app, tampered) == 403

    alice = Browser(user_app.url)
    assert login(alice).status_code == 302
    token = alice.csrf_token("/account")
    sent = alice.post("/account/verify-email", data={"__token": token})
    assert sent.status_code == 200, sent.text[:300]
    verification = sent.json()["link"].rsplit("/email/verify/", 1)[1]
    verified = requests.get(f"{user_app.url}/email/verify/{verification}", timeout=10)
    assert verified.status_code == 200 and verified.json()["verified"] is True


def test_no_key_reaches_the_log_or_a_page(user_app, app_keys):
    pages = [
        requests.get(user_app.url + "/signed/make", params={"value": "x"}, timeout=10),
        requests.get(user_app.url + "/signed/not-a-token", timeout=10),
        requests.get(user_app.url + "/billing", timeout=10),
        requests.post(user_app.url + "/account/login-then-fail", timeout=10),
        requests.get(user_app.url + "/account", headers={"Cookie": "SESSID=forged; s_user=gAAAAAforged"}, timeout=10),
    ]
    keys = every_key(app_keys["new"], app_keys["old"])
    log = dyno_log(user_app)
    leaks = [name for name, key in keys.items() if key in log]
    leaks += [f"{name} in {page.url}" for page in pages for name, key in keys.items() if key in page.text]
    assert leaks == []


def test_the_debug_page_shows_no_key(app_debug):
    keys = every_key(app_debug.settings["APP_KEY"])
    leaks = []
    for accept in ("text/html", "application/json"):
        page = requests.get(app_debug.url + "/_probe/error", headers={"Accept": accept}, timeout=30)
        assert page.status_code == 500
        leaks += [f"{accept}: {name}" for name, key in keys.items() if key in page.text]
    assert leaks == []


def test_keys_written_before_a_rotation_still_read_and_new_ones_use_app_key(user_app, app_keys):
    # Before the rotation the app ran with the old key alone; an app process with that
    # configuration signs a link and writes a session cookie.
    before = {k: v for k, v in user_app.settings.items() if k != "APP_KEY_FALLBACKS"}
    with user_app.agent(APP_KEY=app_keys["old"], APP_KEY_FALLBACKS="") as old_app:
        minted = old_app.run(MINT)

        # During it (APP_KEY new, APP_KEY_FALLBACKS old) what the old key wrote still reads...
        assert signature_check(user_app, minted["signature"]) == 200
        assert session_user(user_app, minted["cookie"]) == "alice"
        # ...and anything new is written with the new key, which the old configuration cannot read.
        made = requests.get(user_app.url + "/signed/make", params={"value": "after"}, timeout=10)
        written = made.json()["token"]
        session = Browser(user_app.url)
        session.get("/account")
        cookie = session.cookies["SESSID"]
        assert old_app.run(READABLE.format(signature=written, cookie=cookie)) == {"signature": False, "cookie": False}

    # After it (the old key dropped): what was written during the rotation still reads, the old key's no longer.
    with web_dyno(user_app.project, user_app.bin_dir, before, "after-rotation") as dyno:
        after = Target("after-rotation", user_app.project, user_app.bin_dir, before, dyno)
        assert signature_check(after, written) == 200
        assert signature_check(after, minted["signature"]) == 403
        assert session_user(after, minted["cookie"]) is None
        kept = requests.get(after.url + "/account", headers={"Cookie": f"SESSID={cookie}"}, timeout=10)
        assert not [h for h in set_cookie_headers(kept) if h.startswith("SESSID=")], "the session is kept"


def test_sessions_and_signatures_from_before_this_version_still_read(user_app, app_keys):
    """Earlier versions derived one key for cookies and `sign`: deploying this one logs nobody out."""
    legacy = legacy_fernet(app_keys["new"])
    cookie = legacy.encrypt(b"s_user\x00alice").decode()
    assert session_user(user_app, cookie) == "alice"
    assert signature_check(user_app, legacy.encrypt(b"from-before-the-upgrade").decode()) == 200


def test_a_bad_fallback_stops_the_app_naming_the_variable_not_the_key(user_app):
    weak = "not-a-real-key"
    with user_app.agent(APP_KEY_FALLBACKS=f"{Fernet.generate_key().decode()}, {weak}") as agent:
        assert agent.boot_error, "the app booted with an unusable APP_KEY_FALLBACKS"
        assert "APP_KEY_FALLBACKS" in agent.boot_error and "key 2 of 2" in agent.boot_error
        assert weak not in agent.boot_error
