"""Add-ons only where the stack manages them: no second paid database on an app that already has one.

A generated stack defaults `herokuPostgresPlan` to essential-0 and manages the app.
After `pulumi config set manageHerokuApp false` (an app made by `heroku create`, or
by app.json's Deploy button, with its own Postgres and Key-Value Store), the stack
attaches no add-on unless `manageHerokuAddons` says so, after the existing add-ons
are imported (README: "Adopting existing add-ons").
"""

from __future__ import annotations

import re

import pytest

from tests.infra import program_checks as checks
from tests.infra.program_harness import HEROKU_ADDON, HEROKU_APP, HEROKU_CONFIG, run_programs

GENERATED_DEFAULTS = {
    "herokuApp": checks.HEROKU_APP_NAME,
    "manageHerokuApp": True,
    "herokuPostgresPlan": "heroku-postgresql:essential-0",
}


@pytest.fixture(scope="module")
def runs(infra_dir):
    existing = {**GENERATED_DEFAULTS, "manageHerokuApp": False}
    return run_programs(
        {
            "managed": {"config": GENERATED_DEFAULTS},
            "existing": {"config": existing},
            "adopted": {"config": {**existing, "manageHerokuAddons": True}},
            "adopted-in-STACK": {"config": {**existing, "manageHerokuAddons": True}, "stack": "STACK"},
        },
        infra_dir,
    )


def plans(run) -> list[str]:
    run.raise_error()
    return sorted(addon.inputs["plan"] for addon in run.of_type(HEROKU_ADDON))


def test_a_managed_app_gets_postgres_and_the_key_value_store(runs):
    assert plans(runs["managed"]) == ["heroku-postgresql:essential-0", "heroku-redis:mini"]


def test_an_app_the_stack_does_not_manage_gets_no_add_on_by_default(runs):
    existing = runs["existing"]
    assert plans(existing) == [], "before: a second essential-0 database and a second Key-Value Store"
    assert not existing.of_type(HEROKU_APP)
    assert "REDIS_URL" not in existing.one(HEROKU_CONFIG).inputs["sensitiveVars"], "the app's own add-on sets it"


def test_adopted_add_ons_are_managed_on_request(runs):
    adopted = runs["adopted"]
    assert plans(adopted) == ["heroku-postgresql:essential-0", "heroku-redis:mini"]


@pytest.fixture(scope="module")
def import_commands(infra_dir) -> list[tuple[str, str, str]]:
    """(type, name, parent URN) of each `pulumi import` in the README's adoption section."""
    readme = (infra_dir / "README.md").read_text()
    section = readme[readme.index("### Adopting existing add-ons") :]
    section = section[: section.index("\n## ")]
    found = re.findall(r"pulumi import (heroku:addon/\S+) (\S+) \S+ --parent '[^=]+=([^']+)'", section)
    assert len(found) >= 2, "the README shows the import of the Postgres and Key-Value Store add-ons"
    return found


def test_the_readme_imports_add_ons_where_the_program_registers_them(runs, import_commands):
    run = runs["adopted-in-STACK"]
    # The mock monitor puts the root stack's type into its children's URNs; the engine does not.
    registered = {
        (addon.type, addon.name, addon.parent.replace("pulumi:pulumi:Stack$", ""))
        for addon in run.of_type(HEROKU_ADDON)
    }
    documented = {
        (type_, name, parent.replace("<stack>", "STACK").replace("<project>", run.project))
        for type_, name, parent in import_commands
    }
    assert documented == registered
