"""The per-batch function every engine runs: parse records, annotate them, serialize them.

A worker process of the local pool and a Ray task call the same `annotate_records`, so the
engines cannot disagree. Malformed input never raises here: a line that is not JSON, a record
that is not an object, a missing or non-string field each become an error record (source file,
1-based line number, reason) instead of an output record. Here too a record takes the shape
the run asks for: the fixed text in place of its field (``replace_field``), a compact
annotation, or the exclusion file instead of the output (``drop_if``), so every engine drops
the same records.

>>> task = Task(field="text")
>>> result = annotate_records(Batch(0, "in.jsonl", "jsonl", 1, b'{"text": "a , b"}\\nnot json\\n'),
...                           task)
>>> result.output.decode().count("CU404"), result.stats.errors
(1, 1)
>>> json.loads(result.errors)["reason"]
'invalid JSON: Expecting value (column 1)'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cleanup.config import Config
from cleanup.corpus.io import Batch, BatchResult
from cleanup.corpus.records import COMPACT_KEYS, dropped_line, shape_record
from cleanup.corpus.stats import Stats
from cleanup.engine import annotate_batch
from cleanup.findings import Finding
from cleanup.rules import select_rules

_MISSING = object()

@dataclass(frozen=True)
class Task:
    """What to do with each record: the options of a run, sent once to every worker.

    ``replace_field`` writes the fixed text in place of ``field`` (``fix`` must be on), the
    original under ``keep_original_as`` if given; a record with a finding of a rule in
    ``drop_if`` (codes) goes to the exclusion file instead of the output; ``annotation`` is
    one of `cleanup.corpus.records.ANNOTATIONS`.
    """

    field: str = "text"
    id_field: str | None = None
    select: tuple[str, ...] | None = None
    config: Config | None = None
    fix: bool = False
    output_field: str = "cleanup"
    source_field: str | None = None  # the source texts of a parallel corpus
    replace_field: bool = False
    keep_original_as: str | None = None
    drop_if: frozenset[str] = frozenset()
    annotation: str = "full"

    def selected_codes(self) -> set[str]:
        """The codes of the rules the run reports: its selection (else the config's) minus
        the config's ``ignore``."""
        config = self.config or Config()
        select = self.select if self.select is not None else config.select
        return {rule.code for rule in select_rules(select, config.ignore)}


def _type_name(value: Any) -> str:
    return {type(None): "null", dict: "an object", list: "an array", bool: "a boolean",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _error(source: str, line: int, reason: str, task: Task, *, raw: str | None = None,
           record: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"source": source, "line": line, "reason": reason}
    if task.id_field and isinstance(record, dict) and task.id_field in record:
        error["id"] = record[task.id_field]
    if raw is not None:
        error["raw"] = raw
    elif record is not None:
        error["record"] = record
    return error


#: A JSON escape of a UTF-16 surrogate (``\\ud800``): the only way a record can carry text
#: that Python reads but UTF-8 cannot write.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _lone_surrogate(record: Any) -> str | None:
    """Why ``record`` cannot be written as UTF-8: the field holding a lone surrogate (an
    escape like ``\\ud800`` without its pair), or None.

    >>> _lone_surrogate(json.loads('{"id": 1, "text": "a \\\\ud800 b"}'))
    "field 'text' holds a lone surrogate (\\\\ud800), which is not a character"
    """
    if not isinstance(record, dict):
        record = {"": record}
    for key, value in record.items():
        stack = [key, value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and (found := LONE_SURROGATE.search(item)):
                where = f"field {key!r}" if key else "the record"
                return (f"{where} holds a lone surrogate (\\u{ord(found[0]):04x}), "
                        "which is not a character")
    return None


def _check_text(record: Any, task: Task) -> str | None:
    """Why ``record`` cannot be annotated, or None when it can."""
    if not isinstance(record, dict):
        return f"the record is {_type_name(record)}, not an object"
    for name in (task.field, task.source_field):
        if name is None:
            continue
        value = record.get(name, _MISSING)
        if value is _MISSING:
            return f"no field {name!r}"
        if not isinstance(value, str):
            return f"field {name!r} is {_type_name(value)}, not a string"
    return None


def annotate_texts(texts: list[str], task: Task, corpus: list[list[Finding]] | None = None,
                   sources: list[str | None] | None = None
                   ) -> tuple[list[Any], list[str | None]]:
    """Annotations for ``texts`` and, per text, why annotating it failed (None: it did not).

    A detector that raises on one text must not stop a run over millions: the batch is
    retried text by text and only the text that raises becomes an error record.
    """
    source_field = "source" if sources is not None else None

    def run(chunk: list[str], found: list[list[Finding]] | None,
            chunk_sources: list[str | None] | None) -> list[Any]:
        columns: dict[str, list[Any]] = {"text": chunk}
        if chunk_sources is not None:
            columns["source"] = chunk_sources
        out = annotate_batch(columns, "text", select=task.select, config=task.config,
                             fix=task.fix, output_field="cleanup", corpus_findings=found,
                             source_field=source_field)
        return list(out["cleanup"])

    try:
        return run(texts, corpus, sources), [None] * len(texts)
    except (ImportError, MemoryError):
        raise  # a broken installation or machine, not a bad text
    except Exception:  # noqa: BLE001 (retried text by text: only the culprit fails)
        annotations: list[Any] = []
        failures: list[str | None] = []
        for position, text in enumerate(texts):
            try:
                annotations.extend(run([text], None if corpus is None else [corpus[position]],
                                       None if sources is None else [sources[position]]))
                failures.append(None)
            except Exception as error:  # noqa: BLE001 (one text must not stop a corpus run)
                annotations.append(None)
                failures.append(f"cleanup raised {type(error).__name__}: {error}")
        return annotations, failures


def _rules_of(annotation: dict[str, Any]) -> Iterable[str]:
    return (finding["rule"] for finding in annotation["findings"])


def annotate_records(batch: Batch, task: Task) -> BatchResult:
    """Annotate one batch; the engines call this and nothing else on records."""
    if batch.fmt == "parquet":
        return _annotate_arrow(batch, task)
    return _annotate_jsonl(batch, task)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _jsonable(record: Any) -> Any:
    """A Parquet row as JSON values: what JSON has no type for becomes its text, NaN too.

    >>> _jsonable({"score": float("nan"), "day": b"x"})
    {'score': 'NaN', 'day': "b'x'"}
    """
    return json.loads(json.dumps(record, default=str), parse_constant=str)


class _NotJSON(ValueError):
    """A value Python's parser accepts but JSON does not have."""


def _not_json(constant: str) -> Any:
    """Reject ``NaN``, ``Infinity`` and ``-Infinity``: Python reads them, but written back
    they would make the output invalid JSON, so such a record goes to the errors file.

    >>> json.loads('{"score": NaN}', parse_constant=_not_json)
    Traceback (most recent call last):
    ...
    cleanup.corpus.work._NotJSON: NaN is not a JSON value
    """
    raise _NotJSON(f"{constant} is not a JSON value")


def parse_jsonl(batch: Batch, task: Task) -> tuple[list[tuple[int, dict[str, Any]]],
                                                   list[dict[str, Any]], int]:
    """The records of a JSON Lines batch that can be annotated, with their line numbers;
    the error records of the others; the number of records (non-blank lines) read."""
    errors: list[dict[str, Any]] = []
    records: list[tuple[int, dict[str, Any]]] = []
    lines = batch.payload.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    count = 0
    for offset, raw in enumerate(lines):
        number = batch.first_line + offset
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        count += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            errors.append(_error(batch.source, number,
                                 f"invalid UTF-8 (byte 0x{raw[error.start]:02x} at column "
                                 f"{error.start + 1})", task,
                                 raw=raw.decode("utf-8", "replace")))
            continue
        try:
            record = json.loads(line, parse_constant=_not_json)
        except json.JSONDecodeError as error:
            errors.append(_error(batch.source, number,
                                 f"invalid JSON: {error.msg} (column {error.colno})", task,
                                 raw=line.rstrip("\r")))
            continue
        except _NotJSON as error:
            errors.append(_error(batch.source, number, f"invalid JSON: {error}", task,
                                 raw=line.rstrip("\r")))
            continue
        if SURROGATE_ESCAPE.search(line) and (reason := _lone_surrogate(record)):
            errors.append(_error(batch.source, number, reason, task, raw=line.rstrip("\r")))
            continue
        reason = _check_text(record, task)
        if reason:
            errors.append(_error(batch.source, number, reason, task, raw=line.rstrip("\r"),
                                 record=record))
            continue
        records.append((number, record))
    return records, errors, count


def _corpus_of(batch: Batch, numbers: list[int]) -> list[list[Finding]] | None:
    if batch.corpus is None:
        return None
    return [batch.corpus.get(number, []) for number in numbers]


def _annotate_jsonl(batch: Batch, task: Task) -> BatchResult:
    parsed, errors, count = parse_jsonl(batch, task)
    stats = Stats(bytes=len(batch.payload), records=count)
    records = [record for _, record in parsed]
    numbers = [number for number, _ in parsed]
    annotations, failures = annotate_texts(
        [r[task.field] for r in records], task, _corpus_of(batch, numbers),
        [r[task.source_field] for r in records] if task.source_field else None)
    out: list[str] = []
    dropped: list[str] = []
    for record, number, annotation, failure in zip(records, numbers, annotations, failures,
                                                   strict=True):
        if failure:
            errors.append(_error(batch.source, number, failure, task, record=record))
            continue
        stats.add_findings(_rules_of(annotation))
        dropping = shape_record(record, annotation, task)
        if dropping:
            dropped.append(dropped_line(batch.source, number, record, dropping, task))
            continue
        out.append(_dumps(record) + "\n")
    errors.sort(key=lambda e: e["line"])
    stats.errors = len(errors)
    stats.dropped = len(dropped)
    return BatchResult(batch.shard, "".join(out).encode("utf-8"), _errors_bytes(errors), stats,
                       batch.disk_bytes, batch.last, dropped="".join(dropped).encode("utf-8"),
                       end=batch.end)


def _errors_bytes(errors: list[dict[str, Any]]) -> bytes:
    return "".join(_dumps(e) + "\n" for e in errors).encode("utf-8")


def cleanup_arrow_type(fixed: bool, compact: bool = False) -> Any:
    """The Arrow type of the added column: findings as structs, their ``data`` as JSON text
    (``compact``: only rule, start, end and replacement), and the ``fixed`` text if any.

    ``data`` differs from kind to kind, so a fixed struct type cannot hold it; JSON text keeps
    every fact and one schema for the whole file.
    """
    import pyarrow as pa

    types = {"kind": pa.string(), "rule": pa.string(), "start": pa.int64(),
             "end": pa.int64(), "text": pa.string(), "message": pa.string(),
             "replacement": pa.string(), "safe": pa.bool_(), "severity": pa.string(),
             "confidence": pa.float64(), "data": pa.string()}
    keys = COMPACT_KEYS if compact else tuple(types)
    fields = [("findings", pa.list_(pa.struct([(key, types[key]) for key in keys])))]
    if fixed:
        fields.append(("fixed", pa.string()))
    return pa.struct(fields)


def _put_column(table: Any, name: str, values: Any) -> Any:
    """``table`` with column ``name`` set to ``values``: in place if it has one, else last."""
    index = table.schema.get_field_index(name)
    if index >= 0:
        return table.set_column(index, name, values)
    return table.append_column(name, values)


def _annotate_arrow(batch: Batch, task: Task) -> BatchResult:
    import pyarrow as pa

    table = batch.payload
    column = table.column(table.schema.get_field_index(task.field))
    values = column.to_pylist()
    is_text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    text_bytes = sum(len(v.encode("utf-8")) for v in values if isinstance(v, str)) if is_text else 0
    stats = Stats(bytes=text_bytes, records=table.num_rows)
    errors: list[dict[str, Any]] = []
    keep: list[int] = []
    for offset, value in enumerate(values):
        if is_text and isinstance(value, str):
            keep.append(offset)
            continue
        shown = "null" if value is None else str(column.type)
        reason = f"field {task.field!r} is {shown}, not a string"
        record = table.slice(offset, 1).to_pylist()[0]
        errors.append(_error(batch.source, batch.first_line + offset, reason, task,
                             record=_jsonable(record)))
    sources = None
    if task.source_field:
        source_index = table.schema.get_field_index(task.source_field)
        source_values = (table.column(source_index).to_pylist() if source_index >= 0
                         else [None] * table.num_rows)
        for offset in list(keep):
            if not isinstance(source_values[offset], str):
                keep.remove(offset)
                shown = "missing" if source_index < 0 else "not a string"
                errors.append(_error(batch.source, batch.first_line + offset,
                                     f"field {task.source_field!r} is {shown}", task))
        sources = [source_values[i] for i in keep]
    annotations, failures = annotate_texts([values[i] for i in keep], task,
                                           _corpus_of(batch, [batch.first_line + i
                                                              for i in keep]), sources)
    rows: list[int] = []
    cleanup_rows: list[dict[str, Any]] = []
    fixed_texts: list[str] = []
    dropped: list[str] = []
    for offset, annotation, failure in zip(keep, annotations, failures, strict=True):
        if failure:
            errors.append(_error(batch.source, batch.first_line + offset, failure, task))
            continue
        stats.add_findings(_rules_of(annotation))
        if task.drop_if and any(f["rule"] in task.drop_if for f in annotation["findings"]):
            record = _jsonable(table.slice(offset, 1).to_pylist()[0])
            dropping = shape_record(record, annotation, task)
            dropped.append(dropped_line(batch.source, batch.first_line + offset, record, dropping,
                                    task))
            continue
        row: dict[str, Any] = {task.field: values[offset]}
        shape_record(row, annotation, task)
        rows.append(offset)
        shaped = row[task.output_field]
        findings = shaped["findings"] if task.annotation == "compact" else [
            dict(f, data=_dumps(f["data"])) for f in shaped["findings"]]
        cleanup_rows.append({**shaped, "findings": findings})
        fixed_texts.append(row[task.field])
    errors.sort(key=lambda e: e["line"])
    stats.errors = len(errors)
    stats.dropped = len(dropped)
    kept = table.take(pa.array(rows, pa.int64()))
    if task.replace_field:
        index = kept.schema.get_field_index(task.field)
        original = kept.column(index)
        kept = kept.set_column(index, kept.schema.field(index),
                               pa.array(fixed_texts, type=original.type))
        if task.keep_original_as:
            kept = _put_column(kept, task.keep_original_as, original)
    added = pa.array(cleanup_rows, type=cleanup_arrow_type(task.fix and not task.replace_field,
                                                           task.annotation == "compact"))
    kept = _put_column(kept, task.output_field, added)
    return BatchResult(batch.shard, kept, _errors_bytes(errors), stats, batch.disk_bytes,
                       batch.last, dropped="".join(dropped).encode("utf-8"), end=batch.end)
