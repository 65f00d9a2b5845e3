"""An untouched Masonite 5 skeleton (`project start`), configured for the test services.

The hardening tests run every check against it too, to prove each check catches
the stock defect it guards against. Only settings change, never framework code:
its `.env` (which stock Masonite reads over the real environment) and the cache
store it uses.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def create_stock_project(parent: Path, bin_dir: Path, name: str = "stock") -> Path:
    subprocess.run(
        [str(bin_dir / "project"), "start", name, "--no-venv", "--no-git", "--no-input", "--no-serve"],
        cwd=parent,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return parent / name


def configure_stock(project: Path, redis_port: int, bucket: str, database: Path, debug: bool) -> Path:
    env_file = project / ".env"
    text = env_file.read_text()
    values = {
        "APP_DEBUG": "True" if debug else "False",
        "S3_CLIENT": "test",
        "S3_SECRET": "test",
        "S3_BUCKET": bucket,
        "SQLITE_DB_DATABASE": str(database),
    }
    for name, value in values.items():
        text = re.sub(rf"^{name}=.*$", f"{name}={value}", text, flags=re.M)
    env_file.write_text(text)
    cache = project / "config" / "cache.py"
    cache.write_text(
        cache.read_text()
        .replace('"default": "local"', '"default": "redis"')
        .replace('"port": "6379"', f'"port": "{redis_port}"')
    )
    return project
