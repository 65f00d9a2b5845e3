"""APP_KEY and APP_KEY_FALLBACKS: the formats accepted, the keys derived, and messages that never show a key."""

import base64
import secrets

import pytest
from cryptography.fernet import Fernet
from production_layer.app_key import (
    PURPOSES,
    InvalidAppKey,
    app_key_problem,
    derive_key,
    fallbacks_problem,
    fernet_key_from_app_key,
    legacy_key,
    require_app_keys,
    split_fallbacks,
)

ACCEPTED = {
    "a Fernet key (craft key:generate)": Fernet.generate_key().decode(),
    "64 hex characters (the template, Heroku's generator: secret)": secrets.token_hex(32),
    "urlsafe random text": secrets.token_urlsafe(32),
    "64 letters and digits (pulumi_random)": "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5kL7nP9rS1tV3wX5zA7cE9gI1oU3q",
}
REFUSED = {
    "empty": "",
    "short": "short",
    "31 characters": "0123456789abcdef0123456789abcde",
    "a placeholder": "a" * 40,
    "few distinct characters": "abcdefghi" * 4,
}


@pytest.mark.parametrize("key", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_keys_give_one_working_fernet_key_per_purpose(key):
    assert app_key_problem(key) is None
    derived = {purpose: derive_key(key, purpose) for purpose in PURPOSES}
    assert len(set(derived.values())) == len(PURPOSES), "each purpose has its own key"
    for purpose, fernet_key in derived.items():
        assert len(base64.urlsafe_b64decode(fernet_key)) == 32
        token = Fernet(fernet_key).encrypt(b"x")
        assert Fernet(derive_key("  " + key + "\n", purpose)).decrypt(token) == b"x", "the same key on every dyno"
        assert fernet_key not in (key.encode(), legacy_key(key)), "never the key itself nor the earlier derivation"


@pytest.mark.parametrize("key", REFUSED.values(), ids=REFUSED.keys())
def test_weak_keys_are_refused_without_showing_the_key(key):
    problem = app_key_problem(key)
    assert problem
    for refuse in (lambda: derive_key(key, "cookies"), lambda: fernet_key_from_app_key(key)):
        with pytest.raises(InvalidAppKey) as refused:
            refuse()
        assert "APP_KEY" in str(refused.value)
        if key:
            assert key not in str(refused.value) and key not in problem


def test_the_legacy_key_is_what_earlier_versions_derived():
    fernet_key = Fernet.generate_key().decode()
    assert legacy_key(fernet_key) == fernet_key.encode(), "a Fernet APP_KEY was used as it is"
    hex_key = secrets.token_hex(32)
    assert legacy_key(hex_key) != base64.urlsafe_b64encode(bytes.fromhex(hex_key))
    assert fernet_key_from_app_key(hex_key) == legacy_key(hex_key)


def test_fallbacks_are_comma_separated_newest_first_and_each_is_checked():
    first, second = secrets.token_hex(32), Fernet.generate_key().decode()
    assert split_fallbacks(f" {first} ,{second},, ") == [first, second]
    assert split_fallbacks(None) == [] and fallbacks_problem("") is None
    assert fallbacks_problem(f"{first},{second}") is None
    weak = "weak-and-short"
    problem = fallbacks_problem(f"{first},{weak}")
    assert problem.startswith("key 2 of 2 ") and weak not in problem


def test_a_bad_fallback_is_refused_naming_the_variable_never_the_key():
    app_key, weak = secrets.token_hex(32), "x" * 40
    require_app_keys(app_key, secrets.token_hex(32))
    with pytest.raises(InvalidAppKey) as refused:
        require_app_keys(app_key, weak)
    message = str(refused.value)
    assert message.startswith("APP_KEY_FALLBACKS key 1 of 1 ") and weak not in message and app_key not in message
