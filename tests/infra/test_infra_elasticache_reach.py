"""ElastiCache has no public endpoint: a setup no dyno can reach fails validation, naming the missing setting.

Before, `aws-elasticache` with a `herokuApp` and default networking opened 6379 to
the VPC's own CIDR only (where no dyno is) and just warned. Now the program stops
before registering anything, and says which setting is missing.
"""

from __future__ import annotations

import pytest

from tests.infra import program_checks as checks
from tests.infra.program_harness import SECURITY_GROUP, run_programs

ELASTICACHE = {"herokuApp": checks.HEROKU_APP_NAME, "redisProvider": "aws-elasticache"}
IN_A_SPACE = {checks.HEROKU_APP_NAME: {"space": checks.PRIVATE_SPACE}}


UNREACHABLE = {
    "default-networking": ({}, IN_A_SPACE, "needs elasticacheAllowedCidrs"),
    "vpc-without-cidrs": ({"elasticacheVpcId": checks.CONFIGURED_VPC}, IN_A_SPACE, "needs elasticacheAllowedCidrs"),
    "managed-app-without-space": (
        {"manageHerokuApp": True, "elasticacheAllowedCidrs": [checks.PRIVATE_SPACE_CIDR]},
        {},
        "needs herokuSpace",
    ),
    "app-outside-a-space": (
        {"elasticacheAllowedCidrs": [checks.PRIVATE_SPACE_CIDR]},
        None,
        "runs on the Common Runtime",
    ),
    "public-cidr": ({"elasticacheAllowedCidrs": ["52.95.0.0/16"]}, IN_A_SPACE, "is a public range"),
}


OWN_GROUPS = {
    "elasticacheSecurityGroupIds": checks.CONFIGURED_SECURITY_GROUPS,
    "elasticacheVpcId": checks.CONFIGURED_VPC,
}


@pytest.fixture(scope="module")
def unreachable(infra_dir):
    return run_programs(
        {
            **{
                label: {"config": {**ELASTICACHE, **config}, "heroku_apps": heroku_apps}
                for label, (config, heroku_apps, _) in UNREACHABLE.items()
            },
            "own-groups": {"config": {**ELASTICACHE, **OWN_GROUPS}, "heroku_apps": IN_A_SPACE},
        },
        infra_dir,
    )


@pytest.mark.parametrize("label", UNREACHABLE)
def test_an_unreachable_setup_stops_before_anything_is_registered(unreachable, label):
    result = unreachable[label]
    missing = UNREACHABLE[label][2]
    assert result.error_type == "ConfigError" and missing in result.error, result.error
    assert result.resources == []
    assert not [i for i in result.invokes if not i.token.startswith("heroku:app/getApp")]


def test_the_peered_private_space_is_admitted(scenario_runs):
    run = scenario_runs["elasticache+heroku"]
    (ingress,) = run.one(SECURITY_GROUP).inputs["ingress"]
    assert ingress["cidrBlocks"] == [checks.PRIVATE_SPACE_CIDR]
    assert not run.warnings(), "before: a warning, and REDIS_URL pointed at an unreachable endpoint"


def test_own_security_groups_are_trusted_to_admit_the_space(unreachable):
    result = unreachable["own-groups"]
    result.raise_error()
    assert not result.of_type(SECURITY_GROUP)


def test_clients_inside_the_vpc_need_no_cidrs(scenario_runs):
    run = scenario_runs["elasticache-only"]
    (ingress,) = run.one(SECURITY_GROUP).inputs["ingress"]
    assert ingress["cidrBlocks"] == ["172.31.0.0/16"]
