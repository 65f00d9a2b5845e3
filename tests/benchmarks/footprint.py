"""Groups 5-6: what the generated requirements weigh installed, and how long baking takes."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.report import fmt_spread, spread, table
from tests.support.baking import all_combinations, bake

MB = 1024 * 1024

# Run by the project venv's Python: bytes on disk of every installed distribution's files.
PACKAGE_SIZES = """
import importlib.metadata, json, os
sizes = {}
for dist in importlib.metadata.distributions():
    total = 0
    for file in dist.files or []:
        try:
            total += os.path.getsize(file.locate())
        except OSError:
            pass
    sizes[dist.metadata["Name"]] = total
print(json.dumps(sizes))
"""
NOT_FROM_REQUIREMENTS = {"pip", "setuptools", "wheel"}  # what `python -m venv` puts in a fresh venv


def slug_weight(bin_dir: Path) -> dict:
    """Installed size of requirements.txt in the fresh venv the benchmark built from it."""
    output = subprocess.run(
        [str(bin_dir / "python"), "-c", PACKAGE_SIZES], capture_output=True, text=True, check=True
    ).stdout
    sizes = {name: size for name, size in json.loads(output).items() if name.lower() not in NOT_FROM_REQUIREMENTS}
    largest = sorted(sizes.items(), key=lambda item: item[1], reverse=True)[:3]
    return {
        "installed_mb": sum(sizes.values()) / MB,
        "packages": len(sizes),
        "largest": [{"package": name, "mb": size / MB} for name, size in largest],
    }


def template_bake(runs: int) -> dict:
    """Seconds to bake the default answers, and every supported combination, with cookiecutter."""
    combinations = all_combinations()
    default_times, all_times = [], []
    with tempfile.TemporaryDirectory(prefix="bench-bake-") as folder:
        for run in range(runs):
            started = time.monotonic()
            bake(Path(folder) / f"default-{run}")
            default_times.append(time.monotonic() - started)
        for run in range(runs):
            started = time.monotonic()
            for number, answers in enumerate(combinations):
                bake(Path(folder) / f"all-{run}-{number}", **answers)
            all_times.append(time.monotonic() - started)
            print(f"[bench] baked all {len(combinations)} combinations in {all_times[-1]:.1f} s", file=sys.stderr)
    return {
        "default_seconds": spread(default_times),
        "combinations": len(combinations),
        "all_combinations_seconds": spread(all_times),
    }


def markdown_slug(slug: dict) -> str:
    largest = ", ".join(f"{item['package']} {item['mb']:.1f} MB" for item in slug["largest"])
    return (
        f"`requirements.txt` installed in a fresh venv: **{slug['installed_mb']:.1f} MB** "
        f"({slug['packages']} packages; pip itself not counted). Largest: {largest}."
    )


def markdown_template(template: dict) -> str:
    return table(
        ["Bake", "Seconds: median (min–max)"],
        [
            ["default answers", fmt_spread(template["default_seconds"], 2)],
            [
                f"every supported combination ({template['combinations']})",
                fmt_spread(template["all_combinations_seconds"], 2),
            ],
        ],
    )
