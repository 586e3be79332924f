"""name_variant: one person's name spelled several ways in a text (CU301), a corpus, or against
configured canonical names (CU302). Flagged on the non-canonical mentions only, fixed unsafely."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import cleanup
from cleanup.detect.names import NameGroup, name_groups
from cleanup.report import format_name_groups

NAMES = {"name_variant"}
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = (FIXTURES / "washington-post-biden-netanyahu.en.txt").read_text(encoding="utf-8")


def story(first: str, second: str) -> str:
    """A text that names one person three times, the second time as ``second``."""
    return (f"{first} met reporters. The talks went on. Later, {second} added that the "
            f"ministry agreed. {first} left after the meeting.")


def flagged(text: str, **config: object) -> list[tuple[str, str | None]]:
    found = cleanup.check(text, select=NAMES, config=cleanup.Config(**config))
    return [(f.text, f.replacement) for f in found]


def test_the_less_frequent_spelling_is_flagged_with_the_frequent_one_as_replacement() -> None:
    text = story("Jon Finer", "John Feiner")
    [finding] = cleanup.check(text, select=NAMES)
    assert (finding.rule, finding.text, finding.replacement) == ("CU301", "John Feiner",
                                                                 "Jon Finer")
    assert text[finding.start:finding.end] == "John Feiner"
    assert finding.data["canonical"] == "Jon Finer"
    assert finding.data["variants"] == {"Jon Finer": 2, "John Feiner": 1}
    assert '"John Feiner"' in finding.message and '"Jon Finer"' in finding.message
    assert not finding.safe


def test_the_fix_is_unsafe_and_applied_only_when_asked() -> None:
    text = story("Ismail Haniyeh", "Ismail Haniya")
    assert cleanup.fix(text, select=NAMES).text == text
    assert cleanup.fix(text, select=NAMES, unsafe_fixes=True).text == story(
        "Ismail Haniyeh", "Ismail Haniyeh")


@pytest.mark.parametrize(("canonical", "variant"), [
    ("Sergei Lavrov", "Sergey Lavrov"),
    ("Dmitry Peskov", "Dmitri Peskov"),
    ("Yevgeny Prigozhin", "Evgeny Prigozhin"),
    ("Alexei Navalny", "Aleksei Navalnyi"),
    ("Maria Zakharova", "Mariya Zakharova"),
    ("Sergei Shoigu", "Sergey Shoygu"),
    ("Mikhail Mishustin", "Mikhail Mishoustine"),
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
    ("Yury Ushakov", "Iurii Ushakov"),
    ("Pyotr Tolstoy", "Petr Tolstoy"),
    ("Mikhail Gorbachev", "Michail Gorbachev"),
    ("Alexander Lukashenko", "Aleksandr Lukashenko"),
    ("Hassan Nasrallah", "Hasan Nasrallah"),
    ("Olaf Scholz", "Olaf Sholz"),
    ("Abdel Fattah el-Sisi", "Abdel Fattah al-Sisi"),
    ("Mohammed bin Salman", "Mohamed bin Salman"),
    ("Volodymyr Zelenskyy", "Vladimir Zelenskyy"),
    ("Nursultan Nazarbayev", "Nursultan Nazarbaev"),
    ("Sergei Korolyov", "Sergei Korolev"),
    ("Dmytro Kuleba", "Dmitry Kuleba"),
    ("Serhiy Nayev", "Sergei Nayev"),
    ("Ursula von der Leyen", "Ursula von der Leijen"),
    ("Luiz Inácio Lula da Silva", "Luiz Inácio Lula da Sillva"),
])
def test_romanization_variants_of_one_person_are_grouped(canonical: str, variant: str) -> None:
    assert flagged(story(canonical, variant)) == [(variant, canonical)]


@pytest.mark.parametrize(("one", "other"), [
    ("Jake Sullivan", "Dan Sullivan"),
    ("Joe Biden", "Hunter Biden"),
    ("Joe Biden", "Joe Baden"),
    ("Alexander Novak", "Alexander Novikov"),
    ("Kim Jong Un", "Kim Yo Jong"),
    ("Ivan Petrov", "Ivan Petrova"),
    ("Maria Ivanova", "Marina Ivanova"),
    ("Ali Khamenei", "Ali Khomeini"),
    ("Dmitry Medvedev", "Dmitry Medvedchuk"),
    ("Louis Martin", "Louise Martin"),
    ("Daniel Ortega", "Danielle Ortega"),
    ("Elena Korneeva", "Elena Korneva"),
])
def test_different_people_stay_apart(one: str, other: str) -> None:
    assert flagged(story(one, other)) == []
    per_text = cleanup.check_corpus([f"{one} said so.", f"{one} arrived.", f"{other} said no."],
                                    select=NAMES)
    assert per_text == [[], [], []]


def test_spellings_that_differ_only_in_accents_are_not_flagged() -> None:
    assert flagged(story("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan")) == []
    assert flagged(story("António Guterres", "Antonio Guterres")) == []
    assert flagged("Recep Tayyip Erdoğan said so. Erdogan left.") == []


def test_a_lone_surname_is_linked_to_the_full_mention_and_corrected_to_its_surname() -> None:
    text = "Ismail Haniyeh said the talks failed. Haniya added that Ismail Haniyeh would stay."
    assert flagged(text) == [("Haniya", "Haniyeh")]


def test_a_lone_surname_shared_by_two_people_is_left_alone() -> None:
    text = "Jake Sullivan met Dan Sullivan. Sulivan said nothing. Jake Sullivan left."
    assert flagged(text) == []


def test_lone_surnames_marked_as_people_are_grouped_without_a_full_name() -> None:
    text = ("President Zelenskyy spoke on Monday. Later, Zelensky said the talks failed. "
            "Zelenskyy left.")
    assert flagged(text) == [("Zelensky", "Zelenskyy")]


def test_lone_capitalized_words_without_a_person_cue_are_not_grouped() -> None:
    assert flagged("Zelenskyy is here. Zelensky is there. Zelenskyy again.") == []


def test_a_vowel_more_in_a_surname_is_another_surname() -> None:
    assert flagged(story("Elena Korneeva", "Elena Korneva")) == []
    assert flagged("Elena Korneeva said so. Korneva added more.") == []


def test_a_lone_surname_in_another_text_takes_the_corpus_spelling_of_the_surname() -> None:
    texts = ["The minister Volodymyr Zelenskyy said so.", "Volodymyr Zelenskyy said no.",
             "Later, Zelensky said the talks failed."]
    per_text = cleanup.check_corpus(texts, select=NAMES)
    assert [[(f.text, f.replacement) for f in found] for found in per_text] == [
        [], [], [("Zelensky", "Zelenskyy")]]


def test_titles_places_and_organisations_are_not_person_names() -> None:
    text = ("Israeli Prime Minister Benjamin Netanyahu spoke to The Washington Post. The White "
            "House and the Gaza Strip were named. In March the Prime Minister met Netanyahu's "
            "aides on Monday in Tel Aviv.")
    assert flagged(text) == []


def test_the_seed_article_has_no_name_variants_of_its_own() -> None:
    assert flagged(SEED) == []


def test_configured_canonical_names_flag_a_single_document() -> None:
    [finding] = cleanup.check(SEED, select=NAMES,
                              config=cleanup.Config(canonical_names=["Jon Finer"]))
    assert (finding.rule, finding.text, finding.replacement) == ("CU302", "John Feiner",
                                                                 "Jon Finer")
    assert SEED[finding.start:finding.end] == "John Feiner"
    assert finding.data["canonical"] == "Jon Finer"


def test_a_configured_spelling_wins_over_the_most_frequent_one() -> None:
    text = story("Sergey Lavrov", "Sergei Lavrov")
    found = flagged(text, canonical_names=["Sergei Lavrov"])
    assert found == [("Sergey Lavrov", "Sergei Lavrov"), ("Sergey Lavrov", "Sergei Lavrov")]


def test_a_configured_name_with_a_particle_matches_as_written() -> None:
    assert flagged("Mohamed bin Salman said so.", canonical_names=["Mohammed bin Salman"]) == [
        ("Mohamed bin Salman", "Mohammed bin Salman")]


def test_a_configured_surname_alone_corrects_the_surname_of_full_mentions() -> None:
    assert flagged("Volodymyr Zelensky said so.", canonical_names=["Zelenskyy"]) == [
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy")]


def test_ties_go_to_the_spelling_seen_first() -> None:
    text = "Sergei Lavrov spoke first. Later Sergey Lavrov spoke again."
    assert flagged(text) == [("Sergey Lavrov", "Sergei Lavrov")]


def test_the_corpus_flags_only_the_minority_spelling_in_its_own_text() -> None:
    texts = ["Speaking on Monday, the adviser Ismail Haniyeh said the talks failed.",
             "Speaking on Monday, the adviser Ismail Haniyeh said little.",
             "Speaking on Monday, the adviser Ismail Haniya said the talks failed."]

    def once() -> Iterator[str]:
        yield from texts  # a generator: check_corpus may read it only once

    per_text = cleanup.check_corpus(once(), select=NAMES)
    assert [[(f.text, f.replacement) for f in found] for found in per_text] == [
        [], [], [("Ismail Haniya", "Ismail Haniyeh")]]
    finding = per_text[2][0]
    assert texts[2][finding.start:finding.end] == "Ismail Haniya"
    assert finding.data["variants"] == {"Ismail Haniyeh": 2, "Ismail Haniya": 1}


def test_the_corpus_majority_overrides_a_texts_own_majority() -> None:
    texts = ["Dmitry Peskov said yes.", "Dmitry Peskov said no.", "Dmitry Peskov said maybe.",
             "Dmitri Peskov said so. Dmitri Peskov left. Dmitry Peskov stayed."]
    per_text = cleanup.check_corpus(texts, select=NAMES)
    assert [(f.text, f.replacement) for f in per_text[3]] == [
        ("Dmitri Peskov", "Dmitry Peskov"), ("Dmitri Peskov", "Dmitry Peskov")]


def test_real_machine_translation_finds_one_romanization_variant() -> None:
    with (FIXTURES / "mlqe-pe-ru-en-names.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                   delimiter="\t"))
    per_text = cleanup.check_corpus((row["mt_en"] for row in rows), select=NAMES)
    found = [(rows[i]["id"], f.text, f.replacement) for i, fs in enumerate(per_text) for f in fs]
    assert found == [("dev-314", "Aleksandr Nevzorov", "Alexander Nevzorov"),
                     ("train-5756", "Aleksandr Nevzorov", "Alexander Nevzorov")]
    clean = [cleanup.check(row["mt_en"], select=NAMES) for row in rows]
    assert not any(clean)


def test_name_groups_report_canonical_variants_counts_and_places() -> None:
    groups = name_groups([("a.txt", "Dmitry Peskov said.\nDmitri Peskov added."),
                          ("b.txt", "Dmitry Peskov left.")])
    assert [type(g) for g in groups] == [NameGroup]
    data = json.loads(json.dumps([g.to_dict() for g in groups]))
    assert data == [{
        "canonical": "Dmitry Peskov", "configured": False, "rule": "CU301",
        "variants": [
            {"spelling": "Dmitry Peskov", "count": 2, "surname_only": False,
             "where": [{"source": "a.txt", "line": 1, "column": 1},
                       {"source": "b.txt", "line": 1, "column": 1}]},
            {"spelling": "Dmitri Peskov", "count": 1, "surname_only": False,
             "where": [{"source": "a.txt", "line": 2, "column": 1}]},
        ],
    }]
    table = format_name_groups(groups)
    assert table.splitlines()[1].split() == ["Dmitry", "Peskov", "Dmitry", "Peskov", "2",
                                             "a.txt:1:1,", "b.txt:1:1"]
    assert "Dmitri Peskov" in table and "a.txt:2:1" in table


def test_name_groups_of_configured_names_show_a_single_wrong_spelling() -> None:
    groups = name_groups([("seed.txt", SEED)], cleanup.Config(canonical_names=["Jon Finer"]))
    assert [(g.canonical, g.configured, [v.spelling for v in g.variants]) for g in groups] == [
        ("Jon Finer", True, ["John Feiner"])]


def test_a_long_text_reports_every_variant_mention() -> None:
    text = " ".join(["Sergei Lavrov said so. Lavrov left."] * 1600
                    + ["Sergey Lavrov said no."] * 1500)
    found = cleanup.check(text, select=NAMES)
    assert len(found) == 1500
    assert {(f.text, f.replacement) for f in found} == {("Sergey Lavrov", "Sergei Lavrov")}


def test_fixing_names_is_idempotent() -> None:
    text = (story("Sergei Lavrov", "Sergey Lavrov") + " Lavrow said more. "
            + story("Ismail Haniyeh", "Ismail Haniya"))
    once = cleanup.fix(text, select=NAMES, unsafe_fixes=True).text
    assert "Sergey" not in once and "Lavrow" not in once and "Haniya " not in once
    assert cleanup.fix(once, select=NAMES, unsafe_fixes=True).text == once
    assert cleanup.check(once, select=NAMES) == []


def test_findings_are_deterministic() -> None:
    text = story("Jon Finer", "John Feiner") + " " + story("Sergei Lavrov", "Sergey Lavrov")
    first = [f.to_dict() for f in cleanup.check(text, select=NAMES)]
    assert first == [f.to_dict() for f in cleanup.check(text, select=NAMES)]
    assert [f["text"] for f in first] == ["John Feiner", "Sergey Lavrov"]


def test_a_variant_after_a_word_that_opens_its_sentence_is_found() -> None:
    text = ("Sergei Lavrov met reporters. Afterwards Sergey Lavrov said no. "
            "Sergei Lavrov left.")
    assert flagged(text) == [("Sergey Lavrov", "Sergei Lavrov")]


def test_an_arabic_article_that_opens_a_name_is_part_of_its_spelling() -> None:
    assert flagged("al-Assad said so. el-Assad said no. al-Assad left.") == [
        ("el-Assad", "al-Assad")]
    assert flagged("Bashar al-Assad met envoys. Bashar al-Asad said no. "
                   "Bashar al-Assad left.") == [("Bashar al-Asad", "Bashar al-Assad")]


def _real_documents() -> list[str]:
    """Documents of 8 real sentences: English MT of Russian full of names, and 8 languages."""
    texts = []
    for name, column in (("mlqe-pe-ru-en-names.tsv", "mt_en"), ("mlqe-pe-languages.tsv", "text")):
        with (FIXTURES / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                       delimiter="\t"))
        texts += [" ".join(row[column] for row in rows[i:i + 8]) for i in range(0, len(rows), 8)]
    return texts


def test_texts_the_quick_look_passes_over_have_no_variants() -> None:
    # The names pass of one text starts with a quick look (may_have_variants); whatever it
    # passes over, the full pass (a corpus of that text alone runs it) reports nothing on.
    from cleanup.detect.names import may_have_variants

    documents = _real_documents() + [
        story("Jon Finer", "John Feiner"), story("Sergei Lavrov", "Sergey Lavrov"),
        "President Zelensky spoke. Later Zelenskyy said more.",
        "Zelensky said no. Zelenskyy said yes.",
        "Lafitte said no. Then LaFitte said yes.",
        "Jon Finer met reporters. Feiner said more.",
    ]
    passed_over = [text for text in documents if not may_have_variants(text)]
    assert len(passed_over) > len(documents) / 2
    assert not any(cleanup.check_corpus([text], select=NAMES)[0] for text in passed_over)
    looked_at = [text for text in documents if may_have_variants(text)]
    assert {f.text for text in looked_at for f in cleanup.check_corpus([text], select=NAMES)[0]
            } >= {"John Feiner", "Sergey Lavrov", "Zelenskyy", "Feiner"}


def test_the_quick_look_passes_over_different_people_and_nouns_that_share_a_key() -> None:
    from cleanup.detect.names import may_have_variants

    assert not may_have_variants("Bill Clinton spoke. Hillary Clinton spoke. Clinton left.")
    assert not may_have_variants("Der Wall fiel. Die Wahl kam. Im Wall wohnte er.")
    assert may_have_variants("Der Wall fiel. Wahl said so. Wall said no.")
