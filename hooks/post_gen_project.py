"""Finish a generated project: local secrets, the infra copy, and files of disabled options."""

import json
import os
import re
import secrets
import shutil
import subprocess
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


def template_directory(repo_dir):
    """The template checkout; a relative path is relative to where cookiecutter was run."""
    path = Path(repo_dir)
    if not path.is_absolute():
        path = Path(os.environ.get("PWD", "")) / path
    if not (path / "infra" / "Pulumi.yaml").is_file():
        raise SystemExit(
            f"cannot find the template's infra/ in {path}: run cookiecutter with an absolute template path"
        )
    return path


def copy_infra(repo_dir, project_slug):
    """Give the project its own copy of the Pulumi program, named after the project."""
    source = Path(repo_dir) / "infra"
    target = PROJECT / "infra"
    shutil.copytree(source, target, ignore=INFRA_IGNORED)
    pulumi_yaml = target / "Pulumi.yaml"
    lines = pulumi_yaml.read_text().splitlines(keepends=True)
    lines[0] = f"name: {project_slug}\n"
    pulumi_yaml.write_text("".join(lines))


def record_template(answers):
    """Write .cruft.json: the template, its commit and the answers, so `cruft update` works.

    When cruft itself renders the project (`cruft create`, `cruft update`) it writes
    this file, so nothing is written here. `.env` holds local secrets: updates skip it.
    """
    if "_commit" in answers:
        return

    def git(*args):
        try:
            result = subprocess.run(["git", "-C", answers["_repo_dir"], *args], capture_output=True, text=True)
        except OSError:  # no git here: the answers are still worth keeping
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    # A local template is recorded by its path; one cloned from a URL, by its remote.
    template = answers["_template"]
    if Path(template).is_dir():
        template = str(Path(template).resolve())
    else:
        template = git("remote", "get-url", "origin") or template
    commit = git("rev-parse", "HEAD")
    context = {key: value for key, value in answers.items() if not key.startswith("_")}
    context.update(_template=template, _commit=commit)
    record = {
        "template": template,
        "commit": commit,
        "checkout": None,
        "context": {"cookiecutter": context},
        "directory": None,
        # Local secrets, and the Pulumi program (copied from the template's infra/, not rendered).
        "skip": [".env", "infra"],
    }
    (PROJECT / ".cruft.json").write_text(json.dumps(record, indent=2) + "\n")


def set_infra_defaults(answers):
    """Make the project's `pulumi up` match its answers: region, Redis, Heroku app, bucket."""
    pulumi_yaml = PROJECT / "infra" / "Pulumi.yaml"
    text = pulumi_yaml.read_text()
    defaults = {
        "aws:region": answers["aws_region"],
        "redisProvider": answers["redis_provider"],
        "herokuApp": answers["heroku_app_name"],
        "manageHerokuApp": "true",
        "herokuPostgresPlan": "heroku-postgresql:essential-0",
        "bucketName": answers["s3_bucket_name"],
    }
    for key, value in defaults.items():
        text = set_config_default(text, key, value)
    pulumi_yaml.write_text(text)


def set_config_default(text, key, value):
    """Replace the `default:` (or `value:`) line of one key under Pulumi.yaml's `config:`."""
    pattern = re.compile(rf"(^  {re.escape(key)}:\n(?:    (?!default:|value:).*\n)*    (?:default|value): ).*$", re.M)
    rendered = value if value in ("true", "false") else json.dumps(value)
    text, count = pattern.subn(lambda match: match.group(1) + rendered, text, count=1)
    if count != 1:
        raise SystemExit(f"infra/Pulumi.yaml has no default for {key}")
    return text


def main():
    answers = json.loads(r"""{{ cookiecutter | jsonify }}""")
    write_local_env(generate_app_key())
    # cruft renders without `_repo_dir`; infra/ is then left to the project (see record_template).
    if "_repo_dir" in answers:
        copy_infra(template_directory(answers["_repo_dir"]), answers["project_slug"])
        set_infra_defaults(answers)
    if answers["include_example_uploads"] != "y":
        remove_upload_example()
    record_template(answers)


if __name__ == "__main__":
    main()
