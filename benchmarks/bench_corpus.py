"""Corpus runs measured in one go: throughput, scaling over workers, memory, Ray against local.

Prints, on the seeded corpus of `benchmarks/corpus.py` written as JSON Lines:

- one worker's MB/s (UTF-8 bytes of the ``text`` field) and its ratio to ``ftfy.fix_text``
  over the same records, timed in the same run;
- the speedup of 2 workers over 1 (goal >= 1.6x on 2 cores);
- peak RSS of the whole process tree (the run and its workers, sampled from /proc) for a
  20 MB and a 200 MB input (goal: the larger <= 1.3x the smaller, and <= 400 MB). The memory
  runs use cheap rules by default (``--memory-select``) so that 200 MB fits in a minute: memory
  is a property of the streaming, not of the detectors; ``--memory-select all`` runs them all;
- Ray's wall time against the local engine's on the same data and workers, with the local
  cluster's start-up shown apart.

    .venv/bin/python benchmarks/bench_corpus.py [--speed-mb 40] [--sizes 20,200] [--no-ray]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import build_corpus

MB = 1_000_000
CHEAP_RULES = "invisible,lost_character,mixed_script"


def write_corpus(path: Path, megabytes: float, seed: int = 0) -> int:
    """Write about ``megabytes`` of JSON Lines records; return the bytes of their texts.

    Documents are generated once per 5 MB and repeated with new ids beyond that, so a 200 MB
    file takes seconds to write; records stay realistic and the result is seeded.
    """
    base = build_corpus(seed=seed, documents=2600)  # about 5 MB of text
    written = text_bytes = 0
    with open(path, "w", encoding="utf-8") as out:
        number = 0
        while written < megabytes * MB:
            text = base[number % len(base)]
            line = json.dumps({"id": f"doc-{number}", "source": "bench", "text": text},
                              ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            text_bytes += len(text.encode("utf-8"))
            number += 1
    return text_bytes


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process, from /proc (Linux)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants."""
    parents = _parents()
    tree, changed = {root}, True
    while changed:
        grown = tree | {pid for pid, parent in parents.items() if parent in tree}
        changed, tree = grown != tree, grown
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def run_child(args: dict[str, object]) -> tuple[float, float, dict[str, object]]:
    """Run `annotate_paths` in a child process; wall seconds, peak tree RSS (MB), stats."""
    script = ("import json, sys; from cleanup.corpus import annotate_paths; "
              "s = annotate_paths(**json.loads(sys.argv[1])); "
              "print(json.dumps(s.stats.to_dict()))")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", script, json.dumps(args)],
                             stdout=subprocess.PIPE, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(child.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    output = child.stdout.read() if child.stdout else ""
    if child.returncode not in (0, 1):
        raise SystemExit(f"annotate failed with exit code {child.returncode}")
    return seconds, peak / MB, json.loads(output.strip().splitlines()[-1])


def time_annotate(source: Path, output: Path, **options: object) -> float:
    from cleanup.corpus import annotate_paths

    started = time.perf_counter()
    annotate_paths(str(source), str(output), progress=False, **options)  # type: ignore[arg-type]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # 40 MB: at 10 MB the workers' one-off start (about 1.3 s each, loading detector data)
    # is a third of a run and the scaling measured is mostly start-up.
    parser.add_argument("--speed-mb", type=float, default=40.0,
                        help="size of the throughput sample (default 40 MB)")
    parser.add_argument("--sizes", default="20,200", help="memory run sizes in MB")
    parser.add_argument("--memory-select", default=CHEAP_RULES,
                        help="rules of the memory runs ('all' for every default rule)")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray comparison")
    options = parser.parse_args()
    import ftfy

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as folder:
        work = Path(folder)
        sample = work / "sample.jsonl"
        text_bytes = write_corpus(sample, options.speed_mb)
        texts = [json.loads(line)["text"] for line in sample.open(encoding="utf-8")]
        print(f"sample: {len(texts):,} records, {text_bytes / MB:.2f} MB of text")

        started = time.perf_counter()
        for text in texts:
            ftfy.fix_text(text)
        ftfy_seconds = time.perf_counter() - started
        speed_ftfy = text_bytes / MB / ftfy_seconds
        print(f"ftfy.fix_text         {speed_ftfy:7.3f} MB/s")
        # Each run starts cold (a fresh process), as a user's run does: detectors cache words,
        # and a second run over the same records in a warm process would flatter it.
        one = run_child({"input": str(sample), "output": str(work / "one.jsonl"),
                         "workers": 1, "progress": False})[0]
        two = run_child({"input": str(sample), "output": str(work / "two.jsonl"),
                         "workers": 2, "progress": False})[0]
        same = (work / "one.jsonl").read_bytes() == (work / "two.jsonl").read_bytes()
        speed_one = text_bytes / MB / one
        print(f"annotate, 1 worker    {speed_one:7.3f} MB/s  "
              f"({speed_one / speed_ftfy:.2f}x ftfy; all of a run: start-up, names pass)")
        print(f"annotate, 2 workers   {text_bytes / MB / two:7.3f} MB/s  "
              f"speedup {one / two:.2f}x over 1 worker (goal >= 1.6x), "
              f"identical output: {same}")
        alone = [run_child({"input": str(sample), "output": str(work / f"alone{n}.jsonl"),
                            "workers": n, "progress": False, "corpus_names": False})[0]
                 for n in (1, 2)]
        print(f"  without the corpus-wide names pass: 1 worker {alone[0]:.1f} s, "
              f"2 workers {alone[1]:.1f} s, speedup {alone[0] / alone[1]:.2f}x")

        select = None if options.memory_select == "all" else options.memory_select.split(",")
        peaks = []
        for size in (float(s) for s in options.sizes.split(",")):
            source = work / f"corpus-{size:g}mb.jsonl"
            write_corpus(source, size)
            seconds, peak, stats = run_child({
                "input": str(source), "output": str(work / f"out-{size:g}.jsonl"),
                "workers": 2, "select": select, "progress": False})
            peaks.append(peak)
            print(f"memory, {size:5g} MB input: peak RSS {peak:6.0f} MB of the process tree "
                  f"({stats['records']:,} records in {seconds:.1f} s, 2 workers, rules: "
                  f"{options.memory_select})")
            source.unlink()
            (work / f"out-{size:g}.jsonl").unlink()
        if len(peaks) >= 2:
            print(f"memory ratio largest/smallest: {peaks[-1] / peaks[0]:.2f}x "
                  f"(goal <= 1.3x), largest {peaks[-1]:.0f} MB (goal <= 400 MB)")

        if not options.no_ray:
            try:
                import ray
            except ImportError:
                print("ray: not installed (pip install 'cleanup[ray]')")
                return
            started = time.perf_counter()
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
            startup = time.perf_counter() - started
            # Cold workers on both sides: detectors warm their caches, so a second run over
            # the same records would flatter whichever engine ran it.
            on_ray = time_annotate(sample, work / "ray.jsonl", workers=2, engine="ray")
            local = time_annotate(sample, work / "local.jsonl", workers=2)
            started = time.perf_counter()
            ray.shutdown()
            stop = time.perf_counter() - started
            same = (work / "ray.jsonl").read_bytes() == (work / "one.jsonl").read_bytes()
            print(f"ray, 2 CPUs           {text_bytes / MB / on_ray:7.3f} MB/s  "
                  f"{on_ray:.1f} s against {local:.1f} s for the local engine with 2 workers "
                  f"(ray/local time {on_ray / local:.2f}x); cluster start {startup:.1f} s and "
                  f"stop {stop:.1f} s not included; identical output: {same}")


if __name__ == "__main__":
    main()
