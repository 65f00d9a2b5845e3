"""Groups 2-4: cache cost, upload memory (and the presigned path's bytes), cold boot."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import requests

from tests.benchmarks.report import at_most, fmt_spread, spread, table
from tests.benchmarks.servers import CountingProxy, Services, generated_app
from tests.conftest import BUCKET
from tests.support.app_agent import AppAgent
from tests.support.browser import Browser
from tests.support.dynos import dyno_environment, procfile_command
from tests.support.memory import gunicorn_worker, peak_rss_growth_during, status_kib
from tests.support.processes import free_port

MB = 1024 * 1024

# Runs inside the app's own process (see tests/support/app_agent.py).
CACHE_COST = """
import time, redis
store = application.make("cache").store()
raw = redis.Redis.from_url(store.options["url"])
value = "x" * 100

def per_operation(call, count):
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count * 1e6

operations = {
    "app_put": lambda: store.put("bench:key", value, 60),
    "raw_set": lambda: raw.set("bench:raw", value, ex=60),
    "app_get": lambda: store.get("bench:key"),
    "raw_get": lambda: raw.get("bench:raw"),
}
for call in operations.values():
    per_operation(call, 200)  # connect and warm up
result = [{name: per_operation(call, COUNT) for name, call in operations.items()} for _ in range(RUNS)]
"""


def cache_cost(slug: Path, bin_dir: Path, settings: dict[str, str], runs: int, count: int = 3000) -> dict:
    """Microseconds per get/put through the app's cache store and through raw redis-py."""
    code = CACHE_COST.replace("COUNT", str(count)).replace("RUNS", str(runs))
    with AppAgent(slug, bin_dir / "python", dyno_environment(bin_dir, settings)) as agent:
        measured = agent.run(code)
    column = {name: [run[name] for run in measured] for name in measured[0]}
    both_app = [put + get for put, get in zip(column["app_put"], column["app_get"], strict=True)]
    both_raw = [put + get for put, get in zip(column["raw_set"], column["raw_get"], strict=True)]
    return {
        "operations_per_run": count,
        "microseconds": {name: spread(values) for name, values in column.items()},
        "ratio_get": spread([a / b for a, b in zip(column["app_get"], column["raw_get"], strict=True)]),
        "ratio_put": spread([a / b for a, b in zip(column["app_put"], column["raw_set"], strict=True)]),
        "ratio_get_and_put": spread([a / b for a, b in zip(both_app, both_raw, strict=True)]),
    }


def write_file(path: Path, size: int) -> Path:
    with open(path, "wb") as file:
        for _ in range(size // MB):
            file.write(os.urandom(MB))
    return path


def upload_memory(
    slug: Path,
    bin_dir: Path,
    services: Services,
    settings: dict[str, str],
    workdir: Path,
    runs: int,
    size_mb: int = 100,
) -> dict:
    """Peak RSS growth of a worker while a large file goes through POST /uploads (a fresh dyno
    for each run, so that no run reuses memory an earlier one left resident), and the bytes the
    app receives when the same file goes straight to S3 (presigned POST)."""
    size = size_mb * MB
    path = write_file(workdir / f"upload-{size_mb}mb.bin", size)
    content = path.read_bytes()  # read before measuring: only the worker's memory counts
    settings = {**settings, "WEB_CONCURRENCY": "1", "MAX_UPLOAD_BYTES": str(size + 16 * MB)}
    growth, resident = [], []
    for run in range(runs):
        with generated_app(slug, bin_dir, settings, f"web.memory-{run}", release=False) as dyno:
            worker = gunicorn_worker(dyno.process.pid)
            browser = Browser(dyno.url)
            token = browser.csrf_token()
            post = partial(post_file, browser, token)
            # Warm up: the first S3 upload (and the first multipart one) load botocore's models.
            post("warm-small.bin", b"w" * 1024)
            post("warm-multipart.bin", b"w" * (9 * MB))
            resident.append(status_kib(worker, "VmRSS") / 1024)
            growth.append(peak_rss_growth_during(worker, partial(post, f"big-{run}.bin", content)) / MB)
            print(
                f"[bench] upload memory run {run + 1}/{runs}: worker peak RSS +{growth[-1]:.1f} MB "
                f"over {resident[-1]:.0f} MB",
                file=sys.stderr,
            )
            services.empty_bucket()
            if run == runs - 1:
                direct = presigned_upload(dyno, worker, path, size, services)
    return {
        "file_mb": size_mb,
        "worker_rss_before_mb": spread(resident),
        "worker_peak_rss_growth_mb": spread(growth),
        "presigned": direct,
    }


def post_file(browser: Browser, token: str, name: str, content: bytes) -> None:
    response = browser.post(
        "/uploads", data={"__token": token}, timeout=600, files={"file": (name, content, "application/octet-stream")}
    )
    if response.status_code != 303:
        raise RuntimeError(f"POST /uploads answered {response.status_code}: {response.text[:300]}")


def presigned_upload(dyno, worker: int, path: Path, size: int, services: Services) -> dict:
    """A direct-to-S3 upload: record what reaches the app while the file goes to S3."""
    with CountingProxy(dyno.port) as proxy:
        browser = Browser(proxy.url)
        token = browser.csrf_token()
        headers = {"X-CSRF-TOKEN": token, "Accept": "application/json"}
        proxy.sent.clear()
        sent_json = []

        def flow() -> None:
            answer = browser.post(
                "/uploads/presign",
                headers=headers,
                json={"filename": "direct.bin", "content_type": "application/octet-stream", "size": size},
            )
            answer.raise_for_status()
            presigned = answer.json()
            with open(path, "rb") as file:
                sent = requests.post(
                    presigned["url"],
                    data=presigned["fields"],
                    timeout=600,
                    files={"file": ("direct.bin", file, "application/octet-stream")},
                )
            sent.raise_for_status()
            confirmed = browser.post("/uploads/confirm", json={"key": presigned["key"]}, headers=headers)
            confirmed.raise_for_status()
            sent_json.extend([answer.request.body, confirmed.request.body])
            sent_json.append(presigned["key"])

        growth = peak_rss_growth_during(worker, flow) / MB
        app_bytes = len(proxy.sent)
        body_bytes = proxy.declared_body_bytes()
    json_bytes = len(sent_json[0]) + len(sent_json[1])
    stored = services.s3_client().head_object(Bucket=BUCKET, Key=sent_json[2])["ContentLength"]
    services.empty_bucket()
    if stored != size:
        raise RuntimeError(f"the direct upload stored {stored} bytes, not {size}")
    return {
        "file_bytes": size,
        "stored_bytes": stored,
        "bytes_sent_to_app": app_bytes,
        "request_body_bytes_to_app": body_bytes,
        "json_body_bytes": json_bytes,  # the presign and confirm requests
        "file_body_bytes_through_app": body_bytes - json_bytes,
        "worker_peak_rss_growth_mb": growth,
    }


def cold_boot(slug: Path, bin_dir: Path, settings: dict[str, str], runs: int) -> dict:
    """Seconds from starting the Procfile `web` command to the first 200 on /health."""
    command = procfile_command(slug, "web")
    times = []
    for run in range(runs + 1):
        port = free_port()
        started = time.monotonic()
        process = subprocess.Popen(
            ["bash", "-c", command],
            cwd=slug,
            env=dyno_environment(bin_dir, settings, port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            seconds = first_200(f"http://127.0.0.1:{port}/health", started, process)
        finally:
            stop_group(process)
        if run:  # the first boot writes the bytecode caches (Heroku's build does that): not counted
            times.append(seconds)
            print(f"[bench] cold boot {run}/{runs}: {seconds:.2f} s", file=sys.stderr)
    return {"seconds": spread(times)}


def first_200(url: str, started: float, process: subprocess.Popen, limit: float = 60.0) -> float:
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            raise RuntimeError(f"the web process exited with {process.returncode} before answering")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=5).status_code == 200:
                return time.monotonic() - started
        time.sleep(0.01)
    raise TimeoutError(f"no 200 from {url} within {limit} s")


def stop_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def targets(cache: dict, memory: dict, boot: dict) -> list:
    return [
        at_most("Cache get+put through the app store ÷ raw redis-py", cache["ratio_get_and_put"], 1.3, "x"),
        at_most(
            f"Worker peak RSS growth, {memory['file_mb']} MB POST /uploads",
            memory["worker_peak_rss_growth_mb"],
            32,
            " MB",
            1,
        ),
        at_most("Cold boot to first 200 on /health", boot["seconds"], 1, " s", 2),
    ]


def markdown_cache(cache: dict) -> str:
    us = cache["microseconds"]
    rows = [
        ["get", fmt_spread(us["app_get"], 1), fmt_spread(us["raw_get"], 1), fmt_spread(cache["ratio_get"], 2, "x")],
        [
            "put / SET EX",
            fmt_spread(us["app_put"], 1),
            fmt_spread(us["raw_set"], 1),
            fmt_spread(cache["ratio_put"], 2, "x"),
        ],
    ]
    return table(["Operation", "App store µs", "Raw redis-py µs", "Ratio"], rows) + (
        f"\n\nget + put together: **{fmt_spread(cache['ratio_get_and_put'], 2, 'x')}** "
        f"({cache['operations_per_run']:,} operations of each kind per run)."
    )


def markdown_memory(memory: dict) -> str:
    direct = memory["presigned"]
    rows = [
        [
            f"{memory['file_mb']} MB through `POST /uploads`",
            fmt_spread(memory["worker_peak_rss_growth_mb"], 1, " MB"),
            f"the whole file (worker RSS before: {fmt_spread(memory['worker_rss_before_mb'], 0, ' MB')})",
        ],
        [
            f"{memory['file_mb']} MB by presigned POST (browser → S3)",
            f"{direct['worker_peak_rss_growth_mb']:.1f} MB",
            f"{direct['bytes_sent_to_app']:,} bytes in all; bodies {direct['request_body_bytes_to_app']:,} bytes "
            f"= the two JSON requests; **{direct['file_body_bytes_through_app']} file bytes**",
        ],
    ]
    return table(["Upload", "Worker peak RSS growth", "Sent to the app"], rows)


def markdown_boot(boot: dict) -> str:
    return (
        f"From starting the Procfile `web` command (gunicorn, `--preload`, 2 workers) to the first 200 on "
        f"`/health`: **{fmt_spread(boot['seconds'], 2, ' s')}** over {len(boot['seconds']['runs'])} boots "
        f"(Heroku allows 60 s)."
    )
