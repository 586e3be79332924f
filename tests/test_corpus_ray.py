"""``--engine ray`` on a real local Ray cluster: the same bytes as the local engine.

One cluster serves the whole session (starting one takes seconds and a gigabyte); the tests
skip only when Ray is not installed.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_corpus import MALFORMED, SAMPLE, make_corpus_directory, split_names_corpus, tree_bytes
from test_corpus_output import big_input, interrupt_after_first_batches

import cleanup
from cleanup.corpus import CorpusError, annotate_paths

ray = pytest.importorskip("ray")


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


def test_ray_engine_writes_the_same_bytes_as_the_local_engine(tmp_path: Path,
                                                              ray_cluster: Any) -> None:
    corpus = make_corpus_directory(tmp_path)
    local = annotate_paths(str(corpus), str(tmp_path / "local"), workers=1, batch_size=7,
                           progress=False)
    on_ray = annotate_paths(str(corpus), str(tmp_path / "ray"), engine="ray", batch_size=7,
                            progress=False)
    assert tree_bytes(tmp_path / "ray") == tree_bytes(tmp_path / "local")
    assert (tmp_path / "ray.errors.jsonl").read_bytes() == (
        tmp_path / "local.errors.jsonl").read_bytes()
    assert on_ray.stats.to_dict() | {"seconds": 0} == local.stats.to_dict() | {"seconds": 0}
    assert on_ray.exit_code == local.exit_code == 1


def test_ray_engine_on_a_file_writes_one_file_in_input_order(tmp_path: Path,
                                                             ray_cluster: Any) -> None:
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(gzip.compress(SAMPLE.read_bytes() + MALFORMED.read_bytes() + b"\n"))
    annotate_paths(str(source), str(tmp_path / "local.jsonl.gz"), workers=1, batch_size=5,
                   progress=False)
    annotate_paths(str(source), str(tmp_path / "ray.jsonl.gz"), engine="ray", batch_size=5,
                   progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.jsonl.gz", "local.jsonl.gz", "local.jsonl.gz.errors.jsonl", "ray.jsonl.gz",
        "ray.jsonl.gz.errors.jsonl"]
    assert (tmp_path / "ray.jsonl.gz").read_bytes() == (tmp_path / "local.jsonl.gz").read_bytes()
    errors = [json.loads(line) for line in (tmp_path / "ray.jsonl.gz.errors.jsonl").open()]
    assert [e["line"] for e in errors] == [50, 52, 53, 54, 55, 56]


def test_ray_engine_reports_a_corrupt_file_by_name(tmp_path: Path, ray_cluster: Any) -> None:
    source = tmp_path / "broken.jsonl.gz"
    source.write_bytes(b"\x1f\x8b\x08 definitely not gzip")
    with pytest.raises(CorpusError, match=r"broken\.jsonl\.gz: corrupt gzip file"):
        annotate_paths(str(source), str(tmp_path / "out.jsonl.gz"), engine="ray",
                       progress=False)
    assert not (tmp_path / "out.jsonl.gz").exists()


def test_annotate_batch_runs_as_is_in_ray_data_map_batches(tmp_path: Path,
                                                          ray_cluster: Any) -> None:
    records = [json.loads(line) for line in SAMPLE.open(encoding="utf-8")][:12]
    texts = [{"id": r["id"], "text": r["text"]} for r in records]
    dataset = ray.data.from_items(texts, override_num_blocks=2)
    rows = dataset.map_batches(cleanup.annotate_batch, fn_kwargs={"field": "text"},
                               batch_format="pandas").take_all()
    by_id = {row["id"]: row for row in rows}
    for record in texts:
        found = by_id[record["id"]]["cleanup"]["findings"]
        expected = [f.to_dict() for f in cleanup.check(record["text"])]
        assert [(f["rule"], f["start"], f["end"]) for f in found] == [
            (f["rule"], f["start"], f["end"]) for f in expected]


def test_ray_engine_finds_corpus_wide_name_variants_like_the_local_engine(
        tmp_path: Path, ray_cluster: Any) -> None:
    corpus, _ = split_names_corpus(tmp_path)
    annotate_paths(str(corpus), str(tmp_path / "local"), workers=1, progress=False)
    annotate_paths(str(corpus), str(tmp_path / "ray"), engine="ray", batch_size=2,
                   progress=False)
    assert tree_bytes(tmp_path / "ray") == tree_bytes(tmp_path / "local")
    assert b'"canonical": "Ismail Haniyeh"' in (tmp_path / "ray" / "a.jsonl").read_bytes()


def test_ray_engine_sends_a_record_with_a_lone_surrogate_to_the_errors_file(
        tmp_path: Path, ray_cluster: Any) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    source = tmp_path / "in.jsonl"
    source.write_text(lines[0] + '{"text": "half a pair: \\ud800"}\n' + lines[1],
                      encoding="utf-8")
    on_ray = annotate_paths(str(source), str(tmp_path / "ray.jsonl"), engine="ray",
                            progress=False)
    annotate_paths(str(source), str(tmp_path / "local.jsonl"), workers=1, progress=False)
    assert on_ray.exit_code == 1 and on_ray.stats.annotated == 2
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "ray.jsonl.errors.jsonl").read_bytes() == (
        tmp_path / "local.jsonl.errors.jsonl").read_bytes()
    [error] = [json.loads(line) for line in (tmp_path / "ray.jsonl.errors.jsonl").open()]
    assert error["line"] == 2 and "surrogate" in error["reason"]


def test_ray_engine_drops_the_same_records_as_the_local_engine(tmp_path: Path,
                                                               ray_cluster: Any) -> None:
    corpus = make_corpus_directory(tmp_path)  # JSON Lines, gzip, Parquet, malformed records
    options: dict[str, Any] = {"drop_if": ["CU1", "CU404"], "annotation": "compact",
                               "fix": True, "replace_field": True, "batch_size": 7,
                               "progress": False}
    local = annotate_paths(str(corpus), str(tmp_path / "local"), workers=1, **options)
    on_ray = annotate_paths(str(corpus), str(tmp_path / "ray"), engine="ray", **options)
    assert tree_bytes(tmp_path / "ray") == tree_bytes(tmp_path / "local")
    for suffix in (".errors.jsonl", ".dropped.jsonl"):
        assert (tmp_path / f"ray{suffix}").read_bytes() == (
            tmp_path / f"local{suffix}").read_bytes()
    assert on_ray.stats.dropped == local.stats.dropped > 0
    assert on_ray.stats.to_dict() | {"seconds": 0} == local.stats.to_dict() | {"seconds": 0}


def test_ray_engine_continues_a_single_file_run_stopped_by_sigint(tmp_path: Path,
                                                                  ray_cluster: Any) -> None:
    source = big_input(tmp_path, copies=20)
    output = tmp_path / "out.jsonl"
    options = ["--workers", "1", "--batch-size", "4", "--drop-if", "CU101", "--ignore", "CU3"]
    interrupt_after_first_batches([sys.executable, "-m", "cleanup", "annotate", str(source),
                                   str(output), *options], output)
    resumed = annotate_paths(str(source), str(output), engine="ray", resume=True,
                             batch_size=4, drop_if=["CU101"], ignore=["CU3"], progress=False)
    assert any(note.startswith("resumed: continued out.jsonl from line ")
               for note in resumed.notes)
    annotate_paths(str(source), str(tmp_path / "fresh.jsonl"), workers=1, batch_size=4,
                   drop_if=["CU101"], ignore=["CU3"], progress=False)
    assert output.read_bytes() == (tmp_path / "fresh.jsonl").read_bytes()
    assert (tmp_path / "out.jsonl.dropped.jsonl").read_bytes() == (
        tmp_path / "fresh.jsonl.dropped.jsonl").read_bytes()
