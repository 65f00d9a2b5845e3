"""Group 1: requests/s, p50 and p99 of each app under the same load, measured in rounds.

Each round loads every target once, one after the other, so that a slow patch of the
machine touches all of them; the ratios compare targets within the same round.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import requests

from tests.benchmarks.loadgen import LoadResult, run_load
from tests.benchmarks.report import at_least, at_most, fmt_spread, ratios, spread, table


@dataclass
class LoadTarget:
    key: str
    app: str
    route: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[], None] | None = None  # run before every measurement (e.g. warm the cache)
    results: list[LoadResult] = field(default_factory=list)

    def check(self) -> None:
        response = requests.get(self.url, headers=self.headers, timeout=30, allow_redirects=False)
        if response.status_code != 200:
            raise RuntimeError(f"{self.app} {self.route} answered {response.status_code}: {response.text[:300]}")


def measure(targets: list[LoadTarget], runs: int, seconds: float, connections: int, tool: str) -> None:
    for target in targets:
        target.check()
        if target.prepare:
            target.prepare()
        run_load(target.url, 1.0, connections, target.headers, tool)  # warm-up, not recorded
    for round_number in range(1, runs + 1):
        for target in targets:
            if target.prepare:
                target.prepare()
            result = run_load(target.url, seconds, connections, target.headers, tool)
            target.results.append(result)
            print(
                f"[bench] round {round_number}/{runs} {target.app} {target.route}: "
                f"{result.requests_per_second:,.0f} requests/s, p50 {result.p50_ms:.1f} ms, "
                f"p99 {result.p99_ms:.1f} ms, errors {result.errors}",
                file=sys.stderr,
            )


def summarise(targets: list[LoadTarget]) -> dict:
    by_key = {target.key: target for target in targets}

    def rps(key: str) -> list[float]:
        return [result.requests_per_second for result in by_key[key].results]

    return {
        "targets": {
            target.key: {
                "app": target.app,
                "route": target.route,
                "requests_per_second": spread([r.requests_per_second for r in target.results]),
                "p50_ms": spread([r.p50_ms for r in target.results]),
                "p99_ms": spread([r.p99_ms for r in target.results]),
                "errors": sum(r.errors for r in target.results),
                "runs": [asdict(r) for r in target.results],
            }
            for target in targets
        },
        "ratios": {
            "uploads_vs_stock": ratios(rps("uploads"), rps("stock")),
            "welcome_vs_stock": ratios(rps("welcome"), rps("stock")),
            "health_vs_ceiling": ratios(rps("health"), rps("hello")),
            "health_vs_ceiling_without_access_log": ratios(rps("health_quiet"), rps("hello_quiet")),
            "uploads_vs_ceiling": ratios(rps("uploads"), rps("hello")),
            "stock_vs_ceiling": ratios(rps("stock"), rps("hello")),
            "uploads_p99_vs_p50": spread([r.p99_ms / r.p50_ms for r in by_key["uploads"].results]),
        },
    }


def targets(summary: dict) -> list:
    ratio = summary["ratios"]
    return [
        at_least("Generated `/uploads` GET vs stock `/`, requests/s", ratio["uploads_vs_stock"], 3.0),
        at_most("Generated `/uploads` GET, p99 ÷ p50 (8 connections)", ratio["uploads_p99_vs_p50"], 3.0, "x"),
        at_least(
            "Generated `/health` vs bare WSGI ceiling (access log on), requests/s", ratio["health_vs_ceiling"], 0.3
        ),
    ]


def markdown(summary: dict) -> str:
    rows = []
    ceilings = {key: summary["targets"][key]["requests_per_second"]["median"] for key in ("hello", "hello_quiet")}
    for key, figures in summary["targets"].items():
        ceiling = ceilings["hello_quiet" if key.endswith("_quiet") else "hello"]
        rows.append(
            [
                figures["app"],
                figures["route"],
                fmt_spread(figures["requests_per_second"]),
                f"{figures['requests_per_second']['median'] / ceiling:.2f}x",
                fmt_spread(figures["p50_ms"], 1),
                fmt_spread(figures["p99_ms"], 1),
                str(figures["errors"]),
            ]
        )
    ratio = summary["ratios"]
    ratio_rows = [
        ["generated `/uploads` GET ÷ stock `/`", fmt_spread(ratio["uploads_vs_stock"], 2, "x")],
        ["generated `/` ÷ stock `/` (same kind of page)", fmt_spread(ratio["welcome_vs_stock"], 2, "x")],
        ["generated `/health` ÷ bare WSGI, access log on (both)", fmt_spread(ratio["health_vs_ceiling"], 2, "x")],
        [
            "generated `/health` ÷ bare WSGI, access log off (both)",
            fmt_spread(ratio["health_vs_ceiling_without_access_log"], 2, "x"),
        ],
        ["generated `/uploads` GET ÷ bare WSGI, access log on", fmt_spread(ratio["uploads_vs_ceiling"], 2, "x")],
        ["stock `/` ÷ bare WSGI, access log on", fmt_spread(ratio["stock_vs_ceiling"], 2, "x")],
        ["generated `/uploads` GET: p99 ÷ p50", fmt_spread(ratio["uploads_p99_vs_p50"], 2, "x")],
    ]
    return "\n\n".join(
        [
            table(["App", "Route", "Requests/s", "of its ceiling", "p50 ms", "p99 ms", "errors"], rows),
            table(["Ratio (round by round)", "median (min–max)"], ratio_rows),
        ]
    )
