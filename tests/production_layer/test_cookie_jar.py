"""The cookie jar: encrypted cookies by default, Masonite's plain cookies when asked for,
and a plain cookie never standing in for an encrypted one."""

import secrets

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
