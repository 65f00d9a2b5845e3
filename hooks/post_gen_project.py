"""Finish a generated project: local secrets, the infra copy, and files of disabled options."""

import json
import secrets
import shutil
from pathlib import Path

PROJECT = Path.cwd()

UPLOAD_FILES = (
    "app/controllers/UploadController.py",
    "app/uploads",
    "templates/uploads.html",
    "storage/public/js/uploads.js",
    "tests/test_uploads.py",
)
INFRA_IGNORED = shutil.ignore_patterns("venv", ".venv", "__pycache__", "*.pyc", "Pulumi.*.yaml")


def generate_app_key():
    """64 hex characters: accepted by the app, and safe in any shell or env file."""
    return secrets.token_hex(32)


def write_local_env(app_key):
    """Development settings for `make dev`; never deployed (.gitignore, .slugignore)."""
    example = (PROJECT / ".env.example").read_text()
    env = example.replace("APP_KEY=", f"APP_KEY={app_key}", 1)
    (PROJECT / ".env").write_text(env)


def remove_upload_example():
    for relative in UPLOAD_FILES:
        path = PROJECT / relative
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def copy_infra(repo_dir, project_slug):
    """Give the project its own copy of the Pulumi program, named after the project."""
    source = Path(repo_dir) / "infra"
    target = PROJECT / "infra"
    shutil.copytree(source, target, ignore=INFRA_IGNORED)
    pulumi_yaml = target / "Pulumi.yaml"
    lines = pulumi_yaml.read_text().splitlines(keepends=True)
    lines[0] = f"name: {project_slug}\n"
    pulumi_yaml.write_text("".join(lines))


def main():
    answers = json.loads(r"""{{ cookiecutter | jsonify }}""")
    write_local_env(generate_app_key())
    copy_infra(answers["_repo_dir"], answers["project_slug"])
    if answers["include_example_uploads"] != "y":
        remove_upload_example()


if __name__ == "__main__":
    main()
