"""How much of what translate-toolkit's `pofilter` finds, cleanup's `translation` checks find.

Why: pofilter is the reference checker of translation files. For its tests that catch damage a
program or reader meets (printf, pythonbraceformat, urls, emails, numbers, startwhitespace,
endwhitespace, newlines, escapes), cleanup must find at least 90% of the entries pofilter
fails, with the rule that answers that test. It also prints, per rule, the translation findings
pofilter does not make (read them: they are cleanup's own, not a score).

Catalogs: ``../shared/real/drf-locale`` when it is there, else the catalogs committed in
``benchmarks/data/drf-locale`` (BSD-3-Clause, see its README); other folders can be named:

    .venv/bin/python benchmarks/bench_pofilter.py               # drf-locale
    .venv/bin/python benchmarks/bench_pofilter.py path/to/locale another/folder

pofilter runs once as its command (translate-toolkit, in the `test` extra) with those tests.

"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "real" / "drf-locale"
COMMITTED = HERE / "data" / "drf-locale"

#: pofilter test -> the cleanup rules that answer it.
TESTS = {
    "printf": {"CU803"},
    "pythonbraceformat": {"CU804"},
    "urls": {"CU807"},
    "emails": {"CU807"},
    "numbers": {"CU806"},
    "startwhitespace": {"CU808"},
    "endwhitespace": {"CU808"},
    "newlines": {"CU808", "CU809"},
    "escapes": {"CU810"},
}
REQUIRED_COVERAGE = 0.90


def _pofilter() -> str | None:
    found = shutil.which("pofilter") or (Path(sys.executable).parent / "pofilter")
    return str(found) if found and Path(found).exists() else None


def _name(catalog: Path, catalogs: list[Path]) -> str:
    """A catalog's name in the report: its file name, numbered when names repeat
    (``locale/*/LC_MESSAGES/django.po``)."""
    if sum(1 for other in catalogs if other.name == catalog.name) == 1:
        return catalog.name
    return f"{catalogs.index(catalog):03d}-{catalog.name}"


def pofilter_failures(catalogs: list[Path], command: str) -> dict[str, set[tuple[str, str]]]:
    """test -> (catalog name, message id) of each entry pofilter fails it on (one run)."""
    from translate.storage import pypo

    failing: dict[str, set[tuple[str, str]]] = {test: set() for test in TESTS}
    with tempfile.TemporaryDirectory() as folder:
        inputs, outputs = Path(folder) / "in", Path(folder) / "out"
        inputs.mkdir()
        for catalog in catalogs:
            shutil.copyfile(catalog, inputs / _name(catalog, catalogs))
        tests = [option for test in TESTS for option in ("-t", test)]
        subprocess.run([command, "--progress=none", *tests, str(inputs), str(outputs)],
                       check=True, capture_output=True)
        for out in sorted(outputs.glob("*.po")):
            for unit in pypo.pofile.parsefile(str(out)).units:
                if unit.isheader() or unit.isobsolete():  # dead entries are no segments
                    continue
                source = unit.source.strings[0] if unit.hasplural() else unit.source
                context = unit.getcontext()
                key = str(source) if not context else f"{context}\x04{source}"
                notes = unit.getnotes()
                for test in TESTS:
                    if f"(pofilter) {test}:" in notes:
                        failing[test].add((out.name, key))
    return failing


def cleanup_findings(catalogs: list[Path]) -> dict[tuple[str, str], set[str]]:
    """(catalog name, message id) -> the translation rules cleanup reports on that entry."""
    from cleanup.config import Config
    from cleanup.engine import check_document
    from cleanup.files import decode_document

    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for catalog in catalogs:
        name = _name(catalog, catalogs)
        document = decode_document(catalog.read_bytes(), str(catalog))
        for finding in check_document(document, Config()):
            if finding.kind == "translation":
                segment = finding.data["segment"]
                message = segment.rsplit("[", 1)[0] if segment.endswith("]") else segment
                found[(name, message)].add(finding.rule)
    return found


def main(folders: list[str]) -> int:
    if folders:
        roots = [Path(folder) for folder in folders]
    elif SHARED.is_dir():
        roots = [SHARED]
    elif COMMITTED.is_dir():
        roots = [COMMITTED]
    else:
        print("skipped: no catalogs (../shared/real/drf-locale or benchmarks/data/drf-locale)")
        return 0
    command = _pofilter()
    if command is None:
        print("skipped: pofilter is not installed (pip install translate-toolkit)")
        return 0
    catalogs = sorted(p for root in roots for p in root.rglob("*.po"))
    print(f"{len(catalogs)} catalogs under {', '.join(map(str, roots))}")
    ours = cleanup_findings(catalogs)
    total = covered = 0
    flagged_by_pofilter: set[tuple[str, str]] = set()
    print(f"{'pofilter test':<18} {'entries':>7} {'covered':>7}")
    failures = pofilter_failures(catalogs, command)
    for test, rules in TESTS.items():
        failing = failures[test]
        flagged_by_pofilter |= failing
        hit = sum(1 for entry in failing if ours.get(entry, set()) & rules)
        total += len(failing)
        covered += hit
        print(f"{test:<18} {len(failing):>7} {hit:>7}")
        for entry in sorted(failing):
            if not ours.get(entry, set()) & rules:
                print(f"    missed: {entry[0]}: {entry[1][:70]!r}")
    coverage = covered / total if total else 1.0
    print(f"{'all':<18} {total:>7} {covered:>7}   coverage {coverage:.1%} "
          f"(required {REQUIRED_COVERAGE:.0%})")
    own = Counter(rule for entry, rules in ours.items() if entry not in flagged_by_pofilter
                  for rule in rules)
    if own:
        print("cleanup translation findings on entries pofilter passes: "
              + ", ".join(f"{rule} {count}" for rule, count in sorted(own.items())))
    return 0 if coverage >= REQUIRED_COVERAGE else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
