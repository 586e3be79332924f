"""English names for foreign fragments that name a country, city, region or organization.

Machine translation often leaves a name untranslated in an inflected form (`[Израиля]`, the
genitive of `Израиль`). The `gloss` policy puts the English name in its place. Names come from
CLDR (through `babel`): territory names and the exemplar cities of time zones, in the fragment's
language and in English. Well-known organizations, which CLDR does not name, are a small table
in ``cleanup/data/gloss-organizations.tsv``. Russian and Ukrainian words are lemmatized with
`pymorphy3` on both sides, so any case form matches the nominative name.

A gloss is given only when it is certain: exactly one English name matches. babel and pymorphy3
are the optional extra ``cleanup-text[gloss]``; without them `gloss_of` returns None, and the `gloss`
policy says so in one line (`GlossUnavailable`).

>>> gloss_of("Израиля", "ru")
'Israel'
>>> gloss_of("Москвы", "ru")
'Moscow'
>>> gloss_of("так называемый", "ru") is None
True
"""

from __future__ import annotations

import importlib.util
import itertools
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import regex

from cleanup.errors import ConfigError

_WORD = regex.compile(r"[\p{L}\p{M}'’-]+")

#: Languages pymorphy3 can lemmatize (with pymorphy3-dicts-ru / -uk installed).
_MORPHOLOGY = ("ru", "uk")


class GlossUnavailable(ConfigError):
    """The `gloss` policy was asked for without the packages it needs."""


def gloss_available() -> bool:
    """Whether babel (and pymorphy3 for Russian and Ukrainian) can be imported."""
    for name in ("babel", "pymorphy3"):
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except (ImportError, ValueError):  # ValueError: blocked in sys.modules
            return False
    return True


def require_gloss() -> None:
    """Raise `GlossUnavailable` with a one-line hint when the gloss extra is missing."""
    if not gloss_available():
        raise GlossUnavailable(
            "foreign-policy 'gloss' needs babel and pymorphy3: pip install 'cleanup-text[gloss]'"
        )


def _analyzer(language: str) -> Any:
    """pymorphy3's analyzer for ``language``, or None where it has none."""
    return _load_analyzer(language) if language in _MORPHOLOGY else None


@cache
def _load_analyzer(language: str) -> Any:
    """Loaded once a process: it takes 40 ms, and a bounded cache shared with the languages
    that have none would drop it (and load it again) in a text of many fragment languages."""
    try:
        import pymorphy3

        return pymorphy3.MorphAnalyzer(lang=language)
    except (ImportError, ValueError, OSError):
        return None


@lru_cache(maxsize=65536)
def _lemma_options(word: str, language: str) -> tuple[str, ...]:
    """The lowercased word and its possible dictionary forms, most likely first. Cached: a
    morphological parse costs about a millisecond, and fragments repeat their words."""
    lowered = word.lower()
    analyzer = _analyzer(language)
    if analyzer is None:
        return (lowered,)
    options = [parse.normal_form for parse in analyzer.parse(lowered)[:3]]
    return tuple(dict.fromkeys([*options, lowered]))


def _name_key(name: str, language: str) -> tuple[str, ...]:
    """How a name is indexed: each word in its most likely dictionary form."""
    return tuple(_lemma_options(word, language)[0] for word in _WORD.findall(name))


def _prefix(word: str) -> str:
    """What a word's case forms share: its consonants, but the last (inflection changes the
    end of a word, a stem's vowels drop or alternate, `Орёл` `Орла`, Ukrainian `Київ`
    `Києва`, and its last consonant may too, `Прага` `Празі`), at most three of them.

    >>> _prefix("києва") == _prefix("київ"), _prefix("празі") == _prefix("прага")
    (True, True)
    """
    consonants = word.lower().translate(_NO_VOWELS)
    return consonants[:max(1, min(3, len(consonants) - 1))]


#: Vowels, soft and hard signs and apostrophes of the Cyrillic alphabets, and Latin vowels.
_NO_VOWELS = str.maketrans("", "", "аеёиіїоуыэюяєйьъ'’-aeiouy")


@cache
def _name_prefixes(language: str) -> frozenset[str]:
    """Every start of every word of every name in ``language`` that `_prefix` can give: a
    fragment with a word whose `_prefix` is none of these names nothing, which is known
    without lemmatizing."""
    prefixes: set[str] = set()
    for name, _ in _name_pairs(language):
        for word in _WORD.findall(name.lower()):
            consonants = word.translate(_NO_VOWELS)
            prefixes.update(consonants[:size] for size in (1, 2, 3))
    return frozenset(prefixes)


@cache
def _names(language: str) -> dict[tuple[str, ...], frozenset[str]]:
    """Index of names in ``language`` (territories, cities, organizations) -> English names.

    Built once a language and process (for Russian, 60 ms of lemmatizing): a bounded cache
    would build it again and again in a corpus of many fragment languages."""
    index: dict[tuple[str, ...], set[str]] = {}
    for name, english in _name_pairs(language):
        raw = tuple(_WORD.findall(name.lower()))
        # A one-word name is in its dictionary form already; only longer ones need lemmas
        # (`Верховна Рада` is found as `верховний рад`), which keeps building the index fast.
        for key in {raw, _name_key(name, language) if len(raw) > 1 else raw}:
            if key:
                index.setdefault(key, set()).add(english)
    return {key: frozenset(values) for key, values in index.items()}


@cache
def _name_pairs(language: str) -> tuple[tuple[str, str], ...]:
    """Each name in ``language`` with its English name: CLDR's territories and exemplar
    cities (through babel), then the table of organizations."""
    pairs: list[tuple[str, str]] = []

    def add(name: str | None, english: str | None) -> None:
        if name and english:
            pairs.append((name, english))

    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:
        Locale = None  # type: ignore[assignment,misc]
    if Locale is not None:
        local: Any = None
        try:
            local, english = Locale.parse(language), Locale.parse("en")
        except (UnknownLocaleError, ValueError):
            local = None
        if local is not None:
            english_territories = english.territories
            for code, name in local.territories.items():
                if code.isalpha():  # regions like "001" (World) are not places in text
                    add(name, english_territories.get(code))
            english_zones = english.time_zones
            for zone, names in local.time_zones.items():
                city = names.get("city")
                english_city = english_zones.get(zone, {}).get("city") or \
                    zone.rsplit("/", 1)[-1].replace("_", " ")
                add(city, english_city)
    table = resources.files("cleanup") / "data" / "gloss-organizations.tsv"
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, name, english_name = line.split("\t")
            if lang == language:
                add(name, english_name)
    return tuple(pairs)


@lru_cache(maxsize=16384)
def gloss_of(fragment: str, language: str | None) -> str | None:
    """The English name ``fragment`` stands for, when exactly one name matches; else None."""
    if not language or not gloss_available():
        return None
    words = _WORD.findall(fragment)
    if not words or len(words) > 4:
        return None
    prefixes = _name_prefixes(language)
    if not all(_prefix(word) in prefixes for word in words):
        return None  # no name's words begin so: the morphology need not even be loaded
    names = _names(language)
    found: set[str] = set()
    for combination in itertools.product(*(_lemma_options(w, language) for w in words)):
        found |= names.get(tuple(combination), frozenset())
        if found:
            break  # the most likely reading that names something wins
    return next(iter(found)) if len(found) == 1 else None
