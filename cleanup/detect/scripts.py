"""Mixed-script words (CU601): homoglyphs from OCR, copy-paste or spoofing.

`Gazа` ends in a Cyrillic `а`; it looks like `Gaza` but no search, spell checker or tokenizer
vocabulary knows it. A word is reported when it mixes Latin, Cyrillic or Greek letters, and
repaired by swapping its odd letters for their look-alikes in another script, per Unicode's
confusables (UTS #39, generated into ``cleanup/data/confusables.tsv`` by
``scripts/build_confusables.py``).

A safe fix must be certain (docs/mixed-script.md states the bar): the word is not a word of
any script as it stands, and the repair is a real word, written in the document's script or in
the script most of the word is already in. "Real" means listed in the lexicon of a language
written in that script (``cleanup/data/lexicon-*.tsv.gz``); a name the lexicon lacks counts
when the word can only be read in the document's Latin script and its odd letters are
Cyrillic (`Rаfah`). Every other repair is offered as an unsafe fix, and a word that mixes
scripts with no look-alike to repair it to is flagged without one (`Moskвa`).

Legitimate mixes stay silent: `COVID-19`, `iPhone` and `H₂O` mix no scripts; Greek letters
in Latin words are notation (`IL2Rγc`, `TNFα`, `Lο1`), not look-alikes, unless the repair is
a real word (`Gοogle`); a Cyrillic or Greek word is a word of its own (`ХАМАС`, `Ελλάδα`,
Serbian `његов`, Kazakh `қазақ`), whatever its letters look like; a word glued to an acronym of
another script (`ПростоVPN`) is two words. In code files, where renaming an identifier changes
the program, no homoglyph fix is safe.

>>> import cleanup
>>> [(f.rule, f.text, f.replacement, f.safe) for f in cleanup.check("the Gaz\\u0430 Strip")]
[('CU601', 'Gazа', 'Gaza', True)]
>>> cleanup.check("COVID-19 and the iPhone, H₂O, α-particles, IL2Rγc")
[]
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from cleanup.chars import CONFUSABLE_SCRIPTS, GREEK_OR_CYRILLIC_LETTER, confusables, script_of
from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding

#: Letters of the three confusable scripts, by Unicode block (`letter_script` has the last
#: word; these only find candidates in one C-speed pass).
_LATIN = "A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_CYRILLIC = "\u0400-\u0482\u048a-\u052f\u1c80-\u1c88\ua640-\ua66d\ua680-\ua69b"
_GREEK = "\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u03ff\u1f00-\u1ffc"
_MARKS = "\u0300-\u036f\u0483-\u0489"
#: Where one script meets another inside a word: the only places a mixed word can be.
_SCRIPT_BOUNDARY = re.compile(
    f"[{_LATIN}][{_MARKS}]*[{_CYRILLIC}{_GREEK}]|[{_CYRILLIC}{_GREEK}][{_MARKS}]*[{_LATIN}]"
    f"|[{_CYRILLIC}][{_MARKS}]*[{_GREEK}]|[{_GREEK}][{_MARKS}]*[{_CYRILLIC}]"
)
#: A letter of each script, to tell whether letters of two of them occur at all.
_SCRIPT_LETTERS = (re.compile(f"[{_LATIN}]"), re.compile(f"[{_CYRILLIC}]"),
                   re.compile(f"[{_GREEK}]"))
#: A word: letters and combining marks.
_WORD_CHAR = re.compile(f"[^\\W\\d_]|[{_MARKS}]")
_WORD_END = re.compile(f"(?:[^\\W\\d_]|[{_MARKS}])*")
#: A whole Cyrillic word of three letters or more, each a Russian-alphabet look-alike of a
#: Latin letter (`Нарру`); letters other Cyrillic languages add (`і`, `ј`, `ѕ`) make a word
#: of those languages, not a disguise.
_CYRILLIC_LOOKALIKE_WORD = re.compile(
    "(?<![^\\W\\d_])[АВЕКМНОРСТУХаеорсух]{3,}(?![^\\W\\d_])")

#: Scripts whose words the lexicons list, and the languages that write them.
_LEXICON_SCRIPTS = {"Latin": None, "Cyrillic": ("ru", "uk", "bg", "mk")}
#: The Zipf frequency from which a lexicon word counts as a real word (about once in 300
#: million words: rare names and terms are in, typos are out).
_REAL_WORD = 1.5
#: Zipf of a common word of the document's language, for whole words of look-alikes.
_COMMON_WORD = 3.0


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


@lru_cache(maxsize=4096)
def is_real_word(word: str, script: str) -> bool:
    """Whether a lexicon of a language written in ``script`` lists ``word``.

    Greek has no lexicon here: no Greek word is known to be real, so no repair to Greek is
    certain.

    >>> is_real_word("Gaza", "Latin"), is_real_word("Ryc", "Latin"), is_real_word("России",
    ...                                                                          "Cyrillic")
    (True, False, True)
    """
    if script not in _LEXICON_SCRIPTS:
        return False
    from cleanup.language import word_frequencies

    languages = _LEXICON_SCRIPTS[script]
    return any(zipf >= _REAL_WORD for language, zipf in word_frequencies(word).items()
               if languages is None or language in languages)


def _char_name(char: str) -> str:
    return f"`{char}` ({unicodedata.name(char, f'U+{ord(char):04X}')})"


def homoglyph_word(word: str, document_script: str, document_language: str | None) -> str | None:
    """The Latin word that ``word``, wholly in Cyrillic look-alikes, spells; or None.

    Only a word that is common in the document's language and not a word of any Cyrillic
    language of the lexicons counts: `Нарру` in English is `Happy`, but `ХАМАС` (`XAMAC`) is
    a Russian word and `ТОР` both a Russian and an English one.

    >>> homoglyph_word("Нарру", "Latin", "en")
    'Happy'
    >>> homoglyph_word("ХАМАС", "Latin", "en") is None
    True
    """
    if document_script != "Latin" or not document_language or len(word) < 3:
        return None
    skeleton = to_script(word, "Latin")
    if skeleton is None:
        return None
    from cleanup.language import word_frequencies

    if word_frequencies(skeleton).get(document_language, 0.0) < _COMMON_WORD:
        return None
    if is_real_word(word, "Cyrillic"):
        return None
    return skeleton


def find_mixed_script_words(text: str, context: Context) -> Iterator[Finding]:
    """Words mixing Latin, Cyrillic and Greek look-alikes; a fix where the repair is certain.

    One regex pass finds where two scripts meet inside a word; only those words, and whole
    Cyrillic words of look-alikes in a Latin-script text, are looked at in Python.
    """
    if context.is_ascii:
        return
    others = "".join(context.non_ascii)
    if not GREEK_OR_CYRILLIC_LETTER.search(others):
        return
    # A boundary needs letters of two scripts: most Russian text has no Latin letter at all,
    # and one C scan for one says so at a fraction of the cost of looking for boundaries.
    latin, cyrillic, greek = _SCRIPT_LETTERS
    if (cyrillic.search(others) is not None) + (greek.search(others) is not None) \
            + (latin.search(text) is not None) >= 2:
        yield from _boundary_words(text, context)
    if context.script == "Latin":
        for match in _CYRILLIC_LOOKALIKE_WORD.finditer(text):
            finding = _whole_word(text, match.start(), match.end(), context)
            if finding is not None:
                yield finding


def _boundary_words(text: str, context: Context) -> Iterator[Finding]:
    """The words where two scripts meet (`_SCRIPT_BOUNDARY`) that mix them as damage does."""
    done = 0  # where the last word looked at ends: a word is looked at once
    for boundary in _SCRIPT_BOUNDARY.finditer(text):
        if boundary.start() < done:
            continue
        start = boundary.start()
        while start > 0 and _WORD_CHAR.match(text[start - 1]):
            start -= 1
        end_match = _WORD_END.match(text, boundary.start())
        end = end_match.end() if end_match else boundary.end()
        done = end
        finding = _mixed_word(text, start, end, context)
        if finding is not None:
            yield finding


def _is_code(context: Context) -> bool:
    """Whether the text is a program's source, where a homoglyph fix renames an identifier.

    The syntax registry says so (`cleanup.markup.SYNTAXES`: ``code`` for `.py`, `.js`...).
    """
    return context.syntax_spec.is_code


def _mixed_word(text: str, start: int, end: int, context: Context) -> Finding | None:
    word = text[start:end]
    counts = Counter(s for s in map(letter_script, word) if s is not None)
    if len(counts) < 2:
        return None
    document_script = context.script
    # An identifier (`IL2Rγc`, `x86_ядро`): letters glued to digits or underscores.
    identifier = (start > 0 and (text[start - 1].isdigit() or text[start - 1] == "_")) or (
        end < len(text) and (text[end].isdigit() or text[end] == "_"))
    majority = max(sorted(counts), key=lambda s: (counts[s], s == document_script))
    # Greek letters in a Latin word are notation (`IL2Rγc`, `TNFα`, `Lο1`) unless the word
    # reads as a real Latin word (`Gοogle`).
    notation = set(counts) == {"Latin", "Greek"} and majority == "Latin"
    if notation and (identifier or len(word) < 3):
        return None
    readings = {script: fixed for script in sorted(counts)
                if (fixed := to_script(word, script)) is not None}
    real = {script: fixed for script, fixed in readings.items() if is_real_word(fixed, script)}
    if not readings:
        if set(counts) != {"Latin", "Cyrillic"} or _glued_words(word):
            return None
        return _unrepairable(text, start, end, majority, counts)
    if document_script in real:  # `Gazа` in English, `Москвa` in Russian
        target, safe = document_script, len(real) == 1  # `Тоp` reads as `Тор` and `Top`
    elif majority in real and len(real) == 1:  # `Москвa` in English, `Wellе` in Russian
        target, safe = majority, True
    elif _certain_name(counts, readings, document_script):  # `Rаfah`
        target, safe = "Latin", True
    elif notation:
        return None
    else:  # offered, never applied unasked; a word of the document's script stays in it
        target = next((script for script in (document_script, majority)
                       if script in readings), next(iter(readings)))
        safe = False
    fixed = readings[target]
    odd = [char for char in word if letter_script(char) not in (None, target)]
    looks = ", ".join(f"{letter_script(c)} {_char_name(c)}" for c in dict.fromkeys(odd))
    safe = safe and not identifier and not _is_code(context)
    return make_finding(
        "CU601", text, start, end,
        f"mixed-script word {quote(word)}: {looks} in a {target} word; "
        f"replace with {quote(fixed)}" + ("" if safe else " if that is the word meant"),
        replacement=fixed, safe=safe, confidence=0.95 if safe else 0.6, script=target,
        scripts=sorted(counts), homoglyphs="".join(dict.fromkeys(odd)),
    )


def _certain_name(counts: Counter[str], readings: dict[str, str], document_script: str) -> bool:
    """A Latin word with a few Cyrillic look-alikes in a Latin-script text (`Rаfah`): it reads
    only in Latin, so it is a homoglyph even where the lexicon lacks the name."""
    return (set(counts) == {"Latin", "Cyrillic"} and document_script == "Latin"
            and set(readings) == {"Latin"} and counts["Cyrillic"] < counts["Latin"])


def _glued_words(word: str) -> bool:
    """Two words of two scripts written together, the second starting with a capital
    (`ПростоVPN`, `МойOffice`): a name or a lost space, not a look-alike.

    >>> _glued_words("ПростоVPN"), _glued_words("Moskвa")
    (True, False)
    """
    runs: list[list[str]] = []
    for char in word:
        script = letter_script(char)
        if script is None:
            continue
        if runs and runs[-1][0] == script:
            runs[-1].append(char)
        else:
            runs.append([script, char])
    return (len(runs) == 2 and all(len(run) > 2 for run in runs)
            and runs[1][1].isupper())


def _unrepairable(text: str, start: int, end: int, majority: str,
                  counts: Counter[str]) -> Finding:
    """A Latin-Cyrillic word whose odd letters have no look-alike (`Moskвa`): flagged only."""
    word = text[start:end]
    odd = [char for char in word if letter_script(char) not in (None, majority)]
    looks = ", ".join(f"{letter_script(c)} {_char_name(c)}" for c in dict.fromkeys(odd))
    return make_finding(
        "CU601", text, start, end,
        f"mixed-script word {quote(word)}: {looks} in a {majority} word, with no look-alike "
        f"to repair it to; retype the word",
        confidence=0.6, script=majority, scripts=sorted(counts),
        homoglyphs="".join(dict.fromkeys(odd)),
    )


def _whole_word(text: str, start: int, end: int, context: Context) -> Finding | None:
    """A whole Cyrillic word of look-alikes that spells a common word of the Latin-script
    document's language (`Нарру` for `Happy`)."""
    word = text[start:end]
    # Inside a run of symbols (`РЅР°Р·`) the letters are mojibake, not a word.
    before = text[start - 1:start]
    after = text[end:end + 1]
    if any(c and not (c.isspace() or c.isascii()) for c in (before, after)):
        return None
    if word.isupper() and len(word) < 4:  # short capitals are acronyms of any script
        return None
    fixed = homoglyph_word(word, context.script, context.language)
    if fixed is None:
        return None
    return make_finding(
        "CU601", text, start, end,
        f"word {quote(word)} is written in Cyrillic look-alikes of the "
        f"{context.script} {quote(fixed)}; replace with {quote(fixed)}",
        replacement=fixed, safe=not _is_code(context), confidence=0.8, script=context.script,
        scripts=["Cyrillic"], homoglyphs="".join(dict.fromkeys(word)),
    )
