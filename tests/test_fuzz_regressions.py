"""Minimal examples the property tests (`make fuzz`) found, kept so that they stay fixed."""

from __future__ import annotations

import cleanup


def test_a_letter_without_a_unicode_name_next_to_mojibake_is_checked() -> None:
    # U+17000 (TANGUT IDEOGRAPH) is a letter that Python 3.11's unicodedata has no name for;
    # the mojibake scorer split its missing name and crashed.
    text = "\U00017000caf\u00c3\u00a9"
    assert cleanup.fix(text).text == "\U00017000café"


def test_a_text_whose_repairs_do_not_settle_is_its_own_fix() -> None:
    # CU102 reads a Cyrillic letter and two U+FFFD as UTF-8 mis-decoded as cp1251 and repairs
    # them to one U+FFFD, eating a letter a pass; here that goes on for more than five passes.
    # fix used to stop after five and return a text it would go on changing.
    text = "Москва" + "\ufffd\ufffd\u00b0" * 4
    fixed = cleanup.fix(text)
    assert cleanup.fix(fixed.text).text == fixed.text
    assert cleanup.fix(fixed.text).edits == []


def test_a_second_fix_of_a_file_changes_nothing(tmp_path) -> None:
    # The issue's reproduction: a soft hyphen and a homoglyph in one word. The passes' edits
    # once overlapped, so one `cleanup fix` wrote `Gazaа` and a second one `Gazaa`.
    import subprocess
    import sys

    page = tmp_path / "page.txt"
    page.write_text("Gaz\u00ad\u0430 is a city.\n", encoding="utf-8")
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "cleanup", "fix", "--unsafe-fixes", str(page)],
                       check=False, capture_output=True)
        assert page.read_text(encoding="utf-8") == "Gaza is a city.\n"


def test_fix_of_a_control_between_two_scripts_is_its_own_fix() -> None:
    # From 200-character random snippets: `а\x07e` fixed to `аe`, then to `ае`.
    fixed = cleanup.fix("\u0430\x07e")
    assert cleanup.fix(fixed.text).text == fixed.text
