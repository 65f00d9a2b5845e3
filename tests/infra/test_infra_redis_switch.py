"""Switching `redisProvider` on a live stack, played against Heroku's config-var rules (`heroku_rollout`).

* Key-Value Store -> ElastiCache is a documented two-step procedure: the add-on owns
  REDIS_URL until it is deleted, and Pulumi deletes it only after every update, so one
  `pulumi up` cannot both drop it and write the ElastiCache URL. Step 1
  (`elasticacheSetsRedisUrl false`) builds ElastiCache and drops the add-on; step 2
  writes REDIS_URL.
* ElastiCache -> Key-Value Store is one `pulumi up` in an order the program enforces:
  the add-on depends on the config vars, so REDIS_URL is gone before it is created.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.infra import program_checks as checks
from tests.infra.heroku_rollout import heroku_state_after, play
from tests.infra.program_harness import HEROKU_ADDON, HEROKU_CONFIG, REPLICATION_GROUP, ProgramRun, run_programs

# An existing app in a Private Space, whose add-ons the stack manages.
KEY_VALUE_STORE = {"herokuApp": checks.HEROKU_APP_NAME, "manageHerokuAddons": True}
ELASTICACHE = {
    **KEY_VALUE_STORE,
    "redisProvider": "aws-elasticache",
    "elasticacheAllowedCidrs": [checks.PRIVATE_SPACE_CIDR],
}
IN_A_SPACE = {checks.HEROKU_APP_NAME: {"space": checks.PRIVATE_SPACE}}


@pytest.fixture(scope="module")
def runs(infra_dir) -> dict[str, ProgramRun]:
    found = run_programs(
        {
            "key-value-store": {"config": KEY_VALUE_STORE, "heroku_apps": IN_A_SPACE},
            "elasticache": {"config": ELASTICACHE, "heroku_apps": IN_A_SPACE},
            "elasticache-step-1": {
                "config": {**ELASTICACHE, "elasticacheSetsRedisUrl": False},
                "heroku_apps": IN_A_SPACE,
            },
            "step-1-without-elasticache": {"config": {**KEY_VALUE_STORE, "elasticacheSetsRedisUrl": False}},
            "step-1-without-app": {"config": {"redisProvider": "aws-elasticache", "elasticacheSetsRedisUrl": False}},
        },
        infra_dir,
    )
    for label in ("key-value-store", "elasticache", "elasticache-step-1"):
        found[label].raise_error()
    return found


@pytest.fixture(scope="module")
def key_value_store(runs) -> ProgramRun:
    return runs["key-value-store"]


@pytest.fixture(scope="module")
def elasticache(runs) -> ProgramRun:
    return runs["elasticache"]


@pytest.fixture(scope="module")
def elasticache_step_1(runs) -> ProgramRun:
    return runs["elasticache-step-1"]


def redis_addons(result: ProgramRun):
    return [addon for addon in result.of_type(HEROKU_ADDON) if addon.inputs["plan"].startswith("heroku-redis:")]


def test_each_provider_alone_leaves_redis_url_to_its_owner(key_value_store, elasticache):
    (addon,) = redis_addons(key_value_store)
    assert heroku_state_after(key_value_store).owner("REDIS_URL") == addon.urn
    association = elasticache.one(HEROKU_CONFIG)
    app = heroku_state_after(elasticache)
    assert app.owner("REDIS_URL") == association.urn
    assert app.value("REDIS_URL") == elasticache.outputs["redisUrl"].value


def test_one_step_from_key_value_store_to_elasticache_wedges(key_value_store, elasticache):
    """Why there are two steps: Heroku refuses the write, and the add-on is then never deleted."""
    outcomes = play(key_value_store, elasticache)
    assert outcomes and all(outcome.refused == "Cannot overwrite attachment values REDIS_URL." for outcome in outcomes)
    for outcome in outcomes:
        assert outcome.refused_step == "update heroku-vars"
        assert not [step for step in outcome.order if step.startswith("delete")], "the update stops before deletes"
        assert outcome.app.owner("REDIS_URL") == redis_addons(key_value_store)[0].urn, "so a rerun fails the same way"


def test_step_1_builds_elasticache_and_drops_the_add_on_without_writing_redis_url(key_value_store, elasticache_step_1):
    assert elasticache_step_1.one(REPLICATION_GROUP)
    assert not redis_addons(elasticache_step_1)
    assert "REDIS_URL" not in elasticache_step_1.one(HEROKU_CONFIG).inputs["sensitiveVars"]
    assert elasticache_step_1.outputs["redisUrl"].secret, "the URL is ready for step 2"
    outcomes = play(key_value_store, elasticache_step_1)
    assert outcomes and all(outcome.refused is None for outcome in outcomes)
    for outcome in outcomes:
        assert outcome.order[-1] == "delete cache-addon"
        assert outcome.app.owner("REDIS_URL") is None, "until step 2 the app has no REDIS_URL (README: the gap)"


def test_step_2_hands_redis_url_to_elasticache(elasticache_step_1, elasticache):
    outcomes = play(elasticache_step_1, elasticache)
    assert outcomes and all(outcome.refused is None for outcome in outcomes)
    for outcome in outcomes:
        assert outcome.order == ("update heroku-vars",)
        assert outcome.app.owner("REDIS_URL") == elasticache.one(HEROKU_CONFIG).urn
        assert outcome.app.value("REDIS_URL") == elasticache.outputs["redisUrl"].value


def test_the_two_steps_also_recover_a_stack_wedged_by_a_one_step_switch(
    key_value_store, elasticache, elasticache_step_1
):
    """A failed one-step switch left Heroku as it was (the add-on owns REDIS_URL): step 1 then works."""
    (wedged,) = {outcome.app.owner("REDIS_URL") for outcome in play(key_value_store, elasticache)}
    assert wedged == redis_addons(key_value_store)[0].urn
    assert all(outcome.refused is None for outcome in play(key_value_store, elasticache_step_1))


def test_elasticache_to_key_value_store_is_one_ordered_step(elasticache, key_value_store):
    (addon,) = redis_addons(key_value_store)
    assert key_value_store.one(HEROKU_CONFIG).urn in addon.depends_on
    outcomes = play(elasticache, key_value_store)
    assert outcomes and all(outcome.refused is None for outcome in outcomes)
    for outcome in outcomes:
        assert outcome.order.index("update heroku-vars") < outcome.order.index("create cache-addon")
        assert outcome.app.owner("REDIS_URL") == addon.urn


def test_without_that_order_the_add_on_may_come_first_and_be_refused(elasticache, key_value_store):
    """The program before the fix: nothing ordered the add-on against the removal of REDIS_URL."""
    association = key_value_store.one(HEROKU_CONFIG).urn
    unordered = dataclasses.replace(
        key_value_store,
        resources=[
            dataclasses.replace(resource, depends_on=tuple(urn for urn in resource.depends_on if urn != association))
            if resource.type == HEROKU_ADDON
            else resource
            for resource in key_value_store.resources
        ],
    )
    outcomes = play(elasticache, unordered)
    assert {outcome.refused for outcome in outcomes} == {
        None,
        "REDIS_URL is already set on the app; the add-on cannot take it.",
    }


def test_step_1_setting_is_refused_outside_a_switch(runs):
    for result in (runs["step-1-without-elasticache"], runs["step-1-without-app"]):
        assert result.error_type == "ConfigError" and "elasticacheSetsRedisUrl" in result.error
        assert result.resources == []
