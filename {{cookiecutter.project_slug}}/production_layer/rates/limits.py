"""Rate-limit settings: "20/minute,200/day" strings, read and checked at boot.

A setting lists one or more windows, each `N/unit` or `N/M units` (units: second, minute,
hour, day); a request must fit in every window. `unlimited` turns the limit off.
"""

import os
import re

from masonite.rates import Limit

from production_layer.environment import MissingEnvironment

UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}
WINDOW = re.compile(r"^(\d+)\s*/\s*(\d+)?\s*(second|minute|hour|day)s?$")
UNLIMITED = "unlimited"


class InvalidRateLimit(ValueError):
    pass


def parse_limits(setting: str) -> list[tuple[int, int]]:
    """`(max requests, window seconds)` for each window of a setting; [] for unlimited."""
    text = str(setting or "").strip().lower()
    if text == UNLIMITED:
        return []
    windows = []
    for part in text.split(","):
        match = WINDOW.match(part.strip())
        if not match or int(match.group(1)) < 1 or match.group(2) == "0":
            raise InvalidRateLimit(
                f"{part.strip()!r} is not a rate limit: write N/unit or N/M units, such as 20/minute "
                f"or 100/5 minutes (units: second, minute, hour, day), several separated by commas, "
                f"or {UNLIMITED!r}"
            )
        count, units, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
        windows.append((count, units * UNIT_SECONDS[unit]))
    return windows


def env_rate_limit(name: str, default: str) -> str:
    """The setting from the environment, checked now so a typo stops the app at boot."""
    value = os.environ.get(name, "").strip() or default
    try:
        parse_limits(value)
    except InvalidRateLimit as error:
        raise MissingEnvironment(f"{name}: {error}") from None
    return value


def limits_from_setting(setting: str, key: str) -> list[Limit]:
    """Masonite `Limit`s for a setting, all counted under `key`."""
    # Masonite's Limit keeps its window in minutes.
    return [Limit(count, seconds / 60).by(key) for count, seconds in parse_limits(setting)]


def window_seconds(limit: Limit) -> int:
    return max(1, round(limit.delay * 60))


def describe_window(seconds: int) -> str:
    """'minute', '5 minutes', 'day'..."""
    for unit in ("day", "hour", "minute", "second"):
        size = UNIT_SECONDS[unit]
        if seconds % size == 0:
            count = seconds // size
            return unit if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"


def describe_wait(seconds: int) -> str:
    """'1 second', '41 seconds', '3 minutes', '2 hours' (rounded up)."""
    if seconds <= 120:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    if seconds <= 2 * 60 * 60:
        return f"{-(-seconds // 60)} minutes"
    return f"{-(-seconds // 3600)} hours"
