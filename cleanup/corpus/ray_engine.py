"""The Ray engine: the same batches and the same per-batch function, scheduled by Ray Data.

Ray's own JSON reader retypes fields and rejects bad lines, so Ray never parses our records:
a first ``map_batches`` stage reads each file with our reader (`read_batches`) and passes raw
JSON Lines bytes, or Arrow IPC bytes for Parquet, one Ray row per batch; a second stage runs
`annotate_records` on each. The driver receives results in input order
(``preserve_order``) and writes them with the local engine's writer, so the two engines give
byte-identical output. Ray is imported only here, and only when ``--engine ray`` is asked for.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cleanup.corpus.io import Batch, BatchResult, CorpusError, Position, Shard, read_batches
from cleanup.corpus.names import CorpusFindings, attach_corpus_names
from cleanup.corpus.stats import Stats
from cleanup.corpus.work import Task, annotate_records

INSTALL_HINT = "--engine ray needs Ray Data: pip install 'cleanup-text[ray]'"

#: CPUs reserved by a reading task. Different from the annotating tasks' 1 CPU so that Ray
#: does not fuse the two stages (a fused stage would annotate a file in one task, serially),
#: and small so that reading a file never keeps a core from annotating.
READ_CPUS = 0.1


def _arrow_to_ipc(batch: Any) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return bytes(sink.getvalue())


def _ipc_to_arrow(data: bytes) -> Any:
    import pyarrow as pa

    with pa.ipc.open_stream(pa.py_buffer(data)) as reader:
        batches = list(reader)
        return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=reader.schema)


def _batch_table(rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.table({
        "shard": pa.array([r["shard"] for r in rows], pa.int64()),
        "source": pa.array([r["source"] for r in rows], pa.string()),
        "fmt": pa.array([r["fmt"] for r in rows], pa.string()),
        "first_line": pa.array([r["first_line"] for r in rows], pa.int64()),
        "payload": pa.array([r["payload"] for r in rows], pa.large_binary()),
        "errors": pa.array([r.get("errors", b"") for r in rows], pa.large_binary()),
        "dropped": pa.array([r.get("dropped", b"") for r in rows], pa.large_binary()),
        "stats": pa.array([r.get("stats", "") for r in rows], pa.string()),
        "disk_bytes": pa.array([r["disk_bytes"] for r in rows], pa.int64()),
        "last": pa.array([r["last"] for r in rows], pa.bool_()),
        "failure": pa.array([r.get("failure") for r in rows], pa.string()),
        # Where the input stands after the batch (None for Parquet), and where a continued
        # run starts reading (stage 1's input rows only).
        "end_line": pa.array([r.get("end_line") for r in rows], pa.int64()),
        "end_offset": pa.array([r.get("end_offset") for r in rows], pa.int64()),
    })


def _position(line: int | None, offset: int | None) -> Position | None:
    return None if line is None or offset is None else Position(line, offset)


def read_shard_batches(table: Any, *, field: str, batch_size: int) -> Iterator[Any]:
    """Ray stage 1: each input row names a file; yield one row per batch of its records."""
    for item in table.to_pylist():
        shard = Shard(item["shard"], Path(item["path"]), Path(), item["fmt"], item["fmt"],
                      _position(item["start_line"], item["start_offset"]))
        row = {"shard": shard.index, "source": item["source"], "fmt": shard.fmt,
               "first_line": 0, "payload": b"", "disk_bytes": 0, "last": True}
        try:
            for batch in read_batches(shard, field, batch_size, name=item["source"]):
                payload = (_arrow_to_ipc(batch.payload) if batch.fmt == "parquet"
                           else batch.payload)
                end = batch.end
                yield _batch_table([{**row, "fmt": batch.fmt, "first_line": batch.first_line,
                                     "payload": payload, "disk_bytes": batch.disk_bytes,
                                     "last": batch.last,
                                     "end_line": end.line if end else None,
                                     "end_offset": end.offset if end else None}])
        except CorpusError as error:
            yield _batch_table([{**row, "failure": str(error)}])
            return


def annotate_payloads(table: Any, *, task: Task, names: CorpusFindings | None = None) -> Any:
    """Ray stage 2: `annotate_records` on each batch row, results serialized for the driver."""
    rows = []
    for item in table.to_pylist():
        if item["failure"]:
            rows.append(item)
            continue
        payload = item["payload"]
        if item["fmt"] == "parquet":
            payload = _ipc_to_arrow(payload)
        batch = Batch(item["shard"], item["source"], item["fmt"], item["first_line"], payload,
                      item["disk_bytes"], item["last"])
        if names is not None:
            batch = attach_corpus_names(batch, names)
        result = annotate_records(batch, task)
        output = (_arrow_to_ipc(result.output) if item["fmt"] == "parquet" else result.output)
        rows.append({**item, "payload": output, "errors": result.errors,
                     "dropped": result.dropped, "stats": result.stats.to_json()})
    return _batch_table(rows)


def _result(item: dict[str, Any]) -> BatchResult:
    if item["failure"]:
        return BatchResult(item["shard"], b"", b"", Stats(), 0, True, item["failure"])
    output = item["payload"]
    if item["fmt"] == "parquet":
        output = _ipc_to_arrow(output)
    stats = Stats.from_dict(json.loads(item["stats"]))
    stats.seconds = 0.0
    return BatchResult(item["shard"], output, item["errors"], stats, item["disk_bytes"],
                       item["last"], dropped=item["dropped"],
                       end=_position(item["end_line"], item["end_offset"]))


def _connect(ray: Any, address: str | None, workers: int) -> bool:
    """Connect to ``address`` or start a local cluster; True when this call did either."""
    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    else:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING)
    return True


def observe_payloads(table: Any, *, task: Task) -> Any:
    """Ray stage 2 of the names first pass: `observe_batch` on each batch row, pickled."""
    import pickle

    from cleanup.corpus.names import observe_batch

    rows = []
    for item in table.to_pylist():
        if item["failure"]:
            rows.append(item)
            continue
        batch = Batch(item["shard"], item["source"], item["fmt"], item["first_line"],
                      _ipc_to_arrow(item["payload"]) if item["fmt"] == "parquet"
                      else item["payload"], item["disk_bytes"], item["last"])
        rows.append({**item, "payload": pickle.dumps(observe_batch(batch, task))})
    return _batch_table(rows)


class RayRun:
    """A connection to Ray for one corpus run: both passes run their per-batch code in Ray
    tasks, and results come back to the driver in input order."""

    def __init__(self, task: Task, workers: int, address: str | None = None) -> None:
        try:
            import ray
            import ray.data
        except ImportError:
            raise CorpusError(INSTALL_HINT) from None
        self.ray = ray
        self.task = task
        self.workers = workers
        self.address = address
        self._started: bool | None = None

    def _pipeline(self, shards: Sequence[Shard], batch_size: int, stage: Any,
                  **kwargs: Any) -> Iterator[dict[str, Any]]:
        ray = self.ray
        if self._started is None:
            self._started = _connect(ray, self.address, self.workers)
        # Ray Data logs each execution plan at INFO on stderr; the run has its own progress.
        data_logger = logging.getLogger("ray.data")
        saved_level = data_logger.level
        data_logger.setLevel(logging.WARNING)
        context = ray.data.DataContext.get_current()
        saved = (context.execution_options.preserve_order, context.enable_progress_bars)
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        try:
            items = [{"shard": s.index, "path": str(s.source.resolve()), "source": str(s.source),
                      "fmt": s.fmt, "start_line": s.start.line if s.start else None,
                      "start_offset": s.start.offset if s.start else None} for s in shards]
            # Typed as Any: Ray's stubs do not know batch_format="pyarrow" hands over Arrow.
            dataset: Any = ray.data.from_items(items, override_num_blocks=len(items))
            dataset = dataset.map_batches(
                read_shard_batches, batch_size=1, batch_format="pyarrow", num_cpus=READ_CPUS,
                fn_kwargs={"field": self.task.field, "batch_size": batch_size})
            dataset = dataset.map_batches(stage, batch_size=1, batch_format="pyarrow",
                                          fn_kwargs={"task": self.task, **kwargs})
            for table in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
                yield from table.to_pylist()
        finally:
            context.execution_options.preserve_order, context.enable_progress_bars = saved
            data_logger.setLevel(saved_level)

    def observe_names(self, shards: Sequence[Shard], batch_size: int
                      ) -> Iterator[tuple[int, list[tuple[int, tuple[Any, ...]]]]]:
        """The names first pass, its per-text work in Ray tasks."""
        import pickle

        if not shards:
            return
        for item in self._pipeline(shards, batch_size, observe_payloads):
            if item["failure"]:
                raise CorpusError(item["failure"])
            yield pickle.loads(item["payload"])

    def annotate(self, shards: Sequence[Shard], batch_size: int,
                 names: CorpusFindings | None = None) -> Iterator[BatchResult]:
        """Annotate ``shards``; results in input order, as the local engine returns them."""
        if not shards:
            return
        for item in self._pipeline(shards, batch_size, annotate_payloads, names=names):
            yield _result(item)

    def close(self) -> None:
        if self._started:
            self.ray.shutdown()
        self._started = None


__all__ = ["RayRun"]
