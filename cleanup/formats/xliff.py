"""XLIFF 1.2 and 2.0: each ``<target>`` is a segment, checked against its ``<source>``.

The structure comes from expat (in the standard library), which reports the byte offset of
every element; the content between a ``<target>``'s tags is then scanned for entities, CDATA and
inline elements so that each character of the text keeps its place in the file:

* character and entity references (``&amp;``, ``&#233;``) are unescaped in the text and map to
  the whole reference in the file;
* CDATA content is text written as is; its delimiters stand for no text;
* inline elements (``<g>``, ``<x/>``, ``<ph>``, ``<pc>``, ``<mrk>``...) and comments stay in the
  text verbatim, as markup the detectors skip (the segment's syntax is ``xml``), and a finding
  across one keeps no replacement.

A target whose XLIFF 1.2 ``state`` is ``new`` or ``needs-translation`` is not translated yet
(extraction tools copy the source into it) and is no segment, as an empty msgstr is not.

Languages: ``xml:lang`` on the element, else XLIFF 1.2's ``<file target-language>`` (source:
``source-language``), else XLIFF 2.0's ``<xliff trgLang>`` (``srcLang``), else the path.
Ids: the ``<trans-unit>``/``<unit>`` id, with the ``<segment>`` id in XLIFF 2.0.

>>> xlf = ('<xliff version="1.2"><file source-language="en" target-language="de">'
...        '<body><trans-unit id="save"><source>Save &amp; exit</source>'
...        '<target>Speichern &amp; beenden</target></trans-unit></body></file></xliff>')
>>> [(s.id, s.text, s.source, s.language, s.source_language) for s in read_xliff(xlf, "x.xlf")]
[('save', 'Speichern & beenden', 'Save & exit', 'de', 'en')]
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from xml.parsers import expat

from cleanup.formats import FormatError, Piece, Segment, language_code, language_from_path

XML_LANG = "http://www.w3.org/XML/1998/namespace lang"

#: XLIFF 1.2 target states that say the target is not a translation yet (tools copy the source
#: into it): like an empty gettext msgstr, such a target is no segment.
UNTRANSLATED_STATES = frozenset({"new", "needs-translation"})

#: What a replacement's characters become in XML text.
_TO_ESCAPE = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

#: Tokens of element content: CDATA sections, comments, processing instructions, tags,
#: references and runs of text.
_CONTENT = re.compile(
    r"(?P<cdata><!\[CDATA\[(?P<cdata_text>.*?)\]\]>)"
    r"|(?P<markup><!--.*?-->|<\?.*?\?>|<[^>]*>)"
    r"|(?P<reference>&(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_][\w.-]*);)"
    r"|(?P<text>[^<&]+)",
    re.DOTALL,
)


#: A start tag, with attribute values that may hold ``>``.
_START_TAG = re.compile(r"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""")


def escape_xml(text: str) -> str:
    """``text`` as it is written in XML character data.

    >>> escape_xml("Tom & Jerry <3")
    'Tom &amp; Jerry &lt;3'
    """
    return "".join(_TO_ESCAPE.get(char, char) for char in text)


def content_pieces(file_text: str, start: int, end: int) -> tuple[str, list[Piece]]:
    """The text of ``file_text[start:end]`` (an element's content) and its pieces.

    >>> content_pieces("<t>a&amp;b<x/></t>", 3, 14)[0]
    'a&b<x/>'
    """
    text = ""
    pieces: list[Piece] = []
    position = start
    for match in _CONTENT.finditer(file_text, start, end):
        if match.start() != position:  # unscannable content: keep it verbatim, as markup
            pieces.append(Piece(len(text), len(text) + match.start() - position, position,
                                match.start(), "markup"))
            text += file_text[position:match.start()]
        if match.group("cdata") is not None:
            body_start, body_end = match.span("cdata_text")
            pieces.append(Piece(len(text), len(text), match.start(), body_start, "gap"))
            if body_end > body_start:
                pieces.append(Piece(len(text), len(text) + body_end - body_start, body_start,
                                    body_end, "raw"))
                text += match.group("cdata_text")
            pieces.append(Piece(len(text), len(text), body_end, match.end(), "gap"))
        elif match.group("reference") is not None:
            value = html.unescape(match.group())
            if value == match.group():  # an entity XML does not define: keep it verbatim
                pieces.append(Piece(len(text), len(text) + len(value), match.start(),
                                    match.end(), "markup"))
            else:
                pieces.append(Piece(len(text), len(text) + len(value), match.start(),
                                    match.end(), "escape"))
            text += value
        else:
            kind = "markup" if match.group("markup") is not None else "text"
            pieces.append(Piece(len(text), len(text) + match.end() - match.start(),
                                match.start(), match.end(), kind))
            text += match.group()
        position = match.end()
    if position < end:
        pieces.append(Piece(len(text), len(text) + end - position, position, end, "markup"))
        text += file_text[position:end]
    return text, pieces


@dataclass
class _Element:
    name: str
    attributes: dict[str, str]
    content_start: int
    content_end: int | None = None


@dataclass
class _Unit:
    """A translation unit (1.2 trans-unit) or one segment of a 2.0 unit, as it is read."""

    id: str
    source: _Element | None = None
    target: _Element | None = None
    languages: dict[str, str | None] = field(default_factory=dict)


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


class _Reader:
    """Collects the units of an XLIFF document from expat's events."""

    def __init__(self, file_text: str) -> None:
        self.file_text = file_text
        self.data = file_text.encode("utf-8")
        self.ascii = file_text.isascii()
        self.units: list[_Unit] = []
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.open: dict[str, _Element] = {}
        self.unit: _Unit | None = None
        self.unit_id = ""
        self.pending_start: tuple[str, dict[str, str], int] | None = None
        self.version = "1.2"
        self.cursor = (0, 0)

    def char_offset(self, byte_offset: int) -> int:
        """The character offset of a byte offset; expat's offsets only grow, so the bytes
        between the last one asked and this one are decoded once."""
        if self.ascii:
            return byte_offset
        last_byte, last_char = self.cursor
        if byte_offset < last_byte:
            last_byte, last_char = 0, 0
        chars = last_char + len(self.data[last_byte:byte_offset].decode("utf-8", "replace"))
        self.cursor = (byte_offset, chars)
        return chars

    def parse(self) -> list[_Unit]:
        parser = expat.ParserCreate(encoding="UTF-8", namespace_separator=" ")
        parser.buffer_text = False
        self.parser = parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        try:
            parser.Parse(self.data, True)
        except expat.ExpatError as error:
            raise FormatError(f"not well-formed XML: {error}") from None
        return self.units

    def _tag_end(self, byte_offset: int) -> int:
        """The character offset just after the start tag beginning at ``byte_offset``."""
        match = _START_TAG.match(self.file_text, self.char_offset(byte_offset))
        if match is None:
            raise FormatError(f"unreadable start tag at offset {byte_offset}")
        return match.end()

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = _local(name)
        self.stack.append((local, attributes))
        if local == "xliff":
            self.version = attributes.get("version", "1.2")
        if local == "trans-unit" or (local == "unit" and self.version.startswith("2")):
            self.unit_id = attributes.get("id", "")
            self.unit = _Unit(self.unit_id)
        elif local == "segment" and self.unit is not None:
            segment_id = attributes.get("id")
            self.unit = _Unit(f"{self.unit_id}/{segment_id}" if segment_id else self.unit_id)
        elif local in ("source", "target") and self.unit is not None and \
                self._direct_child(local):
            offset = self.parser.CurrentByteIndex
            tag_end = self._tag_end(offset)
            empty = self.file_text[tag_end - 2:tag_end] == "/>"
            element = _Element(local, dict(attributes), tag_end)
            if empty:
                element.content_end = tag_end
            setattr(self.unit, local, element)
            self.unit.languages = self._languages()

    def _direct_child(self, local: str) -> bool:
        """Whether this source/target belongs to the unit (not to an ``<alt-trans>``)."""
        parents = [name for name, _ in self.stack[:-1]]
        parent = parents[-1] if parents else ""
        return parent in ("trans-unit", "segment")

    def _languages(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {"source": None, "target": None}
        for local, attributes in self.stack:
            if local == "xliff":
                found["source"] = attributes.get("srcLang") or found["source"]
                found["target"] = attributes.get("trgLang") or found["target"]
            elif local == "file":
                found["source"] = attributes.get("source-language") or found["source"]
                found["target"] = attributes.get("target-language") or found["target"]
        return found

    def end(self, name: str) -> None:
        local, _ = self.stack.pop()
        unit = self.unit
        if local in ("source", "target") and unit is not None:
            element = getattr(unit, local)
            if element is not None and element.content_end is None:
                element.content_end = self.char_offset(self.parser.CurrentByteIndex)
        elif local == "segment" or local == "trans-unit" or \
                (local == "unit" and self.version.startswith("2")):
            if unit is not None and unit.target is not None:
                self.units.append(unit)
            if local == "segment":
                self.unit = _Unit(self.unit_id)
            else:
                self.unit = None


def read_xliff(text: str, path: str) -> list[Segment]:
    """The translated units of an XLIFF 1.2 or 2.0 file (see the module docstring)."""
    if not text.strip():
        return []
    path_language = language_from_path(path)
    segments: list[Segment] = []
    for unit in _Reader(text).parse():
        target = unit.target
        assert target is not None and target.content_end is not None
        if target.attributes.get("state") in UNTRANSLATED_STATES:
            continue
        target_text, pieces = content_pieces(text, target.content_start, target.content_end)
        if not target_text.strip():
            continue
        source = None
        if unit.source is not None and unit.source.content_end is not None:
            source = content_pieces(text, unit.source.content_start, unit.source.content_end)[0]
        language = language_code(target.attributes.get(XML_LANG) or unit.languages["target"])
        source_language = language_code(
            (unit.source.attributes.get(XML_LANG) if unit.source else None)
            or unit.languages["source"])
        flags = frozenset(f"state={target.attributes['state']}"
                          for _ in [0] if "state" in target.attributes)
        segments.append(Segment(
            text=target_text, pieces=tuple(pieces), id=unit.id, source=source,
            language=language or path_language, source_language=source_language,
            syntax="xml", escape=escape_xml, flags=flags))
    return segments


__all__ = ["content_pieces", "escape_xml", "read_xliff"]
