"""Annotate a corpus: JSON Lines and Parquet files in bounded memory, locally or on Ray.

`annotate_paths` is what ``cleanup annotate INPUT OUTPUT`` calls. Every record keeps its fields
and gains one (``cleanup``: ``{"findings": [...]}``, plus ``"fixed"`` with ``fix=True``);
records that cannot be annotated go to ``OUTPUT.errors.jsonl`` with their file, line and reason.
A directory input gives a directory of shards, one per file, each renamed into place when
complete and marked done, so ``resume=True`` skips finished shards after a crash. A marker
certifies what the shard was made from (the input's size, time and SHA-256, the options, the
cleanup version): a shard whose input or options changed since is redone.

SIGINT (Ctrl-C) or SIGTERM stops a run at once: workers are ended, unfinished temporary files
removed, and `Interrupted` (a `KeyboardInterrupt`) says how far the run got. Several runs may
write the same output at once: none deletes the temporary files of another live one.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "in.jsonl").write_text('{"id": 1, "text": "Hello , world"}\\n')
>>> summary = annotate_paths(str(folder / "in.jsonl"), str(folder / "out.jsonl"),
...                          workers=1, progress=False)
>>> record = json.loads((folder / "out.jsonl").read_text())
>>> list(record), [f["rule"] for f in record["cleanup"]["findings"]], summary.exit_code
(['id', 'text', 'cleanup'], ['CU404'], 0)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cleanup.config import Config, ConfigError
from cleanup.corpus.executor import EXECUTORS
from cleanup.corpus.io import (
    BATCH_RECORDS,
    BatchResult,
    CorpusError,
    Shard,
    ShardWriter,
    plan_shards,
    remove_stale_temporaries,
    write_atomically,
)
from cleanup.corpus.markers import Certificate, completed, input_stat, resume_notes
from cleanup.corpus.names import collect_corpus_names, wants_corpus_names
from cleanup.corpus.progress import Progress
from cleanup.corpus.samples import CorpusSamples
from cleanup.corpus.stats import Stats, merge_stats, render_table
from cleanup.corpus.work import Task
from cleanup.files import TEMP_SUFFIX, AtomicFile
from cleanup.rules import expand_selectors

#: The engines `--engine` takes, from the executor registry.
ENGINES = tuple(EXECUTORS)

#: Hidden folder inside a directory output: completion markers and per-shard error records.
STATE_DIR = ".cleanup"


class Interrupted(KeyboardInterrupt):
    """A run stopped by SIGINT or SIGTERM; the message says how far it got.

    A `KeyboardInterrupt`, so that code around `annotate_paths` stops as it would on Ctrl-C;
    ``signal`` is the signal's number (the CLI exits with 128 + it, as shells expect).
    """

    def __init__(self, signal_number: int, message: str = "") -> None:
        super().__init__(message)
        self.signal = signal_number


@dataclass
class Summary:
    """The outcome of a run: merged stats, where things went, and the exit code.

    ``exit_code`` is 1 when some records went to the errors file, else 0 (findings are what a
    corpus run produces, not a failure).
    """

    stats: Stats
    output: str
    errors_path: str | None = None
    skipped_shards: int = 0
    engine: str = "local"
    workers: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.stats.errors else 0

    def render(self) -> str:
        """The end-of-run table: records, bytes, findings per rule, records affected, time."""
        notes = [f"output: {self.output}"]
        if self.errors_path:
            notes.append(f"errors: {self.errors_path} ({self.stats.errors:,} records)")
        if self.skipped_shards:
            notes.append(f"resumed: {self.skipped_shards:,} completed shards skipped")
        notes.extend(self.notes)
        plural = "" if self.workers == 1 else "s"
        title = f"cleanup annotate ({self.engine} engine, {self.workers} worker{plural})"
        return render_table(self.stats, title=title, notes=notes)

    def to_dict(self) -> dict[str, object]:
        """What ``--stats FILE`` holds: the mergeable counts (see `cleanup.corpus.stats`)."""
        return self.stats.to_dict()


def _marker(state: Path, shard: Shard, root: Path) -> Path:
    return state / (str(shard.output.relative_to(root)) + ".done")


# Runs that share an output, and runs that are stopped -------------------------------------


@contextmanager
def _output_lock(folder: Path) -> Iterator[bool]:
    """A shared lock on the output folder for the whole run; yields whether this run may
    delete temporary files there, which only a run that is alone there at its start may.

    Every run holds the folder's lock shared, so a new run that gets it exclusive first knows
    no other live run writes there, removes what killed runs left, and then shares it. The
    kernel drops the lock of a killed process, so a dead run never blocks this.
    """
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alone = True
        except OSError:
            alone = False
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH)  # (blocks while another run cleans up)
        except OSError:
            alone = False  # a file system without locks: never delete what may be live
        yield alone
    finally:
        os.close(descriptor)


def _remove_stale_temporaries(output: Path, is_directory: bool) -> None:
    if is_directory:
        remove_stale_temporaries(output)
    else:
        for stale in output.parent.glob(f".{output.name}.*{TEMP_SUFFIX}"):
            stale.unlink(missing_ok=True)


def _raise_interrupted(signal_number: int, frame: object) -> None:
    raise Interrupted(signal_number)


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM, as `kill` and schedulers send it, stops the run as Ctrl-C does (the run
    cleans up) instead of killing the process where it stands. Only in the main thread, and
    only when nobody else handles SIGTERM."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@dataclass
class _Tally:
    """How far a run got, for the message when it is stopped."""

    records: int = 0
    shards: int = 0


def _shard_errors(state: Path | None, shard: Shard, root: Path, errors_path: Path) -> Path:
    if state is None:
        return errors_path
    return state / (str(shard.output.relative_to(root)) + ".errors.jsonl")


def _task(field: str, id_field: str | None, select: Iterable[str] | None,
          ignore: Iterable[str] | None, fix: bool, output_field: str,
          config: Config | None, source_field: str | None = None) -> Task:
    config = config or Config()
    try:
        if select is not None:
            select = tuple([select] if isinstance(select, str) else select)
            expand_selectors(select)
        if ignore:
            ignore = [ignore] if isinstance(ignore, str) else ignore
            config = config.replace(ignore=tuple(config.ignore) + tuple(ignore))
    except (ValueError, ConfigError) as error:
        raise CorpusError(str(error)) from None
    return Task(field, id_field, select, config, fix, output_field, source_field)


def _write_results(results: Iterable[BatchResult], pending: list[Shard], state: Path | None,
                   root: Path, errors_path: Path, reporter: Progress,
                   samples: CorpusSamples | None = None,
                   certificate: Certificate | None = None,
                   planned: dict[int, list[int] | None] | None = None,
                   tally: _Tally | None = None) -> Stats:
    """Write results to their shards, finishing (rename, marker) each at its last batch."""
    writers: dict[int, ShardWriter] = {}
    by_index = {shard.index: shard for shard in pending}
    ran = Stats()
    tally = tally or _Tally()
    try:
        for result in results:
            if result.failure:
                raise CorpusError(result.failure)
            writer = writers.get(result.shard)
            if writer is None:
                shard = by_index[result.shard]
                writer = writers[result.shard] = ShardWriter(
                    shard, _shard_errors(state, shard, root, errors_path))
                if state is not None:
                    _marker(state, shard, root).unlink(missing_ok=True)
            writer.write(result)
            tally.records += result.stats.records
            reporter.advance(result)
            if samples is not None:
                samples.add(result, writer.shard)
            if result.last:
                writer.close()
                del writers[result.shard]
                ran = ran.merge(writer.stats)
                tally.shards += 1
                marker = None
                if state is not None and certificate is not None and planned is not None:
                    marker = certificate.marker(writer.shard, planned[writer.shard.index],
                                                writer.stats)
                if state is not None and marker is not None:
                    write_atomically(_marker(state, writer.shard, root),
                                     marker.encode("utf-8"))
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        reporter.close()
    return ran


def annotate_paths(
    input: str,
    output: str,
    *,
    field: str = "text",
    id_field: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    workers: int | None = None,
    engine: str = "local",
    address: str | None = None,
    stats_path: str | None = None,
    resume: bool = False,
    fix: bool = False,
    output_field: str = "cleanup",
    config: Config | None = None,
    progress: bool = True,
    batch_size: int = BATCH_RECORDS,
    corpus_names: bool = True,
    source_field: str | None = None,
    report_path: str | None = None,
) -> Summary:
    """Annotate every record of INPUT into OUTPUT; see the module docstring and docs/corpus.md.

    Raises `CorpusError` (a one-line message naming the file) for unusable input: a missing
    path, a damaged gzip or Parquet file, a Parquet file without the column. Malformed records
    never raise: they go to ``OUTPUT.errors.jsonl`` and make ``exit_code`` 1. When name
    variants are selected, a first pass collects the corpus's names (``corpus_names=False``
    keeps each record's own name findings instead, and reads the input once). ``report_path``
    also writes an HTML report: counts, and a sample of each rule's findings in context.
    ``source_field`` names the field of each record's source text in a parallel corpus: the
    `translation` checks compare the text with it. TSV input (a header row naming the
    columns) is read as JSON Lines records and written as JSON Lines.
    """
    started = time.perf_counter()
    if engine not in ENGINES:
        raise CorpusError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if workers is not None and workers < 1:
        raise CorpusError(f"--workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise CorpusError(f"the batch size must be at least 1, not {batch_size}")
    workers = workers or len(os.sched_getaffinity(0))
    task = _task(field, id_field, select, ignore, fix, output_field, config, source_field)
    shards, is_directory = plan_shards(input, output)
    root = Path(output) if is_directory else shards[0].output.parent
    errors_path = Path(str(Path(output)) + ".errors.jsonl") if is_directory else Path(
        str(shards[0].output) + ".errors.jsonl")
    state = root / STATE_DIR if is_directory else None
    uses_names = corpus_names and wants_corpus_names(task)
    certificate = Certificate.for_run(task, shards, root, corpus_names=uses_names)
    # What each input is now, before it is read: a marker certifies only that.
    planned = {shard.index: input_stat(shard) for shard in shards}

    done = Stats()
    pending: list[Shard] = []
    redone: dict[str, list[str]] = {}
    for shard in shards:
        finished, reason = (completed(_marker(state, shard, root), shard, certificate)
                            if resume and state is not None else (None, None))
        if finished is not None:
            done = done.merge(finished)
            continue
        pending.append(shard)
        if reason:
            redone.setdefault(reason, []).append(str(shard.output.relative_to(root)))

    tally = _Tally(shards=len(shards) - len(pending))
    try:
        with _sigterm_interrupts(), _output_lock(root) as alone:
            if alone:
                _remove_stale_temporaries(Path(output) if is_directory else shards[0].output,
                                          is_directory)
            with EXECUTORS[engine](task, workers if pending else 1, address) as executor:
                # A local pool starts first: its workers load the detectors during the names
                # pass.
                names = None
                if uses_names and pending:
                    if progress:
                        print("cleanup annotate: first pass, collecting the corpus's names",
                              file=sys.stderr, flush=True)
                    names = collect_corpus_names(shards, task, batch_size, executor)
                results = executor.annotate(pending, batch_size, names)
                samples = CorpusSamples(task) if report_path else None
                ran = _write_results(results, pending, state, root, errors_path,
                                     Progress(pending, enabled=progress), samples,
                                     certificate, planned, tally)
    except KeyboardInterrupt as stop:
        number = stop.signal if isinstance(stop, Interrupted) else signal.SIGINT
        message = (f"cleanup annotate: interrupted by {signal.Signals(number).name} after "
                   f"{tally.records:,} records; {tally.shards:,} of {len(shards):,} shards "
                   "complete")
        if is_directory and tally.shards:
            message += " (--resume continues from there)"
        raise Interrupted(number, message) from None

    stats = done.merge(ran)
    stats.seconds = time.perf_counter() - started
    if state is not None:
        _gather_errors([_shard_errors(state, s, root, errors_path) for s in shards], errors_path)
    summary = Summary(stats, output, str(errors_path) if stats.errors else None,
                      len(shards) - len(pending), engine, workers, resume_notes(redone))
    if stats_path:
        write_atomically(Path(stats_path),
                         (json.dumps(summary.to_dict(), indent=2) + "\n").encode("utf-8"))
    if report_path and samples is not None:
        from cleanup.html_report import render_corpus_report

        write_atomically(Path(report_path), render_corpus_report(
            stats, samples, input=input, output=output, skipped_shards=summary.skipped_shards
        ).encode("utf-8"))
        summary.notes.append(f"report: {report_path}")
    return summary


def _gather_errors(parts: list[Path], errors_path: Path) -> None:
    """Concatenate the shards' error records, in shard order, into one errors file."""
    present = [part for part in parts if part.is_file()]
    if not present:
        errors_path.unlink(missing_ok=True)
        return
    with AtomicFile(errors_path) as out:
        for part in present:
            with open(part, "rb") as source:
                shutil.copyfileobj(source, out.handle)


__all__ = ["CorpusError", "Interrupted", "Stats", "Summary", "annotate_paths", "merge_stats"]
