"""A generated project records its template and answers, and takes later template versions with cruft."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter
from cruft import check, update

from tests.support.baking import PROJECT_TEMPLATE, TEMPLATE_DIR, bake
from tests.support.template_repo import commit_all, git, make_template_repo

LOCAL_ERROR_CLASS = """

class Conflict(HttpError):
    status = 409
    public_message = "That conflicts with the current state."
"""


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def prepend(path: Path, text: str) -> None:
    path.write_text(text + path.read_text())


@pytest.fixture
def template_repo(tmp_path) -> Path:
    return make_template_repo(tmp_path / "template")


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


def test_a_project_takes_a_later_template_commit_cleanly(template_repo, tmp_path):
    project = Path(cookiecutter(str(template_repo), no_input=True, output_dir=str(tmp_path / "projects")))
    first_commit = json.loads((project / ".cruft.json").read_text())["commit"]
    local_env = (project / ".env").read_text()
    git("init", "-q", "-b", "main", cwd=project)
    commit_all(project, "Generated")
    append(project / "routes" / "web.py", "\n# A note of the project's own.\n")
    append(project / "production_layer" / "http_errors.py", LOCAL_ERROR_CLASS)
    append(project / "infra" / "naming.py", "\n# Our own naming note.\n")
    commit_all(project, "Our own change")

    later = template_repo / PROJECT_TEMPLATE.name
    append(later / "README.md", "\n## Added by a later template version\n")
    (later / "CHANGES.md").write_text("# Changes\n")
    append(later / "infra" / "README.md", "\n## Added to infra by a later template version\n")
    version = later / "production_layer" / "__init__.py"
    version.write_text(version.read_text().replace('__version__ = "', '__version__ = "9.'))
    prepend(later / "production_layer" / "drivers" / "safe_paths.py", "# Changed by a later template version.\n")
    later_commit = commit_all(template_repo, "Template, later version")
    assert not check(project)

    assert update(project, skip_apply_ask=True)

    assert "## Added by a later template version" in (project / "README.md").read_text()
    assert (project / "CHANGES.md").read_text() == "# Changes\n"
    assert "# A note of the project's own." in (project / "routes" / "web.py").read_text()
    assert "## Added to infra by a later template version" in (project / "infra" / "README.md").read_text()
    assert "# Our own naming note." in (project / "infra" / "naming.py").read_text()
    assert '__version__ = "9.' in (project / "production_layer" / "__init__.py").read_text()
    assert (project / "production_layer" / "drivers" / "safe_paths.py").read_text().startswith("# Changed by a later")
    assert LOCAL_ERROR_CLASS in (project / "production_layer" / "http_errors.py").read_text()
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
    assert (project / "infra" / "Pulumi.yaml").read_text().startswith(f"name: {project.name}\n")
