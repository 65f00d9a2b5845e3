"""The `throttle` route middleware, counted in Redis so the limit holds across every dyno.

Replaces stock Masonite's ThrottleRequestsMiddleware, which reads the count and then
increments it in separate cache calls (requests arriving together on several dynos all
pass) and turns a Redis outage into a 500 on every throttled route. Same route syntax:

* `throttle:uploads` names a limit: one registered the Masonite way
  (`RateLimiter.register("uploads", SomeLimiter())`), else an entry of `config/rates.py`'s
  LIMITS, which is counted per client (see production_layer/rates/ClientLimiter.py);
* `throttle:100/day` is one global limit shared by every client, as Masonite documents.

Several arguments (`throttle:uploads,1000/day`) must all have room. A limiter may return
a list of Masonite `Limit`s, all of which apply. Over the limit: a 429 with `Retry-After`
(and `X-RateLimit-Limit`/`-Remaining`/`-Reset` headers on every throttled response).

If Redis cannot be reached, or does not answer within half a second, the request goes
through, unthrottled, and a warning is logged (at most once a minute per process): these
limits protect against abuse and cost, and refusing every upload while Redis is down
would be an outage of its own. A limit that must never be exceeded (a login, a payment)
needs its own check that fails closed.
"""

import logging
import time

from masonite.middleware import Middleware
from masonite.rates import Limit
from redis.exceptions import RedisError

from production_layer.http_errors import TooManyRequests
from production_layer.rates.ClientLimiter import ClientLimiter
from production_layer.rates.limits import describe_wait, describe_window, limits_from_setting, window_seconds
from production_layer.rates.RateCounter import RateCounter, Window

logger = logging.getLogger("app.rates")

WARN_EVERY_SECONDS = 60
# Seconds a check waits for Redis before letting the request through (the cache's own timeout
# is longer, and a request may still wait that for its own cache calls).
REDIS_TIMEOUT = 0.5


class ThrottleRequests(Middleware):
    last_warning = float("-inf")

    def before(self, request, response, *arguments):
        windows = [window for argument in arguments for window in self.windows(request, argument.strip())]
        if not windows:
            return request
        try:
            decision = RateCounter.for_store(request.app.make("cache").store(), REDIS_TIMEOUT).hit(windows)
        except RedisError as error:
            self.warn_unthrottled(request, error)
            return request
        # Lower case: Masonite title-cases header names word by word, so "X-RateLimit-Limit" would go
        # out as "X-Rate-Limit-Limit"; this goes out as "X-Ratelimit-Limit", the same name to HTTP.
        headers = {
            "x-ratelimit-limit": str(decision.tightest.window.max_requests),
            "x-ratelimit-remaining": str(decision.remaining),
        }
        if not decision.allowed:
            window = decision.tightest.window
            wait = decision.retry_after
            headers.update({"retry-after": str(wait), "x-ratelimit-reset": str(decision.reset_at)})
            raise TooManyRequests(
                f"Too many requests: at most {window.max_requests} per {describe_window(window.seconds)}. "
                f"Please try again in {describe_wait(wait)}.",
                headers=headers,
            )
        response.with_headers(headers)
        return request

    def after(self, request, response, *arguments):
        return request

    def windows(self, request, argument: str) -> list[Window]:
        limits = self.limits(request, argument)
        if isinstance(limits, Limit):
            limits = [limits]
        return [
            Window(f"{argument}|{limit.key}", limit.max_attempts, window_seconds(limit))
            for limit in limits
            if not limit.is_unlimited()
        ]

    @staticmethod
    def limits(request, argument: str):
        try:
            # Masonite internal, pinned by test_rate_limiter_get_limiter_raises_key_error_for_unknown_names.
            limiter = request.app.make("rate").get_limiter(argument)
        except KeyError:
            pass
        else:
            return limiter.allow(request)
        configured = request.app.make("config").get("rates.limits") or {}
        if argument in configured:
            return ClientLimiter(configured[argument]).allow(request)
        if "/" in argument:
            return limits_from_setting(argument, key="")  # a global limit, as Masonite documents
        raise LookupError(
            f"throttle:{argument} names no limit: register a limiter with RateLimiter.register({argument!r}, ...) "
            f"or add {argument!r} to LIMITS in config/rates.py"
        )

    @classmethod
    def warn_unthrottled(cls, request, error: Exception) -> None:
        now = time.monotonic()
        if now - cls.last_warning >= WARN_EVERY_SECONDS:
            cls.last_warning = now
            logger.warning(
                "rate limits not enforced: Redis is unavailable (%s); %s %s let through",
                type(error).__name__,
                request.get_request_method(),
                request.get_path(),
            )
