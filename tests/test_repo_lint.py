"""The template's own code follows the same lint rules it asks of generated projects."""

import subprocess
import sys

from tests.support.baking import TEMPLATE_DIR


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "hooks", "infra", "tests"],
        cwd=TEMPLATE_DIR,
        capture_output=True,
        text=True,
    )


def test_hooks_infra_and_tests_pass_ruff():
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_hooks_infra_and_tests_are_formatted():
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
