"""Baselines: old findings are excused by rule, file, text and context, counts included.

The library side is tested with real findings of `cleanup.check` located as the CLI locates
them; the CLI side runs `cleanup check --write-baseline` and `--baseline` as a subprocess on a
repository with three old findings and one new one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cleanup
from cleanup.baseline import BaselineError, load_baseline, write_baseline
from cleanup.findings import FileFinding, line_column, line_starts

ZWSP = "\u200b"
OLD = f"# Notes\n\nThe o{ZWSP}f plan.\n\nBack to Washington . Later.\n\nThe o{ZWSP}f plan.\n"


def located(path: str, text: str) -> list[FileFinding]:
    """Findings of ``text`` as file findings of ``path`` (bytes offsets as UTF-8)."""
    starts = line_starts(text)
    out = []
    for finding in cleanup.check(text, syntax="markdown"):
        line, column = line_column(starts, finding.start)
        byte_start = len(text[:finding.start].encode())
        out.append(FileFinding(finding, path, line, column, byte_start,
                               byte_start + len(finding.text.encode())))
    return out


def new_findings(baseline_path: Path, path: str, text: str) -> list[FileFinding]:
    baseline = load_baseline(baseline_path)
    return [f for f in located(path, text) if not baseline.contains(f, text)]


@pytest.fixture
def baseline_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "cleanup-baseline.json"
    write_baseline(path, located("notes.md", OLD), {"notes.md": OLD})
    return path


def test_every_written_finding_is_excused(baseline_file: Path) -> None:
    assert len(located("notes.md", OLD)) >= 2
    assert new_findings(baseline_file, "notes.md", OLD) == []


def test_entries_survive_lines_inserted_above(baseline_file: Path) -> None:
    shifted = "Intro line.\n\nAnother one.\n" + OLD
    assert new_findings(baseline_file, "notes.md", shifted) == []


def test_two_old_findings_excuse_two_not_three(baseline_file: Path) -> None:
    three = OLD + f"\nThe o{ZWSP}f plan.\n"
    left = new_findings(baseline_file, "notes.md", three)
    assert [(f.finding.rule, f.line) for f in left] == [("CU501", 9)]


def test_same_damage_in_new_context_or_other_file_is_new(baseline_file: Path) -> None:
    changed = OLD.replace(f"The o{ZWSP}f plan.\n\nBack", f"A new o{ZWSP}f idea.\n\nBack")
    assert [f.line for f in new_findings(baseline_file, "notes.md", changed)] == [3]
    assert len(new_findings(baseline_file, "other.md", OLD)) == len(located("other.md", OLD))


def test_paths_are_relative_to_the_baseline_so_any_working_directory_works(
    baseline_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = json.loads(baseline_file.read_text(encoding="utf-8"))["findings"]
    assert {entry["path"] for entry in entries} == {"notes.md"}
    monkeypatch.chdir("/")
    absolute = str(baseline_file.parent / "notes.md")
    assert new_findings(baseline_file, absolute, OLD) == []


def test_file_is_versioned_sorted_and_stable(tmp_path: Path) -> None:
    findings = located("b.md", OLD) + located("a.md", OLD)
    texts = {"a.md": OLD, "b.md": OLD}
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    write_baseline(first, findings, texts)
    write_baseline(second, list(reversed(findings)), texts)
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["version"] == 1
    keys = [(e["path"], e["rule"], e["text"], e["context"]) for e in data["findings"]]
    assert keys == sorted(keys)
    assert sum(e["count"] for e in data["findings"]) == len(findings)
    # one entry per line: a new finding is a one-line diff
    assert len(first.read_text(encoding="utf-8").splitlines()) == len(data["findings"]) + 6


def test_baseline_file_is_not_damaged_text_itself(tmp_path: Path) -> None:
    damaged = f"The cafÃ© and o{ZWSP}f it.\n"
    path = tmp_path / "baseline.json"
    write_baseline(path, located("a.md", damaged), {"a.md": damaged})
    content = path.read_text(encoding="utf-8")
    assert "\\u00c3\\u00a9" in content and "\\u200b" in content
    assert cleanup.check(content) == []


@pytest.mark.parametrize("content, fragment", [
    ("{not json", "invalid JSON"),
    ('{"version": 99, "findings": []}', "version 99"),
    ('{"version": 1, "findings": [{"path": "a"}]}', "entry 1"),
    ('{"version": 1, "findings": [{"path": "a", "rule": "CU101", "text": "x", "context": "y", '
     + '"count": 0}]}', "entry 1"),
    ("[]", "not a cleanup baseline"),
])
def test_malformed_baseline_is_a_one_line_error(tmp_path: Path, content: str,
                                                fragment: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as error:
        load_baseline(path)
    message = str(error.value)
    assert fragment in message and str(path) in message and "\n" not in message


def test_missing_baseline_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load_baseline(tmp_path / "absent.json")


# --- the CLI ------------------------------------------------------------------------------------

CLEANUP = str(Path(sys.executable).with_name("cleanup"))


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed `cleanup` command, as a user and the pre-commit hook run it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run([CLEANUP, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_cli_baseline_fails_only_on_the_new_finding(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text(f"The o{ZWSP}f plan.\n\nBack to Washington . Later.\n",
                                   encoding="utf-8")
    (tmp_path / "README.md").write_text("The cafÃ© opened.\n", encoding="utf-8")
    (tmp_path / ".cleanup.toml").write_text("", encoding="utf-8")

    before = run_cli("check", "README.md", "docs", cwd=tmp_path)
    assert before.returncode == 1, before.stdout + before.stderr
    written = run_cli("check", "--write-baseline", "cleanup-baseline.json", "README.md", "docs",
                      cwd=tmp_path)
    assert written.returncode == 0, written.stdout + written.stderr
    entries = json.loads((tmp_path / "cleanup-baseline.json").read_text(encoding="utf-8"))
    assert sum(e["count"] for e in entries["findings"]) == 3

    clean = run_cli("check", "--baseline", "cleanup-baseline.json", "README.md", "docs",
                    cwd=tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    guide = docs / "guide.md"
    guide.write_text("New intro.\n\n" + guide.read_text(encoding="utf-8")
                     + f"\nA new o{ZWSP}f line.\n", encoding="utf-8")
    after = run_cli("check", "--baseline", "cleanup-baseline.json", "README.md", "docs",
                    cwd=tmp_path)
    assert after.returncode == 1, after.stdout + after.stderr
    reported = [line for line in after.stdout.splitlines() if ": CU" in line]
    assert len(reported) == 1 and reported[0].startswith(
        os.path.join("docs", "guide.md") + ":7:"), after.stdout


def test_cli_malformed_baseline_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("fine\n", encoding="utf-8")
    (tmp_path / "baseline.json").write_text("{oops", encoding="utf-8")
    result = run_cli("check", "--baseline", "baseline.json", "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "baseline.json" in result.stderr and "invalid JSON" in result.stderr
