"""Document and fragment languages: scripts and letters first, a model only when they cannot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import cleanup
from cleanup.language import (
    cyrillic_language,
    document_language,
    dominant_script,
    fragment_language,
)


@pytest.mark.parametrize("fragment, lang", [
    ("Израиля", "ru"),
    ("так называемый", "ru"),
    ("Дм.Быков", "ru"),
    ("ХАМАС", "ru"),
    ("Києва", "uk"),
    ("Верховної Ради", "uk"),
    ("Міністерство оборони", "uk"),
    ("Беларусь ўсё", "be"),
    ("България", "bg"),
    ("в сряда ѝ казаха", "bg"),
    ("Ђоковић", "sr"),
    ("Љубљана и Његош", "sr"),
    ("Скопје ќе", "mk"),
    ("ѓаволот", "mk"),
])
def test_cyrillic_languages_are_told_apart_by_letters_and_words(fragment: str,
                                                                lang: str) -> None:
    assert cyrillic_language(fragment)[0] == lang


@pytest.mark.parametrize("fragment, script, lang", [
    ("إسرائيل", "Arabic", "ar"),
    ("پاکستان", "Arabic", "fa"),
    ("ישראל", "Hebrew", "he"),
    ("Αθήνα", "Greek", "el"),
    ("以色列", "Han", "zh"),
    ("東京へ", "Han", "ja"),
    ("서울", "Hangul", "ko"),
    ("selon nos informations", "Latin", "fr"),
])
def test_fragment_language_follows_the_script(fragment: str, script: str, lang: str) -> None:
    language, confidence = fragment_language(fragment, script)
    assert language == lang and 0 < confidence <= 1


def test_document_language_from_scripts_and_words() -> None:
    assert document_language("Правительство объявило о мерах поддержки.", "Cyrillic") == "ru"
    assert document_language("Уряд оголосив про нові заходи підтримки.", "Cyrillic") == "uk"
    assert document_language("Η κυβέρνηση ανακοίνωσε νέα μέτρα.", "Greek") == "el"
    english = "The naïve assumption was that the café would reopen in June with its staff."
    assert document_language(english, "Latin") == "en"
    german = ("Die Regierung kündigte am Mittwoch neue Maßnahmen an, um die Wirtschaft zu "
              "stützen. Nach Angaben des Ministeriums sollen die Hilfen schon im März fließen.")
    assert document_language(german, "Latin") == "de"


def test_configured_language_overrides_detection() -> None:
    text = "Пойдёмте поиграем?"
    assert [f.text for f in cleanup.check(text) if f.kind == "foreign_fragment"] == []
    configured = cleanup.check(text, config=cleanup.Config(language="en"))
    assert [f.text for f in configured] == ["Пойдёмте поиграем"]


def test_clean_english_never_loads_the_language_model(tmp_path: Path) -> None:
    script = (
        "import sys, cleanup\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "assert cleanup.check(text, select={'foreign_fragment', 'mixed_script'}) == []\n"
        "print('fasttext' in sys.modules)\n"
    )
    article = "The naïve assumption was that the café would reopen. “We are ready,” he said.\n"
    path = tmp_path / "clean.txt"
    path.write_text(article * 50, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_main_script_of_a_long_text_counts_all_of_its_letters() -> None:
    preface = "The report was published on Sunday. " * 2000
    assert dominant_script(preface + "Правительство объявило о мерах. " * 3000) == "Cyrillic"
    assert dominant_script(preface + "Правительство объявило. " * 100) == "Latin"


def test_a_foreign_phrase_between_punctuation_is_still_found() -> None:
    text = 'The minister said, "selon nos informations." Then the talks ended on Sunday.'
    found = cleanup.check(text, select={"foreign_fragment"})
    assert [(f.text, f.data["lang"]) for f in found] == [("selon nos informations", "fr")]
