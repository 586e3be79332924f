"""Generate cleanup/data/lexicon-{latin,cyrillic}.tsv.gz (word frequencies per language) and
cleanup/data/triggers-en.txt.gz (the words that may start a foreign phrase in English text).

cleanup needs word-level evidence of a language (is `selon` French? is `Израиля` Russian or
Ukrainian?) without the `wordfreq` package at run time, so this script takes the most frequent
words of each language from wordfreq (Robyn Speer et al., MIT licence for the code, CC BY-SA 4.0
for the data) and writes them into one compact file that ships with cleanup.

Each line is ``word<TAB>lang:zipf lang:zipf ...`` with the Zipf frequency (log10 of uses per
billion words) times 10, as an integer. A word is listed when it is among the ``TOP[lang]`` most
frequent words of at least one language; its frequency in every other listed language is kept
too, so "is this word more French than English" is one lookup.

The trigger list holds the lexicon words that some other language uses at least ``TRIGGER``
Zipf points more than English (and English less than 4.5): only a text with one of them (or an
unknown word with letters English lacks) is looked at word by word for Latin-script fragments,
so checking clean English does not even load the lexicon. english-en.txt.gz holds the English
words that are no trigger, the smaller list a text is checked against first.

Run it from the project root after upgrading wordfreq:

    .venv/bin/python scripts/build_lexicons.py
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import regex
import wordfreq

#: Per script, the languages and how many of their most frequent words to keep.
TOP = {
    # Latin script: English, and the languages whose untranslated phrases show up in English.
    "en": 60_000,
    "de": 30_000, "fr": 30_000, "es": 30_000, "it": 30_000, "pt": 25_000, "nl": 25_000,
    "pl": 30_000, "cs": 25_000, "sk": 15_000, "ro": 15_000, "hu": 15_000, "sv": 15_000,
    "da": 10_000, "nb": 10_000, "fi": 10_000, "tr": 15_000, "ca": 10_000, "sh": 15_000,
    # Cyrillic script: telling the Cyrillic languages apart.
    "ru": 50_000, "uk": 40_000, "bg": 30_000, "mk": 20_000,
}
SCRIPTS = {
    "latin": [lang for lang in TOP if lang not in ("ru", "uk", "bg", "mk")],
    "cyrillic": ["ru", "uk", "bg", "mk"],
}
LETTERS = {"latin": regex.compile(r"\p{Script=Latin}"), "cyrillic": regex.compile(r"\p{Script=Cyrillic}")}

#: Only real words: letters, with an inner apostrophe or hyphen at most.
WORD = regex.compile(r"^\p{L}+(?:['’-]\p{L}+)*$")

#: Words rarer than this (Zipf) in a language are not worth storing for it.
MIN_ZIPF = 1.5

#: Must match cleanup.detect.foreign: how much more another language must use a trigger word.
TRIGGER = 1.0

#: English words at least this frequent (Zipf) and no trigger go to english-en.txt.gz.
SAFE_ENGLISH = 2.5

DATA = Path(__file__).resolve().parent.parent / "cleanup" / "data"


def zipf(frequency: float) -> int:
    return round((math.log10(frequency) + 9) * 10)


def main() -> None:
    frequencies = {lang: wordfreq.get_frequency_dict(lang) for lang in TOP}
    for script, langs in SCRIPTS.items():
        words: set[str] = set()
        for lang in langs:
            for word in wordfreq.top_n_list(lang, TOP[lang]):
                if WORD.match(word) and LETTERS[script].match(word):
                    words.add(word)
        lines = []
        for word in sorted(words):
            entries = []
            for lang in langs:
                frequency = frequencies[lang].get(word)
                if frequency and zipf(frequency) >= MIN_ZIPF * 10:
                    entries.append(f"{lang}:{zipf(frequency)}")
            if entries:
                lines.append(f"{word}\t{' '.join(entries)}\n")
        output = DATA / f"lexicon-{script}.tsv.gz"
        with gzip.GzipFile(output, "wb", mtime=0) as handle:
            handle.write("".join(lines).encode("utf-8"))
        print(f"{output}: {len(lines)} words, {output.stat().st_size} bytes")
        if script == "latin":
            write_triggers(lines)


def write_triggers(lines: list[str]) -> None:
    triggers = []
    for line in lines:
        word, _, entry = line.rstrip("\n").partition("\t")
        zipfs = {lang: int(value) / 10 for lang, value in
                 (item.split(":") for item in entry.split())}
        english = zipfs.pop("en", 0.0)
        if english < 4.5 and max(zipfs.values(), default=0.0) - max(english, 1.0) >= TRIGGER:
            triggers.append(word)
    output = DATA / "triggers-en.txt.gz"
    with gzip.GzipFile(output, "wb", mtime=0) as handle:
        handle.write("\n".join(triggers).encode("utf-8"))
    print(f"{output}: {len(triggers)} words, {output.stat().st_size} bytes")
    # English words that are no trigger: a text made of them is done in one set difference.
    trigger_set = set(triggers)
    english = []
    for line in lines:
        word, _, entry = line.partition("\t")
        zipf = next((int(item[3:]) / 10 for item in entry.split() if item.startswith("en:")), 0)
        if zipf >= SAFE_ENGLISH and word not in trigger_set:
            english.append(word)
    output = DATA / "english-en.txt.gz"
    with gzip.GzipFile(output, "wb", mtime=0) as handle:
        handle.write("\n".join(english).encode("utf-8"))
    print(f"{output}: {len(english)} words, {output.stat().st_size} bytes")

if __name__ == "__main__":
    main()
