"""Physical names and replacement: a change that forces a replacement must not fail with "name taken".

* The IAM user has no fixed name: Pulumi autonames it and picks a new name for a
  replacement, which is created before the old user is deleted.
* A bucket of a throwaway stack (retainBucketOnDelete false) is deleted before it is
  replaced, so a fixed (or generated) name is free again for the new one. A kept bucket
  is never deleted: its replacement stays create-first, so that a name clash fails the
  update without the stack losing track of the bucket (README: new bucketName).
* Heroku cannot move an app: region and space apply at creation only, instead of a
  replacement that could neither take the app's name nor keep its database.
"""

from __future__ import annotations

import re

import pytest

from tests.infra import program_checks as checks
from tests.infra.program_harness import BUCKET, HEROKU_APP, IAM_USER, RANDOM_ID, run_programs

NAMED = {"herokuApp": checks.HEROKU_APP_NAME, "bucketName": "my-company-uploads"}
MANAGED_IN_EU = {"herokuApp": checks.HEROKU_APP_NAME, "manageHerokuApp": True, "herokuRegion": "eu"}


@pytest.fixture(scope="module")
def runs(infra_dir):
    return run_programs(
        {
            "kept": {"config": NAMED},
            "throwaway": {"config": {**NAMED, "retainBucketOnDelete": False}},
            "moved": {"config": MANAGED_IN_EU, "heroku_apps": {checks.HEROKU_APP_NAME: {"region": "us"}}},
            "fresh": {"config": MANAGED_IN_EU, "heroku_apps": {}},
            "stack-named": {"config": {"herokuApp": checks.HEROKU_APP_NAME}, "stack": "STACK"},
        },
        infra_dir,
    )


def test_the_iam_user_is_autonamed_under_a_stack_path(scenario_runs):
    run = scenario_runs["key-value-store+heroku"]
    user = run.one(IAM_USER)
    assert "name" not in user.inputs, "before: name=<project>-<stack>-uploads, which a replacement cannot reuse"
    assert user.inputs["path"] == f"/{run.project}-{run.stack}/"
    assert not user.delete_before_replace
    # The one name change an autonamed user sees (from the old fixed name) replaces it, key and policy too.
    assert user.replace_on_changes == ("name",)


def test_a_named_bucket_is_deleted_before_replacement_only_on_a_throwaway_stack(runs):
    kept, throwaway = runs["kept"].one(BUCKET), runs["throwaway"].one(BUCKET)
    assert kept.inputs["bucket"] == throwaway.inputs["bucket"] == "my-company-uploads"
    assert (kept.retain_on_delete, kept.delete_before_replace) == (True, False)
    assert (throwaway.retain_on_delete, throwaway.delete_before_replace) == (False, True)


def test_a_managed_app_keeps_its_region_and_space_and_says_so(runs):
    moved = runs["moved"]
    moved.raise_error()
    app = moved.one(HEROKU_APP)
    assert set(app.ignore_changes) == {"region", "space", "organization"} and app.retain_on_delete
    (warning,) = moved.warnings()
    assert "herokuRegion is 'eu'" in warning and "runs in 'us'" in warning and "new herokuApp" in warning
    fresh = runs["fresh"]
    assert fresh.one(HEROKU_APP).inputs["region"] == "eu" and not fresh.warnings()


def test_the_readme_replaces_the_suffix_the_program_registers(infra_dir, runs):
    """A kept bucket moves under a new name: the README's `pulumi up --replace` names the real RandomId."""
    readme = (infra_dir / "README.md").read_text()
    (documented,) = re.findall(r"pulumi up --replace '([^']+)'", readme)
    run = runs["stack-named"]
    (suffix,) = run.of_type(RANDOM_ID)
    assert documented.replace("<stack>", "STACK").replace("<project>", run.project) == suffix.urn.replace(
        "pulumi:pulumi:Stack$", ""
    )
    assert run.one(BUCKET).property_dependencies["bucket"] == (suffix.urn,), "a new suffix renames the bucket"
