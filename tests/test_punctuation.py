"""punctuation: quotes and brackets (CU401-CU403), spacing (CU404), doubling (CU405), styles (CU406)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import cleanup

PUNCTUATION = {"punctuation"}
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def spans(text: str, **options: object) -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.start, f.end, f.text)
            for f in cleanup.check(text, select=PUNCTUATION, **options)]  # type: ignore[arg-type]


def test_closing_quote_without_opening_one_is_flagged_on_the_quote() -> None:
    text = "to urge him to act due to the operation in Gaza,” the newspaper notes."
    assert spans(text) == [("CU401", 48, 49, "”")]
    assert cleanup.check(text, select=PUNCTUATION)[0].replacement is None


def test_opening_quote_never_closed_in_its_paragraph_is_flagged() -> None:
    text = "The official said: “The envoy left. Several governments protested.\n\nNext one."
    assert spans(text) == [("CU402", 19, 20, "“")]


def test_quotes_balance_per_paragraph() -> None:
    text = "He said: “We will go.\n\nThey went.” Nobody knew."
    assert spans(text) == [("CU402", 9, 10, "“"), ("CU401", 33, 34, "”")]


def test_single_closing_quote_after_punctuation_without_opening_is_flagged() -> None:
    text = "We are ready to talk,’ the minister said."
    assert spans(text) == [("CU401", 21, 22, "’")]


@pytest.mark.parametrize("text", [
    "‘We are ready,’ he said.",
    "He said ‘no,’ and the officials’ plan stood.",
    "The ‘red lines’ held, and rock ‘n’ roll played.",
    "“He said ‘no.’ Then he left.”",
])
def test_single_quotes_that_pair_or_are_apostrophes_are_silent(text: str) -> None:
    assert spans(text) == []


def test_multi_paragraph_quotation_is_silent() -> None:
    text = ("“The first paragraph of a long quotation ends without a closing quote.\n\n"
            "“The second one reopens it and closes it at last.”")
    assert spans(text) == []


def test_seed_article_reports_only_its_lost_opening_quote() -> None:
    text = (FIXTURES / "washington-post-biden-netanyahu.en.txt").read_text(encoding="utf-8")
    found = [(f.rule, f.text) for f in cleanup.check(text, select=PUNCTUATION)]
    assert found == [("CU401", "”")]
    start = cleanup.check(text, select=PUNCTUATION)[0].start
    assert text[start - 5:start + 18] == "Gaza,” the newspaper no"


@pytest.mark.parametrize("text", [
    "“We are ready,” he said. “The question is whether they are.”",
    "She said the move was “a mistake” and “a missed opportunity”.",
    'He said "no." Then: "Maybe," she replied, "tomorrow."',
    "Rock 'n' roll was banned in the '50s, the exhibition explains.",
    "Netanyahu’s office said ’em all and the officials’ plan stood.",
    "He said ‘no’ to the plan.",
    "Netanyahu”s office and Biden“s aides met.",
    'The pipe is 12" wide and 6" deep.',
    "German „Anführungszeichen“ work like this.",
    "He cited the “red lines” (a “final” warning) twice.",
])
def test_balanced_quotes_apostrophes_and_inches_are_silent(text: str) -> None:
    assert [r for r in spans(text) if r[0] in ("CU401", "CU402")] == []


@pytest.mark.parametrize("text", [
    'It is faster than "re2". This can be\nfaster than "re2" under the right conditions.',
    '* Set containing "[" and the letters "a" to "z"\n\n* Literal "--"',
    "  >>> m = regex.match(r\"(\\w)+\", \"abc\")\n  >>> print(m[:])",
    "Raise ValueError(f\"{patterns=!r} cannot be empty.\") when using black.",
    "Example:\n\n    print(\"unclosed (\n    call(\n",
    ".. _request # 5 : https://example.com/issues/5",
    "Timings:\n * division       : 2.69 ms per loop\n * division w/ filling : 2.34 ms\n",
    'licensed as follows:\n  """\n    Copyright (C) 2012\n',
    "Use ``.named_lists`` or ``f(`` in literals.",
    "Fix parsing of parameters with %3B (;) inside (#34).",
])
def test_technical_prose_code_and_rest_markup_are_silent(text: str) -> None:
    assert spans(text) == []


def test_quotes_inside_mojibake_are_not_quotation_marks() -> None:
    assert spans("by 2023вЂ“2024 a fifth, and [Ð˜Ð·Ñ€Ð°Ð¸Ð»Ñ»] there") == []


def test_quotes_are_not_paired_in_a_paragraph_whose_other_quotes_are_mojibake() -> None:
    assert spans("He called it â€œa deal is still possible” and left.") == []
    assert spans("“The talks are difficult,â€\ufffd the mayor said.") == []


def test_unbalanced_brackets_are_flagged_on_the_bracket() -> None:
    assert spans("The capital (of Egypt hosted the talks.") == [("CU403", 12, 13, "(")]
    assert spans("The capital of Egypt] hosted the talks.") == [("CU403", 20, 21, "]")]
    assert spans("A (mixed [case) here.") == [("CU403", 9, 10, "[")]


@pytest.mark.parametrize("text", [
    "Prices rose by 3.5% (see table 2) in the first quarter.",
    "The report [sic] was published in Kraków.",
    "Steps: 1) open the box 2) read the manual a) slowly b) twice.",
    "That was great :) and this was sad :-( really.",
    "That was great :)) and this was sad :(( really.",
    "(That was great :)) and (this :) too).",
    "See [the docs](https://example.com/docs) and https://en.wikipedia.org/wiki/Foo_(bar) too.",
    "Call `f(x` in code spans freely.",
    "def f(x):\n    return {x: (1, 2]}\n",
])
def test_brackets_that_are_balanced_lists_smileys_links_or_code_are_silent(text: str) -> None:
    assert [r for r in spans(text) if r[0] == "CU403"] == []


def test_space_before_punctuation_is_removed() -> None:
    text = "They flew back to Washington . Several governments , in turn ; protested !"
    assert [(r, s, e) for r, s, e, _ in spans(text)] == [
        ("CU404", 28, 29), ("CU404", 50, 51), ("CU404", 60, 61), ("CU404", 72, 73)]
    assert cleanup.fix(text).text == (
        "They flew back to Washington. Several governments, in turn; protested!")


def test_a_run_of_spaces_before_punctuation_is_one_finding() -> None:
    assert [(r, s, e) for r, s, e, _ in spans("the end   .")] == [("CU404", 7, 10)]


@pytest.mark.parametrize("text", [
    "And so on ... until the end.",
    "That was fun :) and this :D too ;-) yes.",
    "Download it in .mp3 format or as .NET code, with .5 precision.",
    "The score was 3 : 1 at half time.",
    "  . an indented line\n. another",
])
def test_spaces_that_belong_to_ellipses_smileys_and_tokens_are_kept(text: str) -> None:
    assert spans(text) == []


def test_space_before_punctuation_is_french_typography_in_french_text() -> None:
    text = "Il a dit : « nous sommes prêts » ! Le président a refusé ; rien n’a changé ?"
    assert spans(text, config=cleanup.Config(language="fr")) == []


def test_in_a_text_of_unknown_language_only_spaces_no_language_writes_are_flagged() -> None:
    # Too short to tell its language: no language spaces `,`, but French spaces `?` and `:`.
    assert spans("cafÃ© , bar") == [("CU404", 5, 6, " ")]
    assert spans("café : bar ?") == []


def test_configured_language_decides_which_marks_take_a_space() -> None:
    text = "The minister said , again : why ?"
    assert [s for _, s, _, _ in spans(text, config=cleanup.Config(language="en"))] == [
        17, 25, 31]
    # French typography spaces `;:!?` but not `,` or `.`.
    assert [s for _, s, _, _ in spans(text, config=cleanup.Config(language="fr"))] == [17]


def test_hard_wrapped_prose_with_a_line_ending_in_a_semicolon_is_still_prose() -> None:
    text = "The minister resigned;\nthe party (which had backed him said nothing ."
    assert [r for r, _, _, _ in spans(text)] == ["CU403", "CU404"]


def test_space_before_punctuation_is_not_flagged_in_code() -> None:
    text = "for (i = 0 ; i < n ; i++) {\n    total += i ;\n}\n"
    assert spans(text) == []


def test_doubled_comma_is_flagged_on_both_commas_and_fixed_to_one() -> None:
    text = "summoned the ambassador to,, explain the decision;; then left."
    assert [(r, s, e) for r, s, e, _ in spans(text)] == [("CU405", 26, 28), ("CU405", 49, 51)]
    fixed = cleanup.fix(text)
    assert fixed.text == "summoned the ambassador to, explain the decision; then left."
    assert [(e.start, e.end, e.replacement) for e in fixed.edits] == [(26, 28, ","), (49, 51, ";")]


def test_commas_separated_only_by_spaces_are_one_doubled_comma() -> None:
    text = "summoned the ambassador to, , explain"
    assert [(r, s, e) for r, s, e, _ in spans(text)] == [("CU405", 26, 29)]
    assert cleanup.fix(text).text == "summoned the ambassador to, explain"


@pytest.mark.parametrize("text", ["a,,b,c in a CSV row", "for (;;) loop", "he said ,,hello''"])
def test_doubled_commas_in_data_code_or_low_quotes_are_silent(text: str) -> None:
    assert [r for r in spans(text) if r[0] == "CU405"] == []


def test_guillemets_in_english_are_a_foreign_style_with_an_unsafe_fix() -> None:
    text = "the so-called «special operation» began"
    found = cleanup.check(text, select=PUNCTUATION)
    assert [(f.rule, f.start, f.end, f.replacement, f.safe) for f in found] == [
        ("CU406", 14, 15, "“", False), ("CU406", 32, 33, "”", False)]
    assert cleanup.fix(text).text == text
    assert cleanup.fix(text, unsafe_fixes=True).text == "the so-called “special operation” began"


def test_french_spacing_inside_guillemets_goes_with_them() -> None:
    text = "the so-called « special operation » began"
    fixed = cleanup.fix(text, unsafe_fixes=True)
    assert fixed.text == "the so-called “special operation” began"


def test_guillemets_in_russian_text_are_silent() -> None:
    assert spans("Он сказал: «Мы готовы». Это «спецоперация».") == []


def real_machine_translations() -> list[str]:
    rows = (FIXTURES / "mt-ru-en" / "sentences.tsv").read_text(encoding="utf-8").splitlines()
    return [row.split("\t")[2] for row in rows[1:]]


def plainly_clean(sentence: str) -> bool:
    """An oracle simpler than the detector: pairs counted, no spaced or doubled punctuation."""
    counts = [sentence.count(char) for char in "“”()[]{}"]
    return (counts[0] == counts[1] and counts[2] == counts[3] and counts[4] == counts[5]
            and counts[6] == counts[7] and sentence.count('"') % 2 == 0
            and not any(f" {mark}" in sentence for mark in ".,;:!?")
            and ",," not in sentence and ";;" not in sentence and "«" not in sentence)


def test_real_machine_translations_that_are_plainly_clean_raise_nothing() -> None:
    sentences = [s for s in real_machine_translations() if plainly_clean(s)]
    assert len(sentences) > 250
    alarms = [(s, f.rule) for s in sentences for f in cleanup.check(s, select=PUNCTUATION)]
    assert alarms == []


def test_real_machine_translations_with_an_odd_quote_or_bracket_are_flagged() -> None:
    eyeless_smiley = re.compile(r"[^\W\d_!?]\)+$|[!?]\)+$")
    odd = [s for s in real_machine_translations()
           if ((s.count("(") + s.count(")")) % 2 and not eyeless_smiley.search(s.rstrip()))
           or s.count('"') % 2]
    assert odd
    for sentence in odd:
        rules = {f.rule for f in cleanup.check(sentence, select=PUNCTUATION)}
        assert rules & {"CU401", "CU402", "CU403"}, sentence


@pytest.mark.parametrize("sentence", [
    "I'm from Kazakhstan, ask questions!)",
    "And so I'll answer any questions)",
    "Good nonsense)))))",
    "Tell us about your own) Then we talk.",
])
def test_a_closing_bracket_ending_a_sentence_after_a_word_is_a_smiley(sentence: str) -> None:
    assert cleanup.check(sentence, select=PUNCTUATION) == []


def test_a_closing_bracket_after_a_number_is_still_unbalanced() -> None:
    assert [f.rule for f in cleanup.check("Standing, 2011).", select=PUNCTUATION)] == ["CU403"]


def test_fix_is_idempotent_and_keeps_everything_else() -> None:
    text = "Back to Washington .\r\nThe summit,, produced  \n"
    once = cleanup.fix(text).text
    assert once == "Back to Washington.\r\nThe summit, produced  \n"
    assert cleanup.fix(once).text == once


# --- typography follows the document's language ----------------------------------------------

REAL_LINES = FIXTURES / "typography" / "real-lines.tsv"


def real_lines() -> list[tuple[str, str, str]]:
    rows = [line.rstrip("\n").split("\t") for line in
            REAL_LINES.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("#")]
    return [(source, lang, text) for source, lang, text in rows[1:]]


@pytest.mark.parametrize("source, lang, text", real_lines())
def test_real_lines_with_their_languages_quotes_raise_nothing(source: str, lang: str,
                                                             text: str) -> None:
    for config in (cleanup.Config(language=lang), None):  # configured, then detected
        assert cleanup.check(text, select=PUNCTUATION, config=config) == [], source
    assert cleanup.fix(text, select=PUNCTUATION).text == text


def test_a_closing_mark_taken_from_real_lines_is_found() -> None:
    closers = "”“»)）》」』"
    found = 0
    for source, lang, text in real_lines():
        last = max(text.rfind(mark) for mark in closers)
        if last < 0:
            continue
        damaged = text[:last] + text[last + 1:]
        rules = {f.rule for f in cleanup.check(damaged, select=PUNCTUATION,
                                               config=cleanup.Config(language=lang))}
        assert rules & {"CU401", "CU402", "CU403"}, (source, damaged)
        found += 1
    assert found >= 20


@pytest.mark.parametrize("lang, text", [
    ("de", "Er sagte: „Wir kommen morgen.“ Sie antwortete: ‚Gut.‘ Dann fuhren sie nach Hause."),
    ("de", "Das Buch »Der Zauberberg« erschien 1924, sagte die Lehrerin zu den Schülern."),
    ("fi", "Hän sanoi: ”Tulen huomenna.” Sitten hän lähti kotiin ja söi illallista."),
    ("sv", "Hon sa: ”Jag kommer i morgon.” Sedan gick hon hem och lagade middag."),
    ("ru", "Он сказал: «Мы готовы». Компания «Ромашка»и ООО «Лето» подписали договор?»"[:-1]),
    ("ru", "Депутат спросил: «Кто ответит?» Ответа не было, и «Газпром» промолчал."),
    ("uk", "Він сказав: «Ми готові», — і пішов до об’єкта в «Укрзалізниці»."),
    ("fr", "Il a dit : « nous sommes prêts » ! Le président a refusé ; rien n’a changé ?"),
    ("pl", "Powiedział: „Jutro przyjdę”. Potem wyszedł z domu i poszedł do pracy."),
    ("cs", "Řekl: „Zítra přijdu.“ Pak odešel a nikdo ho už neviděl."),
    ("ro", "Copilul spune ,,tata” și apoi pleacă acasă cu mama lui."),
    ("zh", "他说：“我们明天来。”她回答：「好的。」书名是《红楼梦》（第一卷）。"),
    ("ja", "彼は「明日行きます」と言った。『源氏物語』を読んだ（全巻）。"),
    ("ne", "क) शोधलाई निश्चित स्वरुप दिन ख) शीर्षकलाई अन्तिम रुप दिन ग) शोध विधि निर्धारण गर्न।"),
    ("en", "The function is defined on [0, 1) and on (-∞, 0], and the steps are 1) and 2)."),
    ("en", "thumbleft[[Michał Boym, a Jesuit who travelled to China {{cite web | title = Boym}}"),
    ("si", "ගඟක් අසළ පිහිටුවන ලද පළමු ජනපදය \u200d\"ජේම්ස්ටවුන්\" වෙයි."),
])
def test_each_languages_own_quotes_brackets_and_spacing_are_silent(lang: str, text: str) -> None:
    assert spans(text, config=cleanup.Config(language=lang)) == []


@pytest.mark.parametrize("lang, text, rules", [
    ("de", "Er sagte: „Wir kommen morgen. Dann fuhren sie nach Hause.", ["CU402"]),
    ("ru", "Он сказал: Мы готовы». Потом ушёл домой.", ["CU401"]),
    ("fi", "Hän sanoi: ”Tulen huomenna. Sitten hän lähti kotiin.", ["CU402"]),
    ("zh", "他说：“我们明天来。她回答：「好的。", ["CU402", "CU402"]),
    ("ja", "『源氏物語』を読んだ（全巻。", ["CU403"]),
    ("de", "Er kam gestern an , sagte sie .", ["CU404", "CU404"]),
    ("ru", "Привет , как дела ?", ["CU404", "CU404"]),
    ("fr", "Il est venu hier , puis il est parti : pourquoi ?", ["CU404"]),
])
def test_damage_is_found_in_each_language(lang: str, text: str, rules: list[str]) -> None:
    assert [rule for rule, _, _, _ in spans(text, config=cleanup.Config(language=lang))] == rules


def test_french_spaces_survive_a_fix_and_english_ones_do_not() -> None:
    text = "Il a dit : « oui » ; puis il est parti !"
    assert cleanup.fix(text, config=cleanup.Config(language="fr")).text == text
    english = "He said : yes ; then he left !"
    assert cleanup.fix(english, config=cleanup.Config(language="en")).text == (
        "He said: yes; then he left!")


def test_quotation_marks_of_another_language_are_cu406_in_the_documents_language() -> None:
    russian = "Он прочитал книгу 「Война и мир」 за неделю."
    found = cleanup.check(russian, select=PUNCTUATION, config=cleanup.Config(language="ru"))
    assert [(f.rule, f.text, f.replacement, f.safe) for f in found] == [
        ("CU406", "「", "«", False), ("CU406", "」", "»", False)]
    english = "He read the book „War and Peace” in a week."
    found = cleanup.check(english, select=PUNCTUATION, config=cleanup.Config(language="en"))
    assert [(f.rule, f.text, f.replacement) for f in found] == [("CU406", "„", "“")]
    into_french = cleanup.fix("Il a lu 「Guerre et paix」 en une semaine.", unsafe_fixes=True,
                              config=cleanup.Config(language="fr"))
    assert into_french.text == "Il a lu «\u00a0Guerre et paix\u00a0» en une semaine."


def test_rules_that_depend_on_the_language_are_silent_when_it_is_unknown() -> None:
    unknown = cleanup.Config(language=None)
    text = "ok «so» ; fine ?"  # too short to tell: guillemets and French spaces are not judged
    assert spans(text, config=unknown) == []
    assert [r for r, _, _, _ in spans("ok «so ; fine", config=unknown)] == ["CU402"]


def test_a_paragraph_in_another_script_follows_that_scripts_typography() -> None:
    # English code documentation with a Russian paragraph: its guillemets are Russian.
    text = ("Run `npm link` and import the package from your app, as the README explains.\n\n"
            "В таком случае ваш бандлер может «увидеть» два пакета React.\n\n"
            "Then restart the development server and reload the page in the browser.")
    assert spans(text, config=cleanup.Config(language="en")) == []
    # English prose left in a Russian page: no space before `.` in Latin script either.
    text = ("Эта страница описывает, как обновить приложение до новой версии.\n\n"
            "You can share a link to the dashboard page .")
    assert [r for r, _, _, _ in spans(text, config=cleanup.Config(language="ru"))] == ["CU404"]


def test_a_run_of_marks_is_one_finding() -> None:
    assert spans("He said: “““ and left.", config=cleanup.Config(language="en")) == [
        ("CU402", 9, 12, "“““")]
    assert spans("the list [ [ [ here") == [("CU403", 9, 14, "[ [ [")]


# --- linear time --------------------------------------------------------------------------


def _seconds(function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("family", [
    lambda n: "[" * n,
    lambda n: "“" * n,
    lambda n: "(" * (n // 2) + ")" * (n // 2),
    lambda n: ")" * n,
    lambda n: "a :" * (n // 3),
    lambda n: " ".join(["He said , “yes” (or no"] * (n // 24)),
])
def test_checking_grows_linearly_with_the_input(family: Callable[[int], str]) -> None:
    en = cleanup.Config(language="en")
    small, large = family(50_000), family(200_000)
    cleanup.check(small, select=PUNCTUATION, config=en)  # pay for first use
    ratios = []
    for _ in range(3):  # the machine is shared: a busy moment may slow one measurement
        ratios.append(_seconds(lambda: cleanup.check(large, select=PUNCTUATION, config=en))
                      / _seconds(lambda: cleanup.check(small, select=PUNCTUATION, config=en)))
        if ratios[-1] < 8:
            break
    assert min(ratios) < 8, f"4x the input took {min(ratios):.1f}x the time"  # quadratic: 16x


def test_the_typography_table_in_the_docs_is_the_one_the_code_reads() -> None:
    from cleanup.detect.punctuation import _typography_table

    page = (Path(__file__).resolve().parent.parent / "docs" / "punctuation.md").read_text(
        encoding="utf-8")
    documented = re.findall(r"^\| ([a-z, ]+) \| ((?:`.….` ?)+) \| (.+) \|$", page, re.MULTILINE)
    rows = list(dict.fromkeys(_typography_table().values()))
    assert [(codes.split(", "), re.findall(r"`(.)…(.)`", quotes), marks) for
            codes, quotes, marks in documented] == [
        (list(row.codes), [tuple(pair) for pair in row.quotes],
         " ".join(f"`{mark}`" for mark in row.space_before) or "(none)") for row in rows]


@pytest.mark.parametrize("text", [
    "Сохраните его как `temp1` , а затем выведите.",  # after a code span
    "Функции остаются *такими же* , пока не изменятся.",  # after emphasis
])
def test_a_space_before_punctuation_beside_markup_is_reported_but_not_fixed_by_default(
        text: str) -> None:
    findings = [f for f in cleanup.check(text, syntax="markdown") if f.rule == "CU404"]
    assert [(f.text, f.safe) for f in findings] == [(" ", False)]
    assert cleanup.fix(text, syntax="markdown").text == text
    assert " ," not in cleanup.fix(text, syntax="markdown", unsafe_fixes=True).text
