"""`cleanup check --format sarif` is valid SARIF 2.1.0 and points at the damage; `--format
github` annotates the right lines.

The schema is the official OASIS one (tests/data/README.md says where it comes from); the
checks after validation are what the schema cannot say: that rule ids, indexes, regions and
fixes agree with the file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

DATA = Path(__file__).resolve().parent / "data"
CLEANUP = str(Path(sys.executable).with_name("cleanup"))
ZWSP = "\u200b"
DAMAGED = f"# Trip\n\nThe cafÃ© opened.\nBack to Washington . Later.\nThe o{ZWSP}f plan.\n"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run([CLEANUP, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def sarif_of(tmp_path: Path, name: str, content: str) -> tuple[dict[str, Any], int]:
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = run_cli("check", "--format", "sarif", name, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout), result.returncode


def schema_errors(validator: jsonschema.protocols.Validator, log: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(log)]


def test_sarif_of_a_damaged_file_is_valid_and_locates_every_finding(
    tmp_path: Path, validator: jsonschema.protocols.Validator
) -> None:
    log, status = sarif_of(tmp_path, "trip.md", DAMAGED)
    assert status == 1
    assert schema_errors(validator, log) == []
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert {r["ruleId"] for r in results} >= {"CU101", "CU404", "CU501"}
    lines = DAMAGED.splitlines()
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "trip.md"
        region = location["region"]
        flagged = DAMAGED[region["charOffset"]:region["charOffset"] + region["charLength"]]
        line = lines[region["startLine"] - 1]
        assert line[region["startColumn"] - 1:].startswith(flagged)  # code point columns
        assert flagged.strip() == "" or flagged in result["message"]["text"] or \
            json.dumps(flagged)[1:-1] in result["message"]["text"]
        for fix in result.get("fixes", []):
            replacement = fix["artifactChanges"][0]["replacements"][0]
            assert replacement["deletedRegion"]["charOffset"] == region["charOffset"]
    assert run.get("columnKind") == "unicodeCodePoints"


def test_sarif_levels_follow_rule_severity(tmp_path: Path) -> None:
    log, _ = sarif_of(tmp_path, "trip.md", DAMAGED)
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels["CU101"] == "error"
    assert levels["CU501"] == "warning"
    assert levels["CU404"] == "note"


def test_sarif_of_a_clean_file_is_valid_with_no_results(
    tmp_path: Path, validator: jsonschema.protocols.Validator
) -> None:
    log, status = sarif_of(tmp_path, "clean.md", "# Fine\n\nNothing is wrong here.\n")
    assert status == 0
    assert schema_errors(validator, log) == []
    assert log["runs"][0]["results"] == []


def test_rule_metadata_validates_and_carries_the_docs(
    validator: jsonschema.protocols.Validator, tmp_path: Path
) -> None:
    log, _ = sarif_of(tmp_path, "clean.md", "Fine.\n")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    from cleanup.rules import RULES

    assert [r["id"] for r in rules] == list(RULES)
    for rule in rules:
        assert "## Why is this bad?" in rule["help"]["markdown"]


GITHUB_LINE = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),"
    r"col=(?P<col>\d+),endLine=\d+,endColumn=\d+,title=(?P<rule>CU\d{3})::(?P<message>.+)$"
)


def test_github_format_annotates_each_finding_on_its_line(tmp_path: Path) -> None:
    name = "a, b: trip.md"  # commas and colons must be escaped in the file property
    (tmp_path / name).write_text(DAMAGED, encoding="utf-8")
    result = run_cli("check", "--format", "github", name, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    annotations = [GITHUB_LINE.match(line) for line in result.stdout.splitlines()
                   if line.startswith("::")]
    assert annotations and all(annotations), result.stdout
    by_rule = {m["rule"]: m for m in annotations if m}
    assert by_rule["CU101"]["level"] == "error"
    assert by_rule["CU501"]["level"] == "warning"
    assert by_rule["CU404"]["level"] == "notice"
    assert (by_rule["CU404"]["line"], by_rule["CU404"]["col"]) == ("4", "19")
    assert by_rule["CU501"]["line"] == "5"
    assert {m["file"] for m in annotations if m} == {"a%2C b%3A trip.md"}
