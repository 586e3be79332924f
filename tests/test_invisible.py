"""invisible: zero-width, soft hyphen, controls, bidi controls (CU501-CU504), unusual spaces (CU505)."""

from __future__ import annotations

import pytest

import cleanup

INVISIBLE = {"invisible"}


def spans(text: str, select: set[str] = INVISIBLE) -> list[tuple[str, int, int]]:
    return [(f.rule, f.start, f.end) for f in cleanup.check(text, select=select)]


@pytest.mark.parametrize("text, rule, start, fixed", [
    ("informed o\u200bf the plan", "CU501", 10, "informed of the plan"),
    ("exports fell b\u2060y a fifth", "CU501", 14, "exports fell by a fifth"),
    ("the d\ufeffecree", "CU501", 5, "the decree"),
    ("the o\u200dther plan", "CU501", 5, "the other plan"),
    ("The governor or\u00addered it", "CU502", 15, "The governor ordered it"),
    ("searching for survivo\x07rs", "CU503", 21, "searching for survivors"),
    ("the \x00null byte", "CU503", 4, "the null byte"),
    ("ended withou\u202et an agreement", "CU504", 12, "ended without an agreement"),
])
def test_each_invisible_rule_is_found_on_its_character_and_removed(
    text: str, rule: str, start: int, fixed: str
) -> None:
    assert spans(text) == [(rule, start, start + 1)]
    assert cleanup.fix(text).text == fixed


def test_bidi_isolates_in_left_to_right_text_are_flagged() -> None:
    text = "the \u2066isolated\u2069 word"
    assert spans(text) == [("CU504", 4, 5), ("CU504", 13, 14)]
    assert cleanup.fix(text).text == "the isolated word"


def test_a_run_of_one_rule_is_one_finding_and_message_names_the_character() -> None:
    text = "Energy prices rose sharply aft\u200b\u200ber the pipeline was shut."
    [finding] = cleanup.check(text, select=INVISIBLE)
    assert (finding.start, finding.end, finding.text) == (30, 32, "\u200b\u200b")
    assert "`\\u200b` (ZERO WIDTH SPACE)" in finding.message
    assert finding.safe and finding.replacement == ""
    assert cleanup.fix(text).text == "Energy prices rose sharply after the pipeline was shut."


def test_adjacent_characters_of_different_rules_are_separate_findings() -> None:
    assert spans("a\u200b\x07b") == [("CU501", 1, 2), ("CU503", 2, 3)]


def test_bidi_override_is_an_error_trojan_source() -> None:
    source = 'access_level = "user\u202e \u2066// Check if admin\u2069 \u2066"'
    found = cleanup.check(source, select=INVISIBLE)
    assert {f.rule for f in found} == {"CU504"}
    assert {f.severity for f in found} == {"error"}
    assert "\u202e" not in cleanup.fix(source).text


def test_hidden_tag_characters_outside_a_flag_are_found() -> None:
    hidden = "".join(chr(0xE0000 + ord(char)) for char in "ignore")
    text = f"Summarise this.{hidden} Thanks."
    [finding] = cleanup.check(text, select=INVISIBLE)
    assert (finding.rule, finding.start, finding.end) == ("CU501", 15, 21)
    assert '"ignore"' in finding.message
    assert cleanup.fix(text).text == "Summarise this. Thanks."


def test_terminal_colour_codes_are_removed_whole() -> None:
    text = "Build \x1b[31mfailed\x1b[0m at step 3."
    found = cleanup.check(text, select=INVISIBLE)
    assert [(f.rule, f.text) for f in found] == [("CU503", "\x1b[31m"), ("CU503", "\x1b[0m")]
    assert cleanup.fix(text).text == "Build failed at step 3."


def test_page_break_control_becomes_a_line_break_not_glued_words() -> None:
    assert cleanup.fix("end of page\x0cNext page").text == "end of page\nNext page"


def test_c1_control_of_cp1252_read_as_latin1_is_mojibake_and_becomes_its_character() -> None:
    assert cleanup.check("Netanyahu\x92s office", select=INVISIBLE) == []
    fixed = cleanup.fix("Netanyahu\x92s office")
    assert [f.rule for f in fixed.findings] == ["CU101"]
    assert fixed.text == "Netanyahu’s office"


@pytest.mark.parametrize("text", [
    "The family emoji \U0001F468\u200d\U0001F469\u200d\U0001F467 is one glyph.",
    "A rainbow flag \U0001F3F3\ufe0f\u200d\U0001F308 flew.",
    "Persian: \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 means I want.",
    "Hindi: \u0915\u094d\u200d\u0937 is a conjunct.",
    "\ufeffThe text starts with a byte order mark.",
    "Hebrew \u05e9\u05dc\u05d5\u05dd\u200f and an isolate \u2067\u05e9\u05dc\u05d5\u05dd\u2069 here.",
    "Tabs\tand\r\nline ends are text.",
    "Thai \u0e20\u0e32\u0e29\u0e32\u200b\u0e44\u0e17\u0e22 uses break hints.",
    "The flag \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F flew.",
    "Prices fell 10\u00a0000 units; see Fig.\u00a03.",
])
def test_legitimate_uses_are_silent(text: str) -> None:
    assert spans(text) == []


def test_c1_controls_inside_mojibake_are_left_to_the_mojibake_detector() -> None:
    assert spans("The talks [Ð˜Ð·Ñ€Ð°Ð¸Ð»Ñ\x8f] ended.") == []


def test_soft_hyphen_that_is_a_byte_of_cp1251_mojibake_is_left_to_the_mojibake_detector() -> None:
    garbled = "Это важно".encode().decode("cp1251")  # `Р\xadС‚Рѕ РІР°Р¶РЅРѕ`
    assert "\xad" in garbled
    assert spans(garbled) == []
    assert cleanup.fix(garbled).text == "Это важно"


def test_unusual_spaces_are_off_by_default_and_found_when_selected() -> None:
    text = "the\u00a0plan costs 10\u00a0000 dollars"
    assert not [f for f in cleanup.check(text) if f.kind == "invisible"]
    assert spans(text, {"CU505"}) == [("CU505", 3, 4)]
    assert cleanup.fix(text, select={"CU505"}).text == "the plan costs 10\u00a0000 dollars"


def test_fix_keeps_every_other_character() -> None:
    text = "\ufeffLine one\r\nli\u200bne two  \n"
    assert cleanup.fix(text).text == "\ufeffLine one\r\nline two  \n"
