"""Goals of the benchmarks: each script marks its figures PASS or FAIL; `make bench` lists them all.

Why: a figure without its goal invites reading it generously. A script calls `goal(...)` for
every figure that has one: it returns the PASS/FAIL mark to print beside the figure and, when
``CLEANUP_BENCH_GOALS`` names a file (as `make bench` does), appends the goal to it as a JSON
line. ``python benchmarks/goals.py FILE`` prints the table of every goal of the run.

>>> goal("check / ftfy.fix_text, en", 3.4, 3.0, unit="x")
'PASS'
>>> goal("start-up over python -c pass", 0.31, 0.25, unit="s", most=True)
'FAIL'
"""

from __future__ import annotations

import json
import os
import sys


def goal(name: str, value: float | None, target: float, *, unit: str = "x",
         most: bool = False, note: str = "") -> str:
    """'PASS' when ``value`` reaches ``target`` (at least, or at most with ``most``), else
    'FAIL'; a missing value (a run that timed out) fails."""
    passed = value is not None and (value <= target if most else value >= target)
    path = os.environ.get("CLEANUP_BENCH_GOALS")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"name": name, "value": value, "target": target, "unit": unit,
                                  "most": most, "passed": passed, "note": note}) + "\n")
    return "PASS" if passed else "FAIL"


def summary(path: str) -> str:
    """The goals recorded in ``path`` as a table, failures included, and the count."""
    with open(path, encoding="utf-8") as lines:
        goals = [json.loads(line) for line in lines if line.strip()]
    rows = []
    for item in goals:
        value = "—" if item["value"] is None else f"{item['value']:.2f}{item['unit']}"
        target = f"{'<=' if item['most'] else '>='} {item['target']:g}{item['unit']}"
        note = f"  ({item['note']})" if item["note"] else ""
        rows.append(f"  {'PASS' if item['passed'] else 'FAIL'}  {item['name']:<58} {value:>10}"
                    f"  goal {target}{note}")
    held = sum(item["passed"] for item in goals)
    return "\n".join([f"goals of this run: {held} of {len(goals)} hold", *rows])


if __name__ == "__main__":
    print(summary(sys.argv[1]))
