"""Group 9: where a request's time goes, inside one app process.

`GET /uploads` for a returning visitor (session cookie, list from the cache) is sent through
the app's WSGI callable in-process, on the same services as the throughput group, and timed
with and without cProfile. The report shows the milliseconds per request and the functions
that take the most time of their own.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.benchmarks.report import table
from tests.support.dynos import dyno_environment

PROFILE = r"""
import cProfile, io, json, pstats, sys, time
sys.path.insert(0, ".")
from wsgi import application

def call(path, cookie=""):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "HTTP_COOKIE": cookie,
               "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1", "CONTENT_LENGTH": "0"}
    answer = {}
    body = b"".join(application(environ, lambda status, headers, exc=None: answer.update(status=status, headers=headers)))
    return answer, body

path, count = sys.argv[1], int(sys.argv[2])
answer, _ = call(path)
cookie = "; ".join(value.split(";")[0] for name, value in answer["headers"]
                   if name == "Set-Cookie" and value.split(";")[0].split("=", 1)[1])
for _ in range(200):
    assert call(path, cookie)[0]["status"].startswith("200")
started = time.perf_counter()
for _ in range(count):
    call(path, cookie)
per_request_ms = (time.perf_counter() - started) / count * 1000
profiler = cProfile.Profile()
profiler.enable()
for _ in range(count):
    call(path, cookie)
profiler.disable()
stats = pstats.Stats(profiler).stats
rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:12]
def label(file, line, name):
    if file == "~":
        return name.strip("<>")
    return f"{file.split('site-packages/')[-1].removeprefix(project)}:{line} {name}"

project = __import__("os").getcwd() + "/"
top = [{"function": label(file, line, name), "calls_per_request": calls / count,
        "own_ms_per_request": own / count * 1000, "total_ms_per_request": total / count * 1000}
       for (file, line, name), (_, calls, own, total, _) in rows]
print(json.dumps({"path": path, "per_request_ms": per_request_ms, "top": top}))
"""


def where_the_time_goes(slug: Path, bin_dir: Path, settings: dict[str, str], count: int = 2000) -> dict:
    env = dyno_environment(bin_dir, {**settings, "SESSION_SECURE_COOKIES": "false"})
    finished = subprocess.run(
        [str(bin_dir / "python"), "-c", PROFILE, "/uploads", str(count)],
        cwd=slug,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"profiling failed:\n{finished.stderr[-3000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def markdown(profile: dict) -> str:
    rows = [
        [
            f"`{entry['function']}`",
            f"{entry['calls_per_request']:.1f}",
            f"{entry['own_ms_per_request']:.3f}",
            f"{entry['total_ms_per_request']:.3f}",
        ]
        for entry in profile["top"]
    ]
    return (
        f"`GET {profile['path']}` for a returning visitor, through the app's WSGI callable in one process: "
        f"**{profile['per_request_ms']:.2f} ms per request** without the profiler. The functions that take the "
        "most time of their own under cProfile (which slows everything down, calls in C most of all):\n\n"
        + table(["Function", "Calls / request", "Own ms / request", "With callees ms / request"], rows)
    )
