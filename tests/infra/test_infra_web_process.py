"""Zero-downtime deploys and the web formation of a managed app, consistent with app.json and WEB_CONCURRENCY."""

from __future__ import annotations

import json
import re

import pytest

from tests.infra import program_checks as checks
from tests.infra.program_harness import (
    HEROKU_CONFIG,
    HEROKU_FEATURE,
    HEROKU_FORMATION,
    project_config_schema,
    run_programs,
)
from tests.support.baking import bake

MANAGED = {"herokuApp": checks.HEROKU_APP_NAME, "manageHerokuApp": True}
BUILT = {checks.HEROKU_APP_NAME: {"has_build": True}}
SIZES = [("standard-2x", "4"), ("performance-m", "5"), ("performance-l", "17")]
REFUSED = [
    ({"webDynoSize": "eco"}, ["herokuPreboot needs Standard or Performance dynos", "webDynoSize 'eco'"]),
    ({"webDynoSize": "basic", "herokuPreboot": False, "webDynoQuantity": 2}, ["basic dynos run one at most"]),
    ({"webDynoSize": "huge"}, ["webDynoSize 'huge' is not allowed on the Common Runtime", "standard-1x"]),
    ({"webDynoSize": "performance-xl"}, ["needs webConcurrency"]),
    ({"webDynoSize": "private-s"}, ["webDynoSize 'private-s' is not allowed on the Common Runtime"]),
    ({"webDynoQuantity": 101}, ["webDynoQuantity '101'", "from 0 to 100"]),
    ({"herokuSpace": "acme-space"}, ["webDynoSize 'standard-1x' is not allowed in Private Space 'acme-space'"]),
]


@pytest.fixture(scope="module")
def runs(infra_dir):
    batch = {
        "fresh": {"config": MANAGED, "heroku_apps": {}},
        "built": {"config": MANAGED, "heroku_apps": BUILT},
        "preboot-off": {"config": {**MANAGED, "herokuPreboot": False}, "heroku_apps": BUILT},
        "existing-app": {"config": {"herokuApp": checks.HEROKU_APP_NAME}},
    }
    batch |= {
        size: {"config": {**MANAGED, "webDynoSize": size, "webDynoQuantity": 4}, "heroku_apps": BUILT}
        for size, _ in SIZES
    }
    batch |= {
        f"refused-{i}": {"config": {**MANAGED, **config}, "heroku_apps": BUILT} for i, (config, _) in enumerate(REFUSED)
    }
    return run_programs(batch, infra_dir)


def web_concurrency(run) -> str:
    return run.one(HEROKU_CONFIG).inputs["vars"]["WEB_CONCURRENCY"]


def test_a_new_app_gets_preboot_and_its_formation_after_the_first_build(runs):
    fresh = runs["fresh"]
    fresh.raise_error()
    (preboot,) = fresh.of_type(HEROKU_FEATURE)
    assert (preboot.inputs["name"], preboot.inputs["enabled"]) == ("preboot", True)
    assert not fresh.of_type(HEROKU_FORMATION), "Heroku refuses a formation for a process type with no build"
    assert any("git push heroku main, then pulumi up" in message for _, message in fresh.logs)
    built = runs["built"]
    (formation,) = built.of_type(HEROKU_FORMATION)
    assert (formation.inputs["type"], formation.inputs["quantity"], formation.inputs["size"]) == (
        "web",
        2,
        "standard-1x",
    )
    assert web_concurrency(built) == "2"


@pytest.mark.parametrize(("size", "expected"), SIZES)
def test_web_concurrency_follows_the_dyno_size_like_the_buildpack(runs, size, expected):
    run = runs[size]
    assert web_concurrency(run) == expected
    assert run.one(HEROKU_FORMATION).inputs["quantity"] == 4


def test_preboot_can_be_turned_off_and_other_apps_are_left_alone(runs):
    off = runs["preboot-off"]
    assert not off.of_type(HEROKU_FEATURE) and off.of_type(HEROKU_FORMATION)
    existing = runs["existing-app"]
    assert not existing.of_type(HEROKU_FEATURE) and not existing.of_type(HEROKU_FORMATION)
    assert "WEB_CONCURRENCY" not in existing.one(HEROKU_CONFIG).inputs["vars"]


@pytest.mark.parametrize(
    "index", range(len(REFUSED)), ids=[next(iter(c)) + f"-{i}" for i, (c, _) in enumerate(REFUSED)]
)
def test_bad_formations_are_refused(runs, index):
    result = runs[f"refused-{index}"]
    assert result.error_type == "ConfigError"
    for fragment in REFUSED[index][1]:
        assert fragment in result.error, result.error
    assert result.resources == []


def test_a_private_space_rolls_instead_of_preboot(scenario_runs):
    run = scenario_runs["managed-app-in-space+elasticache"]
    assert not run.of_type(HEROKU_FEATURE)
    assert run.one(HEROKU_FORMATION).inputs["size"] == "private-m"
    assert web_concurrency(run) == "5"


@pytest.fixture(scope="module", params=["heroku-key-value-store", "aws-elasticache"])
def baked(request, tmp_path_factory):
    return bake(tmp_path_factory.mktemp("app-json"), redis_provider=request.param)


def test_app_json_describes_the_same_app_as_the_stack_defaults(baked):
    """The Deploy button (app.json) and `pulumi up` (Pulumi.yaml defaults) build the same web process and add-ons."""
    app_json = json.loads((baked / "app.json").read_text())
    schema = project_config_schema(baked / "infra")
    web = app_json["formation"]["web"]
    assert web["quantity"] == schema["webDynoQuantity"]["default"]
    assert web["size"].lower() == schema["webDynoSize"]["default"]
    buildpack_figure = {"standard-1x": 2, "standard-2x": 4, "performance-m": 5, "performance-l": 17}[
        web["size"].lower()
    ]
    assert app_json["env"]["WEB_CONCURRENCY"]["value"] == str(buildpack_figure)
    assert re.search(
        r"--workers \$\{WEB_CONCURRENCY:-" + str(buildpack_figure) + r"\}", (baked / "Procfile").read_text()
    )
    plans = {addon["plan"] for addon in app_json["addons"]}
    expected = {schema["herokuPostgresPlan"]["default"]}
    if schema["redisProvider"]["default"] == "heroku-key-value-store":
        expected.add(schema["keyValueStorePlan"]["default"])
    assert plans == expected
