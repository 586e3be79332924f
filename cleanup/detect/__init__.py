"""Detectors: one module per kind, each a pure function ``(text, context) -> Iterator[Finding]``.

A detector never edits text and never reads files; it proposes replacements in the findings it
yields and `cleanup.edits` decides what is applied. `Context` carries what every detector may
need about the whole document (its config, its syntax, its main script and language), computed
once and lazily, so a detector that does not need the language never pays for detecting it.

Detector modules are imported on first use: `cleanup check` on a small file must start fast.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, TypeVar

from cleanup.config import Config
from cleanup.findings import Finding
from cleanup.rules import RULES

Detector = Callable[[str, "Context"], Iterator[Finding]]

#: kind -> "module:function" of its detector, in rule-priority order.
DETECTORS: dict[str, str] = {
    "mojibake": "cleanup.detect.mojibake:find_mojibake",
    "invisible": "cleanup.detect.invisible:find_invisible",
    "lost_character": "cleanup.detect.lost:find_lost_characters",
    "mixed_script": "cleanup.detect.scripts:find_mixed_script_words",
    "foreign_fragment": "cleanup.detect.foreign:find_foreign_fragments",
    "punctuation": "cleanup.detect.punctuation:find_punctuation",
    "translation": "cleanup.detect.translation:find_translation_damage",
    "name_variant": "cleanup.detect.names:find_name_variants",
}

#: Syntaxes a text can be in; markup syntaxes treat a single HTML entity as markup.
SYNTAXES = ("plain", "markdown", "html", "xml", "rst")


@cache
def load_detector(kind: str) -> Detector:
    """Import the detector of ``kind`` on first use (once: later calls are a dict lookup)."""
    module_name, function_name = DETECTORS[kind].split(":")
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


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass
class Context:
    """Facts about the whole document that detectors share, each computed at most once."""

    text: str
    config: Config = field(default_factory=Config)
    syntax: str = "plain"
    source: str | None = None  # the text this one translates, for the `translation` checks
    source_language: str | None = None

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
        return frozenset() if self.is_ascii else frozenset(_NON_ASCII.findall(self.text))

    @_once
    def has_non_latin_letter(self) -> bool:
        """Whether a letter of a script cleanup knows other than Latin occurs."""
        if self.is_ascii:
            return False
        from cleanup.language import NON_LATIN_LETTER

        return any(NON_LATIN_LETTER.match(char) for char in self.non_ascii)

    @_once
    def script(self) -> str:
        """The document's main script (``Latin``, ``Cyrillic``...), from its letters."""
        from cleanup.language import dominant_script

        return dominant_script(self.text) if self.has_non_latin_letter else "Latin"

    @_once
    def language(self) -> str | None:
        """The document's language: configured, else guessed from scripts, then a model."""
        if self.config.language:
            return self.config.language
        from cleanup.language import document_language

        return document_language(self.text, self.script)


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
