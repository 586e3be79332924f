"""Files of a corpus run: finding the inputs, reading them in batches, writing shards atomically.

Reading and writing are the same code for every engine: the local pool and Ray both get
`Batch` objects from `read_batches` and hand `BatchResult` objects to `ShardWriter`, so their
outputs are byte-identical. JSON Lines travel as raw bytes (the worker parses them, so a bad
line becomes an error record, never a crash); Parquet travels as Arrow record batches.

>>> shard_format(Path("part-0001.jsonl.gz"))
'jsonl.gz'
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import hashlib
import io
import os
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleanup.corpus.stats import Stats
from cleanup.files import TEMP_SUFFIX, AtomicFile, write_atomic
from cleanup.findings import Finding

#: Suffix -> format name, longest suffix first so ``.jsonl.gz`` wins over ``.gz``.
FORMATS = {".jsonl.gz": "jsonl.gz", ".jsonl": "jsonl", ".parquet": "parquet", ".tsv": "tsv"}

#: A batch closes at this many records or this many bytes, whichever comes first: small
#: enough that two workers share a 1 MB file evenly (a batch is about a second of detector
#: work), large enough that sending it to a worker is noise.
BATCH_RECORDS = 500
BATCH_BYTES = 128 << 10

#: Rows per Parquet row group in outputs, fixed so that row groups never depend on batching.
ROW_GROUP_ROWS = 10_000


class CorpusError(Exception):
    """Input or output a corpus run cannot use; the one-line message names the file."""


def shard_format(path: Path) -> str | None:
    """The format of a corpus file from its name, or None when it is not one."""
    name = path.name.lower()
    for suffix, fmt in FORMATS.items():
        if name.endswith(suffix):
            return fmt
    return None


@dataclass(frozen=True)
class Position:
    """A place between two records of a shard's input: the next record's 1-based line and
    its offset in the input's bytes (uncompressed, for gzip). A run that stopped continues
    reading there (`Shard.start`)."""

    line: int
    offset: int


@dataclass(frozen=True)
class Shard:
    """One input file and where its output goes; ``index`` orders shards in a run.

    ``start``: where reading begins when a stopped single-file run continues (None: at the
    start).
    """

    index: int
    source: Path
    output: Path
    fmt: str
    out_fmt: str
    start: Position | None = None


@dataclass
class Batch:
    """Up to `BATCH_RECORDS` consecutive records of one shard, on their way to a worker.

    ``payload`` is raw JSON Lines bytes (``jsonl``) or a `pyarrow.RecordBatch` (``parquet``);
    ``first_line`` is the 1-based line (or row) number of its first record. The last batch of a
    shard has ``last=True`` (a shard always yields at least one batch, maybe empty), so writers
    know when to finish the shard without a separate signal. ``corpus`` holds the corpus-wide
    name findings of its records by line number, when a first pass collected them. ``end`` is
    where the input stands after the batch (JSON Lines and TSV inputs).
    """

    shard: int
    source: str
    fmt: str
    first_line: int
    payload: Any
    disk_bytes: int = 0
    last: bool = False
    corpus: dict[int, list[Finding]] | None = None
    end: Position | None = None


@dataclass
class BatchResult:
    """What a worker returns for one `Batch`: output records, error records and counts.

    ``output`` is JSON Lines bytes or a `pyarrow.RecordBatch`; ``errors`` and ``dropped`` (the
    records ``--drop-if`` keeps out of the output, with why) are JSON Lines bytes; ``end`` is
    the batch's `Batch.end`.
    """

    shard: int
    output: Any
    errors: bytes
    stats: Stats
    disk_bytes: int = 0
    last: bool = False
    failure: str | None = field(default=None)
    dropped: bytes = b""
    end: Position | None = None


def _has_magic(pattern: str) -> bool:
    return glob.has_magic(pattern)


def _glob_base(pattern: str) -> Path:
    """The directory part of a glob before its first wildcard: shards are named relative to it."""
    parts = Path(pattern).parts
    base: list[str] = []
    for part in parts:
        if _has_magic(part):
            break
        base.append(part)
    return Path(*base) if base else Path(".")


def _corpus_files(directory: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if not name.startswith((".", "_")) and shard_format(Path(name)) not in (None, "tsv"):
                found.append(Path(root) / name)
    return sorted(found)


def plan_shards(input: str, output: str, *, written: Iterable[Path] = ()
                ) -> tuple[list[Shard], bool]:
    """The shards of a run and whether the output is a directory of shards.

    INPUT is a file (output: a file of the same format, or a file inside an existing
    directory), a directory (all corpus files below it; output: a directory mirroring it) or a
    glob (output: a directory, shards named relative to the glob's fixed part). ``written``:
    other files the run writes (an exclusion file), never read as input.
    """
    out = Path(output)
    source = Path(input)
    if not _has_magic(input) and source.is_file():
        fmt = shard_format(source)
        if fmt is None:
            raise CorpusError(f"{input}: not a .jsonl, .jsonl.gz or .parquet file")
        if out.is_dir():
            out = out / (source.stem + ".jsonl" if fmt == "tsv" else source.name)
        out_fmt = shard_format(out)
        if out_fmt is None or (out_fmt == "parquet") != (fmt == "parquet") or out_fmt == "tsv":
            raise CorpusError(f"{output}: the output must be {_expected(fmt)} like its input")
        if out.resolve() == source.resolve():
            raise CorpusError(f"{output}: the output would overwrite its input")
        return [Shard(0, source, out, fmt, out_fmt)], False
    if not _has_magic(input) and source.is_dir():
        files, base = _corpus_files(source), source
    elif _has_magic(input):
        base = _glob_base(input)
        files = sorted(Path(p) for p in glob.glob(input, recursive=True)
                       if Path(p).is_file() and shard_format(Path(p)))
    else:
        raise CorpusError(f"{input}: no such file or directory")
    if out.resolve() == base.resolve():
        raise CorpusError(f"{output}: the output directory would overwrite its input")
    # An output directory (and its errors file) inside the input must not become input.
    inside = out.resolve()
    others = {Path(str(inside) + ".errors.jsonl"), Path(str(inside) + ".dropped.jsonl"),
              *(Path(path).resolve() for path in written)}
    files = [p for p in files
             if not p.resolve().is_relative_to(inside) and p.resolve() not in others]
    if not files:
        raise CorpusError(f"{input}: no .jsonl, .jsonl.gz or .parquet files")
    if out.exists() and not out.is_dir():
        raise CorpusError(f"{output}: must be a directory for a directory or glob input")
    shards = []
    for index, path in enumerate(files):
        fmt = shard_format(path)
        assert fmt is not None
        target = out / path.relative_to(base)
        if fmt == "tsv":
            target = target.with_suffix(".jsonl")
        shards.append(Shard(index, path, target, fmt, "jsonl" if fmt == "tsv" else fmt))
    return shards, True


def _expected(fmt: str) -> str:
    if fmt == "tsv":
        return "JSON Lines (.jsonl or .jsonl.gz): TSV rows are annotated as JSON records"
    return "Parquet (.parquet)" if fmt == "parquet" else "JSON Lines (.jsonl or .jsonl.gz)"


# Reading ----------------------------------------------------------------------------------


def read_batches(shard: Shard, field: str, batch_records: int = BATCH_RECORDS,
                 name: str | None = None) -> Iterator[Batch]:
    """Stream one shard as batches; a damaged gzip or Parquet file is a `CorpusError`.

    Memory stays at one batch: lines are read as they come, never the whole file. ``name``
    is how batches and errors name the file (default: its path as given).
    """
    name = name or str(shard.source)
    try:
        if shard.fmt == "parquet":
            yield from _read_parquet(shard, field, batch_records, name)
        elif shard.fmt == "tsv":
            yield from _read_tsv(shard, batch_records, name)
        else:
            yield from _read_jsonl(shard, batch_records, name)
    except CorpusError:
        raise
    except (OSError, EOFError, zlib.error) as error:
        kind = "gzip" if shard.fmt == "jsonl.gz" else shard.fmt
        raise CorpusError(f"{name}: corrupt {kind} file ({_one_line(error)})") from None
    except Exception as error:  # pyarrow raises ArrowInvalid and friends on damaged files
        if type(error).__module__.startswith("pyarrow"):
            raise CorpusError(f"{name}: corrupt Parquet file ({_one_line(error)})") from None
        raise


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _skip_to(stream: io.BufferedIOBase, offset: int, name: str) -> None:
    """Read and drop ``offset`` bytes of a stream that cannot seek (gzip: it decompresses
    them, which is fast beside annotating them again)."""
    while offset > 0:
        chunk = stream.read(min(offset, 1 << 20))
        if not chunk:
            raise CorpusError(f"{name}: shorter than when the run stopped")
        offset -= len(chunk)


def _read_jsonl(shard: Shard, batch_records: int, name: str) -> Iterator[Batch]:
    with open(shard.source, "rb") as raw:
        compressed = shard.fmt == "jsonl.gz"
        stream: io.BufferedIOBase = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        line_number, consumed = 1, 0
        if shard.start is not None:  # a stopped run continues after its last batch
            line_number, consumed = shard.start.line, shard.start.offset
            if compressed:
                _skip_to(stream, consumed, name)
            else:
                raw.seek(consumed)
        # Progress counts bytes on disk (for gzip, the compressed file's position), skipped
        # ones too, so that a continued run ends at 100%.
        position = 0
        lines: list[bytes] = []
        size = 0
        for line in stream:
            lines.append(line)
            size += len(line)
            if len(lines) >= batch_records or size >= BATCH_BYTES:
                consumed += size
                now = raw.tell() if compressed else consumed
                yield Batch(shard.index, name, "jsonl", line_number, b"".join(lines),
                            now - position, end=Position(line_number + len(lines), consumed))
                line_number += len(lines)
                position, lines, size = now, [], 0
        consumed += size
        now = raw.tell() if compressed else consumed
        yield Batch(shard.index, name, "jsonl", line_number, b"".join(lines), now - position,
                    last=True, end=Position(line_number + len(lines), consumed))


def _read_tsv(shard: Shard, batch_records: int, name: str) -> Iterator[Batch]:
    """TSV rows as JSON Lines records keyed by the header row's column names.

    Parallel corpora often come as TSV (source and target columns). A row is one line, cells
    are split at tabs and kept as they are (no quoting); a row with another number of cells
    than the header becomes a JSON array, which the worker reports as a malformed record.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "pairs.tsv").write_text("en\\tde\\nGood morning\\tGuten Morgen\\n")
    >>> shard = Shard(0, folder / "pairs.tsv", folder / "out.jsonl", "tsv", "jsonl")
    >>> [(b.first_line, b.payload) for b in _read_tsv(shard, 10, "pairs.tsv")]
    [(2, b'{"en": "Good morning", "de": "Guten Morgen"}\\n')]
    """
    import json

    with open(shard.source, "rb") as raw:
        header_line = raw.readline()
        header = header_line.decode("utf-8-sig", "replace").rstrip("\r\n").split("\t")
        line_number, consumed, lines, size = 2, len(header_line), [], 0
        if shard.start is not None:  # a stopped run continues after its last batch
            line_number, consumed = shard.start.line, shard.start.offset
            raw.seek(consumed)
        skipped = consumed  # counted as progress by the first batch
        for line in raw:
            size += len(line)
            try:
                cells = line.decode("utf-8").rstrip("\r\n").split("\t")
            except UnicodeDecodeError:
                lines.append(line.rstrip(b"\r\n") + b"\n")  # reported as invalid UTF-8
            else:
                record: object = dict(zip(header, cells, strict=True)) \
                    if len(cells) == len(header) else cells
                lines.append((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            if len(lines) >= batch_records or size >= BATCH_BYTES:
                consumed += size
                yield Batch(shard.index, name, "jsonl", line_number, b"".join(lines),
                            size + skipped, end=Position(line_number + len(lines), consumed))
                line_number += len(lines)
                lines, size, skipped = [], 0, 0
        consumed += size
        yield Batch(shard.index, name, "jsonl", line_number, b"".join(lines), size + skipped,
                    last=True, end=Position(line_number + len(lines), consumed))


def _read_parquet(shard: Shard, field: str, batch_records: int, name: str) -> Iterator[Batch]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    disk = shard.source.stat().st_size
    with pq.ParquetFile(shard.source) as parquet:
        schema = parquet.schema_arrow
        if schema.get_field_index(field) < 0:
            names = ", ".join(schema.names)
            raise CorpusError(f"{name}: no column {field!r} (columns: {names})")
        total = max(parquet.metadata.num_rows, 1)
        row, sent = 1, 0
        pending: Any = None
        for batch in parquet.iter_batches(batch_size=batch_records):
            if pending is not None:
                share = disk * (row - 1 + pending.num_rows) // total - sent
                yield Batch(shard.index, name, "parquet", row, pending, share)
                row, sent = row + pending.num_rows, sent + share
            pending = batch
        if pending is None:
            pending = pa.RecordBatch.from_pylist([], schema=schema)
        yield Batch(shard.index, name, "parquet", row, pending, disk - sent,
                    last=True)


# Writing ----------------------------------------------------------------------------------


def remove_stale_temporaries(directory: Path) -> None:
    """Delete the temporary files a killed run left behind in ``directory`` and below."""
    if directory.is_dir():
        for stale in directory.rglob(f".*{TEMP_SUFFIX}"):
            stale.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write a whole file of a run (a marker, the stats), creating its folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


#: (size, SHA-256) of an empty file: where a file a shard has not written yet stands.
EMPTY = (0, hashlib.sha256(b"").hexdigest())


@dataclass(frozen=True)
class Boundary:
    """Where a shard's files stood after one of its batches: the input `Position` to continue
    reading from, the size and SHA-256 of what each file (output, errors, dropped) holds,
    uncompressed, and the shard's stats so far. A stopped run continues at a boundary whose
    files still hold exactly that."""

    end: Position
    files: dict[str, tuple[int, str]]
    stats: Stats


class LinesFile:
    """A JSON Lines file of a shard (its output, errors or dropped records) written through an
    `AtomicFile`, gzip-compressed when ``compressed``. With ``tracked`` it counts and hashes
    the uncompressed bytes it is given, so that a `Boundary` can certify a prefix of it.

    Output gzip has no name and mtime 0, and zlib's output depends on the bytes alone, never
    on how they were split into writes: the same records always give the same file.
    """

    def __init__(self, path: Path, *, compressed: bool = False, tracked: bool = False) -> None:
        self.path = path
        self.atomic = AtomicFile(path)
        raw = self.atomic.handle
        self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) \
            if compressed else None
        self.size = 0
        self._digest = hashlib.sha256() if tracked else None

    def write(self, data: bytes) -> None:
        (self._gzip or self.atomic.handle).write(data)
        if self._digest is not None:
            self.size += len(data)
            self._digest.update(data)

    def mark(self) -> tuple[int, str]:
        """(size, SHA-256) of what it holds so far (tracked files only)."""
        assert self._digest is not None, "an untracked file"
        return self.size, self._digest.copy().hexdigest()

    def commit(self) -> None:
        if self._gzip is not None:
            self._gzip.close()  # the gzip layer; the file itself is the AtomicFile's
        self.atomic.commit()

    def abort(self) -> None:
        try:
            if self._gzip is not None:
                with contextlib.suppress(OSError, ValueError):
                    self._gzip.close()  # into the temporary file, which goes next
        finally:
            self.atomic.abort()

    @property
    def temporary(self) -> str | None:
        """Where the unfinished file is: what a run that continues this one copies from."""
        # AtomicFile keeps its temporary file's name private; a later run needs it.
        temporary: str | None = getattr(self.atomic, "_temporary", None)
        return temporary

    def partial(self) -> Partial:
        """How a later run reads back what this unfinished file holds so far, without
        changing what this run goes on to write.

        A gzip file lacks what zlib still holds back; that tail is the output of a copy of the
        compressor, flushed (the compressor itself goes on as if nothing happened).
        """
        tail = b""
        if self._gzip is not None:
            pending = getattr(self._gzip, "_buffer", None)  # Python 3.12+: not yet compressed
            if pending is not None:
                pending.flush()
            tail = self._gzip.compress.copy().flush()
        handle = self.atomic.handle
        handle.flush()
        return Partial(self.temporary, handle.tell(), tail)

    def keep(self) -> Partial:
        """Leave the unfinished file where it is for a later run to continue from."""
        partial = self.partial()
        if self._gzip is not None:  # no trailer: the file stays unfinished
            self._gzip.fileobj = None  # type: ignore[assignment]
        self.atomic.handle.close()
        return partial


@dataclass(frozen=True)
class Partial:
    """An unfinished file a stopped run left: its first ``length`` bytes, then ``tail``, hold
    what it wrote (uncompressed, for gzip) up to its last checkpoint."""

    path: str | None
    length: int
    tail: bytes = b""


class ShardWriter:
    """Writes one output shard (and its errors and dropped-records files) through an
    `AtomicFile` each, put in place when the shard is complete.

    Output gzip has no name and mtime 0 and Parquet row groups have a fixed size, so the same
    records always give the same bytes, whatever the engine or batching. With ``boundaries``
    (JSON Lines output only) it keeps the last that many `Boundary` objects, for a run that
    is stopped to continue from.
    """

    def __init__(self, shard: Shard, errors_path: Path, dropped_path: Path | None = None, *,
                 boundaries: int = 0) -> None:
        self.shard = shard
        self.paths = {"output": shard.output, "errors": errors_path, "dropped": dropped_path}
        self.errors_path = errors_path
        shard.output.parent.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, LinesFile] = {}
        self._parquet_file: AtomicFile | None = None
        self._parquet: Any = None
        self._rows: list[Any] = []
        self._row_count = 0
        self.stats = Stats(files=1)
        tracked = boundaries > 0 and shard.out_fmt != "parquet"
        self.boundaries: deque[Boundary] | None = deque(maxlen=boundaries) if tracked else None

    def lines(self, name: str) -> LinesFile:
        """The JSON Lines file ``name`` (``output``, ``errors``, ``dropped``), opened on first
        use."""
        file = self.files.get(name)
        if file is None:
            path = self.paths[name]
            assert path is not None, f"no {name} file in this run"
            path.parent.mkdir(parents=True, exist_ok=True)
            file = self.files[name] = LinesFile(
                path, compressed=name == "output" and self.shard.out_fmt == "jsonl.gz",
                tracked=self.boundaries is not None)
        return file

    def write(self, result: BatchResult) -> None:
        self.stats = self.stats.merge(result.stats)
        if result.errors:
            self.lines("errors").write(result.errors)
        if result.dropped:
            self.lines("dropped").write(result.dropped)
        if self.shard.out_fmt == "parquet":
            self._write_parquet(result.output)
        else:
            self.lines("output").write(result.output)
        if self.boundaries is not None and result.end is not None:
            self.boundaries.append(Boundary(result.end, {
                name: self.files[name].mark() if name in self.files else EMPTY
                for name in self.paths}, self.stats))

    def _write_parquet(self, batch: Any) -> None:
        import pyarrow.parquet as pq

        if self._parquet is None:
            self._parquet_file = AtomicFile(self.shard.output)
            self._parquet = pq.ParquetWriter(self._parquet_file.handle, batch.schema)
        if batch.num_rows:
            self._rows.append(batch)
            self._row_count += batch.num_rows
        while self._row_count >= ROW_GROUP_ROWS:
            self._flush_row_group(ROW_GROUP_ROWS)

    def _flush_row_group(self, rows: int) -> None:
        import pyarrow as pa

        table = pa.Table.from_batches(self._rows, schema=self._parquet.schema)
        self._parquet.write_table(table.slice(0, rows), row_group_size=rows)
        rest = table.slice(rows)
        self._rows = rest.to_batches() if rest.num_rows else []
        self._row_count = rest.num_rows

    def close(self) -> None:
        """Finish the files and rename them into place.

        Without error (or dropped) records, such a file left by an earlier run is removed.
        """
        for name in ("errors", "dropped"):
            if name in self.files:
                self.files.pop(name).commit()
            elif (path := self.paths[name]) is not None:
                path.unlink(missing_ok=True)
        if self.shard.out_fmt == "parquet":
            if self._row_count:
                self._flush_row_group(self._row_count)
            self._parquet.close()
            assert self._parquet_file is not None
            self._parquet_file.commit()
        else:
            self.lines("output").commit()
            del self.files["output"]

    def abort(self) -> None:
        """Drop the unfinished temporary files (the outputs keep their previous content)."""
        try:
            if self._parquet is not None:
                self._parquet.close()
        finally:
            if self._parquet_file is not None:
                self._parquet_file.abort()
            for file in self.files.values():
                file.abort()
            self.files.clear()

    def keep(self) -> dict[str, Partial]:
        """Leave the unfinished files for a later run to continue from; where each is."""
        kept = {name: file.keep() for name, file in self.files.items()}
        self.files.clear()
        return kept
