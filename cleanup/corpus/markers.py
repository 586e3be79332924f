"""Completion markers of a directory run: what a finished shard was made from.

A marker (``OUTPUT/.cleanup/<shard>.done``) holds the shard's stats and certifies the input it
was made from (size, modification time and SHA-256), the options that change output, the
cleanup version and, with corpus-wide names, every shard's name, size and time (names are
compared across the whole corpus). ``--resume`` skips a shard only while all of that still
holds, so a grown input or a run with ``--fix`` added redoes it.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.jsonl").write_text('{"text": "Hello , world"}\\n')
>>> shard = Shard(0, folder / "a.jsonl", folder / "out" / "a.jsonl", "jsonl", "jsonl")
>>> certificate = Certificate.for_run(Task(), [shard], folder / "out", corpus_names=False)
>>> marker = json.loads(certificate.marker(shard, input_stat(shard), Stats(records=1)))
>>> certificate.check(marker, shard) is None
True
>>> _ = (folder / "a.jsonl").write_text('{"text": "Hello , world"}\\n{"text": "more"}\\n')
>>> certificate.check(marker, shard)
'input changed'
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleanup.config import Config
from cleanup.corpus.io import Shard
from cleanup.corpus.stats import Stats
from cleanup.corpus.work import Task


def input_stat(shard: Shard) -> list[int] | None:
    """Size and modification time (ns) of a regular input file; None for anything else (a
    FIFO is read once: nothing can certify what it held)."""
    try:
        info = shard.source.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns] if stat.S_ISREG(info.st_mode) else None


def _sha256(path: Path) -> str:
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version() -> str:
    from cleanup import __version__

    return __version__


@dataclass(frozen=True)
class Certificate:
    """What a run certifies in each of its markers, besides the shard's own input."""

    options: str
    corpus: str | None

    @classmethod
    def for_run(cls, task: Task, shards: Sequence[Shard], root: Path, *,
                corpus_names: bool) -> Certificate:
        """The certificate of a run of ``task`` over ``shards`` (output under ``root``);
        ``corpus_names``: whether a first pass compares names across every shard."""
        config = task.config or Config()
        options = {"field": task.field, "id_field": task.id_field,
                   "source_field": task.source_field,
                   "select": None if task.select is None else list(task.select),
                   "config": config.as_dict(), "fix": task.fix,
                   "output_field": task.output_field, "corpus_names": corpus_names}
        # Options that came later count only when used, so that the markers of runs without
        # them stay valid.
        default = Task()
        options.update({key: sorted(value) if isinstance(value, frozenset) else value
                        for key in ("replace_field", "keep_original_as", "drop_if", "annotation")
                        if (value := getattr(task, key)) != getattr(default, key)})
        corpus = None
        if corpus_names:
            corpus = _digest([[str(shard.output.relative_to(root)), input_stat(shard)]
                              for shard in shards])
        return cls(_digest(options), corpus)

    def marker(self, shard: Shard, planned: list[int] | None, stats: Stats) -> str | None:
        """The marker's text for a finished shard whose input was ``planned`` (its
        `input_stat` before it was read), or None when the input cannot be certified: not a
        regular file, or changed while the run read it."""
        if planned is None:
            return None
        digest = _sha256(shard.source)
        if input_stat(shard) != planned:
            return None
        return json.dumps({**self.record(planned, digest), "stats": stats.to_dict()})

    def record(self, planned: list[int], digest: str) -> dict[str, Any]:
        """What a marker (or a single-file run's progress file) certifies, for an input
        whose `input_stat` is ``planned`` and SHA-256 ``digest``; `check` reads it back."""
        return {"version": _version(), "options": self.options, "corpus": self.corpus,
                "input": {"size": planned[0], "mtime_ns": planned[1], "sha256": digest}}

    def check(self, marker: dict[str, Any], shard: Shard) -> str | None:
        """Why ``marker`` no longer certifies ``shard``, or None when it does. Reads the
        input once to hash it: fast beside annotating it again."""
        if marker.get("version") != _version():
            return "made by another cleanup version"
        if marker.get("options") != self.options:
            return "options changed"
        if marker.get("corpus") != self.corpus:
            return "another shard changed (corpus-wide names)"
        recorded = marker.get("input") or {}
        if input_stat(shard) != [recorded.get("size"), recorded.get("mtime_ns")] or \
                _sha256(shard.source) != recorded.get("sha256"):
            return "input changed"
        return None


def completed(marker: Path, shard: Shard, certificate: Certificate
              ) -> tuple[Stats | None, str | None]:
    """A finished shard's stats when its ``marker`` (and output) exist and still certify it;
    otherwise None and why (None when there is no marker at all)."""
    if not marker.is_file() or not shard.output.is_file():
        return None, None
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        reason = certificate.check(recorded, shard)
        if reason is None:
            return Stats.from_dict(recorded["stats"]), None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        reason = "unreadable marker"
    return None, reason


def resume_notes(redone: dict[str, list[str]]) -> list[str]:
    """``resumed: redone a.jsonl, b.jsonl (input changed)``, a few names per reason.

    >>> resume_notes({"options changed": ["a", "b", "c", "d", "e"]})
    ['resumed: redone a, b, c and 2 more (options changed)']
    """
    notes = []
    for reason, names in redone.items():
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3:,} more" if len(names) > 3 else "")
        notes.append(f"resumed: redone {shown} ({reason})")
    return notes


__all__ = ["Certificate", "completed", "input_stat", "resume_notes"]
