"""Detectors: one module per kind, each a pure function ``(text, context) -> Iterator[Finding]``.

A detector never edits text, never reads files and never imports another detector; it proposes
replacements in the findings it yields, the engine (`cleanup.engine`) arbitrates between kinds
and `cleanup.edits` decides what is applied. `Context` carries what every detector may need
about the whole document (its config, its syntax and markup, its main script and language, what
its file's bytes showed), computed once and lazily, so a detector that does not need the
language never pays for detecting it.

`DETECTORS` is the registry: a detector's name, where it lives, in the order they run. A rule
names its detector in the rule table (`Rule.detector`, by default its kind). Detector modules
are imported on first use: `cleanup check` on a small file must start fast.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

from cleanup.config import Config
from cleanup.findings import Edit, Finding
from cleanup.markup import Regions, Syntax, get_syntax
from cleanup.rules import RULES

Detector = Callable[[str, "Context"], Iterator[Finding]]

#: detector name -> "module:function", in the order they run (the rule table's priority).
DETECTORS: dict[str, str] = {
    "file": "cleanup.detect.file:find_file_damage",
    "mojibake": "cleanup.detect.mojibake:find_mojibake",
    "invisible": "cleanup.detect.invisible:find_invisible",
    "lost_character": "cleanup.detect.lost:find_lost_characters",
    "mixed_script": "cleanup.detect.scripts:find_mixed_script_words",
    "foreign_fragment": "cleanup.detect.foreign:find_foreign_fragments",
    "punctuation": "cleanup.detect.punctuation:find_punctuation",
    "translation": "cleanup.detect.translation:find_translation_damage",
    "name_variant": "cleanup.detect.names:find_name_variants",
}

@cache
def load_detector(name: str) -> Detector:
    """Import the detector ``name`` on first use (once: later calls are a dict lookup)."""
    module_name, function_name = DETECTORS[name].split(":")
    function: Detector = getattr(importlib.import_module(module_name), function_name)
    return function


_T = TypeVar("_T")


class _once(Generic[_T]):
    """`functools.cached_property` without its lock (Python 3.11 takes one on every first
    access): a Context belongs to one check in one thread, and millions are made.

    >>> context = Context("Привет, мир")
    >>> context.script, context.__dict__["script"]
    ('Cyrillic', 'Cyrillic')
    """

    def __init__(self, function: Callable[[Any], _T]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.function(instance)
        return value


#: The ASCII characters: the distinct characters of a text but these are its non-ASCII ones.
_ASCII = frozenset(map(chr, range(128)))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _mostly_not_ascii(text: str) -> bool:
    """Whether a text's start takes half again as many bytes as characters in UTF-8: a text
    in a script beyond Latin, where a set of its characters costs as much as counting them.

    >>> _mostly_not_ascii("Привет, мир"), _mostly_not_ascii("Größe und Maß")
    (True, False)
    """
    head = text[:256]
    return 2 * len(head.encode("utf-8", "surrogatepass")) > 3 * len(head)


@dataclass
class Context:
    """Facts about the whole document that detectors share, each computed at most once."""

    text: str
    config: Config = field(default_factory=Config)
    syntax: str = "plain"
    #: The text this one translates (a gettext msgid, an XLIFF source, a `--source-field`), for
    #: the `translation` checks, and its language.
    source: str | None = None
    source_language: str | None = None
    #: The encoding of the file the text comes from: another than UTF-8 means the file is
    #: reported as a whole (CU106) and its text is not checked until it is converted.
    encoding: str = "utf-8"
    #: (start, end, bytes) of each run of the file's bytes that is not UTF-8 (U+FFFD in text).
    invalid_bytes: tuple[tuple[int, int, bytes], ...] = ()

    def derived(self, text: str, edits: Sequence[Edit] = ()) -> Context:
        """The context of ``text``, made from this one's by ``edits`` (sorted, disjoint, none
        over an invalid byte): same config and syntax, invalid bytes moved with the edits.

        Its script and language are decided afresh: when a whole document was mojibake, the
        repaired text is the first to show what the document is.
        """
        moved = []
        shift, index = 0, 0
        for start, end, data in self.invalid_bytes:
            while index < len(edits) and edits[index].end <= start:
                edit = edits[index]
                shift += len(edit.replacement) - (edit.end - edit.start)
                index += 1
            moved.append((start + shift, end + shift, data))
        return Context(text, self.config, self.syntax, self.source, self.source_language,
                       self.encoding, tuple(moved))

    @_once
    def invalid_spans(self) -> list[tuple[int, int]]:
        """The spans of ``invalid_bytes``, for quick overlap tests."""
        return [(start, end) for start, end, _ in self.invalid_bytes]

    @_once
    def syntax_spec(self) -> Syntax:
        """The `cleanup.markup.Syntax` named by ``syntax``: what markup means in this text."""
        return get_syntax(self.syntax)

    @_once
    def markup(self) -> Regions:
        """(masked, literal): the spans that are markup or code, not prose, sorted and merged."""
        return self.syntax_spec.regions(self.text)

    @_once
    def declared_languages(self) -> list[tuple[int, int, str]]:
        """Spans whose element declares their language (``lang="ru"``), outermost first."""
        if not self.syntax_spec.declares_language:
            return []
        from cleanup.markup import declared_languages

        return declared_languages(self.text)

    @_once
    def is_ascii(self) -> bool:
        """Most real text is plain ASCII; detectors of non-ASCII damage stop here."""
        return self.text.isascii()

    @_once
    def non_ascii(self) -> frozenset[str]:
        """The distinct non-ASCII characters of the text, from one C scan.

        Real text has few of them (curly quotes, dashes, a few accented letters), so a
        detector asks this small set whether any character it cares about occurs at all,
        instead of searching the whole text with a large character class.

        >>> sorted(Context("“Café” – ok").non_ascii)
        ['é', '–', '“', '”']
        """
        if self.is_ascii:
            return frozenset()
        if _mostly_not_ascii(self.text):  # the character counts are needed anyway
            return frozenset(self.characters).difference(_ASCII)
        return frozenset(_NON_ASCII.findall(self.text))  # skips the ASCII in C

    @_once
    def characters(self) -> Counter[str]:
        """How often each character occurs, counted once in C: `script_counts` comes from it,
        and `non_ascii` too where most characters are not ASCII (Russian, Chinese...)."""
        return Counter(self.text)

    @_once
    def has_non_latin_letter(self) -> bool:
        """Whether a letter of a script cleanup knows other than Latin occurs."""
        if self.is_ascii:
            return False
        from cleanup.language import NON_LATIN_LETTER

        return any(NON_LATIN_LETTER.match(char) for char in self.non_ascii)

    @_once
    def script_counts(self) -> Counter[str]:
        """Letters per script (`cleanup.language.script_counts`), counted once a text."""
        from cleanup.language import script_counts_of

        return script_counts_of(self.characters)

    @_once
    def script(self) -> str:
        """The document's main script (``Latin``, ``Cyrillic``...), from its letters."""
        if not self.has_non_latin_letter:
            return "Latin"
        from cleanup.language import weightiest_script

        return weightiest_script(self.script_counts)

    @_once
    def language(self) -> str | None:
        """The document's language: configured, else guessed from scripts, then a model."""
        if self.config.language:
            return self.config.language
        from cleanup.language import document_language

        return document_language(self.text)


def make_finding(
    code: str,
    text: str,
    start: int,
    end: int,
    message: str,
    *,
    replacement: str | None = None,
    confidence: float = 1.0,
    safe: bool | None = None,
    **data: Any,
) -> Finding:
    """Build a finding of rule ``code`` on ``text[start:end]``, kind and severity from the table.

    ``safe`` defaults to the rule's fix safety; a finding without a replacement is never safe.
    """
    rule = RULES[code]
    if safe is None:
        safe = rule.fix == "safe"
    return Finding(
        kind=rule.kind,
        rule=code,
        start=start,
        end=end,
        text=text[start:end],
        message=message,
        replacement=replacement,
        safe=bool(safe and replacement is not None),
        severity=rule.severity,
        confidence=confidence,
        data={key: value for key, value in data.items() if value is not None},
    )


def quote(fragment: str, limit: int = 60) -> str:
    """A fragment quoted for a one-line message, escaped so invisible characters show.

    >>> quote("o\\u200bf")
    '"o\\\\u200bf"'
    """
    shown = "".join(
        ch if ch.isprintable() and ch not in "\u00ad\u00a0" else f"\\u{ord(ch):04x}"
        for ch in fragment
    )
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f'"{shown}"'
