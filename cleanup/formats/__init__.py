"""Translation files: which parts of a file are text to check, and where they sit in the file.

A gettext catalog, an XLIFF file or a subtitle file is not prose: most of it is syntax
(`msgid`, XML markup, cue timings) and the source text of each message is in another language.
A *reader* turns the decoded file text into `Segment` objects, one per translated message or
cue. Each segment holds the unescaped text the detectors check, a map from offsets in that text
to offsets in the file text, its source and the two languages, so that findings land on exact
lines and columns of the file and `fix` never touches anything outside a segment.

The registry maps a file suffix to its reader; `reader_for` is what the file layer asks.

>>> segments = read_segments('msgid "Hello"\\nmsgstr "Bonjour\\\\n"\\n', "fr.po")
>>> [(s.text, s.source, s.language) for s in segments]
[('Bonjour\\n', 'Hello', 'fr')]
>>> segments[0].file_span(0, 7)
(22, 29)
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

#: Kinds of `Piece`: how a run of segment text stands in the file.
#: ``text``: the same characters in the file (a replacement is escaped for the format);
#: ``raw``: the same characters, written as they are (XML CDATA: nothing to escape);
#: ``escape``: one escape sequence in the file (``\\n``, ``&amp;``) for one character;
#: ``markup``: inline markup kept verbatim in the text (XLIFF ``<g>``), never replaced;
#: ``gap``: file syntax standing for no text (``"\\n"`` between two gettext strings, CDATA
#: delimiters).
PIECE_KINDS = ("text", "raw", "escape", "markup", "gap")


class FormatError(ValueError):
    """A file that its format's reader cannot read (XLIFF that is not well-formed XML)."""


@dataclass(frozen=True)
class Piece:
    """``text[text_start:text_end]`` stands as ``file[file_start:file_end]`` in the file."""

    text_start: int
    text_end: int
    file_start: int
    file_end: int
    kind: str = "text"

    @property
    def literal(self) -> bool:
        """Whether each character of the text is the same character in the file."""
        return self.kind in ("text", "raw", "markup")


@dataclass(frozen=True)
class Segment:
    """One translated message or cue: the text to check and how it maps back to the file.

    ``pieces`` cover ``text`` in order (gaps between them hold no text). ``id`` names the
    message (gettext: msgctxt and msgid, XLIFF: the unit id, subtitles: the cue number).
    ``escape`` turns a replacement into what the file must hold for it. ``flags`` are the
    format's facts about the message (gettext ``fuzzy``, ``python-format``, ``plural``).
    """

    text: str
    pieces: tuple[Piece, ...]
    id: str
    source: str | None = None
    language: str | None = None
    source_language: str | None = None
    syntax: str = "plain"
    escape: Callable[[str], str] = field(default=lambda text: text, repr=False, compare=False)
    flags: frozenset[str] = frozenset()

    @property
    def _texts(self) -> tuple[list[Piece], list[int]]:
        """The pieces that hold text, and their text ends (for bisection)."""
        holding = [piece for piece in self.pieces if piece.kind != "gap"]
        return holding, [piece.text_end for piece in holding]

    def _piece_at(self, index: int, side: str) -> Piece | None:
        """The piece holding character ``index`` (start side) or ``index - 1`` (end side)."""
        holding, ends = self._texts
        if not holding:
            return None
        if side == "start":
            position = bisect.bisect_right(ends, index)
        else:
            position = bisect.bisect_left(ends, index) if index > 0 else 0
        return holding[min(position, len(holding) - 1)]

    def file_offset(self, index: int, side: str = "start") -> int | None:
        """The file offset of text offset ``index``, or None inside an escape sequence.

        A start (``side="start"``) maps past the gaps before it, an end before the gaps after
        it, so that a span never swallows the file syntax around it.
        """
        if side == "start" and index >= len(self.text):
            side = "end"
        piece = self._piece_at(index, side)
        if piece is None:
            return None
        if side == "end" and index <= piece.text_start:
            return piece.file_start
        if piece.literal:
            return piece.file_start + (index - piece.text_start)
        if index == piece.text_start:
            return piece.file_start
        if index == piece.text_end:
            return piece.file_end
        return None

    def file_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The file span of text span ``start:end``; None when an end falls in an escape.

        An insertion (``start == end``) goes after the gaps at the start of the text and
        before them elsewhere.
        """
        if start == end:
            offset = self.file_offset(start, "start" if start == 0 else "end")
            return None if offset is None else (offset, offset)
        file_start = self.file_offset(start, "start")
        file_end = self.file_offset(end, "end")
        if file_start is None or file_end is None:
            return None
        return file_start, file_end

    def replaceable(self, start: int, end: int) -> str | None:
        """How a replacement of ``start:end`` is written: ``"text"`` (escaped for the format)
        or ``"raw"`` (as is); None when the span crosses file syntax (a gap between strings,
        inline markup) or mixes both, so that it cannot be replaced.
        """
        if start == end:
            piece = self._piece_at(start, "start" if start == 0 else "end")
            kinds = {piece.kind} if piece is not None else set()
        else:
            kinds = {piece.kind for piece in self.pieces
                     if (piece.text_start < end and start < piece.text_end)
                     or (piece.kind == "gap" and start < piece.text_start < end)}
        if not kinds or kinds & {"gap", "markup"} or kinds >= {"raw", "text"}:
            return None
        return "raw" if "raw" in kinds else "text"


Reader = Callable[[str, str], list[Segment]]

#: File suffix -> "module:function" of its reader, imported on first use.
READERS: dict[str, str] = {
    ".po": "cleanup.formats.gettext:read_po",
    ".pot": "cleanup.formats.gettext:read_po",
    ".xlf": "cleanup.formats.xliff:read_xliff",
    ".xliff": "cleanup.formats.xliff:read_xliff",
    ".srt": "cleanup.formats.subtitles:read_srt",
    ".vtt": "cleanup.formats.subtitles:read_vtt",
}


def reader_for(path: str | PurePath) -> Reader | None:
    """The reader of a file, from its suffix; None for files that are checked as prose.

    >>> reader_for("locale/uk/LC_MESSAGES/django.po").__name__, reader_for("notes.txt")
    ('read_po', None)
    """
    target = READERS.get(PurePath(str(path)).suffix.lower())
    if target is None:
        return None
    module_name, function_name = target.split(":")
    reader: Reader = getattr(importlib.import_module(module_name), function_name)
    return reader


def read_segments(text: str, path: str | PurePath) -> list[Segment]:
    """The segments of a file's text; raises `FormatError` for a file its reader cannot read."""
    reader = reader_for(path)
    if reader is None:
        raise FormatError(f"{path}: no reader for {PurePath(str(path)).suffix or 'this file'}")
    return reader(text, str(path))


# --- Languages ------------------------------------------------------------------------------

#: A language tag as files write it: ``uk``, ``pt_BR``, ``zh-Hans``, ``sr@latin``, ``ca_ES``.
_LANGUAGE_TAG = re.compile(r"(?i)^([a-z]{2,3})(?:[_-][a-z0-9]{2,8})*(?:@[a-z]+)?$")

#: Path parts that are never a language, though they look like a tag (``LC_MESSAGES``...).
_NOT_LANGUAGES = frozenset({"lc_messages", "locale", "locales", "po", "i18n", "l10n", "src",
                            "doc", "docs", "lib", "app", "web", "dev", "res", "out", "tmp"})


def language_code(tag: str | None) -> str | None:
    """The ISO 639 code of a language tag (``pt_BR`` -> ``pt``), or None when it is not one.

    >>> language_code("pt_BR"), language_code("sr@latin"), language_code("zh-Hans")
    ('pt', 'sr', 'zh')
    >>> language_code("LC_MESSAGES"), language_code("")
    (None, None)
    """
    if not tag:
        return None
    match = _LANGUAGE_TAG.match(tag.strip())
    if not match or tag.strip().lower() in _NOT_LANGUAGES:
        return None
    return match.group(1).lower()


def language_from_path(path: str | PurePath) -> str | None:
    """The language a path names by convention, or None.

    ``locale/uk/LC_MESSAGES/django.po``, ``po/uk.po``, ``movie.uk.srt``, ``uk/strings.xlf``.

    >>> language_from_path("locale/uk/LC_MESSAGES/django.po"), language_from_path("po/pt_BR.po")
    ('uk', 'pt')
    >>> language_from_path("film.de.srt"), language_from_path("messages.po")
    ('de', None)
    """
    pure = PurePath(str(path))
    stem = pure.stem
    candidates = [stem, stem.rpartition(".")[2] if "." in stem else ""]
    parts = list(pure.parts[:-1])
    if len(parts) >= 2 and parts[-1] == "LC_MESSAGES":
        candidates.insert(0, parts[-2])
    candidates += list(reversed(parts))[:2]
    for candidate in candidates:
        code = language_code(candidate)
        if code is not None and _KNOWN_CODE.match(candidate):
            return code
    return None


#: A path part that names a language by itself: a two-letter code, optionally with a region
#: or script (three-letter stems such as ``app`` are too often words).
_KNOWN_CODE = re.compile(r"(?i)^[a-z]{2}(?:[_-][A-Za-z]{2,4})?(?:@[a-z]+)?$")


def unique_languages(segments: Sequence[Segment]) -> set[str | None]:
    """The target languages of a file's segments."""
    return {segment.language for segment in segments}


__all__ = [
    "READERS",
    "FormatError",
    "Piece",
    "Segment",
    "language_code",
    "language_from_path",
    "read_segments",
    "reader_for",
]
