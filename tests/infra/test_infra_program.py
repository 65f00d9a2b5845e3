"""The Pulumi program under mocks: every scenario provisions a safe bucket, a scoped user, Redis and the app's vars."""

from __future__ import annotations

import pytest

from tests.infra import program_checks as checks
from tests.infra.program_harness import (
    CACHE_SUBNET_GROUP,
    HEROKU_CONFIG,
    MOCK_CONFIGURED_VPC_CIDR,
    MOCK_DEFAULT_SUBNET_IDS,
    MOCK_DEFAULT_VPC_CIDR,
    MOCK_DEFAULT_VPC_ID,
    MOCK_SECURITY_GROUP_ID,
    RANDOM_ID,
    REPLICATION_GROUP,
    SECURITY_GROUP,
    run_program,
)

SCENARIO_NAMES = sorted(checks.SCENARIOS)


@pytest.fixture(params=SCENARIO_NAMES)
def run(request, scenario_runs):
    result = scenario_runs[request.param]
    result.raise_error()
    return result


@pytest.mark.parametrize(
    "check", checks.CHECKS_WITHOUT_ARGUMENTS, ids=lambda check: check.__name__.removeprefix("check_")
)
def test_scenario(run, check):
    check(run)


def test_bucket_name(run, infra_config):
    checks.check_bucket_name(run, infra_config.s3_bucket_name_problem)


def test_iam_scoped_to_the_bucket(run, access_policies):
    checks.check_iam_scoped_to_bucket(run, access_policies.app_user_policy_document)


def test_check_everything_accepts_the_default_scenario(scenario_runs, infra_dir):
    checks.check_everything(scenario_runs["key-value-store+heroku"], infra_dir)


def test_key_value_store_without_heroku_app_stops_before_any_resource(infra_dir):
    result = run_program(infra_dir, checks.BASELINE)
    assert result.error_type == "ConfigError"
    assert "herokuApp" in result.error
    assert "pulumi config set herokuApp" in result.error
    assert result.resources == []
    assert result.invokes == []


def test_bad_config_leaves_nothing_behind(infra_dir):
    result = run_program(
        infra_dir,
        {"herokuApp": "demo-app", "redisProvider": "memcached", "corsOrigins": ["*"], "retainBucketOnDelete": "maybe"},
    )
    assert result.error_type == "ConfigError"
    for fragment in (
        "redisProvider 'memcached'",
        "heroku-key-value-store, aws-elasticache",
        "corsOrigins entry '*'",
        "retainBucketOnDelete 'maybe'",
        "true, false",
    ):
        assert fragment in result.error
    assert result.resources == []


def test_elasticache_uses_the_default_vpc_when_nothing_is_configured(scenario_runs):
    """Without herokuApp (clients inside the VPC), the group admits the VPC's own CIDR."""
    run = scenario_runs["elasticache-only"]
    lookups = {i.token: i.args for i in run.invokes if i.token.startswith("aws:ec2/")}
    assert lookups == {
        "aws:ec2/getVpc:getVpc": {"default": True},
        "aws:ec2/getSubnets:getSubnets": {"filters": [{"name": "vpc-id", "values": [MOCK_DEFAULT_VPC_ID]}]},
    }
    assert run.one(CACHE_SUBNET_GROUP).inputs["subnetIds"] == list(MOCK_DEFAULT_SUBNET_IDS)
    group = run.one(SECURITY_GROUP)
    assert group.inputs["vpcId"] == MOCK_DEFAULT_VPC_ID
    (ingress,) = group.inputs["ingress"]
    assert (ingress["fromPort"], ingress["toPort"], ingress["protocol"]) == (6379, 6379, "tcp")
    assert ingress["cidrBlocks"] == [MOCK_DEFAULT_VPC_CIDR]
    assert group.inputs["egress"] == []
    assert run.one(REPLICATION_GROUP).inputs["securityGroupIds"] == [MOCK_SECURITY_GROUP_ID]


def test_elasticache_uses_configured_subnets_and_groups_without_lookups(scenario_runs):
    run = scenario_runs["elasticache+configured-network"]
    assert not [i for i in run.invokes if i.token.startswith("aws:ec2/")]
    assert not run.of_type(SECURITY_GROUP)
    assert run.one(CACHE_SUBNET_GROUP).inputs["subnetIds"] == checks.CONFIGURED_SUBNETS
    group = run.one(REPLICATION_GROUP)
    assert group.inputs["securityGroupIds"] == checks.CONFIGURED_SECURITY_GROUPS
    assert group.inputs["multiAzEnabled"] is True


def test_elasticache_in_a_configured_vpc_admits_the_configured_cidrs(scenario_runs):
    run = scenario_runs["elasticache+configured-vpc"]
    lookups = [i.args for i in run.invokes if i.token == "aws:ec2/getVpc:getVpc"]
    assert lookups == [{"id": checks.CONFIGURED_VPC}]
    group = run.one(SECURITY_GROUP)
    assert group.inputs["vpcId"] == checks.CONFIGURED_VPC
    assert group.inputs["ingress"][0]["cidrBlocks"] == ["10.1.0.0/16"]
    assert MOCK_CONFIGURED_VPC_CIDR not in str(group.inputs)


def test_elasticache_without_heroku_app_touches_no_heroku_resource(scenario_runs):
    run = scenario_runs["elasticache-only"]
    assert not [r for r in run.resources if r.type.startswith("heroku:")]
    assert not run.of_type(HEROKU_CONFIG)
    assert run.outputs["redisUrl"].secret


def test_named_bucket_needs_no_random_suffix(scenario_runs):
    assert not scenario_runs["kms+named-bucket+origins"].of_type(RANDOM_ID)
    assert scenario_runs["key-value-store+heroku"].of_type(RANDOM_ID)


def test_component_resources_parent_every_resource(run):
    """Each concern is a ComponentResource; no cloud resource hangs off the stack directly."""
    components = {r.urn for r in run.resources if not r.custom}
    assert components, "the program registers no ComponentResource"
    orphans = [r.name for r in run.custom_resources() if r.parent not in components]
    assert not orphans, f"resources outside any component: {orphans}"
