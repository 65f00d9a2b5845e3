"""Figures as median (min-max) of several runs, targets with a pass/miss mark, and the machine."""

from __future__ import annotations

import datetime
import os
import platform
import re
import statistics
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path


def spread(values: list[float]) -> dict:
    """Median, min and max of the runs, with the runs themselves."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": list(values)}


def ratios(numerators: list[float], denominators: list[float]) -> dict:
    """Run-by-run ratios (run i of one against run i of the other), summarised."""
    return spread([a / b for a, b in zip(numerators, denominators, strict=True)])


def fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def fmt_spread(figure: dict, digits: int = 0, unit: str = "") -> str:
    return f"{fmt(figure['median'], digits)}{unit} ({fmt(figure['min'], digits)}–{fmt(figure['max'], digits)})"


@dataclass
class Target:
    name: str
    wanted: str  # e.g. "≥ 2.0x"
    achieved: float
    shown: str
    passed: bool

    @property
    def mark(self) -> str:
        return "✅ pass" if self.passed else "❌ miss"


def at_least(name: str, figure: dict, minimum: float, unit: str = "x", digits: int = 2) -> Target:
    value = figure["median"]
    return Target(name, f"≥ {minimum:g}{unit}", value, fmt_spread(figure, digits, unit), value >= minimum)


def at_most(name: str, figure: dict, maximum: float, unit: str = "", digits: int = 2, strict: bool = False) -> Target:
    value = figure["median"]
    passed = value < maximum if strict else value <= maximum
    sign = "<" if strict else "≤"
    return Target(name, f"{sign} {maximum:g}{unit}", value, fmt_spread(figure, digits, unit), passed)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def targets_table(targets: list[Target]) -> str:
    return table(
        ["Target", "Wanted", "Achieved: median (min–max)", ""], [[t.name, t.wanted, t.shown, t.mark] for t in targets]
    )


def targets_json(targets: list[Target]) -> list[dict]:
    return [{**asdict(t), "mark": "pass" if t.passed else "miss"} for t in targets]


def machine(project_python: Path | None = None) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.M)
    info = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": model.group(1).strip() if model else platform.processor() or "unknown",
        "memory_gb": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "os": f"{platform.system()} {platform.release()}",
        "python_runner": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }
    info["template"] = template_revision()
    if project_python:
        version = subprocess.run(
            [str(project_python), "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
        )
        info["python_app"] = version.stdout.strip()
    return info


def template_revision() -> str:
    """The commit the template was baked from, and whether its files had uncommitted changes."""
    root = Path(__file__).resolve().parents[2]

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "{{cookiecutter.project_slug}}", "hooks", "cookiecutter.json")
    count = len(changed.splitlines())
    return f"commit {commit}" + (f" with {count} uncommitted template file changes" if count else "")


def machine_line(info: dict) -> str:
    return (
        f"{info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB memory, {info['os']}; "
        f"apps on Python {info.get('python_app', '?')}, load generator and scripts on Python "
        f"{info['python_runner']}; load average at start {', '.join(map(str, info['load_average_at_start']))}; "
        f"{info['date']}; template at {info['template']}"
    )
