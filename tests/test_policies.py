"""Fix policies for foreign fragments: keep, drop, transliterate and gloss."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import cleanup

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SENTENCE = "Biden aides urge him to criticize the prime minister more openly [Израиля] due to it."


def policy(name: str) -> cleanup.Config:
    return cleanup.Config(language="en", foreign_policy=name)


def mt_sentence(row_id: str) -> str:
    with open(FIXTURES / "mt-ru-en" / "sentences.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["id"] == row_id:
                return row["mt_en"]
    raise KeyError(row_id)


@pytest.mark.parametrize("name", ["keep", "drop", "transliterate", "gloss"])
def test_every_policy_carries_translit_and_gloss(name: str) -> None:
    finding = cleanup.check(SENTENCE, config=policy(name))[0]
    # Under drop the finding also covers the blank before the fragment, which goes with it.
    assert finding.text == (" [Израиля]" if name == "drop" else "[Израиля]")
    assert finding.data.get("fragment", finding.text) == "[Израиля]"
    assert finding.data["translit"] == "Izrailya"
    assert finding.data["translit_standard"] == "BGN/PCGN"
    assert finding.data["gloss"] == "Israel"
    assert finding.data["policy"] == name
    assert "(gloss: Israel)" in finding.message


def test_keep_only_annotates() -> None:
    finding = cleanup.check(SENTENCE)[0]
    assert finding.replacement is None and not finding.safe
    assert cleanup.fix(SENTENCE, unsafe_fixes=True).text == SENTENCE


def test_gloss_puts_the_english_name_in_the_brackets() -> None:
    finding = cleanup.check(SENTENCE, config=policy("gloss"))[0]
    assert finding.replacement == "[Israel]" and finding.safe is False
    assert cleanup.fix(SENTENCE, config=policy("gloss")).text == SENTENCE  # unsafe: not applied
    fixed = cleanup.fix(SENTENCE, config=policy("gloss"), unsafe_fixes=True)
    assert fixed.text == SENTENCE.replace("[Израиля]", "[Israel]")


@pytest.mark.parametrize("fragment, english", [
    ("(Москвы)", "(Moscow)"),
    ("[Белого дома]", "[White House]"),
    ("[Києва]", "[Kyiv]"),
    ("[България]", "[Bulgaria]"),
])
def test_gloss_lemmatizes_and_finds_places_and_organizations(fragment: str,
                                                             english: str) -> None:
    text = f"Protesters gathered outside {fragment} the embassy."
    fixed = cleanup.fix(text, config=policy("gloss"), unsafe_fixes=True)
    assert fixed.text == text.replace(fragment, english)


def test_gloss_keeps_a_fragment_without_a_certain_name_and_says_why() -> None:
    text = "The court postponed the hearing [так называемый] until May."
    finding = cleanup.check(text, config=policy("gloss"))[0]
    assert finding.replacement is None
    assert "no certain English name" in finding.message
    assert "gloss" not in finding.data
    assert cleanup.fix(text, config=policy("gloss"), unsafe_fixes=True).text == text


def test_drop_removes_fragment_brackets_and_the_space_before() -> None:
    fixed = cleanup.fix(SENTENCE, config=policy("drop"), unsafe_fixes=True)
    assert fixed.text == ("Biden aides urge him to criticize the prime minister more openly "
                          "due to it.")
    assert fixed.findings[0].replacement == ""


def test_drop_on_real_mt_output() -> None:
    price = mt_sentence("train-1376")  # MSI B450M BAZOOKA V2 (6299р.)
    assert cleanup.fix(price, config=policy("drop"), unsafe_fixes=True).text == \
        "MSI B450M BAZOOKA V2 (6299)"
    mixed = mt_sentence("train-4099")  # - бегии ямато she will kill you as well!!!
    assert cleanup.fix(mixed, config=policy("drop"), unsafe_fixes=True).text.startswith(
        "- she will kill you")


def test_transliterate_on_real_mt_output() -> None:
    author = mt_sentence("dev-78")  # Дм.Быков - No way out::
    fixed = cleanup.fix(author, config=policy("transliterate"), unsafe_fixes=True)
    assert fixed.text.startswith("Dm.Bykov - No way out")
    ukrainian = mt_sentence("dev-723")  # Governor? Звілнити!::
    fixed = cleanup.fix(ukrainian, config=policy("transliterate"), unsafe_fixes=True)
    assert fixed.text.startswith("Governor? Zvilnyty!")
    finding = fixed.findings[0]
    assert finding.data["lang"] == "uk"
    assert "national" in finding.data["translit_standard"]


def test_transliterate_other_scripts() -> None:
    text = "The defence ministry denied that its [Αθήνα] forces crossed the border."
    fixed = cleanup.fix(text, config=policy("transliterate"), unsafe_fixes=True)
    assert fixed.text == text.replace("[Αθήνα]", "[Athina]")


def test_latin_fragment_has_no_transliteration_to_apply() -> None:
    text = "The company selon nos informations said exports fell."
    finding = cleanup.check(text, config=policy("transliterate"))[0]
    assert finding.replacement is None and "already in Latin letters" in finding.message
    assert finding.data["translit"] == "selon nos informations"


def test_cli_without_the_gloss_extra_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("openly [Израиля] due to\n", encoding="utf-8")
    script = ("import sys\n"
              "sys.modules['babel'] = None\n"
              "from cleanup.cli import app\n"
              "app()\n")
    result = subprocess.run([sys.executable, "-c", script, "check", "--foreign", "gloss",
                             "notes.txt"], capture_output=True, text=True, cwd=tmp_path,
                            check=False)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "cleanup-text[gloss]" in result.stderr


def test_policies_are_read_from_a_config_file(tmp_path: Path) -> None:
    (tmp_path / ".cleanup.toml").write_text('foreign-policy = "drop"\n', encoding="utf-8")
    from cleanup.config import discover_config

    config = discover_config(tmp_path)
    assert cleanup.fix("openly [Израиля] due", config=config, unsafe_fixes=True).text == \
        "openly due"


def test_gloss_policy_without_its_extra_fails_in_one_line() -> None:
    script = (
        "import sys\n"
        "sys.modules['babel'] = None  # as if cleanup[gloss] were not installed\n"
        "import cleanup\n"
        "try:\n"
        "    cleanup.Config(foreign_policy='gloss')\n"
        "except cleanup.ConfigError as error:\n"
        "    print(error)\n"
        "print(cleanup.check('openly [Израиля] due to')[0].data.get('gloss'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    first, second = result.stdout.strip().splitlines()
    assert "cleanup-text[gloss]" in first  # the config is refused at once, in one line
    assert second == "None"  # keep still works, without a gloss


@pytest.mark.parametrize("name", ["drop", "transliterate", "gloss"])
def test_fixing_real_mt_output_under_each_policy_is_idempotent(name: str) -> None:
    with open(FIXTURES / "mt-ru-en" / "sentences.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[:19]
    for row in rows:
        once = cleanup.fix(row["mt_en"], config=policy(name), unsafe_fixes=True)
        again = cleanup.fix(once.text, config=policy(name), unsafe_fixes=True)
        assert again.text == once.text, (row["id"], once.text, again.text)
