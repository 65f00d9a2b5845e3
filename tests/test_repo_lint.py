"""The template's own code follows the same lint rules it asks of generated projects."""

import subprocess
import sys

from tests.support.baking import TEMPLATE_DIR


def test_hooks_infra_and_tests_pass_ruff():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "hooks", "infra", "tests"],
        cwd=TEMPLATE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
