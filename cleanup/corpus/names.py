"""Corpus-wide name variants: a first pass over every shard, then findings handed to batches.

One record says `Jon Finer`, ten others `John Feiner`: only the whole corpus shows which is the
variant. A first pass reads every shard (finished ones too, so a resumed run sees the same
corpus) and feeds the mentions of each annotatable text to a `cleanup.engine.NameScope`,
which keeps name statistics, never the texts. Its findings are grouped by (shard, line); the
second pass attaches to each batch the findings of its records, and `annotate_batch` merges
them exactly as `cleanup.check_corpus` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from cleanup.config import Config
from cleanup.corpus.io import Batch, Shard
from cleanup.corpus.work import Task, parse_jsonl
from cleanup.findings import Finding
from cleanup.rules import RULES

if TYPE_CHECKING:
    from cleanup.corpus.executor import Executor

#: (shard index, line) -> the corpus-wide name findings of that record.
CorpusFindings = dict[tuple[int, int], list[Finding]]

#: (shard index, [(line, the mentions `observe_names` found in that record)]).
ObservedBatch = tuple[int, list[tuple[int, tuple[Any, ...]]]]

_LINE_BITS = 40


def wants_corpus_names(task: Task) -> bool:
    """Whether the selected rules include name variants (the only corpus-wide kind)."""
    return any(RULES[code].kind == "name_variant" for code in task.selected_codes())


def annotatable_texts(batch: Batch, task: Task) -> Iterator[tuple[int, str]]:
    """(line, text) of each record of ``batch`` that the second pass will annotate."""
    if batch.fmt == "parquet":
        column = batch.payload.column(batch.payload.schema.get_field_index(task.field))
        for offset, value in enumerate(column.to_pylist()):
            if isinstance(value, str):
                yield batch.first_line + offset, value
        return
    for number, record in parse_jsonl(batch, task)[0]:
        yield number, record[task.field]


def observe_batch(batch: Batch, task: Task) -> ObservedBatch:
    """The batch's shard and (line, mentions) of each annotatable record: the pure half."""
    from cleanup.detect.names import observe_names

    return batch.shard, [(number, observe_names(text))
                         for number, text in annotatable_texts(batch, task)]


def collect_corpus_names(shards: Sequence[Shard], task: Task, batch_size: int,
                         executor: Executor) -> CorpusFindings:
    """The first pass: name findings of the whole corpus, by (shard, line).

    Finding the mentions of each text is the costly part and needs nothing but the text, so
    the executor's workers do it; this process only merges their counts, in input order, in
    the same `NameScope` every corpus path uses.
    """
    from cleanup.engine import NameScope

    scope = NameScope(task.config or Config())
    for shard_index, batch_mentions in executor.observe_names(shards, batch_size):
        for number, mentions in batch_mentions:
            scope.add_observed(shard_index << _LINE_BITS | number, mentions)
    found: CorpusFindings = {}
    for index, findings in scope.findings().items():
        key = (index >> _LINE_BITS, index & ((1 << _LINE_BITS) - 1))
        found.setdefault(key, []).extend(findings)
    return found


def attach_corpus_names(batch: Batch, found: CorpusFindings) -> Batch:
    """``batch`` with the corpus findings of its records (an empty dict when there are none).

    >>> batch = attach_corpus_names(Batch(0, "a.jsonl", "jsonl", 3, b"{}\\n{}\\n"), {})
    >>> batch.corpus
    {}
    """
    count = (batch.payload.num_rows if batch.fmt == "parquet"
             else batch.payload.count(b"\n") + (not batch.payload.endswith(b"\n")))
    batch.corpus = {line: found[(batch.shard, line)]
                    for line in range(batch.first_line, batch.first_line + count)
                    if (batch.shard, line) in found}
    return batch


def with_corpus_names(batches: Iterable[Batch], found: CorpusFindings) -> Iterator[Batch]:
    return (attach_corpus_names(batch, found) for batch in batches)
