"""Mixed-script words (CU601): homoglyphs found and fixed, genuine mixes left alone."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import cleanup
from cleanup import markup


@pytest.mark.parametrize("text, word, fixed", [
    ("The defence ministry denied that its G\u0430za forces crossed.", "G\u0430za", "Gaza"),
    ("The embassy advised its citizens to leave \u0412iden alone.", "\u0412iden", "Biden"),
    ("The foreign minister said \u041cossad would not comment.", "\u041cossad", "Mossad"),
    ("The ministry published figures on \u0421airo on Sunday.", "\u0421airo", "Cairo"),
    ("Greek omicron in G\u03bfogle is a homoglyph too.", "G\u03bfogle", "Google"),
])
def test_homoglyph_word_is_fixed_safely_to_its_script(text: str, word: str, fixed: str) -> None:
    found = cleanup.check(text)
    assert [(f.kind, f.rule, f.text, f.replacement, f.safe) for f in found] == [
        ("mixed_script", "CU601", word, fixed, True)]
    assert word in found[0].message or repr(word)[1:-1] in found[0].message
    assert cleanup.fix(text).text == text.replace(word, fixed)


def test_message_names_the_look_alike_letter() -> None:
    finding = cleanup.check("the G\u0430za Strip")[0]
    assert "CYRILLIC SMALL LETTER A" in finding.message
    assert finding.data["homoglyphs"] == "\u0430"
    assert finding.data["script"] == "Latin"


def test_latin_homoglyph_in_a_russian_word_is_fixed_to_cyrillic() -> None:
    text = "Вчера в Москвa прибыла делегация из Киева."  # Latin `a` ends Москва
    fixed = cleanup.fix(text)
    assert fixed.text == "Вчера в Москва прибыла делегация из Киева."
    assert [f.data["script"] for f in fixed.findings if f.kind == "mixed_script"] == ["Cyrillic"]


@pytest.mark.parametrize("text", [
    "COVID-19 cases rose after the iPhone launch.",
    "Water is H₂O, and α-particles are helium nuclei.",
    "The key marked \"Ф\" sits above Tab; the sample measured 5 μm.",
    "Mossad and Shin Bet officials attended the meeting in Tel Aviv.",
    "The word Ελλάδα means Greece, and Россия means Russia.",
])
def test_genuine_mixes_and_whole_foreign_words_are_not_mixed_script(text: str) -> None:
    assert [f for f in cleanup.check(text) if f.kind == "mixed_script"] == []


def test_whole_word_of_look_alikes_spelling_an_english_word_is_mixed_script() -> None:
    text = "We were \u041d\u0430\u0440\u0440\u0443 to help."  # Нарру, all Cyrillic
    found = cleanup.check(text)
    assert [(f.kind, f.replacement) for f in found] == [("mixed_script", "Happy")]


def test_fix_is_idempotent_and_edits_only_the_word() -> None:
    text = "Hamas and H\u0430mas,\r\nthen R\u0430fah and Qatar.\n"
    once = cleanup.fix(text)
    assert once.text == "Hamas and Hamas,\r\nthen Rafah and Qatar.\n"
    assert [(e.start, e.end) for e in once.edits] == [(10, 15), (23, 28)]
    assert cleanup.fix(once.text).text == once.text


def test_word_mostly_in_look_alikes_is_repaired_to_the_script_that_makes_a_word() -> None:
    text = "He wrote \u0415\u0425\u0410\u041c\u0420L\u0415 in capitals on the iPhone 15 Pro \u041c\u0430x."
    found = cleanup.check(text, select={"mixed_script"})
    assert [(f.text, f.replacement) for f in found] == [
        ("\u0415\u0425\u0410\u041c\u0420L\u0415", "EXAMPLE"), ("\u041c\u0430x", "Max")]


def test_mixed_word_without_look_alikes_is_flagged_but_not_fixed() -> None:
    found = cleanup.check("The Moskвa river froze early this year.")
    assert [(f.kind, f.text, f.replacement, f.safe) for f in found] == [
        ("mixed_script", "Moskвa", None, False)]
    assert "no look-alike" in found[0].message


def test_utf8_read_as_cp1251_is_mojibake_not_mixed_script() -> None:
    text = "The convoy reached S\u0413\u0408o Paulo and the caf\u0413\u00a9 reopened."
    assert [f for f in cleanup.check(text) if f.kind == "mixed_script"] == []


# --- the bar for a safe fix -----------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "typography"
MIXED = {"mixed_script"}


def rows(name: str) -> list[list[str]]:
    lines = [line for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


@pytest.mark.parametrize("source, lang, text, word, repair, fix", rows("homoglyph-lines.tsv"))
def test_real_homoglyphs_are_found_and_fixed_only_when_certain(
        source: str, lang: str, text: str, word: str, repair: str, fix: str) -> None:
    found = cleanup.check(text, select=MIXED)
    assert [(f.text, f.replacement, f.safe) for f in found] == [
        (word, repair, fix == "safe")], source
    fixed = cleanup.fix(text, select=MIXED).text
    assert fixed == (text.replace(word, repair) if fix == "safe" else text)


@pytest.mark.parametrize("source, lang, text", [row for row in rows("real-lines.tsv")])
def test_real_lines_in_many_languages_have_no_mixed_script_word(source: str, lang: str,
                                                                text: str) -> None:
    assert cleanup.check(text, select=MIXED) == [], source


@pytest.mark.parametrize("text", [
    "Mutations in IL2Rγc cause X-linked SCID; the NF-κB pathway and TNFα respond.",
    "The Greek sign read ΕΞΟΔΟΣ and the menu offered ΚΑΦΕ and ΤΥΡΟΠΙΤΑ.",
    "Қазақстан Республикасы — тәуелсіз мемлекет, астанасы Астана қаласы.",
    "Његова јакна је у ормару, а јаје је на столу.",
    "Ѕвездите светат над Охридското езеро секоја ноќ.",
    "The Serbian јаје and the Kazakh үй are everyday words.",
    "Купил МойOffice и ПростоVPN вчера вечером.",
])
def test_letters_of_real_scripts_and_glued_names_are_not_homoglyphs(text: str) -> None:
    assert cleanup.check(text, select=MIXED) == []


@pytest.mark.parametrize("text, word, repair", [
    ("He climbed to the Тоp of the hill and back.", "Тоp", "Top"),  # Тор is Russian too
    ("Вчера Россiя объявила о новых мерах поддержки.", "Россiя", "Россія"),  # not Russian
    ("Ол бiр кітап оқыды және үйге қайтты.", "бiр", "бір"),  # Kazakh: no lexicon to check
    ("Ο Ελληνας έχεi ένα σπίτι στην Αθήνα.", "έχεi", "έχει"),  # Greek: no lexicon either
])
def test_uncertain_repairs_are_offered_but_not_safe(text: str, word: str, repair: str) -> None:
    found = cleanup.check(text, select=MIXED)
    assert [(f.text, f.replacement, f.safe) for f in found] == [(word, repair, False)]
    assert cleanup.fix(text).text == text
    assert word not in cleanup.fix(text, unsafe_fixes=True, select=MIXED).text


def test_a_word_of_the_documents_script_is_never_repaired_to_another() -> None:
    # `Маx` (Cyrillic М, а and a Latin x) is the Latin `Max` in English text; in Russian text
    # it is the Russian `мах` with a stray Latin letter, whatever the lexicon lacks.
    word = "\u041c\u0430x"
    russian = cleanup.check(f"Он сделал большой {word} рукой.", select=MIXED)
    assert [(f.text, f.replacement, f.safe) for f in russian] == [(word, "Мах", False)]
    english = cleanup.check(f"The iPhone 15 Pro {word} costs more.", select=MIXED)
    assert [(f.text, f.replacement, f.safe) for f in english] == [(word, "Max", True)]


def test_homoglyphs_in_identifiers_and_code_are_never_fixed_safely(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Set the flag G\u0430za_mode before calling it."
    assert [(f.text, f.safe) for f in cleanup.check(text, select=MIXED)] == [("Gаza", False)]

    @dataclasses.dataclass(frozen=True)
    class CodeSyntax(markup.Syntax):
        is_code: bool = True

    monkeypatch.setitem(markup.SYNTAXES, "code-test",
                        CodeSyntax("code-test", (".code-test",), lambda text: ([], [])))
    source = "total = count_items(G\u0430za)  # the Gaza strip\n"
    found = cleanup.check(source, select=MIXED, syntax="code-test")
    assert [(f.text, f.replacement, f.safe) for f in found] == [("Gаza", "Gaza", False)]
    assert cleanup.fix(source, syntax="code-test").text == source
