"""Config files a repository carries, read as hostile input (issue 12): where the search for
them stops, what a broken one does, how strictly values are typed, where errors point, and
globs that must not take exponential time. Through `cleanup.Config` and the CLI as a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cleanup
from cleanup.errors import ConfigError

DAMAGED = "The caf\u00c3\u00a9 owners went back to Washington .\n"


def run(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], check=False,
                          cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git working tree (``.git`` folder) inside a folder that is not one, with damage."""
    repo = tmp_path / "home" / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "docs" / "damaged.txt").write_text(DAMAGED, encoding="utf-8")
    return repo


# 16. the search stops at the repository root -----------------------------------------------


@pytest.mark.parametrize("git", ["folder", "file"])
def test_a_config_above_the_repository_does_not_apply_to_it(repository: Path, git: str) -> None:
    if git == "file":  # a linked worktree or a submodule: `.git` is a file naming the real one
        (repository / ".git").rmdir()
        (repository / ".git").write_text("gitdir: /elsewhere/.git/worktrees/repo\n")
    above = repository.parent / ".cleanup.toml"
    above.write_text('unsafe-fixes = true\nignore = ["mojibake", "punctuation"]\n')
    result = run("check", "docs/damaged.txt", cwd=repository)
    assert result.returncode == 1, result.stderr
    assert "CU101" in result.stdout and "CU404" in result.stdout
    shown = json.loads(run("config", "--format", "json", cwd=repository / "docs").stdout)
    assert shown["config_file"] is None and shown["config"]["unsafe-fixes"] is False
    (repository / ".cleanup.toml").write_text('ignore = ["mojibake"]\n')
    result = run("check", "docs/damaged.txt", cwd=repository)
    assert "CU101" not in result.stdout and "CU404" in result.stdout


def test_outside_any_repository_the_search_still_walks_up(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "damaged.txt").write_text(DAMAGED, encoding="utf-8")
    (tmp_path / ".cleanup.toml").write_text('ignore = ["mojibake", "punctuation"]\n')
    assert run("check", "damaged.txt", cwd=tmp_path / "notes").returncode == 0


def test_a_broken_pyproject_with_a_cleanup_table_is_an_error_naming_it(repository: Path) -> None:
    (repository / ".cleanup.toml").write_text('ignore = ["mojibake"]\n')
    broken = repository / "docs" / "pyproject.toml"
    broken.write_text('[tool.cleanup]\nignore = ["punctuation"\n')
    result = run("check", "docs/damaged.txt", cwd=repository)
    assert result.returncode == 2
    [message] = result.stderr.strip().splitlines()
    assert message.startswith(f"{broken}:") and "invalid TOML" in message
    broken.write_bytes(b'[tool.cleanup]\nignore = ["caf\xe9"]\n')
    result = run("check", "docs/damaged.txt", cwd=repository)
    assert result.returncode == 2 and str(broken) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_pyproject_of_another_tool_is_not_a_cleanup_config(repository: Path) -> None:
    (repository / "docs" / "pyproject.toml").write_text('[project\nname = "x"\n')
    (repository / ".cleanup.toml").write_text('ignore = ["mojibake"]\n')
    result = run("check", "docs/damaged.txt", cwd=repository)
    assert result.returncode == 1 and "CU101" not in result.stdout, result.stderr


# Also: strict types, real line numbers, deep nesting ---------------------------------------


@pytest.mark.parametrize("keys", [
    {"min_confidence": True},
    {"select": {"CU101": 1}},
    {"ignore": {"mojibake": True}},
    {"exclude": {"vendor/": "x"}},
    {"canonical_names": {"Haniyeh": 1}},
    {"per_file_ignores": {"*.md": {"CU404": 1}}},
    {"per_file_ignores": {"*.md": 3}},
])
def test_config_values_of_the_wrong_type_are_refused(keys: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        cleanup.Config(**keys)


def test_config_values_of_the_right_type_are_kept() -> None:
    config = cleanup.Config(min_confidence=1, select=["CU101"], exclude="vendor/",
                            per_file_ignores={"*.md": "CU404"})
    assert config.min_confidence == 1.0 and config.select == ("CU101",)
    assert config.exclude == ("vendor/",) and config.per_file_ignores == {"*.md": ("CU404",)}


@pytest.mark.parametrize(("text", "line"), [
    ('fail-on = "error"\n\n[severity]\nCU101 = "info"\nCU999 = "error"\n', 5),
    ('fail-on = "error"\nselect = [\n  "CU101",\n  "CU9999",\n]\n', 4),
    ('ignore = ["CU404"]\n\n[per-file-ignores]\n"*.md" = ["CU404"]\n"*.txt" = ["XX1"]\n', 5),
    ('ignore = ["CU404"]\nmin-confidence = true\n', 2),
    ('severity = { CU101 = "info" }\nlanguage = "en"\n\n\nfail-on = "never"\n', 5),
    ('exclude = [\n  "language = x",\n]\nlanguage = "klingon"\n', 4),
])
def test_config_errors_name_the_line_of_the_key_or_value(tmp_path: Path, text: str,
                                                         line: int) -> None:
    (tmp_path / "clean.txt").write_text("Fine.\n", encoding="utf-8")
    config = tmp_path / ".cleanup.toml"
    config.write_text(text, encoding="utf-8")
    result = run("check", "clean.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{config}:{line}: "), result.stderr


def test_config_errors_in_pyproject_name_the_line_inside_the_tool_table(tmp_path: Path) -> None:
    (tmp_path / "clean.txt").write_text("Fine.\n", encoding="utf-8")
    config = tmp_path / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n\n[tool.cleanup]\nignore = ["CU404"]\n\n'
                      '[tool.cleanup.severity]\nCU404 = "loud"\n', encoding="utf-8")
    result = run("check", "clean.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith(f"{config}:8: "), result.stderr


def test_a_deeply_nested_config_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "clean.txt").write_text("Fine.\n", encoding="utf-8")
    config = tmp_path / ".cleanup.toml"
    config.write_text("exclude = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    result = run("check", "clean.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert str(config) in result.stderr


# 13. a repository's own globs take linear time ---------------------------------------------


def test_a_pathological_exclude_glob_from_a_repository_config_is_fast(repository: Path) -> None:
    """``*a*a*...*ab`` against names of many ``a``s backtracks exponentially in a
    backtracking regex engine: hours for this test on the code before the fix."""
    (repository / ".cleanup.toml").write_text('exclude = ["' + "*a" * 13 + 'b"]\n')
    for length in (30, 60, 120):
        (repository / "docs" / ("a" * length + ".txt")).write_text(DAMAGED, encoding="utf-8")
    result = run("check", "--format", "jsonl", ".", cwd=repository, timeout=120)
    assert result.returncode == 1, result.stderr
    assert len({json.loads(line)["path"] for line in result.stdout.splitlines()}) == 4
