"""Speed of cleanup against ftfy, measured in one run over the same realistic corpus.

Prints the throughput (MB/s of UTF-8 input) of `cleanup.check`, `cleanup.fix` and
`ftfy.fix_text` over the seeded corpus of `benchmarks/corpus.py` (mostly clean English news,
5% damaged), the two ratios against ftfy with their goals (check >= 3x, fix >= 2x), and the
start-up cost of the CLI: the median wall time of `cleanup check small.txt` minus that of a bare
`python -c pass` (goal <= 0.25 s). `--per-kind` times each kind alone; `--profile` adds where
`cleanup.check` spends its time, per detector, per module and per function.

    .venv/bin/python benchmarks/bench_speed.py [--documents 1000] [--seed 0] [--per-kind]
                                               [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import build_corpus

import cleanup

GOALS = {"check": 3.0, "fix": 2.0}
STARTUP_GOAL = 0.25
SMALL_TEXT = (
    "The envoy travelled to Riyadh and Amman before flying back to Washington.\n\n"
    "“We are ready,” he said. Prices rose by 3.5% (see table 2) in the first quarter.\n"
)


def throughput(function: Callable[[str], object], texts: list[str], size: int,
               repeats: int) -> float:
    """Best MB/s over ``repeats`` passes (after a warm-up that pays for lazy loading)."""
    for text in texts[:20]:
        function(text)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, time.perf_counter() - start)
    return size / best / 1e6


def median_wall_time(command: list[str], runs: int, cwd: str) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_command(path: str) -> tuple[list[str], str]:
    """The installed console script if there is one, else `python -m cleanup`."""
    script = Path(sys.executable).parent / "cleanup"
    if script.exists():
        return [str(script), "check", path], f"{script.name} check small.txt"
    if shutil.which("cleanup") is None and not (Path(cleanup.__file__).parent /
                                                 "__main__.py").exists():
        code = f"import cleanup; cleanup.check(open({path!r}).read())"
        return [sys.executable, "-c", code], "python -c 'import cleanup; cleanup.check(...)'"
    return [sys.executable, "-m", "cleanup", "check", path], "python -m cleanup check small.txt"


def startup(runs: int) -> tuple[float, str]:
    """Start-up cost as users pay it, with bytecode cached: one warm-up run of each command
    may write ``.pyc`` files even where the environment sets PYTHONDONTWRITEBYTECODE (else
    every run recompiles whatever changed since the caches were last written)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "small.txt"
        path.write_text(SMALL_TEXT, encoding="utf-8")
        command, label = cli_command(str(path))
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for warm_up in ([sys.executable, "-c", "pass"], command):
            subprocess.run(warm_up, cwd=directory, env=environment, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        bare = median_wall_time([sys.executable, "-c", "pass"], runs, directory)
        full = median_wall_time(command, runs, directory)
    return full - bare, label


def profile(texts: list[str], top: int) -> None:
    """Where cleanup.check spends its time: per module (own time) and the top functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        cleanup.check(text)
    profiler.disable()
    stats = pstats.Stats(profiler)
    per_module: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        total += own
        marker = filename.rfind("/cleanup/")
        if marker >= 0:
            module = "cleanup/" + filename[marker + len("/cleanup/"):]
        elif "site-packages/" in filename:
            module = filename.split("site-packages/")[1].split("/")[0]
        else:
            module = Path(filename).name if "/" in filename else filename
        per_module[module] += own
    from cleanup.detect import DETECTORS

    detector_functions = {target.split(":")[1]: kind for kind, target in DETECTORS.items()}
    check_total = 0.0
    per_detector: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if function in detector_functions and "/cleanup/detect/" in filename:
            per_detector[detector_functions[function]] += cumulative
        if function == "check" and filename.endswith("cleanup/engine.py"):
            check_total = max(check_total, cumulative)
    print(f"\nprofile of cleanup.check over {len(texts)} documents: {check_total:.3f} s "
          "(under the profiler), time per detector including what it calls")
    for kind, cumulative in sorted(per_detector.items(), key=lambda item: -item[1]):
        print(f"  {cumulative:7.3f} s  {100 * cumulative / check_total:5.1f}%  {kind}")
    rest = check_total - sum(per_detector.values())
    print(f"  {rest:7.3f} s  {100 * rest / check_total:5.1f}%  engine (config, rule selection, "
          "context, sorting)")
    print("\nown time per module")
    for module, own in sorted(per_module.items(), key=lambda item: -item[1])[:top]:
        print(f"  {own:7.3f} s  {100 * own / total:5.1f}%  {module}")
    print("\ntop functions by cumulative time")
    stats.sort_stats("cumulative").print_stats(top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--per-kind", action="store_true",
                        help="also time cleanup.check with one kind selected at a time")
    args = parser.parse_args()

    import ftfy

    texts = build_corpus(seed=args.seed, documents=args.documents)
    size = sum(len(text.encode("utf-8")) for text in texts)
    print(f"corpus: {len(texts)} documents, {size / 1e6:.2f} MB (seed {args.seed}, 5% damaged)")
    rates = {
        "ftfy.fix_text": throughput(ftfy.fix_text, texts, size, args.repeats),
        "check": throughput(cleanup.check, texts, size, args.repeats),
        "fix": throughput(cleanup.fix, texts, size, args.repeats),
    }
    for name, rate in rates.items():
        label = name if name.startswith("ftfy") else f"cleanup.{name}"
        print(f"  {label:16} {rate:8.2f} MB/s")
    for name, goal in GOALS.items():
        ratio = rates[name] / rates["ftfy.fix_text"]
        verdict = "ok" if ratio >= goal else "BELOW GOAL"
        print(f"  cleanup.{name} / ftfy.fix_text = {ratio:5.2f}x  (goal >= {goal:.0f}x: {verdict})")
    cost, label = startup(args.startup_runs)
    verdict = "ok" if cost <= STARTUP_GOAL else "ABOVE GOAL"
    print(f"start-up: median `{label}` minus `python -c pass` = {cost:.3f} s "
          f"(goal <= {STARTUP_GOAL} s: {verdict})")
    if args.per_kind:
        from cleanup.rules import KINDS

        print("cleanup.check with one kind selected (engine overhead included):")
        for kind in KINDS:
            def check_one_kind(text: str, kind: str = kind) -> object:
                return cleanup.check(text, select={kind})

            rate = throughput(check_one_kind, texts, size, args.repeats)
            print(f"  {kind:18} {rate:8.2f} MB/s  "
                  f"({rate / rates['ftfy.fix_text']:5.2f}x ftfy.fix_text)")
    if args.profile:
        profile(texts, 25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
