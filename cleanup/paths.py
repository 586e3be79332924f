"""The files of a run: walking directories as git would, and the config's path globs.

`walk_directory` yields every regular file under a folder, sorted, skipping `.git`, whatever
the `.gitignore` files in force ignore, symbolic links (as git stores them: a link is not
the text it points to, which may lie outside the folder) and the temporary files of a write
a hard kill interrupted. `PathFilter` applies a config's `exclude` and
`per-file-ignores` globs, relative to the folder of the config that set them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanup.config import Config
from cleanup.files import TEMP_SUFFIX, FileError

if TYPE_CHECKING:
    import pathspec

#: Directories that are never walked into, whatever the ignore files say.
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn"})

def _gitignore_spec(directory: Path) -> pathspec.GitIgnoreSpec | None:
    ignore_file = directory / ".gitignore"
    if not os.path.isfile(ignore_file):  # False, not an error, in a folder we cannot enter
        return None
    import pathspec

    try:
        lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _repository_root(directory: Path) -> Path | None:
    for folder in (directory, *directory.parents):
        if os.path.exists(folder / ".git"):
            return folder
    return None


@dataclass
class _IgnoreStack:
    """The `.gitignore` files in force in a directory, shallowest first, with their base."""

    specs: list[tuple[Path, Any]] = field(default_factory=list)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                verdict = result.include
        return verdict


def walk_directory(top: Path, on_error: Callable[[FileError], None] | None = None
                   ) -> Iterator[Path]:
    """Every regular file under ``top``, sorted, skipping `.git`, what `.gitignore` files
    ignore, symbolic links and cleanup's own temporary files.

    The `.gitignore` files between the repository root and ``top`` count too, as in git.
    A folder that cannot be listed is a `FileError`: raised, or handed to ``on_error`` and
    the walk goes on with the rest.
    """
    top_resolved = top.resolve()
    stack = _IgnoreStack()
    root = _repository_root(top_resolved)
    if root is not None:
        for folder in reversed(top_resolved.parents):
            if folder == root or root in folder.parents:
                spec = _gitignore_spec(folder)
                if spec is not None:
                    stack.specs.append((folder, spec))
    yield from _walk(top, top_resolved, stack, on_error)


def _walk(directory: Path, resolved: Path, stack: _IgnoreStack,
          on_error: Callable[[FileError], None] | None) -> Iterator[Path]:
    spec = _gitignore_spec(resolved)
    if spec is not None:
        stack = _IgnoreStack([*stack.specs, (resolved, spec)])
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        failure = FileError(f"{directory}: cannot list: {error.strerror or error}")
        if on_error is None:
            raise failure from None
        on_error(failure)
        return
    for entry in entries:
        try:
            if entry.is_symlink() or _is_temporary(entry.name):
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = not is_dir and entry.is_file(follow_symlinks=False)
        except OSError:  # gone since the folder was listed
            continue
        if is_dir and entry.name in ALWAYS_SKIPPED_DIRS:
            continue
        if stack.ignored(resolved / entry.name, is_dir):
            continue
        if is_dir:
            yield from _walk(Path(entry.path), resolved / entry.name, stack, on_error)
        elif is_file:
            yield Path(entry.path)


def _is_temporary(name: str) -> bool:
    """Whether ``name`` is a temporary file of `cleanup.files.AtomicFile`.

    >>> _is_temporary(".notes.txt.k3j_9x2a.cleanup-tmp"), _is_temporary("notes.txt")
    (True, False)
    """
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


class PathFilter:
    """The config's `exclude` and `per-file-ignores` globs, relative to the config's folder.

    Globs are gitignore-style, as in typos and ruff: ``build/``, ``*.min.js``, ``docs/**/*.md``.
    They apply to files named on the command line too (what pre-commit passes).

    >>> rules = PathFilter(Config(exclude=["vendor/"], per_file_ignores={"*.md": ["CU404"]}),
    ...                    Path("/repo"))
    >>> rules.excluded(Path("/repo/vendor/lib.txt")), rules.ignored_codes(Path("/repo/a.md"))
    (True, ('CU404',))
    """

    def __init__(self, config: Config, base: Path) -> None:
        self.base = base
        self._exclude = self._spec(config.exclude) if config.exclude else None
        self._per_file = [(self._spec([glob]), codes)
                          for glob, codes in config.per_file_ignores.items()]

    @staticmethod
    def _spec(patterns: Iterable[str]) -> Any:
        import pathspec

        return pathspec.GitIgnoreSpec.from_lines(list(patterns))

    def _relative(self, path: Path) -> str | None:
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.base).as_posix()
        except ValueError:
            return None

    def excluded(self, path: Path) -> bool:
        if self._exclude is None:
            return False
        relative = self._relative(path)
        return relative is not None and bool(self._exclude.match_file(relative))

    def ignored_codes(self, path: Path) -> tuple[str, ...]:
        relative = self._relative(path)
        if relative is None:
            return ()
        codes: list[str] = []
        for spec, globs_codes in self._per_file:
            if spec.match_file(relative):
                codes.extend(globs_codes)
        return tuple(codes)


__all__ = ["PathFilter", "walk_directory"]
