"""The local engine: batches through a process pool, a bounded number in flight, in order.

Annotating is CPU-bound pure Python, so threads would share one core; processes do not. The
pool gets at most ``2 * workers`` batches ahead of the writer (back-pressure), so memory holds a
few batches whatever the input size, and results come back in submission order, so output
records keep their input order. ``workers=1`` runs in the calling process, with no pool at all.

>>> from cleanup.corpus.io import Batch
>>> from cleanup.corpus.work import Task
>>> batches = [Batch(0, "a.jsonl", "jsonl", 1, b'{"text": "ok"}\\n', last=True)]
>>> [r.stats.annotated for r in annotate_in_pool(batches, Task(), workers=1)]
[1]
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from cleanup.corpus.io import Batch, BatchResult
from cleanup.corpus.work import Task, annotate_records

#: Batches submitted ahead of the one being written, per worker.
IN_FLIGHT_PER_WORKER = 2

_worker_task: Task | None = None


def _start_worker(task: Task) -> None:
    """Pool initializer: the options arrive once per process, not with every batch."""
    global _worker_task
    _worker_task = task


def _annotate_in_worker(batch: Batch) -> BatchResult:
    assert _worker_task is not None, "worker started without a task"
    return annotate_records(batch, _worker_task)


def annotate_in_pool(batches: Iterable[Batch], task: Task, workers: int) -> Iterator[BatchResult]:
    """Annotate ``batches`` over ``workers`` processes; results in the order of ``batches``."""
    if workers <= 1:
        for batch in batches:
            yield annotate_records(batch, task)
        return
    # spawn, not fork: the parent may run a progress thread, and forking threads is unsafe.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(task,))
    pending: deque[Future[BatchResult]] = deque()
    try:
        for batch in batches:
            pending.append(pool.submit(_annotate_in_worker, batch))
            if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
