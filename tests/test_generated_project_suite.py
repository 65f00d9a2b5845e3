"""A generated project passes its own checks: its test suite, ruff, and a CI workflow that runs both.

For the default answers and one non-default set, the project is installed in a fresh venv from
its own requirements-dev.txt and checked with its own `make test` and `make lint`.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.support.baking import bake
from tests.support.project_venv import build_venv

ANSWER_SETS = {
    "defaults": {},
    "py311-elasticache-no-uploads": {
        "python_version": "3.11",
        "redis_provider": "aws-elasticache",
        "include_example_uploads": "n",
    },
}
SUITE_TIME_LIMIT = 600  # seconds; the budget on 2 cores


@pytest.fixture(scope="module", params=list(ANSWER_SETS))
def project(request, tmp_path_factory) -> Path:
    return bake(tmp_path_factory.mktemp(request.param), **ANSWER_SETS[request.param])


@pytest.fixture(scope="module")
def project_venv(project) -> Path:
    """The project's .venv, where its Makefile looks for it, from requirements-dev.txt."""
    return build_venv(project, requirements="requirements-dev.txt")


def make(project: Path, target: str) -> subprocess.CompletedProcess:
    # The outer pytest's, venv's and make's variables must not leak into the project's own run.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "VIRTUAL_ENV")) and key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")
    }
    return subprocess.run(
        ["make", target], cwd=project, env=env, capture_output=True, text=True, timeout=SUITE_TIME_LIMIT, check=False
    )


def test_make_test_passes_with_nothing_skipped(project, project_venv):
    started = time.monotonic()
    result = make(project, "test")
    elapsed = time.monotonic() - started

    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    summary = [line for line in result.stdout.splitlines() if re.fullmatch(r"=+ .* =+", line)][-1]
    # Only passes (and warnings): nothing skipped, xfailed, deselected or in error.
    assert re.fullmatch(r"=+ \d+ passed(, \d+ warnings?)? in [\d.]+s( \([\d:]+\))? =+", summary), summary
    print(f"\n[{project.name}] make test: {summary.strip('= ')}, {elapsed:.0f} s in all")


def test_make_lint_passes(project, project_venv):
    result = make(project, "lint")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ruff format --check" in result.stdout


def test_ci_runs_lint_and_tests_on_push_and_pull_request(project):
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())

    # YAML 1.1 reads a bare `on` key as True.
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request"} <= set(triggers)
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("ruff check" in command for command in commands)
    assert any("ruff format --check" in command for command in commands)
    assert any(re.search(r"\bmake test\b", command) for command in commands)


def test_pre_commit_runs_the_pinned_ruff(project):
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    ruff_pin = re.search(r"^ruff==(\S+)$", (project / "requirements-dev.txt").read_text(), re.MULTILINE).group(1)

    (ruff_repo,) = [repo for repo in config["repos"] if repo["repo"].endswith("/ruff-pre-commit")]
    assert ruff_repo["rev"] == f"v{ruff_pin}"
    assert {hook["id"] for hook in ruff_repo["hooks"]} == {"ruff-check", "ruff-format"}
