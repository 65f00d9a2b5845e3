"""APP_KEY: the formats accepted, the key derived, and messages that never show the key."""

import base64
import secrets

import pytest
from cryptography.fernet import Fernet
from production_layer.app_key import InvalidAppKey, app_key_problem, fernet_key_from_app_key

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
def test_accepted_keys_give_a_working_fernet_key(key):
    assert app_key_problem(key) is None
    fernet_key = fernet_key_from_app_key(key)
    assert len(base64.urlsafe_b64decode(fernet_key)) == 32
    token = Fernet(fernet_key).encrypt(b"x")
    assert Fernet(fernet_key_from_app_key("  " + key + "\n")).decrypt(token) == b"x", "the same key on every dyno"


@pytest.mark.parametrize("key", REFUSED.values(), ids=REFUSED.keys())
def test_weak_keys_are_refused_without_showing_the_key(key):
    problem = app_key_problem(key)
    assert problem
    with pytest.raises(InvalidAppKey) as refused:
        fernet_key_from_app_key(key)
    assert "APP_KEY" in str(refused.value)
    if key:
        assert key not in str(refused.value) and key not in problem


def test_a_fernet_key_is_used_as_it_is_and_other_keys_are_derived():
    fernet_key = Fernet.generate_key().decode()
    assert fernet_key_from_app_key(fernet_key) == fernet_key.encode()
    hex_key = secrets.token_hex(32)
    assert fernet_key_from_app_key(hex_key) != base64.urlsafe_b64encode(bytes.fromhex(hex_key))
