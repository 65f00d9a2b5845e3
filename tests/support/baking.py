"""Bake the template with cookiecutter, the way a user would."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE_DIR = Path(__file__).resolve().parents[2]
PROJECT_TEMPLATE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"

OPTIONS = {
    "python_version": ["3.13", "3.12", "3.11"],
    "redis_provider": ["heroku-key-value-store", "aws-elasticache"],
    "include_example_uploads": ["y", "n"],
}


def all_combinations() -> list[dict]:
    names = list(OPTIONS)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*OPTIONS.values())]


def combination_id(answers: dict) -> str:
    return "-".join(f"{value}" for value in answers.values())


def bake(output_dir: Path, **answers) -> Path:
    """Generate a project with default answers overridden by ``answers``; returns its directory."""
    return Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, extra_context=answers, output_dir=str(output_dir)))


def bake_cli(output_dir: Path, **answers) -> subprocess.CompletedProcess:
    """Bake through the command line, capturing what the user would see."""
    args = [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(output_dir), str(TEMPLATE_DIR)]
    args += [f"{key}={value}" for key, value in answers.items()]
    return subprocess.run(args, capture_output=True, text=True, timeout=120)
