"""Fixtures for the infra tests.

`INFRA_DIR` selects the Pulumi program under test (default: the repo's
`infra/`), so the same tests can check a generated project's copy:

    INFRA_DIR=/tmp/baked/my_project/infra pytest tests/infra
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.infra.program_checks import SCENARIOS, SECRET_CONFIG_KEYS
from tests.infra.program_harness import (
    DEFAULT_INFRA_DIR,
    ProgramRun,
    load_infra_module,
    run_program,
)


@pytest.fixture(scope="session")
def infra_dir() -> Path:
    path = Path(os.environ.get("INFRA_DIR") or DEFAULT_INFRA_DIR).resolve()
    assert (path / "Pulumi.yaml").exists(), f"no Pulumi program in {path}"
    return path


@pytest.fixture(scope="session")
def scenario_runs(infra_dir) -> dict[str, ProgramRun]:
    """Every scenario of `SCENARIOS`, each run once under mocks (in parallel child processes)."""
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        futures = {
            name: pool.submit(run_program, infra_dir, config, secret_keys=SECRET_CONFIG_KEYS.get(name, ()))
            for name, config in SCENARIOS.items()
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="session")
def infra_config(infra_dir):
    """The program's own `config.py` (validation rules), imported by path."""
    return load_infra_module(infra_dir, "config")


@pytest.fixture(scope="session")
def access_policies(infra_dir):
    """The program's own `access_policies.py` (IAM and bucket policy documents)."""
    return load_infra_module(infra_dir, "access_policies")
