"""A bounded pool of PostgreSQL connections for one process, safe across fork and server restarts.

Masonite ORM opens a new connection (a new TLS handshake) for every query, and its
optional ``CONNECTION_POOL`` is a module-level list that is unbounded in connections
opened, never checks a connection before reuse (after a server restart every pooled
connection is dead and goes back to the list after failing), and is copied into every
gunicorn worker forked from a ``--preload`` master, so workers would share sockets.

This pool:

* opens at most ``max_size`` connections per process, lazily; a caller waits up to
  ``timeout`` seconds for one to be free, then gets PoolTimeout;
* checks an idle connection before handing it out: one the server has closed (it is
  readable while idle, or marked closed) is discarded, and one idle for longer than
  ``ping_after`` seconds answers ``SELECT 1`` first, so a restarted server costs no error;
* drops a connection returned broken or inside a transaction instead of reusing it;
* closes its idle connections before ``os.fork()`` and starts empty in the child, where
  connections that were in use in the parent are detached without a word to the server
  (the parent still owns them).
"""

import contextlib
import os
import select
import threading
import time
import weakref
from collections.abc import Callable

import psycopg2
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

PING_AFTER_SECONDS = 30.0


class PoolTimeout(Exception):
    """Every connection of the pool stayed in use for the whole wait."""


class ConnectionPool:
    def __init__(
        self, connect: Callable[[], object], max_size: int, timeout: float, ping_after: float = PING_AFTER_SECONDS
    ):
        self.connect = connect
        self.max_size = max_size
        self.timeout = timeout
        self.ping_after = ping_after
        self.opened = 0
        self._idle: list[tuple[object, float]] = []
        self._in_use: set = set()
        self._lock = threading.Condition()
        _POOLS.add(self)

    def size(self) -> int:
        """Connections open in this process: idle and in use."""
        with self._lock:
            return len(self._idle) + len(self._in_use)

    def acquire(self):
        deadline = time.monotonic() + self.timeout
        while True:
            with self._lock:
                if self._idle:
                    connection, idle_since = self._idle.pop()
                elif len(self._in_use) < self.max_size:
                    connection = None
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise PoolTimeout(
                            f"all {self.max_size} database connections of this process stayed busy "
                            f"for {self.timeout:g} s"
                        )
                    self._lock.wait(remaining)
                    continue
                slot = connection if connection is not None else object()
                self._in_use.add(slot)
            # Outside the lock: connecting to (or pinging) a slow server holds up no other thread.
            if connection is None:
                return self.open_new(slot)
            if self.usable(connection, time.monotonic() - idle_since):
                return connection
            self.free(connection)
            close_quietly(connection)

    def open_new(self, slot):
        try:
            connection = self.connect()
            connection.autocommit = True
        except BaseException:
            self.free(slot)
            raise
        with self._lock:
            self._in_use.discard(slot)
            self._in_use.add(connection)
            self.opened += 1
        return connection

    def free(self, slot) -> None:
        with self._lock:
            self._in_use.discard(slot)
            self._lock.notify()

    def release(self, connection) -> None:
        reusable = not connection.closed and connection.info.transaction_status == TRANSACTION_STATUS_IDLE
        if reusable:
            connection.autocommit = True  # a caller may have turned it off for a transaction
        with self._lock:
            if connection not in self._in_use:
                return  # inherited from the parent process, or released twice
            self._in_use.discard(connection)
            if reusable:
                self._idle.append((connection, time.monotonic()))
            self._lock.notify()
        if not reusable:
            close_quietly(connection)

    def usable(self, connection, idle_seconds: float) -> bool:
        if connection.closed or has_pending_input(connection):
            return False
        if idle_seconds < self.ping_after:
            return True
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except psycopg2.Error:
            return False

    def close_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection, _ in idle:
            close_quietly(connection)

    def _before_fork(self) -> None:
        self._lock.acquire()
        idle, self._idle = self._idle, []
        for connection, _ in idle:
            close_quietly(connection)

    def _after_fork_in_parent(self) -> None:
        self._lock.release()

    def _after_fork_in_child(self) -> None:
        inherited, self._in_use = self._in_use, set()
        for connection in inherited:
            if isinstance(connection, psycopg2.extensions.connection):
                detach(connection)
        self._lock = threading.Condition()


def has_pending_input(connection) -> bool:
    """An idle connection has nothing to read unless the server is closing it (shutdown, restart)."""
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def close_quietly(connection) -> None:
    with contextlib.suppress(Exception):
        connection.close()


def detach(connection) -> None:
    """Point a connection inherited through fork at /dev/null, so that closing it here later
    neither closes nor writes to the socket the parent process still uses."""
    if connection.closed:
        return
    null = os.open(os.devnull, os.O_RDWR)
    try:
        os.dup2(null, connection.fileno())
    finally:
        os.close(null)


_POOLS: "weakref.WeakSet[ConnectionPool]" = weakref.WeakSet()


def _each_pool(method: str) -> Callable[[], None]:
    def run() -> None:
        for pool in list(_POOLS):
            getattr(pool, method)()

    return run


os.register_at_fork(
    before=_each_pool("_before_fork"),
    after_in_parent=_each_pool("_after_fork_in_parent"),
    after_in_child=_each_pool("_after_fork_in_child"),
)
