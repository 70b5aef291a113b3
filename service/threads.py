"""How many CPU threads a request's query embedding gets, and how many requests search at
once: more threads while a request is the only one in flight, one each when several are,
and no more searching at a time than there are cores.

The embedding is nearly all of a request's time. Alone, a second thread cuts it by about a
third (docs/measurements.md has the figures); under load the cores are busy with other requests
already, and threads that wait for each other only cost throughput. Sixteen requests
embedding at once on two cores take turns on them all the way through; queued, each one
that starts runs to the end, and the slowest answers come sooner.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from planwijzer.cpu import usable_cores

P = ParamSpec("P")
T = TypeVar("T")


class ThreadBudget:
    """Runs blocking search work on the thread pool with a thread count chosen per request,
    at most ``at_once`` at a time (the number of cores when None), first come first served.

    Counting and queueing happen on the event loop, so they need no lock; each request's
    thread count is set in the pool thread that runs it (``limit_threads``), just before the
    work starts. A request is alone when no other is running or waiting.
    """

    def __init__(
        self, limit_threads: Callable[[int], None], alone: int, shared: int, at_once: int | None = None
    ) -> None:
        if alone < 1 or shared < 1:
            raise ValueError("a request needs at least one thread")
        self._limit_threads = limit_threads
        self.alone = alone
        self.shared = shared
        self.at_once = at_once or usable_cores()
        self.in_flight = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._turns: asyncio.Semaphore | None = None

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        self.in_flight += 1
        try:
            # asyncio's semaphore hands turns out in the order they were asked for.
            async with self._turns_on_this_loop():
                threads = self.alone if self.in_flight == 1 else self.shared
                return await run_in_threadpool(self._limited, threads, function, *args, **kwargs)
        finally:
            self.in_flight -= 1

    def rehearse(self, function: Callable[[], object]) -> None:
        """Runs ``function`` once with each thread count a request can get, on the calling
        thread: what a model prepares per thread count (ONNX Runtime opens a session for
        each) is then ready before the first request."""
        for threads in sorted({self.alone, self.shared}):
            self._limited(threads, function)

    def _turns_on_this_loop(self) -> asyncio.Semaphore:
        # A semaphore belongs to the event loop it first waited on; a service has one loop,
        # but tests and scripts may start several, one after the other.
        loop = asyncio.get_running_loop()
        if self._turns is None or loop is not self._loop:
            self._loop, self._turns = loop, asyncio.Semaphore(self.at_once)
        return self._turns

    def _limited(self, threads: int, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        self._limit_threads(threads)
        return function(*args, **kwargs)
