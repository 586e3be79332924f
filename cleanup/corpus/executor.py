"""Executors: where a corpus run's per-batch code runs. One registry, one small contract.

As in datatrove's executors, the step code is the same everywhere (`annotate_records` for a
batch of records, `observe_batch` for the names first pass); an executor only decides where it
runs and hands results back in input order. To add one (a Slurm array, a Dask cluster), write a
subclass with its two methods and add it to `EXECUTORS`; `cleanup annotate --engine` takes its
choices from there. Ray is imported only by its executor, and only when it is asked for.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, ClassVar, Self

if TYPE_CHECKING:  # the registry is read by the CLI at start-up: its imports wait
    from cleanup.corpus.io import BatchResult, Shard
    from cleanup.corpus.names import CorpusFindings, ObservedBatch
    from cleanup.corpus.work import Task


class Executor(ABC):
    """Runs a corpus run's two passes over shards, with ``workers`` processes or tasks."""

    name: ClassVar[str]
    #: What `cleanup annotate --help` says of it.
    description: ClassVar[str]

    def __init__(self, task: Task, workers: int, address: str | None = None) -> None:
        self.task = task
        self.workers = workers
        self.address = address

    @abstractmethod
    def observe_names(self, shards: Sequence[Shard], batch_size: int) -> Iterator[ObservedBatch]:
        """The names first pass: `observe_batch` of every batch of ``shards``, in order."""

    @abstractmethod
    def annotate(self, shards: Sequence[Shard], batch_size: int,
                 names: CorpusFindings | None) -> Iterator[BatchResult]:
        """`annotate_records` of every batch of ``shards``, in order."""

    def close(self, *, abort: bool = False) -> None:
        """Release processes or connections; with ``abort`` (an error or an interrupt), at
        once, without waiting for work in flight."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self.close(abort=exc_type is not None)


class LocalExecutor(Executor):
    """A pool of local processes, started (and warming up) as soon as it is made."""

    name = "local"
    description = "a pool of processes on this machine"

    def __init__(self, task: Task, workers: int, address: str | None = None) -> None:
        from cleanup.corpus.local import LocalPool

        super().__init__(task, workers, address)
        self.pool = LocalPool(task, workers)

    def _batches(self, shards: Sequence[Shard], batch_size: int) -> Iterator[Any]:
        from cleanup.corpus.io import read_batches

        return chain.from_iterable(read_batches(shard, self.task.field, batch_size)
                                   for shard in shards)

    def observe_names(self, shards: Sequence[Shard], batch_size: int) -> Iterator[ObservedBatch]:
        return self.pool.observe_names(self._batches(shards, batch_size))

    def annotate(self, shards: Sequence[Shard], batch_size: int,
                 names: CorpusFindings | None) -> Iterator[BatchResult]:
        from cleanup.corpus.names import with_corpus_names

        batches = self._batches(shards, batch_size)
        return self.pool.annotate(batches if names is None else with_corpus_names(batches, names))

    def close(self, *, abort: bool = False) -> None:
        self.pool.close(abort=abort)


class RayExecutor(Executor):
    """Ray Data tasks, on a cluster at ``address`` or a local one started for the run."""

    name = "ray"
    description = "Ray Data on a cluster (needs the ray extra)"

    def __init__(self, task: Task, workers: int, address: str | None = None) -> None:
        from cleanup.corpus.ray_engine import RayRun

        super().__init__(task, workers, address)
        self.run = RayRun(task, workers, address)

    def observe_names(self, shards: Sequence[Shard], batch_size: int) -> Iterator[ObservedBatch]:
        return self.run.observe_names(shards, batch_size)

    def annotate(self, shards: Sequence[Shard], batch_size: int,
                 names: CorpusFindings | None) -> Iterator[BatchResult]:
        return self.run.annotate(shards, batch_size, names)

    def close(self, *, abort: bool = False) -> None:
        self.run.close()


#: Every executor, by the name `--engine` takes.
EXECUTORS: dict[str, type[Executor]] = {
    executor.name: executor for executor in (LocalExecutor, RayExecutor)
}

__all__ = ["EXECUTORS", "Executor", "LocalExecutor", "RayExecutor"]
