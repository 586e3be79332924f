"""Mixed-script words (CU601): homoglyphs from OCR, copy-paste or spoofing.

`Gazа` ends in a Cyrillic `а`; it looks like `Gaza` but no search, spell checker or tokenizer
vocabulary knows it. A word is reported when it mixes Latin, Cyrillic or Greek letters and every
letter of the minority script has a look-alike in the majority one, per Unicode's confusables
(UTS #39, generated into ``cleanup/data/confusables.tsv`` by ``scripts/build_confusables.py``).
The fix swaps the look-alikes for the word's own script (ties go to the document's script).

Genuine mixes stay silent: `COVID-19`, `iPhone` and `H₂O` mix no scripts, `α-particles` and a
lone `Ф` are words of their own, and a Cyrillic or Greek letter without a Latin look-alike
(`μm`) is not a homoglyph. A whole word of Cyrillic look-alikes that spells a common word of the
document's language (`Нарру`, all Cyrillic, in English) is reported too; a Cyrillic word that is a
word (`ХАМАС`) is a foreign fragment, left to the foreign-fragment detector.

>>> import cleanup
>>> [(f.rule, f.text, f.replacement) for f in cleanup.check("the Gaz\\u0430 Strip")]
[('CU601', 'Gazа', 'Gaza')]
>>> cleanup.check("COVID-19 and the iPhone, H₂O, α-particles")
[]
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import regex

from cleanup.chars import CONFUSABLE_SCRIPTS, GREEK_OR_CYRILLIC_LETTER, script_of
from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding

#: A word: letters and combining marks.
_WORD = regex.compile(r"[\p{L}\p{M}]+")



@lru_cache(maxsize=1)
def confusables() -> dict[tuple[str, str], str]:
    """(letter, target script) -> the look-alike letter of that script, from Unicode's table."""
    table: dict[tuple[str, str], str] = {}
    data = resources.files("cleanup") / "data" / "confusables.tsv"
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        char, _script, target, target_script = line.split("\t")
        table.setdefault((char, target_script), target)
    return table


def letter_script(char: str) -> str | None:
    """Latin, Cyrillic or Greek for a letter of those scripts; None for anything else."""
    script = script_of(char)
    return script if script in CONFUSABLE_SCRIPTS else None


def to_script(word: str, script: str) -> str | None:
    """``word`` with every letter of another script swapped for its look-alike in ``script``.

    None when some letter has no look-alike there.

    >>> to_script("Вiden", "Latin")
    'Biden'
    >>> to_script("Москвa", "Cyrillic")
    'Москва'
    """
    table = confusables()
    out = []
    for char in word:
        own = letter_script(char)
        if own is None or own == script:
            out.append(char)
            continue
        target = table.get((char, script))
        if target is None:
            return None
        out.append(target)
    return "".join(out)


def _char_name(char: str) -> str:
    return f"`{char}` ({unicodedata.name(char, f'U+{ord(char):04X}')})"


def homoglyph_word(word: str, document_script: str, document_language: str | None) -> str | None:
    """The document-script word that ``word``, wholly in look-alike letters, spells; or None.

    Only a word that is common in the document's language and not a word of its own script
    counts: `Нарру` in Cyrillic is `Happy`, but `ХАМАС` (`XAMAC`) is a Russian word.

    >>> homoglyph_word("Нарру", "Latin", "en")
    'Happy'
    >>> homoglyph_word("ХАМАС", "Latin", "en") is None
    True
    """
    if len(word) < 3 or document_script not in CONFUSABLE_SCRIPTS or not document_language:
        return None
    scripts = {letter_script(char) for char in word}
    if len(scripts) != 1 or None in scripts or document_script in scripts:
        return None
    skeleton = to_script(word, document_script)
    if skeleton is None:
        return None
    from cleanup.language import word_frequencies

    if word_frequencies(skeleton).get(document_language, 0.0) < 3.0:
        return None
    if max(word_frequencies(word).values(), default=0.0) >= 2.0:
        return None
    return skeleton


def find_mixed_script_words(text: str, context: Context) -> Iterator[Finding]:
    """Words mixing Latin, Cyrillic and Greek look-alikes, fixed to the word's own script."""
    if context.is_ascii or not any(GREEK_OR_CYRILLIC_LETTER.match(c) for c in context.non_ascii):
        return
    document_script = context.script
    latin_document = document_script == "Latin"
    for match in _WORD.finditer(text):
        word = match.group()
        if latin_document and word.isascii():  # Latin letters only, in a Latin document
            continue
        counts = Counter(s for s in map(letter_script, word) if s is not None)
        if len(counts) < 2:
            if len(counts) == 1 and document_script in CONFUSABLE_SCRIPTS:
                yield from _whole_word(text, match, context)
            continue
        ranked = sorted(counts, key=lambda s: (-counts[s], s != document_script, s))
        repairs = {script: fixed for script in ranked
                   if (fixed := to_script(word, script)) is not None}
        if not repairs:
            if set(counts) == {"Latin", "Cyrillic"}:
                yield _unrepairable(text, match, ranked[0], counts)
            continue
        target = _best_repair(repairs, ranked)
        fixed = repairs[target]
        odd = [char for char in word if letter_script(char) not in (None, target)]
        looks = ", ".join(f"{letter_script(c)} {_char_name(c)}" for c in dict.fromkeys(odd))
        yield make_finding(
            "CU601", text, match.start(), match.end(),
            f"mixed-script word {quote(word)}: {looks} in a {target} word; "
            f"replace with {quote(fixed)}",
            replacement=fixed, confidence=0.95, script=target,
            scripts=sorted(counts), homoglyphs="".join(dict.fromkeys(odd)),
        )


def _best_repair(repairs: dict[str, str], ranked: list[str]) -> str:
    """The script to repair to when several work: the one whose result is a more common word.

    `Мах` (Cyrillic М, а, Latin x) reads as the Cyrillic `Мах` or the Latin `Max`; the word
    that its language uses more wins, and the word's majority script breaks ties.
    """
    if len(repairs) == 1:
        return next(iter(repairs))
    from cleanup.language import word_frequencies

    def usage(script: str) -> float:
        frequencies = word_frequencies(repairs[script])
        languages = ("ru", "uk", "bg", "mk") if script == "Cyrillic" else None
        return max((zipf for lang, zipf in frequencies.items()
                    if languages is None or lang in languages), default=0.0)

    scored = sorted(repairs, key=lambda script: (-round(usage(script), 1), ranked.index(script)))
    return scored[0]


def _unrepairable(text: str, match: regex.Match[str], majority: str,
                  counts: Counter[str]) -> Finding:
    """A Latin-Cyrillic word whose odd letters have no look-alike (`Moskвa`): flagged only."""
    word = match.group()
    odd = [char for char in word if letter_script(char) not in (None, majority)]
    looks = ", ".join(f"{letter_script(c)} {_char_name(c)}" for c in dict.fromkeys(odd))
    return make_finding(
        "CU601", text, match.start(), match.end(),
        f"mixed-script word {quote(word)}: {looks} in a {majority} word, with no look-alike "
        f"to repair it to; retype the word",
        confidence=0.6, script=majority, scripts=sorted(counts),
        homoglyphs="".join(dict.fromkeys(odd)),
    )


def _whole_word(text: str, match: regex.Match[str], context: Context) -> Iterator[Finding]:
    word = match.group()
    if letter_script(word[0]) == context.script:
        return
    # Inside a run of symbols (`РЅР°Р·`) the letters are mojibake, not a word.
    before = text[match.start() - 1:match.start()]
    after = text[match.end():match.end() + 1]
    if any(c and not (c.isspace() or c.isascii()) for c in (before, after)):
        return
    if word.isupper() and len(word) < 4:  # short capitals are acronyms of any script
        return
    fixed = homoglyph_word(word, context.script, context.language)
    if fixed is None:
        return
    yield make_finding(
        "CU601", text, match.start(), match.end(),
        f"word {quote(word)} is written in {letter_script(word[0])} look-alikes of the "
        f"{context.script} {quote(fixed)}; replace with {quote(fixed)}",
        replacement=fixed, confidence=0.8, script=context.script,
        scripts=[letter_script(word[0])], homoglyphs="".join(dict.fromkeys(word)),
    )
