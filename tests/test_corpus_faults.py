"""Corpus runs under the faults real machines have (issue 12): stale resume markers, records
Python can read but UTF-8 cannot write, two runs on one output, a run stopped by a signal.

Every test runs real files through `cleanup.corpus.annotate_paths` or ``cleanup annotate`` as a
subprocess; runs that must be stopped midway read a FIFO fed by the test, so they are provably
inside a shard however fast the machine is.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest
from test_corpus import SAMPLE_LINES, cli_args, read_jsonl, tree_bytes

from cleanup.corpus import CorpusError, annotate_paths

#: Without name rules: their first pass would read a whole FIFO before annotating anything.
NO_NAMES: dict[str, Any] = {"ignore": ["CU3"], "progress": False}


def two_shards(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text("".join(SAMPLE_LINES[:10]), encoding="utf-8")
    (corpus / "b.jsonl").write_text("".join(SAMPLE_LINES[10:20]), encoding="utf-8")
    return corpus


def shard_bytes(directory: Path) -> dict[str, bytes]:
    """The output shards (not the markers, which name their inputs' times)."""
    return {name: data for name, data in tree_bytes(directory).items()
            if not name.startswith(".cleanup")}


# 7. --resume trusts only markers that still certify the shard --------------------------------


def test_resume_redoes_a_shard_whose_input_grew(tmp_path: Path) -> None:
    corpus = two_shards(tmp_path)
    annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, **NO_NAMES)
    with open(corpus / "a.jsonl", "a", encoding="utf-8") as grown:
        grown.write("".join(SAMPLE_LINES[30:35]))
    resumed = annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, resume=True,
                             **NO_NAMES)
    assert resumed.skipped_shards == 1
    assert len(read_jsonl(tmp_path / "out" / "a.jsonl")) == 15
    annotate_paths(str(corpus), str(tmp_path / "fresh"), workers=1, **NO_NAMES)
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "fresh")
    assert resumed.stats.records == 25
    assert any("a.jsonl" in note and "input changed" in note for note in resumed.notes)


def test_resume_redoes_a_shard_whose_content_changed_behind_the_same_size_and_time(
        tmp_path: Path) -> None:
    corpus = two_shards(tmp_path)
    annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, **NO_NAMES)
    shard = corpus / "b.jsonl"
    before = shard.stat()
    text = shard.read_text(encoding="utf-8")
    swapped = text.replace("Gospel", "Gosple", 1)
    assert swapped != text and len(swapped.encode()) == len(text.encode())
    shard.write_text(swapped, encoding="utf-8")
    os.utime(shard, ns=(before.st_atime_ns, before.st_mtime_ns))
    resumed = annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, resume=True,
                             **NO_NAMES)
    assert resumed.skipped_shards == 1
    assert "Gosple" in (tmp_path / "out" / "b.jsonl").read_text(encoding="utf-8")


def test_resume_with_other_options_redoes_every_shard(tmp_path: Path) -> None:
    corpus = two_shards(tmp_path)
    annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, **NO_NAMES)
    resumed = annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, resume=True,
                             fix=True, **NO_NAMES)
    assert resumed.skipped_shards == 0
    for name in ("a.jsonl", "b.jsonl"):
        assert all("fixed" in r["cleanup"] for r in read_jsonl(tmp_path / "out" / name))
    again = annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, resume=True,
                           fix=True, **NO_NAMES)
    assert again.skipped_shards == 2


def test_resume_through_the_cli_skips_only_unchanged_shards(tmp_path: Path) -> None:
    corpus = two_shards(tmp_path)
    command = cli_args(corpus, tmp_path / "out", workers=1, ignore=["CU3"])
    subprocess.run(command, check=True, capture_output=True)
    (corpus / "a.jsonl").write_text("".join(SAMPLE_LINES[:12]), encoding="utf-8")
    done = subprocess.run([*command, "--resume"], check=True, capture_output=True, text=True)
    assert "1 completed shards skipped" in done.stderr or "1 completed shard skipped" in done.stderr
    assert len(read_jsonl(tmp_path / "out" / "a.jsonl")) == 12


# 9. a record Python reads but UTF-8 cannot hold ------------------------------------------------


LONE_SURROGATE = '{"id": "s", "text": "half a pair: \\ud800 here"}\n'


@pytest.mark.parametrize("workers", [1, 2])
def test_a_record_with_a_lone_surrogate_goes_to_the_errors_file(tmp_path: Path,
                                                               workers: int) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(SAMPLE_LINES[0] + LONE_SURROGATE + SAMPLE_LINES[1], encoding="utf-8")
    summary = annotate_paths(str(source), str(tmp_path / "out.jsonl"), workers=workers,
                             progress=False)
    assert summary.exit_code == 1
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["dev-2", "dev-4"]
    [error] = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert error["line"] == 2 and "surrogate" in error["reason"] and "'text'" in error["reason"]
    assert error["raw"] == LONE_SURROGATE.rstrip("\n")


def test_surrogate_pairs_written_as_escapes_are_ordinary_characters(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "smile \\ud83d\\ude00 , ok"}\n', encoding="utf-8")
    summary = annotate_paths(str(source), str(tmp_path / "out.jsonl"), workers=1,
                             progress=False)
    assert summary.exit_code == 0
    [record] = read_jsonl(tmp_path / "out.jsonl")
    assert record["text"] == "smile \U0001f600 , ok"


def test_cli_annotates_the_rest_around_a_lone_surrogate(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(LONE_SURROGATE + SAMPLE_LINES[2], encoding="utf-8")
    done = subprocess.run(cli_args(source, tmp_path / "out.jsonl", workers=1), check=False,
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 1
    assert len(read_jsonl(tmp_path / "out.jsonl.errors.jsonl")) == 1


# 10. two runs writing the same output --------------------------------------------------------


@contextmanager
def run_held_on_a_fifo(corpus: Path, output: Path, **options: Any
                       ) -> Iterator[tuple[subprocess.Popen[str], IO[str]]]:
    """A ``cleanup annotate`` subprocess stopped inside the FIFO shard ``corpus/c.jsonl``,
    its temporary output written; the caller feeds the rest through the yielded pipe."""
    fifo = corpus / "c.jsonl"
    os.mkfifo(fifo)
    command = cli_args(corpus, output, batch_size=2, ignore=["CU3"], **options)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        with open(fifo, "w", encoding="utf-8") as feed:  # blocks until the run opens it
            feed.write("".join(SAMPLE_LINES[20:40]))  # more than a write buffer
            feed.flush()
            deadline = time.monotonic() + 60
            while not any(p.stat().st_size for p in output.glob(".c.jsonl.*.cleanup-tmp")):
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.02)
            yield process, feed
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_two_runs_writing_the_same_output_both_finish_whole(tmp_path: Path) -> None:
    corpus = two_shards(tmp_path)
    with run_held_on_a_fifo(corpus, tmp_path / "out", workers=1) as (first, feed):
        # A second run over the same output, from start to end, while the first is midway.
        second = corpus.parent / "corpus2"
        second.mkdir()
        for name in ("a.jsonl", "b.jsonl"):
            (second / name).write_bytes((corpus / name).read_bytes())
        (second / "c.jsonl").write_text("".join(SAMPLE_LINES[20:]), encoding="utf-8")
        summary = annotate_paths(str(second), str(tmp_path / "out"), workers=1, **NO_NAMES)
        assert summary.stats.files == 3
        feed.write("".join(SAMPLE_LINES[40:]))
        feed.close()
        _, stderr = first.communicate(timeout=60)
    assert first.returncode == 0, stderr
    assert "Traceback" not in stderr
    (corpus / "c.jsonl").unlink()
    (corpus / "c.jsonl").write_text("".join(SAMPLE_LINES[20:]), encoding="utf-8")
    annotate_paths(str(corpus), str(tmp_path / "fresh"), workers=1, **NO_NAMES)
    assert shard_bytes(tmp_path / "out") == shard_bytes(tmp_path / "fresh")


def test_a_temporary_file_left_by_a_dead_run_is_removed_by_the_next(tmp_path: Path) -> None:
    corpus = two_shards(tmp_path)
    stale = tmp_path / "out" / ".a.jsonl.999999999.cleanup-tmp"
    stale.parent.mkdir()
    stale.write_text("left by a killed run\n", encoding="utf-8")
    annotate_paths(str(corpus), str(tmp_path / "out"), workers=1, **NO_NAMES)
    assert not stale.exists()


# 12. stopping a run ------------------------------------------------------------------------


def group_members(group: int) -> list[int]:
    """Live (not zombie) processes of process group ``group``, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def wait_for_workers(process: subprocess.Popen[str], count: int) -> None:
    """Until ``process`` has ``count`` child processes (its workers) besides itself."""
    deadline = time.monotonic() + 60
    while len([pid for pid in group_members(process.pid) if pid != process.pid]) < count:
        assert time.monotonic() < deadline and process.poll() is None, "workers never started"
        time.sleep(0.05)


def wait_for_group_to_empty(group: int, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while group_members(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    return group_members(group)


@pytest.mark.parametrize(("stop", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_annotate_and_its_workers_at_once(tmp_path: Path, stop: signal.Signals,
                                                         exit_code: int) -> None:
    corpus = two_shards(tmp_path)
    with run_held_on_a_fifo(corpus, tmp_path / "out", workers=2) as (process, _feed):
        wait_for_workers(process, 2)
        process.send_signal(stop)  # the parent alone, as `kill` or a scheduler sends it
        try:
            _, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail(f"cleanup annotate still running 10 s after {stop.name}")
        left = wait_for_group_to_empty(process.pid, 5)
    assert left == [], f"processes left running after {stop.name}: {left}"
    assert process.returncode == exit_code, stderr
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert f"interrupted by {stop.name}" in last and "2 of 3 shards complete" in last, last
    assert not list((tmp_path / "out").glob(".*.cleanup-tmp"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".cleanup", "a.jsonl",
                                                                   "b.jsonl"]


def test_workers_of_a_killed_run_do_not_outlive_it(tmp_path: Path) -> None:
    corpus = two_shards(tmp_path)
    with run_held_on_a_fifo(corpus, tmp_path / "out", workers=2) as (process, _feed):
        wait_for_workers(process, 2)
        process.kill()
        process.wait()
        left = wait_for_group_to_empty(process.pid, 10)
    assert left == [], f"workers left running after SIGKILL: {left}"


# Also: an output that is the input -----------------------------------------------------------


def test_annotating_a_directory_into_itself_says_it_would_overwrite_it(tmp_path: Path) -> None:
    corpus = two_shards(tmp_path)
    with pytest.raises(CorpusError, match="would overwrite its input"):
        annotate_paths(str(corpus), str(corpus), workers=1, progress=False)
    done = subprocess.run(cli_args(corpus, corpus, workers=1), check=False, capture_output=True,
                          text=True)
    assert done.returncode == 2 and "would overwrite its input" in done.stderr
    assert json.loads((corpus / "a.jsonl").read_text(encoding="utf-8").splitlines()[0])


def test_a_wrong_field_stops_after_the_first_batch_naming_the_fields_the_records_have(
        tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": n, "body": f"Text number {n}."}) + "\n"
                              for n in range(5000)), encoding="utf-8")
    output = tmp_path / "out.jsonl"
    done = subprocess.run(cli_args(source, output, workers=1), check=False,
                          capture_output=True, text=True)
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last == (f"error: {source}: no record of the first batch has the field 'text'; "
                    "the records have: body, id (name one with --field)")
    assert not list(tmp_path.glob("out.jsonl*"))  # nothing written, not 5,000 error records
    # A field some records lack is no reason to stop: those records are errors, as ever.
    source.write_text('{"text": "Fine."}\n{"body": "No text."}\n', encoding="utf-8")
    done = subprocess.run(cli_args(source, output, workers=1), check=False,
                          capture_output=True, text=True)
    assert done.returncode == 1 and output.exists()
