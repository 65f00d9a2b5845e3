"""Fixed-window request counters in Redis, exact across every dyno and worker.

Stock Masonite's RateLimiter reads a count, decides, then increments it in separate
calls, so requests arriving together on several processes all see room and all pass.
Here one Lua script checks every window of a request and, only when all have room,
counts it in all of them. Redis runs a script as one step, so no number of processes
can let more than the limit through, and a refused request is not counted.

A window starts with its first request and ends `seconds` later (Redis expires the
counter), so a client can send at most twice the limit across the edge of two windows.
"""

import hashlib
import math
import time
from dataclasses import dataclass

import redis

from production_layer.drivers.RedisCacheDriver import connection_options, store_url

# KEYS: one counter per window. ARGV: max requests and window milliseconds, per window.
# Returns: allowed (1/0), then each window's count and milliseconds left.
CHECK_AND_COUNT = """
local allowed = 1
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[2 * i - 1]) then
    allowed = 0
  end
end
local result = {allowed}
for i, key in ipairs(KEYS) do
  local count
  if allowed == 1 then
    count = redis.call('INCR', key)
  else
    count = tonumber(redis.call('GET', key) or '0')
  end
  local left = redis.call('PTTL', key)
  if left == -1 then
    redis.call('PEXPIRE', key, ARGV[2 * i])
    left = tonumber(ARGV[2 * i])
  end
  table.insert(result, count)
  table.insert(result, left)
end
return result
"""


@dataclass(frozen=True)
class Window:
    name: str  # what is counted, e.g. "uploads|ip:203.0.113.7"
    max_requests: int
    seconds: int


@dataclass(frozen=True)
class WindowState:
    window: Window
    count: int
    seconds_left: float

    @property
    def full(self) -> bool:
        return self.count >= self.window.max_requests


@dataclass(frozen=True)
class Decision:
    allowed: bool
    windows: list[WindowState]

    @property
    def remaining(self) -> int:
        return max(0, min(state.window.max_requests - state.count for state in self.windows))

    @property
    def tightest(self) -> WindowState:
        """The window with the fewest requests left (the one that refused, when refused)."""
        return min(self.windows, key=lambda state: (state.window.max_requests - state.count, -state.seconds_left))

    @property
    def retry_after(self) -> int:
        """Whole seconds until every full window has room again (at least 1)."""
        waits = [state.seconds_left for state in self.windows if state.full] or [0]
        return max(1, math.ceil(max(waits)))

    @property
    def reset_at(self) -> int:
        return int(time.time()) + self.retry_after


class RateCounter:
    # Per process: a client of the cache store's Redis with short timeouts (see for_store).
    _clients: dict = {}

    def __init__(self, redis_client, key_prefix: str):
        self.redis = redis_client
        self.key_prefix = key_prefix

    @classmethod
    def for_store(cls, store, timeout: float) -> "RateCounter":
        """Counters in the Redis of a RedisCacheDriver store, under its namespace.

        The check waits at most `timeout` seconds for Redis: a rate limit that cannot be
        checked is let through, and a request should not also wait the cache's own timeout
        (it may wait that again for its own cache calls).
        """
        url = store_url(store.options)
        settings = connection_options({**store.options, "connect_timeout": timeout, "socket_timeout": timeout})
        identity = (url, tuple(sorted(settings.items(), key=lambda item: item[0])))
        if identity not in cls._clients:
            cls._clients[identity] = redis.Redis.from_url(url, **settings)
        return cls(cls._clients[identity], store.key("throttle:"))

    def hit(self, windows: list[Window]) -> Decision:
        """Count one request in every window if all have room; raises redis' errors."""
        script = self.redis.register_script(CHECK_AND_COUNT)
        keys = [self.key(window) for window in windows]
        arguments = [value for window in windows for value in (window.max_requests, window.seconds * 1000)]
        allowed, *states = script(keys=keys, args=arguments)
        return Decision(
            allowed=bool(allowed),
            windows=[
                WindowState(window, int(states[2 * i]), max(0, int(states[2 * i + 1])) / 1000)
                for i, window in enumerate(windows)
            ],
        )

    def key(self, window: Window) -> str:
        digest = hashlib.sha256(window.name.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return f"{self.key_prefix}{digest}:{window.seconds}"
