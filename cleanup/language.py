"""Scripts and languages: which script a run of text is in, and which language a text is.

Language identification is costly (langdetect: about 0.27 MB/s and a quarter second for its
first call), so scripts decide first and a model runs only where they leave the answer open,
and only on short samples or candidate spans. langdetect is seeded: same input, same answer.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import regex

#: Scripts a fragment can be in, with the language a script alone implies (None: ask a model).
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

_LETTER_RUN = regex.compile(
    "|".join(rf"(?P<{name}>\p{{Script={name}}}+)" for name in SCRIPT_LANGUAGES)
)


def script_counts(text: str) -> Counter[str]:
    """Letters per script in ``text`` (only the scripts cleanup knows)."""
    counts: Counter[str] = Counter()
    for match in _LETTER_RUN.finditer(text):
        counts[match.lastgroup or ""] += match.end() - match.start()
    return counts


def dominant_script(text: str) -> str:
    """The script most letters of ``text`` are in; ``Latin`` for text without letters.

    >>> dominant_script("Привет, world, как дела?")
    'Cyrillic'
    """
    counts = script_counts(text)
    if not counts:
        return "Latin"
    return max(sorted(counts), key=lambda name: counts[name])


def script_of(char: str) -> str | None:
    """The script of one character, among those cleanup knows; None for others."""
    match = _LETTER_RUN.match(char)
    return match.lastgroup if match else None


@lru_cache(maxsize=1)
def _langdetect_factory() -> object:
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory  # type: ignore[attr-defined]


def detect_language(text: str) -> tuple[str | None, float]:
    """langdetect's best language for ``text`` and its probability, seeded; (None, 0) if none.

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
    if not probabilities:
        return None, 0.0
    best = probabilities[0]
    return str(best.lang).split("-")[0], float(best.prob)


def document_language(text: str, script: str) -> str | None:
    """Guess the language of a whole text: from its script when that decides, else a model.

    Only a sample of the text goes to the model: the language of a document does not need
    every sentence.
    """
    implied = SCRIPT_LANGUAGES.get(script)
    if implied:
        return implied
    if script == "Latin" and text.isascii():
        return "en"
    language, _ = detect_language(text[:2000])
    return language
