import asyncio
import threading
import time

import pytest

from planwijzer.service.threads import ThreadBudget


class Recorder:
    """Stands in for the model: remembers which pool thread was given how many threads."""

    def __init__(self) -> None:
        self.given: dict[int, int] = {}

    def limit(self, count: int) -> None:
        self.given[threading.get_ident()] = count

    def threads_here(self) -> int:
        return self.given[threading.get_ident()]


def test_a_request_alone_gets_more_threads_and_requests_together_one_each() -> None:
    recorder = Recorder()
    budget = ThreadBudget(recorder.limit, alone=2, shared=1, at_once=3)

    async def scenario() -> tuple[int, list[int]]:
        alone = await budget.run(recorder.threads_here)
        release = threading.Event()
        started = threading.Barrier(4)  # three requests and the test

        def held() -> int:
            started.wait(timeout=5)
            release.wait(timeout=5)
            return recorder.threads_here()

        together = [asyncio.create_task(budget.run(held)) for _ in range(3)]
        await asyncio.to_thread(started.wait, 5)  # all three running at once
        release.set()
        return alone, sorted(await asyncio.gather(*together))

    alone, together = asyncio.run(scenario())
    assert alone == 2
    # The first of the three may have started alone; the others found company.
    assert together[:2] == [1, 1]
    assert budget.in_flight == 0


@pytest.mark.parametrize(("alone", "shared", "rehearsed"), [(2, 1, [1, 2]), (1, 1, [1])])
def test_a_rehearsal_runs_once_with_each_thread_count_a_request_can_get(
    alone: int, shared: int, rehearsed: list[int]
) -> None:
    recorder = Recorder()
    budget = ThreadBudget(recorder.limit, alone=alone, shared=shared)
    seen: list[int] = []
    budget.rehearse(lambda: seen.append(recorder.threads_here()))
    assert seen == rehearsed and budget.in_flight == 0


def test_errors_pass_through_and_the_count_stays_right() -> None:
    budget = ThreadBudget(lambda _count: None, alone=2, shared=1)

    def broken() -> None:
        raise RuntimeError("search failed")

    with pytest.raises(RuntimeError, match="search failed"):
        asyncio.run(budget.run(broken))
    assert budget.in_flight == 0
    with pytest.raises(ValueError, match="at least one thread"):
        ThreadBudget(lambda _count: None, alone=0, shared=1)


@pytest.mark.parametrize("at_once", [1, 2])
def test_no_more_searches_run_at_once_than_allowed(at_once: int) -> None:
    budget = ThreadBudget(lambda _count: None, alone=2, shared=1, at_once=at_once)
    lock = threading.Lock()
    running = [0]
    most = [0]

    def search() -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1

    async def burst() -> None:
        await asyncio.gather(*(budget.run(search) for _ in range(6)))

    asyncio.run(burst())
    assert most[0] == at_once
