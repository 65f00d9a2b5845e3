"""Defects 1, 4 and 5: forged, tampered, renamed and expired cookies; cookie size; cookie flags."""

import re
import time

import requests
from cryptography.fernet import Fernet

from tests.support.browser import cookie_attributes, set_cookie_headers

THIRTY_DAYS = 30 * 24 * 3600


def session_data(target, cookie_header: str) -> tuple[int, dict]:
    response = requests.get(target.url + "/_probe/session", headers={"Cookie": cookie_header}, timeout=10)
    return response.status_code, (response.json()["data"] if response.status_code == 200 else {})


def issued_cookie(target, name: str, value: str) -> str:
    response = requests.get(target.url + "/_probe/set", params={"key": name, "value": value}, timeout=10)
    for header in set_cookie_headers(response):
        if header.startswith(f"s_{name}="):
            return header.split("=", 1)[1].split(";", 1)[0]
    raise AssertionError(f"{target.name} did not set s_{name}")


def mint(target, cookie_name: str, value: str, at: int) -> str:
    """A cookie token made with the target's own key, as if issued at time ``at``."""
    if target.name.startswith("stock"):
        key = re.search(r"^APP_KEY=(.+)$", (target.project / ".env").read_text(), re.M).group(1)
        return Fernet(key.encode()).encrypt_at_time(value.encode(), at).decode()
    return target.run(
        "from production_layer.cookies.CookieCipher import CookieCipher\n"
        "cipher = CookieCipher(application.make('keyring'), max_age=1)\n"
        f"result = cipher._fernet.encrypt_at_time(cipher._plaintext({cookie_name!r}, {value!r}), {at}).decode()\n"
    )


def untrusted_cookie_problems(target) -> list[str]:
    problems = []
    now = int(time.time())
    status, data = session_data(target, f"s_user={mint(target, 's_user', 'alice', now)}")
    assert status == 200 and data.get("user") == "alice", f"{target.name}: a valid cookie must be accepted"

    checks = {
        "plaintext": "s_user=admin",
        "tampered": None,
        "renamed": f"s_role={issued_cookie(target, 'user', 'alice')}",
        "expired": f"s_user={mint(target, 's_user', 'alice', now - THIRTY_DAYS)}",
    }
    token = issued_cookie(target, "user", "alice")
    middle = len(token) // 2
    checks["tampered"] = "s_user=" + token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    for kind, cookie in checks.items():
        status, data = session_data(target, cookie)
        if status >= 500:
            problems.append(f"{kind} cookie: HTTP {status}")
        elif data.get("user") or data.get("role"):
            problems.append(f"{kind} cookie accepted as session data: {data}")
    return problems


def test_forged_tampered_renamed_and_expired_cookies_are_dropped(app, stock):
    assert len(untrusted_cookie_problems(stock)) == 4, "stock Masonite accepts all four"
    assert untrusted_cookie_problems(app) == []


def cookie_flag_problems(target) -> list[str]:
    response = requests.get(target.url + "/_probe/set", params={"key": "user", "value": "alice"}, timeout=10)
    headers = set_cookie_headers(response)
    deletions = [header for header in headers if re.search(r"=;", header)]
    problems = [] if deletions else ["no cookie deletion to inspect"]
    for header in headers:
        attributes = cookie_attributes(header)
        for flag in ("secure", "httponly"):
            if flag not in attributes:
                problems.append(f"{header.split('=')[0]} lacks {flag}")
        if not re.search(r"SameSite=Lax", header, re.IGNORECASE):
            problems.append(f"{header.split('=')[0]} is not SameSite=Lax")
    return problems


def test_every_cookie_including_deletions_is_secure_httponly_and_samesite_lax(app, stock):
    assert cookie_flag_problems(stock), "stock cookies lack Secure and use SameSite=Strict"
    assert cookie_flag_problems(app) == []


def oversized_cookie_problems(target) -> list[str]:
    response = requests.get(target.url + "/_probe/set", params={"key": "big", "size": "5000"}, timeout=10)
    problems = [f"{len(h)}-byte Set-Cookie sent" for h in set_cookie_headers(response) if len(h) > 4096]
    log = target.dyno.log()
    if not re.search(r"cookie 's_big' would be \d+ bytes", log):
        problems.append("no error naming the cookie and its size")
    return problems


def test_a_session_value_too_big_for_a_cookie_fails_when_written(app, stock):
    assert oversized_cookie_problems(stock), "stock Masonite sends the oversized cookie silently"
    assert oversized_cookie_problems(app) == []
