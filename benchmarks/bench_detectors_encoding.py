"""Speed of the encoding-side detectors (mojibake, invisible, lost characters), each alone,
as a ratio to ftfy.fix_text measured in the same run on the same text.

Two parts: clean real text per language (MLQE-PE sentences in documents of 8, CC0; the facts
every detector shares, `Context.non_ascii` and `Context.script`, are computed once first, as
the engine does) and adversarial inputs of 200 KB and 400 KB as one string each (a mojibake
run, a zero-width space after every letter, text dense with damage...), where the growth from
200 to 400 KB shows linearity (2.0 is linear). Timings are noisy on a shared machine: read the
ratios, and run twice.

Run from the project root:
    .venv/bin/python benchmarks/bench_detectors_encoding.py [--mlqe PATH] [--languages en,ru]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path

import ftfy

from cleanup.detect import Context
from cleanup.detect.invisible import find_invisible
from cleanup.detect.lost import find_lost_characters
from cleanup.detect.mojibake import find_mojibake

DETECTORS = {"mojibake": find_mojibake, "invisible": find_invisible,
             "lost_character": find_lost_characters}
MLQE = Path(__file__).resolve().parent.parent.parent / "shared/external/mlqe-pe/segments.jsonl.gz"

_WORDS = "The minister said that the plan was fine and would stand. " * 8000

#: name -> a function of a repeat count giving the input (its size grows with the count).
FAMILIES: dict[str, Callable[[int], str]] = {
    "cp1252 run of Cyrillic": lambda n: "Ð˜Ð·Ñ€Ð°Ð¸Ð»Ñ\x8f " * n,
    "run of `â€™`": lambda n: "â€™" * n,
    "cp1251 run of words": lambda n: "РџСЂРёРІРµС‚ " * n,
    "KOI8 words": lambda n: "хГПЮХКЪ " * n,
    "zero-width space after every letter": lambda n: "\u200b".join(_WORDS[:n]),
    "soft hyphen after every letter": lambda n: "\u00ad".join(_WORDS[:n]),
    "dense damage of every kind": lambda n: (
        "Zelenskyyâ€™s o\u200bf Krak?w S\ufffdo &amp;quot; [хГПЮХКЪ] \x07 " * n),
    "run of `?`": lambda n: "?" * n,
    "words alternating scripts": lambda n: "Gazа Москва cafe кафе " * n,
}


def _best(function: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def clean_text(path: Path, languages: list[str], sentences: int) -> None:
    by_language: dict[str, list[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            by_language.setdefault(record["lang"], []).append(record["text"])
    print(f"clean real text: MLQE-PE, {sentences} sentences a language, documents of 8")
    for language in languages:
        rows = by_language.get(language, [])[:sentences]
        documents = [" ".join(rows[i:i + 8]) for i in range(0, len(rows), 8)]
        if not documents:
            continue
        megabytes = sum(len(d.encode()) for d in documents) / 1e6
        contexts = [Context(d) for d in documents]
        for context in contexts:  # shared facts, paid once per document by the engine
            _ = context.non_ascii, context.script
        for detector in DETECTORS.values():  # lazy loads and compiled patterns
            for document, context in zip(documents[:5], contexts[:5], strict=True):
                list(detector(document, context))
        ftfy_time = _best(lambda texts=documents: [ftfy.fix_text(t) for t in texts])
        cells = [f"  {language}: ftfy.fix_text {megabytes / ftfy_time:5.2f} MB/s"]
        pairs = list(zip(documents, contexts, strict=True))
        for name, detector in DETECTORS.items():
            elapsed = _best(lambda d=detector, p=pairs: [list(d(t, c)) for t, c in p])
            cells.append(f"{name} {megabytes / elapsed:7.2f} MB/s = x{ftfy_time / elapsed:.2f}")
        print(", ".join(cells), flush=True)


def adversarial() -> None:
    print("adversarial inputs, one string each: MB/s at 400 KB, ratio to ftfy.fix_text, "
          "growth from 200 to 400 KB (2.0 is linear)")
    for family, make in FAMILIES.items():
        unit = len(make(1).encode())
        half, full = make(max(1, 200_000 // unit)), make(max(2, 400_000 // unit))
        if len(full.encode()) < 300_000:  # built from a prefix of words: the count is chars
            half, full = make(200_000), make(400_000)
        ftfy_time = _best(lambda text=full: ftfy.fix_text(text), 1)
        cells = [f"  {family}:"]
        for name, detector in DETECTORS.items():
            list(detector(make(2), Context(make(2))))
            half_context, full_context = Context(half), Context(full)
            _ = half_context.non_ascii, full_context.non_ascii
            half_time = _best(lambda d=detector, t=half, c=half_context: list(d(t, c)), 1)
            full_time = _best(lambda d=detector, t=full, c=full_context: list(d(t, c)), 1)
            cells.append(f"{name} {len(full.encode()) / 1e6 / full_time:.2f} MB/s "
                         f"x{ftfy_time / full_time:.2f} growth {full_time / half_time:.1f}")
        print(" ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mlqe", type=Path, default=MLQE, help="MLQE-PE segments.jsonl.gz")
    parser.add_argument("--languages", default="en,de,ru,zh,si,ne,et,ro")
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--skip-adversarial", action="store_true")
    args = parser.parse_args()
    if args.mlqe.exists():
        clean_text(args.mlqe, args.languages.split(","), args.sentences)
    else:
        print(f"no {args.mlqe}: clean real text skipped")
    if not args.skip_adversarial:
        adversarial()


if __name__ == "__main__":
    main()
