"""A throwaway git repository holding this template as it is on disk, for generating projects
the ways users do (paths, git URLs, zip files, cruft) and for template updates."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.support.baking import PROJECT_TEMPLATE, TEMPLATE_DIR

# What cookiecutter reads from the template repository; the rest (tests, CI) is the template's own.
TEMPLATE_PARTS = ("cookiecutter.json", "hooks", PROJECT_TEMPLATE.name)
IGNORED = shutil.ignore_patterns(
    ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache", "Pulumi.*.yaml", "node_modules"
)
# Commits work the same on any machine: no user git config, a fixed author.
GIT_IDENTITY = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Template Test",
    "GIT_AUTHOR_EMAIL": "template-test@example.com",
    "GIT_COMMITTER_NAME": "Template Test",
    "GIT_COMMITTER_EMAIL": "template-test@example.com",
}


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, **GIT_IDENTITY, "GIT_CONFIG_GLOBAL": os.devnull}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", message, cwd=repo)
    return git("rev-parse", "HEAD", cwd=repo)


def make_template_repo(repo: Path) -> Path:
    """Copy the template's parts into `repo`, make it a git repository and commit them."""
    repo.mkdir(parents=True)
    for part in TEMPLATE_PARTS:
        source = TEMPLATE_DIR / part
        if source.is_dir():
            shutil.copytree(source, repo / part, ignore=IGNORED)
        else:
            shutil.copy2(source, repo / part)
    git("init", "-q", "-b", "main", cwd=repo)
    commit_all(repo, "Template, first version")
    return repo
