"""Install a generated project into its own venv, from its own requirements, as Heroku would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def interpreter_for(version: str) -> tuple[str, str]:
    """The Python named by the project's .python-version if this machine has it.

    Returns (path, note); falls back to the interpreter running the tests and says so.
    """
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    versions = Path(pyenv_root) / "versions"
    if versions.is_dir():
        for folder in sorted(versions.glob(f"{version}.*"), reverse=True):
            candidates.append(str(folder / "bin" / f"python{version}"))
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            probe = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version.split()[0])"],
                capture_output=True,
                text=True,
                env={**os.environ, "PYENV_VERSION": version},
            )
            if probe.returncode == 0 and probe.stdout.startswith(version):
                return candidate, f"Python {probe.stdout.strip()} ({candidate})"
    current = ".".join(map(str, sys.version_info[:3]))
    return sys.executable, f"Python {current} ({sys.executable}); {version} is not installed here"


def build_venv(project: Path, requirements: str = "requirements.txt") -> Path:
    """Create ``project/.venv`` with the project's own Python and requirements; returns its bin dir."""
    version = (project / ".python-version").read_text().strip()
    python, note = interpreter_for(version)
    print(f"\n[project venv] {project.name}: {note}")
    venv = project / ".venv"
    env = {**os.environ, "PYENV_VERSION": version}
    subprocess.run([python, "-m", "venv", str(venv)], check=True, env=env)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    installed = subprocess.run([*pip, "-r", str(project / requirements)], capture_output=True, text=True, timeout=900)
    if installed.returncode != 0:
        raise RuntimeError(f"pip install -r {requirements} failed:\n{installed.stdout}\n{installed.stderr[-4000:]}")
    return venv / "bin"
