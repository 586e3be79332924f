"""The local engine: batches through a process pool, a bounded number in flight, in order.

Annotating is CPU-bound pure Python, so threads would share one core; processes do not. The
pool gets at most ``2 * workers`` batches ahead of the writer (back-pressure), so memory holds a
few batches whatever the input size, and results come back in submission order, so output
records keep their input order. ``workers=1`` runs in the calling process, with no pool at all.

Workers never outlive their run: they ignore SIGINT (Ctrl-C reaches the whole process group;
the parent decides), `LocalPool.close` with ``abort`` ends them at once, and each watches its
parent and exits when the parent is gone, even after a SIGKILL that left no time to clean up.

>>> from cleanup.corpus.io import Batch
>>> from cleanup.corpus.work import Task
>>> batches = [Batch(0, "a.jsonl", "jsonl", 1, b'{"text": "ok"}\\n', last=True)]
>>> with LocalPool(Task(), workers=1) as pool:
...     [r.stats.annotated for r in pool.annotate(batches)]
[1]
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Self, TypeVar

from cleanup.corpus.io import Batch, BatchResult
from cleanup.corpus.work import Task, annotate_records, annotate_texts

_T = TypeVar("_T")

#: Batches submitted ahead of the one being written, per worker.
IN_FLIGHT_PER_WORKER = 2

_worker_task: Task | None = None


#: Seconds between two looks of a worker at whether its parent is still there.
PARENT_CHECK_SECONDS = 0.5


def _start_worker(task: Task) -> None:
    """Pool initializer: the options arrive once per process, not with every batch."""
    global _worker_task
    _worker_task = task
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True,
                     name="cleanup-parent-watch").start()


def _exit_with_parent(parent: int) -> None:
    """Exit when the parent is gone (the worker is adopted by another process): a worker
    blocked on its task queue would otherwise wait for a parent that never comes back."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _annotate_in_worker(batch: Batch) -> BatchResult:
    assert _worker_task is not None, "worker started without a task"
    return annotate_records(batch, _worker_task)


def _observe_names_in_worker(batch: Batch) -> tuple[int, list[tuple[int, tuple[Any, ...]]]]:
    """The first pass's per-text work on one batch: (line, observed mentions) of each record."""
    assert _worker_task is not None, "worker started without a task"
    from cleanup.corpus.names import observe_batch

    return observe_batch(batch, _worker_task)


#: Text a new worker annotates first, so that it imports the detectors and loads their data
#: (about a second) while the main process still reads or makes its first pass.
WARM_UP_TEXT = "Café Zürich said [Израиля] it’s fine , isn’t it?"


def _warm_up() -> None:
    assert _worker_task is not None, "worker started without a task"
    annotate_texts([WARM_UP_TEXT], _worker_task)


class LocalPool:
    """A process pool for a run, started (and warming up) as soon as it is created.

    ``workers=1`` starts no process: batches are annotated in the calling process.
    """

    def __init__(self, task: Task, workers: int) -> None:
        self.task = task
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1:
            # spawn, not fork: the parent may run a progress thread, and forking threads is
            # unsafe.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(workers, mp_context=context,
                                             initializer=_start_worker, initargs=(task,))
            for _ in range(workers):
                self._pool.submit(_warm_up)

    def annotate(self, batches: Iterable[Batch]) -> Iterator[BatchResult]:
        """Results of ``batches`` in their order, at most `IN_FLIGHT_PER_WORKER` per worker ahead."""
        if self._pool is None:
            for batch in batches:
                yield annotate_records(batch, self.task)
            return
        yield from self._ordered(self._pool, _annotate_in_worker, batches)

    def observe_names(self, batches: Iterable[Batch]
                      ) -> Iterator[tuple[int, list[tuple[int, tuple[Any, ...]]]]]:
        """The names first pass over ``batches``, in their order, spread over the workers."""
        from cleanup.corpus.names import observe_batch

        if self._pool is None:
            for batch in batches:
                yield observe_batch(batch, self.task)
            return
        yield from self._ordered(self._pool, _observe_names_in_worker, batches)

    def _ordered(self, pool: ProcessPoolExecutor, function: Callable[[Batch], _T],
                 batches: Iterable[Batch]) -> Iterator[_T]:
        """``function`` over ``batches`` in the pool, in order, a bounded number ahead."""
        pending: deque[Future[_T]] = deque()
        for batch in batches:
            pending.append(pool.submit(function, batch))
            if len(pending) >= IN_FLIGHT_PER_WORKER * self.workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self, *, abort: bool = False) -> None:
        """Stop the workers: after their work in flight, or with ``abort`` at once."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if abort:
            terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
            if terminate is not None:
                terminate()
                return
            # Before 3.14 the pool has no public way to end its workers.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self.close(abort=exc_type is not None)
