"""gettext catalogs (.po, .pot): each translated ``msgstr`` is a segment; nothing else is text.

A tokenizer over the file, not polib: polib gives the values but not where they are, and every
finding must land on its exact line and column. The grammar is small (comments, keywords,
C-style string literals continued on the following lines) and the tokenizer keeps, for every
character of a message, where it stands in the file.

What is checked, and why:

* ``msgstr`` and the plural forms ``msgstr[n]`` are segments. ``msgid``, ``msgid_plural`` and
  ``msgctxt`` are the source: never checked as prose, never changed by `fix`.
* The source of ``msgstr[0]`` is ``msgid`` (``msgid_plural`` when the catalog has one plural
  form, as Japanese does); the source of ``msgstr[n]``, n > 0, is ``msgid_plural``.
* The header entry (``msgid ""``) is metadata, not a segment; its ``Language:`` names the
  language of every message (else the path: ``locale/uk/LC_MESSAGES/x.po``, ``uk.po``).
  An ``X-Source-Language:`` header names the source language.
* Obsolete entries (``#~``) are dead: gettext never shows them, so they are not segments.
* Fuzzy entries are segments: they are drafts waiting for review, and their damage is what the
  reviewer should see. Their findings carry ``fuzzy`` in the segment's flags.
* An empty ``msgstr`` is an untranslated message, not a segment.
* A message with HTML tags in it (or in its msgid) is checked as HTML, so that ``&nbsp;`` and
  tags are markup; others as plain text.

>>> po = 'msgid ""\\nmsgstr "Language: uk\\\\n"\\n\\nmsgid "Save %s"\\nmsgstr ""\\n"Зберегти %s"\\n'
>>> [(s.id, s.text, s.source, s.language) for s in read_po(po, "x.po")]
[('Save %s', 'Зберегти %s', 'Save %s', 'uk')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleanup.formats import Piece, Segment, language_code, language_from_path

#: One line of a catalog: an optional keyword and the string literal that follows it.
_KEYWORD_LINE = re.compile(
    r'[ \t]*(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<index>\d+)\])?)?'
    r'[ \t]*(?P<literal>"(?:[^"\\\r\n]|\\.)*")'
)

#: Escape sequences of a C string literal, as gettext reads them.
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a",
                   "b": "\b", "f": "\f", "v": "\v", "'": "'", "?": "?"}
_ESCAPE = re.compile(r'\\(?:[0-7]{1,3}|x[0-9A-Fa-f]{1,2}|.)', re.DOTALL)

#: What a replacement's characters become inside a string literal.
_TO_ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def escape_po(text: str) -> str:
    r"""``text`` as it is written inside a gettext string literal.

    >>> print(escape_po('say "hi"\n'))
    say \"hi\"\n
    """
    return "".join(_TO_ESCAPE.get(char, char) for char in text)


@dataclass
class _String:
    """The value of a keyword's string literals: the text and its pieces in the file."""

    text: str = ""
    pieces: list[Piece] = field(default_factory=list)

    def add_literal(self, literal: str, offset: int) -> None:
        """Append a literal (with its quotes) that starts at file offset ``offset``."""
        if self.pieces:  # the closing quote before, line end and opening quote: no text
            last = self.pieces[-1].file_end
            self.pieces.append(Piece(len(self.text), len(self.text), last, offset + 1, "gap"))
        body_start = offset + 1
        body = literal[1:-1]
        position = 0
        for match in _ESCAPE.finditer(body):
            if match.start() > position:
                self._literal(body[position:match.start()], body_start + position)
            value = _unescape(match.group())
            self.pieces.append(Piece(len(self.text), len(self.text) + len(value),
                                     body_start + match.start(), body_start + match.end(),
                                     "escape"))
            self.text += value
            position = match.end()
        if position < len(body):
            self._literal(body[position:], body_start + position)
        if not body and not self.pieces:  # an empty first literal still anchors the value
            self.pieces.append(Piece(0, 0, body_start, body_start, "gap"))

    def _literal(self, run: str, offset: int) -> None:
        self.pieces.append(Piece(len(self.text), len(self.text) + len(run), offset,
                                 offset + len(run)))
        self.text += run


def _unescape(sequence: str) -> str:
    body = sequence[1:]
    if body[0] in "01234567":
        return chr(int(body, 8))
    if body[0] == "x" and len(body) > 1:
        return chr(int(body[1:], 16))
    return _SIMPLE_ESCAPES.get(body, sequence)


@dataclass
class _Entry:
    """One catalog entry as it is read: its keywords' values and its flags."""

    strings: dict[str, _String] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    def value(self, keyword: str) -> str | None:
        string = self.strings.get(keyword)
        return None if string is None else string.text


#: An HTML tag in a message: such messages are HTML (``&nbsp;`` in them is markup).
_HTML_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")

_PLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def _header_field(header: str, name: str) -> str | None:
    match = re.search(rf"(?im)^{name}:[ \t]*(.*?)[ \t]*$", header)
    return match.group(1) if match and match.group(1) else None


def _entries(text: str) -> list[_Entry]:
    """The entries of a catalog, in order; lines the grammar does not know are skipped."""
    entries: list[_Entry] = []
    entry = _Entry()
    current: _String | None = None
    after_msgstr = False
    offset = 0
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        line_start, offset = offset, offset + len(line)
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if stripped.startswith("#~"):  # obsolete: read past, never checked
            if not entry.obsolete:
                if entry.strings:
                    entries.append(entry)
                entry = _Entry(obsolete=True)
            after_msgstr, current = False, None
            continue
        if entry.obsolete:
            entry, after_msgstr = _Entry(), False
        if stripped.startswith("#"):
            if stripped.startswith("#,"):
                if after_msgstr:  # flags open the next entry
                    entries.append(entry)
                    entry, after_msgstr = _Entry(), False
                entry.flags.update(f.strip() for f in stripped[2:].split(",") if f.strip())
            current = None
            continue
        found = _KEYWORD_LINE.match(line)
        if found is None:
            current = None
            continue
        keyword = found.group("keyword")
        if keyword is None:  # a continuation of the previous keyword's value
            if current is not None:
                current.add_literal(found.group("literal"), line_start + found.start("literal"))
            continue
        if keyword == "msgstr" and found.group("index") is None:
            keyword = "msgstr[0]" if "msgid_plural" in entry.strings else "msgstr"
        if keyword in ("msgctxt", "msgid") and after_msgstr:
            entries.append(entry)
            entry, after_msgstr = _Entry(), False
        after_msgstr = after_msgstr or keyword.startswith("msgstr")
        current = entry.strings.setdefault(keyword, _String())
        current.add_literal(found.group("literal"), line_start + found.start("literal"))
    if entry.strings and not entry.obsolete:
        entries.append(entry)
    return entries


def read_po(text: str, path: str) -> list[Segment]:
    """The translated messages of a gettext catalog (see the module docstring)."""
    entries = _entries(text)
    header = next((e for e in entries if not e.obsolete and e.value("msgid") == ""
                   and "msgctxt" not in e.strings), None)
    header_text = header.value("msgstr") or "" if header is not None else ""
    language = (language_code(_header_field(header_text, "Language"))
                or language_from_path(path))
    source_language = language_code(_header_field(header_text, "X-Source-Language"))
    plurals = _PLURALS.search(header_text)
    nplurals = int(plurals.group(1)) if plurals else 2
    segments: list[Segment] = []
    for entry in entries:
        if entry is header or entry.obsolete:
            continue
        msgid = entry.value("msgid")
        if msgid is None:
            continue
        context = entry.value("msgctxt")
        message_id = msgid if context is None else f"{context}\x04{msgid}"
        plural = entry.value("msgid_plural")
        for keyword, string in entry.strings.items():
            if not keyword.startswith("msgstr") or not string.text:
                continue
            flags = set(entry.flags)
            source = msgid
            if keyword != "msgstr":
                index = int(keyword[7:-1])
                flags.add("plural")
                if plural is not None and (index > 0 or nplurals == 1):
                    source = plural
                segment_id = f"{message_id}[{index}]"
            else:
                segment_id = message_id
            markup = _HTML_TAG.search(string.text) or _HTML_TAG.search(source)
            segments.append(Segment(
                text=string.text, pieces=tuple(string.pieces), id=segment_id, source=source,
                language=language, source_language=source_language,
                syntax="html" if markup else "plain",
                escape=escape_po, flags=frozenset(flags)))
    return segments


__all__ = ["escape_po", "read_po"]
