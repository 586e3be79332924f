"""The `cleanup` command run for real, as a subprocess, on real files in a temporary folder."""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

FILES = Path(__file__).resolve().parent.parent / "fixtures" / "files"
MIXED = FILES / "mixed-endings-bom-invalid-byte.txt"

DAMAGED = "The caf\u00c3\u00a9 owners went back to Washington .\n"
CLEAN = "The company said exports fell by a fifth compared with last year.\n"


def run(*args: str | Path, cwd: Path, stdin: bytes | None = None,
        preexec_fn=None) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], check=False,
                          cwd=cwd, input=stdin, capture_output=True, env=env, timeout=300,
                          preexec_fn=preexec_fn)


def jsonl(result: subprocess.CompletedProcess[bytes]) -> list[dict]:
    return [json.loads(line) for line in result.stdout.decode().splitlines() if line]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "damaged.txt").write_text(DAMAGED, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_check_reports_path_line_column_code_and_exits_1(workdir: Path) -> None:
    result = run("check", "damaged.txt", cwd=workdir)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("damaged.txt:1:8: CU101 ")
    assert lines[1].startswith(f"damaged.txt:1:{DAMAGED.index(' .') + 1}: CU404 ")
    assert "\x1b[" not in result.stdout.decode()  # no colour when not on a terminal


def test_text_output_is_coloured_on_a_terminal_only(workdir: Path) -> None:
    import pty

    controller, terminal = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    with subprocess.Popen([sys.executable, "-m", "cleanup", "check", "damaged.txt"],
                          cwd=workdir, stdout=terminal, stderr=subprocess.DEVNULL,
                          env=env) as process:
        os.close(terminal)
        output = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=300) == 1
    os.close(controller)
    assert b"\x1b[1mdamaged.txt\x1b[0m:1:8: \x1b[31m\x1b[1mCU101\x1b[0m " in output
    assert run("check", "damaged.txt", cwd=workdir).stdout.count(b"\x1b[") == 0


def test_check_of_clean_file_exits_0_and_unreadable_input_exits_2(workdir: Path) -> None:
    assert run("check", "clean.txt", cwd=workdir).returncode == 0
    missing = run("check", "clean.txt", "nope.txt", cwd=workdir)
    assert missing.returncode == 2
    assert missing.stderr.decode().strip() == "error: nope.txt: no such file or directory"


def test_usage_errors_exit_2_with_one_line(workdir: Path) -> None:
    for args in (["check", "--select", "CU999", "clean.txt"], ["check", "--format", "xml"],
                 ["check", "--min-confidence", "3", "clean.txt"], ["frobnicate"]):
        result = run(*args, cwd=workdir)
        assert result.returncode == 2, args
    result = run("check", "--select", "CU999", "clean.txt", cwd=workdir)
    assert result.stderr.decode().strip() == "error: --select: unknown rule code or kind: 'CU999'"


def test_fail_on_and_min_confidence_decide_the_exit_code(workdir: Path) -> None:
    (workdir / "info.txt").write_text("Back to Washington . Then home.\n", encoding="utf-8")
    assert run("check", "info.txt", cwd=workdir).returncode == 1  # CU404 is info
    assert run("check", "--fail-on", "warning", "info.txt", cwd=workdir).returncode == 0
    quiet = run("check", "--min-confidence", "1", "--format", "jsonl", "info.txt", cwd=workdir)
    assert quiet.returncode == 0 and quiet.stdout == b""


def test_select_and_ignore_take_kinds_codes_and_commas(workdir: Path) -> None:
    only = jsonl(run("check", "--format", "jsonl", "--select", "punctuation", "damaged.txt",
                     cwd=workdir))
    assert [f["rule"] for f in only] == ["CU404"]
    rest = jsonl(run("check", "--format", "jsonl", "--ignore", "CU404,invisible",
                     "--ignore", "CU7", "damaged.txt", cwd=workdir))
    assert [f["rule"] for f in rest] == ["CU101"]


def test_jsonl_has_contract_keys_in_order_and_two_runs_are_identical(tmp_path: Path) -> None:
    shutil.copy(MIXED, tmp_path / "mixed.txt")
    first = run("check", "--format", "jsonl", "mixed.txt", cwd=tmp_path)
    second = run("check", "--format", "jsonl", "mixed.txt", cwd=tmp_path)
    assert first.stdout == second.stdout and first.returncode == 1
    findings = jsonl(first)
    assert list(findings[0]) == ["kind", "rule", "start", "end", "text", "message",
                                 "replacement", "safe", "severity", "confidence", "data",
                                 "path", "line", "column", "byte_start", "byte_end"]
    invalid = next(f for f in findings if f["rule"] == "CU703")
    assert invalid["byte_start"] == MIXED.read_bytes().index(b"\x92")
    assert invalid["data"] == {"bytes": "92"} and invalid["kind"] == "lost_character"


def test_json_is_an_array_and_an_empty_run_prints_an_empty_array(workdir: Path) -> None:
    found = json.loads(run("check", "--format", "json", "damaged.txt", cwd=workdir).stdout)
    assert isinstance(found, list) and found[0]["path"] == "damaged.txt"
    assert json.loads(run("check", "--format", "json", "clean.txt", cwd=workdir).stdout) == []


def test_fix_rewrites_only_damaged_spans_of_a_bom_crlf_cr_invalid_byte_file(
        tmp_path: Path) -> None:
    target = tmp_path / "mixed.txt"
    shutil.copy(MIXED, target)
    original = target.read_bytes()
    result = run("fix", "mixed.txt", cwd=tmp_path)
    assert result.returncode == 1  # the invalid byte cannot be fixed and remains
    assert target.read_bytes() == (original
                                   .replace(b"caf\xc3\x83\xc2\xa9", b"caf\xc3\xa9")
                                   .replace(b"Washington .", b"Washington.")
                                   .replace(b"o\xe2\x80\x8bf", b"of"))
    assert "mixed.txt:4:9: CU703" in result.stdout.decode()
    assert os.listdir(tmp_path) == ["mixed.txt"]


def test_fix_exit_codes_and_exit_non_zero_on_fix(workdir: Path) -> None:
    assert run("fix", "clean.txt", cwd=workdir).returncode == 0
    fixed = run("fix", "damaged.txt", cwd=workdir)
    assert fixed.returncode == 0, fixed.stdout  # everything was fixable, nothing is left
    assert (workdir / "damaged.txt").read_text() == "The café owners went back to Washington.\n"
    (workdir / "again.txt").write_text(DAMAGED, encoding="utf-8")
    assert run("fix", "--exit-non-zero-on-fix", "again.txt", cwd=workdir).returncode == 1
    assert run("fix", "--exit-non-zero-on-fix", "again.txt", cwd=workdir).returncode == 0


def test_fix_keeps_the_file_mode(workdir: Path) -> None:
    target = workdir / "damaged.txt"
    target.chmod(0o751)
    run("fix", "damaged.txt", cwd=workdir)
    assert stat.S_IMODE(target.stat().st_mode) == 0o751


def test_fix_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "mixed.txt"
    shutil.copy(MIXED, target)
    result = run("fix", "--diff", "mixed.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert target.read_bytes() == MIXED.read_bytes()
    diff = result.stdout
    assert diff.startswith(b"--- a/mixed.txt\n+++ b/mixed.txt\n@@ ")
    assert b"-The caf\xc3\x83\xc2\xa9 owners went back to Washington .  \r\n" in diff
    assert b"+The caf\xc3\xa9 owners went back to Washington.  \r\n" in diff
    # the last line has no newline: it is context, marked as git marks it
    assert diff.endswith(b" According to media reports, this was caused by growing "
                         b"disagreements\n\\ No newline at end of file\n")


def test_fix_stdout_prints_the_fixed_bytes_and_stdin_is_filtered(workdir: Path) -> None:
    printed = run("fix", "--stdout", "damaged.txt", cwd=workdir)
    assert printed.stdout == "The café owners went back to Washington.\n".encode()
    assert (workdir / "damaged.txt").read_text() == DAMAGED
    piped = run("fix", "-", cwd=workdir, stdin=b"\xef\xbb\xbfo\xe2\x80\x8bf it\r\nx \xff")
    assert piped.stdout == b"\xef\xbb\xbfof it\r\nx \xff"
    assert b"CU703" in piped.stderr  # the report goes to stderr, the text to stdout
    assert piped.returncode == 1


def test_check_reads_stdin_with_a_filename_for_syntax_and_name(workdir: Path) -> None:
    result = run("check", "--format", "jsonl", "--stdin-filename", "page.txt", "-",
                 cwd=workdir, stdin=DAMAGED.encode())
    assert {f["path"] for f in jsonl(result)} == {"page.txt"}
    assert run("check", "-", cwd=workdir, stdin=CLEAN.encode()).returncode == 0


def test_cp1251_file_is_one_finding_and_unsafe_fix_converts_it(tmp_path: Path) -> None:
    target = tmp_path / "ru.txt"
    shutil.copy(FILES / "russian.cp1251.txt", target)
    result = run("check", "--format", "jsonl", "ru.txt", cwd=tmp_path)
    assert [f["rule"] for f in jsonl(result)] == ["CU106"]
    assert jsonl(result)[0]["data"]["encoding"] == "cp1251"
    assert run("fix", "ru.txt", cwd=tmp_path).returncode == 1
    assert target.read_bytes() == (FILES / "russian.cp1251.txt").read_bytes()
    run("fix", "--unsafe-fixes", "ru.txt", cwd=tmp_path)
    converted = target.read_bytes().decode("utf-8")
    assert converted.startswith("В наши дни, чтобы следовать духу Евангелия")
    assert "CU106" not in run("check", "ru.txt", cwd=tmp_path).stdout.decode()


def test_foreign_policy_option_decides_what_unsafe_fixes_do_to_fragments(
        workdir: Path) -> None:
    (workdir / "seed.txt").write_text(
        "Some Biden aides urge him to criticize the prime minister more openly [Израиля] due "
        "to the military operation.\n", encoding="utf-8")

    def fixed(*options: str) -> str:
        return run("fix", "--stdout", *options, "seed.txt", cwd=workdir).stdout.decode()

    assert "openly [Израиля] due" in fixed("--foreign", "drop")  # unsafe: not without the flag
    assert "openly due to" in fixed("--unsafe-fixes", "--foreign", "drop")
    assert "openly [Israel] due" in fixed("--unsafe-fixes", "--foreign", "gloss")
    assert "openly [Израиля] due" in fixed("--unsafe-fixes")  # keep is the default
    assert run("fix", "--foreign", "shred", "seed.txt", cwd=workdir).returncode == 2


def test_binary_file_is_skipped_with_a_note(tmp_path: Path) -> None:
    shutil.copy(FILES / "pixel.png", tmp_path / "pixel.png")
    shutil.copy(FILES / "empty.txt", tmp_path / "empty.txt")
    result = run("check", "pixel.png", "empty.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.decode() == "pixel.png: skipped: binary file\n"
    assert run("fix", "pixel.png", cwd=tmp_path).returncode == 0
    assert (tmp_path / "pixel.png").read_bytes() == (FILES / "pixel.png").read_bytes()


def test_directories_are_walked_honouring_gitignore(workdir: Path) -> None:
    (workdir / ".gitignore").write_text("ignored/\n")
    (workdir / "ignored").mkdir()
    (workdir / "ignored" / "bad.txt").write_text(DAMAGED)
    (workdir / ".git").mkdir()
    (workdir / ".git" / "bad.txt").write_text(DAMAGED)
    (workdir / "sub").mkdir()
    (workdir / "sub" / "bad.md").write_text(DAMAGED)
    result = run("check", "--format", "jsonl", ".", cwd=workdir)
    assert sorted({f["path"] for f in jsonl(result)}) == ["damaged.txt", "sub/bad.md"]


def test_interrupted_write_leaves_the_original_and_no_temporary_file(tmp_path: Path) -> None:
    """A real failing write: the child may not write files over 4 KiB (RLIMIT_FSIZE), so
    writing the fixed 64 KiB file fails part-way with EFBIG, as on a full disk."""
    target = tmp_path / "big.txt"
    original = (DAMAGED + CLEAN * 1000).encode()
    target.write_bytes(original)

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = run("fix", "big.txt", cwd=tmp_path, preexec_fn=limit_file_size)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("error: big.txt: cannot write: File too large")
    assert target.read_bytes() == original
    assert os.listdir(tmp_path) == ["big.txt"]


def test_config_file_is_found_walking_up_and_flags_override_it(workdir: Path) -> None:
    (workdir / ".cleanup.toml").write_text('ignore = ["CU404"]\nfail-on = "error"\n')
    (workdir / "sub").mkdir()
    (workdir / "sub" / "info.txt").write_text("Back to Washington . Then home.\n")
    assert run("check", "sub/info.txt", cwd=workdir).returncode == 0
    assert run("check", "info.txt", cwd=workdir / "sub").returncode == 0
    assert run("check", "--isolated", "sub/info.txt", cwd=workdir).returncode == 1
    assert run("check", "--fail-on", "info", "--select", "CU404", "sub/info.txt",
               cwd=workdir).returncode == 0  # --select replaces select; ignore still holds
    other = workdir / "other.toml"
    other.write_text("select = [\"punctuation\"]\n")
    assert run("check", "--config", other, "sub/info.txt", cwd=workdir).returncode == 1


def test_pyproject_tool_cleanup_table_is_a_config(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.cleanup]\n'
                                            'ignore = ["mojibake", "punctuation"]\n')
    assert run("check", "damaged.txt", cwd=workdir).returncode == 0


def test_config_errors_exit_2_naming_file_and_line(workdir: Path) -> None:
    config = workdir / ".cleanup.toml"
    config.write_text('fail-on = "error"\n\ncolour = "red"\n')
    result = run("check", "clean.txt", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == f"{config}:3: unknown config key 'colour'"
    config.write_text('severity = { CU999 = "error" }\n')
    result = run("check", "clean.txt", cwd=workdir)
    assert result.returncode == 2 and result.stderr.decode().startswith(f"{config}:1: ")
    config.write_text("select = [\n")
    result = run("check", "clean.txt", cwd=workdir)
    assert result.returncode == 2 and "invalid TOML" in result.stderr.decode()


def test_exclude_applies_to_files_named_on_the_command_line(workdir: Path) -> None:
    (workdir / ".cleanup.toml").write_text('exclude = ["vendor/", "*.gen.txt"]\n')
    (workdir / "vendor").mkdir()
    (workdir / "vendor" / "bad.txt").write_text(DAMAGED)
    (workdir / "out.gen.txt").write_text(DAMAGED)
    assert run("check", "vendor/bad.txt", "out.gen.txt", cwd=workdir).returncode == 0
    assert run("check", "--force-exclude", "vendor/bad.txt", cwd=workdir).returncode == 0
    assert run("check", "--no-force-exclude", "vendor/bad.txt", cwd=workdir).returncode == 1
    assert run("fix", "out.gen.txt", cwd=workdir).returncode == 0
    assert (workdir / "out.gen.txt").read_text() == DAMAGED
    walked = jsonl(run("check", "--format", "jsonl", ".", cwd=workdir))
    assert {f["path"] for f in walked} == {"damaged.txt"}


def test_per_file_ignores_and_severity_overrides(workdir: Path) -> None:
    (workdir / ".cleanup.toml").write_text(
        '[per-file-ignores]\n"*.txt" = ["CU404"]\n\n[severity]\nCU101 = "info"\n')
    found = jsonl(run("check", "--format", "jsonl", "damaged.txt", cwd=workdir))
    assert [(f["rule"], f["severity"]) for f in found] == [("CU101", "info")]


def test_markdown_files_are_checked_as_markdown(workdir: Path) -> None:
    (workdir / "page.md").write_text("Netanyahu&#8217;s office\n")
    (workdir / "page.txt").write_text("Netanyahu&#8217;s office\n")
    assert run("check", "page.md", cwd=workdir).returncode == 0
    assert run("check", "page.txt", cwd=workdir).returncode == 1


def test_statistics_count_findings_per_rule(workdir: Path) -> None:
    (workdir / "more.txt").write_text(DAMAGED + "Then back to Paris .\n")
    result = run("check", "--statistics", ".", cwd=workdir)
    lines = result.stdout.decode().splitlines()
    assert lines[0].split()[:3] == ["3", "CU404", "[*]"]
    assert lines[1].split()[:2] == ["2", "CU101"]
    assert result.returncode == 1


def test_sarif_and_github_formats(workdir: Path) -> None:
    sarif = json.loads(run("check", "--format", "sarif", "damaged.txt", cwd=workdir).stdout)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    assert {rule["id"] for rule in run_["tool"]["driver"]["rules"]} >= {"CU101", "CU703"}
    result = run_["results"][0]
    assert result["ruleId"] == "CU101" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "damaged.txt"
    assert location["region"]["startColumn"] == 8 and location["region"]["endColumn"] == 10
    assert result["fixes"][0]["artifactChanges"][0]["replacements"][0][
        "insertedContent"]["text"] == "é"
    github = run("check", "--format", "github", "damaged.txt", cwd=workdir).stdout.decode()
    assert github.splitlines()[0].startswith(
        "::error file=damaged.txt,line=1,col=8,endLine=1,endColumn=10,title=CU101::")


def test_baseline_fails_only_on_new_findings(workdir: Path) -> None:
    written = run("check", "--write-baseline", "baseline.json", ".", cwd=workdir)
    assert written.returncode == 0 and (workdir / "baseline.json").is_file()
    assert run("check", "--baseline", "baseline.json", ".", cwd=workdir).returncode == 0
    with (workdir / "clean.txt").open("a") as handle:
        handle.write("A new line o\u200bf damage.\n")
    result = run("check", "--baseline", "baseline.json", "--format", "jsonl", ".", cwd=workdir)
    assert result.returncode == 1
    assert [(f["path"], f["rule"]) for f in jsonl(result)] == [("clean.txt", "CU501")]
    broken = run("check", "--baseline", "missing.json", ".", cwd=workdir)
    assert broken.returncode == 2 and "missing.json" in broken.stderr.decode()


def test_name_variants_are_found_across_the_files_of_one_run(workdir: Path) -> None:
    for number in (1, 2):
        (workdir / f"report{number}.txt").write_text(
            f"Hamas leader Ismail Haniyeh spoke on day {number}.\n")
    (workdir / "report3.txt").write_text("Hamas leader Ismail Haniya spoke again.\n")
    found = jsonl(run("check", "--format", "jsonl", "--select", "name_variant",
                      "report1.txt", "report2.txt", "report3.txt", cwd=workdir))
    assert [(f["path"], f["text"], f["replacement"]) for f in found] == \
        [("report3.txt", "Ismail Haniya", "Ismail Haniyeh")]
    alone = run("check", "--select", "name_variant", "report3.txt", cwd=workdir)
    assert alone.returncode == 0


def test_rules_lists_every_rule_and_explains_one(workdir: Path) -> None:
    table = run("rules", cwd=workdir)
    assert table.returncode == 0
    lines = table.stdout.decode().splitlines()
    assert lines[0].split() == ["code", "kind", "name", "fix", "severity"]
    assert lines[1].split()[:5] == ["CU101", "mojibake", "utf8-read-as-latin", "safe", "error"]
    docs = run("rules", "CU101", cwd=workdir).stdout.decode()
    for section in ("# utf8-read-as-latin (CU101)", "## What it does", "## Why is this bad?",
                    "## Example", "## Fix safety"):
        assert section in docs
    assert run("rules", "CU999", cwd=workdir).returncode == 2


def test_config_command_shows_values_and_their_sources(workdir: Path) -> None:
    config = workdir / ".cleanup.toml"
    config.write_text('fail-on = "warning"\n')
    shown = run("config", "--format", "json", "--language", "en", cwd=workdir)
    data = json.loads(shown.stdout)
    assert data["config"]["fail-on"] == "warning"
    assert data["sources"]["fail-on"] == str(config)
    assert data["sources"]["language"] == "command line (--language)"
    assert data["sources"]["select"] == "default"
    text = run("config", cwd=workdir).stdout.decode()
    assert 'fail-on = "warning"' in text and str(config) in text
    (workdir / "sub").mkdir()
    (workdir / "sub" / ".cleanup.toml").write_text('fail-on = "error"\n')
    for near in ("sub", "sub/a.txt"):
        shown = json.loads(run("config", near, "--format", "json", cwd=workdir).stdout)
        assert shown["config"]["fail-on"] == "error", near
        assert shown["config_file"] == str(workdir / "sub" / ".cleanup.toml")


def test_checking_a_utf8_file_imports_no_encoding_guesser_globber_or_rich(workdir: Path) -> None:
    """Startup cost: charset-normalizer only for files that are not UTF-8, pathspec only for
    globs and walks, rich never (typer's help only)."""
    probe = ("import sys, runpy\n"
             "sys.argv = ['cleanup', 'check', '--select', 'CU4', 'damaged.txt']\n"
             "try:\n    runpy.run_module('cleanup', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "heavy = {'charset_normalizer', 'pathspec', 'rich', 'pydantic'}\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=workdir, capture_output=True,
                            check=False, timeout=300)
    assert result.stdout.decode().splitlines()[-1] == "[]"


def test_help_teaches_with_an_example_per_command(workdir: Path) -> None:
    for command in ("check", "fix", "rules", "config"):
        result = run(command, "--help", cwd=workdir)
        assert result.returncode == 0
        assert "Examples:" in result.stdout.decode()
        assert f"cleanup {command}" in result.stdout.decode()
    version = run("--version", cwd=workdir).stdout.decode()
    assert version.startswith("cleanup ")


def test_names_groups_spellings_across_files_and_check_flags_only_the_odd_one(
        tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ismail Haniyeh said the talks had failed.\n")
    (tmp_path / "b.txt").write_text("Hamas leader Ismail Haniyeh arrived in Cairo.\n")
    (tmp_path / "c.txt").write_text("On Monday, Ismail Haniya said the offer was studied.\n")
    table = run("names", ".", cwd=tmp_path)
    assert table.returncode == 1
    assert "Ismail Haniya " in table.stdout.decode() and "c.txt:1:12" in table.stdout.decode()
    groups = json.loads(run("names", "--format", "json", ".", cwd=tmp_path).stdout)
    assert [g["canonical"] for g in groups] == ["Ismail Haniyeh"]
    assert {v["spelling"]: v["count"] for v in groups[0]["variants"]} == {
        "Ismail Haniyeh": 2, "Ismail Haniya": 1}
    found = jsonl(run("check", "--format", "jsonl", "a.txt", "b.txt", "c.txt", cwd=tmp_path))
    assert [(f["path"], f["text"], f["replacement"]) for f in found] == [
        ("c.txt", "Ismail Haniya", "Ismail Haniyeh")]


def test_names_exits_zero_when_everyone_is_spelled_one_way(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Jake Sullivan met Dan Sullivan.\n")
    result = run("names", "a.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stdout.decode()


def test_a_missing_path_is_one_error_and_no_all_clear(tmp_path: Path) -> None:
    result = run("check", "nope.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == "error: nope.txt: no such file or directory\n"
    assert result.stdout == b""


def test_an_empty_folder_or_one_without_text_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("check", "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == "error: empty: no text files to check\n"
    (tmp_path / "images").mkdir()
    shutil.copy(FILES / "pixel.png", tmp_path / "images" / "pixel.png")
    result = run("check", "images", cwd=tmp_path)
    assert result.returncode == 2
    assert "images: no text files to check (1 skipped)" in result.stderr.decode()


def test_a_document_format_says_how_to_extract_its_text(tmp_path: Path) -> None:
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00word/document.xml")
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    named = run("check", "report.docx", cwd=tmp_path)
    assert named.returncode == 2
    assert named.stderr.decode() == ("error: report.docx: a Word document is not text; extract "
                                     "its text first, for example: pandoc report.docx -t plain"
                                     " -o text.txt\n")
    (tmp_path / "notes.txt").write_text("fine\n")
    walked = run("check", ".", cwd=tmp_path)  # found in a folder: a note, the rest is checked
    assert walked.returncode == 0, walked.stderr
    assert "paper.pdf: a PDF is not text; extract its text first, for example: pdftotext" \
        in walked.stderr.decode()


def test_unknown_names_suggest_the_closest_one(workdir: Path) -> None:
    result = run("check", "--select", "mojibak", "clean.txt", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "error: --select: unknown rule code or kind: 'mojibak' (did you mean 'mojibake'?)")
    (workdir / ".cleanup.toml").write_text('fail-onn = "error"\n')
    result = run("check", "clean.txt", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.decode().strip().endswith(
        "unknown config key 'fail-onn' (did you mean 'fail-on'?)")


def test_an_unsafe_foreign_policy_without_unsafe_fixes_says_how_to_enable_it(
        tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("He criticized it more openly [Израиля] due to that.\n")
    result = run("fix", "--foreign", "gloss", "a.txt", cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr.decode() + result.stdout.decode()
    assert "note: --foreign gloss changes content, an unsafe fix" in err
    assert "1 hidden fix can be enabled with `--unsafe-fixes`" in err
    assert (tmp_path / "a.txt").read_text().count("Израиля") == 1
    applied = run("fix", "--foreign", "gloss", "--unsafe-fixes", "a.txt", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "[Israel]" in (tmp_path / "a.txt").read_text()


def test_in_code_files_homoglyph_fixes_are_unsafe_and_bidi_controls_still_errors(
        tmp_path: Path) -> None:
    source = 'def p\u0430y():\n    return "ok"  # access\u202e level\n'
    (tmp_path / "pay.py").write_text(source, encoding="utf-8")
    (tmp_path / "pay.txt").write_text(source, encoding="utf-8")
    found = json.loads(run("check", "--isolated", "--format", "json", "pay.py", "pay.txt",
                           cwd=tmp_path).stdout)
    by_file = {(f["path"], f["rule"]): f for f in found}
    assert by_file[("pay.py", "CU601")]["safe"] is False
    assert by_file[("pay.txt", "CU601")]["safe"] is True
    assert by_file[("pay.py", "CU504")]["severity"] == "error"
    run("fix", "--isolated", "pay.py", cwd=tmp_path)
    assert "p\u0430y" in (tmp_path / "pay.py").read_text(encoding="utf-8")  # identifier kept
    assert "\u202e" not in (tmp_path / "pay.py").read_text(encoding="utf-8")
