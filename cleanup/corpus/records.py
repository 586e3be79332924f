"""How a record of a corpus run's output looks: its annotation's shape, the fixed text in
place of its field, and the exclusion file's line when ``--drop-if`` drops it.

Pure functions over parsed records, shared by every engine through `cleanup.corpus.work`;
this module imports nothing heavy, so the CLI can take its choices from `ANNOTATIONS`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleanup.corpus.work import Task

#: The shapes of the added annotation (``--annotation``): each finding with every fact of the
#: finding contract, or only the edit (what a training pipeline applies or learns from).
ANNOTATIONS = ("full", "compact")

#: The keys of a finding in a compact annotation.
COMPACT_KEYS = ("rule", "start", "end", "replacement")


def shape_record(record: dict[str, Any], annotation: dict[str, Any], task: Task
                 ) -> list[dict[str, Any]]:
    """Give ``record`` its annotation as the run asks for it; return the findings that drop
    it (those of a ``drop_if`` rule; none: it goes to the output).

    The fixed text replaces the field in place (key order kept), the original follows under
    ``keep_original_as``, then the annotation, whose findings keep their offsets into the
    original text. ``fixed`` leaves the annotation when it is the field itself.

    >>> from cleanup.corpus.work import Task
    >>> record = {"text": "a , b", "n": 1}
    >>> task = Task(fix=True, replace_field=True, keep_original_as="raw", annotation="compact")
    >>> found = {"rule": "CU404", "start": 1, "end": 2, "replacement": "", "message": "m"}
    >>> shape_record(record, {"findings": [found], "fixed": "a, b"}, task)
    []
    >>> list(record), record["text"]
    (['text', 'n', 'raw', 'cleanup'], 'a, b')
    >>> record["cleanup"]
    {'findings': [{'rule': 'CU404', 'start': 1, 'end': 2, 'replacement': ''}]}
    """
    findings = annotation["findings"]
    dropping = [f for f in findings if f["rule"] in task.drop_if] if task.drop_if else []
    if task.annotation == "compact":
        annotation = {**annotation,
                      "findings": [{key: f[key] for key in COMPACT_KEYS} for f in findings]}
    if task.replace_field:
        annotation = dict(annotation)
        original, record[task.field] = record[task.field], annotation.pop("fixed")
        if task.keep_original_as:
            record[task.keep_original_as] = original
    record[task.output_field] = annotation
    return dropping


def dropped_line(source: str, line: int, record: dict[str, Any], dropping: list[dict[str, Any]],
             task: Task) -> str:
    """The exclusion file's line for a dropped record: where it was, which rules and findings
    dropped it, and the record as the output would have held it."""
    entry: dict[str, Any] = {"source": source, "line": line}
    if task.id_field and task.id_field in record:
        entry["id"] = record[task.id_field]
    entry["rules"] = sorted({finding["rule"] for finding in dropping})
    entry["findings"] = dropping
    entry["record"] = record
    return json.dumps(entry, ensure_ascii=False) + "\n"


__all__ = ["ANNOTATIONS", "COMPACT_KEYS", "dropped_line", "shape_record"]
