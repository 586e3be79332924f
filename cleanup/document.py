"""A file as the engine checks it: its text, and what it takes to map findings back to bytes.

`cleanup.files` makes a `Document` from bytes (decoding, BOM, invalid bytes, legacy encodings,
binary files); `cleanup.engine.check_document` and `fix_document` check and fix it; this module
is the value they pass, with no I/O of its own.

>>> document = Document.from_text("Hello , world\\n", "notes.txt")
>>> document.encode([]) == b"Hello , world\\n", document.syntax
(True, 'plain')
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cleanup.findings import Edit, FileFinding, Finding, line_column, line_starts


@dataclass
class Document:
    """A file's bytes and the text the detectors check, with what it takes to map back.

    ``text`` is what the detectors see: the file without its UTF-8 BOM, with each invalid
    byte as U+FFFD. ``raw`` is the same text with each invalid byte as a lone surrogate
    (Python's ``surrogateescape``), so ``raw`` encodes back to the exact input bytes and has the
    same length as ``text``. For a file in another encoding, ``encoding`` names it and ``text``
    is its content decoded: that is what `fix --unsafe-fixes` converts to and then checks.
    """

    path: str
    data: bytes
    text: str
    raw: str
    bom: bytes = b""
    encoding: str = "utf-8"
    invalid_runs: list[tuple[int, int]] = field(default_factory=list)
    syntax: str = "plain"
    binary: bool = False

    @classmethod
    def from_text(cls, text: str, path: str = "-", syntax: str | None = None) -> Document:
        """A document of UTF-8 text that has no invalid bytes (a string, not a file)."""
        from cleanup.markup import syntax_for_path

        name = syntax if syntax is not None else syntax_for_path(path).name
        return cls(path, text.encode("utf-8", "surrogatepass"), text, text, syntax=name)

    @property
    def is_utf8(self) -> bool:
        return self.encoding == "utf-8"

    def as_utf8(self) -> Document:
        """This document's text as a UTF-8 file (a legacy encoding converted, no BOM)."""
        return Document(self.path, self.text.encode("utf-8", "surrogatepass"), self.text,
                        self.text, syntax=self.syntax)

    def invalid_bytes(self) -> tuple[tuple[int, int, bytes], ...]:
        """(start, end, the bytes) of each run of invalid bytes, in offsets of ``text``."""
        return tuple((start, end, self.raw[start:end].encode("utf-8", "surrogateescape"))
                     for start, end in self.invalid_runs)

    def byte_offsets(self, offsets: Iterable[int]) -> dict[int, int]:
        """Code point offsets of ``text`` -> byte offsets into the file, for many at once."""
        result: dict[int, int] = {}
        position, byte_position = 0, len(self.bom)
        for offset in sorted(set(offsets)):
            byte_position += len(self.raw[position:offset].encode("utf-8", "surrogateescape"))
            position = offset
            result[offset] = byte_position
        return result

    def locate(self, findings: Iterable[Finding]) -> list[FileFinding]:
        """Add the file-level fields of the contract: path, line, column and byte offsets."""
        findings = list(findings)
        starts = line_starts(self.text) if findings else []
        if self.is_utf8:
            bytes_at = self.byte_offsets([f.start for f in findings] + [f.end for f in findings])
        else:  # the file-level CU106 finding: offsets into the file as it is, i.e. its start
            bytes_at = {f.start: 0 for f in findings} | {f.end: 0 for f in findings}
        located = []
        for finding in findings:
            line, column = line_column(starts, finding.start)
            located.append(FileFinding(finding, self.path, line, column,
                                       bytes_at[finding.start], bytes_at[finding.end]))
        return located

    def touches_invalid_bytes(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` contains a character that stands for an invalid byte."""
        index = bisect.bisect_right(self.invalid_runs, (start, len(self.text) + 1)) - 1
        for run_start, run_end in self.invalid_runs[max(index, 0):]:
            if run_start >= end:
                return False
            if run_end > start:
                return True
        return False

    def encode(self, edits: Sequence[Edit]) -> bytes:
        """The file's bytes with ``edits`` (sorted, disjoint, offsets of ``text``) applied.

        Bytes outside the edits are copied exactly: invalid bytes, line ends, the BOM.
        """
        pieces = [self.bom]
        position = 0
        for edit in edits:
            pieces.append(self.raw[position:edit.start].encode("utf-8", "surrogateescape"))
            pieces.append(edit.replacement.encode("utf-8", "surrogatepass"))
            position = edit.end
        pieces.append(self.raw[position:].encode("utf-8", "surrogateescape"))
        return b"".join(pieces)


__all__ = ["Document"]
