"""Linear time on every input: check and fix on adversarial families of 200 KB and 400 KB.

Real documents are sometimes large, and some inputs make a quadratic step show: a run of one
bracket or quote (every one a candidate pair), a zero-width space after every letter (half the
text is edits, so offset maps and overlap tests meet their worst case), a long run of mojibake,
a string dense with damage of every kind, one huge line of words, words alternating scripts.
For each family it prints the seconds and MB/s (UTF-8 bytes) of `cleanup.check` and
`cleanup.fix` at 200 KB and 400 KB and the time ratio when the input doubles, against the goals
of issue 13: at least 0.5 MB/s at 400 KB, and doubling the input at most doubles the time (2.5x
allowed for noise; below 0.1 s the ratio is timer noise and is not judged).

Each run is a fresh process; a call is stopped after ``--timeout`` CPU seconds and reported as
"> N s": a superlinear input must not hang the bench. Times are CPU seconds of the process, so
other agents' load on this shared machine does not count. Words come from the committed real
sample.

    .venv/bin/python benchmarks/bench_linear.py [--timeout 10] [--families brackets,zw]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from goals import goal
from real_sample import LABELS, Document, by_language, inject, load_documents

KB = 1000
SIZES = (200 * KB, 400 * KB)
RATE_GOAL = 0.5  # MB/s at 400 KB
DOUBLING_GOAL = 2.5  # time(400 KB) / time(200 KB), 2 plus noise
NOISE_FLOOR = 0.1  # seconds: below this the doubling ratio is not judged


def _fill(pieces: Callable[[], object], size: int, separator: str = " ") -> str:
    """Join pieces until ``size`` UTF-8 bytes, cut at a character boundary."""
    parts, total = [], 0
    for piece in pieces():  # type: ignore[attr-defined]
        parts.append(piece)
        total += len(piece.encode("utf-8")) + len(separator)
        if total >= size:
            break
    return _cut(separator.join(parts), size)


def _cut(text: str, size: int) -> str:
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def _texts(lang: str) -> list[str]:
    return [document.text for document in by_language(load_documents())[lang]]


def _words(lang: str) -> list[str]:
    return [word for text in _texts(lang) for word in text.split()]


def mojibake_run(size: int) -> str:
    """German, Estonian and Romanian documents, UTF-8 read as Windows-1252, as one string."""
    import ftfy.bad_codecs  # noqa: F401

    def pieces() -> object:
        for lang in ("de", "et", "ro"):
            for text in _texts(lang):
                yield text.encode("utf-8").decode("sloppy-windows-1252")
    return _fill(pieces, size)


def dense_damage(size: int) -> str:
    """Real English, German and Russian text cut into pieces of 8 words, each piece given the
    next kind of damage that can occur in it (every label of `real_sample.py` in turn), as one
    string without a line break."""
    def pieces() -> object:
        sources = {lang: iter(_texts(lang)) for lang in ("en", "de", "ru")}
        labels = cycle(LABELS)
        for number, lang in enumerate(cycle(("en", "en", "de", "ru"))):
            words = next(sources[lang]).split()
            for first in range(0, len(words), 8):
                chunk = Document(f"dense/{number}/{first}", lang, "original",
                                 " ".join(words[first:first + 8]))
                for _ in range(len(LABELS)):
                    damage = inject(chunk, next(labels))
                    if damage is not None:
                        yield damage.text
                        break
                else:
                    yield chunk.text
    return _fill(pieces, size)


def huge_line(size: int) -> str:
    """Real English documents joined by spaces: one line, every word real, none repeated on
    purpose."""
    return _fill(lambda: iter(_texts("en")), size)


def alternating_scripts(size: int) -> str:
    """A real English word, a real Russian word, and so on."""
    def pieces() -> object:
        for english, russian in zip(_words("en"), _words("ru"), strict=False):
            yield english
            yield russian
    return _fill(pieces, size)


FAMILIES: dict[str, tuple[str, Callable[[int], str]]] = {
    "brackets": ("a run of `[`", lambda size: "[" * size),
    "quotes": ("a run of `“`", lambda size: "“" * (size // 3)),
    "zw": ("`a\\u200b` repeated (half edits)", lambda size: "a\u200b" * (size // 4)),
    "mojibake": ("a mojibake run (de/et/ro as cp1252)", mojibake_run),
    "dense": ("one string dense with damage", dense_damage),
    "line": ("one huge line of real words", huge_line),
    "scripts": ("words alternating Latin/Cyrillic", alternating_scripts),
}


def run_once(family: str, function_name: str, size: int,
             timeout: float) -> dict[str, float | None]:
    """In the child: build the input, warm up on other text, time one call; None for the
    seconds when it runs past ``timeout`` (an alarm stops it)."""
    import cleanup

    text = FAMILIES[family][1](size)
    function = cleanup.check if function_name == "check" else cleanup.fix
    documents = [document for lang in by_language(load_documents()).values()
                 for document in lang[:2]]
    for number, document in enumerate(documents):  # lazy loads, clean and damaged paths
        damage = inject(document, LABELS[number % len(LABELS)])
        function(document.text if damage is None else damage.text)
    function(text[:500])

    def stop(*_: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, timeout)  # CPU time, as measured
    started = time.process_time()
    try:
        function(text)
        seconds: float | None = time.process_time() - started
    except TimeoutError:
        seconds = None
    signal.setitimer(signal.ITIMER_PROF, 0)
    return {"bytes": len(text.encode("utf-8")), "seconds": seconds}


def timed(family: str, function_name: str, size: int, timeout: float) -> float | None:
    """Seconds of one call in a fresh process, or None when it ran past ``timeout``."""
    command = [sys.executable, str(Path(__file__).resolve()), "--run",
               f"{family}:{function_name}:{size}:{timeout}"]
    try:  # the alarm stops Python code; a long call in C (or a machine too busy) ends here
        out = subprocess.run(command, capture_output=True, text=True, check=False,
                             timeout=3 * timeout + 30)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:])} failed:\n{out.stderr}")
    seconds = json.loads(out.stdout.strip().splitlines()[-1])["seconds"]
    return None if seconds is None or seconds > timeout else float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, help="seconds per call (default 10, quick 3)")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--run", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.run:
        family, function_name, size, limit = options.run.split(":")
        print(json.dumps(run_once(family, function_name, int(size), float(limit))))
        return
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    timeout = options.timeout or (3.0 if quick else 10.0)
    print(f"each call in a fresh process, CPU seconds, limited to {timeout:g} s; goals: "
          f">= {RATE_GOAL} MB/s "
          f"at 400 KB, time(400 KB) / time(200 KB) <= {DOUBLING_GOAL}")
    print(f"{'family':38} {'':5} {'200 KB':>8} {'400 KB':>8} {'MB/s':>6} {'':4} "
          f"{'x2 time':>7} {'':4}")
    for family in options.families.split(","):
        title = FAMILIES[family][0]
        for function_name in ("check", "fix"):
            small = timed(family, function_name, SIZES[0], timeout)
            large = timed(family, function_name, SIZES[1], timeout) if small is not None else None
            speed = SIZES[1] / large / 1e6 if large else None
            ratio = large / small if large is not None and small else None
            rate_mark = goal(f"{function_name} MB/s at 400 KB: {title}", speed, RATE_GOAL,
                             unit=" MB/s")
            judged = ratio if large is None or large >= NOISE_FLOOR else 1.0
            doubling_mark = goal(f"{function_name} time x2 input: {title}", judged,
                                 DOUBLING_GOAL, most=True,
                                 note="" if judged is ratio else "below the noise floor")

            def shown(seconds: float | None) -> str:
                return f"> {timeout:g} s" if seconds is None else f"{seconds:6.3f} s"

            print(f"{title if function_name == 'check' else '':38} {function_name:5} "
                  f"{shown(small):>8} {shown(large):>8} "
                  f"{'—' if speed is None else f'{speed:.2f}':>6} {rate_mark} "
                  f"{'—' if ratio is None else f'{ratio:.2f}x':>7} {doubling_mark}", flush=True)


if __name__ == "__main__":
    main()
