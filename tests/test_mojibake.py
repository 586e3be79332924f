"""Mojibake (CU101-CU105) at the public surface: `cleanup.check` and `cleanup.fix`.

Damage is made the way software makes it, by encoding with one real codec and decoding with
another, and the real-text fixtures in `fixtures/mojibake/` (MLQE-PE sentences, CC0) were made
the same way by `scripts/make_mojibake_fixtures.py`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-* codecs to make damage with)
import pytest

import cleanup
from cleanup.detect import quote

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MOJIBAKE = FIXTURES / "mojibake"


def mojibake(text: str) -> list[cleanup.Finding]:
    return cleanup.check(text, select={"mojibake"})


def garble(text: str, written: str, read_as: str) -> str:
    return text.encode(written).decode(read_as)


# --- UTF-8 read as a single-byte code page ---------------------------------------------------


@pytest.mark.parametrize(
    ("read_as", "rule", "chain"),
    [
        ("sloppy-windows-1252", "CU101", ["utf-8", "sloppy-windows-1252"]),
        ("latin-1", "CU101", ["utf-8", "latin-1"]),
        ("macroman", "CU101", ["utf-8", "macroman"]),
        ("sloppy-windows-1251", "CU102", ["utf-8", "sloppy-windows-1251"]),
    ],
)
def test_utf8_read_as_a_code_page_is_found_at_its_exact_span_and_decoded(
        read_as: str, rule: str, chain: list[str]) -> None:
    damaged = garble("Zelenskyy’s", "utf-8", read_as)
    text = f"The ministry published {damaged} new figures."
    [finding] = mojibake(text)
    assert (finding.rule, finding.kind, finding.safe) == (rule, "mojibake", True)
    assert text[finding.start:finding.end] == finding.text == damaged[len("Zelenskyy"):-1]
    assert finding.start == len("The ministry published Zelenskyy")
    assert finding.replacement == "’"
    assert finding.data["encoding_chain"] == chain
    assert quote(finding.text) in finding.message and "’" in finding.message
    assert cleanup.fix(text).text == "The ministry published Zelenskyy’s new figures."


@pytest.mark.parametrize("read_as", ["sloppy-windows-1252", "latin-1", "sloppy-windows-1251"])
def test_common_characters_read_wrong_inside_english_prose_are_all_repaired(read_as: str) -> None:
    for meant in ["«", "»", "…", "№", "€", "™", "•", "°", "é", "ü", "ç", "ñ", "ł", "ğ", "’",
                  "“", "—", "naïve", "Kraków", "Ελλάδα", "crème brûlée"]:
        for template in ("The minister said {} was fine.", "The price{}s rose.", "He said {}"):
            damaged = template.format(garble(meant, "utf-8", read_as))
            assert cleanup.fix(damaged).text == template.format(meant), damaged


def test_text_encoded_twice_is_decoded_twice_and_the_chain_says_so() -> None:
    text = "Iggy Pop (nÃƒÂ© Jim Osterberg)"
    [finding] = mojibake(text)
    assert (finding.text, finding.replacement) == ("ÃƒÂ©", "é")
    assert finding.data["encoding_chain"] == ["utf-8", "latin-1", "utf-8", "sloppy-windows-1252"]
    assert cleanup.fix(text).text == "Iggy Pop (né Jim Osterberg)"


def test_curly_quotes_and_other_undamaged_characters_are_kept() -> None:
    text = "He said “Zelenskyyâ€™s plan” was ‘fine’ — in São Paulo."
    fixed = cleanup.fix(text, select={"mojibake"})
    assert fixed.text == "He said “Zelenskyy’s plan” was ‘fine’ — in São Paulo."
    assert [(e.start, e.end) for e in fixed.edits] == [(18, 21)]


def test_damage_separated_only_by_whitespace_is_one_finding() -> None:
    text = "Officials acknowledged [РІ С‚РѕРј С‡РёСЃР»Рµ] mistakes."
    [finding] = mojibake(text)
    assert finding.text == "РІ С‚РѕРј С‡РёСЃР»Рµ"
    assert finding.replacement == "в том числе"


def test_damage_separated_by_intact_text_is_several_findings() -> None:
    text = "Haniyehâ€™s office â€” in Doha â€” said"
    found = mojibake(text)
    assert [(f.text, f.replacement) for f in found] == [("â€™", "’"), ("â€”", "—"), ("â€”", "—")]
    assert cleanup.fix(text).text == "Haniyeh’s office — in Doha — said"


def test_a_weak_reading_is_repaired_when_the_text_holds_clear_damage_of_the_same_page() -> None:
    # `ÄŒ` alone could be text; beside `Å¡` it is UTF-8 read as cp1252, like the rest.
    assert cleanup.fix("ÄŒeÅ¡tina", select={"mojibake"}).text == "Čeština"


def test_line_art_and_hopeless_garble_are_left_alone() -> None:
    for text in ("├┤a┼┐a┼┐a┼┐a┼┐a", "!YO SÉ¡", "MISUTÂ\u00a0AJIKKO"):
        assert mojibake(text) == []


# --- Cyrillic code page mixups -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read_as"),
    [("windows-1251", "koi8-r"), ("windows-1251", "cp866"), ("koi8-r", "windows-1251")],
)
def test_cyrillic_read_through_the_wrong_code_page_is_repaired(written: str, read_as: str) -> None:
    damaged = garble("Израиля", written, read_as)
    text = f"The summit produced [{damaged}] a joint statement."
    [finding] = mojibake(text)
    assert (finding.rule, finding.start, finding.end) == ("CU103", 21, 28)
    assert finding.replacement == "Израиля"
    assert finding.data["encoding_chain"] == [written, read_as]
    assert cleanup.fix(text).text == "The summit produced [Израиля] a joint statement."


def test_a_garbled_ukrainian_phrase_is_one_finding_repaired_to_ukrainian() -> None:
    text = "Analysts warned that the [бЕПУНБМН© пЮДХ] ceasefire remained fragile."
    [finding] = mojibake(text)
    assert (finding.text, finding.replacement) == ("бЕПУНБМН© пЮДХ", "Верховної Ради")


@pytest.mark.parametrize(
    "damaged",
    ["ru-sources.cp1251-read-as-koi8-r.txt", "ru-sources.cp1251-read-as-cp866.txt",
     "ru-sources.koi8-r-read-as-cp1251.txt", "ru-sources.utf8-read-as-cp1251.txt"],
)
def test_real_russian_lines_read_through_the_wrong_code_page_are_mostly_restored(
        damaged: str) -> None:
    clean = (MOJIBAKE / "ru-sources.txt").read_text(encoding="utf-8").splitlines()
    garbled = (MOJIBAKE / damaged).read_text(encoding="utf-8").splitlines()
    restored = sum(cleanup.fix(line, select={"mojibake"}).text == line_clean
                   for line, line_clean in zip(garbled, clean, strict=True))
    assert restored >= 0.9 * len(clean)


def test_real_russian_ukrainian_and_bulgarian_text_is_untouched() -> None:
    for name in ("ru-sources.txt", "uk-bg-clean.txt"):
        text = (MOJIBAKE / name).read_text(encoding="utf-8")
        assert mojibake(text) == []
        assert all(mojibake(line) == [] for line in text.splitlines())


def test_clean_english_news_is_untouched() -> None:
    text = (FIXTURES / "washington-post-biden-netanyahu.en.txt").read_text(encoding="utf-8")
    assert mojibake(text) == []


# --- HTML character references -----------------------------------------------------------------


def test_an_entity_in_plain_text_is_damage_but_markup_in_html_xml_and_markdown() -> None:
    text = "The report published Netanyahu&#8217;s reply on Sunday."
    [finding] = mojibake(text)
    assert (finding.rule, finding.text, finding.replacement) == ("CU104", "&#8217;", "’")
    assert cleanup.fix(text).text == "The report published Netanyahu’s reply on Sunday."
    for syntax in ("html", "xml", "markdown"):
        assert cleanup.check(text, select={"mojibake"}, syntax=syntax) == []


def test_an_entity_escaped_twice_is_damage_in_every_syntax() -> None:
    text = "would not accept &amp;ldquo;truce&amp;rdquo; terms, said AT&amp;amp;T"
    found = mojibake(text)
    assert [(f.rule, f.text, f.replacement) for f in found] == [
        ("CU105", "&amp;ldquo;", "“"), ("CU105", "&amp;rdquo;", "”"), ("CU105", "&amp;amp;", "&")]
    assert cleanup.fix(text).text == "would not accept “truce” terms, said AT&T"
    # In HTML one level of escaping is meant: only the extra one is undone.
    html_found = cleanup.check(text, select={"mojibake"}, syntax="html")
    assert [f.replacement for f in html_found] == ["&ldquo;", "&rdquo;", "&amp;"]


def test_ampersands_that_are_not_entities_are_not_reported() -> None:
    assert mojibake("R&D costs & more; AT&T and &notanentity; stay") == []
    assert mojibake("references to no character: &#0; &#xD800; &#1114112;") == []


# --- the fix as a whole ----------------------------------------------------------------------


def test_fix_is_idempotent_on_real_damaged_files() -> None:
    for path in sorted(MOJIBAKE.glob("*read-as*.txt")):
        once = cleanup.fix(path.read_text(encoding="utf-8")).text
        assert cleanup.fix(once).text == once, path.name


def test_real_english_mt_with_russian_read_as_cp1252_is_restored_exactly() -> None:
    clean = (MOJIBAKE / "en-mt-cyrillic.txt").read_text(encoding="utf-8")
    damaged = (MOJIBAKE / "en-mt-cyrillic.utf8-read-as-cp1252.txt").read_text(encoding="utf-8")
    assert cleanup.fix(damaged, select={"mojibake"}).text == clean


def test_repaired_russian_inside_english_is_also_a_foreign_fragment() -> None:
    text = "The talks were described [Ð˜Ð·Ñ€Ð°Ð¸Ð»Ñ\x8f] as constructive by both sides."
    found = cleanup.check(text)
    [moji] = [f for f in found if f.kind == "mojibake"]
    assert (moji.start, moji.end, moji.replacement) == (26, 40, "Израиля")
    [foreign] = [f for f in found if f.kind == "foreign_fragment"]
    assert foreign.start <= 26 and foreign.end >= 40
    assert foreign.data["lang"] == "ru"
    expected = "The talks were described [Израиля] as constructive by both sides."
    assert cleanup.fix(text).text == expected


def test_plain_ascii_text_has_no_mojibake() -> None:
    assert mojibake("The talks were described as constructive by both sides.") == []


# --- Cost: clean text pays for neither ftfy nor the code page tables --------------------------


def _run_python(code: str) -> str:
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True, cwd=Path(__file__).resolve().parent.parent)
    return completed.stdout.strip()


def test_clean_non_ascii_text_is_checked_without_importing_ftfy() -> None:
    code = (
        "import sys, cleanup\n"
        "text = '“We are ready,” he said in Kraków — São Paulo’s mayor…'\n"
        "print(cleanup.check(text, select={'mojibake'}), 'ftfy' in sys.modules)\n"
        "print(len(cleanup.check(text + ' Zelenskyyâ€™s', select={'mojibake'})),"
        " 'ftfy' in sys.modules)\n"
    )
    assert _run_python(code).splitlines() == ["[] False", "1 True"]


def test_importing_the_detector_imports_neither_ftfy_nor_the_language_module() -> None:
    code = ("import sys, cleanup.detect.mojibake\n"
            "print(sorted(m for m in ('ftfy', 'cleanup.language', 'html.entities')"
            " if m in sys.modules))")
    assert _run_python(code) == "[]"


def test_damage_deep_inside_a_long_clean_document_is_found_at_its_exact_span() -> None:
    clean = "“We are ready,” he said in Kraków — São Paulo’s mayor agreed.\n\n" * 300
    damaged = "The minister met Zelenskyyâ€™s team. Сафе ÐºÐ¾Ñ„Ðµ here.\n"
    text = clean + damaged + clean
    found = [(f.rule, f.text, f.replacement) for f in mojibake(text)]
    assert found == [("CU101", "â€™", "’"), ("CU101", "ÐºÐ¾Ñ„Ðµ", "кофе")]
    assert cleanup.fix(text, select={"mojibake"}).text == text.replace("â€™", "’").replace(
        "ÐºÐ¾Ñ„Ðµ", "кофе")


@pytest.mark.parametrize(("text", "damaged", "repaired"), [
    # One word of a German, a Romanian line read wrong; the line's other letters are the
    # language's own, which says nothing of how the rest of the line was read.
    ("Neuronen verschleißen in vielen FГ¤llen.", "Г¤", "ä"),
    ("Munca forțată a devenit ceva obiÈ™nuit, iar companiile", "È™", "ș"),
    ("Egipt. DemonstraИ›iile, grevele, luptele de stradă", "И›", "ț"),
])
def test_one_word_read_wrong_beside_the_languages_own_letters_is_repaired(
        text: str, damaged: str, repaired: str) -> None:
    findings = [f for f in cleanup.check(text) if f.kind == "mojibake"]
    assert [(f.text, f.replacement, f.safe) for f in findings] == [(damaged, repaired, True)]


def test_a_pair_on_a_line_with_punctuation_of_another_reading_is_left_alone() -> None:
    """ftfy's case: `–` is intact UTF-8 beside `Ã¥`, so the line's provenance is mixed and
    `Ã¥` could as well be Mac Roman; safest not to decode it either way."""
    assert cleanup.fix("Bremer/Mccoy – DrÃ¥ber").text == "Bremer/Mccoy – DrÃ¥ber"


def test_a_garbled_word_glued_to_a_quote_is_repaired_with_its_quote() -> None:
    # cp1251 read as KOI8-R turns the closing `»` into a box-drawing character; the word and
    # its neighbour are one phrase read wrong, not a lone odd word among good ones.
    original = "Прокуратура создала «следственную группу» по делу."
    garbled_phrase = "следственную группу»".encode("cp1251").decode("koi8-r")
    text = original.replace("«следственную группу»", "«" + garbled_phrase)
    assert cleanup.fix(text).text == original
