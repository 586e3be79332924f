"""Romanization of foreign fragments, each language by a named standard.

A fragment left untranslated is at least readable in Latin letters, and the `transliterate`
policy writes it so. Each language goes by the standard its readers expect: Russian by BGN/PCGN
(from the maintained `iuliia` package), Ukrainian by the national system of 2010 and Bulgarian
by the Streamlined System of 2009 (small tables in ``cleanup/data/romanization.json``, since no
maintained package implements them), Serbian, Macedonian and Belarusian by `cyrtranslit`, and
any other script by `anyascii`, which covers all of Unicode.

>>> romanize("Израиля", "ru")
('Izrailya', 'BGN/PCGN')
>>> romanize("Пойдёмте", "ru")[0]
'Poydëmte'
>>> romanize("Києва", "uk")[0]
'Kyieva'
>>> romanize("София", "bg")[0]
'Sofia'
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import regex

_WORD = regex.compile(r"[\p{L}'’ʼ]+")
_YO = str.maketrans({"ё": "ë", "Ё": "Ë"})


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, Any]]:
    data = resources.files("cleanup") / "data" / "romanization.json"
    tables: dict[str, dict[str, Any]] = json.loads(data.read_text(encoding="utf-8"))
    return tables


def _match_case(source: str, romanized: str) -> str:
    if not romanized:
        return romanized
    if source.isupper() and len(source) > 1:
        return romanized.upper()
    if source[:1].isupper():
        return romanized[:1].upper() + romanized[1:]
    return romanized


def _by_table(word: str, table: dict[str, Any]) -> str:
    """Romanize one word with a letter table that knows word-initial and word-final forms."""
    lowered = word.lower()
    out: list[str] = []
    position = 0
    while position < len(lowered):
        ending = next((seq for seq in table["final"]
                       if position == len(lowered) - len(seq) and lowered.endswith(seq)), None)
        if ending:
            out.append(table["final"][ending])
            break
        sequence = next((seq for seq in table["sequences"]
                         if lowered.startswith(seq, position)), None)
        if sequence:
            out.append(table["sequences"][sequence])
            position += len(sequence)
            continue
        char = lowered[position]
        letters = table["initial"] if position == 0 and char in table["initial"] else \
            table["letters"]
        out.append(letters.get(char, word[position]))
        position += 1
    return _match_case(word, "".join(out))


def romanize(fragment: str, language: str | None) -> tuple[str, str]:
    """``fragment`` in Latin letters, and the name of the standard used.

    >>> romanize("Αθήνα", "el")
    ('Athina', 'anyascii')
    """
    if language == "ru" or (language is None and regex.search(r"\p{Script=Cyrillic}", fragment)):
        import iuliia

        romanized = _WORD.sub(
            lambda m: _match_case(m.group(), iuliia.BGN_PCGN.translate(m.group())), fragment)
        # iuliia's BGN/PCGN table leaves `ё` Cyrillic; the standard writes it `ë`.
        return romanized.translate(_YO), "BGN/PCGN"
    tables = _tables()
    if language in tables:
        table = tables[language]
        return _WORD.sub(lambda m: _by_table(m.group(), table), fragment), table["standard"]
    if language in ("sr", "mk", "be"):
        import cyrtranslit

        code = {"be": "by"}.get(language, language)
        return cyrtranslit.to_latin(fragment, code), f"cyrtranslit ({language})"
    from anyascii import anyascii

    return anyascii(fragment), "anyascii"
