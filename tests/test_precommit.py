"""End to end: real `pre-commit run --all-files` with this repository's hooks.

Each test makes a git repository whose `.pre-commit-config.yaml` points at this checkout
(`repo:` its path, `rev:` its HEAD commit), as a user's repository points at a release.
pre-commit clones that commit and pip-installs it into a hook environment, so what is tested
is the COMMITTED code with its declared dependencies: a dependency missing from pyproject.toml
fails here. The environment is built once per session (PRE_COMMIT_HOME in a session temporary
folder) and shared by the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or \
    shutil.which("pre-commit")

DAMAGED = "# Trip\n\nThe cafÃ© opened.\nBack to Washington . Later.\n"
REPAIRED = "# Trip\n\nThe café opened.\nBack to Washington. Later.\n"
CLEAN = "# Fine\n\nNothing is wrong here.\n"

pytestmark = pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed")


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture(scope="session")
def hooks_rev() -> str:
    """The commit pre-commit installs the hooks from: this checkout's HEAD."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return git("rev-parse", "HEAD", cwd=ROOT)


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for pre-commit: its own cache (so hook envs are built once per session),
    no user or system git config, no colour."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update({
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
        "PYTHONIOENCODING": "utf-8",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.org",
    })
    return env


def make_repository(path: Path, files: dict[str, str], rev: str, hooks: list[str]) -> Path:
    path.mkdir()
    git("init", "-q", cwd=path)
    config = [f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n"]
    config += [f"      - id: {hook}\n" for hook in hooks]
    (path / ".pre-commit-config.yaml").write_text("".join(config), encoding="utf-8")
    for name, content in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(content, encoding="utf-8")
    git("add", "-A", cwd=path)
    return path


def pre_commit_run(repository: Path, env: dict[str, str],
                   *hook: str) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None
    return subprocess.run([PRE_COMMIT, "run", *hook, "--all-files"], cwd=repository, env=env,
                          capture_output=True, text=True, timeout=900, check=False)


def finding_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": CU" in line]


def test_check_hook_fails_on_damage_with_located_lines_and_passes_clean_files(
    tmp_path: Path, hooks_rev: str, pre_commit_env: dict[str, str]
) -> None:
    clean_repo = make_repository(tmp_path / "clean", {"README.md": CLEAN}, hooks_rev,
                                 ["cleanup"])
    passed = pre_commit_run(clean_repo, pre_commit_env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    damaged_repo = make_repository(tmp_path / "damaged",
                                   {"README.md": CLEAN, "docs/trip.md": DAMAGED}, hooks_rev,
                                   ["cleanup"])
    failed = pre_commit_run(damaged_repo, pre_commit_env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    lines = finding_lines(failed.stdout)
    assert any(line.startswith("docs/trip.md:3:8: CU101 ") and "Ã©" in line for line in lines)
    assert any(line.startswith("docs/trip.md:4:19: CU404 ") for line in lines)
    assert not any(line.startswith("README.md") for line in lines), failed.stdout
    assert (damaged_repo / "docs/trip.md").read_text(encoding="utf-8") == DAMAGED


def test_inline_ignore_silences_its_line_in_the_hook(
    tmp_path: Path, hooks_rev: str, pre_commit_env: dict[str, str]
) -> None:
    silenced = DAMAGED.replace("opened.", "opened. <!-- cleanup: ignore[CU101] -->")
    repository = make_repository(tmp_path / "repo", {"trip.md": silenced}, hooks_rev,
                                 ["cleanup"])
    result = pre_commit_run(repository, pre_commit_env)
    lines = finding_lines(result.stdout)
    assert [line.split(" ", 2)[:2] for line in lines] == [["trip.md:4:19:", "CU404"]], \
        result.stdout
    assert result.returncode == 1


def test_fix_hook_repairs_the_file_in_place_then_passes(
    tmp_path: Path, hooks_rev: str, pre_commit_env: dict[str, str]
) -> None:
    repository = make_repository(tmp_path / "repo",
                                 {"trip.md": DAMAGED, "README.md": CLEAN}, hooks_rev,
                                 ["cleanup-fix"])
    first = pre_commit_run(repository, pre_commit_env, "cleanup-fix")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "trip.md" in first.stdout
    assert (repository / "trip.md").read_text(encoding="utf-8") == REPAIRED
    assert (repository / "README.md").read_text(encoding="utf-8") == CLEAN
    git("add", "-A", cwd=repository)
    second = pre_commit_run(repository, pre_commit_env, "cleanup-fix")
    assert second.returncode == 0, second.stdout + second.stderr


def test_config_exclude_holds_for_files_pre_commit_names(
    tmp_path: Path, hooks_rev: str, pre_commit_env: dict[str, str]
) -> None:
    repository = make_repository(
        tmp_path / "repo",
        {"vendor/old.md": DAMAGED, "notes.md": CLEAN, ".cleanup.toml": 'exclude = ["vendor/"]\n'},
        hooks_rev, ["cleanup"])
    result = pre_commit_run(repository, pre_commit_env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_with_a_baseline_fails_only_on_new_damage(
    tmp_path: Path, hooks_rev: str, pre_commit_env: dict[str, str]
) -> None:
    old = "The cafÃ© opened.\n\nBack to Washington . Later.\n\nThe o\u200bf plan.\n"
    repository = make_repository(
        tmp_path / "repo", {"docs/old.md": old}, hooks_rev,
        ["cleanup\n        args: [--baseline, .cleanup-baseline.json]"])
    cleanup_command = Path(sys.executable).with_name("cleanup")
    written = subprocess.run([str(cleanup_command), "check", "--write-baseline",
                              ".cleanup-baseline.json", "docs"], cwd=repository, env=pre_commit_env,
                             capture_output=True, text=True, check=False)
    assert written.returncode == 0, written.stderr
    git("add", "-A", cwd=repository)
    assert pre_commit_run(repository, pre_commit_env).returncode == 0

    (repository / "docs/old.md").write_text("A new intro line.\n\n" + old
                                            + "\nNew damage: o\u200bf course.\n",
                                            encoding="utf-8")
    git("add", "-A", cwd=repository)
    result = pre_commit_run(repository, pre_commit_env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert [line.split(" ", 2)[:2] for line in finding_lines(result.stdout)] == \
        [["docs/old.md:9:14:", "CU501"]], result.stdout


def test_hooks_check_and_fix_translation_files_by_their_suffix(
    tmp_path: Path, hooks_rev: str, pre_commit_env: dict[str, str]
) -> None:
    catalog = ('msgid ""\nmsgstr "Language: fr\\n"\n\n'
               'msgid "Password: "\nmsgstr "Mot de passe :"\n\n'
               'msgid "Not found: %(path)s"\nmsgstr "Introuvable : %(chemin)s"\n')
    subtitles = "1\n00:00:01,000 --> 00:00:02,500\nДобрий ве\u200bчір.\n"
    repository = make_repository(
        tmp_path / "repo", {"locale/fr/LC_MESSAGES/django.po": catalog,
                            "locale/django.pot": 'msgid "Password: "\nmsgstr ""\n',
                            "media/film.uk.srt": subtitles}, hooks_rev,
        ["cleanup", "cleanup-fix"])
    checked = pre_commit_run(repository, pre_commit_env, "cleanup")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert {line.split(" ", 2)[0] + line.split(" ", 2)[1]
            for line in finding_lines(checked.stdout)} == {
        "locale/fr/LC_MESSAGES/django.po:5:23:CU808",
        "locale/fr/LC_MESSAGES/django.po:8:23:CU803",
        "locale/fr/LC_MESSAGES/django.po:8:9:CU803",
        "media/film.uk.srt:3:10:CU501"}, checked.stdout
    fixed = pre_commit_run(repository, pre_commit_env, "cleanup-fix")
    assert fixed.returncode == 1
    assert (repository / "locale/fr/LC_MESSAGES/django.po").read_text(encoding="utf-8") == \
        catalog.replace('"Mot de passe :"', '"Mot de passe : "')
    assert (repository / "media/film.uk.srt").read_text(encoding="utf-8") == \
        subtitles.replace("\u200b", "")
