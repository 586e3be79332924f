"""The committed MLQE-PE sample as documents, and damage injected into a seeded share of them.

Why: speed measured on clean real text could come from skipping damage. The benchmarks time
cleanup on real documents of every language with 5% of them carrying one real kind of damage
each, and count how much of that damage `cleanup.check` still reports (recall). Every damage is
a real corruption of the document's own text: its words mojibaked through the code pages that
really garble them, a fragment of a real Russian sentence left in brackets, a letter swapped
for its look-alike, an invisible character inside a word, a quotation that lost its opening
quote, a space before punctuation, a letter lost to U+FFFD. Which documents, which damage and
where are decided by ``random.Random`` seeded with the seed, the document's id and the damage,
so a seed names one damaged sample forever.

>>> documents = load_documents()
>>> sorted({document.lang for document in documents})
['de', 'en', 'et', 'ne', 'ro', 'ru', 'si', 'zh']
>>> texts, damages = damage_documents(documents[:200], seed=0)
>>> sum(damage is not None for damage in damages)
10
>>> damage = next(damage for damage in damages if damage is not None)
>>> texts.index(damage.text) >= 0 and damage.kind in DAMAGE_KINDS.values()
True
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-* codecs)

if TYPE_CHECKING:
    from cleanup import Finding

SAMPLE = Path(__file__).resolve().parent / "data" / "mlqe-pe-sample.jsonl.gz"
DAMAGED_SHARE = 0.05


@dataclass(frozen=True)
class Document:
    """One document of the sample: 8 consecutive sentences of one MLQE-PE pair, split, role."""

    id: str
    lang: str
    role: str
    text: str


@dataclass(frozen=True)
class Damage:
    """Damage injected into a document: its label, the finding kind that must report it, and
    the span of the damaged text a finding of that kind must overlap."""

    label: str
    kind: str
    start: int
    end: int
    text: str  # the damaged document

    def found_by(self, findings: Iterable[Finding]) -> bool:
        """Whether a finding of the damage's kind overlaps its span."""
        return any(f.kind == self.kind and f.start < self.end and self.start < f.end
                   for f in findings)


def load_documents(path: Path = SAMPLE) -> list[Document]:
    """Every document of the committed sample, in its order (grouped by language)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [Document(r["id"], r["lang"], r["role"], r["text"]) for r in map(json.loads, lines)]


def by_language(documents: Iterable[Document]) -> dict[str, list[Document]]:
    grouped: dict[str, list[Document]] = {}
    for document in documents:
        grouped.setdefault(document.lang, []).append(document)
    return grouped


# --- Damage: each injector returns (damaged text, start, end) or None where it does not apply --

Injector = Callable[[random.Random, Document], "tuple[str, int, int] | None"]
#: label -> the kind of finding that must report it.
DAMAGE_KINDS: dict[str, str] = {}
INJECTORS: dict[str, Injector] = {}

_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[^\W\d_]{4,}")
_CYRILLIC_WORD = re.compile(r"[а-яё]{3,}", re.IGNORECASE)
#: Look-alikes, Latin letter -> Cyrillic letter (and the reverse for Cyrillic documents).
_LATIN_TO_CYRILLIC = dict(zip("aceopxy", "асеорху", strict=True))
_CYRILLIC_TO_LATIN = {cyrillic: latin for latin, cyrillic in _LATIN_TO_CYRILLIC.items()}
#: Invisible characters pasted into words: zero-width space, word joiner, BOM, bidi controls.
_INVISIBLE = ("\u200b", "\u2060", "\ufeff", "\u202e", "\u202a", "\u2066")
#: The closing quote of each language's own quotation marks.
_CLOSING_QUOTE = {"de": "“", "et": "“", "ro": "”", "ru": "»"}
_QUOTE_PAIRS = (("“", "”"), ("„", "“"), ("„", "”"), ("«", "»"), ('"', '"'))
#: A letter or digit before punctuation, where a stray space can go.
_BEFORE_PUNCTUATION = re.compile(r"(?<=[^\W_])[,.;:!?](?=\s)")
_BEFORE_CLAUSE_END = re.compile(r"(?<=[^\W_])[,.;:!?，。；：！？।](?=\s|$|[^\W\d_])")


def _injector(label: str, kind: str) -> Callable[[Injector], Injector]:
    def register(function: Injector) -> Injector:
        INJECTORS[label] = function
        DAMAGE_KINDS[label] = kind
        return function
    return register


def _inside_word(rng: random.Random, text: str, insert: str) -> tuple[str, int, int] | None:
    words = [m for m in _WORD.finditer(text)]
    if not words:
        return None
    word = rng.choice(words)
    cut = rng.randrange(word.start() + 1, word.end())
    return text[:cut] + insert + text[cut:], cut, cut + len(insert)


def _mojibake(rng: random.Random, text: str, wanted: Callable[[str], bool],
              garble: Callable[[str], str]) -> tuple[str, int, int] | None:
    """Garble 1 to 3 consecutive tokens, the first one holding a character ``wanted`` picks."""
    tokens = list(_TOKEN.finditer(text))
    starts = [i for i, token in enumerate(tokens) if any(wanted(char) for char in token.group())]
    if not starts:
        return None
    first = rng.choice(starts)
    last = min(len(tokens), first + rng.randint(1, 3)) - 1
    start, end = tokens[first].start(), tokens[last].end()
    try:
        garbled = garble(text[start:end])
    except UnicodeError:
        return None
    return text[:start] + garbled + text[end:], start, start + len(garbled)


@_injector("mojibake utf8->cp1252", "mojibake")
def _utf8_as_cp1252(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    if document.lang == "ru":
        return None
    return _mojibake(rng, document.text, lambda char: not char.isascii(),
                     lambda span: span.encode("utf-8").decode("sloppy-windows-1252"))


@_injector("mojibake utf8->cp1251", "mojibake")
def _utf8_as_cp1251(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    if document.lang not in ("ru", "en", "de", "et", "ro"):
        return None
    return _mojibake(rng, document.text, lambda char: not char.isascii(),
                     lambda span: span.encode("utf-8").decode("sloppy-windows-1251"))


@_injector("mojibake cp1251->koi8-r", "mojibake")
def _cp1251_as_koi8(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    if document.lang != "ru":
        return None
    return _mojibake(rng, document.text, lambda char: "а" <= char.lower() <= "я",
                     lambda span: span.encode("cp1251").decode("koi8-r"))


_RUSSIAN_WORDS: list[str] = []


def _russian_words() -> list[str]:
    """Words of the sample's own Russian documents, in order: fragments come from real text."""
    if not _RUSSIAN_WORDS:
        for document in load_documents():
            if document.lang == "ru":
                _RUSSIAN_WORDS.extend(m.group() for m in _CYRILLIC_WORD.finditer(document.text))
    return _RUSSIAN_WORDS


@_injector("untranslated [Cyrillic] fragment", "foreign_fragment")
def _foreign_fragment(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    if document.lang == "ru":
        return None
    words = _russian_words()
    first = rng.randrange(len(words) - 3)
    opening, closing = rng.choice(("[]", "()"))
    fragment = opening + " ".join(words[first:first + rng.randint(1, 3)]) + closing
    tokens = list(_TOKEN.finditer(document.text))
    at = rng.choice(tokens[1:] or tokens).start()
    text = document.text
    return text[:at] + fragment + " " + text[at:], at, at + len(fragment)


@_injector("homoglyph", "mixed_script")
def _homoglyph(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    swap = _CYRILLIC_TO_LATIN if document.lang == "ru" else _LATIN_TO_CYRILLIC
    text = document.text
    places = [m.start() + i for m in _WORD.finditer(text)
              for i, char in enumerate(m.group()) if 0 < i and char in swap]
    if not places:
        return None
    at = rng.choice(places)
    return text[:at] + swap[text[at]] + text[at + 1:], at, at + 1


@_injector("zero-width/bidi character", "invisible")
def _invisible(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    return _inside_word(rng, document.text, rng.choice(_INVISIBLE))


@_injector("soft hyphen", "invisible")
def _soft_hyphen(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    return _inside_word(rng, document.text, "\u00ad")


@_injector("replacement character", "lost_character")
def _replacement(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    text = document.text
    words = [m for m in _WORD.finditer(text)]
    if not words:
        return None
    word = rng.choice(words)
    at = rng.randrange(word.start() + 1, word.end())
    return text[:at] + "\ufffd" + text[at + 1:], at, at + 1


@_injector("lost opening quote", "punctuation")
def _lost_opening_quote(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    """Drop the opening quote of a quotation; in a document without one, end a clause with a
    closing quote whose opening was lost (`...was done” and left`)."""
    text = document.text
    pairs = []
    for opening, closing in _QUOTE_PAIRS:
        for match in re.finditer(re.escape(opening) + r"[^\W\d_][^" + re.escape(closing)
                                 + r"\n]{0,200}" + re.escape(closing), text):
            pairs.append((match.start(), match.end() - 1))
    if pairs:
        start, close = rng.choice(sorted(pairs))
        return text[:start] + text[start + 1:], close - 1, close
    ends = list(_BEFORE_CLAUSE_END.finditer(text))
    if not ends:
        return None
    at = rng.choice(ends).start()
    closing = _CLOSING_QUOTE.get(document.lang, "”")
    return text[:at] + closing + text[at:], at, at + 1


@_injector("space before punctuation", "punctuation")
def _space_before(rng: random.Random, document: Document) -> tuple[str, int, int] | None:
    places = list(_BEFORE_PUNCTUATION.finditer(document.text))
    if not places:
        return None
    at = rng.choice(places).start()
    return document.text[:at] + " " + document.text[at:], at, at + 1


LABELS = tuple(INJECTORS)


def inject(document: Document, label: str, seed: int = 0) -> Damage | None:
    """``document`` with damage ``label`` injected, or None where that damage cannot occur."""
    rng = random.Random(f"{seed}/{document.id}/{label}")
    injected = INJECTORS[label](rng, document)
    if injected is None:
        return None
    text, start, end = injected
    return Damage(label, DAMAGE_KINDS[label], start, end, text)


def damage_documents(documents: Sequence[Document], share: float = DAMAGED_SHARE,
                     seed: int = 0) -> tuple[list[str], list[Damage | None]]:
    """The documents' texts with ``share`` of them damaged, and each one's damage (or None).

    The damaged documents are a seeded draw; each gets, of the labels that can occur in it,
    the one used least so far, so every label is about equally common.
    """
    rng = random.Random(f"{seed}/draw/{len(documents)}")
    count = round(len(documents) * share)
    chosen = sorted(rng.sample(range(len(documents)), count))
    texts = [document.text for document in documents]
    damages: list[Damage | None] = [None] * len(documents)
    used = dict.fromkeys(LABELS, 0)
    for turn, index in enumerate(chosen):
        order = sorted(LABELS, key=lambda label: (used[label],
                                                  (LABELS.index(label) - turn) % len(LABELS)))
        for label in order:
            damage = inject(documents[index], label, seed)
            if damage is not None:
                texts[index], damages[index] = damage.text, damage
                used[label] += 1
                break
    return texts, damages
