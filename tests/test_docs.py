"""The docs say what the code does: the rules reference is generated and current, every rule has
its four sections, every config key is documented, and the docs' examples really work."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import cleanup
from cleanup.config import Config, load_config
from cleanup.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rules_doc",
                                                  ROOT / "scripts" / "gen_rules_doc.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fenced_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, re.DOTALL | re.MULTILINE)


def test_rules_reference_is_generated_from_the_current_rule_table() -> None:
    script = load_script()
    current = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert current == script.render_rules_doc(), \
        "docs/rules.md is stale: run python scripts/gen_rules_doc.py"
    for code in RULES:
        assert f"({code})\n" in current


def test_rules_doc_check_mode_fails_on_a_stale_page(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rules_doc.py"),
                             "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    stale = tmp_path / "rules.md"
    stale.write_text("# Rules\n\nold\n", encoding="utf-8")
    assert load_script().main(["--check", "--output", str(stale)]) == 1
    assert load_script().main(["--output", str(stale)]) == 0
    assert load_script().main(["--check", "--output", str(stale)]) == 0


def test_every_rule_documents_the_four_sections() -> None:
    assert load_script().check_sections(RULES.values()) == []


def test_section_check_catches_an_empty_section() -> None:
    thin = dataclasses.replace(RULES["CU404"], why="  ")
    problems = load_script().check_sections([thin])
    assert problems == ["CU404: docs lack the section 'Why is this bad?'"]


def test_every_config_key_is_documented_with_its_default() -> None:
    page = (DOCS / "config.md").read_text(encoding="utf-8")
    keys = [f.name.replace("_", "-") for f in dataclasses.fields(Config) if f.name != "sources"]
    for key in keys:
        section = page.split(f"\n### {key}\n", 1)
        assert len(section) == 2, f"docs/config.md lacks a section for {key}"
        body = section[1].split("\n### ", 1)[0]
        assert "Default:" in body, f"{key} has no default in docs/config.md"
        assert "```toml" in body, f"{key} has no example in docs/config.md"


def test_every_toml_example_of_the_config_reference_is_a_valid_config(tmp_path: Path) -> None:
    page = (DOCS / "config.md").read_text(encoding="utf-8")
    blocks = fenced_blocks(page, "toml")
    assert len(blocks) >= 12
    for block in blocks:
        name = "pyproject.toml" if "[tool.cleanup" in block else ".cleanup.toml"
        path = tmp_path / name
        path.write_text(block, encoding="utf-8")
        assert isinstance(load_config(path), Config), block


def test_precommit_guide_config_names_the_hooks_this_repository_ships() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    shipped = {hook["id"]: hook for hook in hooks}
    assert set(shipped) == {"cleanup", "cleanup-fix"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["types"] == ["text"]
        assert hook["require_serial"] is True
        assert "--force-exclude" in hook["entry"]
    assert "--exit-non-zero-on-fix" in shipped["cleanup-fix"]["entry"]
    guide = (DOCS / "pre-commit.md").read_text(encoding="utf-8")
    config = yaml.safe_load(fenced_blocks(guide, "yaml")[0])
    used = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert used == set(shipped)


def test_suppression_example_of_the_guide_silences_what_it_says() -> None:
    guide = (DOCS / "pre-commit.md").read_text(encoding="utf-8")
    example = fenced_blocks(guide, "markdown")[0]
    assert cleanup.check(example, syntax="markdown") == []
    damaged = example.replace("<!-- cleanup: ignore[CU101] -->", "")
    assert [f.rule for f in cleanup.check(damaged, syntax="markdown")] == ["CU101"]


@pytest.mark.parametrize("page", ["rules.md", "config.md", "pre-commit.md", "contract.md",
                                  "translation.md"])
def test_docs_pages_pass_cleanup_themselves(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    found = [(f.rule, f.text) for f in cleanup.check(text, syntax="markdown")]
    assert found == []
