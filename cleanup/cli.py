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
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cleanup.config import FOREIGN_POLICIES, Config, ConfigError
from cleanup.corpus.executor import EXECUTORS
from cleanup.corpus.records import ANNOTATIONS
from cleanup.report import FORMATS
from cleanup.rules import SEVERITIES

if TYPE_CHECKING:
    from cleanup.findings import FileFinding
    from cleanup.run import RunOptions, RunResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _choices(name: str, values: Iterable[str]) -> type[Enum]:
    """A typer choice type built from one of the library's registries, never copied by hand."""
    return Enum(name, {value: value for value in values}, type=str)  # type: ignore[return-value]


#: The CLI's choices, from the registries they name: output formats (`cleanup.report`),
#: foreign-fragment policies (`cleanup.config`), severities (`cleanup.rules`), corpus
#: executors (`cleanup.corpus.executor`) and annotation shapes (`cleanup.corpus.work`).
OutputFormat: Any = _choices("OutputFormat", FORMATS)
ForeignPolicy: Any = _choices("ForeignPolicy", FOREIGN_POLICIES)
Severity: Any = _choices("Severity", SEVERITIES)
Engine: Any = _choices("Engine", EXECUTORS)
AnnotationShape: Any = _choices("AnnotationShape", ANNOTATIONS)


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
    "--format", "--output-format", help="How findings are printed: " + "; ".join(
        f"`{f.name}`: {f.summary}" for f in FORMATS.values()) + ".")]
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


def _run_options(*, select: list[str] | None = None, ignore: list[str] | None = None,
                 unsafe_fixes: bool | None = None, foreign: ForeignPolicy | None = None,
                 language: str | None = None, fail_on: Severity | None = None,
                 min_confidence: float | None = None, config_file: Path | None = None,
                 isolated: bool = False, stdin_filename: str | None = None,
                 force_exclude: bool = True) -> RunOptions:
    """The run's options: config overrides from the command line, checked before any work."""
    from cleanup.config import Overrides
    from cleanup.run import RunOptions

    values: dict[str, Any] = {
        "select": _split(select) if select is not None else None,
        "unsafe_fixes": unsafe_fixes,
        "foreign_policy": foreign.value if foreign is not None else None,
        "language": language,
        "fail_on": fail_on.value if fail_on is not None else None,
        "min_confidence": min_confidence,
    }
    extra_ignore = _split(ignore or [])
    # Reject a bad option before any work, naming the option.
    for key, value in [*values.items(), ("ignore", extra_ignore)]:
        if value is None:
            continue
        try:
            Config(**{key: value})
        except ConfigError as error:
            message = str(error).removeprefix(f"{key.replace('_', '-')}: ")
            raise UsageError(f"{_option_name(key)}: {message}") from None
    if foreign is not None and foreign.value != "keep" and not unsafe_fixes:
        _emit(f"note: --foreign {foreign.value} changes content, an unsafe fix: `cleanup fix` "
              "applies it only with --unsafe-fixes", err=True)
    sources = {key: f"command line ({_option_name(key)})" for key in [*values, "ignore"]}
    overrides = Overrides(source=sources, ignore=extra_ignore, **values)
    return RunOptions(overrides, config_file, isolated, force_exclude, stdin_filename)


def _option_name(key: str) -> str:
    """The command-line option that sets config key ``key``."""
    return "--foreign" if key == "foreign_policy" else f"--{key.replace('_', '-')}"


def _split(values: list[str]) -> tuple[str, ...]:
    """Options are repeatable and comma-separated; both ways give one flat tuple.

    >>> _split(["mojibake,CU404", " CU5 ", ""])
    ('mojibake', 'CU404', 'CU5')
    """
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


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


def _print_findings(located: list[FileFinding], output_format: OutputFormat, statistics: bool,
                    *, files: int, unsafe_fixes: bool, err: bool = False,
                    texts: dict[str, str] | None = None) -> None:
    from cleanup import report

    spec = report.FORMATS[output_format.value]
    if statistics:
        if located or not spec.for_people:
            _emit(report.statistics(located, output_format.value), err=err)
        return
    rendered = report.render(located, output_format.value, texts=texts,
                             colour=spec.for_people and not err and _colour_wanted())
    if rendered or spec.always_prints:
        _emit(rendered, err=err)
    if spec.for_people and (files or located):
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
    from cleanup.run import RunError

    try:
        code: int = function(*args, **kwargs)
        return code
    except (UsageError, RunError) as error:
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
    from cleanup.run import check_paths

    options = _run_options(**overrides_args, stdin_filename=stdin_filename,
                           force_exclude=force_exclude)
    # The baseline records damaged text, so it is never checked itself.
    own_files = [f for f in (baseline_file, write_baseline_file) if f]
    result = check_paths(paths, options, stdin=_stdin_if_named(paths), on_note=_note,
                         baseline=baseline_file, skip=own_files)
    located = result.located()
    if write_baseline_file is not None:
        from cleanup.baseline import write_baseline

        texts = {item.document.path: item.document.text for item in result.files}
        write_baseline(write_baseline_file, located, texts)
        _emit(f"wrote {len(located)} finding{'s' if len(located) != 1 else ''} to "
              f"{write_baseline_file}", err=True)
        return EXIT_ERROR if result.errors else EXIT_OK
    unsafe = any(item.config.unsafe_fixes for item in result.files)
    _print_findings(located, output_format, statistics, files=len(result.files),
                    unsafe_fixes=unsafe, texts=_texts(result))
    return result.exit_code()


def _texts(result: RunResult) -> dict[str, str]:
    """Each file's text as its findings are located in it: what `full` and `html` show."""
    return {item.shown_document.path: item.shown_document.text for item in result.files}


def _stdin_if_named(paths: list[str] | None) -> bytes | None:
    """Standard input's bytes when ``-`` is among the paths (read once, up front)."""
    return sys.stdin.buffer.read() if paths and "-" in paths else None


def _note(message: str) -> None:
    """A note or error of a run, as it happens, on stderr."""
    _emit(message, err=True)


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
    from cleanup.run import ConfigResolver, fix_paths, targets

    if diff and to_stdout:
        raise UsageError("--diff and --stdout cannot be used together")
    options = _run_options(**overrides_args, stdin_filename=stdin_filename,
                           force_exclude=force_exclude)
    if to_stdout:
        count = sum(1 for _ in targets(paths, ConfigResolver(options)))
        if count > 1:
            raise UsageError(f"--stdout prints one file, but {count} were given")
    stdin = _stdin_if_named(paths)
    # Fixed content goes to stdout for stdin and --stdout, so the report goes to stderr.
    report_to_stderr = to_stdout or stdin is not None
    text_report = FORMATS[output_format.value].for_people
    result = fix_paths(paths, options, stdin=stdin, write=not (diff or to_stdout),
                       on_note=_note if text_report else _errors_only)
    for item in result.files:
        if to_stdout or item.target.path is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(item.fix.data if item.fix else item.document.data)
            sys.stdout.buffer.flush()
        elif diff and item.fix is not None and item.fix.changed:
            _emit_diff(item.target.display, item.document.data, item.fix.data)
    changed = [item for item in result.changed if diff or to_stdout or item.written
               or item.target.path is None]
    located = result.located()
    if not diff:
        _print_findings(located, output_format, statistics, files=len(result.files),
                        unsafe_fixes=any(item.config.unsafe_fixes for item in result.files),
                        err=report_to_stderr, texts=_texts(result))
    if text_report and (changed or diff):
        applied = sum(len(item.fix.applied) + item.fix.converted
                      for item in changed if item.fix is not None)
        left = (f"; {len(located)} finding{'s' if len(located) != 1 else ''} left"
                f"{' (see `cleanup check`)' if diff else ''}" if located else "")
        if changed:
            _emit(f"{'Would fix' if diff else 'Fixed'} {applied} span"
                  f"{'s' if applied != 1 else ''} in {len(changed)} file"
                  f"{'s' if len(changed) != 1 else ''}{left}.", err=True)
        else:
            _emit(f"Nothing to fix{left}.", err=True)
    return result.exit_code(fail_on_change=bool(changed) and (exit_non_zero_on_fix or diff))


def _errors_only(message: str) -> None:
    if message.startswith("error: ") or ": skipped: " in message:
        _emit(message, err=True)


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
    from cleanup.terminal import colour_diff, unseen_changes

    if _colour_wanted():
        output = colour_diff(output)
    else:  # the diff stays a valid patch; what it cannot show goes to stderr
        for note in unseen_changes(output, display):
            _emit(note, err=True)
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
    from cleanup.detect.names import name_groups
    from cleanup.files import decode_document, read_bytes
    from cleanup.report import format_name_groups
    from cleanup.run import ConfigResolver, targets

    resolver = ConfigResolver(_run_options(**overrides_args))
    texts: list[tuple[str, str]] = []
    config: Config | None = None
    for target in targets(paths, resolver):
        config = config or resolver.for_file(target)
        data = sys.stdin.buffer.read() if target.path is None else read_bytes(target.path)
        document = decode_document(data, target.display)
        if not document.binary:
            texts.append((target.display, document.text))
    groups = name_groups(texts, config)
    if output_format == ConfigFormat.json:
        import json

        _emit(json.dumps([group.to_dict() for group in groups], ensure_ascii=False, indent=2))
    else:
        _emit(format_name_groups(groups))
    return EXIT_FINDINGS if any(len(group.variants) > 1 or group.configured
                                for group in groups) else EXIT_OK


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
        help="Where the work runs: " + "; ".join(
            f"`{name}`: {executor.description}" for name, executor in EXECUTORS.items()) + ".")]
    = Engine.local,
    address: Annotated[str | None, typer.Option(
        help="The Ray cluster: `auto`, `ray://host:port`; default: start a local one.",
        show_default=False)] = None,
    stats: Annotated[Path | None, typer.Option(
        help="Also write the run's statistics as JSON (mergeable across shards).",
        show_default=False)] = None,
    report: Annotated[Path | None, typer.Option(
        help="Also write an HTML report: findings per rule and kind, records affected, and "
        "each rule's first findings in context.", show_default=False, dir_okay=False)] = None,
    resume: Annotated[bool, typer.Option(
        help="Skip the shards a previous run of a directory completed; continue a stopped "
        "single-file run at its first unfinished batch.")] = False,
    fix: Annotated[bool, typer.Option(
        "--fix", help="Add the repaired text (`fixed`) to each record's annotation.")] = False,
    replace_field: Annotated[bool, typer.Option(
        "--replace-field", help="With --fix: write the repaired text in place of --field "
        "(the findings keep their offsets into the original).")] = False,
    keep_original_as: Annotated[str | None, typer.Option(
        metavar="FIELD", help="With --replace-field: keep the original text under this field.",
        show_default=False)] = None,
    drop_if: Annotated[list[str] | None, typer.Option(
        "--drop-if", metavar="CODES", help="Keep records with findings of these kinds, codes "
        "or prefixes out of OUTPUT: they go to the --dropped file with the findings that "
        "dropped them.", show_default=False)] = None,
    dropped: Annotated[Path | None, typer.Option(
        help="Where --drop-if writes the records it drops (default: OUTPUT.dropped.jsonl).",
        show_default=False, dir_okay=False)] = None,
    annotation: Annotated[AnnotationShape, typer.Option(
        help="Each finding with all its facts (`full`), or only `rule`, `start`, `end` and "
        "`replacement` (`compact`, for training pipelines).")] = AnnotationShape.full,
    output_field: Annotated[str, typer.Option(
        help="The field added to each record.")] = "cleanup",
    batch_size: Annotated[int | None, typer.Option(
        help="Records per batch sent to a worker.", show_default=False)] = None,
    corpus_names: Annotated[bool, typer.Option(
        "--corpus-names/--no-corpus-names",
        help="Compare name spellings across the whole corpus (a first pass over the input).")]
    = True,
    language: Language = None,
    config_file: ConfigFile = None,
    isolated: Isolated = False,
) -> None:
    """Annotate every record of INPUT with its findings, in input order, keeping every field.

    Each record gains `cleanup: {"findings": [...]}` (plus `"fixed"` with --fix). Malformed
    records go to OUTPUT.errors.jsonl with their file and line, and make the exit code 1.

    \b
    Examples:
      cleanup annotate news.jsonl news.annotated.jsonl --report report.html
      cleanup annotate shards/ annotated/ --workers 2 --stats stats.json --resume
      cleanup annotate data.parquet out.parquet --field body --fix
      cleanup annotate news.jsonl train.jsonl --fix --replace-field --drop-if CU7 \\
          --annotation compact
      cleanup annotate pairs.tsv pairs.jsonl --source-field en --field de
      cleanup annotate mt-output.jsonl out.jsonl --language en
      cleanup annotate shards/ annotated/ --engine ray --address auto
    """
    options = {"field": field, "source_field": source_field, "id_field": id_field,
               "workers": workers,
               "engine": engine.value, "address": address,
               "stats_path": str(stats) if stats else None, "resume": resume, "fix": fix,
               "report_path": str(report) if report else None,
               "output_field": output_field, "corpus_names": corpus_names,
               "replace_field": replace_field, "keep_original_as": keep_original_as,
               "drop_if": _split(drop_if) if drop_if else None,
               "dropped_path": str(dropped) if dropped else None,
               "annotation": annotation.value}
    if batch_size is not None:
        options["batch_size"] = batch_size
    overrides_args = {"config_file": config_file, "isolated": isolated, "language": language}
    raise typer.Exit(_run(_annotate, overrides_args, input, output, select, ignore, options))


def _annotate(overrides_args: dict[str, Any], input: str, output: str,
              select: list[str] | None, ignore: list[str] | None,
              options: dict[str, Any]) -> int:
    from cleanup.corpus import CorpusError, Interrupted, annotate_paths
    from cleanup.run import ConfigResolver

    config = ConfigResolver(_run_options(**overrides_args)).for_folder(Path.cwd())[0]
    try:
        summary = annotate_paths(
            input, output, select=_split(select) if select else None,
            ignore=_split(ignore) if ignore else None, config=config,
            progress=True, **options)
    except CorpusError as error:
        raise UsageError(str(error)) from None
    except Interrupted as stop:  # says how far the run got; 130 for SIGINT, 143 for SIGTERM
        _emit(str(stop), err=True)
        return 128 + stop.signal
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
    from cleanup.run import ConfigResolver

    resolver = ConfigResolver(_run_options(**overrides_args))
    if path is not None and path.is_dir():
        config, _, found = resolver.for_folder(Path(os.path.abspath(path)))
    else:
        config, _, found = resolver.for_path(path)
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
