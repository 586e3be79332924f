"""Report formats (`cleanup.report`) of real findings located in real file bytes."""

from __future__ import annotations

import json

import cleanup
from cleanup import report
from cleanup.engine import check_document
from cleanup.files import decode_document
from cleanup.findings import FileFinding, Finding

TEXT = ("Netanyahu’s aides went back to Washington .\r\n"
        "The cafÃ© owners said o\u200bf the plan, 100% “ready”.\r\n")


def located(path: str = "news/today.txt", text: str = TEXT) -> list[FileFinding]:
    document = decode_document(text.encode("utf-8"), path)
    return document.locate(check_document(document))


def test_text_format_is_one_path_line_col_code_message_line_per_finding() -> None:
    found = located()
    lines = report.render(found, "text").splitlines()
    assert len(lines) == len(found) >= 3
    assert lines[0] == f"news/today.txt:1:42: CU404 {found[0].finding.message}"
    assert all(line.startswith("news/today.txt:2:") for line in lines[1:])
    assert "\x1b[" not in report.render(found, "text")
    coloured = report.render(found, "text", colour=True)
    assert "\x1b[1mnews/today.txt\x1b[0m:1:42:" in coloured


def test_jsonl_is_one_object_per_line_in_contract_order_and_json_is_an_array() -> None:
    found = located()
    lines = report.render(found, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == [item.to_dict() for item in found]
    assert list(json.loads(lines[0]))[:6] == ["kind", "rule", "start", "end", "text", "message"]
    assert json.loads(report.render(found, "json")) == [item.to_dict() for item in found]
    assert report.render([], "json") == "[]" and report.render([], "jsonl") == ""


def test_findings_are_sorted_by_path_then_position_whatever_the_input_order() -> None:
    found = located("b.txt") + located("a.txt")
    rendered = report.render(list(reversed(found)), "jsonl").splitlines()
    keys = [(json.loads(line)["path"], json.loads(line)["start"]) for line in rendered]
    assert keys == sorted(keys)


def test_end_position_counts_code_points_and_crosses_crlf() -> None:
    finding = Finding("punctuation", "CU402", 5, 12, "“a\r\nbcd", "m")
    assert report.end_position(FileFinding(finding, "x", 3, 6, 9, 18)) == (4, 4)
    single = next(item for item in located() if item.finding.rule == "CU101")
    assert report.end_position(single) == (2, single.column + 2)


def test_github_commands_escape_messages_and_properties() -> None:
    finding = Finding("punctuation", "CU404", 0, 1, " ", "100% bad\nline", None, False, "info")
    line = report.render([FileFinding(finding, "dir,1/a:b.txt", 1, 1, 0, 1)], "github")
    assert line == ("::notice file=dir%2C1/a%3Ab.txt,line=1,col=1,endLine=1,endColumn=2,"
                    "title=CU404::100%25 bad%0Aline")
    levels = {item.finding.rule: report.render([item], "github").split(" ", 1)[0]
              for item in located()}
    assert levels["CU101"] == "::error" and levels["CU404"] == "::notice"


def test_sarif_log_has_rule_metadata_results_regions_and_fixes() -> None:
    found = located()
    log = json.loads(report.render(found, "sarif"))
    assert log["$schema"].endswith("sarif-2.1.0.json") and log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cleanup" and driver["version"] == cleanup.__version__
    assert driver["informationUri"].startswith("https://")
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == set(cleanup.rules.RULES)
    for rule in rules.values():
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"] and "## What it does" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["columnKind"] == "unicodeCodePoints"
    assert len(run["results"]) == len(found)
    for result, item in zip(run["results"], found, strict=True):
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"] == item.finding.message
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "news/today.txt"
        region = location["region"]
        assert TEXT[region["charOffset"]:region["charOffset"] + region["charLength"]] == \
            item.finding.text
        assert (region["startLine"], region["startColumn"]) == (item.line, item.column)
        replacement = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
        assert replacement["insertedContent"]["text"] == item.finding.replacement
        assert replacement["deletedRegion"]["charOffset"] == item.finding.start


def test_sarif_of_a_finding_without_fix_and_an_absolute_path() -> None:
    finding = Finding("lost_character", "CU703", 3, 4, "\ufffd", "invalid byte", None, False,
                      "error", 1.0, {"bytes": "e9"})
    log = json.loads(report.render([FileFinding(finding, "/srv/a b.txt", 1, 4, 3, 4)], "sarif"))
    result = log["runs"][0]["results"][0]
    assert "fixes" not in result and result["level"] == "error"
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "file:///srv/a%20b.txt"


def test_statistics_count_per_rule_most_frequent_first() -> None:
    found = located("a.txt") + located("b.txt") + [
        item for item in located("c.txt") if item.finding.rule == "CU404"]
    rows = report.statistics(found).splitlines()
    assert rows[0].split() == ["3", "CU404", "[*]", "space-before-punctuation"]
    assert [row.split()[1] for row in rows[1:]] == sorted(row.split()[1] for row in rows[1:])
    as_json = json.loads(report.statistics(found, "json"))
    assert as_json[0] == {"code": "CU404", "name": "space-before-punctuation", "count": 3,
                          "fixable": True}


def test_summary_says_how_many_and_what_fix_would_do() -> None:
    found = located()
    assert report.summary(found, 1).startswith(f"Found {len(found)} findings in 1 file (")
    assert "fixable with `cleanup fix`" in report.summary(found, 1)
    assert report.summary([], 2) == "All clear: no findings in 2 files."
