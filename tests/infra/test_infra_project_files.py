"""The files around the program: Pulumi.yaml, pinned requirements, the README."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import yaml

from tests.infra.program_harness import DEFAULT_INFRA_DIR, project_name

TOP_LEVEL_PINS = {
    "requirements.in": {"pulumi", "pulumi-aws", "pulumi-random", "pulumiverse-heroku"},
    "policy/requirements.in": {"pulumi", "pulumi-policy"},
}


def test_project_name_is_the_first_line(infra_dir):
    """The template hook rewrites exactly this line to `name: <project_slug>`."""
    first_line = (infra_dir / "Pulumi.yaml").read_text().splitlines()[0]
    assert first_line == f"name: {project_name(infra_dir)}"
    if infra_dir == DEFAULT_INFRA_DIR.resolve():
        assert first_line == "name: masonite-heroku"


def test_project_name_is_not_hard_coded_anywhere_else():
    """Only the first line of Pulumi.yaml names the project; the code asks `pulumi.get_project()`.

    Checked on the template's source: a generated project's slug may be a
    common word that legitimately appears in the code.
    """
    infra_dir = DEFAULT_INFRA_DIR.resolve()
    name = project_name(infra_dir)
    offenders = []
    for path in sorted(infra_dir.rglob("*")):
        parts = path.relative_to(infra_dir).parts
        if not path.is_file() or "venv" in parts or "__pycache__" in parts or parts[0].startswith(".ruff"):
            continue
        lines = path.read_text(errors="replace").splitlines()
        if path.name == "Pulumi.yaml":
            lines = lines[1:]
        offenders += [f"{path.relative_to(infra_dir)}:{i}" for i, line in enumerate(lines, 1) if name in line]
    assert not offenders, f"use pulumi.get_project() instead of the project name: {offenders}"


def test_python_runtime_with_a_pip_virtualenv(infra_dir):
    project = yaml.safe_load((infra_dir / "Pulumi.yaml").read_text())
    assert project["runtime"] == {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    policy = yaml.safe_load((infra_dir / "policy" / "PulumiPolicy.yaml").read_text())
    assert policy["runtime"]["name"] == "python"


def test_top_level_requirements_are_pinned_and_match_what_the_tests_run(infra_dir):
    """The packages the code imports; their locks (requirements.txt) are checked in test_infra_lock.py."""
    for relative, expected in TOP_LEVEL_PINS.items():
        pins = _pins(infra_dir / relative)
        assert set(pins) == expected, relative
        for package, pinned in pins.items():
            assert version(package) == pinned, f"{package}: tests run {version(package)}, {relative} pins {pinned}"
    assert _pins(infra_dir / "requirements.in")["pulumi-aws"].startswith("7."), "the program uses the pulumi-aws v7 API"


def test_readme_covers_what_users_need(infra_dir):
    readme = (infra_dir / "README.md").read_text()
    for topic in (
        "pulumi stack init",
        "pulumi config set --secret",
        "pulumi up",
        "pulumi stack output",
        "pulumi destroy",
        "retainBucketOnDelete",
        "Private Space",
        "cost",
        "--policy-pack",
        # The decisions behind the program, each with its own section.
        "## SSE-KMS with your own key",
        "## Switching `redisProvider` on a live stack",
        "## Redis on ElastiCache: networking",
        "### Adopting existing add-ons",
        "pulumi import",
        "## Replacements and names",
        "## Zero-downtime deploys: preboot and the web formation",
        "backward compatible",
        "### Rotating `APP_KEY`",
        "## Locked dependencies",
        "./relock.sh",
    ):
        assert topic in readme, f"README.md does not mention {topic!r}"
    declared = yaml.safe_load((infra_dir / "Pulumi.yaml").read_text())["config"]
    missing = [key for key in declared if f"`{key}`" not in readme]
    assert not missing, f"README.md does not document {missing}"


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([A-Za-z0-9_.+-]+)", line)
        assert match, f"{path.name}: {line!r} is not pinned with =="
        pins[match.group(1).lower()] = match.group(2)
    return pins
