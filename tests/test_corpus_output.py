"""Corpus output people can train on (issue 15, point 6): the fixed text in place of the field,
records dropped by rule into an exclusion file, a compact annotation, and a single-file run
that continues where Ctrl-C stopped it.

Each behaviour runs real files through `cleanup.corpus.annotate_paths` and ``cleanup annotate``
as a subprocess (the ``annotate`` fixture runs both).
"""

from __future__ import annotations

import gzip
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from test_corpus import (
    SAMPLE,
    SAMPLE_LINES,
    Annotate,
    annotator,
    expected_findings,
    kill_group,
    make_corpus_directory,
    read_jsonl,
    tree_bytes,
)

import cleanup
from cleanup.corpus import CorpusError, annotate_paths

RECORDS = [json.loads(line) for line in SAMPLE_LINES]


@pytest.fixture(params=["api", "cli"])
def annotate(request: pytest.FixtureRequest) -> Annotate:
    """Run a corpus annotation through `annotate_paths` or ``cleanup annotate``."""
    return annotator(str(request.param))


def findings_of(text: str) -> list[dict[str, Any]]:
    return expected_findings(text)


def compact(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: f[key] for key in ("rule", "start", "end", "replacement")} for f in findings]


def dropping(record: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    return [f for f in findings_of(record["text"]) if f["rule"].startswith(prefix)]


# --replace-field ---------------------------------------------------------------------------


def test_replace_field_writes_the_fixed_text_in_place_and_keeps_the_rest(
        tmp_path: Path, annotate: Annotate) -> None:
    outcome = annotate(SAMPLE, tmp_path / "out.jsonl", fix=True, replace_field=True,
                       keep_original_as="text_original")
    assert outcome.exit_code == 0
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(RECORDS)
    changed = 0
    for line, original in zip(lines, RECORDS, strict=True):
        record = json.loads(line)  # every line is valid JSON
        # Same keys in the same order: the field in its place, the original and the
        # annotation after the others.
        assert list(record) == [*original, "text_original", "cleanup"]
        assert record["text"] == cleanup.fix(original["text"]).text
        assert record["text_original"] == original["text"]
        assert {k: v for k, v in record.items() if k not in ("text", "text_original",
                                                             "cleanup")} == {
            k: v for k, v in original.items() if k != "text"}
        # The findings point into the original text; `fixed` is the field itself now.
        assert record["cleanup"] == {"findings": findings_of(original["text"])}
        changed += record["text"] != original["text"]
    assert changed > len(RECORDS) // 4


def test_replace_field_without_keeping_the_original_leaves_no_trace_of_it(
        tmp_path: Path, annotate: Annotate) -> None:
    annotate(SAMPLE, tmp_path / "out.jsonl", fix=True, replace_field=True)
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [list(r) for r in records] == [[*original, "cleanup"] for original in RECORDS]
    assert [r["text"] for r in records] == [cleanup.fix(r["text"]).text for r in RECORDS]
    assert [r["id"] for r in records] == [r["id"] for r in RECORDS]


def test_replace_field_without_fix_is_a_usage_error_that_says_so(tmp_path: Path,
                                                                 annotate: Annotate) -> None:
    outcome = annotate(SAMPLE, tmp_path / "out.jsonl", replace_field=True)
    assert outcome.exit_code == 2
    assert "--replace-field" in outcome.message and "needs --fix" in outcome.message
    assert not (tmp_path / "out.jsonl").exists()
    kept = annotate(SAMPLE, tmp_path / "out.jsonl", fix=True, keep_original_as="raw")
    assert kept.exit_code == 2 and "needs --replace-field" in kept.message


def test_replace_field_reads_tsv_rows_as_records(tmp_path: Path) -> None:
    source = tmp_path / "pairs.tsv"
    source.write_text("id\ten\n1\tGood morning , Sir\n2\tEverything â€™fine\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cleanup", "annotate", str(source),
                           str(tmp_path / "pairs.jsonl"), "--field", "en", "--workers", "1",
                           "--fix", "--replace-field", "--keep-original-as", "en_raw"],
                          check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    records = read_jsonl(tmp_path / "pairs.jsonl")
    assert [(r["id"], r["en"], r["en_raw"]) for r in records] == [
        ("1", "Good morning, Sir", "Good morning , Sir"),
        ("2", "Everything ’fine", "Everything â€™fine")]


# --drop-if -----------------------------------------------------------------------------------


def test_drop_if_sends_records_to_the_exclusion_file_with_why(tmp_path: Path,
                                                              annotate: Annotate) -> None:
    outcome = annotate(SAMPLE, tmp_path / "out.jsonl", drop_if=["CU1"], id_field="id",
                       stats_path=tmp_path / "stats.json")
    assert outcome.exit_code == 0  # dropping is what was asked for, not a failure
    kept = read_jsonl(tmp_path / "out.jsonl")
    dropped = read_jsonl(tmp_path / "out.jsonl.dropped.jsonl")
    expected_dropped = [(line, r) for line, r in enumerate(RECORDS, 1) if dropping(r, "CU1")]
    assert 0 < len(expected_dropped) < len(RECORDS)
    assert [r["id"] for r in kept] == [r["id"] for r in RECORDS if not dropping(r, "CU1")]
    assert [(d["line"], d["id"]) for d in dropped] == [(line, r["id"])
                                                       for line, r in expected_dropped]
    for entry, (_, original) in zip(dropped, expected_dropped, strict=True):
        assert list(entry) == ["source", "line", "id", "rules", "findings", "record"]
        assert entry["source"].endswith("sample.jsonl")
        assert entry["findings"] == dropping(original, "CU1")
        assert entry["rules"] == sorted({f["rule"] for f in entry["findings"]})
        # The record as the output would have held it.
        assert entry["record"] == {**original, "cleanup": {"findings":
                                                           findings_of(original["text"])}}
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert stats["dropped"] == len(dropped) and stats["annotated"] == len(RECORDS)
    assert stats["annotated"] + stats["errors"] == stats["records"]


def test_kept_and_dropped_records_together_are_the_run_without_drop_if(tmp_path: Path) -> None:
    whole = annotate_paths(str(SAMPLE), str(tmp_path / "all.jsonl"), workers=1,
                           progress=False)
    summary = annotate_paths(str(SAMPLE), str(tmp_path / "kept.jsonl"), workers=1,
                             progress=False, drop_if=["invisible", "CU404"],
                             dropped_path=str(tmp_path / "why.jsonl"))
    kept = read_jsonl(tmp_path / "kept.jsonl")
    dropped = read_jsonl(tmp_path / "why.jsonl")
    assert not (tmp_path / "kept.jsonl.dropped.jsonl").exists()
    assert {rule for d in dropped for rule in d["rules"]} <= {"CU404", "CU501", "CU502",
                                                              "CU503", "CU504", "CU505"}
    by_id = {r["id"]: r for r in kept} | {d["record"]["id"]: d["record"] for d in dropped}
    assert [by_id[r["id"]] for r in read_jsonl(tmp_path / "all.jsonl")] == read_jsonl(
        tmp_path / "all.jsonl")
    assert summary.stats.dropped == len(dropped)
    table = summary.render()
    assert "dropped" in table and f"why.jsonl ({len(dropped)} records)" in table
    def counts(stats: Any) -> dict[str, Any]:
        return {k: v for k, v in stats.to_dict().items() if k not in ("seconds", "dropped")}

    assert counts(whole.stats) == counts(summary.stats)


def test_drop_if_with_two_workers_writes_the_same_files_as_one(tmp_path: Path,
                                                               annotate: Annotate) -> None:
    corpus = make_corpus_directory(tmp_path)  # JSON Lines, gzip, Parquet, malformed records
    options = {"drop_if": ["CU1", "CU404"], "batch_size": 3}
    one = annotate(corpus, tmp_path / "one", workers=1, **options)
    two = annotate(corpus, tmp_path / "two", workers=2, **options)
    assert one.exit_code == two.exit_code == 1  # the malformed records
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")
    for suffix in (".errors.jsonl", ".dropped.jsonl"):
        assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes()
    dropped = read_jsonl(tmp_path / "one.dropped.jsonl")
    # One exclusion file for the directory, in shard order, then line order.
    order = ["a.jsonl", "c.jsonl", "d.parquet", "b.jsonl.gz"]
    keys = [(order.index(Path(d["source"]).name), d["line"]) for d in dropped]
    assert keys == sorted(keys) and {k[0] for k in keys} >= {0, 2, 3}


def test_drop_if_and_resume_skip_finished_shards_and_keep_their_dropped_records(
        tmp_path: Path) -> None:
    corpus = make_corpus_directory(tmp_path)
    options: dict[str, Any] = {"workers": 1, "progress": False, "drop_if": ["CU1"]}
    annotate_paths(str(corpus), str(tmp_path / "fresh"), **options)
    annotate_paths(str(corpus), str(tmp_path / "out"), **options)
    (tmp_path / "out" / ".cleanup" / "a.jsonl.done").unlink()  # as if killed before it
    resumed = annotate_paths(str(corpus), str(tmp_path / "out"), resume=True, **options)
    assert resumed.skipped_shards == 3
    assert (tmp_path / "out.dropped.jsonl").read_bytes() == (
        tmp_path / "fresh.dropped.jsonl").read_bytes()
    # Another --drop-if changes what a shard holds: every shard is redone.
    again = annotate_paths(str(corpus), str(tmp_path / "out"), resume=True,
                           **{**options, "drop_if": ["CU5"]})
    assert again.skipped_shards == 0


def test_drop_if_options_that_cannot_work_are_usage_errors(tmp_path: Path,
                                                           annotate: Annotate) -> None:
    unknown = annotate(SAMPLE, tmp_path / "o.jsonl", drop_if=["CU9999"])
    assert unknown.exit_code == 2 and "unknown rule code" in unknown.message
    unselected = annotate(SAMPLE, tmp_path / "o.jsonl", drop_if=["CU1"], select=["CU5"])
    assert unselected.exit_code == 2 and "none of its rules runs" in unselected.message
    lonely = annotate(SAMPLE, tmp_path / "o.jsonl", dropped_path=tmp_path / "d.jsonl")
    assert lonely.exit_code == 2 and "needs --drop-if" in lonely.message
    clobber = annotate(SAMPLE, tmp_path / "o.jsonl", drop_if=["CU1"], dropped_path=SAMPLE)
    assert clobber.exit_code == 2 and "would overwrite" in clobber.message


# --annotation compact -----------------------------------------------------------------------


def test_compact_annotation_keeps_only_each_findings_edit(tmp_path: Path,
                                                          annotate: Annotate) -> None:
    outcome = annotate(SAMPLE, tmp_path / "out.jsonl", annotation="compact", fix=True)
    assert outcome.exit_code == 0
    records = read_jsonl(tmp_path / "out.jsonl")
    assert len(records) == len(RECORDS)
    for record, original in zip(records, RECORDS, strict=True):
        assert record["cleanup"] == {"findings": compact(findings_of(original["text"])),
                                     "fixed": cleanup.fix(original["text"]).text}
    assert any(record["cleanup"]["findings"] for record in records)
    full = annotate(SAMPLE, tmp_path / "full.jsonl", annotation="full")
    assert full.exit_code == 0
    assert (tmp_path / "out.jsonl").stat().st_size < (tmp_path / "full.jsonl").stat().st_size


def test_compact_findings_load_as_a_table_of_structs() -> None:
    """Objects, not tuples: Arrow (and so `datasets` and pandas) read them as one struct type."""
    import pyarrow as pa

    found = [compact(findings_of(r["text"])) for r in RECORDS]
    column = pa.array(found)
    assert column.type == pa.list_(pa.struct([("rule", pa.string()), ("start", pa.int64()),
                                              ("end", pa.int64()),
                                              ("replacement", pa.string())]))


# Parquet with each option --------------------------------------------------------------------


@pytest.fixture
def parquet_input(tmp_path: Path) -> Path:
    return make_corpus_directory(tmp_path) / "d.parquet"


def test_parquet_replace_field_keeps_the_schema_and_adds_the_original(
        tmp_path: Path, parquet_input: Path, annotate: Annotate) -> None:
    import pyarrow.parquet as pq

    outcome = annotate(parquet_input, tmp_path / "out.parquet", fix=True, replace_field=True,
                       keep_original_as="text_original")
    assert outcome.exit_code == 1  # rows with a null text, as without the option
    before, after = pq.read_table(parquet_input), pq.read_table(tmp_path / "out.parquet")
    assert after.schema.names == [*before.schema.names, "text_original", "cleanup"]
    for name in before.schema.names:
        assert after.schema.field(name) == before.schema.field(name)
    rows = [r for r in before.to_pylist() if r["text"] is not None]
    for row, original in zip(after.to_pylist(), rows, strict=True):
        assert row["text"] == cleanup.fix(original["text"]).text
        assert row["text_original"] == original["text"]
        assert {k: row[k] for k in original if k != "text"} == {
            k: v for k, v in original.items() if k != "text"}
        assert "fixed" not in row["cleanup"]
        assert [dict(f, data=json.loads(f["data"])) for f in row["cleanup"]["findings"]] == \
            findings_of(original["text"])


def test_parquet_drop_if_and_compact(tmp_path: Path, parquet_input: Path,
                                     annotate: Annotate) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    annotate(parquet_input, tmp_path / "out.parquet", drop_if=["CU1"], annotation="compact",
             id_field="id")
    before = [r for r in pq.read_table(parquet_input).to_pylist() if r["text"] is not None]
    after = pq.read_table(tmp_path / "out.parquet")
    assert after.schema.field("cleanup").type == pa.struct([("findings", pa.list_(pa.struct([
        ("rule", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("replacement", pa.string())])))])
    kept = [r for r in before if not dropping(r, "CU1")]
    assert [r["id"] for r in after.to_pylist()] == [r["id"] for r in kept]
    assert [r["cleanup"]["findings"] for r in after.to_pylist()] == [
        compact(findings_of(r["text"])) for r in kept]
    dropped = read_jsonl(tmp_path / "out.parquet.dropped.jsonl")
    assert [d["id"] for d in dropped] == [r["id"] for r in before if dropping(r, "CU1")]
    assert dropped and all(d["record"]["cleanup"]["findings"] == compact(
        findings_of(d["record"]["text"])) for d in dropped)
    assert all(d["findings"] == dropping(d["record"], "CU1") for d in dropped)


# The HTML report of a run that drops and compacts ---------------------------------------------


def test_report_samples_dropped_records_and_compact_findings(tmp_path: Path) -> None:
    annotate_paths(str(SAMPLE), str(tmp_path / "out.jsonl"), workers=1, progress=False,
                   drop_if=["CU101"], annotation="compact", fix=True, replace_field=True,
                   keep_original_as="raw", report_path=str(tmp_path / "report.html"))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "records dropped (--drop-if)" in html
    # Dropped records are sampled, with the message of the findings that dropped them...
    assert '<span class="muted">dropped: ' in html
    assert re.search(r'<span id="rule-CU101-1-m">UTF-8 read as Windows-1252', html)
    # ... in the original text (kept under `raw`)...
    assert re.search(r'data-rule="CU101"[^>]*>â€™</mark>', html)
    # ... and a compact finding has no message: the rule's name stands in for it.
    assert '<span id="rule-CU404-1-m">space-before-punctuation</span>' in html


# A single-file run stopped by Ctrl-C continues where it stopped --------------------------------


def big_input(folder: Path, copies: int = 40) -> Path:
    """The sample, ``copies`` times over (ids made unique): a run of a few seconds."""
    source = folder / "big.jsonl"
    lines = []
    for copy in range(copies):
        for record in RECORDS:
            lines.append(json.dumps({**record, "id": f"{record['id']}-{copy}"},
                                    ensure_ascii=False) + "\n")
    source.write_text("".join(lines), encoding="utf-8")
    return source


def interrupt_after_first_batches(args: list[str], output: Path, cwd: Path | None = None
                                  ) -> str:
    """Run ``args`` (in ``cwd``), send SIGINT once the dropped-records file (plain JSON Lines,
    written batch by batch) has reached the disk, and return the run's last line."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True, cwd=cwd)
    try:
        deadline = time.monotonic() + 120
        pattern = f".{output.name}.dropped.jsonl.*.cleanup-tmp"
        while not any(p.stat().st_size for p in output.parent.glob(pattern)):
            assert time.monotonic() < deadline and process.poll() is None, "no batch written"
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr
    return stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(("name", "names"), [("out.jsonl", False), ("out.jsonl.gz", True)])
def test_a_single_file_run_stopped_by_sigint_resumes_to_the_same_bytes(
        tmp_path: Path, name: str, names: bool) -> None:
    big_input(tmp_path)
    output = tmp_path / name
    options = ["--workers", "1", "--batch-size", "5", "--drop-if", "CU101", "--fix",
               *([] if names else ["--ignore", "CU3"])]
    # Paths relative to the working directory, as people type them.
    command = [sys.executable, "-m", "cleanup", "annotate", "big.jsonl", name, *options]
    last = interrupt_after_first_batches(command, output, cwd=tmp_path)
    assert "interrupted by SIGINT after" in last and "--resume continues from line" in last
    stopped_at = int(last.rsplit("line ", 1)[1].rstrip(")").replace(",", ""))
    assert 1 < stopped_at < 1920
    assert not output.exists()  # the output appears whole or not at all

    resumed = subprocess.run([*command, "--resume", "--stats", "resumed.json"], check=False,
                             capture_output=True, text=True, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed: continued {name} from line {stopped_at:,}" in resumed.stderr
    fresh = tmp_path / f"fresh-{name}"
    once = subprocess.run([*command[:5], fresh.name, *options, "--stats", "once.json"],
                          check=False, capture_output=True, text=True, cwd=tmp_path)
    assert once.returncode == 0, once.stderr
    assert output.read_bytes() == fresh.read_bytes()
    assert Path(f"{output}.dropped.jsonl").read_bytes() == Path(
        f"{fresh}.dropped.jsonl").read_bytes()
    counts = [json.loads((tmp_path / f"{run}.json").read_text(encoding="utf-8")) | {
        "seconds": 0} for run in ("resumed", "once")]
    assert counts[0] == counts[1] and counts[0]["records"] == 1920
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    if name.endswith(".gz"):
        assert len(gzip.decompress(output.read_bytes()).splitlines()) == 1920 - counts[0][
            "dropped"]


def test_a_single_file_run_killed_outright_continues_from_its_last_checkpoint(
        tmp_path: Path) -> None:
    """SIGKILL leaves no time to write anything: the run continues from the progress file of
    its last periodic checkpoint (every 0.2 s here instead of 10 s, to keep the test short)."""
    source = big_input(tmp_path)
    output = tmp_path / "out.jsonl.gz"
    options: dict[str, Any] = {"workers": 2, "batch_size": 5, "drop_if": ["CU101"],
                               "ignore": ["CU3"], "progress": False}
    script = ("import cleanup.corpus.checkpoint as checkpoint\n"
              "checkpoint.CHECKPOINT_SECONDS = 0.2\n"
              "from cleanup.corpus import annotate_paths\n"
              f"annotate_paths({str(source)!r}, {str(output)!r}, **{options!r})\n")
    process = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    progress = tmp_path / ".out.jsonl.gz.progress.cleanup-tmp"
    try:
        deadline = time.monotonic() + 120
        while not progress.exists() or json.loads(progress.read_text(encoding="utf-8"))[
                "boundaries"][-1]["line"] < 200:
            assert time.monotonic() < deadline and process.poll() is None, process.stderr
            time.sleep(0.02)
        kill_group(process)
    finally:
        kill_group(process)
    assert not output.exists()
    resumed = annotate_paths(str(source), str(output), resume=True, **options)
    [note] = [note for note in resumed.notes if note.startswith("resumed:")]
    assert note.startswith("resumed: continued out.jsonl.gz from line ")
    annotate_paths(str(source), str(tmp_path / "fresh.jsonl.gz"), **options)
    assert output.read_bytes() == (tmp_path / "fresh.jsonl.gz").read_bytes()
    assert (tmp_path / "out.jsonl.gz.dropped.jsonl").read_bytes() == (
        tmp_path / "fresh.jsonl.gz.dropped.jsonl").read_bytes()


def test_a_stopped_run_is_redone_when_its_progress_no_longer_holds(tmp_path: Path) -> None:
    source = big_input(tmp_path, copies=20)
    output = tmp_path / "out.jsonl"
    options = ["--workers", "1", "--batch-size", "2", "--drop-if", "CU101", "--ignore", "CU3"]
    command = [sys.executable, "-m", "cleanup", "annotate", str(source), str(output), *options]
    interrupt_after_first_batches(command, output)
    # Other options: the run starts over, and says why.
    other = subprocess.run([*command, "--resume", "--annotation", "compact"], check=False,
                           capture_output=True, text=True)
    assert other.returncode == 0, other.stderr
    assert "resumed: redone out.jsonl (options changed)" in other.stderr
    fresh = annotate_paths(str(source), str(tmp_path / "fresh.jsonl"), workers=1,
                           progress=False, drop_if=["CU101"], ignore=["CU3"],
                           annotation="compact")
    assert output.read_bytes() == (tmp_path / "fresh.jsonl").read_bytes()
    assert fresh.stats.dropped > 0

    # A changed input: the same.
    interrupt_after_first_batches(command, output)
    with source.open("a", encoding="utf-8") as more:
        more.write(SAMPLE_LINES[0])
    changed = annotate_paths(str(source), str(output), workers=1, progress=False, resume=True,
                             drop_if=["CU101"], ignore=["CU3"], batch_size=2)
    assert "resumed: redone out.jsonl (input changed)" in changed.render()
    assert changed.stats.records == 961


def test_a_stopped_parquet_run_leaves_nothing_and_is_redone_whole(tmp_path: Path) -> None:
    """A Parquet file's footer describes all its row groups: a half-written one cannot be
    continued, so Ctrl-C removes it and --resume starts over, to the same bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = read_jsonl(big_input(tmp_path, copies=20))
    source = tmp_path / "big.parquet"
    pq.write_table(pa.Table.from_pylist([{k: r[k] for k in ("id", "text", "score")}
                                         for r in records]), source)
    output = tmp_path / "out.parquet"
    options = ["--workers", "1", "--batch-size", "2", "--drop-if", "CU101", "--ignore", "CU3",
               "--annotation", "compact"]
    command = [sys.executable, "-m", "cleanup", "annotate", str(source), str(output), *options]
    last = interrupt_after_first_batches(command, output)
    assert "interrupted by SIGINT" in last and "--resume" not in last
    assert not list(tmp_path.glob(".*cleanup-tmp"))
    resumed = subprocess.run([*command, "--resume"], check=False, capture_output=True,
                             text=True)
    assert resumed.returncode == 0, resumed.stderr
    annotate_paths(str(source), str(tmp_path / "fresh.parquet"), workers=1, progress=False,
                   batch_size=2, drop_if=["CU101"], ignore=["CU3"], annotation="compact")
    assert output.read_bytes() == (tmp_path / "fresh.parquet").read_bytes()
    assert Path(f"{output}.dropped.jsonl").read_bytes() == (
        tmp_path / "fresh.parquet.dropped.jsonl").read_bytes()


def test_runs_without_the_new_options_write_no_new_files_or_counts(tmp_path: Path) -> None:
    summary = annotate_paths(str(SAMPLE), str(tmp_path / "out.jsonl"), workers=1,
                             progress=False, stats_path=str(tmp_path / "stats.json"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "stats.json"]
    assert "dropped" not in json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert "dropped" not in summary.render()
    assert read_jsonl(tmp_path / "out.jsonl")[0]["cleanup"] == {
        "findings": findings_of(RECORDS[0]["text"])}


def test_unknown_annotation_shape_is_an_error() -> None:
    with pytest.raises(CorpusError, match="unknown annotation 'tiny'"):
        annotate_paths(str(SAMPLE), "/nonexistent/o.jsonl", annotation="tiny")


def test_language_names_the_documents_language_so_half_untranslated_text_is_reported(
        tmp_path: Path) -> None:
    """Half of this machine translation is still Russian. Left to itself, cleanup calls such
    a text bilingual and reports neither language; a corpus builder who knows the output is
    English says so with --language, and the Russian sentences are untranslated fragments."""
    text = ("The talks ended late on Tuesday without an agreement. " * 12
            + "Переговоры закончились поздно вечером во вторник. " * 11)
    source = tmp_path / "mt.jsonl"
    source.write_text(json.dumps({"text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    found = {}
    for name, options in (("guessed", []), ("told", ["--language", "en"])):
        output = tmp_path / f"{name}.jsonl"
        done = subprocess.run([sys.executable, "-m", "cleanup", "annotate", str(source),
                               str(output), "--workers", "1", "--select", "foreign_fragment",
                               *options], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        record = json.loads(output.read_text(encoding="utf-8"))
        found[name] = [(f["rule"], f["data"]["lang"]) for f in record["cleanup"]["findings"]]
    assert found["guessed"] == []
    assert found["told"] and set(found["told"]) == {("CU201", "ru")}
