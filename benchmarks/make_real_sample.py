"""Regenerate `benchmarks/data/mlqe-pe-sample.jsonl.gz` from the MLQE-PE segments in ../shared.

Why a committed sample: the benchmarks must run in a fresh clone, on real text nobody here
wrote, in every language cleanup meets. The sample is documents as
``../shared/tools/real_text.py`` builds them (8 consecutive sentences of one pair, split and
role, joined by a space), drawn at random (seeded) from every pair of each language until a
byte budget is reached: English (original and MT) 1.2 MB spread evenly over its seven sources,
each other language 300 KB. The same source and seed give the same bytes (gzip without a
timestamp), so a diff of the sample is a diff of the method.

    .venv/bin/python benchmarks/make_real_sample.py [--source PATH] [--output PATH]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "external" / "mlqe-pe" / "segments.jsonl.gz"
OUTPUT = HERE / "data" / "mlqe-pe-sample.jsonl.gz"
SEED = "mlqe-pe-sample-1"
SENTENCES_PER_DOCUMENT = 8
#: UTF-8 bytes of text per language; English's budget is shared evenly by its sources.
BUDGET = {"en": 1_200_000}
DEFAULT_BUDGET = 300_000


def read_documents(source: Path) -> dict[tuple[str, str, str], list[dict[str, object]]]:
    """Documents per (lang, role, pair), in file order, built as ``real_text.py`` builds them.

    A document is up to 8 consecutive sentences of one language that share pair, split and
    role; it ends early where those change.
    """
    sentences: dict[str, list[dict[str, str]]] = defaultdict(list)
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            sentences[record["lang"]].append(record)
    groups: dict[tuple[str, str, str], list[dict[str, object]]] = defaultdict(list)
    for lang, records in sentences.items():
        current: list[dict[str, str]] = []
        for record in records + [{"id": "end/end/0/end", "role": "end", "text": ""}]:
            pair, split, row, role = record["id"].split("/")
            if current and ((pair, split, role) != tuple(current[0]["key"].split("/"))
                            or len(current) == SENTENCES_PER_DOCUMENT):
                first_pair, first_split, first_role = current[0]["key"].split("/")
                groups[(lang, first_role, first_pair)].append({
                    "id": f"{first_pair}/{first_split}/{current[0]['row']}-{current[-1]['row']}"
                          f"/{first_role}",
                    "lang": lang,
                    "role": first_role,
                    "sentences": len(current),
                    "text": " ".join(item["text"] for item in current),
                })
                current = []
            current.append({"key": f"{pair}/{split}/{role}", "row": row, "text": record["text"]})
    return groups


def sample(groups: dict[tuple[str, str, str], list[dict[str, object]]]) -> list[dict[str, object]]:
    """A seeded draw of whole documents per (lang, role, pair) up to each language's budget."""
    rng = random.Random(SEED)
    sources_per_lang: dict[str, int] = defaultdict(int)
    for lang, _, _ in groups:
        sources_per_lang[lang] += 1
    chosen: list[dict[str, object]] = []
    for key in sorted(groups):
        lang = key[0]
        budget = BUDGET.get(lang, DEFAULT_BUDGET) // sources_per_lang[lang]
        order = list(range(len(groups[key])))
        rng.shuffle(order)
        picked, size = [], 0
        for index in order:
            if size >= budget:
                break
            picked.append(index)
            size += len(str(groups[key][index]["text"]).encode("utf-8"))
        chosen.extend(groups[key][index] for index in sorted(picked))
    return chosen


def write(documents: list[dict[str, object]], output: Path) -> None:
    """JSON Lines, gzip without a timestamp or a file name: the same input, the same bytes."""
    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        for document in documents:
            out.write((json.dumps(document, ensure_ascii=False) + "\n").encode("utf-8"))
    output.write_bytes(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    digest = hashlib.sha256(options.source.read_bytes()).hexdigest()
    documents = sample(read_documents(options.source))
    write(documents, options.output)
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for document in documents:
        per_lang[str(document["lang"])][0] += 1
        per_lang[str(document["lang"])][1] += len(str(document["text"]).encode("utf-8"))
    print(f"source {options.source} (sha256 {digest})")
    for lang, (count, size) in sorted(per_lang.items()):
        print(f"  {lang}: {count:5d} documents, {size / 1e6:.2f} MB")
    print(f"wrote {options.output}: {options.output.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
