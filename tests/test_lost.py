"""lost_character: U+FFFD runs (CU701) and `?` standing for a letter (CU702), flagged, never fixed."""

from __future__ import annotations

import pytest

import cleanup

LOST = {"lost_character"}


def spans(text: str) -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.start, f.end, f.text) for f in cleanup.check(text, select=LOST)]


def test_replacement_character_inside_a_word_is_flagged_on_itself() -> None:
    text = "The opposition called for Krak\ufffdw an independent inquiry."
    assert spans(text) == [("CU701", 30, 31, "\ufffd")]


def test_a_run_of_replacement_characters_is_one_finding() -> None:
    text = "Protesters gathered outside S\ufffd\ufffd\ufffdo Paulo."
    [finding] = cleanup.check(text, select=LOST)
    assert (finding.start, finding.end) == (29, 32)
    assert finding.data["count"] == 3


def test_replacement_character_runs_separated_only_by_spaces_are_one_finding() -> None:
    text = "The minister [\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd] resigned."
    [finding] = cleanup.check(text, select=LOST)
    assert (finding.start, finding.end, finding.data["count"]) == (14, 22, 7)


def test_replacement_characters_separated_by_letters_are_separate_findings() -> None:
    text = "the \ufffdlys\ufffde Palace"
    assert [(s, e) for _, s, e, _ in spans(text)] == [(4, 5), (8, 9)]


def test_lost_characters_are_not_fixable_and_fix_leaves_them() -> None:
    text = "Netanyahu\ufffds border crossing and Krak?w"
    fixed = cleanup.fix(text, select=LOST, unsafe_fixes=True)
    assert fixed.text == text
    assert all(f.replacement is None and not f.safe for f in fixed.findings)
    assert {f.severity for f in fixed.findings} == {"error", "warning"}


def test_message_quotes_the_damaged_word() -> None:
    [finding] = cleanup.check("They met in Krak\ufffdw today.", select=LOST)
    assert '"Krak\ufffdw"' in finding.message
    assert "U+FFFD" in finding.message


@pytest.mark.parametrize("text, start", [
    ("The opposition called for Krak?w an inquiry.", 30),
    ("Protesters gathered in Z?rich.", 24),
    ("He flew to Wa??aw.", 13),
    ("The summit (in Krak?w) ended.", 19),
    ("МИНИСТР ДЕР?АВИН", 11),
    ("The Knesset voted 64?56 in favour.", 20),
    ("The embassy advised its citizens to 2023?2024 leave.", 40),
])
def test_question_mark_between_letters_is_a_lost_letter(text: str, start: int) -> None:
    [(rule, found_start, _, flagged)] = spans(text)
    assert rule == "CU702" and found_start == start and set(flagged) == {"?"}


@pytest.mark.parametrize("text", [
    "Really? Yes.",
    "Who knows?",
    "See https://example.com/page?id=3&lang=en for details.",
    "Open example.com/search?q=test now.",
    "Was it today?The minutes do not say.",
    "你好?我很好",
    "Is it 3?4 of them?",
    "Open https://example.com/2023?2024=1 now.",
    "Say what?!",
])
def test_question_marks_that_are_questions_or_syntax_are_silent(text: str) -> None:
    assert spans(text) == []


def test_replacement_character_ending_a_quote_mojibake_is_left_to_the_mojibake_detector() -> None:
    assert spans("He said “no way,â€\ufffd and left.") == []


@pytest.mark.parametrize("text, flagged", [
    ("The minister ?????? ? ????? said.", "?????? ? ?????"),
    ("The court [???????] ruled.", "???????"),
])
def test_whole_words_lost_to_question_marks_are_one_finding(text: str, flagged: str) -> None:
    assert [(rule, found) for rule, _, _, found in spans(text)] == [("CU702", flagged)]


@pytest.mark.parametrize("text", ["What is this ???", "Really?? Yes?? ok", "Why ?? ??", "(??)"])
def test_runs_of_question_marks_that_express_doubt_are_silent(text: str) -> None:
    assert spans(text) == []


def test_clean_text_has_no_lost_characters() -> None:
    assert spans("The Knesset voted 64–56 in favour of the bill. Was it close?") == []
