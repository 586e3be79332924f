"""Checkpoints of a single-file run: a stopped run continues at its first unfinished batch.

A directory run resumes shard by shard (`cleanup.corpus.markers`); a single file is one shard,
so a run over one big file keeps checkpoints instead. Every `CHECKPOINT_SECONDS`, and when it
is stopped (Ctrl-C, SIGTERM), it writes a progress file beside its output
(``.OUTPUT.progress.cleanup-tmp``) naming its unfinished files and the last few batch
`Boundary` objects: where the input stood, and the size and SHA-256 of what each file held
then. ``--resume`` continues from the latest boundary that its unfinished files still hold
byte for byte, copying that much into new files and reading the input from there, so the
output is exactly what an uninterrupted run writes. It starts over when that cannot be
certified: another cleanup version or other options, an input that changed (size, time and
SHA-256, as markers check), unfinished files that are gone or differ, or a Parquet output
(its footer describes every row group, so a half-written one cannot be continued).

A gzip output is continued too. What zlib still holds back at a checkpoint is kept in the
progress file (a copy of the compressor, flushed), so the unfinished file's first bytes and
that tail decompress to everything written; since zlib's output depends only on the bytes it
is given, compressing them again gives the same file.

>>> progress_path(Path("out/news.jsonl"))
PosixPath('out/.news.jsonl.progress.cleanup-tmp')
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from cleanup.corpus.io import (
    EMPTY,
    Boundary,
    Partial,
    Position,
    Shard,
    ShardWriter,
    write_atomically,
)
from cleanup.corpus.markers import Certificate, input_stat
from cleanup.corpus.stats import Stats
from cleanup.files import TEMP_SUFFIX

#: Seconds between two checkpoints of a running single-file run.
CHECKPOINT_SECONDS = 10.0

#: Batch boundaries a progress file keeps: a gzip output's unfinished file holds a little
#: less than was written, so the run may have to continue a few batches back.
BOUNDARIES_KEPT = 32

#: Seconds a stopped run waits for its input's SHA-256, when it is not computed yet.
DIGEST_WAIT_SECONDS = 1.0


def progress_path(output: Path) -> Path:
    """The progress file of a single-file run: hidden beside the output, and named like the
    temporary files, so a fresh run removes it with them."""
    return output.parent / f".{output.name}.progress{TEMP_SUFFIX}"


def resumable(shard: Shard) -> bool:
    """Whether a run over ``shard`` can keep checkpoints: a JSON Lines output (a Parquet
    footer describes every row group) from a regular file (a FIFO is read once)."""
    return shard.out_fmt != "parquet" and input_stat(shard) is not None


class InputDigest:
    """The SHA-256 of a shard's input, hashed in a background thread while the run works, so
    that a checkpoint can certify the input without stopping the run to read it all."""

    def __init__(self, shard: Shard, planned: list[int] | None, known: str | None = None
                 ) -> None:
        self.shard = shard
        self.planned = planned
        self._value = known
        self._done = threading.Event()
        self._stop = threading.Event()
        if known is not None or planned is None:
            self._done.set()
        else:
            threading.Thread(target=self._hash, daemon=True, name="cleanup-input-digest").start()

    def _hash(self) -> None:
        try:
            digest = hashlib.sha256()
            with open(self.shard.source, "rb") as source:
                while chunk := source.read(1 << 20):
                    if self._stop.is_set():
                        return
                    digest.update(chunk)
            self._value = digest.hexdigest()
        except OSError:
            pass
        finally:
            self._done.set()

    def get(self, wait: float = 0.0) -> str | None:
        """The digest, if it is ready within ``wait`` seconds and the input has not changed
        since the run planned it."""
        self._done.wait(wait)
        if self._value is None or input_stat(self.shard) != self.planned:
            return None
        return self._value

    def close(self) -> None:
        self._stop.set()


class Checkpoints:
    """The checkpoints of one single-file run: written every `CHECKPOINT_SECONDS` and when
    the run is stopped; removed when it completes."""

    def __init__(self, shard: Shard, certificate: Certificate, digest: InputDigest) -> None:
        self.shard = shard
        self.path = progress_path(shard.output)
        self.certificate = certificate
        self.digest = digest
        self.last = time.monotonic()
        #: The boundary the latest progress file continues from, once one is written.
        self.saved: Boundary | None = None

    def after_batch(self, writer: ShardWriter) -> None:
        """Write a checkpoint when the last one is `CHECKPOINT_SECONDS` old."""
        if time.monotonic() - self.last >= CHECKPOINT_SECONDS:
            self.save(writer, {name: file.partial() for name, file in writer.files.items()})

    def save(self, writer: ShardWriter, partials: dict[str, Partial],
             wait: float = 0.0) -> bool:
        """Write the progress file for ``writer``'s boundaries, its unfinished files being
        ``partials``; False when the input cannot be certified (yet)."""
        self.last = time.monotonic()
        digest = self.digest.get(wait)
        if digest is None or not writer.boundaries or self.digest.planned is None:
            return False
        progress = {
            **self.certificate.record(self.digest.planned, digest),
            "format": self.shard.out_fmt,
            "partials": {name: {"path": partial.path, "length": partial.length,
                                "tail": base64.b64encode(partial.tail).decode("ascii")}
                         for name, partial in partials.items()},
            "boundaries": [{"line": b.end.line, "offset": b.end.offset, "files": b.files,
                            "stats": b.stats.to_dict(with_dropped=True)}
                           for b in writer.boundaries]}
        write_atomically(self.path, json.dumps(progress).encode("utf-8"))
        self.saved = writer.boundaries[-1]
        return True

    def suspend(self, writer: ShardWriter) -> bool:
        """Leave ``writer``'s unfinished files for ``--resume`` and write where they stand;
        False (the files are dropped) when that cannot be certified."""
        if writer.boundaries is None or not writer.boundaries:
            return False
        partials = writer.keep()
        if self.save(writer, partials, wait=DIGEST_WAIT_SECONDS):
            return True
        for partial in partials.values():
            if partial.path is not None:
                Path(partial.path).unlink(missing_ok=True)
        return False

    def finish(self) -> None:
        """The run completed: no progress to keep."""
        self.path.unlink(missing_ok=True)
        self.digest.close()


def _raw(partial: Partial) -> Iterator[bytes]:
    if partial.path is None:
        return
    left = partial.length
    with open(partial.path, "rb") as source:
        while left and (chunk := source.read(min(left, 1 << 20))):
            left -= len(chunk)
            yield chunk
    yield partial.tail


def _content(partial: Partial | None, compressed: bool) -> Iterator[bytes]:
    """What an unfinished file held at its checkpoint, uncompressed (as far as it goes)."""
    if partial is None:
        return
    inflate = zlib.decompressobj(wbits=31) if compressed else None
    try:
        for chunk in _raw(partial):
            yield chunk if inflate is None else inflate.decompress(chunk)
    except (OSError, zlib.error):
        return


def _held(partial: Partial | None, compressed: bool, marks: list[tuple[int, str]]
          ) -> set[tuple[int, str]]:
    """Which of ``marks`` (size, SHA-256) the unfinished file holds as its first bytes."""
    wanted = sorted({mark for mark in marks if mark != EMPTY})
    held = {EMPTY}
    digest, seen = hashlib.sha256(), 0
    for chunk in _content(partial, compressed):
        while wanted and seen + len(chunk) >= wanted[0][0]:
            size, expected = wanted.pop(0)
            head = digest.copy()
            head.update(chunk[:size - seen])
            if head.hexdigest() == expected:
                held.add((size, expected))
        digest.update(chunk)
        seen += len(chunk)
        if not wanted:
            break
    return held


def _copy(partial: Partial, compressed: bool, size: int, writer: ShardWriter, name: str
          ) -> None:
    left = size
    for chunk in _content(partial, compressed):
        writer.lines(name).write(chunk[:left])
        left -= min(len(chunk), left)
        if not left:
            return


def continue_run(shard: Shard, certificate: Certificate, errors_path: Path,
                 dropped_path: Path | None) -> tuple[ShardWriter | None, str | None, str | None]:
    """A writer holding what a stopped run over ``shard`` certifiably wrote, with the
    boundary it continues from (`ShardWriter.boundaries`), the input's SHA-256 and None; or
    None, None and why the run starts over (None when there was nothing to continue)."""
    path = progress_path(shard.output)
    try:
        progress = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, None, None
    except (OSError, ValueError):
        return None, None, "unreadable progress file"
    try:
        reason = certificate.check(progress, shard)
        if reason is None and progress["format"] != shard.out_fmt:
            reason = "options changed"
        if reason is not None:
            return None, None, reason
        boundaries = [Boundary(Position(b["line"], b["offset"]),
                               {name: (mark[0], mark[1]) for name, mark in b["files"].items()},
                               Stats.from_dict(b["stats"])) for b in progress["boundaries"]]
        partials = {name: Partial(item["path"], item["length"], base64.b64decode(item["tail"]))
                    for name, item in progress["partials"].items()}
    except (KeyError, TypeError, ValueError, IndexError):
        return None, None, "unreadable progress file"
    compressed = {"output": shard.out_fmt == "jsonl.gz"}
    held = {name: _held(partials.get(name), compressed.get(name, False),
                        [b.files.get(name, EMPTY) for b in boundaries])
            for name in ("output", "errors", "dropped")}
    usable = [b for b in boundaries
              if all(b.files.get(name, EMPTY) in held[name] for name in held)]
    if not usable:
        return None, None, "its unfinished files changed"
    boundary = usable[-1]
    writer = ShardWriter(shard, errors_path, dropped_path, boundaries=BOUNDARIES_KEPT)
    try:
        for name, (size, _) in boundary.files.items():
            partial = partials.get(name)
            if size and partial is not None:
                _copy(partial, compressed.get(name, False), size, writer, name)
        writer.lines("output")
        if any(writer.lines(name).mark() != mark if name in writer.files else mark != EMPTY
               for name, mark in boundary.files.items()):
            writer.abort()
            return None, None, "its unfinished files changed"
    except BaseException:
        writer.abort()
        raise
    writer.stats = boundary.stats
    assert writer.boundaries is not None
    writer.boundaries.append(boundary)
    for partial in partials.values():
        if partial.path is not None:
            Path(partial.path).unlink(missing_ok=True)
    return writer, progress["input"]["sha256"], None


__all__ = ["BOUNDARIES_KEPT", "CHECKPOINT_SECONDS", "Checkpoints", "InputDigest",
           "continue_run", "progress_path", "resumable"]
