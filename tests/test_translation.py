"""Translation files and parallel corpora at the public surface: the CLI as a subprocess on
real and realistic files of each format (fixtures/translation, see its README), and
`cleanup.check(text, source=...)`.

What a translator relies on: findings land on the exact line and column of the file; the
catalog's language comes from the file; `fix` never touches a msgid, a cue timing or XML
markup; and legitimate differences between a source and its translation raise no finding.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cleanup
from cleanup.config import Config

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "translation"
DAMAGED_PO = FIXTURES / "damaged.fr.po"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], check=False,
                          cwd=cwd, capture_output=True, env=env, timeout=300)


def findings_of(result: subprocess.CompletedProcess[bytes]) -> list[dict]:
    return [json.loads(line) for line in result.stdout.decode().splitlines() if line]


def position(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def located(findings: list[dict]) -> set[tuple[int, int, str, str]]:
    return {(f["line"], f["column"], f["rule"], f["text"]) for f in findings}


def copy(name: str, folder: Path, as_name: str | None = None) -> Path:
    target = folder / (as_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    return target


# --- gettext ------------------------------------------------------------------------------------


def test_gettext_findings_land_on_the_exact_line_and_column_of_the_msgstr(tmp_path: Path
                                                                           ) -> None:
    path = copy("damaged.fr.po", tmp_path)
    text = path.read_text(encoding="utf-8")
    result = run("check", "--isolated", "--format", "jsonl", path.name, cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode()
    found = findings_of(result)
    expected = {
        (*position(text, "%(nombre)s"), "CU803", "%(nombre)s"),
        (*position(text, "{longueur_max}"), "CU804", "{longueur_max}"),
        (*position(text, "securite@example.org"), "CU807", "securite@example.org"),
        (*position(text, "360 secondes"), "CU806", "360"),
        (*position(text, "Expected a dictionary, but got", 1), "CU802",
         "Expected a dictionary, but got"),
        (*position(text, "Ã©"), "CU101", "Ã©"),
        (*position(text, "Errеur"), "CU601", "Errеur"),
        # on a continuation line of a msgstr written over several lines
        (*position(text, "%(objet)s"), "CU803", "%(objet)s"),
        # an escape: `\\n` in the file is one backslash and an n in the message
        (*position(text, "\\\\nSecond"), "CU810", "\\\\n"),
    }
    assert expected <= located(found)
    line, column = position(text, 'Mot de passe :"')  # the lost space goes before the quote
    assert (line, column + len("Mot de passe :"), "CU808", "") in located(found)
    lines = text.splitlines()
    for finding in found:  # every finding quotes its file text and sits inside a msgstr
        line = lines[finding["line"] - 1]
        start = finding["column"] - 1
        assert line[start:start + len(finding["text"])] == finding["text"].split("\n")[0]
        entry_line = next(candidate for candidate in reversed(lines[:finding["line"]])
                          if candidate.startswith(("msgid", "msgstr", "msgctxt")))
        assert entry_line.startswith("msgstr"), finding


def test_gettext_legitimate_differences_raise_no_finding(tmp_path: Path) -> None:
    path = copy("damaged.fr.po", tmp_path)
    text = path.read_text(encoding="utf-8")
    found = findings_of(run("check", "--isolated", "--format", "jsonl", path.name,
                            cwd=tmp_path))
    quiet = ["Lisez d'abord https://docs.djangoproject.com/fr/stable/",  # localized URL
             "Un seul fichier",  # a number written as a word
             "Au plus 10 000 lignes",  # another group separator
             "un élément",  # a plural form for one leaves the number out
             '"%(count)d éléments"',
             "Ancien message",  # obsolete entry
             '"Enregistrer"',
             "many {# fichiers}",  # ICU plural with the target language's branches
             "Le groupe %(group)s contient",  # named placeholders reordered
             '"%2$s : %1$s"']  # numbered placeholders reordered
    lines_with_findings = {f["line"] for f in found}
    for needle in quiet:
        assert position(text, needle)[0] not in lines_with_findings, needle


def test_the_catalog_language_comes_from_its_header_then_its_path(tmp_path: Path) -> None:
    """French puts a space before `:`; English does not (CU404). The header decides."""
    entry = 'msgid "File not found: %s"\nmsgstr "Fichier introuvable : %s"\n'
    header = 'msgid ""\nmsgstr ""\n"Language: {}\\n"\n\n'
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "messages.po").write_text(header.format("fr") + entry, encoding="utf-8")
    (tmp_path / "stated-en.po").write_text(header.format("en") + entry, encoding="utf-8")
    (tmp_path / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po").write_text(entry,
                                                                         encoding="utf-8")
    (tmp_path / "en.po").write_text(entry, encoding="utf-8")
    result = run("check", "--isolated", "--format", "jsonl", ".", cwd=tmp_path)
    flagged = {f["path"] for f in findings_of(result) if f["rule"] == "CU404"}
    assert flagged == {"stated-en.po", "en.po"}


def test_fix_never_changes_a_msgid_or_anything_but_msgstr_text(tmp_path: Path) -> None:
    from translate.storage import pypo

    path = copy("damaged.fr.po", tmp_path)
    damaged_msgid = tmp_path / "msgid.fr.po"
    damaged_msgid.write_text('msgid "The cafÃ© is closed ."\nmsgstr "Le café est fermé."\n\n'
                             'msgid "Open: "\nmsgstr "Ouvert :"\n', encoding="utf-8")
    uk = copy("drf.uk.po", tmp_path)
    before = {p: p.read_bytes() for p in (path, damaged_msgid, uk)}
    result = run("fix", "--isolated", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode()  # findings without a fix remain
    for file, old in before.items():
        new = file.read_bytes()
        assert new != old, file.name  # something was fixed in each
        old_units = pypo.pofile(old).units
        new_units = pypo.pofile(new).units
        assert [(u.getcontext(), str(u.source)) for u in old_units] == \
            [(u.getcontext(), str(u.source)) for u in new_units]
        changed = [line for line, other in zip(old.decode().splitlines(),
                                               new.decode().splitlines(), strict=True)
                   if line != other]
        assert changed and all(line.startswith(("msgstr", '"')) for line in changed)
    assert b'msgid "The caf\xc3\x83\xc2\xa9 is closed ."' in damaged_msgid.read_bytes()
    assert damaged_msgid.read_text(encoding="utf-8").endswith('msgstr "Ouvert : "\n')
    # the Ukrainian homoglyph (Latin i in Cyrillic) is repaired in the msgstr only
    assert "iм'я" not in uk.read_text(encoding="utf-8").split("msgstr", 2)[2]


def test_gettext_reader_reads_the_messages_translate_toolkit_reads() -> None:
    from translate.storage import pypo

    from cleanup.formats import read_segments

    for name in ("drf.fr.po", "drf.uk.po", "damaged.fr.po"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        ours = {(segment.id, segment.text) for segment in read_segments(text, name)}
        theirs = set()
        for unit in pypo.pofile.parsefile(str(FIXTURES / name)).units:
            if unit.isheader() or unit.isobsolete():
                continue
            source = str(unit.source.strings[0] if unit.hasplural() else unit.source)
            key = f"{unit.getcontext()}\x04{source}" if unit.getcontext() else source
            targets = unit.target.strings if unit.hasplural() else [unit.target]
            for index, target in enumerate(targets):
                if str(target):
                    theirs.add((f"{key}[{index}]" if unit.hasplural() else key, str(target)))
        assert ours == theirs, name


# --- XLIFF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["app.de.xlf", "app.uk.xlf"])
def test_xliff_findings_are_located_in_the_target(tmp_path: Path, name: str) -> None:
    path = copy(name, tmp_path)
    text = path.read_text(encoding="utf-8")
    found = findings_of(run("check", "--isolated", "--format", "jsonl", name, cwd=tmp_path))
    if name == "app.de.xlf":
        line, column = position(text, "geÃ¶ffnet")
        expected = {(*position(text, "20 GB"), "CU806", "20"),
                    (line, column + 2, "CU101", "Ã¶"),
                    (*position(text, "Your session has expired.", 1), "CU801",
                     "Your session has expired.")}
        # a target marked `new` is not translated yet: no segment, no finding
        assert position(text, "Your password was changed.", 1)[0] not in \
            {f["line"] for f in found}
    else:
        expected = {(*position(text, "{імʼя_файлу}"), "CU804", "{імʼя_файлу}"),
                    (*position(text, "змiни"), "CU601", "змiни"),
                    (*position(text, "if the problem persists", 1), "CU802",
                     "if the problem persists")}
    assert expected <= located(found)
    for finding in found:  # never on a source element or on markup
        line = text.splitlines()[finding["line"] - 1]
        assert "<target" in line, finding


def test_xliff_languages_come_from_the_attributes(tmp_path: Path) -> None:
    unit = ('<trans-unit id="a"><source>The requested file is not in the folder: {0}</source>'
            '<target>Le fichier demandé est introuvable dans le dossier : {0}</target>'
            '</trans-unit>')
    for language in ("fr", "en"):
        (tmp_path / f"stated-{language}.xlf").write_text(
            f'<xliff version="1.2"><file source-language="en" target-language="{language}">'
            f"<body>{unit}</body></file></xliff>", encoding="utf-8")
    found = findings_of(run("check", "--isolated", "--format", "jsonl", ".", cwd=tmp_path))
    # Read as English, the French target is a French fragment; read as French, it is fine.
    assert {(f["path"], f["rule"]) for f in found} == {("stated-en.xlf", "CU202")}


def test_xliff_fix_keeps_sources_and_markup_byte_for_byte(tmp_path: Path) -> None:
    path = copy("app.de.xlf", tmp_path)
    before = path.read_text(encoding="utf-8")
    result = run("fix", "--isolated", path.name, cwd=tmp_path)
    assert result.returncode == 1  # CU801 and CU806 cannot be fixed
    after = path.read_text(encoding="utf-8")
    changed = [(old, new) for old, new in zip(before.splitlines(), after.splitlines(),
                                              strict=True) if old != new]
    assert [new.strip() for _, new in changed] == [
        ('<target state="translated">Drücken Sie auf Speichern, um Ihre Änderungen zu '
         'behalten. </target>'),
        '<target state="translated">Die Datei konnte nicht geöffnet werden.</target>']
    old_tree, new_tree = ET.fromstring(before.encode()), ET.fromstring(after.encode())
    assert [(e.tag, e.attrib) for e in old_tree.iter()] == \
        [(e.tag, e.attrib) for e in new_tree.iter()]


# --- Subtitles ----------------------------------------------------------------------------------


def test_subtitle_cues_are_the_texts_srt_and_webvtt_py_read() -> None:
    import srt
    import webvtt

    from cleanup.formats import read_segments

    text = (FIXTURES / "interview.uk.srt").read_text(encoding="utf-8")
    assert [s.text for s in read_segments(text, "interview.uk.srt")] == \
        [cue.content for cue in srt.parse(text)]
    text = (FIXTURES / "lecture.de.vtt").read_text(encoding="utf-8")
    segments = read_segments(text, "lecture.de.vtt")
    captions = webvtt.read(str(FIXTURES / "lecture.de.vtt")).captions
    assert [s.text.replace("&", "&amp;") for s in segments] == [c.raw_text for c in captions]
    assert {s.language for s in segments} == {"de"}  # its Language: header


def test_subtitle_findings_are_located_and_fix_keeps_numbers_and_timings(tmp_path: Path
                                                                          ) -> None:
    import srt
    import webvtt

    srt_path, vtt_path = copy("interview.uk.srt", tmp_path), copy("lecture.de.vtt", tmp_path)
    srt_text, vtt_text = srt_path.read_text(encoding="utf-8"), vtt_path.read_text(
        encoding="utf-8")
    found = findings_of(run("check", "--isolated", "--format", "jsonl", ".", cwd=tmp_path))
    assert {(*position(srt_text, "(according to the ministry)"), "CU201"),
            (*position(srt_text, "економiки"), "CU601"),
            (*position(srt_text, "РЎРїР°СЃРёР±С–"), "CU102"),
            (*position(vtt_text, "Knоten"), "CU601")} <= \
        {(f["line"], f["column"], f["rule"]) for f in found}
    assert not [f for f in found if "-->" in f["text"] or f["text"].strip().isdigit()]

    before_srt = list(srt.parse(srt_text))
    before_vtt = webvtt.read(str(vtt_path)).captions
    assert run("fix", "--isolated", ".", cwd=tmp_path).returncode == 1  # CU201 stays
    after_srt = list(srt.parse(srt_path.read_text(encoding="utf-8")))
    after_vtt = webvtt.read(str(vtt_path)).captions
    assert [(c.index, c.start, c.end) for c in after_srt] == \
        [(c.index, c.start, c.end) for c in before_srt]
    assert [c.content for c in after_srt] != [c.content for c in before_srt]
    assert "Спасибі, до зустрічі." in srt_path.read_text(encoding="utf-8")
    assert [(c.identifier, c.start, c.end) for c in after_vtt] == \
        [(c.identifier, c.start, c.end) for c in before_vtt]
    assert "\u200b" not in vtt_path.read_text(encoding="utf-8")
    assert "align:start position:10%" in vtt_path.read_text(encoding="utf-8")


# --- Parallel corpora -----------------------------------------------------------------------


PAIRS = [
    {"id": 1, "en": "Ensure this field has no more than {max_length} characters.",
     "fr": "Assurez-vous que ce champ comporte au plus {longueur_max} caractères."},
    {"id": 2, "en": "The meeting starts at 10:30.", "fr": "La réunion commence à 10h30."},
    {"id": 3, "en": "Your session has expired.", "fr": "Your session has expired."},
    {"id": 4, "en": "Name: ", "fr": "Nom :"},
    {"id": 5, "fr": "Pas de source."},
]


def test_parallel_jsonl_through_annotate_source_field(tmp_path: Path) -> None:
    (tmp_path / ".cleanup.toml").write_text('language = "fr"\n', encoding="utf-8")
    source = tmp_path / "pairs.jsonl"
    source.write_text("".join(json.dumps(pair, ensure_ascii=False) + "\n" for pair in PAIRS),
                      encoding="utf-8")
    result = run("annotate", "pairs.jsonl", "out.jsonl", "--source-field", "en", "--field",
                 "fr", "--workers", "1", "--fix", cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode()  # record 5 has no source
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(
        encoding="utf-8").splitlines()]
    rules = {r["id"]: [(f["rule"], f["text"]) for f in r["cleanup"]["findings"]]
             for r in records}
    assert ("CU804", "{longueur_max}") in rules[1]
    assert rules[2] == []
    assert rules[3] == [("CU801", "Your session has expired.")]
    assert rules[4] == [("CU808", "")]
    assert records[3]["cleanup"]["fixed"] == "Nom : "
    assert [f["data"]["source"] for f in records[3]["cleanup"]["findings"]
            if f["rule"] == "CU808"] == ["Name: "]
    errors = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").read_text(
        encoding="utf-8").splitlines()]
    assert [(e["line"], e["reason"]) for e in errors] == [(5, "no field 'en'")]


def test_parallel_tsv_through_annotate_source_field(tmp_path: Path) -> None:
    (tmp_path / "pairs.tsv").write_text(
        "en\tde\nThe file has 120 pages.\tDie Datei hat 12 Seiten.\n"
        "Save changes?\tÄnderungen speichern?\nonly one cell\n", encoding="utf-8")
    result = run("annotate", "pairs.tsv", "pairs.jsonl", "--source-field", "en", "--field",
                 "de", "--workers", "1", cwd=tmp_path)
    assert result.returncode == 1
    records = [json.loads(line) for line in (tmp_path / "pairs.jsonl").read_text(
        encoding="utf-8").splitlines()]
    assert [list(r) for r in records] == [["en", "de", "cleanup"]] * 2
    assert [[f["text"] for f in r["cleanup"]["findings"]] for r in records] == [["12"], []]
    errors = (tmp_path / "pairs.jsonl.errors.jsonl").read_text(encoding="utf-8")
    assert json.loads(errors)["line"] == 4


# --- The checks, at the library surface -----------------------------------------------------


@pytest.mark.parametrize(("source", "translation", "language", "rule"), [
    ("%(count)s files", "%(contar)s archivos", "es", "CU803"),
    ("Deleted %s of %d", "%s supprimés", "fr", "CU803"),
    ("Hello {name}", "Hallo {Name}", "de", "CU804"),
    ("{n, plural, one {# file of {owner}} other {# files of {owner}}}",
     "{n, plural, one {# Datei} other {# Dateien}}", "de", "CU804"),
    ("Click <b>Save</b>", "Klicken Sie auf <b>Speichern", "de", "CU805"),
    ("Run `make test` first", "Führen Sie zuerst `make prüfen` aus", "de", "CU805"),
    ("See [the guide](https://example.org/guide)", "Voir [le guide](https://example.org/gide)",
     "fr", "CU805"),
    ("Use at most 150 characters.", "Utilisez au plus 15 caractères.", "fr", "CU806"),
    ("Mail help@example.org", "Écrivez à aide@example.org", "fr", "CU807"),
    ("Name: ", "Nom :", "fr", "CU808"),
    ("\nDone", "Fertig", "de", "CU808"),
    ("Usage:\n  app [options]", "Verwendung:  app [Optionen]", "de", "CU809"),
    ("C:\\temp\\file", "C:\\temp file", "de", "CU810"),
    ("Value (in bytes)", "Valeur (en octets", "fr", "CU811"),
    ("This field may not be blank.", "This field may not be blank.", "de", "CU801"),
    ("This field may not be blank.", "This field may not be empty at all.", "de", "CU801"),
    ("This field may not be blank.", "This field is required here.", "ru", "CU801"),
    ("Could not satisfy the request Accept header.",
     "Konnte die Anfrage nicht erfüllen, the request Accept header.", "de", "CU802"),
])
def test_each_translation_rule_finds_its_damage(source: str, translation: str,
                                                language: str, rule: str) -> None:
    found = cleanup.check(translation, config=Config(language=language), source=source,
                          source_language="en")
    assert rule in {f.rule for f in found}, found
    for finding in found:
        if finding.kind == "translation":
            assert finding.data["source"] == source


@pytest.mark.parametrize(("source", "translation", "language"), [
    ("%(name)s was added to %(group)s.", "Le groupe %(group)s contient %(name)s.", "fr"),
    ("%1$s of %2$s", "%2$s : %1$s", "fr"),
    ("{0} and {1}", "{1} und {0}", "de"),
    ("{count, plural, one {# file} other {# files}}",
     "{count, plural, one {# файл} few {# файли} many {# файлів} other {# файлу}}", "uk"),
    ("Read https://docs.example.org/en/latest/intro first.",
     "Lisez d'abord https://docs.example.org/fr/latest/intro.", "fr"),
    ("Only 1 file may be uploaded.", "Un seul fichier peut être envoyé.", "fr"),
    ("At most 10,000 rows.", "Au plus 10 000 lignes.", "fr"),
    ("Page 3 of 10", "الصفحة ٣ من ١٠", "ar"),
    ("Name: ", "名前：", "ja"),
    ("100% done", "100 % erledigt", "de"),
    ("Django REST framework", "Django REST framework", "fr"),
    ("OK", "OK", "de"),
    ("Auth Token", "Auth Token", "de"),
    ("Invalid token header.", "Ugyldig token header.", "da"),
    ("Could not satisfy the request.", "Could not satisfy the request.", "en"),
    ("Value (in bytes)", "Valeur", "fr"),
])
def test_legitimate_translations_raise_no_translation_finding(source: str, translation: str,
                                                              language: str) -> None:
    found = cleanup.check(translation, config=Config(language=language), source=source,
                          source_language="en")
    assert [f for f in found if f.kind == "translation"] == []


def test_without_a_source_the_translation_checks_say_nothing() -> None:
    assert cleanup.check("Nom :", select={"translation"}) == []


def test_fix_restores_lost_edge_whitespace_and_removes_added_only_as_an_unsafe_fix() -> None:
    text, source = " Mot de passe :", "Password: "
    fixed = cleanup.fix(text, config=Config(language="fr"), source=source)
    assert fixed.text == " Mot de passe : "  # the lost trailing space comes back
    assert {edit.rule for edit in fixed.edits} == {"CU808"}
    assert [f.safe for f in fixed.findings if f.rule == "CU808"] == [False, True]
    unsafe = cleanup.fix(text, config=Config(language="fr"), source=source, unsafe_fixes=True)
    assert unsafe.text == "Mot de passe : "


def test_check_directory_reads_each_translation_format_by_its_suffix(tmp_path: Path) -> None:
    for name in ("damaged.fr.po", "app.de.xlf", "app.uk.xlf", "interview.uk.srt",
                 "lecture.de.vtt"):
        copy(name, tmp_path / "repo", name)
    copy("damaged.fr.po", tmp_path / "repo", "template.pot")
    found = findings_of(run("check", "--isolated", "--format", "jsonl", "repo", cwd=tmp_path))
    by_file: dict[str, set[str]] = {}
    for finding in found:
        by_file.setdefault(Path(finding["path"]).name, set()).add(finding["rule"])
    assert set(by_file) == {"damaged.fr.po", "template.pot", "app.de.xlf", "app.uk.xlf",
                            "interview.uk.srt", "lecture.de.vtt"}
    assert by_file["template.pot"] == by_file["damaged.fr.po"]
    # the source texts are never prose to check: no foreign fragments from English msgids
    assert not any(f["rule"] in ("CU201", "CU202") and Path(f["path"]).suffix in (".po", ".pot")
                   for f in found)
