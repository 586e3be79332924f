"""Make `fixtures/mojibake/`: real sentences put through the wrong codecs, as software does.

The sentences are MLQE-PE's Russian sources and their English machine translations (CC0, see
fixtures/mojibake/README.md). Each damaged file is its clean file encoded with one codec and
decoded with another, line by line, exactly the round trip a misconfigured reader makes, so
the tests check repairs on real text and real damage rather than on strings typed by hand.

Run:  .venv/bin/python scripts/make_mojibake_fixtures.py PATH/TO/mlqe-pe-ru-en/sentences.tsv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-* codecs, which map every byte)

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "mojibake"

#: damaged file name -> (clean file, encoding the bytes were written in, encoding read as)
DAMAGE = {
    "ru-sources.cp1251-read-as-koi8-r.txt": ("ru-sources.txt", "windows-1251", "koi8-r"),
    "ru-sources.cp1251-read-as-cp866.txt": ("ru-sources.txt", "windows-1251", "cp866"),
    "ru-sources.koi8-r-read-as-cp1251.txt": ("ru-sources.txt", "koi8-r", "windows-1251"),
    "ru-sources.utf8-read-as-cp1251.txt": ("ru-sources.txt", "utf-8", "sloppy-windows-1251"),
    "en-mt-cyrillic.utf8-read-as-cp1252.txt": ("en-mt-cyrillic.txt", "utf-8",
                                               "sloppy-windows-1252"),
}


def main(tsv: str) -> None:
    with open(tsv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    encodable = [r["source_ru"] for r in rows
                 if all(_round_trips(r["source_ru"], codec) for codec in ("cp1251", "koi8-r"))]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "ru-sources.txt").write_text("\n".join(encodable[:60]) + "\n", encoding="utf-8")
    cyrillic_in_english = [r["mt_en"] for r in rows
                           if any("\u0400" <= c <= "\u04ff" for c in r["mt_en"])]
    (OUT / "en-mt-cyrillic.txt").write_text("\n".join(cyrillic_in_english) + "\n",
                                             encoding="utf-8")
    for damaged, (clean, written, read_as) in DAMAGE.items():
        lines = (OUT / clean).read_text(encoding="utf-8").splitlines()
        garbled = [line.encode(written).decode(read_as) for line in lines]
        (OUT / damaged).write_text("\n".join(garbled) + "\n", encoding="utf-8")
        print(f"wrote {damaged} ({len(garbled)} lines)")


def _round_trips(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


if __name__ == "__main__":
    main(sys.argv[1])
