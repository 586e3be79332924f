"""The names pass over a large generated corpus: throughput, peak memory, and what it flags.

Why: name detection runs inside every `cleanup.check`, and `cleanup.check_corpus` keeps name
statistics across millions of texts, so it must be cheap on clean text and its memory must grow
with the number of distinct names, not with the input. Each size runs in a fresh subprocess that
streams the seeded corpus of `benchmarks/corpus.py` in chunks (never holding it whole) through
both scopes of the names pass (each text's own check, and `CorpusNames` over all texts) and
reports its peak RSS (`resource.getrusage`). A baseline subprocess streams the same corpus
without the names pass: the difference is what the pass costs in memory.

    .venv/bin/python benchmarks/bench_names.py            # 2,000 and 8,000 documents
    .venv/bin/python benchmarks/bench_names.py 500 2000   # other sizes
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHUNK = 250  # documents generated at a time: the corpus is never held whole


def _chunks(documents: int) -> object:
    sys.path.insert(0, str(HERE))
    from corpus import build_corpus, damage_labels

    for number, first in enumerate(range(0, documents, CHUNK)):
        size = min(CHUNK, documents - first)
        yield (build_corpus(seed=number, documents=size),
               damage_labels(seed=number, documents=size))


def measure(documents: int, names: bool) -> dict[str, float]:
    """Stream ``documents`` texts, through the names pass if ``names``; runs in a subprocess."""
    from cleanup.config import Config
    from cleanup.detect import Context
    from cleanup.detect.names import CorpusNames, find_name_variants

    config = Config()
    corpus = CorpusNames(config)
    seconds = 0.0
    size = 0
    own = 0
    labelled: set[int] = set()
    index = 0
    for texts, labels in _chunks(documents):  # type: ignore[attr-defined]
        for text, label in zip(texts, labels, strict=True):
            size += len(text.encode("utf-8"))
            if label == "name_variant":
                labelled.add(index)
            if names:
                started = time.perf_counter()
                own += sum(1 for _ in find_name_variants(text, Context(text, config)))
                corpus.add(index, text)
                seconds += time.perf_counter() - started
            index += 1
    started = time.perf_counter()
    flagged = {doc for doc, _ in corpus.findings()} if names else set()
    seconds += time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    hits = len(flagged & labelled)
    return {"documents": documents, "mb": size / 1e6, "seconds": seconds, "peak_mb": peak,
            "own_findings": own, "flagged_docs": len(flagged), "labelled_docs": len(labelled),
            "precision": hits / len(flagged) if flagged else 1.0,
            "recall": hits / len(labelled) if labelled else 1.0}


def run(documents: int, names: bool) -> dict[str, float]:
    code = (f"import json, sys; sys.path.insert(0, {str(HERE)!r}); import bench_names; "
            f"print(json.dumps(bench_names.measure({documents}, {names})))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=HERE.parent)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [2000, 8000]
    print(f"{'documents':>9} {'MB':>7} {'MB/s':>7} {'peak RSS':>9} {'baseline':>9} "
          f"{'names':>7} {'flagged':>8} {'P':>5} {'R':>5}")
    for documents in sizes:
        base = run(documents, names=False)
        result = run(documents, names=True)
        print(f"{documents:9d} {result['mb']:7.2f} {result['mb'] / result['seconds']:7.2f} "
              f"{result['peak_mb']:7.1f}MB {base['peak_mb']:7.1f}MB "
              f"{result['peak_mb'] - base['peak_mb']:5.1f}MB {int(result['flagged_docs']):8d} "
              f"{result['precision']:5.2f} {result['recall']:5.2f}")
    print("MB/s: the names pass alone (each text's check and the corpus statistics); names: "
          "peak RSS above the baseline that streams the corpus without it. P/R: documents the "
          "corpus scope flags against documents given a name variant.")


if __name__ == "__main__":
    main()
