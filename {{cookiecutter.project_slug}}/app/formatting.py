"""Numbers and dates as people read them; registered as template filters by AppProvider.

`filesize` uses 1024-byte units with the familiar KB/MB/GB labels and rounds halves up
with whole-number arithmetic, so storage/public/js/uploads.js (formatBytes) shows the
same text for the same size.
"""

from datetime import UTC, datetime

UNITS = ("KB", "MB", "GB", "TB")


def filesize(size: int) -> str:
    """1 byte, 900 bytes, 1.5 KB, 12 MB, 1 GB: one decimal below 10, none above."""
    size = int(size)
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    for power, unit in enumerate(UNITS, start=1):
        divisor = 1024**power
        tenths = (20 * size + divisor) // (2 * divisor)
        if tenths < 100:
            whole, tenth = divmod(tenths, 10)
            return f"{whole} {unit}" if tenth == 0 else f"{whole}.{tenth} {unit}"
        whole = (2 * size + divisor) // (2 * divisor)
        if whole < 1024 or unit == UNITS[-1]:
            return f"{whole} {unit}"
    raise AssertionError("unreachable")


def as_datetime(value) -> datetime | None:
    """A timezone-aware datetime from a datetime or an ISO 8601 string; None if it is neither."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def timeago(value, now: datetime | None = None) -> str:
    """just now, 5 minutes ago, 3 hours ago, yesterday, 4 days ago, then the date (30 Nov 2026)."""
    moment = as_datetime(value)
    if moment is None:
        return str(value or "")
    seconds = ((now or datetime.now(UTC)) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    for limit, length, name in ((3600, 60, "minute"), (86400, 3600, "hour")):
        if seconds < limit:
            count = int(seconds // length)
            return f"{count} {name} ago" if count == 1 else f"{count} {name}s ago"
    days = int(seconds // 86400)
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return f"{moment.astimezone(UTC).day} {moment.astimezone(UTC):%b %Y}"


def utc_time(value) -> str:
    """30 Nov 2026, 14:05 UTC"""
    moment = as_datetime(value)
    if moment is None:
        return str(value or "")
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def iso_time(value) -> str:
    """2026-11-30T14:05:09Z, for <time datetime="...">."""
    moment = as_datetime(value)
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


FILTERS = {"filesize": filesize, "timeago": timeago, "utc_time": utc_time, "iso_time": iso_time}
