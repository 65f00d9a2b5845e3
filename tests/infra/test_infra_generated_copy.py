"""A generated project's `infra/`: named after the project, defaults from its answers,
and held to every check the template's own program passes."""

import re

import pytest

from tests.infra.program_checks import (
    PRIVATE_SPACE,
    PRIVATE_SPACE_CIDR,
    check_everything,
    run_scenarios,
)
from tests.infra.program_harness import MOCK_SPACE_REGION, project_config_schema, project_name, run_program
from tests.support.baking import bake

ANSWER_SETS = {
    "defaults": {},
    "elasticache-eu-named-bucket": {
        "project_name": "Shop Front",
        "redis_provider": "aws-elasticache",
        "aws_region": "eu-west-1",
        "s3_bucket_name": "shop-front-uploads",
        "heroku_app_name": "shop-front-prod",
    },
}


@pytest.fixture(scope="module", params=list(ANSWER_SETS), ids=list(ANSWER_SETS))
def generated(request, tmp_path_factory):
    answers = ANSWER_SETS[request.param]
    return answers, bake(tmp_path_factory.mktemp("infra-copy"), **answers)


def test_the_pulumi_project_is_named_after_the_slug(generated):
    _, project = generated
    assert project_name(project / "infra") == project.name


def test_stack_defaults_follow_the_answers(generated):
    answers, project = generated
    schema = project_config_schema(project / "infra")
    assert schema["aws:region"]["value"] == answers.get("aws_region", "us-east-1")
    assert schema["redisProvider"]["default"] == answers.get("redis_provider", "heroku-key-value-store")
    assert schema["herokuApp"]["default"] == answers.get("heroku_app_name", project.name)
    assert schema["bucketName"]["default"] == answers.get("s3_bucket_name", "")
    assert schema["manageHerokuApp"]["default"] is True


def test_the_copy_passes_every_check_of_the_template_program(generated):
    _, project = generated
    for run in run_scenarios(project / "infra").values():
        check_everything(run, project / "infra")


def test_the_copy_works_with_its_own_defaults(generated):
    """`pulumi up` with no stack settings at all: everything the answers implied.

    ElastiCache answers need the Private Space first (the generated README says so):
    without it, the program stops and names the missing settings.
    """
    answers, project = generated
    app = answers.get("heroku_app_name", project.name)
    settings = {}
    if answers.get("redis_provider") == "aws-elasticache":
        unreachable = run_program(project / "infra", {}, heroku_apps={})
        assert unreachable.error_type == "ConfigError" and unreachable.resources == []
        assert "herokuSpace" in unreachable.error and "elasticacheAllowedCidrs" in unreachable.error
        settings = readme_deploy_settings(project)
        assert set(settings) == {"herokuSpace", "elasticacheAllowedCidrs", "webDynoSize", "webConcurrency"}
    else:
        assert readme_deploy_settings(project) == {}
    in_space = {"space": PRIVATE_SPACE, "region": MOCK_SPACE_REGION} if settings else {}
    run = run_program(project / "infra", settings, heroku_apps={app: in_space})
    assert not run.warnings()
    check_everything(run, project / "infra")
    assert run.outputs["herokuGitUrl"].value


def readme_deploy_settings(project) -> dict:
    """The `pulumi config set` lines of the generated README's Deploy section, placeholders filled in."""
    readme = (project / "README.md").read_text()
    deploy = readme[readme.index("## Deploy") :]
    deploy = deploy[deploy.index("```bash") : deploy.index("```\n", deploy.index("```bash") + 7)]
    placeholders = {"<your-private-space>": PRIVATE_SPACE, "<the-space-cidr>": PRIVATE_SPACE_CIDR}
    settings: dict = {}
    for path, key, value in re.findall(r"pulumi config set (--path )?'?([A-Za-z]+)(?:\[0\])?'? (\S+)", deploy):
        value = placeholders.get(value, value)
        settings[key] = [value] if path else value
    return settings


def test_the_copy_carries_the_locks_and_the_way_to_rebuild_them(generated, infra_dir):
    _, project = generated
    for relative in (
        "requirements.in",
        "requirements.txt",
        "policy/requirements.in",
        "policy/requirements.txt",
        "relock.sh",
    ):
        assert (project / "infra" / relative).read_bytes() == (infra_dir / relative).read_bytes(), relative
    assert (project / "infra" / "relock.sh").stat().st_mode & 0o111, "relock.sh stays executable"
