"""A generated project records its template and answers, and takes later template versions with cruft."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter
from cruft import check, update

from tests.support.baking import PROJECT_TEMPLATE, TEMPLATE_DIR, bake

# What cookiecutter reads from the template repository; the rest (tests, CI) is the template's own.
TEMPLATE_PARTS = ("cookiecutter.json", "hooks", PROJECT_TEMPLATE.name)
IGNORED = shutil.ignore_patterns(".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache", "Pulumi.*.yaml")


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", message, cwd=repo)
    return git("rev-parse", "HEAD", cwd=repo)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


@pytest.fixture
def git_identity(monkeypatch, tmp_path):
    """Commits work the same on any machine: no user git config, a fixed author."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Template Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "template-test@example.com")


@pytest.fixture
def template_repo(tmp_path, git_identity) -> Path:
    """A throwaway git repository holding this template as it is on disk."""
    repo = tmp_path / "template"
    repo.mkdir()
    for part in TEMPLATE_PARTS:
        source = TEMPLATE_DIR / part
        if source.is_dir():
            shutil.copytree(source, repo / part, ignore=IGNORED)
        else:
            shutil.copy2(source, repo / part)
    git("init", "-q", "-b", "main", cwd=repo)
    commit_all(repo, "Template, first version")
    return repo


def test_a_project_records_its_template_and_answers(tmp_path):
    answers = {"project_name": "Record Keeper", "python_version": "3.12", "include_example_uploads": "n"}
    project = bake(tmp_path, **answers)

    record = json.loads((project / ".cruft.json").read_text())

    assert record["template"] == str(TEMPLATE_DIR)
    if (TEMPLATE_DIR / ".git").exists():
        assert record["commit"] == git("rev-parse", "HEAD", cwd=TEMPLATE_DIR)
    recorded = record["context"]["cookiecutter"]
    assert {key: recorded[key] for key in answers} == answers
    assert recorded["project_slug"] == "record-keeper"
    assert not {"_repo_dir", "_output_dir"} & set(recorded), "no paths of the machine that generated it"
    assert record["skip"] == [".env"]


def test_a_project_takes_a_later_template_commit_cleanly(template_repo, tmp_path):
    project = Path(cookiecutter(str(template_repo), no_input=True, output_dir=str(tmp_path / "projects")))
    first_commit = json.loads((project / ".cruft.json").read_text())["commit"]
    local_env = (project / ".env").read_text()
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Generated")
    append(project / "routes" / "web.py", "\n# A note of the project's own.\n")
    commit_all(project, "Our own change")

    append(template_repo / PROJECT_TEMPLATE.name / "README.md", "\n## Added by a later template version\n")
    (template_repo / PROJECT_TEMPLATE.name / "CHANGES.md").write_text("# Changes\n")
    later_commit = commit_all(template_repo, "Template, later version")
    assert not check(project)

    assert update(project, skip_apply_ask=True)

    assert "## Added by a later template version" in (project / "README.md").read_text()
    assert (project / "CHANGES.md").read_text() == "# Changes\n"
    assert "# A note of the project's own." in (project / "routes" / "web.py").read_text()
    record = json.loads((project / ".cruft.json").read_text())
    assert (first_commit, record["commit"]) == (git("rev-parse", "HEAD~1", cwd=template_repo), later_commit)
    assert record["context"]["cookiecutter"]["project_slug"] == project.name
    assert check(project)
    assert (project / ".env").read_text() == local_env, "local secrets are never touched"
    assert list(project.rglob("*.rej")) == []
    unmerged = git("diff", "--name-only", "--diff-filter=U", cwd=project)
    assert unmerged == ""
    changed = git("diff", "HEAD", "--name-only", cwd=project).splitlines()
    assert not [name for name in changed if "<<<<<<<" in (project / name).read_text(errors="replace")]
    assert (project / "infra" / "Pulumi.yaml").exists(), "the Pulumi program is still there"
