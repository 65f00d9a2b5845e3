"""The cookie jar: encrypted cookies by default, Masonite's plain cookies when asked for,
and a plain cookie never standing in for an encrypted one."""

import secrets
import time

import pytest
from production_layer.cookies.CookieCipher import CookieCipher
from production_layer.cookies.EncryptedCookieJar import EncryptedCookieJar, PlainCookieRefused
from production_layer.keys import KeyRing

# What RequestLifecycleProvider computes from config/session.py.
OPTIONS = {
    "http_only": True,
    "secure": True,
    "samesite": "Lax",
    "path": "/",
    "encrypt": True,
    "expires": None,
    "timezone": None,
}


@pytest.fixture
def cipher():
    return CookieCipher(KeyRing(secrets.token_hex(32)), max_age=60)


def jar(cipher, cookie_header="", encrypted_only=None):
    cookies = EncryptedCookieJar(cipher, OPTIONS, *([encrypted_only] if encrypted_only else []))
    return cookies.load(cookie_header)


def test_a_cookie_set_by_javascript_reads_as_a_plain_cookie(cipher):
    cookies = jar(cipher, "theme=dark; cart=3")
    assert cookies.get("theme").value == "dark" and cookies.get("theme").encrypt is False
    assert cookies.get("cart").value == "3"


def test_an_encrypted_cookie_reads_decrypted_and_marked_encrypted(cipher):
    cookies = jar(cipher, f"SESSID={cipher.encrypt('SESSID', 'abc')}")
    assert cookies.get("SESSID").value == "abc" and cookies.get("SESSID").encrypt is True


def test_security_cookies_and_broken_tokens_are_dropped_when_plain(cipher):
    token = cipher.encrypt("cart", "3")
    header = f"SESSID=x; csrf_token=x; token=x; s_user=admin; f_success=yes; cart={token[:-4]}AAAA; remember=me"
    cookies = jar(cipher, header, encrypted_only=("SESSID", "csrf_token", "token", "s_*", "f_*", "remember"))
    assert cookies.to_dict() == {}


def test_encrypt_false_writes_a_plain_cookie_with_the_flags(cipher):
    cookies = jar(cipher)
    cookies.add("theme", "dark", encrypt=False, http_only=False)
    cookies.add("note", "secret")
    rendered = dict(header.split("=", 1) for _, header in cookies.render_response())
    assert rendered["theme"] == "dark;Secure;Path=/;SameSite=Lax;"
    assert rendered["note"].startswith("gAAAAA") and "HttpOnly;Secure;" in rendered["note"]


def test_plain_cookies_the_app_must_not_write_are_refused_when_written(cipher):
    cookies = jar(cipher)
    with pytest.raises(PlainCookieRefused, match="'SESSID' is read only when it is encrypted"):
        cookies.add("SESSID", "abc", encrypt=False)
    with pytest.raises(PlainCookieRefused, match="'s_user'"):
        cookies.add("s_user", "abc", encrypt=False)
    with pytest.raises(PlainCookieRefused, match="urllib.parse.quote"):
        cookies.add("theme", "dark\r\nSet-Cookie: x=1", encrypt=False)


def response_jar(cipher, request_cookies: str) -> EncryptedCookieJar:
    """A response's jar that knows what its request's browser sent (RequestLifecycleProvider)."""
    response = EncryptedCookieJar(cipher, OPTIONS)
    response.knows_what_the_browser_sent(jar(cipher, request_cookies))
    return response


def set_cookie_names(cookies: EncryptedCookieJar) -> list[str]:
    return [value.split("=", 1)[0] for _, value in cookies.render_response()]


def test_an_unchanged_cookie_in_a_recent_token_is_not_sent_again(cipher):
    cookies = response_jar(cipher, f"SESSID={cipher.encrypt('SESSID', 'abc')}")
    cookies.add("SESSID", "abc")
    assert set_cookie_names(cookies) == []


def test_a_changed_cookie_an_older_token_or_other_flags_are_sent_again(cipher):
    old_token = cipher._fernet.encrypt_at_time(b"SESSID\x00abc", int(time.time()) - 30).decode()
    changed = response_jar(cipher, f"SESSID={cipher.encrypt('SESSID', 'abc')}")
    changed.add("SESSID", "xyz")
    older = response_jar(cipher, f"SESSID={old_token}")
    older.add("SESSID", "abc")
    flags = response_jar(cipher, f"SESSID={cipher.encrypt('SESSID', 'abc')}")
    flags.add("SESSID", "abc", expires="Thu, 01 Jan 2099 00:00:00")
    unknown = EncryptedCookieJar(cipher, OPTIONS)
    unknown.add("SESSID", "abc")
    for cookies in (changed, older, flags, unknown):
        assert set_cookie_names(cookies) == ["SESSID"]
    assert cipher.decrypt("SESSID", older.render_response()[0][1].split("=", 1)[1].split(";")[0]) == "abc"


def test_a_deletion_is_sent_only_for_a_cookie_the_browser_holds(cipher):
    cookies = response_jar(cipher, "theme=dark")
    cookies.delete("theme")
    cookies.delete("s_errors")
    assert set_cookie_names(cookies) == ["theme"]
    stand_alone = EncryptedCookieJar(cipher, OPTIONS)
    stand_alone.delete("s_errors")
    assert set_cookie_names(stand_alone) == ["s_errors"], "without the request's cookies, every deletion is sent"
