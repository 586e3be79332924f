"""Bytes in, bytes out (`cleanup.files`): real damaged files decode, locate and fix byte-exactly."""

from __future__ import annotations

import codecs
import os
import stat
import time
from pathlib import Path

import pytest

from cleanup import Config
from cleanup.engine import check_document, fix_document
from cleanup.files import FileError, decode_document, read_bytes, syntax_for, write_atomic
from cleanup.paths import PathFilter, walk_directory

FILES = Path(__file__).resolve().parent.parent / "fixtures" / "files"
MIXED = FILES / "mixed-endings-bom-invalid-byte.txt"


def load(path: Path):
    return decode_document(read_bytes(path), str(path))


def test_bom_is_kept_aside_and_invalid_byte_counts_as_one_replacement_character() -> None:
    document = load(MIXED)
    assert document.bom == codecs.BOM_UTF8
    assert not document.text.startswith("\ufeff")
    assert document.text.count("\ufffd") == 1
    assert len(document.text) == len(document.raw)
    assert document.encode([]) == MIXED.read_bytes()


def test_fix_changes_only_the_damaged_spans_and_keeps_every_other_byte() -> None:
    original = MIXED.read_bytes()
    outcome = fix_document(load(MIXED))
    expected = (original
                .replace(b"caf\xc3\x83\xc2\xa9", b"caf\xc3\xa9")
                .replace(b"Washington .", b"Washington.")
                .replace(b"o\xe2\x80\x8bf", b"of"))
    assert outcome.data == expected
    assert outcome.data.startswith(codecs.BOM_UTF8)
    assert b"Post\x92s" in outcome.data and b".  \r\n" in outcome.data
    assert outcome.data.count(b"\r\n") == original.count(b"\r\n")
    assert not outcome.data.endswith(b"\n")


def test_invalid_byte_is_one_cu703_finding_with_its_byte_offset_and_hex() -> None:
    data = MIXED.read_bytes()
    document = load(MIXED)
    located = document.locate(check_document(document))
    invalid = [item for item in located if item.finding.rule == "CU703"]
    assert len(invalid) == 1
    item = invalid[0]
    assert item.byte_start == data.index(b"\x92") and item.byte_end == item.byte_start + 1
    assert item.finding.data["bytes"] == "92"
    assert item.finding.text == "\ufffd"
    assert (item.line, item.column) == (4, len("The Post") + 1)
    assert "0x92" in item.finding.message and "Post" in item.finding.message
    assert not any(f.finding.rule == "CU701" for f in located)


def test_byte_offsets_of_every_finding_slice_the_file_to_the_flagged_text() -> None:
    data = MIXED.read_bytes()
    document = load(MIXED)
    located = document.locate(check_document(document))
    assert {item.finding.rule for item in located} >= {"CU101", "CU404", "CU501", "CU703"}
    for item in located:
        if item.finding.rule == "CU703":
            continue
        assert data[item.byte_start:item.byte_end].decode("utf-8") == item.finding.text


def test_lines_count_crlf_and_a_lone_cr_as_one_line_end_each() -> None:
    document = load(MIXED)
    by_rule = {item.finding.rule: item for item in document.locate(check_document(document))}
    assert by_rule["CU101"].line == 2
    assert by_rule["CU501"].line == 3
    assert by_rule["CU703"].line == 4  # line 3 ends with a lone CR


@pytest.mark.parametrize(("name", "encoding"), [
    ("russian.cp1251.txt", "cp1251"),
    ("english.utf16.txt", "utf-16"),
    ("french.latin1.txt", "cp1252"),
])
def test_file_wholly_in_another_encoding_is_one_file_level_finding(name: str,
                                                                    encoding: str) -> None:
    document = load(FILES / name)
    findings = check_document(document)
    assert [f.rule for f in findings] == ["CU106"]
    assert findings[0].data["encoding"] == encoding
    assert encoding in findings[0].message


def test_converting_another_encoding_needs_unsafe_fixes_and_gives_the_same_text_in_utf8() -> None:
    data = (FILES / "russian.cp1251.txt").read_bytes()
    document = load(FILES / "russian.cp1251.txt")
    assert fix_document(document).data == data
    outcome = fix_document(document, unsafe_fixes=True)
    assert outcome.converted
    assert outcome.data.decode("utf-8") == data.decode("cp1251")
    assert not [f for f in outcome.remaining if f.rule == "CU106"]


def test_utf16_file_converts_without_its_bom_and_keeps_crlf() -> None:
    outcome = fix_document(load(FILES / "english.utf16.txt"), unsafe_fixes=True)
    text = outcome.data.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert text.count("\r\n") == 2
    assert "published today.\r\n" in text  # and the space before the full stop is fixed


def test_binary_and_empty_files() -> None:
    assert load(FILES / "pixel.png").binary
    empty = load(FILES / "empty.txt")
    assert not empty.binary and check_document(empty) == []
    assert fix_document(empty).data == b""


def test_utf8_text_with_a_nul_byte_is_binary_but_utf16_without_bom_is_not() -> None:
    assert decode_document(b"abc\x00def", "x.txt").binary
    utf16 = decode_document("Hello , world\n".encode("utf-16-le"), "x.txt")
    assert not utf16.binary and utf16.encoding == "utf-16-le"


def test_a_few_stray_bytes_in_utf8_text_stay_utf8_with_cu703() -> None:
    data = "Zelenskyy’s café — ".encode() + b"Krak\xf3w and \xe9t\xe9 [\xcf\xf0\xe8] in Washington ."
    document = decode_document(data, "x.txt")
    assert document.is_utf8
    invalid = [f for f in check_document(document) if f.rule == "CU703"]
    # one finding per contiguous run of invalid bytes, as DESIGN.md counts damage
    assert [f.data["bytes"] for f in invalid] == ["f3", "e9", "e9", "cff0e8"]
    assert [f.text for f in invalid] == ["\ufffd", "\ufffd", "\ufffd", "\ufffd" * 3]
    assert fix_document(document).data == data.replace(b" .", b".")


def test_a_repair_over_an_invalid_byte_is_reported_unfixable_and_the_byte_survives() -> None:
    data = b"It\xe2\x80\x99s the caf\xc3\x83\xe9 and the caf\xc3\x83\xc2\xa9 , ok"
    document = decode_document(data, "x.txt")
    over_invalid = [f for f in check_document(document)
                    if f.rule == "CU101" and "\ufffd" in f.text]
    assert over_invalid and over_invalid[0].replacement is None and not over_invalid[0].safe
    assert fix_document(document).data == \
        b"It\xe2\x80\x99s the caf\xc3\x83\xe9 and the caf\xc3\xa9, ok"


def test_huge_single_line_is_located_and_fixed() -> None:
    line = ("The talks went on and on. " * 80_000) + "back to Washington . end"
    data = line.encode()
    start = time.perf_counter()
    document = decode_document(data, "big.txt")
    located = document.locate(check_document(document, Config(select=["CU404"])))
    assert [(f.line, f.column) for f in located] == [(1, line.index(" .") + 1)]
    assert fix_document(document, Config(select=["CU404"])).data == data.replace(b" .", b".")
    assert time.perf_counter() - start < 30


def test_syntax_comes_from_the_extension() -> None:
    assert [syntax_for(name) for name in ("a.md", "b.markdown", "c.html", "d.htm", "e.xml",
                                          "f.svg", "g.rst", "h.txt", "README")] == \
        ["markdown", "markdown", "html", "html", "xml", "xml", "rst", "plain", "plain"]


def test_atomic_write_keeps_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_atomic_write_through_a_symlink_replaces_the_target_not_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_atomic_write_into_a_missing_folder_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="cannot write"):
        write_atomic(tmp_path / "gone" / "x.txt", b"data")


def test_unreadable_path_is_a_one_line_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(FileError, match=r"missing\.txt: no such file"):
        read_bytes(tmp_path / "missing.txt")
    with pytest.raises(FileError, match="is a directory"):
        read_bytes(tmp_path)


def test_walk_honours_gitignore_files_and_skips_git(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / ".gitignore").write_text("build/\n*.log\n")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.txt").write_text("x")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".gitignore").write_text("draft-*.md\n!draft-keep.md\n")
    for name in ("docs/a.md", "docs/draft-1.md", "docs/draft-keep.md", "run.log", "b.txt"):
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in walk_directory(tmp_path)]
    assert found == [".gitignore", "b.txt", "docs/.gitignore", "docs/a.md",
                     "docs/draft-keep.md"]
    # walking a subfolder still honours the ignore files above it, up to the repository root
    (tmp_path / "docs" / "old.log").write_text("x")
    assert "docs/old.log" not in [p.relative_to(tmp_path).as_posix()
                                  for p in walk_directory(tmp_path / "docs")]


def test_exclude_and_per_file_ignores_are_gitignore_style_globs(tmp_path: Path) -> None:
    config = Config(exclude=["vendor/", "*.min.js"],
                    per_file_ignores={"docs/**/*.md": ["CU404", "invisible"]})
    rules = PathFilter(config, tmp_path)
    assert rules.excluded(tmp_path / "vendor" / "a" / "b.txt")
    assert rules.excluded(tmp_path / "static" / "app.min.js")
    assert not rules.excluded(tmp_path / "docs" / "a.md")
    assert rules.ignored_codes(tmp_path / "docs" / "x" / "a.md") == ("CU404", "invisible")
    assert rules.ignored_codes(tmp_path / "a.md") == ()
