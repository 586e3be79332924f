"""Facts about characters that several parts of cleanup need, each defined once and cached.

Which script a letter belongs to, whether a text has letters of a script other than Latin, and
what a web address looks like are asked by the detectors, the language guesser and the markup
masks alike. They live here, apart from any detector, so that no detector imports another and
no two of them disagree about where Cyrillic ends.

>>> script_of("ж"), script_of("a"), script_of("7")
('Cyrillic', 'Latin', None)
>>> bool(NON_LATIN_LETTER.search("Gazа"))
True
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

#: The scripts cleanup tells apart, by Unicode's Script property. Hiragana and Katakana are
#: Japanese beside Han; the rest each stand for a language or a family of them.
KNOWN_SCRIPTS = (
    "Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Han", "Hiragana", "Katakana", "Hangul",
    "Georgian", "Armenian", "Thai", "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya",
    "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Lao", "Tibetan", "Myanmar",
    "Ethiopic", "Khmer", "Thaana",
)

#: Scripts whose letters are look-alikes of one another (homoglyphs).
CONFUSABLE_SCRIPTS = ("Latin", "Cyrillic", "Greek")

#: Scripts written without spaces between words, whose single characters are words.
UNSPACED_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Thai"})

#: A quick test, in the stdlib's faster `re`, for letters of the non-Latin scripts above: the
#: blocks of Greek, Cyrillic (with its supplements), Armenian, Hebrew, Arabic, Thaana, the
#: Indic scripts from Devanagari to Sinhala, Thai, Lao, Tibetan, Myanmar, Georgian, Hangul
#: Jamo, Ethiopic, Khmer, Greek Extended, Arabic presentation forms, kana, CJK ideographs and
#: Hangul syllables. Only texts it finds anything in pay for exact per-script counts.
NON_LATIN_LETTER = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f"
    "\u0780-\u07bf\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u10a0-\u10ff\u1100-\u11ff"
    "\u1200-\u137f\u1780-\u17ff\u1c80-\u1c8f\u1f00-\u1fff\u3040-\u30ff\u3400-\u9fff"
    "\ua640-\ua69f\uac00-\ud7af\uf900-\ufaff\ufb1d-\ufdff\ufe70-\ufefc]"
)

#: Letters of the confusable scripts but Latin: Greek, Cyrillic and their extensions.
GREEK_OR_CYRILLIC_LETTER = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u1c80-\u1c8f\u1f00-\u1fff\ua640-\ua69f]"
)

#: Lowercase words that stand inside personal names (`von der Leyen`, `bin Salman`, `Lula da
#: Silva`, `Ortega y Gasset`): part of a name between capitalized words, and no trigger of a
#: foreign phrase alone.
NAME_PARTICLES = frozenset({"al", "bin", "bint", "da", "das", "de", "del", "della", "den", "der",
                            "di", "do", "dos", "du", "el", "ibn", "la", "le", "ter", "van", "von",
                            "y", "zu"})

#: A web address in prose: a scheme or ``www.``, up to whitespace, a quote or an angle bracket.
URL = re.compile(r"(?:\b(?:https?|ftp|file)://|\bmailto:|\bwww\.)[^\s<>\"'`]+")


@cache
def confusables() -> dict[tuple[str, str], str]:
    """(letter, target script) -> the look-alike letter of that script, from Unicode's table
    (UTS #39, generated into ``cleanup/data/confusables.tsv`` by ``scripts/build_confusables.py``).

    >>> confusables()[("\u0430", "Latin")]
    'a'
    """
    from importlib import resources

    table: dict[tuple[str, str], str] = {}
    data = resources.files("cleanup") / "data" / "confusables.tsv"
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        char, _script, target, target_script = line.split("\t")
        table.setdefault((char, target_script), target)
    return table


@lru_cache(maxsize=8192)
def script_of(char: str) -> str | None:
    """The script of one character among `KNOWN_SCRIPTS`; None for digits, marks, symbols
    and letters of other scripts. Cached: real text has few distinct characters.

    >>> script_of("Ω"), script_of("東"), script_of("-")
    ('Greek', 'Han', None)
    """
    match = _script_groups().match(char)
    return match.lastgroup if match else None


@cache
def _script_groups() -> Any:
    """One alternative per known script, so that a match says which script by its group name.

    Compiled on first use: the `regex` module (for Unicode's Script property) costs tens of
    milliseconds to import, which `cleanup check` on a small file must not pay for nothing.
    """
    import regex

    return regex.compile("|".join(rf"(?P<{name}>\p{{Script={name}}})" for name in KNOWN_SCRIPTS))


__all__ = [
    "CONFUSABLE_SCRIPTS",
    "GREEK_OR_CYRILLIC_LETTER",
    "KNOWN_SCRIPTS",
    "NON_LATIN_LETTER",
    "UNSPACED_SCRIPTS",
    "URL",
    "confusables",
    "script_of",
]
