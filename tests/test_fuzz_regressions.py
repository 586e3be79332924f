"""Minimal examples the property tests (`make fuzz`) found, kept so that they stay fixed."""

from __future__ import annotations

import cleanup


def test_a_letter_without_a_unicode_name_next_to_mojibake_is_checked() -> None:
    # U+17000 (TANGUT IDEOGRAPH) is a letter that Python 3.11's unicodedata has no name for;
    # the mojibake scorer split its missing name and crashed.
    text = "\U00017000caf\u00c3\u00a9"
    assert cleanup.fix(text).text == "\U00017000café"
