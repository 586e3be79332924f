"""The library's public surface: check, fix, Fixed's offset maps, Config, determinism."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import cleanup

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = (FIXTURES / "washington-post-biden-netanyahu.en.txt").read_text(encoding="utf-8")

# Pieces of real damage of several kinds, glued into texts by the property tests below.
DAMAGE = [
    "cafÃ© owners",
    "Zelenskyyâ€™s office",
    "back to Washington .",
    "the ambassador to,, explain",
    "o\u200bf the plan",
    "or\u00addered",
    "withou\u202et an agreement",
    "Netanyahu&#8217;s office",
    "would not accept &amp;ldquo;truce&amp;rdquo; terms",
    "The talks were described [Ð˜Ð·Ñ€Ð°Ð¸Ð»Ñ] as constructive",
    "openly [Израиля] due to",
    "the Gaz\u0430 Strip",
    "Krak\ufffdw",
]
CLEAN = [
    "The company said exports fell by a fifth compared with last year.",
    "Rock 'n' roll was banned in the '50s, the exhibition explains.",
    "“We are ready,” he said.",
    "Prices rose by 3.5% (see table 2) in the first quarter.",
]


def damaged_texts(count: int = 60) -> list[str]:
    rng = random.Random(7)
    texts = []
    for _ in range(count):
        parts = rng.sample(DAMAGE, rng.randint(1, 4)) + rng.sample(CLEAN, rng.randint(0, 2))
        rng.shuffle(parts)
        texts.append(rng.choice([" ", "\n", "\r\n", "\n\n"]).join(parts))
    return texts


def test_seed_article_reports_untranslated_fragment_and_orphan_quote() -> None:
    findings = cleanup.check(SEED)
    by_text = {(f.kind, f.text) for f in findings}
    assert ("foreign_fragment", "[Израиля]") in by_text
    orphan = [f for f in findings if f.kind == "punctuation" and f.text == "”"]
    assert orphan and SEED[orphan[0].end:].startswith(" the newspaper notes.")
    fragment = next(f for f in findings if f.text == "[Израиля]")
    assert fragment.data["lang"] == "ru"
    assert fragment.rule.startswith("CU2")
    assert "[Израиля]" in fragment.message


def test_findings_are_sorted_and_slice_the_input() -> None:
    for text in damaged_texts():
        findings = cleanup.check(text)
        assert findings == sorted(findings, key=lambda f: (f.start, f.end, f.rule))
        for finding in findings:
            assert text[finding.start:finding.end] == finding.text
            assert finding.severity in ("error", "warning", "info")
            assert 0.0 <= finding.confidence <= 1.0


def test_fix_edits_reproduce_fixed_text_and_are_disjoint() -> None:
    for text in damaged_texts():
        fixed = cleanup.fix(text, unsafe_fixes=True)
        previous_end = -1
        pieces, position = [], 0
        for edit in fixed.edits:
            assert edit.start >= previous_end and edit.start <= edit.end
            previous_end = edit.end
            pieces += [text[position:edit.start], edit.replacement]
            position = edit.end
        assert "".join(pieces) + text[position:] == fixed.text


def test_fix_is_idempotent() -> None:
    for text in damaged_texts():
        once = cleanup.fix(text).text
        assert cleanup.fix(once).text == once


def test_fix_repairs_every_kind_of_safe_damage_in_one_call() -> None:
    text = "cafÃ© owners went back to Washington . Then o\u200bf course, Netanyahu&#8217;s office"
    assert cleanup.fix(text).text == (
        "café owners went back to Washington. Then of course, Netanyahu’s office"
    )


def test_offset_maps_follow_the_edits() -> None:
    text = "cafÃ© owners , then"
    fixed = cleanup.fix(text)
    assert fixed.text == "café owners, then"
    assert fixed.to_fixed(text.index("owners")) == fixed.text.index("owners")
    assert fixed.to_original(fixed.text.index("then")) == text.index("then")
    # Offsets inside a replaced span map to its start.
    assert fixed.to_fixed(text.index("Ã") + 1) == fixed.text.index("é")
    for i in range(len(fixed.text) + 1):
        j = fixed.to_original(i)
        assert 0 <= j <= len(text)
    assert [fixed.to_original(i) for i in range(len(fixed.text) + 1)] == sorted(
        fixed.to_original(i) for i in range(len(fixed.text) + 1)
    )


def test_fix_leaves_text_outside_edits_untouched() -> None:
    for text in damaged_texts():
        fixed = cleanup.fix(text)
        position = 0
        for edit in fixed.edits:
            segment = text[position:edit.start]
            assert segment in fixed.text
            position = edit.end


def test_unsafe_fixes_are_only_applied_when_asked() -> None:
    text = "The talks ended [Израиля] on Friday."
    config = cleanup.Config(foreign_policy="drop")
    assert cleanup.fix(text, config=config).text == text
    assert cleanup.fix(text, config=config, unsafe_fixes=True).text == "The talks ended on Friday."


def test_select_limits_the_kinds_that_run() -> None:
    text = "cafÃ© owners , then o\u200bf"
    assert {f.kind for f in cleanup.check(text, select={"mojibake"})} == {"mojibake"}
    assert {f.rule for f in cleanup.check(text, select={"CU5"})} == {"CU501"}
    only_mojibake = cleanup.fix(text, select={"mojibake"})
    assert only_mojibake.text == "café owners , then o\u200bf"


def test_ignore_and_severity_come_from_config() -> None:
    text = "back to Washington . Then"
    config = cleanup.Config(ignore=["CU404"])
    assert cleanup.check(text, config=config) == []
    config = cleanup.Config(severity={"CU404": "error"})
    assert [f.severity for f in cleanup.check(text, config=config)] == ["error"]


def test_min_confidence_drops_less_certain_findings() -> None:
    findings = cleanup.check(SEED)
    threshold = min(f.confidence for f in findings) + 1e-6
    kept = cleanup.check(SEED, config=cleanup.Config(min_confidence=threshold))
    assert len(kept) < len(findings)
    assert all(f.confidence >= threshold for f in kept)


def test_config_rejects_unknown_keys_and_codes() -> None:
    with pytest.raises(cleanup.ConfigError, match="colour"):
        cleanup.Config(colour="red")
    with pytest.raises(cleanup.ConfigError, match="CU999"):
        cleanup.Config(select=["CU999"])
    with pytest.raises(cleanup.ConfigError, match="foreign-policy"):
        cleanup.Config(foreign_policy="burn")


def test_config_is_loaded_from_pyproject_and_cleanup_toml(tmp_path: Path) -> None:
    from cleanup.config import ConfigError, discover_config

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.cleanup]\nfail-on = "error"\nlanguage = "en"\n'
    )
    nested = tmp_path / "docs" / "deep"
    nested.mkdir(parents=True)
    config = discover_config(nested)
    assert (config.fail_on, config.language) == ("error", "en")
    (tmp_path / "docs" / ".cleanup.toml").write_text('select = ["mojibake"]\n\ncolour = 1\n')
    with pytest.raises(ConfigError, match=r"\.cleanup\.toml:3: unknown config key 'colour'"):
        discover_config(nested)


def test_check_corpus_returns_one_list_per_text_in_order() -> None:
    texts = (t for t in ["clean text here.", "back to Washington .", "cafÃ©"])
    per_text = cleanup.check_corpus(texts)
    assert [[f.rule for f in found] for found in per_text] == [[], ["CU404"], ["CU101"]]


def test_annotate_batch_adds_a_column_and_keeps_the_others() -> None:
    batch = {"id": [1, 2, 3], "text": ["fine.", "cafÃ© , bar", None]}
    out = cleanup.annotate_batch(batch, field="text", fix=True)
    assert out["id"] == [1, 2, 3] and out["text"] == batch["text"]
    assert out["cleanup"][0] == {"findings": [], "fixed": "fine."}
    assert out["cleanup"][1]["fixed"] == "café, bar"
    assert [f["rule"] for f in out["cleanup"][1]["findings"]] == ["CU101", "CU404"]
    assert "error" in out["cleanup"][2]


def test_finding_json_keys_follow_the_contract_order() -> None:
    finding = cleanup.check("cafÃ©")[0]
    assert list(finding.to_dict()) == [
        "kind", "rule", "start", "end", "text", "message", "replacement", "safe", "severity",
        "confidence", "data",
    ]


def test_same_input_gives_same_findings_every_run() -> None:
    runs = [[f.to_dict() for f in cleanup.check(SEED)] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]


def test_check_rejects_bytes_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="str"):
        cleanup.check(b"bytes")  # type: ignore[arg-type]


def test_check_file_decodes_and_locates_as_the_cli_does(tmp_path: Path) -> None:
    menu = tmp_path / "menu.txt"
    menu.write_bytes("\ufeffCafé , bar\r\nNetanyahu\u200bs office\n".encode("utf-8"))
    found = cleanup.check_file(menu)
    assert [(f.line, f.column, f.finding.rule) for f in found] == [(1, 5, "CU404"),
                                                                   (2, 10, "CU501")]
    assert found[0].byte_start == 3 + len("Café".encode())  # after the BOM
    russian = tmp_path / "ru.txt"
    russian.write_bytes("Привет, как дела? Всё хорошо, спасибо.".encode("cp1251"))
    assert [f.finding.rule for f in cleanup.check_file(russian)] == ["CU106"]


def test_check_file_uses_the_files_config_unless_given_one(tmp_path: Path) -> None:
    (tmp_path / ".cleanup.toml").write_text('ignore = ["CU404"]\n', encoding="utf-8")
    (tmp_path / ".git").mkdir()
    note = tmp_path / "note.txt"
    note.write_text("Hello , world\n", encoding="utf-8")
    assert cleanup.check_file(note) == []
    assert [f.finding.rule for f in cleanup.check_file(note, config=cleanup.Config())] == \
        ["CU404"]
    assert cleanup.check_file(note, config=cleanup.Config(), ignore=["punctuation"]) == []


def test_fix_file_rewrites_only_the_damaged_bytes(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes(b"caf\xc3\x83\xc2\xa9 , bar\r\nkept \xff byte\n")
    outcome = cleanup.fix_file(note, write=False)
    assert outcome.changed and note.read_bytes() == b"caf\xc3\x83\xc2\xa9 , bar\r\nkept \xff byte\n"
    cleanup.fix_file(note)
    assert note.read_bytes() == "café, bar\r\nkept ".encode() + b"\xff byte\n"
    assert [f.rule for f in outcome.remaining] == ["CU703"]


def test_a_binary_file_is_a_clear_error_for_the_library(tmp_path: Path) -> None:
    image = tmp_path / "pixel.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(cleanup.FileError, match="pixel.png: binary file"):
        cleanup.check_file(image)


def test_check_takes_ignore_on_top_of_the_config() -> None:
    text = "cafÃ© , bar"
    assert {f.rule for f in cleanup.check(text)} == {"CU101", "CU404"}
    assert [f.rule for f in cleanup.check(text, ignore=["CU4"])] == ["CU101"]
    assert [f.rule for f in cleanup.check(text, config=cleanup.Config(ignore=("CU101",)),
                                          ignore="punctuation")] == []
