"""Drive an HTTP server with a fixed number of concurrent connections, in a separate process.

`wrk` (Debian's package) is used when it is installed; otherwise this module's own load
generator runs: several processes, each with a few threads, each thread sending one request
at a time on a fresh connection (gunicorn's sync workers close every connection anyway) and
timing it. Run as a script it prints one JSON result:

    python -m tests.benchmarks.loadgen http://127.0.0.1:8000/ --seconds 5 --connections 8
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlparse


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers and socket errors


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def tool_description(tool: str) -> str:
    if tool == "wrk":
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        return version.split(" [")[0].strip() or "wrk"
    return "python load generator (tests/benchmarks/loadgen.py)"


def choose_tool(requested: str = "auto") -> str:
    """ "wrk" or "python": wrk when installed, unless the Python generator is asked for."""
    if requested == "auto":
        return "wrk" if wrk_available() else "python"
    if requested == "wrk" and not wrk_available():
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    return requested


def run_load(
    url: str, seconds: float, connections: int, headers: dict[str, str] | None = None, tool: str = "auto"
) -> LoadResult:
    """Load ``url`` for ``seconds`` from a separate process and return what it measured."""
    headers = headers or {}
    if choose_tool(tool) == "wrk":
        return run_wrk(url, seconds, connections, headers)
    command = [
        sys.executable,
        "-m",
        "tests.benchmarks.loadgen",
        url,
        "--seconds",
        str(seconds),
        "--connections",
        str(connections),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if finished.returncode != 0:
        raise RuntimeError(f"load generator failed: {finished.stderr[-2000:]}")
    return LoadResult(**json.loads(finished.stdout))


# wrk --------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_duration_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(url: str, seconds: float, connections: int, headers: dict[str, str]) -> LoadResult:
    command = [
        "wrk",
        "--threads",
        str(min(2, connections)),
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    requests, elapsed = re.search(r"(\d+) requests in ([\d.]+\w+),", output).groups()
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)$", output, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    # A read error is wrk seeing the server close the connection, which gunicorn's sync workers
    # do after every response; only connect errors and timeouts are failures.
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += int(socket_errors.group(1)) + int(socket_errors.group(4))
    seconds_taken = wrk_duration_ms(elapsed) / 1000
    return LoadResult(
        "wrk",
        int(requests),
        seconds_taken,
        int(requests) / seconds_taken,
        wrk_duration_ms(percentiles["50"]),
        wrk_duration_ms(percentiles["99"]),
        errors,
    )


# The Python load generator ----------------------------------------------------------------


def raw_request(url: str, headers: dict[str, str]) -> tuple[str, int, bytes]:
    parsed = urlparse(url)
    path = parsed.path or "/"
    if parsed.query:
        path += "?" + parsed.query
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {parsed.netloc}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return parsed.hostname, parsed.port or 80, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def connection_loop(
    address: tuple[str, int], request: bytes, deadline: float, latencies: list[float], errors: list[int]
) -> None:
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with socket.create_connection(address, timeout=10) as sock:
                sock.sendall(request)
                first = sock.recv(65536)
                while sock.recv(65536):
                    pass
        except OSError:
            errors.append(1)
            continue
        latencies.append(time.monotonic() - started)
        if not (
            first.startswith(b"HTTP/1.1 2")
            or first.startswith(b"HTTP/1.1 3")
            or first.startswith(b"HTTP/1.0 2")
            or first.startswith(b"HTTP/1.0 3")
        ):
            errors.append(1)


def worker_process(address, request, start_at, seconds, threads, results) -> None:
    while time.monotonic() < start_at:
        time.sleep(0.001)
    deadline = start_at + seconds
    latencies, errors = [], []
    pool = [
        threading.Thread(target=connection_loop, args=(address, request, deadline, latencies, errors))
        for _ in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    results.put((latencies, len(errors)))


def python_load(url: str, seconds: float, connections: int, headers: dict[str, str]) -> LoadResult:
    host, port, request = raw_request(url, headers)
    processes = max(1, min(connections, multiprocessing.cpu_count()))
    shares = [connections // processes + (1 if n < connections % processes else 0) for n in range(processes)]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.monotonic() + 0.5
    pool = [
        context.Process(target=worker_process, args=((host, port), request, start_at, seconds, share, results))
        for share in shares
    ]
    for process in pool:
        process.start()
    latencies, errors = [], 0
    for _ in pool:
        process_latencies, process_errors = results.get(timeout=seconds + 60)
        latencies += process_latencies
        errors += process_errors
    for process in pool:
        process.join()
    latencies.sort()
    if not latencies:
        return LoadResult("python", 0, seconds, 0.0, 0.0, 0.0, errors)
    return LoadResult(
        "python",
        len(latencies),
        seconds,
        len(latencies) / seconds,
        percentile(latencies, 0.50) * 1000,
        percentile(latencies, 0.99) * 1000,
        errors,
    )


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    options = parser.parse_args()
    headers = dict(header.split(": ", 1) for header in options.header)
    print(json.dumps(asdict(python_load(options.url, options.seconds, options.connections, headers))))


if __name__ == "__main__":
    main()
