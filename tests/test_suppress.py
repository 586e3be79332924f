"""Inline suppression and markup masking, through `cleanup.check`/`cleanup.fix` and directly.

The damage used: `cafÃ©` (CU101 mojibake), `Washington .` (CU404 space before punctuation) and
`o\u200bf` (CU501 zero-width space). Each silencing test also shows the finding without the
directive, so it cannot pass by the detector finding nothing.
"""

from __future__ import annotations

import pytest

import cleanup
from cleanup.findings import Finding
from cleanup.markup import markup_regions
from cleanup.suppress import filter_findings, find_directives

ZWSP = "\u200b"


def rules(text: str, syntax: str = "plain") -> list[str]:
    return [f.rule for f in cleanup.check(text, syntax=syntax)]


def finding_on(text: str, fragment: str, rule: str = "CU101") -> Finding:
    start = text.index(fragment)
    return Finding("mojibake", rule, start, start + len(fragment), fragment, "damage")


# --- through the library -----------------------------------------------------------------------

def test_ignore_directive_silences_only_its_own_line() -> None:
    text = f"o{ZWSP}f the plan  # cleanup: ignore\no{ZWSP}f the talks\n"
    assert rules(text.replace("# cleanup: ignore", "")) == ["CU501", "CU501"]
    found = cleanup.check(text)
    assert [(f.rule, f.start) for f in found] == [("CU501", text.rindex(ZWSP))]


def test_ignore_with_codes_silences_only_those_codes() -> None:
    text = f"cafÃ© o{ZWSP}f the plan <!-- cleanup: ignore[CU501] -->"
    assert "CU101" in rules(text, "markdown")
    assert "CU501" not in rules(text, "markdown")
    assert "CU501" in rules(text.replace("[CU501]", "[CU101]"), "markdown")


def test_ignore_accepts_kinds_and_code_prefixes() -> None:
    text = f"o{ZWSP}f the plan // cleanup: ignore[invisible]\no{ZWSP}f it // cleanup: ignore[CU5]"
    assert rules(text.replace("cleanup:", "nothing:")) == ["CU501", "CU501"]
    assert rules(text) == []


def test_off_and_on_silence_the_block_between_them() -> None:
    text = (f"o{ZWSP}f one\n<!-- cleanup: off -->\no{ZWSP}f two\n\no{ZWSP}f three\n"
            f"<!-- cleanup: on -->\no{ZWSP}f four\n")
    found = cleanup.check(text, syntax="markdown")
    lines = [text.count("\n", 0, f.start) for f in found]
    assert lines == [0, 6]


def test_off_without_on_silences_to_the_end() -> None:
    text = f"o{ZWSP}f one\n# cleanup: off\no{ZWSP}f two\no{ZWSP}f three\n"
    assert len(cleanup.check(text)) == 1


def test_directive_alone_on_its_line_also_silences_the_next_line() -> None:
    markdown = f"<!-- cleanup: ignore -->\n\no{ZWSP}f the plan\no{ZWSP}f the talks\n"
    assert len(cleanup.check(markdown, syntax="markdown")) == 1
    rest = f"Intro.\n\n.. cleanup: ignore\n\no{ZWSP}f the plan\n\no{ZWSP}f the talks\n"
    assert len(cleanup.check(rest, syntax="rst")) == 1


def test_suppressed_spans_are_not_fixed() -> None:
    text = f"o{ZWSP}f the plan # cleanup: ignore\no{ZWSP}f the talks\n"
    fixed = cleanup.fix(text)
    assert fixed.text == f"o{ZWSP}f the plan # cleanup: ignore\nof the talks\n"
    assert cleanup.fix(fixed.text).text == fixed.text


def test_mojibake_shown_in_markdown_code_is_not_damage() -> None:
    text = ("A page about mojibake: `cafÃ©` is what you see.\n\n"
            "```text\nZelenskyyâ€™s cafÃ©\n```\n\n"
            "    indented cafÃ© example\n\n"
            "But this prose is damaged: cafÃ©.\n")
    found = cleanup.check(text, syntax="markdown")
    assert [(f.rule, f.text) for f in found] == [("CU101", "Ã©")]
    assert found[0].start == text.rindex("Ã©")
    plain = cleanup.check(text, syntax="plain")
    assert {text.count("\n", 0, f.start) for f in plain} == {0, 3, 6, 8}


def test_urls_and_html_tags_in_markdown_are_not_checked() -> None:
    text = ('See [the plan](https://example.org/o\u200bf?a=1) and <span title="o\u200bf">it</span>'
            f" or https://example.org/o{ZWSP}f.\n")
    assert rules(text, "plain") == ["CU501"] * 3
    assert rules(text, "markdown") == []


def test_bidi_controls_are_reported_even_inside_code() -> None:
    text = "```python\naccess = 'user\u202e \u2066# admin'\n```\n"
    assert any(rule == "CU504" for rule in rules(text, "markdown"))


def test_directive_shown_in_code_does_not_suppress() -> None:
    text = f"Write ``cleanup: off`` to stop checking.\n\no{ZWSP}f the plan\n"
    assert rules(text, "rst") == ["CU501"]
    fenced = f"```\n<!-- cleanup: off -->\n```\no{ZWSP}f the plan\n"
    assert rules(fenced, "markdown") == ["CU501"]


def test_html_masks_tags_and_script_but_checks_text() -> None:
    text = (f'<p class="o{ZWSP}f">o{ZWSP}f the plan</p>\n'
            f"<script>var s = 'o{ZWSP}f';</script>\n<pre>o{ZWSP}f</pre>\n")
    found = cleanup.check(text, syntax="html")
    assert [f.start for f in found] == [text.index(f">o{ZWSP}f") + 2]


def test_html_shown_in_code_or_mentioned_unclosed_does_not_hide_the_rest() -> None:
    text = "Use `<pre>` for blocks and the <code> element.\n\nThen cafÃ© broke.\n"
    assert [(f.rule, f.text) for f in cleanup.check(text, syntax="markdown")] == [("CU101", "Ã©")]


def test_xml_cdata_content_is_text_but_tags_are_not() -> None:
    text = f'<tu><seg note="o{ZWSP}f"><![CDATA[o{ZWSP}f the plan]]></seg><code>o{ZWSP}f</code></tu>'
    found = cleanup.check(text, syntax="xml")
    assert [f.start for f in found] == [text.index("[o") + 2, text.index(">o") + 2]


def test_rest_admonition_text_is_prose_but_the_directive_is_not() -> None:
    text = f".. note:: The o{ZWSP}f plan.\n\n   And o{ZWSP}f it.\n\n.. image:: o{ZWSP}f.png\n"
    found = cleanup.check(text, syntax="rst")
    assert [f.start for f in found] == [text.index(ZWSP), text.index(f"And o{ZWSP}") + 5]


def test_rest_footnote_text_is_checked_but_comments_are_not() -> None:
    text = f".. [1] The o{ZWSP}f plan.\n\n.. a comment about o{ZWSP}f\n"
    found = cleanup.check(text, syntax="rst")
    assert [f.start for f in found] == [text.index(ZWSP)]


SENTENCE = "criticize the prime minister more openly {} due to the talks in the region."


def test_foreign_fragment_in_an_element_declaring_its_language_is_intended() -> None:
    plain = SENTENCE.format("[Израиля]")
    assert [f.rule for f in cleanup.check(plain)] == ["CU201"]
    marked = f'<html lang="en"><p>{SENTENCE.format("<i lang=ru>[Израиля]</i>")}</p></html>'
    assert cleanup.check(marked, syntax="html") == []
    ukrainian = "<p>" + SENTENCE.format("<i xml:lang='uk'>[Израиля]</i>") + "</p>"
    assert cleanup.check(ukrainian, syntax="xml") == []


def test_foreign_fragment_in_an_element_declaring_the_document_language_is_damage() -> None:
    marked = f'<html lang="en"><p>{SENTENCE.format("[Израиля]")}</p></html>'
    assert [f.rule for f in cleanup.check(marked, syntax="html")] == ["CU201"]
    english = f'<p>{SENTENCE.format("<span lang=en-GB>[Израиля]</span>")}</p>'
    assert [f.rule for f in cleanup.check(english, syntax="html")] == ["CU201"]


@pytest.mark.parametrize("syntax", ["markdown", "html", "xml"])
def test_single_entity_is_markup_but_double_escaping_is_damage(syntax: str) -> None:
    text = "Netanyahu&#8217;s office would not accept &amp;ldquo;truce&amp;rdquo; terms."
    assert rules(text) == ["CU104", "CU105", "CU105"]
    assert rules(text, syntax) == ["CU105", "CU105"]


# --- the pure functions ------------------------------------------------------------------------

def test_plain_text_without_directives_returns_the_same_list() -> None:
    text = "cafÃ© " * 1000
    findings = [finding_on(text, "Ã©")]
    assert filter_findings(text, findings, "plain") is findings


def test_unknown_directive_words_are_not_directives() -> None:
    assert find_directives("cleanup: ignored here; precleanup: ignore; cleanup: onward") == []


def test_unclosed_fence_masks_to_the_end() -> None:
    text = "Prose\n\n```\ncafÃ©\nmore cafÃ©"
    masked, literal = markup_regions(text, "markdown")
    assert masked == literal == [(text.index("```"), len(text))]


def test_rest_literal_block_and_inline_literal_are_masked() -> None:
    text = "Example::\n\n    cafÃ©\n\nInline ``cafÃ©`` and cafÃ©.\n"
    kept = filter_findings(text, [finding_on(text, "Ã©")], "rst")
    assert kept == []
    last = text.rindex("Ã©")
    outside = Finding("mojibake", "CU101", last, last + 2, "Ã©", "damage")
    assert filter_findings(text, [outside], "rst") == [outside]


def test_markdown_list_continuation_is_prose_not_code() -> None:
    text = "- item\n\n    continued cafÃ© paragraph\n"
    finding = finding_on(text, "Ã©")
    assert filter_findings(text, [finding], "markdown") == [finding]


@pytest.mark.parametrize("comment", ["<!-- cleanup: ignore -->", "# cleanup: ignore",
                                     "// cleanup: ignore", "/* cleanup: ignore */",
                                     "-- cleanup: ignore", "; cleanup: ignore",
                                     "% cleanup: ignore"])
def test_every_comment_style_carries_the_directive(comment: str) -> None:
    text = f"cafÃ© {comment}\n"
    assert filter_findings(text, [finding_on(text, "Ã©")], "plain") == []


# --- directives count only in comments (issue 12, item 17) ------------------------------------

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: Trojan Source reorders code with it (CU504)


@pytest.mark.parametrize("text", [
    f'message = "cleanup: off"\naccess = "user{RLO} admin"\n',
    f'x = 1  # the words cleanup: off in a comment that goes on\ny = "o{ZWSP}f"\n',
    f'print("# cleanup: off")\ny = "o{ZWSP}f"\n',
    f"To silence checks write cleanup: off in a comment.\nThe o{ZWSP}f plan.\n",
])
def test_a_directive_inside_a_string_or_prose_silences_nothing(text: str) -> None:
    assert rules(text) == rules(text.replace("cleanup:", "nothing:")) != []


@pytest.mark.parametrize(("text", "syntax"), [
    (f"Write `cleanup: off` or cleanup: off to stop.\n\nThe o{ZWSP}f plan.\n", "markdown"),
    (f"<p>cleanup: off</p>\n<p>The o{ZWSP}f plan.</p>\n", "html"),
    (f'<seg note="cleanup: off">The o{ZWSP}f plan.</seg>\n', "xml"),
    (f"The option cleanup: off stops it.\n\nThe o{ZWSP}f plan.\n", "rst"),
])
def test_in_markup_only_the_syntax_own_comments_carry_directives(text: str, syntax: str) -> None:
    assert rules(text, syntax) == ["CU501"]
    commented = {"markdown": "<!-- cleanup: off -->\n", "html": "<!-- cleanup: off -->\n",
                 "xml": "<!-- cleanup: off -->\n", "rst": ".. cleanup: off\n\n"}[syntax]
    assert rules(commented + text, syntax) == []


@pytest.mark.parametrize(("text", "syntax"), [
    (f"# cleanup: off\naccess = 'user{RLO} admin'\n", "plain"),
    (f"access = 'user{RLO} admin'  # cleanup: ignore\n", "plain"),
    (f"<!-- cleanup: off[ALL] -->\n\naccess {RLO} admin\n", "markdown"),
    (f".. cleanup: ignore[invisible]\n\naccess {RLO} admin\n", "rst"),
])
def test_no_general_directive_silences_bidi_controls(text: str, syntax: str) -> None:
    assert "CU504" in rules(text, syntax)


def test_a_directive_naming_cu504_silences_it_on_its_line() -> None:
    text = f"access = 'user{RLO} admin'  # cleanup: ignore[CU504]\n"
    assert rules(text.replace("[CU504]", "")) == ["CU504"]
    assert rules(text) == []


def test_a_directive_alone_on_its_line_counts_in_plain_text() -> None:
    text = f"cleanup: ignore\nThe o{ZWSP}f plan.\nThe o{ZWSP}f talks.\n"
    assert len(cleanup.check(text)) == 1
