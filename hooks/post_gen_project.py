"""Finish a generated project: local secrets, infra defaults from the answers, files of disabled options."""

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
    "app/models/Upload.py",
    "app/uploads",
    "databases/migrations/2026_11_30_000000_create_uploads_table.py",
    "templates/uploads.html",
    "templates/uploads_list.html",
    "storage/public/js/uploads.js",
    "storage/public/css/uploads.css",
    "tests/test_uploads.py",
    "tests/test_upload_limits.py",
)


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


def remove_build_leftovers():
    """What a template developer's checkout may hold is no part of a new project:
    bytecode, virtualenvs, and Pulumi stack files (they hold the developer's stack secrets)."""
    for pattern in ("__pycache__", ".pytest_cache", ".ruff_cache", "venv", ".venv"):
        for path in sorted(PROJECT.rglob(pattern), reverse=True):
            if path.is_dir():
                shutil.rmtree(path)
    for path in [*PROJECT.rglob("*.pyc"), *(PROJECT / "infra").glob("Pulumi.*.yaml")]:
        path.unlink()


def name_infra_project(project_slug):
    """The Pulumi project is named after the project (stack state lives under that name)."""
    pulumi_yaml = PROJECT / "infra" / "Pulumi.yaml"
    lines = pulumi_yaml.read_text().splitlines(keepends=True)
    lines[0] = f"name: {project_slug}\n"
    pulumi_yaml.write_text("".join(lines))


def template_checkout(answers):
    """The template's directory as an absolute path, or None if it cannot be found.

    cookiecutter passes a local template's path as typed, which may be relative to the
    directory it ran in, while this hook runs inside the new project.
    """
    repo_dir = Path(answers["_repo_dir"])
    if repo_dir.is_absolute():
        return repo_dir
    # Where cookiecutter ran: the shell's PWD (unset on Windows), else the default output directory.
    candidates = [Path(base) / repo_dir for base in (os.environ.get("PWD"), answers.get("_output_dir")) if base]
    # On Linux, cookiecutter itself: it runs hooks from inside the template directory.
    candidates.append(Path(f"/proc/{os.getppid()}/cwd"))
    for candidate in candidates:
        if (candidate / "cookiecutter.json").is_file() and (candidate / "hooks").is_dir():
            return candidate.resolve()
    return None


def record_template(answers):
    """Write .cruft.json: the template, its commit and the answers, so `cruft update` works.

    When cruft itself renders the project (`cruft create`, `cruft update`) it writes
    this file, so nothing is written here. Updates skip `.env` (local secrets): see
    `[tool.cruft]` in pyproject.toml, which cruft reads however the project was made.
    """
    if "_commit" in answers:
        return
    checkout = template_checkout(answers)

    def git(*args):
        if checkout is None:
            return None
        try:
            result = subprocess.run(["git", "-C", str(checkout), *args], capture_output=True, text=True)
        except OSError:  # no git here: the answers are still worth keeping
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    # A local template is recorded by its absolute path; one cloned from a URL, by its remote.
    template = answers["_template"]
    if checkout is not None and answers["_template"] == answers["_repo_dir"]:
        template = str(checkout)
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
    remove_build_leftovers()
    name_infra_project(answers["project_slug"])
    set_infra_defaults(answers)
    if answers["include_example_uploads"] != "y":
        remove_upload_example()
    record_template(answers)


if __name__ == "__main__":
    main()
