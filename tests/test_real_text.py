"""Mojibake, invisible and lost characters on real text in many languages: a document's own
script is never damage, a safe fix never changes legitimate text, and damage is still found.

The real files and sentences are in `fixtures/real-text/` (sources and licences in its README);
the sentences below were written for these tests. The bar a safe fix must meet is stated in
docs/safe-fixes.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (sloppy-windows-* codecs to make damage with)
import pytest

import cleanup

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-text"
KINDS = {"mojibake", "invisible", "lost_character"}
CLEAN_FILES = ["react-ru.referencing-values-with-refs.md", "drf.kk.po", "drf.el.po", "drf.fa.po",
               "drf.ja.po", "drf.mk.po"]


def cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], cwd=cwd,
                          capture_output=True, check=False)


def found(text: str, **options: object) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in cleanup.check(text, select=KINDS, **options)]


# --- Real files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CLEAN_FILES)
def test_a_real_translated_file_has_no_encoding_damage_and_fix_keeps_every_byte(
        tmp_path: Path, name: str) -> None:
    data = (REAL / name).read_bytes()
    (tmp_path / name).write_bytes(data)
    checked = cli("check", "--select", ",".join(sorted(KINDS)), name, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout.decode()
    cli("fix", "--select", ",".join(sorted(KINDS)), name, cwd=tmp_path)
    assert (tmp_path / name).read_bytes() == data


def test_a_real_control_character_in_a_catalog_is_found_and_only_it_is_removed(
        tmp_path: Path) -> None:
    data = (REAL / "drf.zh_CN.po").read_bytes()
    (tmp_path / "zh_CN.po").write_bytes(data)
    checked = cli("check", "--format", "jsonl", "--select", ",".join(sorted(KINDS)), "zh_CN.po",
                  cwd=tmp_path)
    [finding] = [json.loads(line) for line in checked.stdout.decode().splitlines()]
    assert (finding["rule"], finding["text"]) == ("CU503", "\x08")
    cli("fix", "zh_CN.po", "--select", ",".join(sorted(KINDS)), cwd=tmp_path)
    assert (tmp_path / "zh_CN.po").read_bytes() == data.replace("不是\x08有效".encode(),
                                                                 "不是有效".encode())


@pytest.mark.parametrize("read_as", ["sloppy-windows-1252", "sloppy-windows-1251"])
@pytest.mark.parametrize("name", CLEAN_FILES)
def test_the_same_real_files_read_with_a_wrong_code_page_are_restored(
        name: str, read_as: str) -> None:
    lines = [line for line in (REAL / name).read_text(encoding="utf-8").splitlines()
             if not line.isascii()]
    pairs = [(line.encode().decode(read_as), line) for line in lines]
    restored = sum(cleanup.fix(garbled, select={"mojibake"}).text == line
                   for garbled, line in pairs)
    assert restored >= 0.95 * len(pairs)


def test_real_sentences_raise_no_false_alarm_and_their_real_faults_are_found() -> None:
    for record in map(json.loads, (REAL / "mlqe-pe.jsonl").read_text("utf-8").splitlines()):
        text = record["text"]
        assert sorted({rule for rule, _ in found(text)}) == record["damage"], record["id"]
        fixed = cleanup.fix(text, select=KINDS).text
        if not record["damage"]:
            assert fixed == text, record["id"]
        elif record["lang"] == "et":  # cp1252's dash, left as a C1 control
            assert fixed == text.replace("\x96", "–")
        elif record["lang"] == "ro":  # junk inside a word: removed, not read as `É` or `ƒ`
            assert fixed == text.replace("\x83", "")
        else:  # a ZWJ after a space joins nothing; the one after the virama stays
            assert fixed == text.replace(" \u200d", " ") and "\u0dca\u200d" in fixed


# --- Sentences written for these tests ----------------------------------------------------------

LEGITIMATE = [
    # Ukrainian apostrophe: `б’є` once decoded as UTF-8 read as cp1251 (`оᒺкт`)
    "Метод повертає об’єкт, а з’єднання від’єднано.",
    # Russian typography: a preposition bound by a no-break space, guillemets, a question
    "В\u00a0React есть хуки. О\u00a0React говорят в «Новой газете».",
    "«Ты откуда?» — спросил он. «Кто ты?» — ответил я.",
    "Невзоров и К° представляют проект «Антибатюшка».",
    "| «Иммутабельный»—обязательно использовать функцию-сеттер |",
    # Russian words the letter statistics know little, and a rare word
    "Сколько свинью ни корми, она хрюкнет. Мужик не прядет, да не наг ходит.",
    # Kazakh (`керек` was `ЛЕТЕЛ`), Belarusian, Serbian, Macedonian, Bulgarian, Uzbek, Mongolian
    "Бұл кітап маған керек емес. Керек болса, айт.",
    "The Kazakh word керек means needed, and КЕРЕК is its capital form.",
    "Ці вы насамрэч хочаце выдаліць файл? Сярэдняя кнопка мышы, МіБіт.",
    "ЦЕО_БРОЈ1 је мањи од ЦЕЛОГ_БРОЈА2. Сјенфуегос и Мјесец. АРЈ архива.",
    "Не може да се најави со податоците. Повеќе од 3 ставки.",
    "Липсва текущ файл. Грешка: ТЕКУЩ_СОБСТВЕНИК не съществува.",
    "Рўйхатни тозалаш. Тўлиқ товуш.",
    "Гүйлгүүрийн урт, хэр зэрэг шилжүүлэх.",
    # Greek, with accented capitals and guillemets; a Greek letter inside a Latin word
    "Η Ελλάδα είναι όμορφη χώρα. Ο «Νίκος» είπε — ΝΑΙ, ΆΝΘΡΩΠΕ.",
    "The IL2Rγc gene and 10 μs pulses.",
    # French and German typography, with German guillemets
    "Il a dit\u00a0: «\u00a0Bonjour\u00a0!\u00a0» Qu’est-ce que c’est\u202f?",
    "»Zeitstempel« und »Überschreibung« sind gleichzeitig aktiv (»ß« unten).",
    # Chinese, Japanese, Arabic with a ZWNJ in Persian, Hindi and Sinhala with ZWJ
    "我们在北京见面。他说：“好的！”中文Café测试",
    "東京で会いましょう。「こんにちは」と言った。",
    "می\u200cخواهم این برنامه\u200cها را ببینم.",
    "राष्\u200dट्रपतिको अभिभाषण महत्\u200dवपूर्ण हुन्छ।",
    "ප්\u200dරංශය සමග වු මෙම යුද්ධය.",
    "👩\u200d💻 writes code; ❤\ufe0f\u200d🔥 is one emoji.",
    # Questions, doubt and syntax that are no lost letters
    "-почему вы там на меня смотрите?вы не спросив",
    "Filter als: [!]FELD?WERT. Ce mot (???) est douteux.",
]


@pytest.mark.parametrize("text", LEGITIMATE)
def test_legitimate_text_in_many_languages_is_never_reported_or_changed(text: str) -> None:
    assert found(text) == []
    assert cleanup.fix(text, select=KINDS).text == text


@pytest.mark.parametrize("read_as", ["sloppy-windows-1252", "sloppy-windows-1251"])
@pytest.mark.parametrize("text", [t for t in LEGITIMATE if not t.isascii() and "?" not in t])
def test_the_same_sentences_read_as_a_wrong_code_page_are_restored(text: str,
                                                                   read_as: str) -> None:
    garbled = text.encode().decode(read_as)
    assert cleanup.fix(garbled, select={"mojibake"}).text == text


@pytest.mark.parametrize(("text", "koi8"), [
    ("Привет, как дела у тебя сегодня? Всё хорошо, спасибо.", "koi8-r"),
    ("Ми зустрінемося завтра біля вокзалу о восьмій годині.", "koi8-u"),
])
def test_cyrillic_read_through_the_wrong_cyrillic_code_page_is_restored(text: str,
                                                                        koi8: str) -> None:
    for written, read_as in (("cp1251", koi8), (koi8, "cp1251"), ("cp1251", "cp866")):
        garbled = text.encode(written).decode(read_as)
        assert cleanup.fix(garbled, select={"mojibake"}).text == text, (written, read_as)


# --- Code ------------------------------------------------------------------------------------


def test_in_a_code_file_invisible_fixes_are_unsafe_but_bidi_controls_stay_errors(
        tmp_path: Path) -> None:
    source = 'def is_admin\u200b(user):\n    return user.level == "admin"  # \u202e check\n'
    (tmp_path / "access.py").write_text(source, encoding="utf-8")
    (tmp_path / "access.txt").write_text(source, encoding="utf-8")
    checked = cli("check", "--format", "jsonl", "access.py", cwd=tmp_path)
    findings = {f["rule"]: f for f in map(json.loads, checked.stdout.decode().splitlines())}
    assert findings["CU501"]["safe"] is False
    assert (findings["CU504"]["severity"], findings["CU504"]["safe"]) == ("error", True)
    cli("fix", "access.py", "access.txt", cwd=tmp_path)
    assert (tmp_path / "access.py").read_text("utf-8") == source.replace("\u202e", "")
    assert (tmp_path / "access.txt").read_text("utf-8") == source.replace(
        "\u202e", "").replace("\u200b", "")
    cli("fix", "--unsafe-fixes", "access.py", cwd=tmp_path)
    assert "\u200b" not in (tmp_path / "access.py").read_text("utf-8")


def test_a_form_feed_that_starts_a_line_of_code_is_a_page_break() -> None:
    assert cleanup.check("import os\n\x0c\ndef main(): pass\n", select=KINDS,
                         syntax="code") == []
    assert [f.rule for f in cleanup.check("import os\n\x0c\n", select=KINDS)] == ["CU503"]


# --- Catalogs: what a translation has from its source or its language -------------------------


def test_what_a_translation_shares_with_its_source_is_not_damage() -> None:
    # xkeyboard-config keeps its strings XML-escaped; GnuPG's messages carry \x1f separators.
    assert found("Tchèque (avec la touche &lt;\\|&gt;)",
                 source="Czech (with &lt;\\|&gt; key)") == []
    assert found("%sNummer\x1f: %s", source="%sNumber\x1f: %s") == []
    assert [rule for rule, _ in found("Tchèque &lt;\\|&gt;")] == ["CU104", "CU104"]
    assert [rule for rule, _ in found("%sNummer\x1f: %s")] == ["CU503"]


def test_references_in_text_with_tags_are_markup_and_html5_only_names_are_left() -> None:
    assert found("PostScript 打印机通常是 Windows<sup>&#xAE;</sup> 驱动程序的一个组件。") == []
    assert found("Skriv om &-tecknet som «\u00a0&map;\u00a0»") == []  # a typo of `&amp;`
    assert [rule for rule, _ in found("Copyright &#xA9; 2006 Red Hat")] == ["CU104"]


def test_directional_marks_belong_to_texts_of_right_to_left_languages() -> None:
    arabic = cleanup.Config(language="ar")
    assert found("%d\u200f/%m\u200f/%Y", config=arabic) == []
    assert found("\u2066%OH:%OM:%OS\u2069", config=cleanup.Config(language="fa")) == []
    assert [rule for rule, _ in found("%d\u200f/%m\u200f/%Y")] == ["CU504", "CU504"]
    assert [rule for rule, _ in found("\u202e\u202aA3\u202c أكبر", config=arabic)] == ["CU504"]


def test_a_partly_translated_page_reports_neither_of_its_two_languages_as_a_fragment(
        tmp_path: Path) -> None:
    """Half of this real page is still English: both languages are its own, and which one a
    guess calls the document's is a coin toss. Reporting its Russian paragraphs as untranslated
    (as cleanup once did, 50 times) inverts the finding; it says nothing instead."""
    page = tmp_path / "invalid-hook-call-warning.md"
    page.write_bytes((REAL / "react-ru.invalid-hook-call-warning.md").read_bytes())
    result = cli("check", "--select", "foreign_fragment", "--format", "json", page.name,
                 cwd=tmp_path)
    assert result.returncode == 0, result.stdout.decode()
    assert json.loads(result.stdout) == []


def test_english_sentences_left_in_a_translated_page_are_still_reported(tmp_path: Path) -> None:
    """The same repository's `useId` page is Russian with a few English sentences left: those
    are the untranslated fragments the rule is for, and a configured language changes
    nothing."""
    page = tmp_path / "useId.md"
    page.write_bytes((REAL / "react-ru.useId.md").read_bytes())
    for options in ([], ["--language", "ru"]):
        result = cli("check", "--select", "foreign_fragment", "--format", "json", *options,
                     page.name, cwd=tmp_path)
        findings = json.loads(result.stdout)
        assert result.returncode == 1
        assert {f["data"]["lang"] for f in findings} == {"en"}
        assert any(f["text"] == "Using the same ID prefix on the client and the server"
                   for f in findings)
