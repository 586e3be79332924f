"""Foreign fragments (CU201, CU202) through the public API, on made-up and real MT text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import regex

import cleanup

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ENGLISH = cleanup.Config(language="en")


def mt_rows() -> list[dict[str, str]]:
    with open(FIXTURES / "mt-ru-en" / "sentences.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def fragments(text: str, config: cleanup.Config | None = None) -> list[cleanup.Finding]:
    return [f for f in cleanup.check(text, config=config) if f.kind == "foreign_fragment"]


@pytest.mark.parametrize("text, fragment", [
    ("The White House [Израиля] declined to comment.", "[Израиля]"),
    ("The agency reported (России) that shipments resumed.", "(России)"),
    ("The governor Москвы ordered the evacuation.", "Москвы"),
    ("The court postponed the hearing [так называемый] until May.", "[так называемый]"),
])
def test_cyrillic_fragment_in_english_is_reported_with_its_brackets(text: str,
                                                                   fragment: str) -> None:
    found = fragments(text)
    assert [f.text for f in found] == [fragment]
    assert found[0].rule == "CU201"
    assert found[0].data["script"] == "Cyrillic"
    assert found[0].replacement is None  # keep is the default policy
    assert fragment in found[0].message


def test_brackets_are_kept_out_when_the_bracket_holds_more_than_the_fragment() -> None:
    found = fragments("The minister (Москвы and others) resigned.")
    assert [f.text for f in found] == ["Москвы"]


@pytest.mark.parametrize("text, fragment, lang", [
    ("Several governments summoned the [Києва] ambassador.", "[Києва]", "uk"),
    ("Rescue teams were still [Верховної Ради] searching.", "[Верховної Ради]", "uk"),
    ("The ministry published [България] new figures.", "[България]", "bg"),
    ("The talks in Belgrade [Београд и Ђоковић] ended.", "[Београд и Ђоковић]", "sr"),
    ("The talks in Belgrade ended late on Tuesday [према званичним подацима] without a deal.",
     "[према званичним подацима]", "sr"),
    ("The talks ended [СВО] without a deal.", "[СВО]", "ru"),
    ("The summit in [Скопје ќе биде] ended.", "[Скопје ќе биде]", "mk"),
    ("The delegation from [Беларусь ўсё] arrived.", "[Беларусь ўсё]", "be"),
    ("The prime minister met [إسرائيل] the families.", "[إسرائيل]", "ar"),
    ("Local authorities reported power cuts [ישראל] in the city.", "[ישראל]", "he"),
    ("The defence ministry denied that its [Αθήνα] forces crossed.", "[Αθήνα]", "el"),
    ("The White House declined to comment [以色列] on Sunday.", "[以色列]", "zh"),
    ("The festival [東京へようこそ] opened.", "[東京へようこそ]", "ja"),
])
def test_fragment_language_is_named(text: str, fragment: str, lang: str) -> None:
    found = fragments(text)
    assert [f.text for f in found] == [fragment]
    assert found[0].data["lang"] == lang
    assert 0 < found[0].data["lang_confidence"] <= 1


@pytest.mark.parametrize("text, fragment, lang", [
    ("The statement was read out at a [laut unbestätigten Angaben] press conference.",
     "[laut unbestätigten Angaben]", "de"),
    ("The company selon nos informations said exports fell.", "selon nos informations", "fr"),
    ("The defence (según fuentes oficiales) ministry denied it.", "(según fuentes oficiales)",
     "es"),
    ("The minister resigned after the report według nieoficjalnych danych was leaked.",
     "według nieoficjalnych danych", "pl"),
    ("The talks [de acuerdo con el gobierno] ended.", "[de acuerdo con el gobierno]", "es"),
    ("The statement, wie die Zeitung berichtet, was short and said nothing new.",
     "wie die Zeitung berichtet", "de"),
    ("The company said exports fell (d'après nos sources) by a fifth.",
     "(d'après nos sources)", "fr"),
    ("The minister resigned after the [secondo fonti ufficiali] report.",
     "[secondo fonti ufficiali]", "it"),
    ("The army (podle neoficiálních údajů) withdrew.", "(podle neoficiálních údajů)", "cs"),
])
def test_latin_script_phrase_of_another_language_is_reported(text: str, fragment: str,
                                                             lang: str) -> None:
    found = fragments(text)
    assert [(f.rule, f.text, f.data["lang"]) for f in found] == [("CU202", fragment, lang)]


@pytest.mark.parametrize("text", [
    "The agreement was, de facto, a return to the status quo.",
    "The minister described the plan as a fait accompli.",
    "He quoted the Latin phrase casus belli twice in his speech.",
    "The raison d'être of the coup d'état was never explained.",
    "Realpolitik guided the Knesset, Mossad and Shin Bet.",
    "The report [sic] was published in Kraków and São Paulo.",
    "She ordered crème brûlée and a café au lait from the à la carte menu.",
    "Ursula von der Leyen met Luiz Inácio Lula da Silva and Pedro Sánchez.",
    "The Python creator Guido van Rossum spoke after Mohammed bin Salman Al Saud.",
    "In Prague, the Národní divadlo and Václav Havel Airport reopened.",
    "The keyboard's symbol, \"Ф\", is above the [Tab] key; α-particles and μm are units.",
])
def test_english_with_loanwords_names_and_symbols_stays_quiet(text: str) -> None:
    assert fragments(text) == []


def test_seed_article_has_exactly_its_one_fragment() -> None:
    text = (FIXTURES / "washington-post-biden-netanyahu.en.txt").read_text(encoding="utf-8")
    assert [f.text for f in fragments(text)] == ["[Израиля]"]


def test_every_cyrillic_fragment_of_real_mt_output_is_found() -> None:
    for row in mt_rows():
        text = row["mt_en"]
        found = fragments(text, ENGLISH)
        cyrillic = [m.span() for m in regex.finditer(r"\p{Cyrillic}+", text)]
        if row["id"] == "train-2422":  # `Ф` names a key there: a symbol, not a fragment
            assert found == []
            continue
        for start, end in cyrillic:
            assert any(f.start <= start and end <= f.end for f in found), (row["id"], text)


def test_real_mt_output_without_cyrillic_raises_no_alarm_but_its_one_french_title() -> None:
    alarmed = []
    for row in mt_rows():
        if regex.search(r"\p{Cyrillic}", row["mt_en"]):
            continue
        found = cleanup.check(row["mt_en"], select={"foreign_fragment", "mixed_script"},
                              config=ENGLISH)
        if found:
            alarmed.append((row["id"], [f.text for f in found]))
    # "Parle à ta tête performed by Indila": the song's French title is French indeed.
    assert alarmed == [("train-770", ["Parle à ta tête"])]


def test_rouble_abbreviation_and_initialled_author_are_whole_fragments() -> None:
    assert [f.text for f in fragments("MSI B450M BAZOOKA V2 (6299р.)", ENGLISH)] == ["р."]
    found = fragments("Дм.Быков - No way out::", ENGLISH)
    assert [(f.text, f.data["lang"]) for f in found] == [("Дм.Быков", "ru")]


def test_configured_english_makes_a_wholly_russian_sentence_a_fragment() -> None:
    text = "ЗадаВайте ВоПросы"
    assert fragments(text) == []  # on its own, a Russian text is Russian
    assert [f.text for f in fragments(text, ENGLISH)] == [text]


def test_english_phrase_left_in_a_russian_document_is_a_fragment() -> None:
    text = ("Правительство заявило, что the sanctions will remain in place, "
            "и министр подтвердил это на пресс-конференции в Москве.")
    found = fragments(text)
    assert [(f.text, f.data["lang"], f.data["script"]) for f in found] == [
        ("the sanctions will remain in place", "en", "Latin")]


def test_brand_names_in_a_russian_document_are_not_fragments() -> None:
    text = "Я купил видеокарту MSI и процессор AMD Ryzen за 14999 рублей."
    assert fragments(text) == []


def test_homoglyph_word_is_mixed_script_and_never_also_a_foreign_fragment() -> None:
    found = cleanup.check("The foreign minister said \u041cossad would not comment.")
    assert [(f.kind, f.text) for f in found] == [("mixed_script", "\u041cossad")]
    whole = cleanup.check("They were \u041d\u0430\u0440\u0440\u0443 to see it.")  # Нарру
    assert [f.kind for f in whole] == ["mixed_script"]


def test_findings_are_deterministic_across_runs() -> None:
    text = "The talks [по данным источников] and selon nos informations ended."
    first = [f.to_dict() for f in cleanup.check(text)]
    assert first == [f.to_dict() for f in cleanup.check(text)]
    assert [f["rule"] for f in first] == ["CU201", "CU202"]


def test_words_inside_web_addresses_and_handles_are_not_fragments() -> None:
    text = "See https://ru.wikipedia.org/wiki/Москва and follow @Пользователь for details."
    assert fragments(text) == []
    assert [f.text for f in fragments("The capital [Москва] hosted the talks.")] == ["[Москва]"]


def test_phrases_are_foreign_relative_to_the_document_language_not_to_english() -> None:
    german = ("Die Regierung kündigte am Mittwoch neue Maßnahmen an. Der Minister sagte, "
              "the sanctions will remain in place, und verließ den Saal.")
    assert [(f.text, f.data["lang"]) for f in fragments(german)] == [
        ("the sanctions will remain in place", "en")]
    french = ("Le gouvernement a annoncé mercredi de nouvelles mesures pour soutenir "
              "l'économie et les ménages.")
    assert fragments(french) == []


def test_numbers_between_foreign_words_stay_inside_one_fragment() -> None:
    found = fragments("The talks resumed в 2023 году after a pause of [по данным 5 марта].")
    assert [f.text for f in found] == ["в 2023 году", "[по данным 5 марта]"]


def test_only_the_bracketed_russian_is_untranslated_in_a_short_english_sentence() -> None:
    found = fragments("We said [Пойдёмте поиграем] then.")
    assert [(f.text, f.data["lang"]) for f in found] == [("[Пойдёмте поиграем]", "ru")]


@pytest.mark.parametrize("text", [
    "Die Regierung sagte, this is not the time for half measures, und ging.",
    "Le gouvernement a déclaré que this is not the time for half measures, puis il est parti.",
    "El gobierno dijo que this is not the time for half measures, y se fue.",
    "Guvernul a declarat că this is not the time for half measures, apoi a plecat.",
    "Valitsus ütles, et this is not the time for half measures, ja lahkus.",
    "Rząd oświadczył, że this is not the time for half measures, i wyszedł.",
])
def test_english_left_inside_machine_translation_into_any_latin_language_is_found(
        text: str) -> None:
    found = fragments(text)
    assert [(f.rule, f.text, f.data["lang"]) for f in found] == [
        ("CU202", "this is not the time for half measures", "en")]


@pytest.mark.parametrize("text", [
    "Das Buch erschien als „Encyclopedia of the Gilded Age and Progressive Era“ in New York.",
    "Die Band spielte Lieder von The Replacements und The Stone Roses auf dem Festival.",
    "Lucrarea a fost publicată în volumul The Watchers on the Wall, la Londra.",
    "Raamat ilmus pealkirja all The Lord of the Rings ja sai kohe väga populaarseks.",
])
def test_english_titles_and_names_in_other_languages_are_not_fragments(text: str) -> None:
    assert fragments(text) == []


@pytest.mark.parametrize("text", [
    "该书的英文名为《Armies of the Night》，由诺曼·梅勒撰写。",
    "我们在Windows和macOS上测试了Visual Studio Code的新版本。",
    "他在 the University of Chicago 获得了博士学位。",
    "Я купил novokomponovana muzika и слушал её весь вечер.",
])
def test_latin_names_titles_and_terms_inside_chinese_or_russian_are_not_fragments(
        text: str) -> None:
    assert fragments(text) == []


def test_an_english_phrase_with_its_own_grammar_inside_chinese_is_a_fragment() -> None:
    found = fragments("发言人表示，the sanctions will remain in place，随后离开了会场。")
    assert [(f.rule, f.text, f.data["lang"]) for f in found] == [
        ("CU201", "the sanctions will remain in place", "en")]


def test_no_phrase_of_another_latin_language_is_reported_where_the_language_is_unknown() -> None:
    assert fragments("selon nos informations") == []  # which language would it be foreign to?


def test_the_words_set_aside_first_are_never_evidence_of_a_foreign_phrase() -> None:
    # CU202 sets a text's common pieces aside in one set difference before looking words up
    # (English: the shipped list of plain words), and then the words its language uses at
    # Zipf 2.5. The shortcuts hold only while each such piece is one word that is no strong
    # word of a phrase, which regenerating the word lists could break.
    from cleanup.detect.foreign import _LATIN_WORD, _STRONG_OWN, _common_pieces
    from cleanup.language import common_words

    for language in ("en", "de", "fr", "ro"):
        never = common_words(language, _STRONG_OWN)
        assert all(_LATIN_WORD.fullmatch(word) for word in never)
        assert {piece.lower() for piece in _common_pieces(language)} <= never
        assert all(_LATIN_WORD.fullmatch(piece) for piece in _common_pieces(language))


def test_a_phrase_is_found_around_its_strong_word_however_far_into_the_text() -> None:
    filler = "The report was published on Monday and the ministry said nothing more. " * 60
    text = filler + "Officials spoke selon nos informations about it. " + filler
    [finding] = fragments(text)
    assert (finding.rule, finding.text, finding.data["lang"]) == (
        "CU202", "selon nos informations", "fr")


@pytest.mark.parametrize(("text", "reported"), [
    # A name in its own script beside its Latin spelling is how documents write names.
    ("Looking further ahead, Xuan Huang (黄玄) shared an update.", []),
    ("Looking further ahead, 黄玄 (Xuan Huang) shared an update.", []),
    ("The talks with Vladimir Putin (Путин) ended late.", []),
    # Beside another name, or no name, it is what it always was: an untranslated fragment.
    ("Looking further ahead, John Smith (黄玄) shared an update.", ["(黄玄)"]),
    ("He spoke more openly [Израиля] due to the war.", ["[Израиля]"]),
])
def test_a_name_in_its_own_script_beside_its_latin_spelling_is_no_fragment(
        text: str, reported: list[str]) -> None:
    assert [f.text for f in cleanup.check(text, select={"foreign_fragment"})] == reported
