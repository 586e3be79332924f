"""What a person sees at a terminal: `--format full` snippets and the coloured `fix --diff`,
from the CLI run as a subprocess (on a real terminal too, through a pty)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TEXT = ("The Gaz\u0430 Strip o\u200bf the plan.\n"
        "漢字 [Израиля] text , here\n")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    base = {key: value for key, value in os.environ.items()
            if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], check=False,
                          cwd=cwd, capture_output=True, env=base | (env or {}), timeout=300)


def on_terminal(*args: str, cwd: Path) -> bytes:
    """What the command writes to a real terminal (a pty), stderr included."""
    import pty

    controller, terminal = pty.openpty()
    env = {key: value for key, value in os.environ.items()
           if key not in ("NO_COLOR", "FORCE_COLOR")}
    with subprocess.Popen([sys.executable, "-m", "cleanup", *args], cwd=cwd, stdout=terminal,
                          stderr=terminal, env=env) as process:
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
        process.wait(timeout=300)
    os.close(controller)
    return output


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    (tmp_path / "news.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def test_full_format_prints_each_finding_with_its_line_and_carets(damaged: Path) -> None:
    result = run("check", "--output-format", "full", "news.txt", cwd=damaged)
    assert result.returncode == 1
    out = result.stdout.decode()
    assert out == run("check", "--format", "full", "news.txt", cwd=damaged).stdout.decode()
    blocks = out.split("\n\n")
    homoglyph = next(block for block in blocks if "CU601" in block).splitlines()
    assert homoglyph == [
        ('news.txt:1:5: CU601 [*] mixed-script word "Gazа": Cyrillic `а` (CYRILLIC SMALL LETTER '
        'A) in a Latin word; replace with "Gaza"'),
        "  |",
        ("1 | The Gaz⟨а U+0430 CYRILLIC SMALL LETTER A⟩ Strip o⟨U+200B ZERO WIDTH SPACE⟩f the "
        "plan."),
        "  |     " + "^" * len("Gaz⟨а U+0430 CYRILLIC SMALL LETTER A⟩") + " CU601",
        "  |",
        '  = fix: replace "Gaz⟨а U+0430 CYRILLIC SMALL LETTER A⟩" with "Gaza"',
    ]
    invisible = next(block for block in blocks if "CU501" in block).splitlines()
    assert invisible[3] == "  |" + " " * (1 + len("The Gaz\u0430 Strip o")) + "^" * len("⟨U+200B ZERO WIDTH SPACE⟩") + " CU501"
    assert invisible[5] == '  = fix: remove "⟨U+200B ZERO WIDTH SPACE⟩"'
    assert out.rstrip().endswith("(3 fixable with `cleanup fix`).")


def test_full_format_aligns_carets_under_wide_characters(damaged: Path) -> None:
    out = run("check", "--format", "full", "news.txt", cwd=damaged).stdout.decode()
    fragment = next(block for block in out.split("\n\n") if '"[Израиля]"' in block)
    source, carets = fragment.splitlines()[2:4]
    assert source == "2 | 漢字 [Израиля] text , here"
    # 漢字 take two columns each, so `[` is in column 6 of the source
    assert carets == "  |      ^^^^^^^^^ CU201"
    space = next(block for block in out.split("\n\n") if "CU404" in block).splitlines()[3]
    assert space == "  |" + " " * (1 + len("漢字 [Израиля] text") + 2) + "^ CU404"


def test_full_format_cuts_a_long_line_around_the_span(tmp_path: Path) -> None:
    words = " ".join(f"word{n}" for n in range(200))
    (tmp_path / "long.txt").write_text(f"{words} [Израиля] {words}.\n", encoding="utf-8")
    out = run("check", "--format", "full", "--select", "CU2", "long.txt",
              cwd=tmp_path).stdout.decode()
    source, carets = out.splitlines()[2:4]
    assert source.startswith("1 | …") and source.endswith("…")
    assert len(source) <= 4 + 100 + 2
    column = carets.index("^")
    assert source[column:column + 9] == "[Израиля]" and carets[column:].startswith("^" * 9 + " ")


def test_fix_diff_on_a_terminal_is_coloured_and_shows_unseen_changes(damaged: Path) -> None:
    shown = on_terminal("fix", "--diff", "news.txt", cwd=damaged).decode()
    assert "\x1b[31m-The Gaz\x1b[7m⟨а U+0430 CYRILLIC SMALL LETTER A⟩\x1b[0m" in shown
    assert "\x1b[7m⟨U+200B ZERO WIDTH SPACE⟩\x1b[0m" in shown
    assert "\x1b[32m+The Gaz\x1b[7ma\x1b[0m" in shown
    assert "\x1b[36m@@ -1,2 +1,2 @@\x1b[0m" in shown


def test_fix_diff_colour_follows_force_color_and_no_color(damaged: Path) -> None:
    forced = run("fix", "--diff", "news.txt", cwd=damaged, env={"FORCE_COLOR": "1"})
    assert b"\x1b[31m-" in forced.stdout
    refused = run("fix", "--diff", "news.txt", cwd=damaged,
                  env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert b"\x1b[" not in refused.stdout + refused.stderr


def test_plain_fix_diff_stays_a_patch_and_notes_lines_that_look_unchanged(
        damaged: Path) -> None:
    result = run("fix", "--diff", "news.txt", cwd=damaged)
    assert result.returncode == 1
    assert b"\x1b[" not in result.stdout
    lines = result.stdout.decode().splitlines()
    assert "-The Gaz\u0430 Strip o\u200bf the plan." in lines
    assert "+The Gaza Strip of the plan." in lines
    notes = [line for line in result.stderr.decode().splitlines() if "looks unchanged" in line]
    assert notes == [('news.txt:1: looks unchanged, but replaces ⟨а U+0430 CYRILLIC SMALL LETTER '
                     'A⟩ with "a"; removes ⟨U+200B ZERO WIDTH SPACE⟩')]
    # the patch applies: it turns the file into what `fix` writes
    patched = subprocess.run(["patch", "-o", "-", "news.txt"], input=result.stdout, cwd=damaged,
                             capture_output=True, check=False)
    if patched.returncode == 127 or b"not found" in patched.stderr:
        pytest.skip("no patch program")
    fixed = run("fix", "--stdout", "news.txt", cwd=damaged).stdout
    assert patched.stdout == fixed
