"""The house's rules, checked on the code itself: no import cycle, detectors independent of one
another, and each detector run once per text (docs/architecture.md)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import cleanup.detect
import cleanup.engine
from cleanup.cli import app

PACKAGE = Path(cleanup.detect.__file__).resolve().parent.parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> Iterator[str]:
    """The cleanup modules ``path`` imports, anywhere in it but under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            if name in MODULES:
                yield name
            elif name.rsplit(".", 1)[0] in MODULES and name not in MODULES:
                continue  # `from cleanup.x import y`: y is a name, the module is listed too


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = {target for target in _imports(path)
                       if target != name and not package.startswith(target)}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_of_cleanup_imports_in_a_circle() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_sees_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_detector_imports_another_detector() -> None:
    detectors = {name for name in MODULES if name.startswith("cleanup.detect.")}
    graph = _graph()
    assert {name: sorted(graph[name] & detectors) for name in detectors
            if graph[name] & detectors} == {}


def test_every_registered_detector_is_a_module_of_the_detect_package() -> None:
    for target in cleanup.detect.DETECTORS.values():
        module, _, function = target.partition(":")
        assert module in MODULES
        assert callable(getattr(importlib.import_module(module), function))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every registered detector wrapped to count its calls, with the engine's plans rebuilt."""
    calls: Counter[str] = Counter()
    for name, target in cleanup.detect.DETECTORS.items():
        module_name, _, function_name = target.partition(":")
        module = importlib.import_module(module_name)
        original = getattr(module, function_name)

        def wrapper(text: str, context: Any, _name: str = name,
                    _original: Callable[..., Any] = original) -> Any:
            calls[_name] += 1
            return _original(text, context)

        monkeypatch.setattr(module, function_name, wrapper)
    for cached in (cleanup.detect.load_detector, cleanup.engine._repairing_plan,
                   cleanup.engine._file_plan):
        cached.cache_clear()
    cleanup.engine._PLANS.clear()
    yield calls
    for cached in (cleanup.detect.load_detector, cleanup.engine._repairing_plan,
                   cleanup.engine._file_plan):
        cached.cache_clear()
    cleanup.engine._PLANS.clear()


def test_cleanup_check_runs_each_detector_once_per_file(counted: Counter[str],
                                                        tmp_path: Path) -> None:
    # Mojibake that decodes to a Russian fragment, so the others run on a repaired text.
    article = tmp_path / "article.txt"
    article.write_text("The talks [Ð˜Ð·Ñ€Ð°Ð¸Ð»Ñ\x8f] ended , said Jon Finer. "
                       "Later John Feiner left.\n", encoding="utf-8")
    notes = tmp_path / "notes.md"
    notes.write_text("Gaz\u0430 is a city\u200b.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--isolated", str(article), str(notes)])
    assert result.exit_code == 1, result.output
    assert "CU201" in result.output and "CU101" in result.output
    # Each per-text detector once per file; names once for the whole run (across files).
    per_text = set(cleanup.detect.DETECTORS) - {"name_variant"}
    assert {name: counted[name] for name in per_text} == dict.fromkeys(per_text, 2)
    assert counted["name_variant"] == 0


@pytest.mark.parametrize("folder", ["benchmarks", "scripts"])
def test_every_name_the_benchmarks_and_scripts_import_from_cleanup_exists(folder: str) -> None:
    """They import inside functions, which only a full `make bench` would reach: a name the
    house moved (`check_document` left `cleanup.files`) would break it in the field."""
    missing = []
    for path in sorted((Path(__file__).resolve().parent.parent / folder).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cleanup"):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if not hasattr(module, alias.name) and importlib.util.find_spec(
                            f"{node.module}.{alias.name}") is None:
                        missing.append(f"{path.name}: {node.module}.{alias.name}")
    assert missing == []
