"""Foreign fragments: text in another language left inside the document's (CU201, CU202).

Machine translation leaves source words behind: `criticize the prime minister more openly
[Израиля]`, a price `6299р.`, an author `Дм.Быков`, a whole Russian sentence in English output.

- CU201 finds runs of words in another script than the document's (Cyrillic, Greek, Arabic,
  Hebrew, CJK... in Latin text; Latin words in a Cyrillic document), with their brackets when
  the whole bracketed content is foreign. One run is the words separated only by whitespace.
- CU202 finds phrases of two or more words of another Latin-script language (`selon nos
  informations`) by word-level evidence: each word's frequency in each language of the lexicons
  against the document's language, and letters of one alphabet (`ł`, `ß`). Names (every word
  capitalized) and the set phrases English uses (`de facto`, `fait accompli`, in
  ``cleanup/data/loan-phrases.txt``) stay silent, and a candidate is confirmed by language
  identification on its span only: clean English never pays for a model.

Every finding names the fragment's language (`data.lang`, `data.lang_confidence`), its script,
its romanization (`data.translit`, `data.translit_standard`) and, when certain, its English name
(`data.gloss`). What `fix` does is the config's `foreign_policy`: `keep` (default, no fix),
`drop` (the fragment, its brackets and the space before it), `transliterate` or `gloss`; the
last three are unsafe fixes.

>>> import cleanup
>>> finding = cleanup.check("criticize the prime minister more openly [Израиля] due to")[0]
>>> finding.text, finding.data["lang"], finding.data["gloss"]
('[Израиля]', 'ru', 'Israel')
>>> cleanup.fix("openly [Израиля] due to", config=cleanup.Config(foreign_policy="drop"),
...             unsafe_fixes=True).text
'openly due to'
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources
from typing import TypeVar

import regex

from cleanup.chars import NAME_PARTICLES, NON_LATIN_LETTER, script_of
from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding
from cleanup.language import (
    LATIN_ALPHABETS,
    LATIN_LEXICON_LANGUAGES,
    SCRIPT_LANGUAGES,
    blank_pieces,
    common_words,
    english_markers,
    fragment_language,
    language_code,
    language_name,
    latin_language,
    prose,
    safe_words,
    script_counts,
    scripts_of_language,
    span_probabilities,
    trigger_words,
    unknown_words,
    word_frequencies,
)

#: A word of one script: letters and marks, with inner apostrophes, hyphens or abbreviation
#: dots (`Дм.Быков`) between letters of the same script.
_SCRIPT_WORD = {
    script: regex.compile(
        rf"\p{{Script={script}}}[\p{{Script={script}}}\p{{M}}]*"
        rf"(?:['’.\-]\p{{Script={script}}}[\p{{Script={script}}}\p{{M}}]*)*"
    )
    for script in SCRIPT_LANGUAGES
}

#: Letters (of any script) with inner apostrophes, in the faster stdlib `re`: the first look at
#: a text for CU202 (`_has_trigger`).
_ANY_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

#: What keeps two words in one run: blanks but a paragraph break, and numbers standing
#: between blanks (`в 2023 году`, `от 5 марта`).
_GAP = regex.compile(r"[^\S\n]*\n?[^\S\n]*(?:\d[\d.,:/%-]*[^\S\n]+)*")



def _is_gap(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` keeps two words in one run (`_GAP`): most gaps are one
    space, which needs no regex call.

    >>> _is_gap("в 2023 году", 1, 7), _is_gap("a, b", 1, 3)
    (True, False)
    """
    if end - start == 1 and text[start] == " ":
        return True
    return _GAP.fullmatch(text, start, end) is not None


_BRACKETS = {"[": "]", "(": ")", "{": "}"}

#: Scripts written without spaces, whose single characters are words.
_UNSPACED = frozenset({"Han", "Hiragana", "Katakana", "Thai"})

#: Scripts that one language writes together, so their words form one run (`東京へようこそ`).
_GROUPS = {"Hiragana": "Han", "Katakana": "Han"}

#: Latin-script words for CU202: letters with inner apostrophes (`d'être`).
_LATIN_WORD = regex.compile(r"\p{Script=Latin}[\p{Script=Latin}\p{M}]*(?:['’]\p{Script=Latin}+)*")


#: A word leans to a language when it is this much more frequent there (Zipf) than in the
#: document's language.
_LEANING = 0.5


@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    script: str
    words: int


def find_foreign_fragments(text: str, context: Context) -> Iterator[Finding]:
    """Foreign-script runs (CU201), then Latin-script foreign phrases (CU202).

    The document's scripts are its language's (configured or decided from its prose); when
    its language is unknown, the script of most of its letters, and no CU202: which Latin
    words are foreign depends on the language.
    """
    language = _document_language(context)
    own_scripts = (scripts_of_language(language) if language
                   else frozenset({context.script}))
    policy = context.config.foreign_policy
    if policy == "gloss":
        from cleanup.gloss import require_gloss

        require_gloss()
    taken: list[tuple[int, int]] = []
    if not (context.is_ascii and "Latin" in own_scripts):
        runs = list(_foreign_script_runs(text, own_scripts, context))
        if runs and not context.config.language:
            runs = _outside_second_scripts(text, runs)
        for run in runs:
            taken.append((run.start, run.end))
            yield _fragment_finding("CU201", text, run.start, run.end, run.script, policy)
    if own_scripts == {"Latin"} and language:
        starts = [start for start, _ in taken]  # runs are sorted and disjoint
        for start, end, lang, confidence in _latin_fragments(text, language):
            # Only the run that starts last before ``end`` can overlap (a bisection, not a
            # scan of every run: a text can hold thousands).
            before = bisect.bisect_left(starts, end) - 1
            if before < 0 or taken[before][1] <= start:
                yield _fragment_finding("CU202", text, start, end, "Latin", policy,
                                        lang=(lang, confidence))


def _document_language(context: Context) -> str | None:
    """The configured language as the identifier names it (`deu` is `de`), else the detected."""
    configured = context.config.language
    if configured:
        return language_code(configured) or configured
    return context.language


# --- CU201: runs of another script ------------------------------------------------------------


def _foreign_script_runs(text: str, own_scripts: frozenset[str],
                         context: Context) -> Iterator[_Run]:
    """Runs of words in a script the document is not written in."""
    if "Latin" in own_scripts and not (context.has_non_latin_letter if text is context.text
                                       else NON_LATIN_LETTER.search(text)):
        return
    # Only the scripts the text has letters of: one pass each, not one per script known.
    present = set(context.script_counts if text is context.text else
                  {script_of(char) for char in set(text) if not char.isascii()})
    present.add("Latin")
    words: list[tuple[int, int, str]] = []
    for script, pattern in _SCRIPT_WORD.items():
        if script in own_scripts or script not in present:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            # Glued to a letter of another script: a mixed-script word, not a fragment.
            if _is_other_letter(text, start - 1, script) or _is_other_letter(text, end, script):
                continue
            words.append((start, end, script))
    words.sort()
    index = 0
    while index < len(words):
        start, end, script = words[index]
        count = 1
        while index + 1 < len(words) and _GROUPS.get(words[index + 1][2], words[index + 1][2]) \
                == _GROUPS.get(script, script):
            next_start = words[index + 1][0]
            if not _is_gap(text, end, next_start):
                break
            end = words[index + 1][1]
            count += 1
            index += 1
        index += 1
        run = _qualify(text, start, end, script, count, own_scripts)
        if run is not None:
            yield run


def _outside_second_scripts(text: str, runs: list[_Run]) -> list[_Run]:
    """``runs`` but those in a script the document is substantially written in too.

    A partly translated page (half its paragraphs still in English, half in Russian) or a
    bilingual one has two languages of its own, and which one a guess from its prose calls
    the document's is a coin toss: reporting the other one's paragraphs as untranslated would
    invert the finding. A script with at least `_SECOND_SCRIPT_SHARE` of the prose's letters,
    and `_SECOND_SCRIPT_LETTERS` of them, is such a second language; a fragment, even a long
    one in a short text (`We said [Пойдёмте поиграем] then.`), is not. A configured language
    decides alone.

    >>> page = "Это перевод страницы. " * 30 + "This paragraph is still in English. " * 15
    >>> _outside_second_scripts(page, [_Run(660, 695, "Latin", 6)])
    []
    >>> _outside_second_scripts("We said [Пойдёмте поиграем] then.", [_Run(9, 26, "Cyrillic", 2)])
    [_Run(start=9, end=26, script='Cyrillic', words=2)]
    """
    counts = script_counts(prose(text))
    total = sum(counts.values())
    second = {script for script, letters in counts.items()
              if letters >= max(_SECOND_SCRIPT_SHARE * total, _SECOND_SCRIPT_LETTERS)}
    return [run for run in runs if _GROUPS.get(run.script, run.script) not in second
            and run.script not in second]


#: A script holding this share of a document's prose letters is one of its languages.
_SECOND_SCRIPT_SHARE = 0.25
#: ... when it holds this many letters too (a paragraph or two, not an inserted phrase).
_SECOND_SCRIPT_LETTERS = 400


def _is_other_letter(text: str, index: int, script: str) -> bool:
    """Whether ``text[index]`` is a letter that does not belong with words of ``script``."""
    if not (0 <= index < len(text) and text[index].isalpha()):
        return False
    other = script_of(text[index])
    return other is None or _GROUPS.get(other, other) != _GROUPS.get(script, script)


def _qualify(text: str, start: int, end: int, script: str, count: int,
             own_scripts: frozenset[str]) -> _Run | None:
    """The run as reported (abbreviation dot, brackets), or None when it is no fragment."""
    fragment = text[start:end]
    letters = sum(ch.isalpha() for ch in fragment)
    after_digit = start > 0 and text[start - 1].isdigit()
    if letters < 2 and script not in _UNSPACED and not after_digit:
        return None  # a lone letter is a symbol: `Ф` on a key, `α` in α-particles
    if script == "Greek" and letters <= 2:
        return None  # Greek letters in Latin text are symbols: `αβ testing`, `μν`
    if script == "Latin" and not _latin_run_is_foreign(fragment, count):
        return None
    if _in_address(text, start):
        return None  # `https://ru.wikipedia.org/wiki/Москва`, `@Пользователь`: not prose
    if letters <= 3 and text[end:end + 1] == "." and (after_digit or letters <= 2):
        end += 1  # an abbreviation keeps its dot: `6299р.`, `г.`
    opener = text[start - 1:start]
    if opener in _BRACKETS and text[end:end + 1] == _BRACKETS[opener]:
        start, end = start - 1, end + 1
    if script != "Latin" and _spells_the_name_beside(text, start, end, script):
        return None
    return _Run(start, end, script, count)


def _spells_the_name_beside(text: str, start: int, end: int, script: str) -> bool:
    """Whether the run is a name in its own script given beside its Latin spelling, one of
    them in brackets: `Xuan Huang (黄玄)`, `黄玄 (Xuan Huang)`. Documents write names so; the
    run is the name, not an untranslated phrase. The two must be the same letters once the
    run is romanized (in any order of the words: family names come first in some languages).

    >>> _spells_the_name_beside("by Xuan Huang (黄玄) today", 14, 18, "Han")
    True
    >>> _spells_the_name_beside("by John Smith (黄玄) today", 14, 18, "Han")
    False
    >>> _spells_the_name_beside("met Vladimir Putin (Путин)", 19, 26, "Cyrillic")
    True
    """
    from cleanup.translit import romanize

    if text[start:start + 1] in _BRACKETS:
        beside = _NAME_BEFORE.search(text, max(start - 80, 0), start)
        inner = text[start + 1:end - 1]
    else:
        beside = _NAME_AFTER.match(text, end)
        inner = text[start:end]
    if beside is None:
        return False
    language, _ = fragment_language(inner, script)
    romanized, _ = romanize(inner, language)

    def letters(spelling: str) -> str:
        return "".join(sorted(char for char in spelling.lower() if char.isalpha()))

    words = re.split(r"[ -]", beside.group("name"))
    # The whole name or the part of it the run spells: `Vladimir Putin (Путин)`.
    parts = [words[i:] for i in range(len(words))] if beside.re is _NAME_BEFORE else [
        words[:i] for i in range(len(words), 0, -1)]
    return letters(romanized) in {letters("".join(part)) for part in parts}


#: Capitalized Latin words right before a bracketed run, or in brackets right after one.
_NAME_WORDS = r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3})"
_NAME_BEFORE = re.compile(rf"{_NAME_WORDS}[ \u00a0]?\Z")
_NAME_AFTER = re.compile(rf"[ \u00a0]?[(（]{_NAME_WORDS}[)）]")


#: A web address or handle, up to the run: its words are names, not prose to translate.
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|[@#])\S*$", re.IGNORECASE)


def _in_address(text: str, start: int) -> bool:
    line_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    return bool(_ADDRESS.search(text, line_start, start)) if line_start < start else False


def _latin_run_is_foreign(fragment: str, count: int) -> bool:
    """Latin words in a non-Latin document: a phrase with its own grammar, not a name, a
    title, a product or a technical term (`AMD Ryzen`, `Armies of the`, `intel pentium`).

    >>> _latin_run_is_foreign("the sanctions will remain in place", 6)
    True
    >>> _latin_run_is_foreign("Ellis Kirk and the", 4), _latin_run_is_foreign("cake Day", 2)
    (False, False)
    >>> _latin_run_is_foreign("kafal gedi kutukai wari jamuna pari", 6)  # romanized Nepali
    False
    """
    if count < 3:
        return False
    words = _LATIN_WORD.findall(fragment)
    lang, _ = latin_language(fragment)
    known = sum(word_frequencies(word).get(lang or "", 0.0) >= 3.0 for word in words)
    return known * 2 >= len(words) and _has_own_grammar(words, lang)


#: A word this frequent (Zipf) in a language is one of its function words or commonest words:
#: what gives a phrase its grammar (`the`, `is`, `selon`, `laut`, `według`).
_FUNCTION_ZIPF = 5.0


def _is_function_word(word: str, lang: str | None) -> bool:
    """A lowercase word of two letters or more that ``lang`` (None: any language) uses a lot."""
    if len(word) < 2 or not word.islower():
        return False
    frequencies = word_frequencies(word)
    zipf = frequencies.get(lang, 0.0) if lang else max(frequencies.values(), default=0.0)
    return zipf >= _FUNCTION_ZIPF


def _has_own_grammar(words: list[str], lang: str | None, capital_first: bool = False) -> bool:
    """Whether ``words`` form a phrase with its own grammar: three words or more (of two
    letters or more), a function word of ``lang`` among them, and no capital on every other
    word, as a name or title has (`The Watchers on the Wall`). A borrowed term has no
    function word (`grandes écoles`, `novokomponovana muzika`). ``capital_first``: the
    phrase begins a sentence, so its first capital says nothing.

    >>> _has_own_grammar(["selon", "nos", "informations"], "fr")
    True
    >>> _has_own_grammar(["Encyclopedia", "of", "the", "Gilded", "Age"], "en")
    False
    """
    words = [word for word in words if len(word) >= 2]
    if len(words) < 3:
        return False
    function = [_is_function_word(word, lang) for word in words]
    if not any(function):
        return False
    others = [word for index, (word, is_function) in enumerate(zip(words, function))
              if not is_function and not (index == 0 and capital_first)]
    return not others or not all(word[:1].isupper() for word in others)


# --- CU202: Latin-script phrases of another language ------------------------------------------


@lru_cache(maxsize=1)
def _loan_phrases() -> frozenset[tuple[str, ...]]:
    data = resources.files("cleanup") / "data" / "loan-phrases.txt"
    phrases = set()
    for line in data.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            phrases.add(tuple(_LATIN_WORD.findall(line.replace("’", "'"))))
    return frozenset(phrases)


@lru_cache(maxsize=65536)
def _leanings(word: str, language: str) -> dict[str, float]:
    """How much more each other language uses ``word`` than ``language`` does (Zipf points)."""
    frequencies = word_frequencies(word)
    own = frequencies.get(language, 0.0)
    if own >= 4.5:
        return {}
    leanings = {lang: zipf - max(own, 1.0) for lang, zipf in frequencies.items()
                if lang != language and zipf - max(own, 1.0) >= _LEANING}
    if not frequencies:  # unknown word: its letters may still belong to one alphabet
        special = {ch for ch in word.lower() if not ch.isascii()}
        if special:
            for lang, letters in LATIN_ALPHABETS.items():
                if lang != language and special <= set(letters):
                    leanings[lang] = 1.5
    return leanings


def _is_strong(word: str, lang: str, language: str) -> bool:
    """A word the document's language barely uses and ``lang`` uses a lot."""
    frequencies = word_frequencies(word)
    if not frequencies:
        return any(not ch.isascii() for ch in word)
    return (frequencies.get(language, 0.0) < _STRONG_OWN
            and frequencies.get(lang, 0.0) >= _STRONG_OTHER)


def _has_trigger(pieces: frozenset[str], language: str) -> bool:
    """Whether some word of a text's ``pieces`` (but its common ones, `_uncommon_pieces`) is
    rare in ``language`` and frequent in another one.

    The set arithmetic runs in C: clean text pays a set difference or two and a `findall`
    over the pieces left, and only its few uncommon words are looked up one by one.

    >>> _has_trigger(_uncommon_pieces("The talks went selon nos informations.", "en"), "en")
    True
    """
    safe = safe_words(language)
    # Most pieces of clean text are known words as they stand, and gone already (the plain
    # words where a list ships, else the common ones: no trigger is common, below): only the
    # rest (names, words in curly quotes...) is tokenized.
    words = set(filter(str.islower, _ANY_WORD.findall(" ".join(pieces)))) - NAME_PARTICLES
    if safe is not None:
        words -= safe
        if not words:
            return False
    triggers = trigger_words(language)
    if triggers is not None:
        if any(word in triggers for word in words):  # a trie: looked up, never walked
            return True
        # Unknown words with letters English lacks are the only other way in.
        words = {word for word in words if not word.isascii()}
        if not words:
            return False
    return _any_leaning(words - common_words(language), language)


#: language -> (words that lean to another language by a point or more, words that do not),
#: as `_any_leaning` found them: what text repeats across documents is looked up in C.
_LEANING_VERDICTS: dict[str, tuple[set[str], set[str]]] = {}
#: Past this many words in one of those sets, it starts afresh (a bounded cache).
_MAX_VERDICTS = 65_536


def _any_leaning(words: set[str], language: str) -> bool:
    """Whether one of ``words`` is lowercase and leans to another language by a point or more
    (`_leanings`): capitalized words are mostly names; a foreign phrase has a lowercase word
    too. Words seen before are answered by set arithmetic, the others one by one.

    >>> _any_leaning({"Paris", "informations"}, "en"), _any_leaning({"Paris"}, "en")
    (True, False)
    """
    leaning, inert = _LEANING_VERDICTS.setdefault(language, (set(), set()))
    if not leaning.isdisjoint(words):
        return True
    for word in words.difference(inert):
        if word.islower() and max(_leanings(word, language).values(), default=0.0) >= 1.0:
            if len(leaning) >= _MAX_VERDICTS:
                leaning.clear()
            leaning.add(word)
            return True
        if len(inert) >= _MAX_VERDICTS:
            inert.clear()
        inert.add(word)
    return False


@lru_cache(maxsize=4)
def _plain_words(language: str) -> frozenset[str]:
    """Pieces of a text in ``language`` that hold one word and no trigger (`envoy`, `The`).

    The safe words that are one word as `_ANY_WORD` reads them, and the same capitalized.
    """
    words = [word for word in safe_words(language) or ()
             if word.isalpha() or _ANY_WORD.fullmatch(word)]  # isalpha: letters, one word
    # Capitalized at a sentence's start (`The`), one such piece is one word, and not lowercase:
    # it can be no trigger either, nor a strong word (its lowercase is the plain word).
    return frozenset(words).union(
        upper for word in words
        if (upper := word.capitalize()) != word and upper.lower() == word)


@lru_cache(maxsize=65536)
def _bridges(word: str, language: str) -> frozenset[str]:
    """Languages for which ``word`` is a function word the document's language uses too.

    `de`, `la`, `a`, `die` are English words as well, so they lean nowhere, yet inside
    `[de acuerdo con el gobierno]` they belong to the Spanish phrase.
    """
    frequencies = word_frequencies(word)
    own = frequencies.get(language, 0.0)
    if own < 4.5:
        return frozenset()
    return frozenset(lang for lang, zipf in frequencies.items()
                     if lang != language and zipf >= 5.0 and zipf >= own - 0.5)


_Token = tuple[int, int, str]


def _latin_fragments(text: str, language: str) -> Iterator[tuple[int, int, str, float]]:
    """(start, end, lang, confidence) of phrases of another Latin-script language.

    Word frequencies tell a phrase of another language only where the lexicons know the
    document's language too; in the others (Estonian, Latvian, Welsh...), only English
    phrases are looked for, by the words only English writes often.
    """
    english: list[tuple[int, int, str, float]] = []
    if language != "en":
        english = list(_english_phrases(text, language))
        yield from english
        if language not in LATIN_LEXICON_LANGUAGES:
            return
    rest = _uncommon_pieces(text, language)
    if not _has_trigger(rest, language):
        return
    for found in _lexicon_phrases(text, rest, language):
        if not any(start < found[1] and found[0] < end for start, end, _, _ in english):
            yield found


def _lexicon_phrases(text: str, pieces: frozenset[str],
                     language: str) -> Iterator[tuple[int, int, str, float]]:
    """Phrases whose words another language of the lexicons uses more than the document's.

    A run is words that lean to another language, its function words and unknown words,
    separated only by blanks; one with two leaning words is judged (`_judge_latin_run`), and
    only one holding a strong word (`_is_strong`) can pass. So the runs are looked for around
    the strong words alone, which set arithmetic over the text's distinct ``pieces`` (but the
    common ones) finds: most texts have none, and the rest a few, each a few words of Python
    work.
    """
    strong = _strong_candidates(pieces, language)
    if not strong:
        return
    runs: list[_LatinRun] = []
    for segment in _segments(text, _token_spans(text, strong), partial(_member,
                                                                        language=language)):
        members = _run_of(segment, _leans_or_bridges)
        if sum(1 for _, (leaning, _) in members if leaning) >= 2:
            runs.append([(token, leaning, bridges) for token, (leaning, bridges) in members])
    for run in runs:
        yield from _judge_latin_run(text, run, language)


#: A token with the languages it leans to and those it is a function word of (`_bridges`).
_Member = tuple[_Token, dict[str, float], frozenset[str]]
_LatinRun = list[_Member]

#: A strong word of a foreign phrase: the document's language uses it less than this (Zipf)...
_STRONG_OWN = 2.5
#: ...and the phrase's language at least this much.
_STRONG_OTHER = 3.0


def _uncommon_pieces(text: str, language: str) -> frozenset[str]:
    """The pieces of ``text`` between blanks but the common words of ``language``
    (`_common_pieces`): clean prose is mostly such words."""
    return blank_pieces(text).difference(_common_pieces(language))


@lru_cache(maxsize=8)
def _common_pieces(language: str) -> frozenset[str]:
    """Pieces of a text in ``language`` that are none of its foreign-phrase evidence
    (`_has_trigger`, `_strong_candidates`), so dropping them first changes no answer: each
    is one word (`_LATIN_WORD`) whose lowercase the language uses at Zipf 2.5 or more.

    Where a list of plain words ships (English), those (used at Zipf 2.5 or more, no
    trigger): a check of plain English never loads the lexicons. Elsewhere the few thousand
    words used at Zipf 4.5 or more, lowercase and capitalized.
    """
    if safe_words(language) is not None:
        return _plain_words(language)
    common = common_words(language)
    return common.union(upper for word in common
                        if (upper := word.capitalize()) != word and upper.lower() == word)


def _strong_candidates(pieces: frozenset[str], language: str) -> set[str]:
    """The distinct words of a text's ``pieces`` (but its common ones, `_uncommon_pieces`),
    lowercase with apostrophes as ``'``, that are strong words for some language against
    ``language`` (`_is_strong`).

    Set arithmetic in C: the words the document's language uses often go in one difference,
    the few left are looked up one by one.

    >>> sorted(_strong_candidates(_uncommon_pieces("We went selon nos informations.", "en"),
    ...                           "en"))
    ['selon']
    >>> sorted(_strong_candidates(_uncommon_pieces("Sie sagte, the sanctions will remain.",
    ...                                            "de"), "de"))
    ['remain', 'sanctions']
    """
    never = common_words(language, _STRONG_OWN)  # lexicon words: each one `_LATIN_WORD`
    rest = pieces.difference(never)
    if not rest:
        return set()
    tokens = " ".join(_LATIN_WORD.findall(" ".join(rest)))
    words = set(tokens.lower().replace("’", "'").split())
    words.difference_update(never)
    if not words:
        return words
    unknown = unknown_words(words)
    strong = {word for word in unknown if not word.isascii()}
    for word in words.difference(unknown):
        if _frequent_elsewhere(word, language):
            strong.add(word)
    return strong


@lru_cache(maxsize=65536)
def _frequent_elsewhere(word: str, language: str) -> bool:
    """Whether a language of the lexicons but ``language`` uses ``word`` at Zipf 3 or more;
    judged once per distinct word, which real text repeats across documents."""
    return max((zipf for lang, zipf in word_frequencies(word).items() if lang != language),
               default=0.0) >= _STRONG_OTHER


#: The letters and marks a Latin token is made of, and its inner apostrophes: a token never
#: begins or ends inside a stretch of them, so tokenizing from one's edge is exact.
_TOKEN_STRETCH_BEFORE = regex.compile(r"[\p{Script=Latin}\p{M}'’]*", regex.REVERSE)
_TOKEN_STRETCH_AFTER = regex.compile(r"[\p{Script=Latin}\p{M}'’]*")

#: Beyond this many places to verify, tokenizing the whole text is as cheap.
_MAX_LOCAL_SPANS = 64


def _token_spans(text: str, words: AbstractSet[str]) -> list[tuple[int, int]]:
    """(start, end) of the Latin tokens of ``text`` spelled ``words`` (lowercase), in order.

    Found with `str.find` in the lowercased text, each place checked to be a whole token; a
    text where that would take long (many places, huge words) is tokenized once instead.
    """
    lowered = text.lower().replace("’", "'")
    if len(lowered) == len(text) and sum(map(lowered.count, words)) <= _MAX_LOCAL_SPANS:
        spans = []
        for word in words:
            at = lowered.find(word)
            while at >= 0:
                end = at + len(word)
                stretch = _TOKEN_STRETCH_BEFORE.match(text, 0, at).start()
                if at - stretch > 1000:
                    break  # a huge word: tokenize the text once
                if _is_token(text, stretch, at, end):
                    spans.append((at, end))
                at = lowered.find(word, at + 1)
            else:
                continue
            break
        else:
            spans.sort()
            return spans
    return [(m.start(), m.end()) for m in _LATIN_WORD.finditer(text)
            if m.group().lower().replace("’", "'") in words]


def _is_token(text: str, stretch: int, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is one Latin token, tokenizing from ``stretch``, the start
    of the letters, marks and apostrophes it stands in."""
    for match in _LATIN_WORD.finditer(text, stretch):
        if match.end() > start:
            return match.start() == start and match.end() == end
    return False


_Fact = TypeVar("_Fact")


def _segments(text: str, spans: Iterable[tuple[int, int]],
              fact: Callable[[str], _Fact | None]) -> Iterator[list[tuple[_Token, _Fact]]]:
    """The segment around each token at ``spans`` (sorted), each segment once.

    A segment is the longest stretch of tokens around one, each with a ``fact`` (None: the
    word cannot stand in one), separated only by blanks (`_GAP`). Segments never overlap, so a
    token inside the last one is in no other.
    """
    covered = -1
    for start, end in spans:
        if start < covered:
            continue
        segment = _segment_around(text, start, end, fact)
        if segment:
            covered = segment[-1][0][1]
            yield segment


def _segment_around(text: str, start: int, end: int, fact: Callable[[str], _Fact | None]
                    ) -> list[tuple[_Token, _Fact]]:
    """The segment (`_segments`) around the token at ``text[start:end]``, tokenizing only a
    window around it; empty when the token itself has no ``fact``."""
    margin = 16
    while True:
        window_start = _TOKEN_STRETCH_BEFORE.match(text, 0, max(0, start - margin)).start()
        window_end = _TOKEN_STRETCH_AFTER.match(text, min(len(text), end + margin)).end()
        tokens = [(m.start(), m.end(), m.group())
                  for m in _LATIN_WORD.finditer(text, window_start, window_end)]
        index = next(number for number, token in enumerate(tokens) if token[0] == start)
        facts = {index: fact(tokens[index][2])}
        if facts[index] is None:
            return []
        first = index
        while first > 0 and _is_gap(text, tokens[first - 1][1], tokens[first][0]):
            facts[first - 1] = fact(tokens[first - 1][2])
            if facts[first - 1] is None:
                break
            first -= 1
        else:
            if first == 0 and window_start > 0:
                margin *= 4  # the segment may go on before the window
                continue
        last = index
        while last + 1 < len(tokens) and _is_gap(text, tokens[last][1],
                                                         tokens[last + 1][0]):
            facts[last + 1] = fact(tokens[last + 1][2])
            if facts[last + 1] is None:
                break
            last += 1
        else:
            if last == len(tokens) - 1 and window_end < len(text):
                margin *= 4  # ...or after it
                continue
        return [(tokens[number], facts[number])  # type: ignore[misc]
                for number in range(first, last + 1)]


def _run_of(segment: list[tuple[_Token, _Fact]], starts: Callable[[_Fact], bool]
            ) -> list[tuple[_Token, _Fact]]:
    """The run or stretch a segment holds: from its first word that ``starts`` one (an unknown
    word only counts once one has begun)."""
    for number, (_, fact) in enumerate(segment):
        if starts(fact):
            return segment[number:]
    return []


@lru_cache(maxsize=65536)
def _member(word: str, language: str) -> tuple[dict[str, float], frozenset[str]] | None:
    """A word's leanings and bridges when it may stand in a run, else None; decided once
    per distinct word (the words around candidates recur across documents)."""
    if word.lower().replace("’", "'") in _inert_words(language):
        return None  # most words around a foreign one: a set lookup, not three
    leaning = _leanings(word, language)
    bridges = frozenset() if leaning else _bridges(word, language)
    if leaning or bridges or _is_unknown(word):
        return leaning, bridges
    return None


@lru_cache(maxsize=8)
def _inert_words(language: str) -> frozenset[str]:
    """The common words of ``language`` that are no function word of another language
    (`_bridges`): they lean nowhere either (`_leanings`), so no run holds them."""
    return frozenset(word for word in common_words(language) if not _bridges(word, language))


def _leans_or_bridges(fact: tuple[dict[str, float], frozenset[str]]) -> bool:
    return bool(fact[0] or fact[1])


@lru_cache(maxsize=65536)
def _english_member(word: str) -> bool | None:
    """True for a word English writes (Zipf 3 or more), False for an unknown word (it may
    stand inside an English stretch, not begin one), None for others."""
    if word_frequencies(word).get("en", 0.0) >= 3.0:
        return True
    return False if _is_unknown(word) else None


def _english_phrases(text: str, language: str) -> Iterator[tuple[int, int, str, float]]:
    """English phrases in a text whose language the lexicons do not know.

    A stretch of words English writes (Zipf 3 or more) holding two of its marker words
    (`the`, `which`, `would`) is a candidate; the model confirms it, strictly: it must read
    as English and not at all as the document's language (`see`, `need` are Estonian too).
    """
    markers = english_markers()
    pieces = blank_pieces(text)
    if len(markers.intersection(map(str.lower, pieces))) < 2:
        return
    present = markers.intersection(
        " ".join(_LATIN_WORD.findall(" ".join(pieces))).lower().replace("’", "'").split())
    for segment in _segments(text, _token_spans(text, present), _english_member):
        stretch = [token for token, _ in _run_of(segment, bool)]
        while stretch and _is_unknown(stretch[-1][2]):
            stretch.pop()  # an unknown word only counts between English words
        # At the edges, a word the document's language uses as much (`que`), or a short word
        # that is no marker (`et`, `ja`), belongs to the sentence.
        while stretch and (_sentence_word(stretch[0][2], language, markers)
                           or _after_number(text, stretch[0])):
            stretch.pop(0)
        while stretch and _sentence_word(stretch[-1][2], language, markers):
            stretch.pop()
        words = [token[2] for token in stretch]
        if len({word.lower() for word in words} & markers) < 2:
            continue
        start, end = stretch[0][0], stretch[-1][1]
        if not _has_own_grammar(words, "en", capital_first=_starts_sentence(text, start)):
            continue
        probabilities = dict(span_probabilities(text[start:end]))
        if probabilities.get("en", 0.0) >= 0.8 and probabilities.get(language, 0.0) < 0.05:
            yield (*_whole_bracket(text, start, end, "en"), "en",
                   round(probabilities["en"] * 0.9, 2))


def _after_number(text: str, token: _Token) -> bool:
    """Whether a token is the suffix of a number (`43rd`, `5th`), not a word."""
    return token[0] > 0 and text[token[0] - 1].isdigit()


def _sentence_word(word: str, language: str, markers: frozenset[str]) -> bool:
    """Whether a word at the edge of an English stretch is rather the sentence's own."""
    if word.lower() in markers:
        return False
    frequencies = word_frequencies(word)
    return len(word) <= 2 or frequencies.get(language, 0.0) >= frequencies.get("en", 0.0)


def _starts_sentence(text: str, start: int) -> bool:
    """Whether ``start`` begins a text, sentence, bracket or quotation."""
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;([{\"“«„'‘-–—\n"


def _is_unknown(word: str) -> bool:
    """A lowercase word no lexicon knows: it may sit inside a foreign phrase (`nieoficjalnych`)."""
    return word.islower() and len(word) >= 3 and not word_frequencies(word)


def _judge_latin_run(text: str, run: _LatinRun,
                     language: str) -> Iterator[tuple[int, int, str, float]]:
    """Pick the run's language, its longest stretch of words of that language, and confirm it."""
    totals: Counter[str] = Counter()
    for _, leaning, _ in run:
        totals.update(leaning)
    lang = max(sorted(totals), key=lambda name: totals[name])
    best: list[_Token] = []
    best_leaning = 0
    stretch: list[_Token] = []
    leaning_count = 0
    for token, leaning, bridges in run:
        if lang in leaning or lang in bridges or (not leaning and not bridges and stretch):
            stretch.append(token)
            leaning_count += lang in leaning
            if leaning_count > best_leaning:
                best, best_leaning = list(stretch), leaning_count
        else:
            stretch, leaning_count = [], 0
    while best and _is_unknown(best[-1][2]):
        best.pop()  # an unknown word only counts between words of the phrase
    while best and _after_number(text, best[0]):
        best.pop(0)  # `43rd`: the suffix of a number
    # At the edges, a function word more English than foreign (`was`, `a`) is the sentence's.
    while best and _more_own_than(best[0][2], lang, language):
        best.pop(0)
    while best and _more_own_than(best[-1][2], lang, language):
        best.pop()
    words = [token[2] for token in best]
    if best_leaning < 2 or lang == language or all(
            word[:1].isupper() or word in NAME_PARTICLES for word in words):
        return  # one word, or a name (`Shin Bet`, `São Paulo`, `Lula da Silva`)
    if words[0][:1].isupper() and not _starts_sentence(text, best[0][0]):
        return  # capitalized mid-sentence: a name or a title (`the Národní divadlo`)
    if _is_loan_phrase(words) or not any(_is_strong(word, lang, language) for word in words):
        return
    score = sum(_leanings(word, language).get(lang, 0.0) for word in words)
    start, end = _whole_bracket(text, best[0][0], best[-1][1], lang)
    phrase = text[start:end].strip("()[]{}")
    if not _has_own_grammar(_LATIN_WORD.findall(phrase), lang,
                            capital_first=_starts_sentence(text, best[0][0])):
        return
    if not _model_finds_foreign(phrase, lang, language, strong=score >= 6.0):
        return
    confidence = round(min(0.95, 0.5 + score / 20), 2)
    yield start, end, lang, confidence


#: The document's language is still likely for a span the model gives it this probability.
_OWN_PROBABLE = 0.2


def _model_finds_foreign(span: str, lang: str, language: str, strong: bool) -> bool:
    """Whether the model, on the span alone, agrees that it is not in the document's language.

    Word frequencies propose; the model confirms. The document's language must be improbable
    for the span (a German span of English-looking words stays German), and where the word
    evidence is weak (`strong` False) the model must also find the phrase's language likely.
    """
    probabilities = dict(span_probabilities(span))
    best = max(probabilities, key=probabilities.__getitem__, default=None)
    if best == language or probabilities.get(language, 0.0) >= _OWN_PROBABLE:
        return False
    return strong or probabilities.get(lang, 0.0) >= 0.5


def _more_own_than(word: str, lang: str, language: str) -> bool:
    frequencies = word_frequencies(word)
    return frequencies.get(language, 0.0) > frequencies.get(lang, 0.0)


def _whole_bracket(text: str, start: int, end: int, lang: str) -> tuple[int, int]:
    """Widen a phrase to its brackets when the rest of the bracket is words of ``lang`` too.

    `[d'après nos sources]`: `sources` is English as much as French, but inside brackets that
    hold a French phrase it is French.
    """
    line_start = text.rfind("\n", 0, start) + 1
    opener_at = max(text.rfind(opener, line_start, start) for opener in _BRACKETS)
    if opener_at < 0:
        return start, end
    closer = _BRACKETS[text[opener_at]]
    closer_at = text.find(closer, end)
    if closer_at < 0 or "\n" in text[end:closer_at]:
        return start, end
    inside = text[opener_at + 1:closer_at]
    if any(ch in inside for ch in "()[]{}.!?;:"):
        return start, end
    rest = _LATIN_WORD.findall(text[opener_at + 1:start] + " " + text[end:closer_at])
    if all(word_frequencies(word).get(lang, 0.0) >= 3.0 or _is_unknown(word) for word in rest) \
            and not regex.search(r"[^\p{L}\p{M}\s'’,-]", inside):
        return opener_at, closer_at + 1
    return start, end


def _is_loan_phrase(words: list[str]) -> bool:
    """Whether the words are, or lie inside, a phrase English uses as its own."""
    lowered = tuple(word.lower().replace("’", "'") for word in words)
    phrases = _loan_phrases()
    # The phrase, or the phrase and one word more: so only slices of these two sizes can be one.
    for size in (len(lowered), len(lowered) - 1):
        for offset in range(len(lowered) - size + 1 if size > 0 else 0):
            if lowered[offset:offset + size] in phrases:
                return True
    return False


# --- the finding and its fix ------------------------------------------------------------------


def _fragment_finding(code: str, text: str, start: int, end: int, script: str, policy: str,
                      lang: tuple[str | None, float] | None = None) -> Finding:
    from cleanup.gloss import gloss_of
    from cleanup.translit import romanize

    opener = text[start:start + 1]
    inner_start, inner_end = (start + 1, end - 1) if opener in _BRACKETS else (start, end)
    inner = text[inner_start:inner_end]
    language, confidence = lang if lang is not None else fragment_language(inner, script)
    if script == "Latin":
        translit, standard = inner, "none: already in Latin letters"
    else:
        translit, standard = romanize(inner, language)
    gloss = gloss_of(inner.rstrip("."), language)
    name = language_name(language)
    if gloss:
        facts = f"gloss: {gloss}"
    elif script != "Latin":
        facts = f"transliteration: {translit}"
    else:
        facts = f"language: {language}"
    message = f"untranslated {name} fragment {quote(text[start:end])} ({facts})"
    replacement: str | None = None
    fragment = text[start:end]
    if policy == "drop":
        # The blank before the fragment goes with it, so the finding covers it too.
        start, end = _with_space_before(text, start, end)
        replacement = ""
        message += "; drop it"
    elif policy == "transliterate":
        if script != "Latin":
            replacement = text[start:inner_start] + translit + text[inner_end:end]
            message += f"; transliterate it by {standard}"
        else:
            message += "; kept: it is already in Latin letters"
    elif policy == "gloss":
        if gloss:
            replacement = text[start:inner_start] + gloss + text[inner_end:end]
            message += f"; replace it with its English name {quote(gloss)}"
        else:
            message += "; kept: no certain English name for it"
    else:
        message += "; translate or remove it"
    return make_finding(
        code, text, start, end, message, replacement=replacement,
        confidence=0.9 if code == "CU201" else confidence,
        fragment=fragment if fragment != text[start:end] else None,
        lang=language, lang_confidence=confidence, script=script, translit=translit,
        translit_standard=standard, gloss=gloss, policy=policy,
    )


def _with_space_before(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fragment to the blanks before it (or, at a line's start, after it)."""
    widened = start
    while widened > 0 and text[widened - 1] in " \t":
        widened -= 1
    if widened < start and widened > 0 and text[widened - 1] != "\n":
        return widened, end
    stop = end
    while stop < len(text) and text[stop] in " \t":
        stop += 1
    return start, stop
