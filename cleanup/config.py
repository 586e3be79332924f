"""Config: one immutable typed object, and its loading from `.cleanup.toml` or `pyproject.toml`.

Files use kebab-case keys (`fail-on`), `Config` takes the same keys in snake_case (`fail_on`).
The file is found by walking up from the checked file or the working directory, no further than
the repository root (the folder holding `.git`); the first `.cleanup.toml`, or `pyproject.toml`
with a `[tool.cleanup]` table, wins. Unknown keys, unknown rule codes, values of the wrong type
and files that do not parse are errors that name the file and the line, because a typo in a
config file that silently does nothing is worse than no config at all.

>>> Config(language="en").language
'en'
>>> Config(colour="red")
Traceback (most recent call last):
...
cleanup.errors.ConfigError: unknown config key 'colour'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cleanup.errors import ConfigError
from cleanup.rules import RULES, SEVERITIES, did_you_mean, expand_selectors

FOREIGN_POLICIES = ("keep", "drop", "transliterate", "gloss")
CONFIG_FILES = (".cleanup.toml", "pyproject.toml")

#: What marks a repository's root, where the search for a config file stops: a config above
#: it (the home or temp folder) belongs to someone else. ``.git`` is a folder, or a file in
#: linked worktrees and submodules.
REPOSITORY_MARKERS = (".git",)

#: A `[tool.cleanup]` table or a ``tool.cleanup.`` key, seen in a pyproject.toml's text when
#: the file does not parse: that file is a broken cleanup config, not someone else's.
TOOL_CLEANUP = re.compile(rb"""\btool\s*\.\s*["']?cleanup\b""")

_NO_VALUE = object()


class _KeyError(ConfigError):
    """A `ConfigError` that knows the key path (and maybe the value) it is about, so that
    `load_config` can name the line."""

    def __init__(self, message: str, path: tuple[str, ...], value: Any = _NO_VALUE) -> None:
        super().__init__(message)
        self.path = path
        self.value = value


@dataclass(frozen=True)
class Config:
    """Settings for a run, with the defaults of DESIGN.md.

    ``sources`` records where each non-default value came from, for `cleanup config`.
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    fail_on: str = "info"
    min_confidence: float = 0.0
    language: str | None = None
    foreign_policy: str = "keep"
    canonical_names: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __init__(
        self,
        *,
        select: Iterable[str] | str | None = None,
        ignore: Iterable[str] | str = (),
        per_file_ignores: Mapping[str, Iterable[str] | str] | None = None,
        exclude: Iterable[str] | str = (),
        severity: Mapping[str, str] | None = None,
        fail_on: str = "info",
        min_confidence: float = 0.0,
        language: str | None = None,
        foreign_policy: str = "keep",
        canonical_names: Iterable[str] | str = (),
        unsafe_fixes: bool = False,
        sources: Mapping[str, str] | None = None,
        **unknown: Any,
    ) -> None:
        """Every key is a keyword with its type, so that an editor completes them; each value
        is checked (a `ConfigError` names the key) and lists become tuples."""
        if unknown:
            key = next(iter(unknown))
            raise ConfigError(f"unknown config key {key.replace('_', '-')!r}" + did_you_mean(
                key.replace("_", "-"), [f.name.replace("_", "-") for f in dataclasses.fields(self)
                                        if f.name != "sources"]))
        values = {"select": select, "ignore": ignore, "per_file_ignores": per_file_ignores or {},
                  "exclude": exclude, "severity": severity or {}, "fail_on": fail_on,
                  "min_confidence": min_confidence, "language": language,
                  "foreign_policy": foreign_policy, "canonical_names": canonical_names,
                  "unsafe_fixes": unsafe_fixes, "sources": sources or {}}
        for name, value in values.items():
            object.__setattr__(self, name, _normalize(name, value))

    def replace(self, **changes: Any) -> Config:
        """A copy with some keys changed (``sources`` is kept and extended by the caller)."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values.update(changes)
        return Config(**values)

    def as_dict(self) -> dict[str, Any]:
        """The settings with file (kebab-case) keys, for `cleanup config`."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name == "sources":
                continue
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}
            out[f.name.replace("_", "-")] = value
        return out


@cache
def default_config() -> Config:
    """The default `Config`, built and validated once: `check` on a million texts shares it.

    >>> default_config() is default_config(), default_config() == Config()
    (True, True)
    """
    return Config()


def _key(name: str) -> str:
    return name.replace("_", "-")


def _strings(name: str, value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A string or a list of strings, as a tuple; anything else (a table, a number, a list
    holding one) is an error about the key, or about the first item that is no string."""
    path = path or (_key(name),)
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, (list, tuple)):
        raise _KeyError(f"{_key(name)} must be a list of strings, not {_type_name(value)}",
                        path)
    for item in value:
        if not isinstance(item, str):
            raise _KeyError(f"{_key(name)} must be a list of strings, not a list holding "
                            f"{_type_name(item)}", path, item)
    return tuple(value)


def _codes(name: str, value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...]:
    items = _strings(name, value, path)
    for item in items:
        try:
            expand_selectors([item])
        except ValueError as error:
            raise _KeyError(f"{_key(name)}: {error}", path or (_key(name),), item) from None
    return items


def _type_name(value: Any) -> str:
    """How TOML calls the type of ``value``, for error messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a string" if isinstance(value, str) else type(value).__name__


def _normalize(name: str, value: Any) -> Any:
    """Check one key's value and turn lists into tuples so the config stays immutable."""
    if name == "select":
        return None if value is None else _codes(name, value)
    if name == "ignore":
        return _codes(name, value)
    if name in ("exclude", "canonical_names"):
        return _strings(name, value)
    if name == "per_file_ignores":
        if not isinstance(value, Mapping) or not all(isinstance(g, str) for g in value):
            raise _KeyError("per-file-ignores must be a table of glob = [codes]",
                            ("per-file-ignores",))
        return {glob: _codes(name, codes, ("per-file-ignores", glob))
                for glob, codes in value.items()}
    if name == "severity":
        if not isinstance(value, Mapping):
            raise _KeyError("severity must be a table of CODE = level", ("severity",))
        for code, level in value.items():
            if code not in RULES:
                raise _KeyError(f"severity: unknown rule code {code!r}", ("severity", code))
            if not isinstance(level, str) or level not in SEVERITIES:
                raise _KeyError(f"severity: {code} must be one of {', '.join(SEVERITIES)}",
                                ("severity", code), level)
        return dict(value)
    if name == "fail_on":
        if not isinstance(value, str) or value not in SEVERITIES:
            raise _KeyError(f"fail-on must be one of {', '.join(SEVERITIES)}, not {value!r}",
                            ("fail-on",), value)
        return value
    if name == "min_confidence":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                not 0 <= value <= 1:
            raise _KeyError(f"min-confidence must be a number from 0 to 1, not {value!r}",
                            ("min-confidence",), value)
        return float(value)
    if name == "language":
        if value is None:
            return None
        from cleanup.language import language_code

        code = language_code(value) if isinstance(value, str) else None
        if code is None:
            raise _KeyError("language must be an ISO 639-1 or 639-3 code such as 'en' or "
                            f"'deu', not {value!r}", ("language",), value)
        return code
    if name == "foreign_policy":
        if not isinstance(value, str) or value not in FOREIGN_POLICIES:
            raise _KeyError(
                f"foreign-policy must be one of {', '.join(FOREIGN_POLICIES)}, not {value!r}",
                ("foreign-policy",), value)
        if value == "gloss":  # say now, in one line, when its optional packages are missing
            from cleanup.gloss import require_gloss

            require_gloss()
        return value
    if name == "unsafe_fixes":
        if not isinstance(value, bool):
            raise _KeyError(f"unsafe-fixes must be true or false, not {value!r}",
                            ("unsafe-fixes",), value)
        return value
    if name == "sources":
        return dict(value)
    return value


def find_config_file(start: Path) -> Path | None:
    """The first `.cleanup.toml`, or `pyproject.toml` with `[tool.cleanup]`, from ``start`` up
    to the repository root (the folder with `.git`; without one, up to the file system's root).

    A `pyproject.toml` that does not parse is a broken cleanup config when its text names
    `tool.cleanup` (it is found, and loading it is the error) and someone else's otherwise.
    """
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and not _has_cleanup_table(candidate):
                continue
            return candidate
        if any((folder / marker).exists() for marker in REPOSITORY_MARKERS):
            return None
    return None


def _has_cleanup_table(path: Path) -> bool:
    import tomllib  # only where there is TOML to read: most runs have none

    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return TOOL_CLEANUP.search(raw) is not None
    tool = data.get("tool")
    return isinstance(tool, dict) and "cleanup" in tool


#: A table header ``[a.b]`` or ``[[a.b]]``, and a ``key =`` or ``a."b".c =`` assignment.
_TABLE_HEADER = re.compile(r"\s*\[\[?(?P<key>[^\[\]]+)\]\]?\s*(?:#.*)?")
_ASSIGNMENT = re.compile(
    r"\s*(?P<key>(?:[\w-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[\w-]+|\"[^\"]*\"|'[^']*'))*)\s*=")
_KEY_PART = re.compile(r"[\w-]+|\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)'")


def _key_parts(dotted: str) -> tuple[str, ...]:
    """``a."b.c".d`` -> ``('a', 'b.c', 'd')``."""
    parts = []
    for match in _KEY_PART.finditer(dotted):
        quoted = match["double"] if match["double"] is not None else match["single"]
        parts.append(quoted if quoted is not None else match[0])
    return tuple(parts)


def _toml_literals(value: Any) -> tuple[str, ...]:
    """How ``value`` may be written in TOML, to find its line."""
    if value is _NO_VALUE or isinstance(value, (Mapping, list, tuple)):
        return ()
    if isinstance(value, bool):
        return ("true" if value else "false",)
    if isinstance(value, str):
        return (f'"{value}"', f"'{value}'")
    return (str(value),)


def _line_of(source: str, path: tuple[str, ...], value: Any = _NO_VALUE) -> int:
    """1-based line of the key ``path`` (a table header, a dotted key, a key inside a table or
    an inline table), or of ``value`` below it when given; 1 when neither is found.

    A light reading of the TOML the parser accepted already: table headers and assignments
    at the start of lines, which is where TOML puts them.

    >>> _line_of('a = 1\\n\\n[severity]\\nCU101 = "info"\\n', ("severity", "CU101"))
    4
    >>> _line_of('select = [\\n  "CU101",\\n  "CU9",\\n]\\nb = 1\\n', ("select",), "CU9")
    3
    """
    lines = source.splitlines()
    table: tuple[str, ...] = ()
    key_line = None
    for number, line in enumerate(lines, start=1):
        header = _TABLE_HEADER.fullmatch(line)
        assignment = None if header else _ASSIGNMENT.match(line)
        if key_line is not None:
            if header or assignment:
                break  # the value was not found below its key
            if any(literal in line for literal in _toml_literals(value)):
                return number
            continue
        if header:
            table = _key_parts(header["key"])
            if table == path and value is _NO_VALUE:
                return number
        elif assignment:
            full = table + _key_parts(assignment["key"])
            if full == path[:len(full)]:  # the key, or an inline table holding it
                rest = line[assignment.end():]
                if value is _NO_VALUE or any(lit in rest for lit in _toml_literals(value)) or \
                        not _toml_literals(value):
                    return number
                key_line = number
    return key_line or 1


def _toml_error(path: Path, source: str, error: Exception) -> str:
    """``path:line: invalid TOML: reason``, the line taken from the parser's message.

    >>> _toml_error(Path("a.toml"), "x = [\\n", ValueError("Unclosed array (at end of document)"))
    'a.toml:1: invalid TOML: Unclosed array'
    """
    message = str(error)
    position = re.search(r" \(at line (\d+), column \d+\)$| \(at end of document\)$", message)
    if position is None:
        return f"{path}: invalid TOML: {message}"
    line = int(position[1]) if position[1] else max(len(source.splitlines()), 1)
    return f"{path}:{line}: invalid TOML: {message[:position.start()]}"


def load_config(path: Path) -> Config:
    """Read one config file; errors are `ConfigError` with ``path:line: message``."""
    import tomllib

    source = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_error(path, source, error)) from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "cleanup")
        data = data.get("tool", {}).get("cleanup", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{path}:{_line_of(source, prefix)}: [tool.cleanup] must be "
                              "a table")
    keys: dict[str, Any] = {}
    for key, value in data.items():
        try:
            keys[key.replace("-", "_")] = value
            Config(**{key.replace("-", "_"): value})
        except _KeyError as error:
            where = prefix + (key, *error.path[1:])
            raise ConfigError(f"{path}:{_line_of(source, where, error.value)}: {error}"
                              ) from None
        except ConfigError as error:
            raise ConfigError(f"{path}:{_line_of(source, (*prefix, key))}: {error}") from None
    keys["sources"] = {k.replace("_", "-"): str(path) for k in keys}
    return Config(**keys)


def discover_config(start: Path | None = None) -> Config:
    """The config that applies at ``start`` (default: the working directory), or defaults."""
    found = find_config_file(start or Path.cwd())
    return load_config(found) if found else default_config()


class Overrides:
    """Values that replace config keys for a whole run (the CLI's options), layered on top of
    the defaults and the config file found for each folder: defaults, then file, then these.

    ``ignore`` is added to the file's `ignore`; every other key replaces the file's value.
    Values are checked when the overrides are made, so a bad option fails before any work,
    as a `ConfigError` naming the key.

    >>> overrides = Overrides(fail_on="error", ignore=("CU404",))
    >>> config = overrides.apply(Config(ignore=("CU101",), fail_on="warning"))
    >>> config.fail_on, config.ignore, config.sources["fail-on"]
    ('error', ('CU101', 'CU404'), 'override')
    """

    def __init__(self, *, source: str | Mapping[str, str] = "override", **values: Any) -> None:
        self.extra_ignore: tuple[str, ...] = tuple(values.pop("ignore", ()) or ())
        self.values = {key: value for key, value in values.items() if value is not None}
        self._source = source
        Config(**self.values, ignore=self.extra_ignore)  # reject bad values now

    def source_of(self, key: str) -> str:
        if isinstance(self._source, str):
            return self._source
        return self._source.get(key, "override")

    def apply(self, config: Config) -> Config:
        """``config`` with these values on top; its sources name where each came from."""
        changes = dict(self.values)
        sources = dict(config.sources)
        if self.extra_ignore:
            changes["ignore"] = tuple(config.ignore) + self.extra_ignore
        for key in changes:
            sources[key.replace("_", "-")] = self.source_of(key)
        return config.replace(**changes, sources=sources)

    def __repr__(self) -> str:
        return f"Overrides({self.values!r}, ignore={self.extra_ignore!r})"
