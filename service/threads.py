"""How many CPU threads a request's query embedding gets: more while it is the only request
in flight, one each when several are.

The embedding is nearly all of a request's time. Alone, a second thread cuts it by about a
third (the README has the figures); under load the cores are busy with other requests
already, and threads that wait for each other only cost throughput.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

P = ParamSpec("P")
T = TypeVar("T")


class ThreadBudget:
    """Runs blocking search work on the thread pool with a thread count chosen per request.

    The count of requests in flight is kept on the event loop, so it needs no lock; each
    request's count is set in the pool thread that runs it (``limit_threads``), just before
    the work starts.
    """

    def __init__(self, limit_threads: Callable[[int], None], alone: int, shared: int) -> None:
        if alone < 1 or shared < 1:
            raise ValueError("a request needs at least one thread")
        self._limit_threads = limit_threads
        self.alone = alone
        self.shared = shared
        self.in_flight = 0

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        self.in_flight += 1
        threads = self.alone if self.in_flight == 1 else self.shared
        try:
            return await run_in_threadpool(self._limited, threads, function, *args, **kwargs)
        finally:
            self.in_flight -= 1

    def _limited(self, threads: int, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        self._limit_threads(threads)
        return function(*args, **kwargs)
