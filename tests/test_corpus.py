"""Corpus runs over real files: JSON Lines, gzip JSON Lines and Parquet, locally.

Each behaviour is checked through `cleanup.corpus.annotate_paths` and through
``python -m cleanup annotate`` as a subprocess.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import cleanup
from cleanup.corpus import CorpusError, Stats, annotate_paths, merge_stats

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
SAMPLE = FIXTURES / "sample.jsonl"
MALFORMED = FIXTURES / "malformed.jsonl"
SAMPLE_LINES = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)


@dataclass
class Outcome:
    exit_code: int
    message: str


CLI_FLAGS = {"field": "--field", "id_field": "--id-field", "workers": "--workers",
             "engine": "--engine", "stats_path": "--stats", "batch_size": "--batch-size",
             "output_field": "--output-field", "select": "--select", "ignore": "--ignore",
             "keep_original_as": "--keep-original-as", "drop_if": "--drop-if",
             "dropped_path": "--dropped", "annotation": "--annotation"}


def kill_group(process: subprocess.Popen[Any]) -> None:
    """Kill a run started with ``start_new_session=True`` and its workers, if still running."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def cli_args(input: Path, output: Path, **options: Any) -> list[str]:
    """The ``cleanup annotate`` command line for the options of `annotate_paths`."""
    args = [sys.executable, "-m", "cleanup", "annotate", str(input), str(output)]
    for name, value in options.items():
        if name == "progress":
            continue
        if isinstance(value, bool):
            if value:
                args.append("--" + name.replace("_", "-"))
        elif isinstance(value, (list, tuple)):
            args += [CLI_FLAGS[name], ",".join(value)]
        else:
            args += [CLI_FLAGS[name], str(value)]
    return args


def api_script(input: Path, output: Path, **options: Any) -> list[str]:
    """A subprocess calling `annotate_paths`, for the tests that must kill a real process."""
    call = (f"import sys; from cleanup.corpus import annotate_paths; "
            f"sys.exit(annotate_paths({str(input)!r}, {str(output)!r}, "
            f"**{options!r}).exit_code)")
    return [sys.executable, "-c", call]


Annotate = Callable[..., Outcome]


@pytest.fixture(params=["api", "cli"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def annotate(flavour: str) -> Annotate:
    """Run a corpus annotation through the API or the CLI; the exit code and message."""
    return annotator(flavour)


def annotator(flavour: str) -> Annotate:
    """A corpus annotation through the API (``api``) or the CLI (``cli``)."""
    def run(input: Path, output: Path, **options: Any) -> Outcome:
        options.setdefault("workers", 1)
        if flavour == "cli":
            done = subprocess.run(cli_args(input, output, **options), check=False,
                                  capture_output=True, text=True)
            return Outcome(done.returncode, done.stderr.strip().splitlines()[-1]
                           if done.stderr.strip() else "")
        try:
            return Outcome(annotate_paths(str(input), str(output), progress=False,
                                          **options).exit_code, "")
        except CorpusError as error:
            return Outcome(2, str(error))
    return run


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def expected_findings(text: str, **options: Any) -> list[dict[str, Any]]:
    """What `cleanup.check` says, through JSON as the output file holds it."""
    return json.loads(json.dumps([f.to_dict() for f in cleanup.check(text, **options)]))


def make_corpus_directory(root: Path) -> Path:
    """A directory of every format: plain, gzip, Parquet (via pyarrow), malformed, nested."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    corpus = root / "corpus"
    (corpus / "nested").mkdir(parents=True)
    (corpus / "a.jsonl").write_text("".join(SAMPLE_LINES[:20]), encoding="utf-8")
    with gzip.open(corpus / "nested" / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("".join(SAMPLE_LINES[20:]))
    shutil.copy(MALFORMED, corpus / "c.jsonl")
    records = [json.loads(line) for line in SAMPLE_LINES]
    table = pa.table({"id": [r["id"] for r in records],
                      "text": [r["text"] if r["n"] % 10 else None for r in records],
                      "score": [r["score"] for r in records],
                      "tags": [r["tags"] for r in records]})
    pq.write_table(table, corpus / "d.parquet")
    (corpus / "notes.txt").write_text("not a corpus file\n", encoding="utf-8")
    return corpus


def tree_bytes(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


# Records survive exactly ------------------------------------------------------------------


def test_jsonl_records_keep_every_field_value_type_and_key_order(tmp_path: Path,
                                                                  annotate: Annotate) -> None:
    source = tmp_path / "sample.jsonl"
    shutil.copy(SAMPLE, source)
    outcome = annotate(source, tmp_path / "out.jsonl")
    assert outcome.exit_code == 0
    out_lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(out_lines) == len(SAMPLE_LINES)
    for before, after in zip(SAMPLE_LINES, out_lines, strict=True):
        # The record's own text is untouched (2.0 stays 2.0, big integers stay exact, non-ASCII
        # stays unescaped); one key is appended.
        assert after.startswith(before.rstrip("\n")[:-1] + ', "cleanup": {"findings": [')
        record, original = json.loads(after), json.loads(before)
        assert list(record) == [*original, "cleanup"]
        assert record["cleanup"] == {"findings": expected_findings(original["text"])}
    assert not (tmp_path / "out.jsonl.errors.jsonl").exists()


def test_findings_are_real_on_the_damaged_sample(tmp_path: Path) -> None:
    summary = annotate_paths(str(SAMPLE), str(tmp_path / "out.jsonl"), workers=1,
                             progress=False)
    assert summary.stats.records == summary.stats.annotated == len(SAMPLE_LINES)
    assert summary.stats.records_affected > len(SAMPLE_LINES) // 3
    assert sum(summary.stats.findings_by_rule.values()) == summary.stats.findings
    assert summary.stats.findings_by_rule.get("CU101", 0) > 0
    table = summary.render()
    assert "CU101" in table and f"{len(SAMPLE_LINES)}" in table


def test_fix_adds_the_repaired_text_under_the_chosen_field(tmp_path: Path,
                                                           annotate: Annotate) -> None:
    outcome = annotate(SAMPLE, tmp_path / "out.jsonl", fix=True, output_field="qa")
    assert outcome.exit_code == 0
    for record in read_jsonl(tmp_path / "out.jsonl"):
        fixed = cleanup.fix(record["text"])
        assert record["qa"]["fixed"] == fixed.text
        assert record["qa"]["findings"] == expected_findings(record["text"])


def test_select_and_ignore_choose_the_rules(tmp_path: Path, annotate: Annotate) -> None:
    annotate(SAMPLE, tmp_path / "only.jsonl", select=["CU1", "CU5"], ignore=["CU501"])
    rules = {f["rule"] for r in read_jsonl(tmp_path / "only.jsonl")
             for f in r["cleanup"]["findings"]}
    assert rules and all(rule.startswith(("CU1", "CU5")) for rule in rules)
    assert "CU501" not in rules


def test_records_keep_input_order_across_many_batches_and_two_workers(tmp_path: Path,
                                                                      annotate: Annotate
                                                                      ) -> None:
    annotate(SAMPLE, tmp_path / "out.jsonl", workers=2, batch_size=3)
    ids = [record["id"] for record in read_jsonl(tmp_path / "out.jsonl")]
    assert ids == [json.loads(line)["id"] for line in SAMPLE_LINES]


def test_one_and_two_workers_write_identical_bytes(tmp_path: Path, annotate: Annotate) -> None:
    corpus = make_corpus_directory(tmp_path)
    one = annotate(corpus, tmp_path / "one", workers=1, batch_size=7)
    two = annotate(corpus, tmp_path / "two", workers=2, batch_size=7)
    assert one.exit_code == two.exit_code == 1  # the malformed file has errors
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")
    assert (tmp_path / "one.errors.jsonl").read_bytes() == (
        tmp_path / "two.errors.jsonl").read_bytes()
    assert sorted(tree_bytes(tmp_path / "one")) == [
        ".cleanup/a.jsonl.done", ".cleanup/c.jsonl.done", ".cleanup/c.jsonl.errors.jsonl",
        ".cleanup/d.parquet.done", ".cleanup/d.parquet.errors.jsonl",
        ".cleanup/nested/b.jsonl.gz.done", "a.jsonl", "c.jsonl", "d.parquet",
        "nested/b.jsonl.gz"]


# Malformed input ---------------------------------------------------------------------------


def test_malformed_lines_go_to_the_errors_file_with_line_numbers(tmp_path: Path,
                                                                 annotate: Annotate) -> None:
    source = tmp_path / "in.jsonl"
    shutil.copy(MALFORMED, source)
    outcome = annotate(source, tmp_path / "out.jsonl", id_field="id")
    assert outcome.exit_code == 1
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["m1", "m9"]
    errors = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert [(e["line"], e["reason"]) for e in errors] == [
        (2, "invalid JSON: Unterminated string starting at (column 22)"),
        (4, "no field 'text'"),
        (5, "field 'text' is a number, not a string"),
        (6, "field 'text' is null, not a string"),
        (7, "the record is an array, not an object"),
        (8, "invalid UTF-8 (byte 0xe9 at column 26)"),
    ]
    assert {e["source"] for e in errors} == {str(source)}
    assert [e.get("id") for e in errors] == [None, "m4", "m5", "m6", None, None]
    assert errors[0]["raw"] == '{"id": "m2", "text": "a line cut off in the middle,'


def test_summary_counts_errors_and_records(tmp_path: Path) -> None:
    summary = annotate_paths(str(MALFORMED), str(tmp_path / "out.jsonl"), workers=1,
                             progress=False)
    assert (summary.stats.records, summary.stats.annotated, summary.stats.errors) == (8, 2, 6)
    assert summary.exit_code == 1
    assert summary.errors_path == str(tmp_path / "out.jsonl.errors.jsonl")
    assert "errors" in summary.render() and "6 records" in summary.render()


def test_a_clean_rerun_removes_the_stale_errors_file(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    shutil.copy(MALFORMED, source)
    annotate_paths(str(source), str(tmp_path / "out.jsonl"), workers=1, progress=False)
    shutil.copy(SAMPLE, source)
    summary = annotate_paths(str(source), str(tmp_path / "out.jsonl"), workers=1,
                             progress=False)
    assert summary.exit_code == 0
    assert not (tmp_path / "out.jsonl.errors.jsonl").exists()


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_corrupt_gzip_file_is_a_one_line_error_naming_it(tmp_path: Path, annotate: Annotate,
                                                           damage: str) -> None:
    good = gzip.compress("".join(SAMPLE_LINES).encode("utf-8"), mtime=0)
    source = tmp_path / "broken.jsonl.gz"
    source.write_bytes(good[: len(good) // 2] if damage == "truncated" else b"\x1f\x8bnot gz")
    outcome = annotate(source, tmp_path / "out.jsonl.gz")
    assert outcome.exit_code == 2
    assert "broken.jsonl.gz" in outcome.message and "corrupt gzip" in outcome.message
    assert "\n" not in outcome.message
    assert not (tmp_path / "out.jsonl.gz").exists()
    assert not list(tmp_path.glob(".*cleanup-tmp"))


def test_a_corrupt_parquet_file_is_a_one_line_error_naming_it(tmp_path: Path,
                                                              annotate: Annotate) -> None:
    source = tmp_path / "broken.parquet"
    source.write_bytes(b"PAR1 this is not parquet at all")
    outcome = annotate(source, tmp_path / "out.parquet")
    assert outcome.exit_code == 2
    assert "broken.parquet" in outcome.message and "corrupt Parquet" in outcome.message


def test_unusable_arguments_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        annotate_paths(str(tmp_path / "missing.jsonl"), str(tmp_path / "o.jsonl"))
    with pytest.raises(CorpusError, match=r"o\.parquet: the output must be JSON Lines"):
        annotate_paths(str(SAMPLE), str(tmp_path / "o.parquet"))
    with pytest.raises(CorpusError, match="unknown rule code"):
        annotate_paths(str(SAMPLE), str(tmp_path / "o.jsonl"), select=["CU999"])
    with pytest.raises(CorpusError, match="unknown engine"):
        annotate_paths(str(SAMPLE), str(tmp_path / "o.jsonl"), engine="spark")


# Formats -----------------------------------------------------------------------------------


def test_gzip_input_gives_gzip_output_holding_the_same_records(tmp_path: Path,
                                                               annotate: Annotate) -> None:
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    annotate(source, tmp_path / "out.jsonl.gz")
    annotate(SAMPLE, tmp_path / "plain.jsonl")
    assert gzip.decompress((tmp_path / "out.jsonl.gz").read_bytes()) == (
        tmp_path / "plain.jsonl").read_bytes()


def test_parquet_keeps_columns_and_types_and_adds_a_findings_struct(tmp_path: Path,
                                                                    annotate: Annotate) -> None:
    import pyarrow.parquet as pq

    corpus = make_corpus_directory(tmp_path)
    outcome = annotate(corpus / "d.parquet", tmp_path / "out.parquet", id_field="id")
    assert outcome.exit_code == 1  # rows with a null text
    before = pq.read_table(corpus / "d.parquet")
    after = pq.read_table(tmp_path / "out.parquet")
    assert after.schema.names == [*before.schema.names, "cleanup"]
    assert after.schema.field("tags").type == before.schema.field("tags").type
    kept = [row for row in before.to_pylist() if row["text"] is not None]
    rows = after.to_pylist()
    assert [{k: v for k, v in row.items() if k != "cleanup"} for row in rows] == kept
    for row in rows:
        findings = [dict(f, data=json.loads(f["data"])) for f in row["cleanup"]["findings"]]
        assert findings == expected_findings(row["text"])
    errors = read_jsonl(tmp_path / "out.parquet.errors.jsonl")
    null_rows = [(row, record["id"]) for row, record in enumerate(before.to_pylist(), 1)
                 if record["text"] is None]
    assert [(e["line"], e["id"]) for e in errors] == null_rows
    assert [line for line, _ in null_rows] == [1, 11, 21, 31, 41]
    assert errors[0]["reason"] == "field 'text' is null, not a string"


def test_a_parquet_file_without_the_field_is_an_error_naming_it(tmp_path: Path) -> None:
    corpus = make_corpus_directory(tmp_path)
    with pytest.raises(CorpusError, match=r"d\.parquet: no column 'body'"):
        annotate_paths(str(corpus / "d.parquet"), str(tmp_path / "o.parquet"), field="body")


def test_a_glob_input_writes_a_directory_of_shards(tmp_path: Path) -> None:
    corpus = make_corpus_directory(tmp_path)
    annotate_paths(str(corpus / "**" / "*.jsonl*"), str(tmp_path / "out"), workers=1,
                   progress=False)
    shards = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*")
                    if p.is_file() and ".cleanup" not in p.parts)
    assert shards == ["a.jsonl", "c.jsonl", "nested/b.jsonl.gz"]


# Stats and resume --------------------------------------------------------------------------


def test_stats_files_of_separate_shard_runs_add_up_to_the_whole_run(tmp_path: Path,
                                                                    annotate: Annotate
                                                                    ) -> None:
    corpus = make_corpus_directory(tmp_path)
    annotate(corpus, tmp_path / "all", stats_path=tmp_path / "all.json")
    parts = []
    for name in ("a.jsonl", "nested/b.jsonl.gz", "c.jsonl", "d.parquet"):
        stats = tmp_path / f"{Path(name).name}.json"
        annotate(corpus / name, tmp_path / Path(name).name, stats_path=stats)
        parts.append(Stats.from_dict(json.loads(stats.read_text(encoding="utf-8"))))
    whole = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    merged = merge_stats(parts).to_dict()
    del whole["seconds"], merged["seconds"]
    assert merged == whole
    assert whole["files"] == 4 and whole["errors"] == 11


def test_a_run_killed_midway_resumes_to_the_same_output(tmp_path: Path, flavour: str) -> None:
    """SIGKILL a real run while it is inside a shard, then resume: same bytes as no crash.

    The third shard is a FIFO fed half its lines, so the run is provably stopped midway
    (two shards done, one half written) when it is killed, however fast the machine is.
    """
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    chunks = [SAMPLE_LINES[i:i + 12] for i in range(0, len(SAMPLE_LINES), 12)]
    for number, chunk in enumerate(chunks):
        if number != 2:
            (corpus / f"part-{number}.jsonl").write_text("".join(chunk), encoding="utf-8")
    fifo = corpus / "part-2.jsonl"
    os.mkfifo(fifo)
    # Without name rules: their first pass would read the whole FIFO before annotating.
    options: dict[str, Any] = {"workers": 1, "batch_size": 2, "ignore": ["CU3"]}
    command = (cli_args if flavour == "cli" else api_script)(corpus, tmp_path / "out", **options)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        with open(fifo, "w", encoding="utf-8") as feed:  # blocks until the run opens it
            feed.write("".join(chunks[2][:6]))
            feed.flush()
            state = tmp_path / "out" / ".cleanup"
            deadline = time.monotonic() + 30
            while not list((tmp_path / "out").glob(".part-2.jsonl.*.cleanup-tmp")) or (
                    next((tmp_path / "out").glob(".part-2.jsonl.*.cleanup-tmp")).stat().st_size
                    == 0):
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.02)
            kill_group(process)
    finally:
        kill_group(process)
    assert process.returncode == -signal.SIGKILL
    assert sorted(p.name for p in state.glob("*.done")) == ["part-0.jsonl.done",
                                                           "part-1.jsonl.done"]
    assert not (tmp_path / "out" / "part-2.jsonl").exists()

    fifo.unlink()
    fifo.write_text("".join(chunks[2]), encoding="utf-8")
    resumed = annotate_paths(str(corpus), str(tmp_path / "out"), resume=True, progress=False,
                             **options)
    assert resumed.skipped_shards == 2
    fresh = annotate_paths(str(corpus), str(tmp_path / "fresh"), progress=False, **options)
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "fresh")
    assert resumed.stats.to_dict() | {"seconds": 0} == fresh.stats.to_dict() | {"seconds": 0}


def test_without_resume_every_shard_is_redone(tmp_path: Path) -> None:
    corpus = make_corpus_directory(tmp_path)
    annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, progress=False)
    (tmp_path / "out" / "a.jsonl").write_text("tampered\n", encoding="utf-8")
    again = annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, resume=True,
                           progress=False)
    assert again.skipped_shards == 4
    assert (tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8") == "tampered\n"
    redone = annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, progress=False)
    assert redone.skipped_shards == 0
    assert len(read_jsonl(tmp_path / "out" / "a.jsonl")) == 20


def test_engine_ray_without_ray_says_how_to_install_it(tmp_path: Path) -> None:
    script = ("import sys; sys.modules['ray'] = None\n"
              "from cleanup.corpus import annotate_paths, CorpusError\n"
              f"try: annotate_paths({str(SAMPLE)!r}, {str(tmp_path / 'o.jsonl')!r}, "
              "engine='ray', progress=False)\n"
              "except CorpusError as error: print(error)")
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True)
    assert done.stdout.strip() == "--engine ray needs Ray Data: pip install 'cleanup-text[ray]'"


def test_annotate_batch_runs_as_is_in_hugging_face_datasets_map() -> None:
    datasets = pytest.importorskip("datasets")
    records = [json.loads(line) for line in SAMPLE_LINES[:16]]
    dataset = datasets.Dataset.from_list([{"id": r["id"], "text": r["text"]} for r in records])
    annotated = dataset.map(cleanup.annotate_batch, batched=True, batch_size=5,
                            fn_kwargs={"field": "text"})
    assert annotated.column_names == ["id", "text", "cleanup"]
    for row in annotated:
        assert [(f["rule"], f["start"], f["end"], f["message"])
                for f in row["cleanup"]["findings"]] == [
            (f.rule, f.start, f.end, f.message) for f in cleanup.check(row["text"])]


def split_names_corpus(root: Path) -> tuple[Path, list[str]]:
    """names.jsonl over two shards, the variants and their canonical spellings apart."""
    lines = (FIXTURES / "names.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    corpus = root / "names"
    corpus.mkdir()
    first, second = [lines[i] for i in (0, 3, 4)], [lines[i] for i in (1, 2, 5, 6, 7)]
    (corpus / "a.jsonl").write_text("".join(first), encoding="utf-8")
    (corpus / "b.jsonl").write_text("".join(second), encoding="utf-8")
    return corpus, [json.loads(line)["text"] for line in first + second]


def test_name_variants_are_found_across_records_and_shards_as_check_corpus_does(
        tmp_path: Path, annotate: Annotate) -> None:
    corpus, texts = split_names_corpus(tmp_path)
    annotate(corpus, tmp_path / "out", workers=2, batch_size=2)
    records = read_jsonl(tmp_path / "out" / "a.jsonl") + read_jsonl(tmp_path / "out" / "b.jsonl")
    expected = json.loads(json.dumps([[f.to_dict() for f in found]
                                      for found in cleanup.check_corpus(texts)]))
    assert [r["cleanup"]["findings"] for r in records] == expected
    variants = {(f["text"], f["data"].get("canonical")) for r in records
                for f in r["cleanup"]["findings"] if f["kind"] == "name_variant"}
    assert ("Ismail Haniya", "Ismail Haniyeh") in variants


def test_corpus_names_off_keeps_each_record_on_its_own(tmp_path: Path) -> None:
    corpus, texts = split_names_corpus(tmp_path)
    annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, corpus_names=False,
                   progress=False)
    records = read_jsonl(tmp_path / "out" / "a.jsonl") + read_jsonl(tmp_path / "out" / "b.jsonl")
    assert [r["cleanup"]["findings"] for r in records] == [expected_findings(t) for t in texts]


def test_resume_sees_the_whole_corpus_for_names_even_when_shards_are_done(tmp_path: Path
                                                                          ) -> None:
    corpus, _ = split_names_corpus(tmp_path)
    annotate_paths(str(corpus), str(tmp_path / "fresh"), workers=1, progress=False)
    annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, progress=False)
    (tmp_path / "out" / ".cleanup" / "a.jsonl.done").unlink()  # as if killed before the marker
    (tmp_path / "out" / "a.jsonl").write_text("half written\n", encoding="utf-8")
    resumed = annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, resume=True,
                             progress=False)
    assert resumed.skipped_shards == 1
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "fresh")


def test_an_output_inside_the_input_directory_is_not_read_back(tmp_path: Path) -> None:
    corpus = make_corpus_directory(tmp_path)
    for _ in range(2):
        summary = annotate_paths(str(corpus), str(corpus / "annotated"), workers=1,
                                 progress=False, select=["CU5"])
        assert summary.stats.files == 4
