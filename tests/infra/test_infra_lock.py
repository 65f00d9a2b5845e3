"""The locks Pulumi installs: every transitive package pinned and hash-checked, resolvable from the index.

`requirements.in` (top-level pins) -> `requirements.txt` (the lock), for the
program and for the policy pack; `relock.sh` regenerates both. Pulumi's pip
toolchain installs `requirements.txt`, and pip turns on hash-checking by itself
as soon as a requirement carries a hash. The checks that ask pip resolve against
the package index with `--dry-run`, so they install nothing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

LOCKS = {
    "program": ("requirements.in", "requirements.txt"),
    "policy pack": ("policy/requirements.in", "policy/requirements.txt"),
}
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([A-Za-z0-9_.+!-]+)(?:\s*;.*)?$")
_HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of a pip-compile lock; fails on anything that is not a hashed == pin."""
    entries: dict[str, tuple[str, list[str]]] = {}
    text = re.sub(r"\\\n", " ", path.read_text())
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split()
        match = _PIN.match(requirement)
        assert match, f"{path.name}: {requirement!r} is not pinned with =="
        hashes = [option for option in options if option.startswith("--hash=")]
        assert hashes and all(_HASH.match(option) for option in hashes), f"{path.name}: {requirement} has no sha256"
        assert len(hashes) == len(options), f"{path.name}: unexpected options for {requirement}: {options}"
        entries[canonicalize_name(match.group(1))] = (match.group(2), hashes)
    return entries


def top_level(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = _PIN.match(line)
            assert match, f"{path.name}: {line!r} is not pinned with =="
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def pip_dry_run(*args: str) -> dict[str, str]:
    """What `pip install --dry-run` would install (name -> version), resolved from the index, not this venv."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--report", "-", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    return {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"] for item in report["install"]}


@pytest.mark.parametrize("which", LOCKS)
def test_the_lock_pins_every_package_with_hashes_and_keeps_the_top_level_pins(infra_dir, which):
    source, lock = (infra_dir / name for name in LOCKS[which])
    entries = locked(lock)
    for package, pinned in top_level(source).items():
        assert entries.get(package, (None,))[0] == pinned, f"{lock.name} does not lock {package}=={pinned}"


@pytest.mark.parametrize("which", LOCKS)
def test_the_lock_resolves_with_require_hashes_and_needs_nothing_else(infra_dir, which):
    """In hash-checking mode pip refuses any dependency missing from the lock: this is the completeness check."""
    source, lock = (infra_dir / name for name in LOCKS[which])
    resolved = pip_dry_run("--require-hashes", "-r", str(lock))
    assert resolved == {name: pinned for name, (pinned, _) in locked(lock).items()}, "the lock holds unused packages"
    fresh = pip_dry_run("-r", str(source))
    assert set(fresh) <= set(resolved), f"the top-level pins now pull in {sorted(set(fresh) - set(resolved))}"


def test_both_locks_install_together_with_one_version_of_what_they_share(infra_dir):
    """The template's test venv installs both locks in one `pip install --require-hashes` (Makefile)."""
    program, policy = (locked(infra_dir / LOCKS[which][1]) for which in LOCKS)
    shared = set(program) & set(policy)
    assert {"pulumi", "grpcio", "protobuf"} <= shared
    assert {name: program[name][0] for name in shared} == {name: policy[name][0] for name in shared}
    assert {name: program[name][1] for name in shared} == {name: policy[name][1] for name in shared}, "same files"


def test_the_tests_run_the_locked_versions(infra_dir):
    for which in LOCKS:
        for package, (pinned, _) in locked(infra_dir / LOCKS[which][1]).items():
            try:
                installed = version(package)
            except PackageNotFoundError:
                pytest.fail(f"{package} from the {which} lock is not installed in the test venv")
            assert installed == pinned, f"{package}: the tests run {installed}, the {which} lock pins {pinned}"


def test_pulumi_installs_the_lock_and_relock_rebuilds_it(infra_dir):
    relock = (infra_dir / "relock.sh").read_text()
    for source, lock in LOCKS.values():
        assert f"--output-file={lock} {source}" in relock
        assert "#    ./relock.sh" in (infra_dir / lock).read_text().splitlines()[:6], (
            f"{lock} was not made by relock.sh"
        )
    assert "--generate-hashes" in relock and "--allow-unsafe" in relock
    assert (infra_dir / "relock.sh").stat().st_mode & 0o111, "relock.sh is executable"


def test_the_lock_covers_every_python_the_template_offers(infra_dir):
    """Locks are resolved on Python 3.11; a dependency only some newer Python needs would be missing from them."""
    from importlib.metadata import distribution

    from packaging.requirements import Requirement

    from tests.support.baking import TEMPLATE_DIR

    pythons = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())["python_version"]
    for which, (_, lock) in LOCKS.items():
        entries = locked(infra_dir / lock)
        for package in entries:
            for requirement in map(Requirement, distribution(package).requires or []):
                for python in pythons:
                    environment = {"python_version": python, "python_full_version": f"{python}.0", "extra": ""}
                    if requirement.marker is None or requirement.marker.evaluate(environment):
                        assert canonicalize_name(requirement.name) in entries, (
                            f"{package} needs {requirement} on Python {python}: not in the {which} lock"
                        )
