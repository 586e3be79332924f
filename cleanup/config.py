"""Config: one immutable typed object, and its loading from `.cleanup.toml` or `pyproject.toml`.

Files use kebab-case keys (`fail-on`), `Config` takes the same keys in snake_case (`fail_on`).
The file is found by walking up from the checked file or the working directory; the first
`.cleanup.toml`, or `pyproject.toml` with a `[tool.cleanup]` table, wins. Unknown keys and
unknown rule codes are errors that name the file and the line, because a typo in a config file
that silently does nothing is worse than no config at all.

>>> Config(language="en").language
'en'
>>> Config(colour="red")
Traceback (most recent call last):
...
cleanup.errors.ConfigError: unknown config key 'colour'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cleanup.errors import ConfigError
from cleanup.rules import RULES, SEVERITIES, did_you_mean, expand_selectors

FOREIGN_POLICIES = ("keep", "drop", "transliterate", "gloss")
CONFIG_FILES = (".cleanup.toml", "pyproject.toml")


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

    def __init__(self, **keys: Any) -> None:
        known = {f.name for f in dataclasses.fields(self)}
        for key in keys:
            if key not in known:
                raise ConfigError(f"unknown config key {key.replace('_', '-')!r}" + did_you_mean(
                    key.replace("_", "-"), [name.replace("_", "-") for name in known
                                            if name != "sources"]))
        for f in dataclasses.fields(self):
            if f.name in keys:
                value = keys[f.name]
            elif f.default is not dataclasses.MISSING:
                value = f.default
            else:
                value = f.default_factory()  # type: ignore[misc, operator]
            object.__setattr__(self, f.name, _normalize(f.name, value))

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


def _strings(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{name.replace('_', '-')} must be a list of strings")
    return tuple(value)


def _codes(name: str, value: Any) -> tuple[str, ...]:
    items = _strings(name, value)
    try:
        expand_selectors(items)
    except ValueError as error:
        raise ConfigError(f"{name.replace('_', '-')}: {error}") from None
    return items


def _normalize(name: str, value: Any) -> Any:
    """Check one key's value and turn lists into tuples so the config stays immutable."""
    if name == "select":
        return None if value is None else _codes(name, value)
    if name == "ignore":
        return _codes(name, value)
    if name in ("exclude", "canonical_names"):
        return _strings(name, value)
    if name == "per_file_ignores":
        if not isinstance(value, Mapping):
            raise ConfigError("per-file-ignores must be a table of glob = [codes]")
        return {str(glob): _codes(name, codes) for glob, codes in value.items()}
    if name == "severity":
        if not isinstance(value, Mapping):
            raise ConfigError("severity must be a table of CODE = level")
        for code, level in value.items():
            if code not in RULES:
                raise ConfigError(f"severity: unknown rule code {code!r}")
            if level not in SEVERITIES:
                raise ConfigError(f"severity: {code} must be one of {', '.join(SEVERITIES)}")
        return dict(value)
    if name == "fail_on":
        if value not in SEVERITIES:
            raise ConfigError(f"fail-on must be one of {', '.join(SEVERITIES)}, not {value!r}")
        return value
    if name == "min_confidence":
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ConfigError(f"min-confidence must be a number from 0 to 1, not {value!r}")
        return float(value)
    if name == "language":
        if value is None:
            return None
        from cleanup.language import language_code

        code = language_code(value) if isinstance(value, str) else None
        if code is None:
            raise ConfigError("language must be an ISO 639-1 or 639-3 code such as 'en' or "
                              f"'deu', not {value!r}")
        return code
    if name == "foreign_policy":
        if value not in FOREIGN_POLICIES:
            raise ConfigError(
                f"foreign-policy must be one of {', '.join(FOREIGN_POLICIES)}, not {value!r}"
            )
        if value == "gloss":  # say now, in one line, when its optional packages are missing
            from cleanup.gloss import require_gloss

            require_gloss()
        return value
    if name == "unsafe_fixes":
        if not isinstance(value, bool):
            raise ConfigError(f"unsafe-fixes must be true or false, not {value!r}")
        return value
    if name == "sources":
        return dict(value)
    return value


def find_config_file(start: Path) -> Path | None:
    """The first `.cleanup.toml`, or `pyproject.toml` with `[tool.cleanup]`, from ``start`` up."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                import tomllib  # only where there is TOML to read: most runs have none

                try:
                    data = tomllib.loads(candidate.read_text(encoding="utf-8"))
                except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                    continue
                if "cleanup" not in data.get("tool", {}):
                    continue
            return candidate
    return None


def _line_of(source: str, key: str) -> int:
    """1-based line where ``key`` is assigned, for error messages; 1 when not found."""
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip().strip('"').strip("'")
        if stripped.startswith(key) and stripped[len(key):].lstrip(" \"'").startswith("="):
            return number
    return 1


def load_config(path: Path) -> Config:
    """Read one config file; errors are `ConfigError` with ``path:line: message``."""
    import tomllib

    source = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("cleanup", {})
    keys: dict[str, Any] = {}
    for key, value in data.items():
        try:
            keys[key.replace("-", "_")] = value
            Config(**{key.replace("-", "_"): value})
        except ConfigError as error:
            raise ConfigError(f"{path}:{_line_of(source, key)}: {error}") from None
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
