"""Find a dyno's gunicorn workers and measure their memory from /proc (Linux only)."""

from __future__ import annotations

import re
from collections.abc import Callable


def children(pid: int) -> list[int]:
    path = f"/proc/{pid}/task/{pid}/children"
    try:
        with open(path) as file:
            return [int(child) for child in file.read().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    pending, seen = [pid], []
    while pending:
        current = pending.pop()
        seen.append(current)
        pending += children(current)
    return seen


def gunicorn_master(root_pid: int) -> int:
    """The gunicorn master under ``root_pid`` (the dyno's process; `bash -c` usually execs it)."""
    for pid in process_tree(root_pid):
        if "gunicorn" in command_line(pid):
            return pid
    raise LookupError(f"no gunicorn process under {root_pid}")


def gunicorn_workers(root_pid: int) -> list[int]:
    """The worker processes: gunicorn processes whose parent is also gunicorn."""
    tree = process_tree(root_pid)
    return sorted(
        pid
        for pid in tree
        if "gunicorn" in command_line(pid)
        and any(pid in children(parent) and "gunicorn" in command_line(parent) for parent in tree)
    )


def gunicorn_worker(root_pid: int) -> int:
    """The only worker of a single-worker dyno."""
    workers = gunicorn_workers(root_pid)
    assert len(workers) == 1, f"expected one gunicorn worker, found {workers}"
    return workers[0]


def status_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as file:
        return int(re.search(rf"^{field}:\s+(\d+) kB", file.read(), re.M).group(1))


def reset_peak_rss(pid: int) -> None:
    """Reset the process's peak resident set size (VmHWM) to its current RSS."""
    with open(f"/proc/{pid}/clear_refs", "w") as clear:
        clear.write("5")


def peak_rss_growth_during(pid: int, action: Callable[[], object]) -> int:
    """Bytes by which ``pid``'s peak RSS rose while ``action`` ran."""
    reset_peak_rss(pid)
    before = status_kib(pid, "VmHWM")
    action()
    return (status_kib(pid, "VmHWM") - before) * 1024
