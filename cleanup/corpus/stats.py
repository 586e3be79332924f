"""Counts of a corpus run: what a shard, a batch or a whole run read, rejected and found.

Every count adds, so the stats of shards merge by summing (``Stats.merge``): a run over a
thousand shards on a cluster and the same run on one machine report the same numbers, and
``--stats`` files written by separate runs can be combined afterwards the same way.

>>> a = Stats(records=2, findings_by_rule={"CU101": 1})
>>> b = Stats(records=3, errors=1, findings_by_rule={"CU101": 2, "CU404": 1})
>>> merged = a.merge(b)
>>> merged.records, merged.errors, merged.findings_by_rule
(5, 1, {'CU101': 3, 'CU404': 1})
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cleanup.rules import RULES

#: The fields that add when stats merge, in the order the summary shows them.
COUNTS = ("files", "records", "annotated", "errors", "dropped", "bytes", "records_affected",
          "findings")

#: Shown only by runs with ``--drop-if`` (or when not 0), so that the summary and ``--stats``
#: of other runs stay as they were.
DROP_COUNTS = ("dropped",)


@dataclass
class Stats:
    """What a run (or one shard, or one batch of it) read, rejected and found.

    ``records`` counts every non-blank input line or row; ``annotated`` those that were
    annotated, ``errors`` those that went to the errors file instead; ``dropped`` the annotated
    records that ``--drop-if`` sent to the exclusion file instead of the output. ``bytes``
    is the uncompressed input read: the lines of JSON Lines, the UTF-8 text of the annotated
    column of Parquet.
    ``seconds`` is wall time; it adds too, so merged shards report their total time.
    """

    files: int = 0
    records: int = 0
    annotated: int = 0
    errors: int = 0
    dropped: int = 0
    bytes: int = 0
    records_affected: int = 0
    findings: int = 0
    findings_by_rule: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add_findings(self, rules: Iterable[str]) -> None:
        """Count one annotated record's findings, given as their rule codes."""
        self.annotated += 1
        found = 0
        for rule in rules:
            self.findings_by_rule[rule] = self.findings_by_rule.get(rule, 0) + 1
            found += 1
        self.findings += found
        self.records_affected += 1 if found else 0

    def merge(self, other: Stats) -> Stats:
        """The sum of two stats; neither is changed."""
        merged = Stats(**{name: getattr(self, name) + getattr(other, name) for name in COUNTS})
        merged.seconds = self.seconds + other.seconds
        rules = dict(self.findings_by_rule)
        for rule, count in other.findings_by_rule.items():
            rules[rule] = rules.get(rule, 0) + count
        merged.findings_by_rule = dict(sorted(rules.items()))
        return merged

    def to_dict(self, *, with_dropped: bool = False) -> dict[str, Any]:
        """The JSON object of ``--stats``: counts, findings per rule, seconds. ``dropped``
        appears when it is not 0 or ``with_dropped`` asks for it (a run with ``--drop-if``)."""
        out: dict[str, Any] = {name: getattr(self, name) for name in COUNTS
                               if name not in DROP_COUNTS or with_dropped or getattr(self, name)}
        out["findings_by_rule"] = dict(sorted(self.findings_by_rule.items()))
        out["seconds"] = round(self.seconds, 3)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Stats:
        """Read back what `to_dict` wrote (unknown keys are ignored, for older files)."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def merge_stats(parts: Iterable[Stats]) -> Stats:
    """Sum any number of stats, e.g. the ``--stats`` files of several shard runs.

    >>> merge_stats([Stats(records=1), Stats(records=2)]).records
    3
    """
    total = Stats()
    for part in parts:
        total = total.merge(part)
    return total


def human_bytes(count: float) -> str:
    """``1536`` -> ``'1.5 KB'``: sizes for people, powers of 1000 like download tools.

    >>> human_bytes(2_500_000)
    '2.5 MB'
    """
    for unit in ("B", "KB", "MB", "GB"):
        if abs(count) < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


def render_table(stats: Stats, *, title: str, notes: Iterable[str] = (),
                 with_dropped: bool = False) -> str:
    """The end-of-run table: records, bytes, findings per rule, records affected, time
    (and records dropped, ``with_dropped`` or when there are any).

    >>> print(render_table(Stats(files=1, records=2, annotated=2, bytes=10, seconds=1.0),
    ...                    title="done"))  # doctest: +NORMALIZE_WHITESPACE
    done
      files                 1
      records               2
      annotated             2
      errors                0
      bytes                10  (10 B, 10 B/s)
      records affected      0
      findings              0
      time              1.0 s  (2 records/s)
    """
    seconds = max(stats.seconds, 1e-9)
    rows: list[tuple[str, str, str]] = [
        ("files", f"{stats.files:,}", ""),
        ("records", f"{stats.records:,}", ""),
        ("annotated", f"{stats.annotated:,}", ""),
        ("errors", f"{stats.errors:,}", ""),
        *([("dropped", f"{stats.dropped:,}", "")] if with_dropped or stats.dropped else []),
        ("bytes", f"{stats.bytes:,}",
         f"({human_bytes(stats.bytes)}, {human_bytes(stats.bytes / seconds)}/s)"),
        ("records affected", f"{stats.records_affected:,}", ""),
        ("findings", f"{stats.findings:,}", ""),
    ]
    for rule, count in sorted(stats.findings_by_rule.items()):
        name = RULES[rule].name if rule in RULES else ""
        rows.append((f"  {rule}", f"{count:,}", name))
    rows.append(("time", f"{stats.seconds:.1f} s",
                 f"({stats.records / seconds:,.0f} records/s)"))
    width = max(len(value) for _, value, _ in rows)
    lines = [title]
    for label, value, note in rows:
        lines.append(f"  {label:<16}{value:>{width + 2}}  {note}".rstrip())
    lines.extend(f"  {note}" for note in notes)
    return "\n".join(lines)
