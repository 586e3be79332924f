"""Checking and fixing a translation file segment by segment, with findings in file offsets.

Each segment is checked as `cleanup.check` checks a text, in the segment's language and with
its source, so every detector runs and the `translation` checks compare it with its source.
Findings are then moved onto the file: ``Finding.text == file_text[start:end]``, and a
replacement is escaped as the format writes it (``\\n`` in gettext, ``&amp;`` in XLIFF). A finding
that ends inside an escape sequence, or spans file syntax (the ``"\\n"`` between two gettext
strings, an XLIFF inline element), is widened to whole escapes and keeps no replacement. `fix`
changes only the inside of segments: msgids, cue timings and XML markup survive byte for byte.

In a plural form (gettext ``msgstr[n]``), a placeholder or number of the source may be left
out (``"one file"`` for ``"%d files"`` where the form is only used for one): those "missing
from the translation" findings are left out. A message flagged ``no-c-format`` or
``no-python-format`` has no printf placeholders (CU803 is left out), one flagged
``no-python-brace-format`` no brace placeholders (CU804).

The engine checks and fixes the segments (`cleanup.engine.check_segments`, `fix_segments`);
this module holds what that needs and is the format's business: the languages and configs of
the segments, which findings a segment keeps, and how a finding or a repair is moved onto the
file.

>>> segments = with_languages(read_segments('msgid "Name: "\\nmsgstr "Nom :"\\n', "fr.po"),
...                           Config())
>>> [(segment.text, segment.source, segment.language) for segment in segments]
[('Nom :', 'Name: ', 'fr')]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from cleanup.config import Config
from cleanup.findings import Finding
from cleanup.formats import Segment, read_segments

#: Rules whose "missing from the translation" findings a plural form may well deserve.
PLURAL_OPTIONAL = frozenset({"CU803", "CU804", "CU806"})


def _detected_language(texts: Iterable[str]) -> str | None:
    """The language of a file's segments taken together (short messages alone cannot tell)."""
    from cleanup.language import document_language

    sample = "\n".join(text for text, _ in zip(texts, range(400), strict=False))[:3000]
    if len(sample.split()) < 3:
        return None
    return document_language(sample)


def with_languages(segments: Sequence[Segment], config: Config) -> list[Segment]:
    """Segments with a target and source language: the file's, else config's, else detected
    over all the file's segments together (one short message alone cannot tell)."""
    missing_target = any(s.language is None for s in segments)
    missing_source = any(s.source_language is None and s.source for s in segments)
    target = config.language or (_detected_language(s.text for s in segments)
                                 if missing_target else None)
    source = _detected_language(s.source for s in segments if s.source) \
        if missing_source else None
    return [dataclasses.replace(s, language=s.language or target,
                                source_language=s.source_language or source)
            for s in segments]


class SegmentConfigs:
    """The config of each segment language, made once per language of a file."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.made: dict[str | None, Config] = {config.language: config}

    def __call__(self, language: str | None) -> Config:
        if language not in self.made:
            self.made[language] = self.config.replace(language=language)
        return self.made[language]


#: gettext flags that say a message is not a format string of that kind -> the rule it mutes.
NOT_A_FORMAT = {"no-c-format": "CU803", "no-python-format": "CU803",
                "no-python-brace-format": "CU804"}


def kept(finding: Finding, segment: Segment) -> bool:
    """Whether a segment's finding means what it says in a translation (module docstring)."""
    if any(NOT_A_FORMAT.get(flag) == finding.rule for flag in segment.flags):
        return False
    return not ("plural" in segment.flags and finding.rule in PLURAL_OPTIONAL
                and "missing" in finding.data)


def _widened(segment: Segment, start: int, end: int) -> tuple[int, int]:
    """The file span of whole pieces around ``start:end`` (for spans ending in an escape)."""
    holding = [p for p in segment.pieces if p.kind != "gap"]
    file_start = next((p.file_start + (start - p.text_start if p.literal else 0)
                       for p in holding if p.text_start <= start < p.text_end),
                      holding[-1].file_end if holding else 0)
    file_end = next((p.file_end - (p.text_end - end if p.literal else 0)
                     for p in reversed(holding) if p.text_start < end <= p.text_end),
                    file_start)
    return file_start, max(file_start, file_end)


def file_replacement(segment: Segment, start: int, end: int,
                      replacement: str) -> tuple[tuple[int, int], str] | None:
    """The file span and escaped text of a replacement, or None when it cannot be written."""
    span = segment.file_span(start, end)
    how = segment.replaceable(start, end)
    if span is None or how is None or (how == "raw" and "]]>" in replacement):
        return None
    return span, segment.escape(replacement) if how == "text" else replacement


def to_file(finding: Finding, segment: Segment, file_text: str) -> Finding:
    span = segment.file_span(finding.start, finding.end)
    replacement = finding.replacement
    written = None
    if replacement is not None:
        written = file_replacement(segment, finding.start, finding.end, replacement)
    if span is None:
        span = _widened(segment, finding.start, finding.end)
    start, end = span
    return dataclasses.replace(
        finding, start=start, end=end, text=file_text[start:end],
        replacement=None if written is None else written[1],
        safe=finding.safe and written is not None,
        data={**finding.data, "segment": segment.id})


def segments_of(text: str, path: str) -> list[Segment] | None:
    """The segments of a file whose format has a reader; None when it has none or its reader
    cannot read it (the file is then checked as prose)."""
    from cleanup.formats import FormatError, reader_for

    if reader_for(path) is None:
        return None
    try:
        return read_segments(text, path)
    except FormatError:
        return None


__all__ = ["SegmentConfigs", "file_replacement", "kept", "segments_of", "to_file",
           "with_languages"]
