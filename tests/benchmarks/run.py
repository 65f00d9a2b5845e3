"""`make bench`: measure the generated app against stock Masonite 5 and the bare-WSGI ceiling.

    python -m tests.benchmarks.run [--runs 5] [--seconds 4] [--connections 8] [--loadgen auto|wrk|python]
                                   [--no-suite] [--json build/bench.json] [--docs docs/benchmarks.md]

Bakes the default answers, installs the project's requirements.txt in a fresh venv, starts
PostgreSQL (configured like Heroku Postgres), a real Valkey and an S3 emulator (moto server) on loopback, and serves each app with
gunicorn (2 sync workers). Writes a Markdown report to stdout (progress goes to stderr) and
every figure, run by run, to build/bench.json. Each figure is the median of --runs runs,
shown with its min and max; targets get a pass/miss mark but never fail the command.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks import database, first_run, footprint, profile, resources, suite_duration, throughput
from tests.benchmarks.loadgen import choose_tool, tool_description
from tests.benchmarks.report import machine, machine_line, targets_json, targets_table
from tests.benchmarks.servers import (
    Services,
    generated_app,
    generated_settings,
    generated_slug,
    hello_world,
    stock_masonite,
    web_command,
)
from tests.conftest import BUCKET
from tests.support.baking import bake
from tests.support.browser import Browser
from tests.support.postgres import find_binaries, postgres_server
from tests.support.processes import moto_server, redis_server
from tests.support.project_venv import build_venv

ROOT = Path(__file__).resolve().parents[2]
SEEDED_UPLOADS = 5


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def cookie_header(browser: Browser) -> str:
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


def load_targets(hello, hello_quiet, stock, app, app_quiet) -> list[throughput.LoadTarget]:
    stock_visitor = Browser(stock.url)
    stock_visitor.get("/")
    visitor = Browser(app.url)
    token = visitor.csrf_token()
    for number in range(SEEDED_UPLOADS):
        answer = visitor.post(
            "/uploads", data={"__token": token}, files={"file": (f"file-{number}.txt", b"benchmark", "text/plain")}
        )
        assert answer.status_code == 303, answer.text[:300]
    session = {"Cookie": cookie_header(visitor)}

    def warm_cache() -> None:
        visitor.get("/uploads")  # the upload list is cached; refill it before each run

    quiet = " (access log off)"
    return [
        throughput.LoadTarget("hello", "bare WSGI hello-world", "`/`", hello.url + "/"),
        throughput.LoadTarget("hello_quiet", "bare WSGI hello-world" + quiet, "`/`", hello_quiet.url + "/"),
        throughput.LoadTarget(
            "stock",
            "stock Masonite 5 (`project start`)",
            "`/` (web group, session cookie)",
            stock.url + "/",
            {"Cookie": cookie_header(stock_visitor)},
        ),
        throughput.LoadTarget(
            "welcome", "generated project", "`/` (web group, session cookie)", app.url + "/", session
        ),
        throughput.LoadTarget(
            "health", "generated project", "`/health` (cache, storage and database status)", app.url + "/health"
        ),
        throughput.LoadTarget("health_quiet", "generated project" + quiet, "`/health`", app_quiet.url + "/health"),
        throughput.LoadTarget(
            "uploads",
            "generated project",
            "`/uploads` GET (session cookie, list from the cache)",
            app.url + "/uploads",
            session,
            warm_cache,
        ),
    ]


def measure_all(options, workdir: Path) -> dict:
    started = time.monotonic()
    tool = choose_tool(options.loadgen)
    log("baking the default answers and installing requirements.txt in a fresh venv")
    with contextlib.redirect_stdout(sys.stderr):
        project = bake(workdir / "project")
        bin_dir = build_venv(project)
    results = {
        "machine": machine(bin_dir / "python"),
        "settings": {
            "runs": options.runs,
            "seconds": options.seconds,
            "connections": options.connections,
            "load_generator": tool_description(tool),
            "workers": 2,
            "worker_class": "sync",
        },
    }
    slug = generated_slug(project, workdir)

    with redis_server() as redis, moto_server() as s3, postgres_server(find_binaries()) as postgres:
        services = Services(redis, s3, postgres)
        services.s3_client().create_bucket(Bucket=BUCKET)
        settings = generated_settings(services, WEB_CONCURRENCY="2")
        logged, quiet = web_command(slug, access_log=True), web_command(slug, access_log=False)
        with (
            hello_world(bin_dir, workdir, logged) as hello,
            hello_world(bin_dir, workdir, quiet, name="hello-world-quiet") as hello_quiet,
            stock_masonite(bin_dir, workdir, services, command=logged) as stock,
            generated_app(slug, bin_dir, settings, command=logged) as app,
            generated_app(slug, bin_dir, settings, "web.quiet", release=False, command=quiet) as app_quiet,
        ):
            log(
                f"1. throughput: {options.runs} rounds of {options.seconds:g} s per app, "
                f"{options.connections} connections, {tool}"
            )
            targets = load_targets(hello, hello_quiet, stock, app, app_quiet)
            throughput.measure(targets, options.runs, options.seconds, options.connections, tool)
            results["throughput"] = throughput.summarise(targets)
            log("9. where the time goes (in-process profile of GET /uploads)")
            results["profile"] = profile.where_the_time_goes(slug, bin_dir, settings)
        services.empty_bucket()
        log("2. cache cost")
        results["cache"] = resources.cache_cost(slug, bin_dir, settings, max(options.runs, 5))
        log("3. upload memory")
        results["upload_memory"] = resources.upload_memory(slug, bin_dir, services, settings, workdir, options.runs)
        log("4. cold boot")
        results["cold_boot"] = resources.cold_boot(slug, bin_dir, settings, max(options.runs, 5))
        results["database"] = database.measure(slug, bin_dir, services, options.runs)
    log("5. slug weight")
    results["slug_weight"] = footprint.slug_weight(bin_dir)
    log("6. template bake")
    results["template"] = footprint.template_bake(options.runs)
    log("8. first run (make install, make dev)")
    results["first_run"] = first_run.first_run(min(max(options.runs, 1), 3))
    if options.suite:
        log("10. the template's make test from a fresh clone")
        results["suite"] = suite_duration.suite_duration()

    targets = (
        throughput.targets(results["throughput"])
        + resources.targets(results["cache"], results["upload_memory"], results["cold_boot"])
        + database.targets(results["database"])
        + first_run.targets(results["first_run"])
        + (suite_duration.targets(results["suite"]) if options.suite else [])
    )
    results["targets"] = targets_json(targets)
    results["total_seconds"] = time.monotonic() - started
    results["markdown"] = render(results, targets)
    return results


def render(results: dict, targets: list) -> str:
    settings = results["settings"]
    return (
        "\n\n".join(
            [
                "# Benchmarks",
                f"Machine: {machine_line(results['machine'])}.",
                f"Produced by `make bench` (`python -m tests.benchmarks.run`) in {results['total_seconds'] / 60:.1f} min. "
                f"Each figure is the median of {settings['runs']} or more runs, with (min–max) beside it; every "
                "comparison ran side by side in the same run. Raw figures: `build/bench.json`.",
                "## Targets",
                targets_table(targets),
                "## 1. Throughput and latency",
                f"Every app served by gunicorn with {settings['workers']} {settings['worker_class']} workers; "
                f"load from {settings['load_generator']} in a separate process, {settings['connections']} connections, "
                f"{settings['runs']} rounds of {settings['seconds']:g} s per app (each round runs every app once, "
                "and ratios compare apps within a round). Every app is served the same way: by the generated "
                "project's own Procfile `web` command (gunicorn, the same worker class, workers, timeouts and "
                "`--preload`), with its access log, and the ceiling and `/health` once more without it (the "
                "access log costs the ceiling the most; each variant is compared with its own ceiling). "
                "Valkey, PostgreSQL and the S3 emulator (moto server, Python) run on the same machine, so the CPU "
                "they spend answering counts against the app that calls them.",
                throughput.markdown(results["throughput"]),
                "## 2. Cache cost",
                "A 100-character value, from inside the app's process, against the same Valkey server: the app's "
                "cache store (`production_layer/drivers/RedisCacheDriver.py`, JSON-encoded, namespaced keys) against raw redis-py "
                "`GET`/`SET ... EX`.",
                resources.markdown_cache(results["cache"]),
                "## 3. Upload memory",
                "One worker (`WEB_CONCURRENCY=1`), `MAX_UPLOAD_BYTES` raised for the run, a fresh dyno for each "
                "run: growth of the worker's peak RSS (VmHWM, reset through `/proc/<pid>/clear_refs`) over its "
                "RSS before the upload, after two warm-up uploads (small, and 9 MB for the multipart path).",
                resources.markdown_memory(results["upload_memory"]),
                "## 4. Cold boot",
                resources.markdown_boot(results["cold_boot"]),
                "## 5. Slug weight",
                footprint.markdown_slug(results["slug_weight"]),
                "## 6. Template",
                footprint.markdown_template(results["template"]),
                "## 7. Database",
                database.markdown(results["database"]),
                "## 8. First run",
                first_run.markdown(results["first_run"]),
                "## 9. Where the time goes",
                profile.markdown(results["profile"]),
            ]
            + (
                ["## 10. The template's test suite", suite_duration.markdown(results["suite"])]
                if "suite" in results
                else []
            )
        )
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each load run")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections of the load generator")
    parser.add_argument(
        "--loadgen",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="auto: wrk when installed, else the Python load generator",
    )
    parser.add_argument(
        "--no-suite",
        dest="suite",
        action="store_false",
        help="skip timing the template's own make test from a fresh clone (several minutes)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--docs", type=Path, help="also write the Markdown report to this file")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        results = measure_all(options, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    markdown = results.pop("markdown")
    print(markdown)
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(results, indent=2) + "\n")
    if options.docs:
        options.docs.write_text(markdown)
    log(f"done in {results['total_seconds']:.0f} s; JSON in {options.json}")


if __name__ == "__main__":
    main()
