"""The HTML report read as HTML: the CLI's `--format html` and `annotate --report`, and Jupyter's
`_repr_html_`, parsed with the standard library's HTML parser (the browser tests are in
test_report_browser.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import cleanup
from cleanup import html_report
from cleanup.findings import FileFinding

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "washington-post-biden-netanyahu.en.txt"
SAMPLE = ROOT / "fixtures" / "corpus" / "sample.jsonl"

HOSTILE = ('He said [Израиля] <script>document.title="pwned"</script> and "><img src=x '
           'onerror=alert(1)> o\u200bf the Gaz\u0430 Strip &amp; more .\n')


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], check=False,
                          cwd=cwd, capture_output=True, env=env, timeout=300)


class Page(HTMLParser):
    """Every start tag with its attributes, the text inside each mark, and all text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[tuple[dict[str, str | None], str]] = []
        self._open: list[int] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "mark":
            self.marks.append((dict(attrs), ""))
            self._open.append(len(self.marks) - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for index in self._open:
            attrs, inner = self.marks[index]
            self.marks[index] = (attrs, inner + data)

    def marks_of(self, rule: str) -> list[tuple[dict[str, str | None], str]]:
        return [(attrs, inner) for attrs, inner in self.marks if attrs.get("data-rule") == rule]


def test_check_format_html_highlights_the_seed_articles_fragment(tmp_path: Path) -> None:
    result = run("check", "--format", "html", SEED, cwd=tmp_path)
    assert result.returncode == 1
    markup = result.stdout.decode("utf-8")
    assert markup.startswith("<!DOCTYPE html>")
    page = Page(markup)
    [(attrs, inner)] = [m for m in page.marks_of("CU201") if m[0].get("id")]
    assert inner == "[Израиля]"
    assert attrs["data-kind"] == "foreign_fragment" and attrs["tabindex"] == "0"
    assert 'untranslated Russian fragment "[Израиля]"' in (attrs["data-tip"] or "")
    described = attrs["aria-describedby"]
    assert ("span", {"id": described}) in page.tags  # screen readers get the message too
    assert run("check", "--format", "html", SEED, cwd=tmp_path).stdout == result.stdout


def test_output_format_full_is_accepted_as_ruff_spells_it(tmp_path: Path) -> None:
    by_ruff_name = run("check", "--output-format", "html", SEED, cwd=tmp_path)
    assert by_ruff_name.stdout == run("check", "--format", "html", SEED, cwd=tmp_path).stdout


def test_the_report_needs_nothing_outside_itself(tmp_path: Path) -> None:
    markup = run("check", "--format", "html", SEED, cwd=tmp_path).stdout.decode()
    page = Page(markup)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base"}
    for _, attrs in page.tags:
        assert "src" not in attrs
        assert (attrs.get("href") or "#").startswith("#")
    assert "url(" not in markup and "@import" not in markup and "http" not in markup.split(
        "<body>")[0].replace("http-equiv", "")
    [csp] = [a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None and "default-src 'none'" in csp and "script-src" not in csp


def test_untrusted_text_is_escaped_everywhere(tmp_path: Path) -> None:
    (tmp_path / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    markup = run("check", "--format", "html", "--foreign", "gloss", "hostile.txt",
                 cwd=tmp_path).stdout.decode()
    page = Page(markup)
    assert [tag for tag, _ in page.tags if tag in ("script", "img")] == []
    text = "".join(page.text)
    assert '<script>document.title="pwned"</script>' in text
    assert '"><img src=x onerror=alert(1)>' in text
    assert "&amp; more" in text  # an entity in the text is shown, not decoded
    # the invisible character is drawn, the look-alike is boxed and named
    assert "⟨U+200B⟩" in text
    assert ("span", {"class": "alike", "title": "U+0430 CYRILLIC SMALL LETTER A"}) in page.tags
    kinds = {attrs["data-kind"] for attrs, _ in page.marks}
    assert {"foreign_fragment", "invisible", "mixed_script", "punctuation"} <= kinds


def test_the_changes_table_marks_unsafe_fixes_as_not_applied(tmp_path: Path) -> None:
    (tmp_path / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    markup = run("check", "--format", "html", "--foreign", "gloss", "hostile.txt",
                 cwd=tmp_path).stdout.decode()
    rows = markup.split('<table class="changes">')[1].split("</table>")[0].split("<tr>")[2:]
    applied = [row for row in rows if "applied by <code>cleanup fix</code>" in row]
    unsafe = [row for row in rows if "needs <code>--unsafe-fixes</code>" in row]
    assert {row.split("<code>")[1][:5] for row in applied} == {"CU104", "CU501", "CU601", "CU404"}
    [gloss] = unsafe
    assert "<del>[Израиля]</del>" in gloss and "<ins>[Israel]</ins>" in gloss
    # the text after fix shows the safe changes only
    after = markup.split("changes marked</summary>")[1].split("</details>")[0]
    assert '<del>Gaz<span class="alike"' in after and "<ins>Gaza</ins>" in after and "[Israel]" not in after


def test_a_large_file_is_cut_with_a_note_and_the_report_stays_small(tmp_path: Path) -> None:
    damaged = "The caf\u00c3\u00a9 owners went back to Washington .\n"  # two findings
    clean = "The company said exports fell by a fifth compared with last year.\n"
    text = (damaged + clean) * 1_100 + clean * 600
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    markup = run("check", "--format", "html", "big.txt", cwd=tmp_path).stdout.decode()
    assert f"The text is {len(text):,} characters long: the view shows the first 100,000." \
        in markup
    assert "This text has 2,200 findings: the report shows the first 2,000." in markup
    page = Page(markup)
    shown = [attrs for attrs, _ in page.marks if attrs.get("id")]
    assert len(shown) == 2_000
    # findings past the view are listed in context, with their marks
    last_in_view = text.rindex(damaged, 0, 100_000) + len(damaged)
    in_view = text[:last_in_view].count(damaged) * 2
    assert in_view < 2_000
    assert markup.count('<br><span class="ctx">…') == 2_000 - in_view


def test_the_report_of_a_corpus_of_files_stops_growing_at_its_caps() -> None:
    from cleanup.files import decode_document

    line = "The caf\u00c3\u00a9 owners went back to Washington .\n"
    document = decode_document((line * 200).encode("utf-8"), "one.txt")
    located = document.locate(cleanup.check(document.text))

    def report(files: int) -> str:
        names = [f"file{n:03}.txt" for n in range(files)]
        findings = [FileFinding(item.finding, name, item.line, item.column, item.byte_start,
                                item.byte_end) for name in names for item in located]
        return html_report.render_check_report(findings, dict.fromkeys(names, document.text))

    small, large = report(30), report(120)  # 12,000 and 48,000 findings
    assert len(Page(large).marks) == len(Page(small).marks)  # REPORT_FINDINGS, about 2x
    assert len(large) < len(small) * 1.3  # only the per-file headings and counts grow


def test_overlapping_findings_nest_and_keep_their_attributes() -> None:
    text = "abcdefgh"
    found = [cleanup.Finding("punctuation", "CU404", 1, 5, text[1:5], "first"),
             cleanup.Finding("invisible", "CU501", 3, 7, text[3:7], "second"),
             cleanup.Finding("punctuation", "CU402", 4, 4, "", "empty")]
    markup = html_report.highlight(text, found, ids=["a", "b", "c"])
    page = Page(f"<div>{markup}</div>")
    assert "".join(page.text) == "abcdefgh".replace("e", "‸e")
    spans = [(attrs["data-rule"], attrs.get("id"), inner) for attrs, inner in page.marks]
    assert spans == [("CU404", "a", "bcd‸e"), ("CU501", "b", "d‸e"), ("CU402", "c", "‸"),
                     ("CU501", None, "fg")]


def test_jupyter_shows_fixed_and_show_as_the_same_document_view() -> None:
    text = "The cafÃ© o\u200bf Jon said [Израиля] ,x"
    fixed = cleanup.fix(text)
    from_fix = Page(fixed._repr_html_())
    from_show = Page(cleanup.show(text)._repr_html_())
    rules = [attrs["data-rule"] for attrs, _ in from_fix.marks]
    assert rules == [attrs["data-rule"] for attrs, _ in from_show.marks]
    assert rules == [f.rule for f in fixed.findings]
    assert "<style>" in fixed._repr_html_()
    page = cleanup.show(text, []).to_html()
    assert page.startswith("<!DOCTYPE html>") and "No findings." in page


def test_annotate_report_counts_rules_and_links_each_to_its_samples(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "in.jsonl")
    result = run("annotate", "in.jsonl", "out.jsonl", "--workers", "1", "--id-field", "id",
                 "--report", "report.html", "--stats", "stats.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert b"report: report.html" in result.stderr
    stats = json.loads((tmp_path / "stats.json").read_text())
    markup = (tmp_path / "report.html").read_text(encoding="utf-8")
    page = Page(markup)
    for code, count in stats["findings_by_rule"].items():
        assert f'<td class="n">{count:,}</td>' in markup.split(f'id="summary-{code}"')[1][:900]
        assert ("a", {"href": f"#rule-{code}"}) in page.tags
        assert ("section", {"id": f"rule-{code}"}) in page.tags
        assert ("a", {"href": f"#summary-{code}"}) in page.tags
        marks = [attrs for attrs, _ in page.marks_of(code)]
        assert 1 <= len(marks) <= min(count, 20)
    assert f"{stats['records_affected']:,} (" in markup
    # each sample names its record in the output
    first = next(json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines())
    assert f"out.jsonl record 1 (id {first['id']})" in markup


def test_annotate_report_is_the_same_whatever_the_batching(tmp_path: Path) -> None:
    line = '{"id": %d, "text": "The caf\\u00c3\\u00a9 owners , said o\\u200bf it."}\n'
    (tmp_path / "in.jsonl").write_text("".join(line % n for n in range(120)))
    reports = []
    for batch in ("7", "500"):
        folder = tmp_path / batch
        folder.mkdir()
        result = run("annotate", "../in.jsonl", "out.jsonl", "--workers", "1", "--batch-size",
                     batch, "--report", "report.html", cwd=folder)
        assert result.returncode == 0, result.stderr.decode()
        reports.append((folder / "report.html").read_bytes())
    assert reports[0] == reports[1]
    page = Page(reports[0].decode())
    assert len(page.marks_of("CU101")) == 20  # the first 20 of 120
    assert "out.jsonl record 20" in reports[0].decode()
    assert "out.jsonl record 21" not in reports[0].decode()


def test_annotate_report_reads_parquet_output(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    texts = ["The caf\u00c3\u00a9 owners left .", "clean text", "He said [Израиля] today."]
    pq.write_table(pa.table({"text": texts, "id": ["a", "b", "c"]}), tmp_path / "in.parquet")
    result = run("annotate", "in.parquet", "out.parquet", "--workers", "1", "--id-field", "id",
                 "--report", "report.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    page = Page((tmp_path / "report.html").read_text(encoding="utf-8"))
    [(_, inner)] = page.marks_of("CU201")
    assert inner == "[Израиля]"
    assert "out.parquet record 3 (id c)" in "".join(page.text)


def test_the_docs_show_screenshots_that_exist() -> None:
    from PIL import Image

    for page in (ROOT / "README.md", ROOT / "docs" / "report.md"):
        text = page.read_text(encoding="utf-8")
        images = [part.split(")")[0] for part in text.split("](")[1:] if ".png)" in part]
        assert images, page
        for image in images:
            with Image.open(page.parent / image) as picture:
                assert picture.width >= 800 and picture.height >= 400


def test_every_kind_of_the_rule_table_has_a_colour_and_a_note() -> None:
    from cleanup.html_report import KIND_COLOURS, KIND_NOTES
    from cleanup.rules import KINDS

    assert set(KIND_COLOURS) == set(KINDS) == set(KIND_NOTES)
