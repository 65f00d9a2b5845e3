"""The APP_KEY contract: every key the infra can hand the app is one the app accepts.

The app turns APP_KEY into its Fernet key with `fernet_key_from_app_key`
(`production_layer/app_key.py`, beside `infra/`). The infra either passes a
configured `appKey` (validated by the same module's `app_key_problem`) or a
pulumi_random password. Both paths are checked against the app's own function.
"""

from __future__ import annotations

import base64
import importlib.util
import random
import string

import pytest
from cryptography.fernet import Fernet

from tests.infra import program_checks as checks
from tests.infra.pulumi_random_like import alphabet, password_like

SAMPLES = 2000


@pytest.fixture(scope="module")
def app_key_module(infra_dir):
    """The app's module, from the production layer beside the infra/ under test."""
    path = infra_dir.resolve().parent / "production_layer" / "app_key.py"
    # The template directory's name contains braces: load by file path, not by package.
    spec = importlib.util.spec_from_file_location("production_layer_app_key", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_app_accepts(app_key_module, key: str) -> None:
    fernet_key = app_key_module.fernet_key_from_app_key(key)
    assert len(base64.urlsafe_b64decode(fernet_key)) == 32
    Fernet(fernet_key)  # raises if the app could not use it


def test_the_random_app_key_is_shaped_for_the_app(scenario_runs, app_key_module):
    run = scenario_runs["key-value-store+heroku"]
    password = checks.app_key_password(run)
    inputs = password.inputs
    assert inputs["length"] >= app_key_module.MIN_LENGTH
    assert inputs["special"] is False, "letters and digits only: safe in env vars, shells and URLs"
    assert set(alphabet(inputs)) <= set(string.ascii_letters + string.digits)
    assert len(set(alphabet(inputs))) >= app_key_module.MIN_DISTINCT_CHARACTERS
    assert_app_accepts(app_key_module, checks.config_vars(run)[1]["APP_KEY"])


def test_keys_drawn_like_pulumi_random_are_all_accepted(scenario_runs, app_key_module):
    """Many keys under the exact constraints the program gives pulumi_random.RandomPassword."""
    inputs = checks.app_key_password(scenario_runs["key-value-store+heroku"]).inputs
    rng = random.Random(20240601)
    for _ in range(SAMPLES):
        key = password_like(inputs, rng)
        assert len(key) == inputs["length"]
        assert_app_accepts(app_key_module, key)


def test_a_configured_app_key_is_passed_through(scenario_runs, app_key_module):
    run = scenario_runs["configured-app-key"]
    assert checks.config_vars(run)[1]["APP_KEY"] == checks.CONFIGURED_APP_KEY
    assert_app_accepts(app_key_module, checks.CONFIGURED_APP_KEY)


@pytest.mark.parametrize(
    "candidate",
    [
        Fernet.generate_key().decode(),
        "0123456789abcdef" * 4,
        "a1b2c3d4e5f6g7h8i9j0" * 2,
        "x" * 31,
        "abcdefghi" * 4,
        "ab" * 40,
        "",
        "short",
        "   " + "0123456789abcdef" * 2 + "   ",
        "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg=",
    ],
)
def test_config_validation_agrees_with_the_app(infra_config, app_key_module, candidate):
    """`appKey` is refused by the infra exactly when the app would refuse it at boot."""
    try:
        app_key_module.fernet_key_from_app_key(candidate)
        app_accepts = True
    except app_key_module.InvalidAppKey:
        app_accepts = False
    assert (infra_config.app_key_problem(candidate) is None) == app_accepts


def test_the_infra_uses_the_apps_own_rules(infra_config, app_key_module, infra_dir):
    """One source: infra/ imports the production layer's module instead of restating its rules."""
    assert infra_config.app_key_problem.__module__ == "production_layer.app_key"
    assert "MIN_LENGTH" not in (infra_dir / "config.py").read_text()


# --- APP_KEY_FALLBACKS: rotation --------------------------------------------------------------

FALLBACKS = checks.CONFIGURED_APP_KEY_FALLBACKS.split(",")


def test_fallbacks_reach_the_app_as_a_sensitive_var_the_app_accepts(scenario_runs, app_key_module):
    run = scenario_runs["configured-app-key"]
    plain, sensitive, association = checks.config_vars(run)
    assert sensitive["APP_KEY_FALLBACKS"] == checks.CONFIGURED_APP_KEY_FALLBACKS
    assert "APP_KEY_FALLBACKS" not in plain and "sensitiveVars" in association.secret_inputs
    for key in FALLBACKS:
        assert_app_accepts(app_key_module, key)


def test_without_fallbacks_the_var_is_removed(scenario_runs):
    """ConfigAssociation owns the vars it lists: leaving APP_KEY_FALLBACKS out deletes it from the app."""
    assert "APP_KEY_FALLBACKS" not in checks.config_vars(scenario_runs["key-value-store+heroku"])[1]


@pytest.mark.parametrize(
    ("fallbacks", "fragment"),
    [
        ("changeme", "entry 1 is set but must be a Fernet key or a random string of at least 32"),
        (f"{FALLBACKS[0]},,{FALLBACKS[1]}", "entry 2 is empty"),
        (f"{FALLBACKS[0]},{'ab' * 20}", "entry 2 is set but looks like a placeholder"),
        (f"{FALLBACKS[0]},{FALLBACKS[0]}", "entry 2 repeats an earlier entry"),
        (checks.CONFIGURED_APP_KEY, "entry 1 is the same as appKey"),
    ],
)
def test_bad_fallbacks_are_refused_without_echoing_any_key(infra_config, fallbacks, fragment):
    values = {"herokuApp": "demo-app", "appKey": checks.CONFIGURED_APP_KEY, "appKeyFallbacks": fallbacks}
    with pytest.raises(infra_config.ConfigError) as raised:
        infra_config.load_settings(values.get, "demo", "dev")
    message = str(raised.value)
    assert fragment in message
    for secret in [*fallbacks.split(","), checks.CONFIGURED_APP_KEY]:
        assert not secret or secret not in message


def test_fallbacks_agree_with_the_app_key_rule(infra_config, app_key_module):
    """Each entry passes exactly the check the app applies to APP_KEY (one rule, app_rules.app_key_problem)."""
    accepted = infra_config.load_settings(
        {"herokuApp": "demo-app", "appKeyFallbacks": f" {FALLBACKS[0]} , {FALLBACKS[1]} "}.get, "demo", "dev"
    )
    assert accepted.app_key_fallbacks == tuple(FALLBACKS)
    assert all(app_key_module.app_key_problem(key) is None for key in accepted.app_key_fallbacks)
