"""The `cleanup` command: a thin typer app over the library, `cleanup.files` and `cleanup.report`.

It parses options, finds the config of each file, reads bytes, calls `check`/`fix`, prints one
of the report formats and returns the exit codes of DESIGN.md: for `check`, 0 when nothing is at
or above the fail level, 1 for findings, 2 for a usage error or unreadable input; for `fix`, 0
when nothing is left, 1 when findings remain (or, with `--exit-non-zero-on-fix`, a file
changed), 2 on error. Imports beyond typer and the config wait until a command needs them: a
pre-commit run on one small file must start fast.

Where DESIGN.md is silent, the command does what ruff and typos do:

* The config is found per file, walking up from its folder; `--select` replaces the config's
  `select`, `--ignore` adds to its `ignore`, other options replace the key. `exclude` holds for
  files named on the command line too (`--force-exclude`, on by default).
* `fix --diff` and `fix --stdout` write nothing; `--diff` exits 1 when something would change.
  With `--stdout` or standard input the fixed text goes to stdout and the report to stderr.
* Name variants are compared across all files of one `check` run (corpus scope); `fix` repairs
  each file on its own.
* The baseline file of `--baseline`/`--write-baseline` is never checked itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cleanup.config import Config, ConfigError, find_config_file, load_config

if TYPE_CHECKING:
    from cleanup.files import Document, PathFilter
    from cleanup.findings import FileFinding, Finding

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"


class ForeignPolicy(str, Enum):
    keep = "keep"
    drop = "drop"
    transliterate = "transliterate"
    gloss = "gloss"


class Severity(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"


class ConfigFormat(str, Enum):
    text = "text"
    json = "json"


app = typer.Typer(
    name="cleanup",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class UsageError(Exception):
    """A problem with the command line, a config file or an input: exit code 2, one line."""


# --- Options shared by several commands ---------------------------------------------------------

Paths = Annotated[list[str] | None, typer.Argument(
    metavar="[PATH]...", help="Files or directories to check (directories are walked, honouring .gitignore); "
    "`-` reads standard input. Default: the working directory.", show_default=False)]
Select = Annotated[list[str] | None, typer.Option(
    "--select", metavar="CODES", help="Only these kinds, codes or code prefixes (comma-separated, repeatable), "
    "e.g. `mojibake,CU404`. Replaces the config's `select`.", show_default=False)]
Ignore = Annotated[list[str] | None, typer.Option(
    "--ignore", metavar="CODES", help="Skip these kinds, codes or prefixes (comma-separated, repeatable); added "
    "to the config's `ignore`.", show_default=False)]
Format = Annotated[OutputFormat, typer.Option(
    "--format", help="How findings are printed: `text` (path:line:col: CODE message), `json`, "
    "`jsonl` (one finding per line), `sarif` (2.1.0) or `github` (workflow commands).")]
Statistics = Annotated[bool, typer.Option(
    "--statistics", help="Print how many findings each rule has instead of the findings.")]
ConfigFile = Annotated[Path | None, typer.Option(
    "--config", help="Use this config file (a .cleanup.toml, or a pyproject.toml with "
    "[tool.cleanup]) instead of looking for one.", show_default=False, dir_okay=False)]
Isolated = Annotated[bool, typer.Option(
    "--isolated", help="Ignore every config file: defaults and command-line options only.")]
UnsafeFixes = Annotated[bool | None, typer.Option(
    "--unsafe-fixes/--no-unsafe-fixes", help="Also apply (or count as fixable) fixes that change "
    "content: name spellings, dropped or glossed fragments, file encodings.",
    show_default=False)]
Foreign = Annotated[ForeignPolicy | None, typer.Option(
    "--foreign", help="What fixing does with untranslated fragments (config `foreign-policy`); "
    "anything but keep is an unsafe fix.", show_default=False)]
Language = Annotated[str | None, typer.Option(
    "--language", help="The documents' language as an ISO 639-1 code (default: detected).",
    show_default=False)]
FailOn = Annotated[Severity | None, typer.Option(
    "--fail-on", help="Lowest severity that makes the exit code 1 (default: info, i.e. any).",
    show_default=False)]
MinConfidence = Annotated[float | None, typer.Option(
    "--min-confidence", min=0.0, max=1.0,
    help="Drop findings less confident than this (0 to 1).", show_default=False)]
StdinFilename = Annotated[str | None, typer.Option(
    "--stdin-filename", help="The name standard input stands for: chooses the syntax, the "
    "config and the excludes, and names the findings.", show_default=False)]
ForceExclude = Annotated[bool, typer.Option(
    "--force-exclude/--no-force-exclude", help="Apply the config's `exclude` to files named on "
    "the command line too (as pre-commit names them). On by default.")]


@dataclass
class Overrides:
    """The command-line options that override config keys, and where they came from."""

    values: dict[str, Any] = field(default_factory=dict)
    extra_ignore: tuple[str, ...] = ()
    config_file: Path | None = None
    isolated: bool = False

    @classmethod
    def from_options(cls, *, select: list[str] | None = None, ignore: list[str] | None = None,
                     unsafe_fixes: bool | None = None, foreign: ForeignPolicy | None = None,
                     language: str | None = None, fail_on: Severity | None = None,
                     min_confidence: float | None = None, config_file: Path | None = None,
                     isolated: bool = False) -> Overrides:
        values: dict[str, Any] = {}
        if select is not None:
            values["select"] = _split(select)
        if unsafe_fixes is not None:
            values["unsafe_fixes"] = unsafe_fixes
        if foreign is not None:
            values["foreign_policy"] = foreign.value
        if language is not None:
            values["language"] = language
        if fail_on is not None:
            values["fail_on"] = fail_on.value
        if min_confidence is not None:
            values["min_confidence"] = min_confidence
        extra_ignore = _split(ignore or [])
        # Reject a bad option before any work, naming the option.
        for key, value in [*values.items(), ("ignore", extra_ignore)]:
            option = _option_name(key)
            try:
                Config(**{key: value})
            except ConfigError as error:
                message = str(error).removeprefix(f"{key.replace('_', '-')}: ")
                raise UsageError(f"{option}: {message}") from None
        return cls(values, extra_ignore, config_file, isolated)

    def apply(self, config: Config) -> Config:
        """``config`` with the options applied on top; its sources name the options."""
        changes = dict(self.values)
        sources = dict(config.sources)
        if self.extra_ignore:
            changes["ignore"] = tuple(config.ignore) + self.extra_ignore
        for key in changes:
            sources[key.replace("_", "-")] = f"command line ({_option_name(key)})"
        return config.replace(**changes, sources=sources)


def _option_name(key: str) -> str:
    """The command-line option that sets config key ``key``."""
    return "--foreign" if key == "foreign_policy" else f"--{key.replace('_', '-')}"


def _split(values: list[str]) -> tuple[str, ...]:
    """Options are repeatable and comma-separated; both ways give one flat tuple.

    >>> _split(["mojibake,CU404", " CU5 ", ""])
    ('mojibake', 'CU404', 'CU5')
    """
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@dataclass
class Settings:
    """The config of each folder of a run, found once per folder and cached."""

    overrides: Overrides
    _by_folder: dict[Path, tuple[Config, PathFilter, Path | None]] = field(default_factory=dict)
    _by_file: dict[Path | None, tuple[Config, PathFilter, Path | None]] = field(
        default_factory=dict)

    def for_path(self, path: Path | None) -> tuple[Config, PathFilter, Path | None]:
        """(config, path filter, config file) for a file (None: the working directory)."""
        return self.for_folder(Path(os.path.abspath(path)).parent if path is not None
                               else Path.cwd())

    def for_folder(self, folder: Path) -> tuple[Config, PathFilter, Path | None]:
        """(config, path filter, config file) for the files of ``folder`` (absolute)."""
        from cleanup.files import PathFilter

        if folder in self._by_folder:
            return self._by_folder[folder]
        if self.overrides.isolated:
            found = None
        elif self.overrides.config_file is not None:
            found = self.overrides.config_file
        else:
            found = find_config_file(folder)
        if found not in self._by_file:
            base = Path(os.path.abspath(found)).parent if found is not None else Path.cwd()
            config = self._load(found) if found is not None else Config()
            config = self.overrides.apply(config)
            self._by_file[found] = (config, PathFilter(config, base), found)
        self._by_folder[folder] = self._by_file[found]
        return self._by_file[found]

    @staticmethod
    def _load(path: Path) -> Config:
        try:
            return load_config(path)
        except FileNotFoundError:
            raise UsageError(f"{path}: config file not found") from None
        except OSError as error:
            raise UsageError(f"{path}: cannot read config: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{path}: config file is not UTF-8") from None
        except ConfigError as error:
            message = str(error)
            raise UsageError(message if message.startswith(str(path)) else
                             f"{path}: {message}") from None


# --- Output -------------------------------------------------------------------------------------


def _emit(text: str, *, err: bool = False) -> None:
    """Write a line of output as UTF-8, whatever the locale says."""
    stream = sys.stderr if err else sys.stdout
    stream.flush()
    stream.buffer.write((text + "\n").encode("utf-8", "surrogateescape"))
    stream.buffer.flush()


def _colour_wanted() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _error(message: str) -> None:
    _emit(f"error: {message}", err=True)


# --- Collecting files ---------------------------------------------------------------------------


@dataclass
class Target:
    """One input: a file (``path``) or standard input (``path`` None), shown as ``display``."""

    display: str
    path: Path | None
    named: Path | None  # the path that chooses syntax and config (stdin: --stdin-filename)


def _targets(paths: list[str] | None, stdin_filename: str | None,
             settings: Settings, force_exclude: bool) -> Iterator[Target]:
    """The files of a run in order: named files, then directory contents, then stdin."""
    from cleanup.files import FileError, walk_directory

    paths = paths or ["."]
    if "-" in paths and len(paths) > 1:
        raise UsageError("`-` (standard input) cannot be mixed with other paths")
    for given in paths:
        if given == "-":
            named = Path(stdin_filename) if stdin_filename else None
            if named is not None and force_exclude and \
                    settings.for_path(named)[1].excluded(named):
                continue
            yield Target(stdin_filename or "-", None, named)
            continue
        path = Path(given)
        if path.is_dir():
            try:
                for found in walk_directory(path):
                    if settings.for_path(found)[1].excluded(found):
                        continue
                    yield Target(os.path.normpath(found), found, found)
            except FileError as error:
                raise UsageError(str(error)) from None
            continue
        if force_exclude and settings.for_path(path)[1].excluded(path):
            continue
        yield Target(given, path, path)


def _read(target: Target) -> bytes:
    from cleanup.files import read_bytes

    if target.path is None:
        return sys.stdin.buffer.read()
    return read_bytes(target.path)


def _file_config(settings: Settings, target: Target) -> Config:
    """The target's config with its `per-file-ignores` added to `ignore`."""
    config, path_filter, _ = settings.for_path(target.named)
    if target.named is not None:
        codes = path_filter.ignored_codes(target.named)
        if codes:
            config = config.replace(ignore=tuple(config.ignore) + codes)
    return config


@dataclass
class Checked:
    """One file of a run: its decoded document, its config and its findings."""

    document: Document
    config: Config
    findings: list[Finding]


def _fails(findings: list[tuple[FileFinding, Config]]) -> bool:
    return any(SEVERITY_RANK[item.finding.severity] >= SEVERITY_RANK[config.fail_on]
               for item, config in findings)


def _add_corpus_names(checked: list[Checked]) -> None:
    """Name variants across all files of the run, merged as `cleanup.check_corpus` merges them."""
    if len(checked) < 2:
        return
    from cleanup.engine import with_corpus_findings
    from cleanup.rules import select_rules

    config = checked[0].config
    if not any(rule.kind == "name_variant"
               for rule in select_rules(config.select, config.ignore)):
        return
    from cleanup.detect.names import CorpusNames
    from cleanup.formats import reader_for

    corpus = CorpusNames(config)
    for index, item in enumerate(checked):
        if reader_for(item.document.path) is None:  # a catalog's msgids are not its text
            corpus.add(index, item.document.text)
    per_file: dict[int, list[Finding]] = {index: [] for index in range(len(checked))}
    for index, finding in corpus.findings():
        per_file[index].append(finding)
    for index, item in enumerate(checked):
        rules = select_rules(item.config.select, item.config.ignore)
        item.findings = with_corpus_findings(item.findings, per_file[index], rules, item.config)


def _print_findings(located: list[FileFinding], output_format: OutputFormat, statistics: bool,
                    *, files: int, unsafe_fixes: bool, err: bool = False) -> None:
    from cleanup import report

    if statistics:
        if located or output_format != OutputFormat.text:
            _emit(report.statistics(located, output_format.value), err=err)
        return
    rendered = report.render(located, output_format.value,
                             colour=output_format == OutputFormat.text and not err
                             and _colour_wanted())
    if rendered or output_format in (OutputFormat.json, OutputFormat.sarif):
        _emit(rendered, err=err)
    if output_format == OutputFormat.text:
        _emit(report.summary(located, files, unsafe_fixes), err=err)


# --- Commands -----------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        from cleanup import __version__

        _emit(f"cleanup {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")]
    = False,
) -> None:
    """Find and repair text damaged by machine translation, bad decoding and copy-paste:
    mojibake, untranslated fragments, name variants, punctuation, invisible characters,
    homoglyphs and lost characters.

    \b
    Examples:
      cleanup check docs/                  report damage, exit 1 if any
      cleanup fix --diff article.txt       show what fixing would change
      cleanup rules CU101                  explain a rule
    """


def _run(function: Any, *args: Any, **kwargs: Any) -> int:
    """Run a command body, turning our one-line errors into exit code 2."""
    from cleanup.files import FileError

    try:
        code: int = function(*args, **kwargs)
        return code
    except UsageError as error:
        message = str(error)
        _emit(message if _names_a_file_line(message) else f"error: {message}", err=True)
    except FileError as error:
        _error(str(error))
    except BrokenPipeError:
        sys.stderr.close()
    return EXIT_ERROR


def _names_a_file_line(message: str) -> bool:
    """Whether ``message`` starts ``path:line:`` (a config error), printed as is for editors."""
    head = message.split(": ", 1)[0]
    path, _, line = head.rpartition(":")
    return bool(path) and line.isdigit()


@app.command(short_help="Report damaged text in files.")
def check(
    paths: Paths = None,
    select: Select = None,
    ignore: Ignore = None,
    output_format: Format = OutputFormat.text,
    statistics: Statistics = False,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
    unsafe_fixes: UnsafeFixes = None,
    foreign: Foreign = None,
    language: Language = None,
    fail_on: FailOn = None,
    min_confidence: MinConfidence = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="Report only findings not recorded in this baseline file.",
        show_default=False, dir_okay=False)] = None,
    write_baseline: Annotated[Path | None, typer.Option(
        "--write-baseline", help="Record every current finding in this file and exit 0; later "
        "runs with --baseline fail only on new ones.", show_default=False, dir_okay=False)] = None,
    stdin_filename: StdinFilename = None,
    force_exclude: ForceExclude = True,
) -> None:
    """Report damaged text in files; exit 1 if anything at or above --fail-on is found.

    \b
    Examples:
      cleanup check notes.txt docs/              every file under docs/, minus .gitignore'd
      cleanup check --select mojibake,CU404 .    only encoding damage and spaces before . , ;
      cleanup check --format sarif . > cleanup.sarif        for GitHub code scanning
      curl -s https://example.org | cleanup check --stdin-filename page.html -
      cleanup check --write-baseline .cleanup-baseline.json .   adopt on an old repository,
      cleanup check --baseline .cleanup-baseline.json .         then fail only on new damage
    """
    overrides_args = {"select": select, "ignore": ignore, "unsafe_fixes": unsafe_fixes,
                      "foreign": foreign, "language": language, "fail_on": fail_on,
                      "min_confidence": min_confidence, "config_file": config_file,
                      "isolated": isolated}
    raise typer.Exit(_run(_check, overrides_args, paths, output_format, statistics, baseline,
                          write_baseline, stdin_filename, force_exclude))


def _check(overrides_args: dict[str, Any], paths: list[str] | None, output_format: OutputFormat,
           statistics: bool, baseline_file: Path | None, write_baseline_file: Path | None,
           stdin_filename: str | None, force_exclude: bool) -> int:
    from cleanup.files import FileError, check_document, decode_document

    settings = Settings(Overrides.from_options(**overrides_args))
    checked: list[Checked] = []
    errors = 0
    # The baseline records damaged text, so it is never checked itself.
    own_files = {os.path.realpath(f) for f in (baseline_file, write_baseline_file) if f}
    for target in _targets(paths, stdin_filename, settings, force_exclude):
        if target.path is not None and os.path.realpath(target.path) in own_files:
            continue
        config = _file_config(settings, target)
        try:
            data = _read(target)
        except FileError as error:
            _error(str(error))
            errors += 1
            continue
        document = decode_document(data, target.display)
        if document.binary:
            _emit(f"{target.display}: skipped: binary file", err=True)
            continue
        checked.append(Checked(document, config, check_document(document, config)))
    _add_corpus_names(checked)
    located = [(item, config) for c in checked
               for item, config in zip(c.document.locate(c.findings),
                                       [c.config] * len(c.findings), strict=True)]
    texts = {c.document.path: c.document.text for c in checked}
    if write_baseline_file is not None:
        from cleanup.baseline import write_baseline

        write_baseline(write_baseline_file, [item for item, _ in located], texts)
        _emit(f"wrote {len(located)} finding{'s' if len(located) != 1 else ''} to "
              f"{write_baseline_file}", err=True)
        return EXIT_ERROR if errors else EXIT_OK
    if baseline_file is not None:
        from cleanup.baseline import BaselineError, load_baseline

        try:
            known = load_baseline(baseline_file)
        except BaselineError as error:
            raise UsageError(str(error)) from None
        located = [(item, config) for item, config in located
                   if not known.contains(item, texts[item.path])]
    unsafe = any(c.config.unsafe_fixes for c in checked)
    _print_findings([item for item, _ in located], output_format, statistics,
                    files=len(checked), unsafe_fixes=unsafe)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if _fails(located) else EXIT_OK


@app.command(short_help="Repair damaged text in files, in place.")
def fix(
    paths: Paths = None,
    select: Select = None,
    ignore: Ignore = None,
    output_format: Format = OutputFormat.text,
    statistics: Statistics = False,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
    unsafe_fixes: UnsafeFixes = None,
    foreign: Foreign = None,
    language: Language = None,
    fail_on: FailOn = None,
    min_confidence: MinConfidence = None,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Print a unified diff of what fixing would change; write nothing. "
        "Exit 1 if anything would change or remain.")] = False,
    stdout: Annotated[bool, typer.Option(
        "--stdout", help="Print the fixed content of the one file instead of writing it.")]
    = False,
    exit_non_zero_on_fix: Annotated[bool, typer.Option(
        "--exit-non-zero-on-fix", help="Exit 1 when a file was changed, even if nothing is left "
        "to report.")] = False,
    stdin_filename: StdinFilename = None,
    force_exclude: ForceExclude = True,
) -> None:
    """Repair files in place (atomically), then report what could not be repaired.

    Only the damaged spans change: line ends, a BOM, trailing spaces and bytes that are not
    UTF-8 are written back as they were.

    \b
    Examples:
      cleanup fix article.txt                 repair safe damage (mojibake, invisibles...)
      cleanup fix --diff docs/                show the changes, write nothing
      cleanup fix --unsafe-fixes --foreign gloss notes.txt   also gloss foreign fragments,
                                              fix names and convert cp1251 files to UTF-8
      cleanup fix - < in.txt > out.txt        filter standard input to standard output
    """
    overrides_args = {"select": select, "ignore": ignore, "unsafe_fixes": unsafe_fixes,
                      "foreign": foreign, "language": language, "fail_on": fail_on,
                      "min_confidence": min_confidence, "config_file": config_file,
                      "isolated": isolated}
    raise typer.Exit(_run(_fix, overrides_args, paths, output_format, statistics, diff, stdout,
                          exit_non_zero_on_fix, stdin_filename, force_exclude))


def _fix(overrides_args: dict[str, Any], paths: list[str] | None, output_format: OutputFormat,
         statistics: bool, diff: bool, to_stdout: bool, exit_non_zero_on_fix: bool,
         stdin_filename: str | None, force_exclude: bool) -> int:
    from cleanup.files import FileError, decode_document, fix_document, write_atomic

    if diff and to_stdout:
        raise UsageError("--diff and --stdout cannot be used together")
    settings = Settings(Overrides.from_options(**overrides_args))
    targets = list(_targets(paths, stdin_filename, settings, force_exclude))
    if to_stdout and len(targets) > 1:
        raise UsageError(f"--stdout prints one file, but {len(targets)} were given")
    remaining: list[tuple[FileFinding, Config]] = []
    errors = changed_files = applied = files = 0
    # Fixed content goes to stdout for stdin and --stdout, so the report goes to stderr.
    report_to_stderr = to_stdout or any(target.path is None for target in targets)
    for target in targets:
        config = _file_config(settings, target)
        try:
            data = _read(target)
        except FileError as error:
            _error(str(error))
            errors += 1
            continue
        document = decode_document(data, target.display)
        if document.binary:
            _emit(f"{target.display}: skipped: binary file", err=True)
            if to_stdout or target.path is None:
                sys.stdout.buffer.write(data)
            continue
        files += 1
        outcome = fix_document(document, config)
        fixed = outcome.fixed_document if outcome.changed else document
        remaining.extend((item, config) for item in fixed.locate(outcome.remaining))
        if outcome.changed:
            changed_files += 1
            applied += len(outcome.applied) + (1 if outcome.converted else 0)
        if to_stdout or target.path is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(outcome.data)
            sys.stdout.buffer.flush()
        elif diff:
            if outcome.changed:
                _emit_diff(target.display, document.data, outcome.data)
        elif outcome.changed:
            try:
                write_atomic(target.path, outcome.data)
            except FileError as error:
                _error(str(error))
                errors += 1
            else:  # say which file changed: the pre-commit hook's user must review it
                spans = len(outcome.applied) + (1 if outcome.converted else 0)
                if output_format == OutputFormat.text:
                    _emit(f"{target.display}: fixed {spans} span{'s' if spans != 1 else ''}",
                          err=True)
    located = [item for item, _ in remaining]
    if not diff:
        _print_findings(located, output_format, statistics, files=files,
                        unsafe_fixes=any(c.unsafe_fixes for _, c in remaining),
                        err=report_to_stderr)
    if output_format == OutputFormat.text and (changed_files or diff):
        left = (f"; {len(located)} finding{'s' if len(located) != 1 else ''} left"
                f"{' (see `cleanup check`)' if diff else ''}" if located else "")
        if changed_files:
            _emit(f"{'Would fix' if diff else 'Fixed'} {applied} span"
                  f"{'s' if applied != 1 else ''} in {changed_files} file"
                  f"{'s' if changed_files != 1 else ''}{left}.", err=True)
        else:
            _emit(f"Nothing to fix{left}.", err=True)
    if errors:
        return EXIT_ERROR
    if _fails(remaining) or (changed_files and (exit_non_zero_on_fix or diff)):
        return EXIT_FINDINGS
    return EXIT_OK


def _emit_diff(display: str, before: bytes, after: bytes) -> None:
    """A unified diff of two versions of a file; undecodable bytes pass through unchanged."""
    import difflib
    import re

    def lines(data: bytes) -> list[str]:
        text = data.decode("utf-8", "surrogateescape")
        pieces = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
        if pieces and not pieces[-1].endswith(("\n", "\r")):
            pieces[-1] += "\n\\ No newline at end of file\n"
        return pieces

    output = "".join(difflib.unified_diff(lines(before), lines(after),
                                          f"a/{display}", f"b/{display}"))
    sys.stdout.flush()
    sys.stdout.buffer.write(output.encode("utf-8", "surrogateescape"))
    sys.stdout.buffer.flush()


@app.command(short_help="List the rules, or explain one.")
def rules(
    code: Annotated[str | None, typer.Argument(
        help="A rule code: print its documentation.", show_default=False)] = None,
    output_format: Annotated[ConfigFormat, typer.Option(
        "--format", help="`text` table or `json`.")] = ConfigFormat.text,
) -> None:
    """List the rules (code, kind, name, fix safety, default severity), or explain one.

    \b
    Examples:
      cleanup rules                 the table; [off] marks rules that run only when selected
      cleanup rules CU101           what CU101 finds, why it matters, an example, its fix
      cleanup rules --format json   the table for other tools
    """
    from cleanup.rules import RULES

    if code is not None:
        rule = RULES.get(code.upper())
        if rule is None:
            _error(f"unknown rule code {code!r} (see `cleanup rules`)")
            raise typer.Exit(EXIT_ERROR)
        if output_format == ConfigFormat.json:
            import json

            _emit(json.dumps(_rule_dict(rule) | {"docs": rule.docs()}, ensure_ascii=False,
                             indent=2))
        else:
            _emit(rule.docs().rstrip("\n"))
        return
    if output_format == ConfigFormat.json:
        import json

        _emit(json.dumps([_rule_dict(rule) for rule in RULES.values()], ensure_ascii=False,
                         indent=2))
        return
    width = max(len(rule.name) for rule in RULES.values())
    _emit(f"{'code':<6} {'kind':<17} {'name':<{width}} {'fix':<6} severity")
    for rule in RULES.values():
        off = "" if rule.default else "  [off]"
        _emit(f"{rule.code:<6} {rule.kind:<17} {rule.name:<{width}} {rule.fix:<6} "
              f"{rule.severity}{off}")


def _rule_dict(rule: Any) -> dict[str, Any]:
    return {"code": rule.code, "kind": rule.kind, "name": rule.name, "fix": rule.fix,
            "severity": rule.severity, "default": rule.default, "summary": rule.summary}


@app.command(short_help="Show each person's name spellings across files.")
def names(
    paths: Annotated[list[str] | None, typer.Argument(
        help="Files or directories to read (directories are walked, honouring .gitignore). "
        "Default: the working directory.", show_default=False)] = None,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
    output_format: Annotated[ConfigFormat, typer.Option(
        "--format", help="`text` (a table) or `json` (one object per person).")]
    = ConfigFormat.text,
) -> None:
    """Group the spellings of each person's name across all the files: the canonical spelling
    (configured in `canonical-names`, else the most frequent), each variant with its count and
    where it occurs. Exit 1 when some person is spelled more than one way.

    \b
    Examples:
      cleanup names articles/            John Feiner / Jon Finer across a folder
      cleanup names --format json a.txt b.txt
    """
    overrides_args = {"config_file": config_file, "isolated": isolated}
    raise typer.Exit(_run(_names, overrides_args, paths, output_format))


def _names(overrides_args: dict[str, Any], paths: list[str] | None,
           output_format: ConfigFormat) -> int:
    from cleanup.detect.names import name_groups, render_name_groups
    from cleanup.files import FileError, decode_document

    settings = Settings(Overrides.from_options(**overrides_args))
    texts: list[tuple[str, str]] = []
    config: Config | None = None
    for target in _targets(paths, None, settings, force_exclude=True):
        config = config or _file_config(settings, target)
        try:
            document = decode_document(_read(target), target.display)
        except FileError as error:
            _error(str(error))
            return EXIT_ERROR
        if not document.binary:
            texts.append((target.display, document.text))
    groups = name_groups(texts, config)
    if output_format == ConfigFormat.json:
        import json

        _emit(json.dumps([group.to_dict() for group in groups], ensure_ascii=False, indent=2))
    else:
        _emit(render_name_groups(groups))
    return EXIT_FINDINGS if any(len(group.variants) > 1 or group.configured
                                for group in groups) else EXIT_OK


class Engine(str, Enum):
    local = "local"
    ray = "ray"


@app.command(short_help="Annotate a JSONL or Parquet corpus, streamed over all cores or Ray.")
def annotate(
    input: Annotated[str, typer.Argument(
        help="A .jsonl, .jsonl.gz or .parquet file, a directory of them, or a glob; or a .tsv "
        "file whose header row names its columns (annotated as JSON Lines).",
        show_default=False)],
    output: Annotated[str, typer.Argument(
        help="Where the annotated records go: a file of the same format, or a directory of "
        "shards for a directory input.", show_default=False)],
    field: Annotated[str, typer.Option(help="The record field holding the text.")] = "text",
    source_field: Annotated[str | None, typer.Option(
        help="The record field holding the source the text translates (a parallel corpus): "
        "the `translation` checks compare the two.", show_default=False)] = None,
    id_field: Annotated[str | None, typer.Option(
        help="A record field to name records by in error reports.", show_default=False)] = None,
    select: Select = None,
    ignore: Ignore = None,
    workers: Annotated[int | None, typer.Option(
        help="Worker processes (default: all cores); 1 runs in this process.",
        show_default=False)] = None,
    engine: Annotated[Engine, typer.Option(
        help="`local` (a process pool) or `ray` (Ray Data on a cluster; needs cleanup[ray]).")]
    = Engine.local,
    address: Annotated[str | None, typer.Option(
        help="The Ray cluster: `auto`, `ray://host:port`; default: start a local one.",
        show_default=False)] = None,
    stats: Annotated[Path | None, typer.Option(
        help="Also write the run's statistics as JSON (mergeable across shards).",
        show_default=False)] = None,
    resume: Annotated[bool, typer.Option(
        help="Skip the shards a previous run of a directory completed.")] = False,
    fix: Annotated[bool, typer.Option(
        "--fix", help="Add the repaired text (`fixed`) to each record's annotation.")] = False,
    output_field: Annotated[str, typer.Option(
        help="The field added to each record.")] = "cleanup",
    batch_size: Annotated[int | None, typer.Option(
        help="Records per batch sent to a worker.", show_default=False)] = None,
    corpus_names: Annotated[bool, typer.Option(
        "--corpus-names/--no-corpus-names",
        help="Compare name spellings across the whole corpus (a first pass over the input).")]
    = True,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
) -> None:
    """Annotate every record of INPUT with its findings, in input order, keeping every field.

    Each record gains `cleanup: {"findings": [...]}` (plus `"fixed"` with --fix). Malformed
    records go to OUTPUT.errors.jsonl with their file and line, and make the exit code 1.

    \b
    Examples:
      cleanup annotate news.jsonl news.annotated.jsonl
      cleanup annotate shards/ annotated/ --workers 2 --stats stats.json --resume
      cleanup annotate data.parquet out.parquet --field body --fix
      cleanup annotate pairs.tsv pairs.jsonl --source-field en --field de
      cleanup annotate shards/ annotated/ --engine ray --address auto
    """
    options = {"field": field, "source_field": source_field, "id_field": id_field,
               "workers": workers,
               "engine": engine.value, "address": address,
               "stats_path": str(stats) if stats else None, "resume": resume, "fix": fix,
               "output_field": output_field, "corpus_names": corpus_names}
    if batch_size is not None:
        options["batch_size"] = batch_size
    overrides_args = {"config_file": config_file, "isolated": isolated}
    raise typer.Exit(_run(_annotate, overrides_args, input, output, select, ignore, options))


def _annotate(overrides_args: dict[str, Any], input: str, output: str,
              select: list[str] | None, ignore: list[str] | None,
              options: dict[str, Any]) -> int:
    from cleanup.corpus import CorpusError, annotate_paths

    settings = Settings(Overrides.from_options(**overrides_args))
    config = settings.for_folder(Path.cwd())[0]
    try:
        summary = annotate_paths(
            input, output, select=_split(select) if select else None,
            ignore=_split(ignore) if ignore else None, config=config,
            progress=True, **options)
    except CorpusError as error:
        raise UsageError(str(error)) from None
    _emit(summary.render(), err=True)
    return int(summary.exit_code)


@app.command("config", short_help="Print the effective config and where it came from.")
def show_config(
    path: Annotated[Path | None, typer.Argument(
        help="Show the config that applies to this file or folder (default: the working "
        "directory).", show_default=False)] = None,
    select: Select = None,
    ignore: Ignore = None,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
    unsafe_fixes: UnsafeFixes = None,
    foreign: Foreign = None,
    language: Language = None,
    fail_on: FailOn = None,
    min_confidence: MinConfidence = None,
    output_format: Annotated[ConfigFormat, typer.Option(
        "--format", help="`text` (TOML with the source of each value) or `json`.")]
    = ConfigFormat.text,
) -> None:
    """Print the effective config and where each value came from: default, file or option.

    \b
    Examples:
      cleanup config                     the config a check here would use
      cleanup config docs/intro.md       the config for that file (found walking up from it)
      cleanup config --fail-on error --format json
    """
    overrides_args = {"select": select, "ignore": ignore, "unsafe_fixes": unsafe_fixes,
                      "foreign": foreign, "language": language, "fail_on": fail_on,
                      "min_confidence": min_confidence, "config_file": config_file,
                      "isolated": isolated}
    raise typer.Exit(_run(_show_config, overrides_args, path, output_format))


def _show_config(overrides_args: dict[str, Any], path: Path | None,
                 output_format: ConfigFormat) -> int:
    settings = Settings(Overrides.from_options(**overrides_args))
    if path is not None and path.is_dir():
        config, _, found = settings.for_folder(Path(os.path.abspath(path)))
    else:
        config, _, found = settings.for_path(path)
    values = config.as_dict()
    sources = {key: config.sources.get(key, "default") for key in values}
    if output_format == ConfigFormat.json:
        import json

        _emit(json.dumps({"config_file": str(found) if found else None, "config": values,
                          "sources": sources}, ensure_ascii=False, indent=2))
        return EXIT_OK
    _emit(f"# config file: {found if found else 'none (defaults)'}")
    for key, value in values.items():
        _emit(f"{_toml_line(key, value):<48} # {sources[key]}")
    return EXIT_OK


def _toml_line(key: str, value: Any) -> str:
    """``key = value`` in TOML; a value TOML cannot hold (None) becomes a comment.

    >>> _toml_line("per-file-ignores", {"*.md": ["CU404"]}), _toml_line("language", None)
    ('per-file-ignores = { "*.md" = ["CU404"] }', '# language = (not set)')
    """
    import json

    if value is None:
        return f"# {key} = (not set)"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}"
                          for k, v in value.items())
        return f"{key} = {{ {inner} }}" if inner else f"{key} = {{}}"
    return f"{key} = {_toml_value(value)}"


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


__all__ = ["app"]
