"""Annotate a corpus: JSON Lines and Parquet files in bounded memory, locally or on Ray.

`annotate_paths` is what ``cleanup annotate INPUT OUTPUT`` calls. Every record keeps its fields
and gains one (``cleanup``: ``{"findings": [...]}``, plus ``"fixed"`` with ``fix=True``);
records that cannot be annotated go to ``OUTPUT.errors.jsonl`` with their file, line and reason.
For training data, ``replace_field`` writes the fixed text in place of the field,
``annotation="compact"`` keeps only each finding's edit, and ``drop_if`` sends the records with
findings of those rules to ``OUTPUT.dropped.jsonl`` (with the findings that dropped them).
A directory input gives a directory of shards, one per file, each renamed into place when
complete and marked done, so ``resume=True`` skips finished shards after a crash. A marker
certifies what the shard was made from (the input's size, time and SHA-256, the options, the
cleanup version): a shard whose input or options changed since is redone. A single-file run
keeps checkpoints instead (`cleanup.corpus.checkpoint`): ``resume=True`` continues it at its
first unfinished batch.

SIGINT (Ctrl-C) or SIGTERM stops a run at once: workers are ended, unfinished temporary files
removed (a single-file run keeps them for ``resume``), and `Interrupted` (a
`KeyboardInterrupt`) says how far the run got. Several runs may write the same output at once:
none deletes the temporary files of another live one.

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
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleanup.config import Config, ConfigError
from cleanup.corpus.checkpoint import (
    BOUNDARIES_KEPT,
    Checkpoints,
    InputDigest,
    continue_run,
    resumable,
)
from cleanup.corpus.executor import EXECUTORS
from cleanup.corpus.io import (
    BATCH_RECORDS,
    BatchResult,
    CorpusError,
    Position,
    Shard,
    ShardWriter,
    plan_shards,
    remove_stale_temporaries,
    write_atomically,
)
from cleanup.corpus.markers import Certificate, completed, input_stat, resume_notes
from cleanup.corpus.names import collect_corpus_names, wants_corpus_names
from cleanup.corpus.progress import Progress
from cleanup.corpus.records import ANNOTATIONS
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
    #: Where ``drop_if`` sent records (None: the run drops nothing).
    dropped_path: str | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.stats.errors else 0

    def render(self) -> str:
        """The end-of-run table: records, bytes, findings per rule, records affected, time."""
        notes = [f"output: {self.output}"]
        if self.errors_path:
            notes.append(f"errors: {self.errors_path} ({self.stats.errors:,} records)")
        if self.dropped_path and self.stats.dropped:
            notes.append(f"dropped: {self.dropped_path} ({self.stats.dropped:,} records)")
        if self.skipped_shards:
            notes.append(f"resumed: {self.skipped_shards:,} completed shards skipped")
        notes.extend(self.notes)
        plural = "" if self.workers == 1 else "s"
        title = f"cleanup annotate ({self.engine} engine, {self.workers} worker{plural})"
        return render_table(self.stats, title=title, notes=notes,
                            with_dropped=self.dropped_path is not None)

    def to_dict(self) -> dict[str, object]:
        """What ``--stats FILE`` holds: the mergeable counts (see `cleanup.corpus.stats`)."""
        return self.stats.to_dict(with_dropped=self.dropped_path is not None)


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


def _remove_stale_temporaries(output: Path, is_directory: bool, dropped: Path | None,
                              keep: Iterable[str | None] = ()) -> None:
    """Delete what killed runs left: temporary files (``keep``: those of this run, which
    continues a stopped one) and, for a single file, a stopped run's progress file."""
    if is_directory:
        remove_stale_temporaries(output)
        return
    kept = {Path(path).resolve() for path in keep if path}
    for target in (output, dropped):
        if target is not None:
            for stale in target.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):
                if stale.resolve() not in kept:
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


@dataclass(frozen=True)
class _Paths:
    """Where a run writes what is not output: errors, dropped records, each shard's own
    (``state``: a directory run's `STATE_DIR`, where they wait until the run gathers them)."""

    root: Path
    state: Path | None
    errors: Path
    dropped: Path | None

    def of(self, shard: Shard, suffix: str) -> Path:
        assert self.state is not None
        return self.state / (str(shard.output.relative_to(self.root)) + suffix)

    def errors_of(self, shard: Shard) -> Path:
        return self.errors if self.state is None else self.of(shard, ".errors.jsonl")

    def dropped_of(self, shard: Shard) -> Path | None:
        if self.dropped is None or self.state is None:
            return self.dropped
        return self.of(shard, ".dropped.jsonl")


def _as_tuple(value: Iterable[str] | str) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _task(field: str, id_field: str | None, select: Iterable[str] | None,
          ignore: Iterable[str] | None, fix: bool, output_field: str,
          config: Config | None, source_field: str | None = None, *,
          replace_field: bool = False, keep_original_as: str | None = None,
          drop_if: Iterable[str] | None = None, annotation: str = "full") -> Task:
    """The run's `Task`, its options checked: a `CorpusError` says what is wrong."""
    config = config or Config()
    try:
        if select is not None:
            select = _as_tuple(select)
            expand_selectors(select)
        if ignore:
            config = config.replace(ignore=tuple(config.ignore) + _as_tuple(ignore))
        drop_codes = frozenset(expand_selectors(_as_tuple(drop_if))) if drop_if else frozenset()
    except (ValueError, ConfigError) as error:
        raise CorpusError(str(error)) from None
    if annotation not in ANNOTATIONS:
        raise CorpusError(f"unknown annotation {annotation!r} (choose from "
                          f"{', '.join(ANNOTATIONS)})")
    if replace_field and not fix:
        raise CorpusError(f"--replace-field writes the fixed text in place of {field!r}: "
                          "it needs --fix")
    if keep_original_as is not None and not replace_field:
        raise CorpusError(f"--keep-original-as needs --replace-field (without it, the "
                          f"original text stays in {field!r})")
    if keep_original_as is not None and keep_original_as in (field, output_field, source_field):
        raise CorpusError(f"--keep-original-as {keep_original_as!r}: that field already holds "
                          "the fixed text, the annotation or the source")
    task = Task(field, id_field, select, config, fix, output_field, source_field,
                replace_field, keep_original_as, drop_codes, annotation)
    if drop_codes and not drop_codes & task.selected_codes():
        raise CorpusError(f"--drop-if {','.join(_as_tuple(drop_if or ()))}: none of its rules "
                          "runs (see --select, --ignore and the config)")
    return task


def _write_results(results: Iterable[BatchResult], pending: list[Shard], paths: _Paths,
                   reporter: Progress, samples: CorpusSamples | None = None,
                   certificate: Certificate | None = None,
                   planned: dict[int, list[int] | None] | None = None,
                   tally: _Tally | None = None, checkpoints: Checkpoints | None = None,
                   continued: ShardWriter | None = None) -> Stats:
    """Write results to their shards, finishing (rename, marker) each at its last batch.

    With ``checkpoints`` (a single-file run) the shard's writer keeps batch boundaries and a
    stop leaves its unfinished files for ``--resume``; ``continued`` is the writer of a
    stopped run's shard, holding what that run wrote.
    """
    writers: dict[int, ShardWriter] = {}
    if continued is not None:
        writers[continued.shard.index] = continued
    by_index = {shard.index: shard for shard in pending}
    ran = Stats()
    tally = tally or _Tally()
    try:
        for result in results:
            if result.failure:
                raise CorpusError(result.failure)
            if tally.records == 0 and continued is None:
                _stop_on_a_missing_field(result, by_index[result.shard])
            writer = writers.get(result.shard)
            if writer is None:
                shard = by_index[result.shard]
                writer = writers[result.shard] = ShardWriter(
                    shard, paths.errors_of(shard), paths.dropped_of(shard),
                    boundaries=BOUNDARIES_KEPT if checkpoints else 0)
                if paths.state is not None:
                    paths.of(shard, ".done").unlink(missing_ok=True)
            writer.write(result)
            tally.records += result.stats.records
            reporter.advance(result)
            if samples is not None:
                samples.add(result, writer.shard)
            if checkpoints is not None and not result.last:
                checkpoints.after_batch(writer)
            if result.last:
                writer.close()
                del writers[result.shard]
                ran = ran.merge(writer.stats)
                tally.shards += 1
                if checkpoints is not None:
                    checkpoints.finish()
                marker = None
                if paths.state is not None and certificate is not None and planned is not None:
                    marker = certificate.marker(writer.shard, planned[writer.shard.index],
                                                writer.stats)
                if paths.state is not None and marker is not None:
                    write_atomically(paths.of(writer.shard, ".done"), marker.encode("utf-8"))
    except BaseException as stop:
        for writer in writers.values():
            _stop_writer(writer, checkpoints, stop)
        raise
    finally:
        reporter.close()
    return ran


def _stop_on_a_missing_field(result: BatchResult, shard: Shard) -> None:
    """Stop the run after its first batch when no record of it has the field to annotate: a
    wrong ``--field`` would otherwise send the whole corpus to the errors file. The message
    names the fields the records have."""
    if not result.stats.records or result.stats.errors != result.stats.records:
        return
    missing: set[str] = set()
    present: set[str] = set()
    for line in result.errors.splitlines():
        error = json.loads(line)
        reason = str(error.get("reason", ""))
        if not reason.startswith("no field "):
            return  # some other fault: the errors file says which
        missing.add(reason.removeprefix("no field "))
        try:
            record = json.loads(error.get("raw", ""))
        except (TypeError, ValueError):
            continue
        if isinstance(record, dict):
            present.update(map(str, record))
    fields = ", ".join(sorted(present)) or "none"
    raise CorpusError(f"{shard.source}: no record of the first batch has the field "
                      f"{' or '.join(sorted(missing))}; the records have: {fields} "
                      "(name one with --field)")


def _stop_writer(writer: ShardWriter, checkpoints: Checkpoints | None,
                 stop: BaseException) -> None:
    """A run stopped while ``writer`` was unfinished: keep its files for ``--resume`` when
    it was interrupted and can be continued, else drop them."""
    if checkpoints is None:
        writer.abort()
    elif not (isinstance(stop, KeyboardInterrupt) and checkpoints.suspend(writer)):
        writer.abort()
        checkpoints.finish()  # nothing left to continue from


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
    replace_field: bool = False,
    keep_original_as: str | None = None,
    drop_if: Iterable[str] | None = None,
    dropped_path: str | None = None,
    annotation: str = "full",
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

    For training data: ``replace_field`` (with ``fix``) writes the fixed text in place of
    ``field``, the original under ``keep_original_as`` if given; ``drop_if`` (kinds, codes or
    prefixes) sends each record with a finding of those rules to ``dropped_path`` (default
    ``OUTPUT.dropped.jsonl``) instead of OUTPUT, with the rules and findings that dropped it;
    ``annotation="compact"`` keeps only ``rule``, ``start``, ``end`` and ``replacement`` of
    each finding.
    """
    started = time.perf_counter()
    if engine not in ENGINES:
        raise CorpusError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if workers is not None and workers < 1:
        raise CorpusError(f"--workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise CorpusError(f"the batch size must be at least 1, not {batch_size}")
    workers = workers or len(os.sched_getaffinity(0))
    task = _task(field, id_field, select, ignore, fix, output_field, config, source_field,
                 replace_field=replace_field, keep_original_as=keep_original_as,
                 drop_if=drop_if, annotation=annotation)
    if dropped_path is not None and not task.drop_if:
        raise CorpusError("--dropped names the file of the records --drop-if drops: it needs "
                          "--drop-if")
    shards, is_directory = plan_shards(input, output,
                                       written=[Path(dropped_path)] if dropped_path else [])
    paths = _paths(output, shards, is_directory, dropped_path, drops=bool(task.drop_if))
    root = paths.root
    uses_names = corpus_names and wants_corpus_names(task)
    certificate = Certificate.for_run(task, shards, root, corpus_names=uses_names)
    # What each input is now, before it is read: a marker certifies only that.
    planned = {shard.index: input_stat(shard) for shard in shards}

    done = Stats()
    pending: list[Shard] = []
    redone: dict[str, list[str]] = {}
    for shard in shards:
        finished, reason = (completed(paths.of(shard, ".done"), shard, certificate)
                            if resume and paths.state is not None else (None, None))
        if finished is not None:
            done = done.merge(finished)
            continue
        pending.append(shard)
        if reason:
            redone.setdefault(reason, []).append(str(shard.output.relative_to(root)))

    tally = _Tally(shards=len(shards) - len(pending))
    checkpoints: Checkpoints | None = None
    continued: ShardWriter | None = None
    continued_at: Position | None = None
    try:
        with _sigterm_interrupts(), _output_lock(root) as alone:
            if not is_directory and resumable(shards[0]):
                continued, checkpoints, note = _continue(shards[0], certificate, paths,
                                                         planned[0], resume and alone)
                if continued is not None and continued.boundaries:
                    continued_at = continued.boundaries[-1].end
                    pending = [replace(shards[0], start=continued_at)]
                    tally.records = continued.stats.records
                if note:
                    redone.setdefault(note, []).append(shards[0].output.name)
            if alone:
                _remove_stale_temporaries(
                    Path(output) if is_directory else shards[0].output, is_directory,
                    paths.dropped, [] if continued is None else
                    [file.temporary for file in continued.files.values()])
            if continued is not None and checkpoints is not None:
                checkpoints.save(continued, {name: file.partial()
                                             for name, file in continued.files.items()})
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
                if samples is not None and continued is not None:
                    samples.skip(continued.shard,
                                 continued.stats.annotated - continued.stats.dropped)
                ran = _write_results(results, pending, paths,
                                     Progress(pending, enabled=progress), samples,
                                     certificate, planned, tally, checkpoints, continued)
    except BaseException as stop:
        if continued is not None and continued.files:  # stopped before it wrote a batch
            _stop_writer(continued, checkpoints, stop)
        if not isinstance(stop, KeyboardInterrupt):
            raise
        number = stop.signal if isinstance(stop, Interrupted) else signal.SIGINT
        message = (f"cleanup annotate: interrupted by {signal.Signals(number).name} after "
                   f"{tally.records:,} records; {tally.shards:,} of {len(shards):,} shards "
                   "complete")
        if is_directory and tally.shards:
            message += " (--resume continues from there)"
        elif checkpoints is not None and checkpoints.saved is not None:
            message += f" (--resume continues from line {checkpoints.saved.end.line:,})"
        raise Interrupted(number, message) from None
    finally:
        if checkpoints is not None:
            checkpoints.digest.close()

    stats = done.merge(ran)
    stats.seconds = time.perf_counter() - started
    if paths.state is not None:
        _gather([paths.errors_of(s) for s in shards], paths.errors)
        if paths.dropped is not None:
            _gather([path for s in shards if (path := paths.dropped_of(s))], paths.dropped)
    summary = Summary(stats, output, str(paths.errors) if stats.errors else None,
                      len(shards) - len(pending) if is_directory else 0, engine, workers,
                      resume_notes(redone),
                      str(paths.dropped) if paths.dropped is not None else None)
    if continued_at is not None:
        summary.notes.append(f"resumed: continued {shards[0].output.name} from line "
                             f"{continued_at.line:,}")
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


def _paths(output: str, shards: list[Shard], is_directory: bool, dropped: str | None, *,
           drops: bool) -> _Paths:
    """Where a run's errors and dropped records go: beside the output, or as named."""
    base = Path(output) if is_directory else shards[0].output
    root = base if is_directory else base.parent
    dropped_path = None
    if drops:
        dropped_path = Path(dropped) if dropped else Path(str(base) + ".dropped.jsonl")
        if dropped_path.resolve() in {base.resolve(), Path(str(base) + ".errors.jsonl"
                                                           ).resolve()} | {
                shard.source.resolve() for shard in shards}:
            raise CorpusError(f"{dropped_path}: the dropped records would overwrite the "
                              "output, its errors or an input")
    return _Paths(root, root / STATE_DIR if is_directory else None,
                  Path(str(base) + ".errors.jsonl"), dropped_path)


def _continue(shard: Shard, certificate: Certificate, paths: _Paths, planned: list[int] | None,
              resume: bool) -> tuple[ShardWriter | None, Checkpoints, str | None]:
    """For a single-file run: the writer of the stopped run it continues (with ``resume``,
    when one can be), its checkpoints, and why it starts over instead (None: nothing to
    continue)."""
    continued, digest, note = None, None, None
    if resume:
        continued, digest, note = continue_run(shard, certificate, paths.errors,
                                               paths.dropped)
    return continued, Checkpoints(shard, certificate, InputDigest(shard, planned, digest)), note


def _gather(parts: list[Path], target: Path) -> None:
    """Concatenate the shards' error (or dropped) records, in shard order, into one file."""
    present = [part for part in parts if part.is_file()]
    if not present:
        target.unlink(missing_ok=True)
        return
    with AtomicFile(target) as out:
        for part in present:
            with open(part, "rb") as source:
                shutil.copyfileobj(source, out.handle)


__all__ = ["CorpusError", "Interrupted", "Stats", "Summary", "annotate_paths", "merge_stats"]
