"""A corpus run's memory does not grow with its input: `cleanup annotate` with 2 workers over 8
times the records peaks at most 15% higher (resident memory of the whole process tree, read from
/proc; repeated runs differ by about 2%), because the pool keeps a bounded number of batches in
flight and every cache is bounded. Keeping 20 KB a record anywhere fails it; a few hundred bytes
a record would need inputs too large for a test (`benchmarks/bench_corpus.py` runs 200 MB).

The records are real machine translation (``fixtures/mt-ru-en``: Russian sources with their
English output, which still holds Cyrillic fragments), repeated with new ids.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mt-ru-en" / "sentences.tsv"

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(),
                                reason="reads resident memory from Linux's /proc")


def _texts() -> list[str]:
    with open(FIXTURE, encoding="utf-8", newline="") as rows:
        return [text for row in csv.DictReader(rows, delimiter="\t")
                for text in (row["source_ru"], row["mt_en"])]


def _write_records(path: Path, repeats: int) -> None:
    texts = _texts()
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(json.dumps({"id": f"{number}#{repeat}", "text": text},
                                  ensure_ascii=False) + "\n"
                       for repeat in range(repeats) for number, text in enumerate(texts))


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {root}
    while grown := {pid for pid, parent in parents.items() if parent in tree} - tree:
        tree |= grown
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def _peak_rss(source: Path, output: Path) -> int:
    """Peak resident bytes of `cleanup annotate` with 2 workers over ``source``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cleanup", "annotate", str(source), str(output), "--workers", "2",
         "--batch-size", "20", "--isolated"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=source.parent)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    assert process.returncode in (0, 1), process.stderr.read() if process.stderr else ""
    return peak


def test_peak_memory_of_a_corpus_run_is_flat_in_its_input_size(tmp_path: Path) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    _write_records(small, 1)
    _write_records(large, 8)
    small_peak = _peak_rss(small, tmp_path / "small.out.jsonl")
    large_peak = _peak_rss(large, tmp_path / "large.out.jsonl")
    lines = (tmp_path / "large.out.jsonl").read_text(encoding="utf-8").count("\n")
    assert lines == 8 * len(_texts())
    assert large_peak <= 1.15 * small_peak, (small_peak / 1e6, large_peak / 1e6)
