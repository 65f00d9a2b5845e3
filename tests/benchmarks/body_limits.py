"""What a 4 MB JSON or urlencoded body costs a worker: the generated app against stock Masonite 5.

    python -m tests.benchmarks.body_limits [--runs 5]

Bakes the default answers, installs requirements.txt in a fresh venv, and serves the generated
project (its Procfile `web` command) and an untouched `project start` skeleton, each with one
sync worker, on a real Valkey and an S3 emulator. Each run posts the body on a raw socket (the
whole body is sent, whatever the server answers) and records the answer, the seconds until it
arrived and the growth of the worker's peak RSS. Prints a Markdown table; the median of --runs
runs, with min and max.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.report import fmt_spread, spread, table
from tests.benchmarks.servers import Services, generated_app, generated_settings, generated_slug, stock_masonite
from tests.conftest import BUCKET
from tests.hardening.test_request_size import raw_post, sized
from tests.support.baking import bake
from tests.support.memory import gunicorn_worker, peak_rss_growth_during
from tests.support.processes import moto_server, redis_server
from tests.support.project_venv import build_venv

MB = 1024 * 1024
# Many small fields and values: what costs a parser the most per byte.
BODIES = {
    "urlencoded form": ("&".join(["field=1"] * (4 * MB // 8)).encode(), "application/x-www-form-urlencoded"),
    "JSON": (json.dumps({"items": [0] * (4 * MB // 3)}).encode(), "application/json"),
}


def measure(url: str, worker: int, body: bytes, content_type: str, runs: int) -> dict:
    statuses, seconds, growth = set(), [], []
    for _ in range(runs):

        def send():
            started = time.monotonic()
            status, _ = raw_post(url + "/", *sized(body, content_type))
            seconds.append(time.monotonic() - started)
            statuses.add(status)

        growth.append(peak_rss_growth_during(worker, send) / MB)
    return {"statuses": sorted(statuses), "seconds": spread(seconds), "peak_rss_growth_mb": spread(growth)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bodies-") as directory:
        workdir = Path(directory)
        with contextlib.redirect_stdout(sys.stderr):
            project = bake(workdir / "project")
            bin_dir = build_venv(project)
        slug = generated_slug(project, workdir)
        results = {}
        with redis_server() as redis, moto_server() as s3:
            services = Services(redis, s3)
            services.s3_client().create_bucket(Bucket=BUCKET)
            # MAX_UPLOAD_BYTES at its default (the test settings lower it): 4 MB is a valid upload size.
            settings = generated_settings(services, workdir, WEB_CONCURRENCY="1", MAX_UPLOAD_BYTES=str(10 * MB))
            with (
                stock_masonite(bin_dir, workdir, services, workers=1) as stock,
                generated_app(slug, bin_dir, settings) as app,
            ):
                for name, dyno in (("stock Masonite 5", stock), ("generated project", app)):
                    worker = gunicorn_worker(dyno.process.pid)
                    for kind, (body, content_type) in BODIES.items():
                        print(f"[bench] {name}, 4 MB {kind}", file=sys.stderr, flush=True)
                        results[(name, kind)] = measure(dyno.url, worker, body, content_type, options.runs)
    rows = [
        [
            name,
            f"4 MB {kind}",
            ", ".join(figures["statuses"]),
            fmt_spread(figures["seconds"], 3),
            fmt_spread(figures["peak_rss_growth_mb"], 1),
        ]
        for (name, kind), figures in results.items()
    ]
    print(table(["app", "body", "answer", "seconds to the answer", "worker peak RSS growth (MB)"], rows))


if __name__ == "__main__":
    main()
