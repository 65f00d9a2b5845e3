"""Cookie values: authenticated, bound to their cookie's name, expiring, sized before writing."""

import secrets
import time

from production_layer.cookies.CookieCipher import CookieCipher
from production_layer.keys import KeyRing


def cipher(max_age=60, key=None):
    return CookieCipher(KeyRing(key or secrets.token_hex(32)), max_age=max_age)


def test_a_value_comes_back_under_its_own_name_only():
    jar = cipher()
    token = jar.encrypt("s_user", "alice")
    assert jar.decrypt("s_user", token) == "alice"
    assert jar.decrypt("s_other", token) is None


def test_forged_tampered_foreign_and_expired_tokens_are_refused():
    jar = cipher(max_age=1)
    token = jar.encrypt("s_user", "alice")
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    assert jar.decrypt("s_user", "admin") is None
    assert jar.decrypt("s_user", tampered) is None
    assert cipher().decrypt("s_user", token) is None, "another APP_KEY"
    assert jar.decrypt("s_user", "é" * 10) is None
    assert jar.looks_encrypted(token) and jar.looks_encrypted(tampered) and not jar.looks_encrypted("dark")
    time.sleep(2.1)
    assert jar.decrypt("s_user", token) is None


def test_encrypted_length_is_exact():
    jar = cipher()
    for size in (0, 1, 15, 16, 17, 100, 2000):
        value = "v" * size
        assert jar.encrypted_length("name", value) == len(jar.encrypt("name", value))
