"""Drive a Masonite project from inside its own process, as `python craft tinker` would.

An agent is a long-lived Python process started in the project's directory with
the project's venv. The test sends it code; the code runs with `application`
(from the project's `wsgi.py`) in scope and leaves its answer in `result`. Two
agents are two app processes, which is what the multi-process cache tests need.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

AGENT_SOURCE = r"""
import json, sys, traceback
sys.path.insert(0, ".")
namespace = {}
try:
    from wsgi import application
    namespace["application"] = application
    print(json.dumps({"ready": True}), flush=True)
except BaseException as error:
    print(json.dumps({"ready": False, "error": f"{type(error).__name__}: {error}"}), flush=True)
    sys.exit(0)
for line in sys.stdin:
    namespace.pop("result", None)
    try:
        exec(json.loads(line), namespace)
        reply = {"result": namespace.get("result")}
    except BaseException as error:
        reply = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
    print(json.dumps(reply, default=repr), flush=True)
"""


class AgentError(RuntimeError):
    pass


class AppAgent:
    def __init__(self, project: Path, python: Path, env: dict[str, str]):
        self.process = subprocess.Popen(
            [str(python), "-c", AGENT_SOURCE],
            cwd=project,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        hello = json.loads(self.process.stdout.readline() or '{"ready": false, "error": "no output"}')
        self.boot_error = hello.get("error")

    def run(self, code: str):
        """Run ``code`` in the app process; returns the value it assigned to ``result``."""
        if self.boot_error:
            raise AgentError(f"the app did not boot: {self.boot_error}")
        self.process.stdin.write(json.dumps(code) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        if "error" in reply:
            raise AgentError(reply["error"] + "\n" + reply.get("trace", ""))
        return reply["result"]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> AppAgent:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
