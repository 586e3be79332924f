"""Scripts and languages: which script a run of text is in, and which language a text is.

Language identification is costly (langdetect: about 0.27 MB/s and a quarter second for its
first call), so the cheap evidence decides first: the script (Greek is `el`, Hangul is `ko`),
letters only one language has (`ї` is Ukrainian, `ў` Belarusian, `ђ` Serbian), then word
frequencies from the lexicons in ``cleanup/data`` (generated from wordfreq by
``scripts/build_lexicons.py``). A model runs only where these leave the answer open, and only on
short samples or candidate spans. langdetect is seeded: same input, same answer.

>>> fragment_language("Верховної Ради", "Cyrillic")[0]
'uk'
>>> fragment_language("България", "Cyrillic")[0]
'bg'
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from functools import lru_cache
from importlib import resources

import regex

from cleanup.chars import NON_LATIN_LETTER, script_of

#: Scripts a fragment can be in, with the language a script alone implies (None: look closer).
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
    "Devanagari": "hi",
}

#: The scripts a language is written in, for languages not written in Latin letters alone.
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **{lang: frozenset({"Cyrillic"}) for lang in ("ru", "uk", "bg", "sr", "mk", "be", "kk")},
    **{lang: frozenset({"Arabic"}) for lang in ("ar", "fa", "ur")},
    "el": frozenset({"Greek"}),
    "he": frozenset({"Hebrew"}),
    "yi": frozenset({"Hebrew"}),
    "zh": frozenset({"Han"}),
    "ja": frozenset({"Han", "Hiragana", "Katakana"}),
    "ko": frozenset({"Hangul", "Han"}),
    "ka": frozenset({"Georgian"}),
    "hy": frozenset({"Armenian"}),
    "th": frozenset({"Thai"}),
    "hi": frozenset({"Devanagari"}),
}

#: Language names for messages ("untranslated Russian fragment").
LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "cs": "Czech", "sk": "Slovak",
    "ro": "Romanian", "hu": "Hungarian", "sv": "Swedish", "da": "Danish", "nb": "Norwegian",
    "fi": "Finnish", "tr": "Turkish", "ca": "Catalan", "sh": "Serbo-Croatian",
    "ru": "Russian", "uk": "Ukrainian", "bg": "Bulgarian", "sr": "Serbian", "mk": "Macedonian",
    "be": "Belarusian", "kk": "Kazakh", "ar": "Arabic", "fa": "Persian", "ur": "Urdu",
    "el": "Greek", "he": "Hebrew", "yi": "Yiddish", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "ka": "Georgian", "hy": "Armenian", "th": "Thai", "hi": "Hindi",
}

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
    "da": "æøå", "nb": "æøå", "fi": "äö", "tr": "çğıöşü", "ca": "àçèéíïòóúü",
    "sh": "čćđšž",
}

_WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)*")

#: Any letters with inner apostrophes, in the faster stdlib `re`, for sampling a document.
_FAST_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

#: Words that English text is full of and other languages lack (`the`) or lack together.
_ENGLISH_FUNCTION_WORDS = frozenset({"the", "and", "of", "to", "is", "was", "that", "with",
                                     "which", "from", "for", "by", "he", "she", "it", "they"})


def script_counts(text: str) -> Counter[str]:
    """Letters per script in ``text`` (only the scripts cleanup knows), in order of appearance.

    Characters are counted in C first, so the script property is looked up once per distinct
    character, not once per word: a few times faster on long texts, and the same counts.

    >>> script_counts("Привет, world")
    Counter({'Cyrillic': 6, 'Latin': 5})
    """
    counts: Counter[str] = Counter()
    for char, number in Counter(text).items():
        script = script_of(char)
        if script is not None:
            counts[script] += number
    return counts


def dominant_script(text: str) -> str:
    """The script most letters of ``text`` are in; ``Latin`` for text without letters.

    >>> dominant_script("Привет, world, как дела?")
    'Cyrillic'
    """
    if not NON_LATIN_LETTER.search(text):
        return "Latin"
    counts = script_counts(text)
    if not counts:
        return "Latin"
    return max(sorted(counts), key=lambda name: counts[name])


def scripts_of_language(language: str) -> frozenset[str]:
    """The scripts ``language`` is written in: Latin unless the table says otherwise.

    >>> sorted(scripts_of_language("ja"))
    ['Han', 'Hiragana', 'Katakana']
    """
    return LANGUAGE_SCRIPTS.get(language, frozenset({"Latin"}))


def language_name(language: str | None) -> str:
    """A language's English name for messages, or the code itself when unknown."""
    if language is None:
        return "foreign"
    return LANGUAGE_NAMES.get(language, language)


# --- lexicons ---------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _lexicon(script: str) -> dict[str, str]:
    """word -> its raw ``lang:zipf10 ...`` entry, for ``latin`` or ``cyrillic`` words."""
    data = resources.files("cleanup") / "data" / f"lexicon-{script}.tsv.gz"
    table: dict[str, str] = {}
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            word, _, entry = line.rstrip("\n").partition("\t")
            table[word] = entry
    return table


def word_frequencies(word: str) -> dict[str, float]:
    """The word's Zipf frequency per language of the lexicons (absent languages: 0).

    Zipf is log10 of uses per billion words: 7 for `the`, 3 for rare but known words.

    >>> word_frequencies("selon")["fr"] > 5
    True
    """
    lowered = word.lower().replace("’", "'")
    script = "cyrillic" if "\u0400" <= lowered[:1] <= "\u052f" else "latin"
    return _parse_entry(_lexicon(script).get(lowered, ""))


@lru_cache(maxsize=4)
def trigger_words(language: str) -> frozenset[str] | None:
    """Words that may begin a foreign phrase in a text in ``language``, if a list ships for it.

    Generated with the lexicons; loading it costs a tenth of loading the lexicon.

    >>> "selon" in trigger_words("en"), "the" in trigger_words("en")
    (True, False)
    """
    return _word_list(f"triggers-{language}.txt.gz")


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
    tag = f"{language}:"
    words = set()
    for word, entry in _lexicon(script).items():
        position = entry.find(tag)
        if position >= 0:
            value = entry[position + len(tag):].split(" ", 1)[0]
            if int(value) >= min_zipf * 10:
                words.add(word)
    return frozenset(words)


#: Latin-script languages of the lexicon (and so of CU202).
LATIN_LEXICON_LANGUAGES = frozenset({
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "ro", "hu", "sv", "da", "nb",
    "fi", "tr", "ca", "sh",
})


@lru_cache(maxsize=65536)
def _parse_entry(entry: str) -> dict[str, float]:
    frequencies: dict[str, float] = {}
    for item in entry.split():
        lang, _, value = item.partition(":")
        frequencies[lang] = int(value) / 10
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
    detected, probability = detect_language(fragment, among=("ru", "uk", "bg", "mk"))
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
    """The Latin-script language of ``fragment`` from its words, else langdetect.

    >>> latin_language("laut unbestätigten Angaben")[0]
    'de'
    """
    words = _WORD.findall(fragment)
    scores = latin_language_scores(words)
    if "en" in scores:  # English is by far the most written: it wins near-ties
        scores["en"] += 0.5 * len(words)
    for word in words:  # letters of one alphabet only
        for language, letters in LATIN_ALPHABETS.items():
            if any(letter in letters for letter in word.lower() if not letter.isascii()):
                scores[language] = scores.get(language, 0.0) + 2.0
    if scores:
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        best, top = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if top - second >= 2.0 or len(ranked) == 1 or best == "en":
            return best, round(min(0.95, 0.6 + (top - second) / 20), 2)
        detected, probability = detect_language(fragment, among=tuple(n for n, _ in ranked[:3]))
        if detected is not None:
            return detected, round(min(probability, 0.8), 2)
    detected, probability = detect_language(fragment)
    if detected is None and scores:
        return max(sorted(scores), key=lambda name: scores[name]), 0.5
    return detected, round(probability, 2)


def fragment_language(fragment: str, script: str) -> tuple[str | None, float]:
    """The language of a fragment in ``script`` and a confidence from 0 to 1."""
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
    return detect_language(fragment)


# --- language identification by model ----------------------------------------------------------


@lru_cache(maxsize=1)
def _langdetect_factory() -> object:
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory  # type: ignore[attr-defined]


def detect_language(text: str, among: tuple[str, ...] | None = None) -> tuple[str | None, float]:
    """langdetect's best language for ``text`` and its probability, seeded; (None, 0) if none.

    ``among`` restricts the answer to some languages (the best of them is returned).

    >>> detect_language("Правительство объявило о новых мерах поддержки")[0]
    'ru'
    """
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory()
    try:
        detector = factory.create()  # type: ignore[attr-defined]
        detector.append(text)
        probabilities = detector.get_probabilities()
    except LangDetectException:
        return None, 0.0
    for candidate in probabilities:
        code = str(candidate.lang).split("-")[0]
        if among is None or code in among:
            return code, float(candidate.prob)
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


def document_language(text: str, script: str) -> str | None:
    """Guess the language of a whole text: from its script when that decides, else its words.

    Only a sample of the text is looked at: the language of a document does not need every
    sentence. A model runs only when the words leave it open.

    >>> document_language("Правительство объявило о мерах", "Cyrillic")
    'ru'
    """
    implied = SCRIPT_LANGUAGES.get(script)
    if implied:
        return implied
    sample = text[:3000]
    if script == "Cyrillic":
        letters = "".join(regex.findall(r"\p{Script=Cyrillic}+", sample))
        return cyrillic_language(letters[:2000])[0] if letters else "ru"
    if script == "Arabic":
        return arabic_script_language(sample)[0]
    if script != "Latin":
        return detect_language(sample)[0]
    if sample.isascii() and len(text) < 200:
        return "en"
    needed = 2 if len(text) < 300 else 3
    # Blank-separated pieces equal to a function word are words too: when they decide, the
    # text is not tokenized at all.
    pieces = blank_pieces(text) if len(text) <= len(sample) else frozenset(sample.split())
    english = _ENGLISH_FUNCTION_WORDS.intersection(pieces)
    if "the" not in english or len(english) < needed:
        english = _ENGLISH_FUNCTION_WORDS.intersection(_FAST_WORD.findall(sample.lower()))
    if "the" in english and len(english) >= needed:
        return "en"  # English function words decide without the lexicon
    # Each word votes for the language that uses it most; English wins ties, being by far
    # the most written. A short fragment cannot outvote the sentence around it.
    votes: Counter[str] = Counter()
    for word in _FAST_WORD.findall(sample.lower())[:300]:
        frequencies = word_frequencies(word)
        if frequencies:
            top = max(frequencies.values())
            votes["en" if frequencies.get("en", 0.0) >= top - 0.3 else
                  max(sorted(frequencies), key=lambda name: frequencies[name])] += 1
    if not votes:
        return "en" if sample.isascii() else detect_language(sample)[0]
    ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0] != "en"))
    if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1] or ranked[0][0] == "en":
        return ranked[0][0]
    return detect_language(sample)[0]
