"""Build `cleanup/data/cyrillic_bigrams.json`: letter-bigram counts of Russian, Ukrainian and
Bulgarian, the statistics the mojibake detector uses to tell real Cyrillic words from text that
went through the wrong Cyrillic code page (`хГПЮХКЪ` is KOI8-R read of cp1251 `Израиля`).

The counts come from the language profiles langdetect ships (built from Wikipedia); only
bigrams of lowercase Cyrillic letters and the word boundary (a space) are kept, so the table is
small and the detector never imports langdetect to score a word.

Run from the project root:  .venv/bin/python scripts/build_cyrillic_bigrams.py
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

LANGUAGES = ("ru", "uk", "bg")
OUTPUT = Path(__file__).resolve().parent.parent / "cleanup" / "data" / "cyrillic_bigrams.json"


def is_cyrillic_letter(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff" and char.isalpha()


def bigram_counts(language: str) -> dict[str, int]:
    """Bigrams of lowercase Cyrillic letters and spaces in langdetect's profile of ``language``."""
    profile = json.loads(files("langdetect").joinpath("profiles", language).read_text("utf-8"))
    counts: dict[str, int] = {}
    for gram, count in profile["freq"].items():
        gram = gram.lower()
        if len(gram) == 2 and gram != "  " and all(c == " " or is_cyrillic_letter(c) for c in gram):
            counts[gram] = counts.get(gram, 0) + int(count)
    return dict(sorted(counts.items()))


def main() -> None:
    languages = {language: bigram_counts(language) for language in LANGUAGES}
    table = {
        "source": "langdetect 1.0.9 language profiles (Apache-2.0), bigrams of lowercase "
        "Cyrillic letters and the word boundary ' '",
        "languages": languages,
    }
    OUTPUT.write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    sizes = {language: len(counts) for language, counts in languages.items()}
    print(f"wrote {OUTPUT} ({sizes})")


if __name__ == "__main__":
    main()
