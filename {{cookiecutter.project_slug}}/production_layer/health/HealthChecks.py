"""Check the services the app depends on, each with a deadline.

The checks run side by side in threads, and the report is returned when all
have answered or the deadline passes, so a hung dependency cannot hold the
probe (or Heroku's router) for longer than a few seconds.

Redis and the database are checked on every call. S3 is a remote, per-request
billed service with tens of milliseconds of latency, so a dyno reuses its last
successful storage check for STORAGE_RECHECK_SECONDS; a failure is never reused.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor, wait

logger = logging.getLogger("app.health")

DEADLINE_SECONDS = 4.0
STORAGE_RECHECK_SECONDS = 10.0


class HealthChecks:
    def __init__(self, application):
        self.application = application
        self.executor = ThreadPoolExecutor(max_workers=6, thread_name_prefix="health")
        self.storage_ok_at = float("-inf")

    def checks(self) -> dict:
        return {
            "cache": self.check_cache,
            "storage": self.check_storage,
            "database": self.check_database,
        }

    def run(self) -> dict:
        checks = self.checks()
        if self.storage_is_known_good():
            del checks["storage"]  # nothing to wait for: a success this recent is reused
        futures = {name: self.executor.submit(check) for name, check in checks.items()}
        wait(futures.values(), timeout=DEADLINE_SECONDS)
        results = {name: self.outcome(name, futures[name]) if name in futures else "ok" for name in self.checks()}
        status = "ok" if all(value == "ok" for value in results.values()) else "failing"
        return {"status": status, "checks": results}

    def storage_is_known_good(self) -> bool:
        return time.monotonic() - self.storage_ok_at < STORAGE_RECHECK_SECONDS

    @staticmethod
    def outcome(name: str, future) -> str:
        if not future.done():
            logger.warning("health check %s timed out", name)
            return "timeout"
        error = future.exception()
        if error is not None:
            logger.warning("health check %s failed: %s", name, type(error).__name__)
            return "error"
        return "ok"

    def check_cache(self) -> None:
        self.application.make("cache").store().get_connection().ping()

    def check_storage(self) -> None:
        if self.storage_is_known_good():
            return
        self.application.make("storage").disk("s3").check()
        self.storage_ok_at = time.monotonic()

    def check_database(self) -> None:
        # Through the ORM, so through the worker's connection pool: a probe opens no new connection.
        from masoniteorm.query import QueryBuilder

        QueryBuilder().statement("SELECT 1")
