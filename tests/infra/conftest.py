"""Fixtures for the infra tests.

`INFRA_DIR` selects the Pulumi program under test (default: the repo's
`infra/`), so the same tests can check a generated project's copy:

    INFRA_DIR=/tmp/baked/my_project/infra pytest tests/infra
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.infra.policy_harness import load_pack
from tests.infra.program_checks import run_scenarios
from tests.infra.program_harness import DEFAULT_INFRA_DIR, ProgramRun, load_infra_module


@pytest.fixture(scope="session")
def infra_dir() -> Path:
    path = Path(os.environ.get("INFRA_DIR") or DEFAULT_INFRA_DIR).resolve()
    assert (path / "Pulumi.yaml").exists(), f"no Pulumi program in {path}"
    return path


@pytest.fixture(scope="session")
def scenario_runs(infra_dir) -> dict[str, ProgramRun]:
    """Every scenario of `SCENARIOS`, each run once under mocks (in parallel child processes)."""
    return run_scenarios(infra_dir)


@pytest.fixture(scope="session")
def infra_config(infra_dir):
    """The program's own `config.py` (validation rules), imported by path."""
    return load_infra_module(infra_dir, "config")


@pytest.fixture(scope="session")
def access_policies(infra_dir):
    """The program's own `access_policies.py` (IAM and bucket policy documents)."""
    return load_infra_module(infra_dir, "access_policies")


@pytest.fixture(scope="session")
def pack(infra_dir):
    """The program's policy pack (`policy/policies.py`)."""
    return load_pack(infra_dir)


@pytest.fixture(scope="session")
def policies(pack):
    return {policy.name: policy for policy in pack.POLICIES}
