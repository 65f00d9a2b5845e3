"""Every documented way to generate a project gives the same complete project, `infra/` included.

The template is committed to a throwaway git repository first, so that git URLs, zip files and
cruft see exactly the files on disk. Each method generates the default answers; the projects must
match file for file (except `.env`, which holds a fresh APP_KEY, and `.cruft.json`, which records
where the template came from).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from tests.support.template_repo import git, make_template_repo

SLUG = "my-masonite-app"
RECORDS = {".env", ".cruft.json"}
METHODS = (
    "absolute path",
    "relative path",
    "relative path, no PWD",
    "git URL",
    "zip file",
    "cruft create",
    "Python API",
)


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory) -> Path:
    return make_template_repo(tmp_path_factory.mktemp("sources") / "cookiecutter-masonite-heroku")


@pytest.fixture(scope="module")
def cookiecutter_config(tmp_path_factory) -> Path:
    """Clones and unzipped templates go to a temporary directory, not the user's ~/.cookiecutters."""
    home = tmp_path_factory.mktemp("cookiecutter-home")
    config = home / "config.yaml"
    config.write_text(f"cookiecutters_dir: {home / 'templates'}\nreplay_dir: {home / 'replay'}\n")
    return config


def cli(args: list[str], cwd: Path, config: Path, drop_pwd: bool = False) -> None:
    env = {**os.environ, "COOKIECUTTER_CONFIG": str(config), "PWD": str(cwd)}
    if drop_pwd:
        del env["PWD"]
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]


def generate(method: str, template: Path, out: Path, config: Path) -> Path:
    out.mkdir(parents=True)
    cookiecutter_cli = [sys.executable, "-m", "cookiecutter", "--no-input"]
    if method == "absolute path":
        cli([*cookiecutter_cli, "-o", str(out), str(template)], cwd=out, config=config)
    elif method == "relative path":
        cli([*cookiecutter_cli, os.path.relpath(template, out)], cwd=out, config=config)
    elif method == "relative path, no PWD":
        cli([*cookiecutter_cli, os.path.relpath(template, out)], cwd=out, config=config, drop_pwd=True)
    elif method == "git URL":
        bare = template.parent / f"{template.name}.git"
        if not bare.exists():
            git("clone", "-q", "--bare", str(template), str(bare), cwd=template.parent)
        cli([*cookiecutter_cli, "-o", str(out), bare.as_uri()], cwd=out, config=config)
    elif method == "zip file":
        archive = template.parent / f"{template.name}.zip"
        git("archive", "--format=zip", f"--prefix={template.name}/", "-o", str(archive), "HEAD", cwd=template)
        cli([*cookiecutter_cli, "-o", str(out), str(archive)], cwd=out, config=config)
    elif method == "cruft create":
        cruft = Path(sys.executable).parent / "cruft"
        cli([str(cruft), "create", "--no-input", "--output-dir", str(out), str(template)], cwd=out, config=config)
    elif method == "Python API":
        cookiecutter(str(template), no_input=True, output_dir=str(out), config_file=str(config))
    return out / SLUG


def snapshot(project: Path) -> dict[str, str]:
    return {
        str(path.relative_to(project)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(project.rglob("*"))
        if path.is_file() and path.name not in RECORDS
    }


@pytest.fixture(scope="module")
def projects(template_repo, cookiecutter_config, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("generated")
    return {
        method: generate(method, template_repo, out / f"method-{number}", cookiecutter_config)
        for number, method in enumerate(METHODS)
    }


def test_the_reference_project_is_complete(projects):
    reference = projects["absolute path"]
    assert (reference / "infra" / "Pulumi.yaml").read_text().startswith(f"name: {SLUG}\n")
    assert (reference / "infra" / "policy" / "policies.py").is_file()
    assert (reference / "production_layer" / "README.md").is_file()
    assert (reference / "app" / "controllers" / "UploadController.py").is_file()
    assert not [path for path in reference.rglob("*") if path.name in {"__pycache__", "venv", ".ruff_cache"}]


@pytest.mark.parametrize("method", METHODS[1:])
def test_every_method_gives_the_same_project(projects, method):
    reference, project = snapshot(projects["absolute path"]), snapshot(projects[method])
    assert sorted(set(reference) ^ set(project)) == []
    assert [name for name in reference if reference[name] != project[name]] == []


@pytest.mark.parametrize("method", [m for m in METHODS if m != "zip file"])
def test_every_project_records_a_template_cruft_can_update_from(projects, template_repo, method):
    record = json.loads((projects[method] / ".cruft.json").read_text())
    head = git("rev-parse", "HEAD", cwd=template_repo)
    assert record["commit"] == head
    template = record["template"]
    if template.startswith("file://"):
        assert git("ls-remote", template, "HEAD", cwd=template_repo).startswith(head)
    else:
        assert Path(template).resolve() == template_repo.resolve()
    assert (projects[method] / ".env").read_text().count("APP_KEY=") == 1
    assert 'skip = [".env"]' in (projects[method] / "pyproject.toml").read_text(), "cruft update skips .env"
