"""A bounded sample of a corpus run's findings, per rule, for the HTML report (``--report``).

The report shows, for each rule, its first `SAMPLES_PER_RULE` findings in input order, each
with the text around it. They are taken from the annotated batches as the writer receives them,
so both engines give the same sample and memory holds at most that many per rule, whatever the
corpus's size. A batch is parsed only when its counts (``stats.findings_by_rule``) show a rule
that still wants samples; each parse adds at least one, so at most rules x samples batches are
ever parsed, and a run of millions of records pays nothing after the first few. Records that
``--drop-if`` dropped are sampled too, from the exclusion file's lines: they are often what a
reader of the report most wants to see.

A finding is shown in the text its offsets point into, the original: with ``--replace-field``
that is the field ``--keep-original-as`` names, and without it only the flagged text is shown.
A compact annotation has no message: the rule's name stands in for it.

>>> from cleanup.corpus.io import BatchResult, Shard
>>> from cleanup.corpus.stats import Stats
>>> from cleanup.corpus.work import Task
>>> from pathlib import Path
>>> out = b'{"text": "a , b", "cleanup": {"findings": [{"kind": "punctuation", "rule": "CU404", '
>>> out += b'"start": 1, "end": 2, "text": " ", "message": "m", "replacement": "", "safe": true, '
>>> out += b'"severity": "info"}]}}\\n'
>>> samples = CorpusSamples(Task())
>>> shard = Shard(0, Path("in.jsonl"), Path("out.jsonl"), "jsonl", "jsonl")
>>> samples.add(BatchResult(0, out, b"", Stats(findings_by_rule={"CU404": 1})), shard)
>>> [(s.rule, s.record, s.before, s.text, s.after) for s in samples.by_rule["CU404"]]
[('CU404', 1, 'a', ' ', ', b')]
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cleanup.corpus.io import BatchResult, Shard
from cleanup.corpus.work import Task
from cleanup.rules import RULES

#: Findings kept per rule.
SAMPLES_PER_RULE = 20

#: Characters of text kept on each side of a sampled finding.
CONTEXT_CHARS = 80


@dataclass(frozen=True)
class Sample:
    """One finding of a corpus run with the text around it and where its record is.

    ``record`` is the record's 1-based line (JSON Lines) or row (Parquet) in the output file
    ``output``, or for a ``dropped`` record its line in ``source`` (the exclusion file holds
    it under that line); ``record_id`` is its ``--id-field`` value, when the run names one.
    """

    rule: str
    kind: str
    severity: str
    message: str
    before: str
    text: str
    after: str
    replacement: str | None
    safe: bool
    source: str
    output: str
    record: int
    record_id: str | None = None
    dropped: bool = False

    @property
    def cut_before(self) -> bool:
        """Whether the record's text goes on before ``before`` (shown as `…`)."""
        return len(self.before) == CONTEXT_CHARS

    @property
    def cut_after(self) -> bool:
        """Whether the record's text goes on after ``after``."""
        return len(self.after) == CONTEXT_CHARS


@dataclass
class CorpusSamples:
    """The first `SAMPLES_PER_RULE` findings of each rule, collected batch by batch."""

    task: Task
    per_rule: int = SAMPLES_PER_RULE
    by_rule: dict[str, list[Sample]] = field(default_factory=dict)
    _written: dict[int, int] = field(default_factory=dict)  # shard -> records written so far

    def _wants(self, rule: str) -> bool:
        return len(self.by_rule.get(rule, ())) < self.per_rule

    def skip(self, shard: Shard, written: int) -> None:
        """Records a stopped run already wrote to ``shard``'s output, before this run goes on."""
        self._written[shard.index] = written

    def add(self, result: BatchResult, shard: Shard) -> None:
        """Take what is still wanted from one batch's annotated records (in input order)."""
        first = self._written.get(result.shard, 0)
        self._written[result.shard] = first + _record_count(result.output)
        if not any(self._wants(rule) for rule in result.stats.findings_by_rule):
            return
        for offset, (record, annotation) in enumerate(self._records(result.output)):
            self._take(record, annotation, shard, str(shard.output), first + offset + 1)
        for line in result.dropped.splitlines():
            entry = json.loads(line)
            record = entry["record"]
            annotation = record.get(self.task.output_field)
            if isinstance(annotation, dict):  # the findings that dropped it, in full
                full = {(f["rule"], f["start"], f["end"]): f for f in entry["findings"]}
                annotation = {"findings": [full.get((f["rule"], f["start"], f["end"]), f)
                                           for f in annotation.get("findings") or ()]}
            self._take(record, annotation, shard, str(shard.source), entry["line"],
                       dropped=True)

    def _take(self, record: dict[str, Any], annotation: Any, shard: Shard, output: str,
              number: int, *, dropped: bool = False) -> None:
        text = self._original(record)
        if not isinstance(annotation, dict):
            return
        record_id = record.get(self.task.id_field) if self.task.id_field else None
        for found in annotation.get("findings") or ():
            rule = found["rule"]
            if not self._wants(rule):
                continue
            start, end = found["start"], found["end"]
            if text is None:  # the original is gone: only the flagged text, if known
                before, flagged, after = "", found.get("text", ""), ""
            else:
                before = text[max(0, start - CONTEXT_CHARS):start]
                flagged, after = text[start:end], text[end:end + CONTEXT_CHARS]
            facts = RULES.get(rule)
            config_severity = (self.task.config.severity.get(rule)
                               if self.task.config is not None else None)
            self.by_rule.setdefault(rule, []).append(Sample(
                rule, found.get("kind") or (facts.kind if facts else ""),
                found.get("severity") or config_severity or (facts.severity if facts else ""),
                found.get("message") or (facts.name if facts else rule),
                before, flagged, after, found.get("replacement"),
                bool(found.get("safe", facts is not None and facts.fix == "safe")),
                str(shard.source), output, number,
                None if record_id is None else str(record_id), dropped))

    def _original(self, record: dict[str, Any]) -> str | None:
        """The text the findings' offsets point into, when the record still holds it."""
        name = self.task.field
        if self.task.replace_field:
            if self.task.keep_original_as is None:
                return None
            name = self.task.keep_original_as
        text = record.get(name)
        return text if isinstance(text, str) else None

    def _records(self, output: Any) -> Iterator[tuple[dict[str, Any], Any]]:
        """(record, its annotation) of each output record of a batch."""
        if isinstance(output, bytes | bytearray):
            for line in bytes(output).split(b"\n"):
                if not line:
                    continue
                record = json.loads(line)
                yield record, record.get(self.task.output_field)
            return
        columns = [name for name in (self.task.field, self.task.keep_original_as,
                                     self.task.id_field) if name]
        names = output.schema.names
        values = {name: output.column(names.index(name)).to_pylist()
                  for name in columns if name in names}
        annotations = output.column(names.index(self.task.output_field)).to_pylist()
        for row, annotation in enumerate(annotations):
            yield {name: column[row] for name, column in values.items()}, annotation

    @property
    def count(self) -> int:
        return sum(len(samples) for samples in self.by_rule.values())


def _record_count(output: Any) -> int:
    if isinstance(output, bytes | bytearray):
        return bytes(output).count(b"\n")
    return int(output.num_rows)


__all__ = ["CONTEXT_CHARS", "SAMPLES_PER_RULE", "CorpusSamples", "Sample"]
