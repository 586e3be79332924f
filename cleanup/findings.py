"""The values every part of cleanup passes around: findings, edits and the result of a fix.

They are plain frozen dataclasses so that they hash, compare and sort the same way everywhere,
and `to_dict()` gives the JSON shape the finding contract (DESIGN.md) names, keys in its order.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=False)
class Finding:
    """One damaged span of a text.

    Offsets are code points into the checked string, end exclusive, so
    ``text == original[start:end]`` always holds.

    >>> f = Finding("punctuation", "CU404", 4, 5, " ", 'space before "."', "", True,
    ...             "warning", 0.9)
    >>> f.to_dict()["rule"]
    'CU404'
    """

    kind: str
    rule: str
    start: int
    end: int
    text: str
    message: str
    replacement: str | None = None
    safe: bool = False
    severity: str = "warning"
    confidence: float = 1.0
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """The finding as the JSON object of the contract, keys in contract order."""
        return {
            "kind": self.kind,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "replacement": self.replacement,
            "safe": self.safe,
            "severity": self.severity,
            "confidence": round(self.confidence, 4),
            "data": self.data,
        }


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``original[start:end]`` with ``replacement``; ``rule`` says which rule asked."""

    start: int
    end: int
    replacement: str
    rule: str


@dataclass(frozen=True)
class Fixed:
    """What `cleanup.fix` returns: the repaired text, the findings on the original, the edits.

    ``edits`` are sorted, disjoint and in offsets of the original text; applying them in one pass
    to the original gives ``text``. ``to_original`` and ``to_fixed`` map offsets between the two.
    ``remaining`` are the findings left on ``text`` (in its offsets): what could not, or may
    not, be fixed; nothing needs checking again to know them.

    >>> import cleanup
    >>> fixed = cleanup.fix("Hello , world")
    >>> fixed.text
    'Hello, world'
    >>> fixed.to_original(5), fixed.to_fixed(7)
    (5, 6)
    """

    text: str
    findings: list[Finding]
    edits: list[Edit]
    original: str = field(repr=False, default="")
    remaining: list[Finding] = field(repr=False, default_factory=list)

    def to_original(self, index: int) -> int:
        """Map an offset in the fixed text to the original; inside a replacement, its start."""
        return _map_offset(self.edits, index, to_fixed=False)

    def to_fixed(self, index: int) -> int:
        """Map an offset in the original text to the fixed one; inside a replaced span, its start."""
        return _map_offset(self.edits, index, to_fixed=True)

    @property
    def changed(self) -> bool:
        return bool(self.edits)


def _map_offset(edits: list[Edit], index: int, *, to_fixed: bool, side: str = "start") -> int:
    """Shift ``index`` across the edits before it; an index inside an edit snaps to one side."""
    delta = 0
    for edit in edits:
        new_start = edit.start + delta
        new_end = new_start + len(edit.replacement)
        src_start, src_end = (edit.start, edit.end) if to_fixed else (new_start, new_end)
        dst_start, dst_end = (new_start, new_end) if to_fixed else (edit.start, edit.end)
        if index < src_start or (index == src_start and side == "start"):
            return index - src_start + dst_start
        if index < src_end or (index == src_end and side == "end" and src_end > src_start):
            return dst_start if side == "start" else dst_end
        delta += len(edit.replacement) - (edit.end - edit.start)
    return index + delta if to_fixed else index - delta


def map_span_to_original(edits: list[Edit], start: int, end: int) -> tuple[int, int]:
    """Map a span of the fixed text to the smallest original span that produced it."""
    return (
        _map_offset(edits, start, to_fixed=False, side="start"),
        _map_offset(edits, end, to_fixed=False, side="end"),
    )


#: A line end: CRLF, a lone CR or LF (CRLF first, so that it counts once).
_LINE_END = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offsets where lines begin (after LF, CR or CRLF), for line/column lookups.

    A regex scan, not a loop over characters: files of tens of megabytes are located too.

    >>> line_starts("a\\r\\nb\\rc\\n")
    [0, 3, 5, 7]
    """
    return [0, *(match.end() for match in _LINE_END.finditer(text))]


def line_column(starts: list[int], index: int) -> tuple[int, int]:
    """1-based line and column (in code points) of ``index``."""
    line = bisect.bisect_right(starts, index) - 1
    return line + 1, index - starts[line] + 1


@dataclass(frozen=True)
class FileFinding:
    """A finding located in a file: the contract's file-level fields on top of the finding.

    ``line`` and ``column`` are 1-based (column in code points); ``byte_start``/``byte_end``
    are offsets into the file's bytes, for tools in other languages.
    """

    finding: Finding
    path: str
    line: int
    column: int
    byte_start: int
    byte_end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.finding.to_dict(),
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "byte_start": self.byte_start,
            "byte_end": self.byte_end,
        }
