"""Checking and fixing a translation file segment by segment, with findings in file offsets.

Each segment is checked as `cleanup.check` checks a text, in the segment's language and with
its source, so every detector runs and the `translation` checks compare it with its source.
Findings are then moved onto the file: ``Finding.text == file_text[start:end]``, and a
replacement is escaped as the format writes it (``\\n`` in gettext, ``&amp;`` in XLIFF). A finding
that ends inside an escape sequence, or spans file syntax (the ``"\\n"`` between two gettext
strings, an XLIFF inline element), is widened to whole escapes and keeps no replacement. `fix`
changes only the inside of segments: msgids, cue timings and XML markup survive byte for byte.

In a plural form (gettext ``msgstr[n]``), a placeholder or number of the source may be left
out (``"one file"`` for ``"%d files"`` where the form is only used for one): those "missing
from the translation" findings are left out. A message flagged ``no-c-format`` or
``no-python-format`` has no printf placeholders (CU803 is left out), one flagged
``no-python-brace-format`` no brace placeholders (CU804).

>>> from cleanup.config import Config
>>> po = 'msgid "Name: "\\nmsgstr "Nom :"\\n'
>>> fixed = fix_segments(po, read_segments(po, "fr.po"), Config())
>>> print(fixed.text, end="")
msgid "Name: "
msgstr "Nom : "
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from cleanup.config import Config
from cleanup.findings import Edit, Finding, Fixed
from cleanup.formats import Segment, read_segments

#: Rules whose "missing from the translation" findings a plural form may well deserve.
PLURAL_OPTIONAL = frozenset({"CU803", "CU804", "CU806"})


def _detected_language(texts: Iterable[str]) -> str | None:
    """The language of a file's segments taken together (short messages alone cannot tell)."""
    from cleanup.language import document_language, dominant_script

    sample = "\n".join(text for text, _ in zip(texts, range(400), strict=False))[:3000]
    if len(sample.split()) < 3:
        return None
    return document_language(sample, dominant_script(sample))


def _with_languages(segments: Sequence[Segment], config: Config) -> list[Segment]:
    """Segments with a target and source language: the file's, else config's, else detected.

    A language cleanup does not know the script of (Nepali) is checked as the language its
    script implies (Devanagari: Hindi) when the file is not in Latin letters: the detectors
    would otherwise take every word for a foreign fragment.
    """
    from cleanup.language import LANGUAGE_SCRIPTS, SCRIPT_LANGUAGES, dominant_script

    missing_target = any(s.language is None for s in segments)
    missing_source = any(s.source_language is None and s.source for s in segments)
    target = config.language or (_detected_language(s.text for s in segments)
                                 if missing_target else None)
    source = _detected_language(s.source for s in segments if s.source) \
        if missing_source else None
    unknown = {s.language for s in segments if s.language and s.language not in LANGUAGE_SCRIPTS}
    checked_as: dict[str | None, str | None] = {}
    for language in unknown:
        sample = "".join(s.text for s in segments if s.language == language)[:3000]
        script = dominant_script(sample)
        checked_as[language] = language if script == "Latin" else SCRIPT_LANGUAGES.get(script)
    return [dataclasses.replace(s, language=checked_as.get(s.language, s.language) or target,
                                source_language=s.source_language or source)
            for s in segments]


class _Configs:
    """The config of each segment language, made once per language of a file."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.made: dict[str | None, Config] = {config.language: config}

    def __call__(self, language: str | None) -> Config:
        if language not in self.made:
            self.made[language] = self.config.replace(language=language)
        return self.made[language]


#: gettext flags that say a message is not a format string of that kind -> the rule it mutes.
NOT_A_FORMAT = {"no-c-format": "CU803", "no-python-format": "CU803",
                "no-python-brace-format": "CU804"}


def _kept(finding: Finding, segment: Segment) -> bool:
    """Whether a segment's finding means what it says in a translation (module docstring)."""
    if any(NOT_A_FORMAT.get(flag) == finding.rule for flag in segment.flags):
        return False
    return not ("plural" in segment.flags and finding.rule in PLURAL_OPTIONAL
                and "missing" in finding.data)


def _widened(segment: Segment, start: int, end: int) -> tuple[int, int]:
    """The file span of whole pieces around ``start:end`` (for spans ending in an escape)."""
    holding = [p for p in segment.pieces if p.kind != "gap"]
    file_start = next((p.file_start + (start - p.text_start if p.literal else 0)
                       for p in holding if p.text_start <= start < p.text_end),
                      holding[-1].file_end if holding else 0)
    file_end = next((p.file_end - (p.text_end - end if p.literal else 0)
                     for p in reversed(holding) if p.text_start < end <= p.text_end),
                    file_start)
    return file_start, max(file_start, file_end)


def _file_replacement(segment: Segment, start: int, end: int,
                      replacement: str) -> tuple[tuple[int, int], str] | None:
    """The file span and escaped text of a replacement, or None when it cannot be written."""
    span = segment.file_span(start, end)
    how = segment.replaceable(start, end)
    if span is None or how is None or (how == "raw" and "]]>" in replacement):
        return None
    return span, segment.escape(replacement) if how == "text" else replacement


def _to_file(finding: Finding, segment: Segment, file_text: str) -> Finding:
    span = segment.file_span(finding.start, finding.end)
    replacement = finding.replacement
    written = None
    if replacement is not None:
        written = _file_replacement(segment, finding.start, finding.end, replacement)
    if span is None:
        span = _widened(segment, finding.start, finding.end)
    start, end = span
    return dataclasses.replace(
        finding, start=start, end=end, text=file_text[start:end],
        replacement=None if written is None else written[1],
        safe=finding.safe and written is not None,
        data={**finding.data, "segment": segment.id})


def _check(segment: Segment, configs: _Configs, select: Iterable[str] | None) -> list[Finding]:
    from cleanup.engine import check

    found = check(segment.text, select, configs(segment.language), syntax=segment.syntax,
                  source=segment.source, source_language=segment.source_language)
    return [finding for finding in found if _kept(finding, segment)]


def check_segments(file_text: str, segments: Sequence[Segment], config: Config | None = None,
                   select: Iterable[str] | None = None) -> list[Finding]:
    """Every finding in the segments of a file, in offsets of ``file_text``, sorted.

    >>> po = 'msgid "Save %(name)s"\\nmsgstr "Enregistrer %(nom)s"\\n'
    >>> [(f.rule, f.text) for f in check_segments(po, read_segments(po, "fr.po"))]
    [('CU803', 'Enregistrer %(nom)s'), ('CU803', '%(nom)s')]
    """
    from cleanup.suppress import filter_findings

    config = config or Config()
    configs = _Configs(config)
    findings = [_to_file(finding, segment, file_text)
                for segment in _with_languages(segments, config)
                for finding in _check(segment, configs, select)]
    findings = filter_findings(file_text, findings, "plain")  # `cleanup: off` in comments
    return sorted(findings, key=lambda f: f.sort_key)


def fix_segments(file_text: str, segments: Sequence[Segment], config: Config | None = None,
                 unsafe_fixes: bool = False, select: Iterable[str] | None = None) -> Fixed:
    """Fix each segment and write the repairs back into the file text, escaped.

    Everything outside the segments is copied as it is; a repair that would cross file syntax
    is left out (its finding stays, without a replacement).
    """
    from cleanup.edits import apply_edits
    from cleanup.engine import fix
    from cleanup.suppress import filter_findings

    config = config or Config()
    configs = _Configs(config)
    unsafe_fixes = unsafe_fixes or config.unsafe_fixes
    edits: list[Edit] = []
    findings: list[Finding] = []
    for segment in _with_languages(segments, config):
        fixed = fix(segment.text, select, configs(segment.language), unsafe_fixes,
                    syntax=segment.syntax, source=segment.source,
                    source_language=segment.source_language)
        kept = [f for f in fixed.findings if _kept(f, segment)]
        findings += [_to_file(finding, segment, file_text) for finding in kept]
        dropped = {(f.start, f.end) for f in fixed.findings if f not in kept}
        for edit in fixed.edits:
            written = _file_replacement(segment, edit.start, edit.end, edit.replacement)
            if written is not None and (edit.start, edit.end) not in dropped:
                (start, end), replacement = written
                edits.append(Edit(start, end, replacement, edit.rule))
    text, applied, _ = apply_edits(file_text, edits)
    findings = filter_findings(file_text, findings, "plain")
    return Fixed(text=text, findings=sorted(findings, key=lambda f: f.sort_key), edits=applied,
                 original=file_text)


def check_file(text: str, path: str, config: Config | None = None,
               select: Iterable[str] | None = None) -> list[Finding] | None:
    """`check_segments` for a file whose format has a reader; None when it has none or its
    reader cannot read it (the file is then checked as prose)."""
    segments = _segments(text, path)
    return None if segments is None else check_segments(text, segments, config, select)


def fix_file(text: str, path: str, config: Config | None = None,
             unsafe_fixes: bool = False) -> Fixed | None:
    """`fix_segments` for a file whose format has a reader; None as for `check_file`."""
    segments = _segments(text, path)
    return None if segments is None else fix_segments(text, segments, config, unsafe_fixes)


def _segments(text: str, path: str) -> list[Segment] | None:
    from cleanup.formats import FormatError, reader_for

    if reader_for(path) is None:
        return None
    try:
        return read_segments(text, path)
    except FormatError:
        return None


__all__ = ["check_file", "check_segments", "fix_file", "fix_segments"]
