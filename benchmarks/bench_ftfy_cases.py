"""cleanup's mojibake repair against ftfy.fix_encoding on ftfy's own real-world test cases.

The cases (`tests/test_cases.json` of the ftfy 6.3.1 sdist: tweets, web pages, subtitles that
really were garbled) are fetched on first run with `pip download` into `benchmarks/.cache/`,
never into the repository. A case counts as repaired when
`cleanup.fix(text, select={"mojibake"}).text` equals its `fixed-encoding` text (else `fixed`)
or its `fixed` text; ftfy.fix_encoding is scored the same way. On the cases where nothing may
change (`fixed-encoding` is the original), we count those where cleanup reports nothing, or
reports and repairs it exactly as ftfy's own full fix does (`fixed`), and those where
ftfy.fix_encoding leaves the text alone.

Run from the project root:  .venv/bin/python benchmarks/bench_ftfy_cases.py [--errors]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import ftfy

import cleanup

FTFY_VERSION = "6.3.1"
CACHE = Path(__file__).resolve().parent / ".cache"
CASES_MEMBER = f"ftfy-{FTFY_VERSION}/tests/test_cases.json"


def load_cases() -> list[dict[str, Any]]:
    """ftfy's test cases, downloaded once with pip into the gitignored cache."""
    cases_file = CACHE / CASES_MEMBER
    if not cases_file.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        sdist = CACHE / f"ftfy-{FTFY_VERSION}.tar.gz"
        if not sdist.exists():
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
                 "--no-deps", f"ftfy=={FTFY_VERSION}", "-d", str(CACHE)],
                check=True,
            )
        with tarfile.open(sdist) as archive:
            archive.extract(CASES_MEMBER, CACHE, filter="data")
    cases: list[dict[str, Any]] = json.loads(cases_file.read_text(encoding="utf-8"))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="list the cases cleanup gets wrong")
    args = parser.parse_args()

    cases = load_cases()
    ours = theirs = 0
    clean_total = clean_silent = clean_repaired_as_ftfy = clean_untouched_by_ftfy = 0
    errors: list[str] = []
    for case in cases:
        original = case["original"]
        expected = case.get("fixed-encoding", case["fixed"])
        accepted = {expected, case["fixed"]}
        got = cleanup.fix(original, select={"mojibake"}).text
        ours += got in accepted
        theirs += ftfy.fix_encoding(original) in accepted
        if got not in accepted:
            errors.append(f"{case['label']}: {original!r} -> {got!r}, expected {expected!r}")
        if expected == original:
            clean_total += 1
            reported = bool(cleanup.check(original, select={"mojibake"}))
            clean_silent += not reported
            # `10Î&frac14;s` keeps its encoding, but ftfy's own full fix gives `10μs`: a
            # report is right when the repair is the case's `fixed` text.
            clean_repaired_as_ftfy += reported and case["fixed"] != original and \
                got == case["fixed"]
            clean_untouched_by_ftfy += ftfy.fix_encoding(original) == original

    print(f"ftfy {FTFY_VERSION} real-world cases: {len(cases)}")
    print(f"repaired right by cleanup.fix(select={{'mojibake'}}): {ours}")
    print(f"repaired right by ftfy.fix_encoding: {theirs}")
    print(f"ratio cleanup / ftfy: {ours / theirs if theirs else float('inf'):.3f}")
    print(f"cases where nothing may change: {clean_total}")
    print(f"of those, cleanup reports nothing on: {clean_silent}, and repairs "
          f"{clean_repaired_as_ftfy} exactly as ftfy.fix_text does (the case's `fixed` text); "
          f"alarmed wrongly: {clean_total - clean_silent - clean_repaired_as_ftfy}")
    print(f"of those, ftfy.fix_encoding leaves unchanged: {clean_untouched_by_ftfy}")
    if args.errors:
        print("\n".join(errors), file=sys.stderr)


if __name__ == "__main__":
    main()
