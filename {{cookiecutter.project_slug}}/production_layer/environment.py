"""Read settings from the process environment, the way Heroku provides them.

Stock Masonite loads `.env` *over* the real environment and treats any value
but `false`/`False` as true for APP_DEBUG. Here real environment variables
always win, `.env` is only a development convenience, and booleans are strict.
"""

import os
from pathlib import Path

from dotenv import load_dotenv

TRUE_VALUES = frozenset({"true", "1", "yes", "on"})

REQUIRED = (
    "APP_KEY",
    "REDIS_URL",
    "S3_BUCKET",
    "AWS_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
)


class MissingEnvironment(SystemExit):
    """Raised at boot when required settings are missing; the message names them all."""


def load_local_env(path: str = ".env") -> None:
    """Load `.env` for development without overriding anything already set."""
    if Path(path).is_file():
        load_dotenv(path, override=False)


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_VALUES


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise MissingEnvironment(f"{name} must be a whole number, got {value!r}") from None


def is_debug() -> bool:
    return env_flag("APP_DEBUG")


def missing_settings() -> list[str]:
    missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
    if not is_debug() and not os.environ.get("DATABASE_URL", "").strip():
        missing.append("DATABASE_URL")
    return missing


def require_settings() -> None:
    """Stop the process, naming every missing variable, before anything serves traffic."""
    missing = missing_settings()
    if missing:
        hint = ""
        if "DATABASE_URL" in missing:
            hint = (
                " (production needs a real database: attach Heroku Postgres, or set "
                "DATABASE_URL=sqlite:////absolute/path.sqlite3 to choose SQLite explicitly)"
            )
        raise MissingEnvironment("Missing required environment variables: " + ", ".join(missing) + hint)
