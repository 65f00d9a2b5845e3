"""Group 10: the template's own `make test`, as CI meets it: a fresh clone of the committed
template, its venv built from scratch (pip's cache warm), the whole suite with `CI=true`.

One run: it takes minutes, and the figure is a budget (10 min), not a comparison. What is not
committed is not in the clone, so commit before measuring.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.first_run import clean_environment
from tests.benchmarks.report import Target, fmt, table

ROOT = Path(__file__).resolve().parents[2]
BUDGET_MINUTES = 10
SUMMARY = re.compile(r"^=+ (?P<counts>.+) in (?P<seconds>[\d.]+)s\b.* =+$")
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


def pytest_summary(output: str) -> tuple[dict[str, int], float | None]:
    """The counts and seconds of pytest's last summary line (`=== 1042 passed in 415.04s (0:06:55) ===`)."""
    for line in reversed(output.splitlines()):
        match = SUMMARY.match(line.strip())
        if match:
            counts = {kind: int(number) for number, kind in COUNT.findall(match["counts"])}
            return counts, float(match["seconds"])
    return {}, None


def suite_duration() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as folder:
        os.chmod(folder, 0o755)  # as a clone in /tmp would be: as root, PostgreSQL runs as another user
        clone = Path(folder) / "template"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
        ).stdout.strip()
        started = time.monotonic()
        result = subprocess.run(
            ["make", "test"],
            cwd=clone,
            env={**clean_environment(), "CI": "true"},
            capture_output=True,
            text=True,
            timeout=3600,
        )
        seconds = time.monotonic() - started
    counts, test_seconds = pytest_summary(result.stdout)
    print(
        f"[bench] make test from a fresh clone of {commit}: exit {result.returncode} in {seconds:.0f} s, {counts}",
        file=sys.stderr,
    )
    if result.returncode != 0:
        print(result.stdout[-3000:] + result.stderr[-2000:], file=sys.stderr)
    return {
        "commit": commit,
        "returncode": result.returncode,
        "seconds": seconds,
        "test_seconds": test_seconds,
        "install_seconds": None if test_seconds is None else seconds - test_seconds,
        "counts": counts,
    }


def targets(figures: dict) -> list[Target]:
    minutes = figures["seconds"] / 60
    passed = figures["returncode"] == 0 and minutes <= BUDGET_MINUTES
    counts = ", ".join(f"{number} {kind}" for kind, number in figures["counts"].items()) or "no pytest summary"
    return [
        Target(
            "The template's full `make test` from a fresh clone, install included (one run)",
            f"≤ {BUDGET_MINUTES} min",
            minutes,
            f"{fmt(minutes, 1)} min ({counts})",
            passed,
        )
    ]


def markdown(figures: dict) -> str:
    test_seconds, install_seconds = figures["test_seconds"], figures["install_seconds"]
    rows = [
        ["`make test`, typing it to its exit", f"{fmt(figures['seconds'] / 60, 1)} min (exit {figures['returncode']})"],
        [
            "of which: the template's venv (`make test` installs it)",
            "?" if install_seconds is None else f"{fmt(install_seconds)} s",
        ],
        ["of which: pytest, by its own count", "?" if test_seconds is None else f"{fmt(test_seconds / 60, 1)} min"],
        ["tests", ", ".join(f"{number} {kind}" for kind, number in figures["counts"].items()) or "?"],
    ]
    return (
        f"`git clone` of the committed template (commit {figures['commit']}) into a new directory, then its "
        "`make test` with `CI=true`, as `.ci/run` does on a machine that already has PostgreSQL and Chromium: "
        "a new .venv from the warm pip cache, then the whole suite (every test bakes, installs and serves what it "
        "needs; generated projects share baked copies and venvs within the run). One run, on this machine.\n\n"
        + table(["Step", "Time"], rows)
    )
