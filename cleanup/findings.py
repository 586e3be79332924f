"""The values every part of cleanup passes around: findings, edits and their offsets.

The result of a fix, `cleanup.Fixed`, is built on these in `cleanup.fixed`.

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


class OffsetMap:
    """Offsets of one side of sorted, disjoint edits mapped to the other side, by bisection.

    Built in one sweep over the edits; each lookup is a binary search, so mapping every finding
    of a text with many edits stays linear. An offset strictly inside a replaced span, or at a
    point where text was inserted (or deleted, seen from the other side), could mean several
    offsets: `start` gives the smallest, `end` the largest, so a span maps to the smallest span
    that covers everything it came from.

    >>> m = OffsetMap([Edit(2, 5, "X", "CU101")], to_fixed=True)
    >>> [m.start(i) for i in range(7)], [m.end(i) for i in range(7)]
    ([0, 1, 2, 2, 2, 3, 4], [0, 1, 2, 3, 3, 3, 4])
    """

    __slots__ = ("_shifts", "_source_ends", "_source_starts", "to_fixed")

    def __init__(self, edits: list[Edit], *, to_fixed: bool) -> None:
        self.to_fixed = to_fixed
        # _shifts[i]: what is added to an offset after the first i edits (source -> target).
        self._source_starts: list[int] = []
        self._source_ends: list[int] = []
        self._shifts = [0]
        growth = 0  # how much longer the fixed text is than the original, so far
        for edit in edits:
            start = edit.start if to_fixed else edit.start + growth
            self._source_starts.append(start)
            self._source_ends.append(start + (edit.end - edit.start if to_fixed
                                              else len(edit.replacement)))
            growth += len(edit.replacement) - (edit.end - edit.start)
            self._shifts.append(growth if to_fixed else -growth)

    def _inside(self, index: int) -> int:
        """The edit whose source span holds ``index`` strictly inside (one at most), else -1."""
        before = bisect.bisect_left(self._source_starts, index)  # edits starting before index
        if before and self._source_ends[before - 1] > index:
            return before - 1
        return -1

    def start(self, index: int) -> int:
        """The smallest offset on the other side that ``index`` stands for."""
        inside = self._inside(index)
        if inside >= 0:  # the start of what replaced it
            return self._source_starts[inside] + self._shifts[inside]
        return index + self._shifts[bisect.bisect_left(self._source_starts, index)]

    def end(self, index: int) -> int:
        """The largest offset on the other side that ``index`` stands for."""
        inside = self._inside(index)
        if inside >= 0:  # the end of what replaced it
            return self._source_ends[inside] + self._shifts[inside + 1]
        # Edits starting at index or before, but not one that goes on past it: what was
        # inserted at index (or, seen from the fixed side, deleted there) lies before.
        after = bisect.bisect_right(self._source_starts, index)
        if after and self._source_ends[after - 1] > index:
            after -= 1
        return index + self._shifts[after]


def map_span_to_original(edits: list[Edit] | OffsetMap, start: int, end: int) -> tuple[int, int]:
    """Map a span of the fixed text to the smallest original span that produced it.

    Given the edits, one call builds the map (linear in the edits); to map many spans, pass an
    ``OffsetMap(edits, to_fixed=False)`` built once, and each call is two bisections.

    >>> map_span_to_original([Edit(2, 5, "X", "CU101")], 2, 3)
    (2, 5)
    """
    offset_map = edits if isinstance(edits, OffsetMap) else OffsetMap(edits, to_fixed=False)
    if offset_map.to_fixed:
        raise ValueError("map_span_to_original needs a map from the fixed text (to_fixed=False)")
    return offset_map.start(start), offset_map.end(end)


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
