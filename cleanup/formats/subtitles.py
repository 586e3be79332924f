"""Subtitles: SubRip (.srt) and WebVTT (.vtt). Each cue's text is a segment; cue numbers,
timings, cue settings and WebVTT's header, NOTE, STYLE and REGION blocks are never text.

A cue's text may span lines: the segment runs from its first text line to the end of its
last, line ends included, so a fragment broken over two lines is still one finding. Subtitles
carry no source text (a translated subtitle file has no link to the original), so the
source-aware checks do not run on them; every other check runs in the file's language: WebVTT's
``Language:`` header line, else the path (``film.uk.srt``, ``uk/film.srt``), else the config.

SubRip text is written as is; WebVTT unescapes ``&amp;``, ``&lt;``, ``&gt;``, ``&nbsp;``,
``&lrm;``, ``&rlm;`` and numeric references, and keeps its tags (``<i>``, ``<c.yellow>``,
``<v Roger>``, ``<00:01.500>``) as markup. Both are checked with HTML syntax.

>>> srt = "1\\n00:00:01,000 --> 00:00:03,500\\nHello,\\nworld.\\n\\n2\\n00:00:04,000 --> 00:00:05,000\\nBye.\\n"
>>> [(s.id, s.text) for s in read_srt(srt, "film.en.srt")]
[('1', 'Hello,\\nworld.'), ('2', 'Bye.')]
"""

from __future__ import annotations

import re

from cleanup.formats import Piece, Segment, language_code, language_from_path
from cleanup.formats.xliff import content_pieces, escape_xml

#: A cue timing line: ``00:00:01,000 --> 00:00:03,500`` (SubRip) or ``00:01.000 --> 00:03.500
#: align:start`` (WebVTT; hours optional, cue settings after).
TIMING = re.compile(r"^[ \t]*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}[ \t]+-->[ \t]+"
                    r"(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}(?:[ \t].*)?$")

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, content without its line end) of each line."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        lines.append((offset, line.rstrip("\r\n")))
        offset += len(line)
    return lines


def _cues(text: str, *, webvtt: bool) -> list[tuple[str, int, int]]:
    """(id, start, end) of each cue's text in the file; ids are cue numbers or identifiers,
    else the cue's 1-based position."""
    lines = _lines(text)
    cues: list[tuple[str, int, int]] = []
    index = 0
    if webvtt:  # the header runs to the first blank line
        while index < len(lines) and lines[index][1].strip():
            index += 1
    while index < len(lines):
        line = lines[index][1]
        if not line.strip():
            index += 1
            continue
        if webvtt and re.match(r"(NOTE|STYLE|REGION)(?:[ \t]|$)", line):
            while index < len(lines) and lines[index][1].strip():
                index += 1
            continue
        identifier = None
        if not TIMING.match(line) and index + 1 < len(lines) and TIMING.match(lines[index + 1][1]):
            identifier = line.strip()
            index += 1
        if not TIMING.match(lines[index][1]):
            index += 1  # a stray line outside any cue: not text the file shows
            continue
        index += 1
        first = index
        while index < len(lines) and lines[index][1].strip():
            # SubRip files without blank lines between cues: a number then a timing line.
            if index + 1 < len(lines) and lines[index][1].strip().isdigit() and \
                    TIMING.match(lines[index + 1][1]):
                break
            index += 1
        if index > first:
            start = lines[first][0]
            end = lines[index - 1][0] + len(lines[index - 1][1])
            cues.append((identifier or str(len(cues) + 1), start, end))
    return cues


def read_srt(text: str, path: str) -> list[Segment]:
    """The cues of a SubRip file (see the module docstring)."""
    language = language_from_path(path)
    return [Segment(text=text[start:end], pieces=(Piece(0, end - start, start, end),),
                    id=identifier, language=language, syntax="html")
            for identifier, start, end in _cues(text, webvtt=False)]


def read_vtt(text: str, path: str) -> list[Segment]:
    """The cues of a WebVTT file (see the module docstring)."""
    header = re.split(r"\r?\n[ \t]*\r?\n", text, maxsplit=1)[0]
    stated = re.search(r"(?im)^Language:[ \t]*(\S+)", header)
    language = (language_code(stated.group(1)) if stated else None) or language_from_path(path)
    segments = []
    for identifier, start, end in _cues(text, webvtt=True):
        cue_text, pieces = content_pieces(text, start, end)
        segments.append(Segment(text=cue_text, pieces=tuple(pieces), id=identifier,
                                language=language, syntax="html", escape=escape_xml))
    return segments


__all__ = ["TIMING", "read_srt", "read_vtt"]
