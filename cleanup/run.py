"""A run over files: the library layer under `cleanup check`, `cleanup fix` and the pre-commit hook.

`check_paths` and `fix_paths` take what a user names (files, folders, ``-`` for standard input)
and own everything a run over files decides, so that the CLI only maps options to a call and
prints a report:

* which files: folders are walked as git would (`cleanup.paths`), the config's `exclude` holds
  for named files too (``force_exclude``, as pre-commit names them), binary files are skipped
  with a note;
* which config: found per folder by walking up from it, layered as defaults, then the file,
  then the run's `Overrides` (`--select`, `--fail-on`...), with each file's `per-file-ignores`;
* the findings of each file (`cleanup.engine.check_document`), name variants compared across
  the files of the run (each file judged by its own config), and a baseline's known findings
  left out;
* for `fix_paths`, the new bytes of each file, written atomically unless asked not to;
* the exit policy of DESIGN.md (`RunResult.exit_code`).

Nothing here prints: notes and one-line errors are handed to ``on_note`` as they happen and
kept in the result.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Hello , world\\n")
>>> result = check_paths([str(folder)], RunOptions(isolated=True))
>>> [(item.path.endswith("a.txt"), item.line, item.finding.rule) for item in result.located()]
[(True, 1, 'CU404')]
>>> result.exit_code()
1
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from cleanup.config import Config, ConfigError, Overrides, find_config_file, load_config
from cleanup.document import Document
from cleanup.engine import (
    DocumentFix,
    NameScope,
    check_document,
    fix_document,
    wants_names,
    without_names,
)
from cleanup.files import FileError, decode_document, file_kind, read_bytes, write_atomic
from cleanup.findings import FileFinding, Finding
from cleanup.paths import PathFilter, walk_directory
from cleanup.rules import SEVERITIES, Rule, select_rules

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class RunError(Exception):
    """A problem with what a run was asked to do (a config, a path, an option): one line."""


@dataclass
class RunOptions:
    """How a run finds its files and their config.

    ``config_file`` names one config for every file; ``isolated`` uses none; ``overrides``
    are layered on top of whichever applies.
    """

    overrides: Overrides = field(default_factory=Overrides)
    config_file: Path | None = None
    isolated: bool = False
    force_exclude: bool = True
    stdin_filename: str | None = None


@dataclass(frozen=True)
class Target:
    """One input: a file (``path``) or standard input (``path`` None), shown as ``display``;
    ``named`` is the path that chooses its syntax and config (stdin: ``stdin_filename``);
    ``root`` is the folder named on the command line it was found in (None: named itself),
    outside which a fix never writes."""

    display: str
    path: Path | None
    named: Path | None
    #: The folder it was found in by walking (None: named by the user): a fix never writes
    #: outside it, and problems with a walked file are notes, not errors.
    root: Path | None = None

    @property
    def walked(self) -> bool:
        return self.root is not None


@dataclass
class FileResult:
    """One file of a run: its document, its config and its findings.

    For `fix_paths`, ``fix`` holds the new bytes, and ``findings`` are what remains in the
    fixed file (located in ``fix.fixed_document``).
    """

    target: Target
    document: Document
    config: Config
    findings: list[Finding]
    fix: DocumentFix | None = None
    written: bool = False

    @property
    def shown_document(self) -> Document:
        """The document the findings are in: the fixed one after a fix."""
        return self.fix.fixed_document if self.fix is not None else self.document

    def located(self) -> list[FileFinding]:
        return self.shown_document.locate(self.findings)


@dataclass
class RunResult:
    """What a run found and did, file by file, with its notes and errors in order."""

    files: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def located(self) -> list[FileFinding]:
        return [item for result in self.files for item in result.located()]

    def failing(self) -> bool:
        """Whether some finding is at or above its file's `fail-on` severity."""
        rank = SEVERITIES.index
        return any(rank(finding.severity) >= rank(result.config.fail_on)
                   for result in self.files for finding in result.findings)

    @property
    def changed(self) -> list[FileResult]:
        return [result for result in self.files if result.fix is not None and result.fix.changed]

    def exit_code(self, *, fail_on_change: bool = False) -> int:
        """DESIGN.md's exit codes: 2 on an error, 1 when findings at or above `fail-on` remain
        (or, with ``fail_on_change``, when a file changed), else 0."""
        if self.errors:
            return EXIT_ERROR
        if self.failing() or (fail_on_change and self.changed):
            return EXIT_FINDINGS
        return EXIT_OK


Notify = Callable[[str], None]


def _ignore(_: str) -> None:
    pass


class ConfigResolver:
    """The config of each folder of a run, found once per folder and cached.

    Layering: the defaults, then the config file found walking up from the folder (or the one
    named, or none when isolated), then the run's overrides.
    """

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self._by_folder: dict[Path, tuple[Config, PathFilter, Path | None]] = {}
        self._by_file: dict[Path | None, tuple[Config, PathFilter, Path | None]] = {}

    def for_path(self, path: Path | None) -> tuple[Config, PathFilter, Path | None]:
        """(config, path filter, config file) for a file (None: the working directory)."""
        return self.for_folder(Path(os.path.abspath(path)).parent if path is not None
                               else Path.cwd())

    def for_folder(self, folder: Path) -> tuple[Config, PathFilter, Path | None]:
        """(config, path filter, config file) for the files of ``folder`` (absolute)."""
        if folder in self._by_folder:
            return self._by_folder[folder]
        if self.options.isolated:
            found = None
        elif self.options.config_file is not None:
            found = self.options.config_file
        else:
            found = find_config_file(folder)
        if found not in self._by_file:
            base = Path(os.path.abspath(found)).parent if found is not None else Path.cwd()
            config = _load(found) if found is not None else Config()
            config = self.options.overrides.apply(config)
            self._by_file[found] = (config, PathFilter(config, base), found)
        self._by_folder[folder] = self._by_file[found]
        return self._by_file[found]

    def for_file(self, target: Target) -> Config:
        """The target's config, with its `per-file-ignores` added to `ignore`."""
        config, path_filter, _ = self.for_path(target.named)
        if target.named is not None:
            codes = path_filter.ignored_codes(target.named)
            if codes:
                config = config.replace(ignore=tuple(config.ignore) + codes)
        return config

    def excluded(self, path: Path) -> bool:
        return self.for_path(path)[1].excluded(path)


def _load(path: Path) -> Config:
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):  # a FIFO would never end, /dev/zero never either
            raise RunError(f"{path}: config file is {file_kind(mode)}, not a regular file")
        return load_config(path)
    except FileNotFoundError:
        raise RunError(f"{path}: config file not found") from None
    except OSError as error:
        raise RunError(f"{path}: cannot read config: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise RunError(f"{path}: config file is not UTF-8") from None
    except ConfigError as error:
        message = str(error)
        raise RunError(message if message.startswith(str(path)) else
                       f"{path}: {message}") from None


def targets(paths: Sequence[str] | None, resolver: ConfigResolver,
            on_error: Callable[[FileError], None] | None = None) -> Iterator[Target]:
    """The files of a run in order: named files and folder contents as given, stdin as ``-``.

    A folder that cannot be listed is a `RunError`, or handed to ``on_error`` and skipped.
    """
    options = resolver.options
    paths = list(paths or ["."])
    if "-" in paths and len(paths) > 1:
        raise RunError("`-` (standard input) cannot be mixed with other paths")
    for given in paths:
        if given == "-":
            named = Path(options.stdin_filename) if options.stdin_filename else None
            if named is not None and options.force_exclude and resolver.excluded(named):
                continue
            yield Target(options.stdin_filename or "-", None, named)
            continue
        path = Path(given)
        if os.path.isdir(path):
            try:
                for found in walk_directory(path, on_error):
                    if not resolver.excluded(found):
                        yield Target(os.path.normpath(found), found, found, path)
            except FileError as error:
                raise RunError(str(error)) from None
            continue
        if options.force_exclude and resolver.excluded(path):
            continue
        yield Target(given, path, path)


#: Document formats that are not text files, with the command that extracts their text.
DOCUMENT_FORMATS = {
    ".docx": ("a Word document", "pandoc {path} -t plain -o text.txt"),
    ".odt": ("an OpenDocument text", "pandoc {path} -t plain -o text.txt"),
    ".doc": ("a Word 97 document", "libreoffice --headless --convert-to txt {path}"),
    ".rtf": ("an RTF document", "pandoc {path} -t plain -o text.txt"),
    ".epub": ("an EPUB book", "pandoc {path} -t plain -o text.txt"),
    ".pdf": ("a PDF", "pdftotext {path} text.txt"),
    ".pptx": ("a PowerPoint deck", "libreoffice --headless --convert-to txt {path}"),
    ".xlsx": ("an Excel workbook", "libreoffice --headless --convert-to csv {path}"),
}


def _documents(paths: Sequence[str] | None, resolver: ConfigResolver, stdin: bytes | None,
               result: RunResult, on_note: Notify,
               skip: frozenset[str] = frozenset()) -> Iterator[tuple[Target, Document, Config]]:
    """Each readable, non-binary file of the run, decoded, with its config."""

    def unreadable(error: FileError) -> None:
        result.errors.append(str(error))
        on_note(f"error: {error}")

    for target in targets(paths, resolver, unreadable):
        if target.path is not None and os.path.realpath(target.path) in skip:
            continue
        config = resolver.for_file(target)
        document_format = DOCUMENT_FORMATS.get((target.named or Path()).suffix.lower())
        if document_format is not None:
            what, command = document_format
            message = (f"{target.display}: {what} is not text; extract its text first, for "
                       f"example: {command.format(path=target.display)}")
            (result.notes if target.walked else result.errors).append(message)
            on_note(message if target.walked else f"error: {message}")
            continue
        try:
            data = (stdin or b"") if target.path is None else read_bytes(target.path)
        except FileError as error:
            result.errors.append(str(error))
            on_note(f"error: {error}")
            continue
        document = decode_document(data, target.display)
        if document.binary:
            note = f"{target.display}: skipped: binary file"
            result.notes.append(note)
            on_note(note)
            if target.path is None:  # stdin passes through a filter unchanged
                result.files.append(FileResult(target, document, config, []))
            continue
        yield target, document, config


def check_paths(paths: Sequence[str] | None, options: RunOptions | None = None, *,
                stdin: bytes | None = None, baseline: Path | None = None,
                skip: Sequence[Path] = (), on_note: Notify = _ignore) -> RunResult:
    """Check every file of ``paths``; name variants are compared across all of them.

    ``baseline`` leaves out the findings it records; ``skip`` names files never checked
    (the baseline file itself). ``stdin`` is the content of ``-``.
    """
    resolver = ConfigResolver(options or RunOptions())
    result = RunResult()
    skipped = frozenset(os.path.realpath(path) for path in skip)
    for target, document, config in _documents(paths, resolver, stdin, result, on_note,
                                                skipped):
        # Names are compared across all files at the end: no file is searched for them alone.
        own_rules = without_names(_rules(config))
        result.files.append(FileResult(target, document, config,
                                       check_document(document, config, rules=own_rules)))
    _add_names_across_files(result.files)
    if baseline is not None:
        _leave_out_baseline(result, baseline)
    _nothing_checked(paths, result, on_note)
    return result


def fix_paths(paths: Sequence[str] | None, options: RunOptions | None = None, *,
              stdin: bytes | None = None, write: bool = True,
              on_note: Notify = _ignore) -> RunResult:
    """Fix every file of ``paths``: atomically in place when ``write``, else only computed
    (for a diff or standard output). Each file is repaired on its own.

    A file is written only if it still holds the bytes that were fixed, and a file found in a
    named folder only inside that folder (never through a symbolic link). A file that is not
    written is reported as it is: with its findings, not with what remains after the fix.
    """
    resolver = ConfigResolver(options or RunOptions())
    result = RunResult()
    for target, document, config in _documents(paths, resolver, stdin, result, on_note):
        outcome = fix_document(document, config)
        item = FileResult(target, document, config, outcome.remaining, outcome)
        result.files.append(item)
        if write and outcome.changed and target.path is not None:
            try:
                _write_fixed(target, document.data, outcome.data)
            except FileError as error:
                result.errors.append(str(error))
                on_note(f"error: {error}")
                item.fix, item.findings = None, check_document(document, config)
                continue
            item.written = True
            spans = len(outcome.applied) + (1 if outcome.converted else 0)
            on_note(f"{target.display}: fixed {spans} span{'s' if spans != 1 else ''}")
    _nothing_checked(paths, result, on_note)
    return result


def _write_fixed(target: Target, before: bytes, after: bytes) -> None:
    """Replace a file's bytes ``before`` by ``after``, within the folder it was found in."""
    assert target.path is not None
    if target.root is not None:
        root = os.path.realpath(target.root)
        if os.path.commonpath([root, os.path.realpath(target.path)]) != root:
            raise FileError(f"{target.display}: lies outside {target.root} (through a "
                            "symbolic link); not written")
    write_atomic(target.path, after, expected=before, follow_symlinks=target.root is None)


def check_file(path: str | os.PathLike[str], select: Iterable[str] | None = None,
               config: Config | None = None, *,
               ignore: Iterable[str] | None = None) -> list[FileFinding]:
    """The findings of one file, located (path, line, column, byte offsets), as
    `cleanup check FILE` reports them: its bytes decoded (a BOM kept aside, a legacy encoding
    detected and reported as CU106, invalid bytes as CU703), its syntax from its suffix.

    ``config`` None uses the config that applies to the file (`.cleanup.toml` or
    `[tool.cleanup]` found walking up from it, as the CLI does, with its `per-file-ignores`);
    a `Config` replaces it. Raises `cleanup.FileError` for a file that cannot be read or is
    binary.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "menu.txt"
    >>> _ = path.write_bytes("Caf\u00c3\u00a9 , bar".encode("utf-8"))
    >>> [(f.line, f.column, f.finding.rule) for f in check_file(path)]
    [(1, 4, 'CU101'), (1, 6, 'CU404')]
    """
    document, file_config = _read_one(Path(path), config, select, ignore)
    return document.locate(check_document(document, file_config))


def fix_file(path: str | os.PathLike[str], select: Iterable[str] | None = None,
             config: Config | None = None, unsafe_fixes: bool = False, *,
             ignore: Iterable[str] | None = None, write: bool = True) -> DocumentFix:
    """Fix one file as `cleanup fix FILE` does, atomically in place unless ``write`` is false.

    Returns the `DocumentFix`: the new bytes (``data``), the `Fixed` of its text, whether it
    ``changed``, and the findings that ``remaining`` in the fixed file
    (``fixed_document.locate(remaining)`` locates them). Every byte outside the repaired spans
    is kept. Config as for `check_file`.
    """
    target = Path(path)
    document, file_config = _read_one(target, config, select, ignore)
    outcome = fix_document(document, file_config, unsafe_fixes)
    if write and outcome.changed:
        write_atomic(target, outcome.data, expected=document.data)
    return outcome


def _read_one(path: Path, config: Config | None, select: Iterable[str] | None,
              ignore: Iterable[str] | None) -> tuple[Document, Config]:
    if config is None:
        config = ConfigResolver(RunOptions()).for_file(Target(str(path), path, path))
    changes: dict[str, object] = {}
    if select is not None:
        changes["select"] = tuple([select] if isinstance(select, str) else select)
    if ignore:
        changes["ignore"] = tuple(config.ignore) + tuple(
            [ignore] if isinstance(ignore, str) else ignore)
    if changes:
        config = config.replace(**changes)
    document = decode_document(read_bytes(path), str(path))
    if document.binary:
        raise FileError(f"{path}: binary file, not text")
    return document, config


def _nothing_checked(paths: Sequence[str] | None, result: RunResult, on_note: Notify) -> None:
    """A run over folders that found no text file to check says so, as an error (exit 2): an
    empty folder, or one whose files are all binary or excluded, is more likely a wrong path
    than a clean one. Files named one by one (as pre-commit names them) may all be excluded."""
    if result.files or result.errors:
        return
    if not all(Path(path).is_dir() for path in paths or ["."]):
        return  # files named one by one (as pre-commit names them) may all be excluded
    named = ", ".join(paths or ["."])
    skipped = f" ({len(result.notes)} skipped)" if result.notes else ""
    message = f"{named}: no text files to check{skipped}"
    result.errors.append(message)
    on_note(f"error: {message}")


def _add_names_across_files(files: list[FileResult]) -> None:
    """Name variants across the files of a run, in a `NameScope` as `check_corpus` finds them.

    Files are compared with the files that share their config's `canonical-names`: whose
    spelling is canonical is each config's to say. Each file's own config then decides which
    of its name findings are reported and how.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    from cleanup.formats import READERS

    for index, item in enumerate(files):
        if PurePath(item.document.path).suffix.lower() in READERS:
            continue  # a translation file's msgids are not its text
        if not item.document.binary and wants_names(_rules(item.config)):
            groups.setdefault(item.config.canonical_names, []).append(index)
    for members in groups.values():
        scope = NameScope(files[members[0]].config)
        for index in members:
            scope.add(index, files[index].document.text)
        for index in members:
            item = files[index]
            item.findings = scope.merge(index, item.findings, item.config, _rules(item.config))


def _rules(config: Config) -> tuple[Rule, ...]:
    return tuple(select_rules(config.select, config.ignore))


def _leave_out_baseline(result: RunResult, path: Path) -> None:
    from cleanup.baseline import BaselineError, load_baseline

    try:
        known = load_baseline(path)
    except BaselineError as error:
        raise RunError(str(error)) from None
    for item in result.files:
        located = item.located()
        item.findings = [finding for finding, where in zip(item.findings, located, strict=True)
                         if not known.contains(where, item.document.text)]


__all__ = [
    "ConfigResolver",
    "FileResult",
    "RunError",
    "RunOptions",
    "RunResult",
    "Target",
    "check_file",
    "check_paths",
    "fix_file",
    "fix_paths",
    "targets",
]
