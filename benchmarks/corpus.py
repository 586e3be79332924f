"""A seeded, realistic benchmark corpus: English news-like documents, a few of them damaged.

Benchmarks need text that looks like what cleanup meets in practice, built without network and
identical on every machine: mostly clean English news (curly quotes, dashes, accented place
names, numbers, brackets: real news is not plain ASCII), with a small share of documents carrying
the damage cleanup looks for (mojibake, untranslated fragments, name variants, punctuation,
invisible characters, homoglyphs, lost characters). Everything comes from the word lists and
templates below and one `random.Random(seed)`, so a seed names one corpus forever.

>>> docs = build_corpus(seed=1, documents=40)
>>> len(docs), docs == build_corpus(seed=1, documents=40)
(40, True)
>>> sum(label is not None for label in damage_labels(seed=1, documents=40))
2
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

PEOPLE = [
    "Joe Biden", "Benjamin Netanyahu", "Antony Blinken", "Jon Finer", "Ismail Haniyeh",
    "Volodymyr Zelenskyy", "Emmanuel Macron", "Olaf Scholz", "Ursula von der Leyen",
    "António Guterres", "Recep Tayyip Erdoğan", "Sergei Lavrov", "Dmitry Peskov",
    "Mohammed bin Salman", "Keir Starmer", "Giorgia Meloni", "Luiz Inácio Lula da Silva",
]
ROLES = [
    "the foreign minister", "a senior official", "the prime minister", "the spokesman",
    "the defence ministry", "the central bank", "the opposition leader", "the UN envoy",
    "a government adviser", "the health ministry", "the mayor", "an EU diplomat",
]
PLACES = [
    "Washington", "Gaza", "Tel Aviv", "Cairo", "Doha", "Kyiv", "Brussels", "Kraków",
    "São Paulo", "Zürich", "Ankara", "Riyadh", "Amman", "Beirut", "Paris", "Berlin",
    "the West Bank", "the Gaza Strip", "Rafah", "Jerusalem",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
TOPICS = [
    "the ceasefire talks", "the release of hostages", "humanitarian aid", "the budget",
    "energy prices", "the grain deal", "military assistance", "the election",
    "interest rates", "the border crossing", "sanctions", "the peace plan",
    "reconstruction", "the trade agreement", "the refugee crisis",
]
VERBS = [
    "said", "told reporters", "confirmed", "denied", "warned", "insisted", "acknowledged",
    "announced", "noted", "argued",
]
QUOTES = [
    "we are ready to talk", "this is not the time for half measures",
    "the situation remains extremely difficult", "nobody wants an escalation",
    "a deal is still possible", "we will not accept any preconditions",
    "the numbers speak for themselves", "there is no military solution",
]
CLAIMS = [
    "{topic} would be discussed in {place} later this week",
    "the government had not been informed of the plan in advance",
    "{topic} remained the main obstacle to an agreement",
    "talks on {topic} had made progress",
    "officials in {place} were studying the response carefully",
    "the delegation would return to {place} on {day}",
    "{topic} had cost about {money} so far",
]

TEMPLATES: list[str] = [
    "{person} {verb} on {day} that {claim}.",
    "“{Quote},” {role} {verb}, adding that {claim}.",
    "{Role} {verb} that {claim} — a view shared by {person}.",
    "According to media reports, {claim}.",
    "In {place}, {role} {verb} that {claim}.",
    "The meeting in {place} on {month} {date} ended without a joint statement.",
    "{person}’s office {verb} that {claim}.",
    "Prices rose by {percent}% (compared with {month}) while {topic} stalled.",
    "{Role} called it “{quote}” and said {claim}.",
    "Between {year} and {year2}, the share fell to {percent} per cent.",
    "{person} met {person2} in {place}; both {verb} that {claim}.",
    "The report, published on {day}, said {claim}.",
]

#: Damage injected into the damaged share: name -> function(rng, text) -> damaged text.
DAMAGES: dict[str, Callable[[random.Random, str], str]] = {}


def _damage(name: str) -> Callable[[Callable[[random.Random, str], str]],
                                   Callable[[random.Random, str], str]]:
    def register(function: Callable[[random.Random, str], str]) -> Callable[[random.Random, str],
                                                                            str]:
        DAMAGES[name] = function
        return function
    return register


def _word_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for index, char in enumerate(text):
        if char.isalpha() and start is None:
            start = index
        elif not char.isalpha() and start is not None:
            spans.append((start, index))
            start = None
    return [(a, b) for a, b in spans if b - a >= 4]


def _in_word(rng: random.Random, text: str, insert: str) -> str:
    start, end = rng.choice(_word_spans(text))
    cut = rng.randrange(start + 1, end)
    return text[:cut] + insert + text[cut:]


@_damage("mojibake")
def _mojibake(rng: random.Random, text: str) -> str:
    candidates = [i for i, char in enumerate(text) if not char.isascii()]
    if not candidates:
        return text.replace(" — ", " â€” ", 1) if " — " in text else text + " CafÃ© owners agreed."
    index = rng.choice(candidates)
    return text[:index] + text[index].encode("utf-8").decode("cp1252", "replace") + text[index + 1:]


@_damage("foreign_fragment")
def _foreign(rng: random.Random, text: str) -> str:
    fragment = rng.choice(["[Израиля]", "(России)", "[в том числе]", "[Украины]", "(ХАМАС)"])
    start, _ = rng.choice(_word_spans(text))
    return text[:start] + fragment + " " + text[start:]


@_damage("name_variant")
def _names(rng: random.Random, text: str) -> str:
    pairs = [("Zelenskyy", "Zelensky"), ("Haniyeh", "Haniya"), ("Peskov", "Peskoff"),
             ("Lavrov", "Lavrow"), ("Jon Finer", "John Feiner")]
    for canonical, variant in pairs:
        if canonical in text:
            return text.replace(canonical, variant, 1)
    return text + f" Later, {pairs[0][0]} spoke, and {pairs[0][1]} left."


@_damage("punctuation")
def _punctuation(rng: random.Random, text: str) -> str:
    choice = rng.randrange(3)
    if choice == 0 and ". " in text:
        return text.replace(". ", " . ", 1)
    if choice == 1 and ", " in text:
        return text.replace(", ", ",, ", 1)
    if "“" in text:
        return text.replace("“", "", 1)
    return text.replace(". ", " . ", 1)


@_damage("invisible")
def _invisible(rng: random.Random, text: str) -> str:
    return _in_word(rng, text, rng.choice(["\u200b", "\u00ad", "\u2060", "\u202e", "\x07",
                                           "\ufeff"]))


@_damage("mixed_script")
def _homoglyph(rng: random.Random, text: str) -> str:
    indexes = [i for i, char in enumerate(text) if char in "aeopcx" and text[i - 1].isalpha()]
    index = rng.choice(indexes)
    return text[:index] + "аеорсх"["aeopcx".index(text[index])] + text[index + 1:]


@_damage("lost_character")
def _lost(rng: random.Random, text: str) -> str:
    return _in_word(rng, text, rng.choice(["\ufffd", "?"]))


def _sentence(rng: random.Random) -> str:
    fill: dict[str, str | int] = {
        "person": rng.choice(PEOPLE), "person2": rng.choice(PEOPLE), "role": rng.choice(ROLES),
        "place": rng.choice(PLACES), "day": rng.choice(DAYS), "month": rng.choice(MONTHS),
        "date": rng.randint(1, 28), "topic": rng.choice(TOPICS), "verb": rng.choice(VERBS),
        "quote": rng.choice(QUOTES), "percent": f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
        "year": rng.randint(1990, 2020), "money": f"${rng.randint(2, 900)} million",
    }
    fill["year2"] = int(fill["year"]) + rng.randint(1, 4)
    fill["claim"] = rng.choice(CLAIMS).format(**fill)
    fill["Role"] = str(fill["role"])[0].upper() + str(fill["role"])[1:]
    fill["Quote"] = str(fill["quote"])[0].upper() + str(fill["quote"])[1:]
    return rng.choice(TEMPLATES).format(**fill)


#: Share of documents typed in plain ASCII (straight quotes, `-` for dashes, no accents), as
#: wire copy and older sites are.
ASCII_SHARE = 0.4

_ASCII_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "’": "'", "—": "-"})


def _to_ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_TYPOGRAPHY))
    return "".join(char for char in text if char.isascii())


def _document(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(3, 8)):
        paragraphs.append(" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))))
    text = "\n\n".join(paragraphs) + "\n"
    return _to_ascii(text) if rng.random() < ASCII_SHARE else text


def _plan(seed: int, documents: int, damaged_share: float) -> tuple[random.Random, list[
        str | None]]:
    rng = random.Random(seed)
    damaged = max(1, round(documents * damaged_share)) if damaged_share > 0 else 0
    labels: list[str | None] = [None] * documents
    kinds = sorted(DAMAGES)
    for position in rng.sample(range(documents), damaged):
        labels[position] = rng.choice(kinds)
    return rng, labels


def damage_labels(seed: int = 0, documents: int = 2000,
                  damaged_share: float = 0.05) -> list[str | None]:
    """The damage kind injected into each document of `build_corpus` (None: clean)."""
    return _plan(seed, documents, damaged_share)[1]


def build_corpus(seed: int = 0, documents: int = 2000,
                 damaged_share: float = 0.05) -> list[str]:
    """``documents`` news-like texts; ``damaged_share`` of them carry one kind of damage."""
    rng, labels = _plan(seed, documents, damaged_share)
    texts = []
    for label in labels:
        text = _document(rng)
        if label is not None:
            text = DAMAGES[label](rng, text)
        texts.append(text)
    return texts


if __name__ == "__main__":
    corpus = build_corpus()
    size = sum(len(text.encode("utf-8")) for text in corpus)
    print(f"{len(corpus)} documents, {size / 1e6:.2f} MB, "
          f"{sum(not text.isascii() for text in corpus)} not pure ASCII")
    print(corpus[0])
