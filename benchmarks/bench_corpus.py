"""Corpus runs of `cleanup annotate` on real records: throughput, scaling, memory, Ray.

The records are the documents of the committed MLQE-PE sample (`real_sample.py`, 8 languages,
about 3.3 MB of text, 5% damaged), written as JSON Lines. The sample is small, so the larger
files repeat its records with new ids: the first 3.3 MB are distinct, the rest repeats them,
and per-word caches are hot on every repetition (the distinct figure shows how much that
flatters). It prints, from one run:

- `cleanup annotate --workers 1` (the console script, a fresh process: start-up, the names
  first pass and JSON included) against ftfy.fix_text over the same records, JSON parsing and
  writing included, on the distinct records and on about 20 MB (goal >= 2x, in CPU seconds:
  wall time on this shared machine measures the other agents too; both are printed);
- the speedup of 2 workers over 1 on 20 MB (goal >= 1.8x on 2 cores);
- peak RSS of the run's whole process tree (sampled from /proc; PSS beside it) at 20 MB and
  200 MB, every default rule, 2 workers (goal <= 400 MB and flat: the larger at most 1.3x the
  smaller; a large run past --limit seconds is stopped and the flatness is not judged);
- Ray on a local cluster against the local engine, same records and workers (goal >= 0.8x of
  the local engine's speed), the cluster's start and stop shown apart.

    .venv/bin/python benchmarks/bench_corpus.py [--speed-mb 20] [--memory-mb 200] [--no-ray]
    BENCH_QUICK=1: the distinct records (3.3 MB of text) for speed and Ray, memory also at 12 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from goals import goal
from real_sample import by_language, damage_documents, load_documents

MB = 1_000_000
CLI = str(Path(sys.executable).parent / "cleanup")
ONE_WORKER_GOAL = 2.0
SCALING_GOAL = 1.8
MEMORY_GOAL = 400.0
MEMORY_FLAT_GOAL = 1.3
RAY_GOAL = 0.8


def records() -> list[dict[str, str]]:
    """The sample's documents as records, 5% of each language damaged."""
    out: list[dict[str, str]] = []
    for lang, documents in by_language(load_documents()).items():
        texts, _ = damage_documents(documents)
        out.extend({"id": document.id, "lang": lang, "text": text}
                   for document, text in zip(documents, texts, strict=True))
    return out


def write_corpus(path: Path, megabytes: float | None) -> int:
    """The records as JSON Lines, repeated with new ids up to ``megabytes`` (None: once);
    return the UTF-8 bytes of their texts."""
    base = records()
    written = text_bytes = number = 0
    with open(path, "w", encoding="utf-8") as out:
        while (megabytes is None and number < len(base)) or (
                megabytes is not None and written < megabytes * MB):
            record = base[number % len(base)]
            line = json.dumps({**record, "id": f"{record['id']}#{number // len(base)}"},
                              ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            text_bytes += len(record["text"].encode("utf-8"))
            number += 1
    return text_bytes


def ftfy_over_records(source: Path, output: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ftfy.fix_text over every record, reading and writing JSON
    Lines, in this process."""
    import ftfy

    ftfy.fix_text("warm up")
    started, cpu = time.perf_counter(), time.process_time()
    with open(source, encoding="utf-8") as lines, open(output, "w", encoding="utf-8") as out:
        for line in lines:
            record = json.loads(line)
            record["fixed"] = ftfy.fix_text(record["text"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return time.perf_counter() - started, time.process_time() - cpu


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


def _tree(root: int) -> set[int]:
    """``root`` and all its descendants."""
    parents = _parents()
    tree, changed = {root}, True
    while changed:
        grown = tree | {pid for pid, parent in parents.items() if parent in tree}
        changed, tree = grown != tree, grown
    return tree


def tree_memory(root: int) -> tuple[int, int]:
    """Resident bytes (RSS) and proportional set size (PSS: shared pages split among their
    sharers) of ``root`` and all its descendants."""
    rss = pss = 0
    for pid in _tree(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


@dataclass
class Run:
    """One `cleanup annotate` run: wall and CPU seconds (its whole tree), peak RSS, and the
    share of records written when it was stopped at its time limit (1.0 if it finished)."""

    seconds: float
    cpu_seconds: float
    peak_mb: float
    peak_pss_mb: float
    done: float = 1.0


def annotate(source: Path, output: Path, workers: int, limit: float | None = None) -> Run:
    """Run `cleanup annotate` as users do; stop it (every process of its tree, by pid) after
    ``limit`` seconds."""
    command = [CLI, "annotate", str(source), str(output), "--workers", str(workers),
               "--isolated"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, cwd=source.parent)
    peak = peak_pss = 0
    done = 1.0
    while child.poll() is None:
        rss, pss = tree_memory(child.pid)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        if limit is not None and time.perf_counter() - started > limit:
            done = _written(output) / _lines(source)
            for pid in sorted(_tree(child.pid), reverse=True):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            child.wait()
            for stale in output.parent.glob(f".{output.name}.*"):
                stale.unlink()
            break
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done == 1.0 and child.returncode not in (0, 1):
        error = child.stderr.read() if child.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}): {error}")
    return Run(seconds, cpu, peak / MB, peak_pss / MB, done)


def _lines(path: Path) -> int:
    with open(path, "rb") as lines:
        return sum(1 for _ in lines)


def _written(output: Path) -> int:
    """Records written so far to the run's temporary output file."""
    return sum(_lines(part) for part in output.parent.glob(f".{output.name}.*"))


def time_in_process(source: Path, output: Path, engine: str) -> float:
    from cleanup.corpus import annotate_paths

    started = time.perf_counter()
    annotate_paths(str(source), str(output), workers=2, engine=engine, progress=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    parser.add_argument("--speed-mb", type=float, default=0.0 if quick else 20.0,
                        help="records for the speed runs, repeated (0: the distinct ones only)")
    parser.add_argument("--memory-mb", type=float, default=12.0 if quick else 200.0,
                        help="records for the large memory run (the small one is the speed run)")
    parser.add_argument("--limit", type=float, default=60.0 if quick else 120.0,
                        help="seconds the large memory run may take before it is stopped")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray comparison")
    options = parser.parse_args()
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; "
          "wall-time ratios move with other agents' load, CPU-time ratios much less (one "
          "worker against ftfy is judged in CPU time; scaling and Ray can only be wall time)")

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as folder:
        work = Path(folder)
        distinct = work / "distinct.jsonl"
        distinct_bytes = write_corpus(distinct, None)
        runs = [("distinct records", distinct, distinct_bytes)]
        print(f"records: the real sample, {distinct_bytes / MB:.2f} MB of text in "
              f"{len(records()):,} records (8 languages, 5% damaged)", end="")
        if options.speed_mb * MB > distinct.stat().st_size:
            sample = work / "sample.jsonl"
            sample_bytes = write_corpus(sample, options.speed_mb)
            runs.append((f"{options.speed_mb:g} MB, repeated", sample, sample_bytes))
            print(f"; the {options.speed_mb:g} MB file repeats them "
                  f"{sample_bytes / distinct_bytes:.1f} times with new ids", end="")
        print()
        _, sample, sample_bytes = runs[-1]

        for label, source, text_bytes in runs:
            ftfy_seconds, ftfy_cpu = ftfy_over_records(source, work / "ftfy.jsonl")
            one = annotate(source, work / "one.jsonl", 1)
            ratio = ftfy_cpu / one.cpu_seconds
            mark = goal(f"annotate 1 worker / ftfy over records, CPU time ({label})", ratio,
                        ONE_WORKER_GOAL)
            print(f"{label:18} ftfy.fix_text + JSON {text_bytes / MB / ftfy_seconds:5.2f} MB/s; "
                  f"annotate, 1 worker {text_bytes / MB / one.seconds:5.2f} MB/s "
                  f"({one.seconds:.1f} s, peak RSS {one.peak_mb:.0f} MB) = "
                  f"{ftfy_seconds / one.seconds:.2f}x ftfy; in CPU time {ratio:.2f}x "
                  f"(goal >= {ONE_WORKER_GOAL:g}x) {mark}", flush=True)

        two = annotate(sample, work / "two.jsonl", 2)
        same = (work / "one.jsonl").read_bytes() == (work / "two.jsonl").read_bytes()
        mark = goal("annotate 2 workers / 1 worker", one.seconds / two.seconds, SCALING_GOAL)
        print(f"{'':18} annotate, 2 workers {sample_bytes / MB / two.seconds:5.2f} MB/s "
              f"({two.seconds:.1f} s) = {one.seconds / two.seconds:.2f}x 1 worker "
              f"(goal >= {SCALING_GOAL:g}x) {mark}; CPU seconds {one.cpu_seconds:.1f} with 1 "
              f"worker, {two.cpu_seconds:.1f} with 2 (on 2 idle cores at most "
              f"{2 * one.cpu_seconds / two.cpu_seconds:.2f}x); identical output: {same}",
              flush=True)

        large = work / "large.jsonl"
        write_corpus(large, options.memory_mb)
        big = annotate(large, work / "large.out.jsonl", 2, options.limit)
        large.unlink()
        for size, run in ((sample.stat().st_size / MB, two), (options.memory_mb, big)):
            mark = goal(f"peak RSS, annotate 2 workers, {size:.0f} MB", run.peak_mb,
                        MEMORY_GOAL, unit=" MB", most=True)
            stopped = (f"stopped at the {options.limit:g} s limit with {run.done:.0%} of the "
                       "records written, so the peak may be higher"
                       if run.done < 1 else f"{run.seconds:.1f} s")
            print(f"memory, {size:5.0f} MB of records: peak RSS {run.peak_mb:5.0f} MB of the "
                  f"process tree, PSS {run.peak_pss_mb:.0f} MB (2 workers, every default rule, "
                  f"{stopped}; goal <= {MEMORY_GOAL:g} MB) {mark}", flush=True)
        # A run stopped early says nothing about the end of its input: not judged.
        flat = big.peak_mb / two.peak_mb
        mark = goal("peak RSS, largest / smallest input", flat if big.done == 1 else None,
                    MEMORY_FLAT_GOAL, most=True, note="" if big.done == 1 else "stopped early")
        print(f"memory, largest / smallest: {flat:.2f}x (goal <= {MEMORY_FLAT_GOAL:g}x) {mark}"
              + ("" if big.done == 1 else ", not judged: the large run was stopped early"))

        if options.no_ray:
            return
        try:
            import ray
        except ImportError:
            print("ray: not installed (make install-dev installs it)")
            return
        started = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        start = time.perf_counter() - started
        # Cold workers on both sides: the local engine starts its pool in each run, and Ray's
        # workers are new to these records' words.
        on_ray = time_in_process(sample, work / "ray.jsonl", "ray")
        local = time_in_process(sample, work / "local.jsonl", "local")
        started = time.perf_counter()
        ray.shutdown()
        stop = time.perf_counter() - started
        same = (work / "ray.jsonl").read_bytes() == (work / "one.jsonl").read_bytes()
        mark = goal("Ray local cluster / local engine speed", local / on_ray, RAY_GOAL)
        print(f"ray, 2 CPUs: {sample_bytes / MB / on_ray:.2f} MB/s ({on_ray:.1f} s) against "
              f"{local:.1f} s for the local engine with 2 workers = {local / on_ray:.2f}x its "
              f"speed (goal >= {RAY_GOAL:g}x) {mark}; cluster start {start:.1f} s and stop "
              f"{stop:.1f} s not included; identical output: {same}")


if __name__ == "__main__":
    main()
