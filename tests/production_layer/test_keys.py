"""The key ring: write with APP_KEY, read with APP_KEY_FALLBACKS too; Masonite's Sign on top of it."""

import importlib
import secrets

import pytest
from cryptography.fernet import Fernet, InvalidToken
from production_layer.app_key import legacy_key
from production_layer.keys import KeyRing, SigningKey, bind_app_keys
from production_layer.keys.KeyRing import REDACTED


def keys():
    return secrets.token_hex(32), Fernet.generate_key().decode()


def test_new_things_are_written_with_app_key_and_old_ones_read_with_the_fallbacks():
    new, old = keys()
    before, during, after = KeyRing(old), KeyRing(new, [old]), KeyRing(new)
    old_token = before.fernet("cookies").encrypt(b"old")
    new_token = during.fernet("cookies").encrypt(b"new")
    assert during.fernet("cookies").decrypt(old_token) == b"old"
    assert after.fernet("cookies").decrypt(new_token) == b"new"
    with pytest.raises(InvalidToken):
        before.fernet("cookies").decrypt(new_token)
    with pytest.raises(InvalidToken):
        after.fernet("cookies").decrypt(old_token)
    assert during.key("cookies") == after.key("cookies")


def test_purposes_do_not_read_each_others_tokens():
    ring = KeyRing(keys()[0])
    cookie = Fernet(ring.key("cookies")).encrypt(b"x")
    with pytest.raises(InvalidToken):
        ring.fernet("signing").decrypt(cookie)


def test_what_earlier_versions_wrote_is_read_but_never_written():
    new, old = keys()
    ring = KeyRing(new, [old])
    for secret in (new, old):
        assert ring.fernet("cookies").decrypt(Fernet(legacy_key(secret)).encrypt(b"before")) == b"before"
    assert ring.key("cookies") not in (legacy_key(new), legacy_key(old))


def test_no_key_is_ever_printed():
    new, old = keys()
    ring = KeyRing(new, [old])
    signing = SigningKey(ring)
    shown = [repr(ring), str(signing), repr(signing), f"{signing}", f"{signing!s:>80}", f"{[signing]}"]
    for text in shown:
        assert new not in text and old not in text and ring.key("signing").decode() not in text
    assert Fernet(signing), "Masonite can still use it as a Fernet key"
    log = f"boom {new} {old} {ring.key('cookies').decode()} {legacy_key(old).decode()}"
    assert ring.redact(log) == "boom " + " ".join([REDACTED] * 4)


def test_a_bad_fallback_cannot_build_a_key_ring():
    with pytest.raises(ValueError, match="APP_KEY_FALLBACKS key 1 of 1"):
        KeyRing(keys()[0], ["too-short"])


def test_masonites_sign_works_with_any_app_key_format_and_verifies_under_the_fallbacks(application, monkeypatch):
    from masonite.auth import MustVerifyEmail, Sign
    from masonite.exceptions import InvalidToken as MasoniteInvalidToken

    sign_module = importlib.import_module("masonite.auth.Sign")
    monkeypatch.setattr(sign_module, "Fernet", sign_module.Fernet)  # restored after the test

    new, old = keys()
    application.bind("config", Settings({"application": {"key": old, "key_fallbacks": ""}}))
    bind_app_keys(application)
    from_old = Sign().sign("signed before the rotation")

    application.bind("config", Settings({"application": {"key": new, "key_fallbacks": f"{old}"}}))
    bind_app_keys(application)
    assert Sign().unsign(from_old) == "signed before the rotation"
    assert application.make("sign").unsign(Sign().sign("x")) == "x"
    assert Sign(new).unsign(Sign().sign("y")) == "y", "APP_KEY itself, as the stock skeleton passes it"
    assert MustVerifyEmail  # uses Sign() the same way

    application.bind("config", Settings({"application": {"key": new, "key_fallbacks": ""}}))
    bind_app_keys(application)
    with pytest.raises(MasoniteInvalidToken):
        Sign().unsign(from_old)
    assert Sign(Fernet.generate_key()).sign("z"), "any other key is a plain Fernet key, as before"


class Settings:
    def __init__(self, settings):
        self.settings = settings

    def get(self, path, default=None):
        value = self.settings
        for part in path.split("."):
            value = value.get(part, default) if isinstance(value, dict) else default
        return value
