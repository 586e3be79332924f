"""check, fix, check_corpus and annotate_batch over strings, and check/fix of a file's document.

Data flows one way: text -> detectors -> findings -> edits -> fixed text. Everything here is pure:
no global state, no I/O, the same findings in the same order for the same input and config.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import PurePath
from typing import Any

from cleanup.config import Config, default_config
from cleanup.detect import DETECTORS, Context, Detector, load_detector
from cleanup.document import Document
from cleanup.edits import apply_edits, compose, splice
from cleanup.findings import Edit, Finding, OffsetMap, map_span_to_original
from cleanup.fixed import Fixed
from cleanup.rules import KINDS, RULES, SEVERITIES, Rule, select_rules

#: fix stops after this many passes even if a repair keeps revealing more (it never should).
MAX_FIX_PASSES = 5

def _rules_for(select: Iterable[str] | None, config: Config,
               ignore: Iterable[str] | None = None) -> tuple[Rule, ...]:
    """The rules a call runs: ``select`` (else the config's, else the defaults) minus the
    config's ``ignore`` and the call's."""
    if select is None and config.select is not None:
        select = config.select
    if isinstance(select, str):
        select = [select]
    ignored = config.ignore
    if ignore:
        ignored = ignored + ((ignore,) if isinstance(ignore, str) else tuple(ignore))
    return _selected_rules(None if select is None else frozenset(select), ignored)


@lru_cache(maxsize=256)
def _selected_rules(select: frozenset[str] | None, ignore: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules of a selection, resolved once per distinct selection (not once per text)."""
    return tuple(select_rules(select, ignore))


#: A detector to run and the codes it may report, or None when every code of its own is
#: selected (its findings need no filtering, which is the usual case).
_Plan = tuple[tuple[Detector, frozenset[str] | None], ...]


@dataclass(frozen=True)
class _Selection:
    """What a selection of rules means for one check, resolved once per selection."""

    #: the codes selected
    codes: frozenset[str]
    #: the detectors to run after the repairing ones, in registry order
    plan: _Plan


#: id of a selection's rule tuple (kept alive by `_selected_rules`) -> (that tuple, its
#: selection): hashing two dozen rules on every check would cost more than the lookup saves.
_PLANS: dict[int, tuple[Sequence[Rule], _Selection]] = {}

#: Detectors whose repairs the other detectors see (rule 1 of `_arbitrate`): decoding mojibake
#: can turn garbage into a Russian fragment or a homoglyph.
REPAIRING_DETECTORS = ("mojibake",)


def _selection(rules: Sequence[Rule]) -> _Selection:
    """The codes of ``rules`` and the detectors to run for them but the repairing ones, in
    registry order, each with the codes it may report."""
    known = _PLANS.get(id(rules))
    if known is not None and known[0] is rules:
        return known[1]
    selection = _Selection(frozenset(rule.code for rule in rules), tuple(
        (load_detector(name), _only(codes, name)) for name in DETECTORS
        if name not in REPAIRING_DETECTORS
        and (codes := frozenset(r.code for r in rules if r.detector_name == name))))
    if isinstance(rules, tuple) and len(_PLANS) < 1024:
        _PLANS[id(rules)] = (rules, selection)
    return selection


def _only(codes: frozenset[str], detector_name: str) -> frozenset[str] | None:
    """``codes``, or None when they are every code the detector reports."""
    every = frozenset(code for code, rule in RULES.items() if rule.detector_name == detector_name)
    return None if codes >= every else codes


@cache
def _repairing_plan() -> _Plan:
    """The repairing detectors, each with every code it may report."""
    return tuple((load_detector(name), None) for name in REPAIRING_DETECTORS)


@cache
def _file_plan() -> _Plan:
    """The file-level detector alone: all that runs on a file in another encoding."""
    return ((load_detector("file"), None),)


def _detect(context: Context, plan: _Plan) -> list[Finding]:
    findings: list[Finding] = []
    text = context.text
    for detector, codes in plan:
        if codes is None:
            findings.extend(detector(text, context))
        else:
            findings.extend(f for f in detector(text, context) if f.rule in codes)
    return findings


def _arbitrate(context: Context, rules: Sequence[Rule]) -> list[Finding]:
    """Run every selected detector once and settle what each kind may report where.

    Two rules, and this is the only place they live:

    1. The repairing detector (mojibake) runs first, on the text as it is, even when its
       rules are not selected. The other detectors then run on the text as its safe repairs
       leave it: damage inside mojibake is judged on what the mojibake stood for, never on its
       garbage. Their findings come back in offsets of the original text; one that touches a
       reported repair is *revealed* by it and carries no replacement of its own (`fix`
       decides about it in its next pass); one that touches a repair nobody will make (its
       rule not selected, silenced, below the confidence floor) is dropped.
    2. A finding that overlaps a finding of a kind earlier in `KINDS` is dropped: the earlier
       kind explains that span (a whole word of Cyrillic look-alikes is a homoglyph, not an
       untranslated fragment; a quote inside unrepairable mojibake is no quote).

    A repair over bytes of the file that are not UTF-8 is never made: they are written back as
    they were, so such a finding keeps no replacement.
    """
    selection = _selection(rules)
    selected = selection.codes
    if context.encoding != "utf-8":  # the file is one finding until it is converted
        return _suppressed(context, [f for f in _detect(context, _file_plan())
                                     if f.rule in selected])
    found = _detect(context, _repairing_plan())
    if context.invalid_bytes:
        found = [_without_replacement(f) if _overlaps_any(context.invalid_spans, f.start, f.end)
                 else f for f in found]
    reported = _suppressed(context, [f for f in found if f.rule in selected]) if found else []
    edits = [Edit(f.start, f.end, f.replacement, f.rule) for f in found
             if f.replacement is not None and f.safe] if found else []
    later_context = context
    applied: list[Edit] = []
    if edits:
        repaired, applied, _ = apply_edits(context.text, edits)
        later_context = context.derived(repaired, applied)
    rest = selection.plan
    later = _detect(later_context, rest) if rest else []
    if applied:
        kept = {(f.start, f.end, f.rule) for f in reported}
        unreported = [e for e in applied if (e.start, e.end, e.rule) not in kept]
        to_original = OffsetMap(applied, to_fixed=False)  # built once, two bisections a finding
        later = [_on_original(context.text, finding, applied, to_original)
                 for finding in later]
        if unreported:  # a finding that only a repair nobody will make can show is none
            later = [f for f in later if not _edits_touching(unreported, f.start, f.end)]
    if context.source is not None:  # words copied from the source: the translation checks'
        from cleanup.detect.translation import copied_from_source

        later = [f for f in later if not copied_from_source(f, context.source)]
    if reported:
        made = {(e.start, e.end, e.rule) for e in applied}
        unrepaired = _merge([(f.start, f.end) for f in reported
                             if f.end > f.start and (f.start, f.end, f.rule) not in made])
        later = _by_priority(later, unrepaired)
    elif len(later) > 1:
        later = _by_priority(later)
    if context.invalid_bytes:
        later = [_without_replacement(f)
                 if f.replacement is not None
                 and _overlaps_any(context.invalid_spans, f.start, f.end) else f
                 for f in later]
    if reported:
        return reported + _suppressed(context, later)
    return _suppressed(context, later)


def _without_replacement(finding: Finding) -> Finding:
    return Finding(finding.kind, finding.rule, finding.start, finding.end, finding.text,
                   finding.message, None, False, finding.severity, finding.confidence,
                   finding.data)


def _on_original(original: str, finding: Finding, applied: list[Edit],
                 to_original: OffsetMap) -> Finding:
    """A finding on the repaired text, in offsets of ``original`` (rule 1 of `_arbitrate`)."""
    start, end = map_span_to_original(to_original, finding.start, finding.end)
    touched = _edits_touching(applied, start, end)
    if not touched:
        return Finding(finding.kind, finding.rule, start, end, finding.text, finding.message,
                       finding.replacement, finding.safe, finding.severity,
                       finding.confidence, finding.data)
    revealed_by = sorted({e.rule for e in touched})
    data = dict(finding.data, revealed_by=revealed_by, repaired_text=finding.text)
    message = f"{finding.message} (seen once {', '.join(revealed_by)} is repaired)"
    return Finding(finding.kind, finding.rule, start, end, original[start:end], message,
                   None, False, finding.severity, finding.confidence, data)


def _edits_touching(edits: list[Edit], start: int, end: int) -> list[Edit]:
    """The sorted, disjoint ``edits`` that overlap ``[start, end)`` (or contain the point)."""
    index = bisect.bisect_left(edits, start, key=lambda e: e.end)
    touching = []
    for edit in edits[index:]:
        if edit.start >= end and not (edit.start == start == end):
            break
        if edit.start < end and start < edit.end or (start == end and
                                                     edit.start <= start < edit.end):
            touching.append(edit)
    return touching


def _by_priority(findings: list[Finding],
                 taken: list[tuple[int, int]] | None = None) -> list[Finding]:
    """Drop each finding that overlaps a finding of an earlier kind (rule 2 of `_arbitrate`),
    or one of the ``taken`` spans (sorted, merged) of the repairing kinds left unrepaired."""
    taken = taken or []
    kinds = {f.kind for f in findings}
    if len(kinds) < 2 and not taken:
        return findings
    by_kind: dict[str, list[Finding]] = {}
    for finding in findings:
        by_kind.setdefault(finding.kind, []).append(finding)
    kept: list[Finding] = []
    for kind in KINDS:
        group = by_kind.get(kind)
        if not group:
            continue
        survivors = [f for f in group if not _overlaps_any(taken, f.start, f.end)]
        kept.extend(survivors)
        taken = _merge(taken + [(f.start, f.end) for f in survivors if f.end > f.start])
    return kept


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, merged ``spans``."""
    if not spans or end <= start:
        return False
    index = bisect.bisect_right(spans, (start, 1 << 62)) - 1
    for span_start, span_end in spans[max(index, 0):index + 2]:
        if span_start < end and start < span_end:
            return True
    return False


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _sort_key(finding: Finding) -> tuple[int, int, str]:
    return (finding.start, finding.end, finding.rule)


def _suppressed(context: Context, findings: list[Finding]) -> list[Finding]:
    """``findings`` without those the document silences (directives, masked markup) or the
    config drops (confidence floor), with the config's severities."""
    if not findings:
        return findings
    if context.syntax != "plain" or "cleanup:" in context.text:
        from cleanup.suppress import filter_findings

        findings = filter_findings(context.text, findings, context.syntax, context.markup,
                                   context.declared_languages)
    return _apply_config(findings, context.config)


def _apply_config(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """Severity overrides and the confidence floor from the config; output sorted."""
    if not config.severity and config.min_confidence <= 0.0:  # the defaults: nothing to do
        out = list(findings)
        out.sort(key=_sort_key)
        return out
    out = []
    for finding in findings:
        if finding.confidence < config.min_confidence:
            continue
        severity = config.severity.get(finding.rule)
        if severity and severity != finding.severity:
            finding = Finding(finding.kind, finding.rule, finding.start, finding.end,
                              finding.text, finding.message, finding.replacement, finding.safe,
                              severity, finding.confidence, finding.data)
        out.append(finding)
    out.sort(key=_sort_key)
    return out


def _check_context(context: Context, rules: Sequence[Rule]) -> list[Finding]:
    findings = _arbitrate(context, rules)
    if len(findings) > 1:
        findings.sort(key=_sort_key)
    return findings


def check(
    text: str,
    select: Iterable[str] | None = None,
    config: Config | None = None,
    *,
    ignore: Iterable[str] | None = None,
    syntax: str = "plain",
    source: str | None = None,
    source_language: str | None = None,
) -> list[Finding]:
    """Every finding on ``text``, sorted by (start, end, rule).

    ``select`` takes kinds, codes or code prefixes (``{"mojibake"}``, ``{"CU5"}``); None runs
    the config's selection, else the defaults; ``ignore`` leaves some out (added to the
    config's). ``syntax`` (``plain``, ``markdown``, ``html``,
    ``xml``, ``rst``) says whether a single HTML entity is markup. ``source`` is the text that
    ``text`` translates (in ``source_language``): the `translation` checks compare the two.

    >>> import cleanup
    >>> [f.rule for f in cleanup.check("Netanyahu&#8217;s office , he said")]
    ['CU104', 'CU404']
    """
    config = config or default_config()
    if not isinstance(text, str):
        raise TypeError(f"check() takes a str, not {type(text).__name__}")
    context = Context(text, config, syntax, source=source, source_language=source_language)
    return _check_context(context, _rules_for(select, config, ignore))


def check_document(document: Document, config: Config | None = None,
                   select: Iterable[str] | None = None, *,
                   rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Every finding on a file: its text's, its invalid bytes (CU703), or its encoding (CU106).

    A file in another encoding is reported once, as CU106: its text is checked once
    `fix --unsafe-fixes` has converted it. A binary document has no findings. ``rules``, when
    given, replaces the selection (a run over files leaves name variants to its `NameScope`).
    """
    config = config or default_config()
    if document.binary:
        return []
    rules = rules if rules is not None else _rules_for(select, config)
    context = _document_context(document, config)
    segments = _segments(document)
    if segments is None or not document.is_utf8:
        return _check_context(context, rules)
    found = check_segments(document.text, segments, config, rules=rules)
    return _with_file_findings(context, found, rules)


def _segments(document: Document) -> list[Any] | None:
    """The segments of a translation file (gettext, XLIFF, subtitles), else None."""
    from cleanup.formats import READERS

    if PurePath(document.path).suffix.lower() not in READERS:
        return None
    from cleanup.formats.segmented import segments_of

    return segments_of(document.text, document.path)


def _with_file_findings(context: Context, found: list[Finding],
                        rules: Sequence[Rule]) -> list[Finding]:
    """A segmented file's findings with those of its bytes (CU703): a segment finding over an
    invalid byte keeps no replacement, and U+FFFD standing for one is CU703's alone."""
    selected = {rule.code for rule in rules}
    file_findings = [f for f in _detect(context, _file_plan()) if f.rule in selected]
    if context.invalid_bytes:
        spans = context.invalid_spans
        found = [f for f in found if not (f.rule == "CU701" and _inside_any(spans, f.start, f.end))]
        found = [_without_replacement(f) if f.replacement is not None
                 and _overlaps_any(spans, f.start, f.end) else f for f in found]
    return sorted(found + _suppressed(context, file_findings), key=lambda f: f.sort_key)


def _inside_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect.bisect_right(spans, (start, 1 << 62)) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def check_segments(file_text: str, segments: Sequence[Any], config: Config | None = None,
                   select: Iterable[str] | None = None, *,
                   rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Every finding in the segments of a translation file, in offsets of ``file_text``.

    Each segment is checked as `check` checks a text, in the segment's language and with its
    source, so every detector runs and the `translation` checks compare it with its source;
    `cleanup.formats.segmented` moves the findings onto the file.

    >>> from cleanup.formats import read_segments
    >>> po = 'msgid "Save %(name)s"\\nmsgstr "Enregistrer %(nom)s"\\n'
    >>> [(f.rule, f.text) for f in check_segments(po, read_segments(po, "fr.po"))]
    [('CU803', 'Enregistrer %(nom)s'), ('CU803', '%(nom)s')]
    """
    from cleanup.formats.segmented import SegmentConfigs, kept, to_file, with_languages

    config = config or default_config()
    rules = rules if rules is not None else _rules_for(select, config)
    configs = SegmentConfigs(config)
    findings = []
    for segment in with_languages(segments, config):
        context = Context(segment.text, configs(segment.language), segment.syntax,
                          source=segment.source, source_language=segment.source_language)
        findings += [to_file(finding, segment, file_text)
                     for finding in _check_context(context, rules) if kept(finding, segment)]
    # Directives (`cleanup: off` in a comment) are the file's, read on the file's text.
    return sorted(_suppressed(Context(file_text, config), findings), key=lambda f: f.sort_key)


def fix_segments(file_text: str, segments: Sequence[Any], config: Config | None = None,
                 unsafe_fixes: bool = False, select: Iterable[str] | None = None, *,
                 rules: Sequence[Rule] | None = None) -> Fixed:
    """Fix each segment and write the repairs back into the file text, escaped as the format
    writes them; everything outside the segments is copied as it is. A repair that would cross
    file syntax is left out (its finding stays, without a replacement).

    >>> from cleanup.formats import read_segments
    >>> po = 'msgid "Name: "\\nmsgstr "Nom :"\\n'
    >>> print(fix_segments(po, read_segments(po, "fr.po")).text, end="")
    msgid "Name: "
    msgstr "Nom : "
    """
    from cleanup.formats.segmented import (
        SegmentConfigs,
        file_replacement,
        kept,
        to_file,
        with_languages,
    )

    config = config or default_config()
    rules = rules if rules is not None else _rules_for(select, config)
    configs = SegmentConfigs(config)
    unsafe_fixes = unsafe_fixes or config.unsafe_fixes
    edits: list[Edit] = []
    findings: list[Finding] = []
    for segment in with_languages(segments, config):
        context = Context(segment.text, configs(segment.language), segment.syntax,
                          source=segment.source, source_language=segment.source_language)
        fixed = _fix_context(context, rules, unsafe_fixes)
        own = [f for f in fixed.findings if kept(f, segment)]
        findings += [to_file(finding, segment, file_text) for finding in own]
        dropped = {(f.start, f.end) for f in fixed.findings if f not in own}
        for edit in fixed.edits:
            written = file_replacement(segment, edit.start, edit.end, edit.replacement)
            if written is not None and (edit.start, edit.end) not in dropped:
                (start, end), replacement = written
                edits.append(Edit(start, end, replacement, edit.rule))
    text, applied, _ = apply_edits(file_text, edits)
    findings = _suppressed(Context(file_text, config), findings)
    return Fixed(text=text, findings=sorted(findings, key=lambda f: f.sort_key), edits=applied,
                 original=file_text)


def _document_context(document: Document, config: Config) -> Context:
    return Context(document.text, config, document.syntax, encoding=document.encoding,
                   invalid_bytes=document.invalid_bytes())


def _fixable(finding: Finding, unsafe_fixes: bool) -> bool:
    return finding.replacement is not None and (finding.safe or unsafe_fixes)


def fix(
    text: str,
    select: Iterable[str] | None = None,
    config: Config | None = None,
    unsafe_fixes: bool = False,
    *,
    ignore: Iterable[str] | None = None,
    syntax: str = "plain",
    source: str | None = None,
    source_language: str | None = None,
) -> Fixed:
    """Repair what can be repaired: safe fixes, and unsafe ones with ``unsafe_fixes=True``.

    Repeats until nothing fixable remains (repairing mojibake can reveal an entity escaped
    twice) and composes the passes into one sorted edit list in offsets of ``text``.
    ``Fixed.remaining`` holds what is left on the fixed text.

    >>> import cleanup
    >>> cleanup.fix("cafÃ© , bar").text
    'café, bar'
    """
    config = config or default_config()
    context = Context(text, config, syntax, source=source, source_language=source_language)
    return _fix_context(context, _rules_for(select, config, ignore),
                        unsafe_fixes or config.unsafe_fixes)


def _fix_context(context: Context, rules: Sequence[Rule], unsafe_fixes: bool) -> Fixed:
    text = context.text
    findings = _check_context(context, rules)
    # A pass depends on the current text alone, so fix(fix(t).text) == fix(t) holds when the
    # passes stop at a text with nothing fixable left. Repairs that have not settled after
    # MAX_FIX_PASSES (a cycle, or a repair that keeps making more to repair) stop nowhere: then
    # the answer is the input unchanged, the one text that is sure to be its own answer.
    edits: list[Edit] = []
    current, current_findings = context, findings
    for passes in range(MAX_FIX_PASSES + 1):
        proposed = [Edit(f.start, f.end, f.replacement or "", f.rule)
                    for f in current_findings if _fixable(f, unsafe_fixes)
                    and current.text[f.start:f.end] != f.replacement]
        if not proposed:
            return Fixed(text=splice(text, edits), findings=findings, edits=edits,
                         original=text, remaining=current_findings)
        if passes == MAX_FIX_PASSES:
            break
        new_text, applied, _ = apply_edits(current.text, proposed)
        edits = compose(text, edits, applied)
        current = current.derived(new_text, applied)
        current_findings = _check_context(current, rules)
    return Fixed(text=text, findings=findings, edits=[], original=text, remaining=findings)


@dataclass(frozen=True)
class DocumentFix:
    """What fixing a file gives: its new bytes, the edits made, and what remains in them.

    ``remaining`` is located in ``fixed_document`` (the new bytes decoded), which is the file
    as it will be once written.
    """

    document: Document
    data: bytes
    fixed: Fixed | None
    remaining: list[Finding]
    converted: bool

    @property
    def changed(self) -> bool:
        return self.data != self.document.data

    @property
    def applied(self) -> list[Edit]:
        return self.fixed.edits if self.fixed is not None else []

    @property
    def fixed_document(self) -> Document:
        if not self.changed:
            return self.document
        from cleanup.files import decode_document

        return decode_document(self.data, self.document.path, assume_utf8=True)


def fix_document(document: Document, config: Config | None = None,
                 unsafe_fixes: bool = False) -> DocumentFix:
    """Fix a file: apply the engine's edits to its text and write every other byte back as is.

    Bytes that are not UTF-8 are kept (no repair is made over one). A file in another
    encoding is converted to UTF-8 only with ``unsafe_fixes``, then fixed.
    """
    config = config or default_config()
    unsafe_fixes = unsafe_fixes or config.unsafe_fixes
    rules = _rules_for(None, config)
    if document.binary:
        return DocumentFix(document, document.data, None, [], False)
    converted = False
    if not document.is_utf8:
        if not unsafe_fixes:
            return DocumentFix(document, document.data, None,
                               check_document(document, config), False)
        converted = True
        document = Document(document.path, document.data, document.text, document.text,
                            syntax=document.syntax)
    segments = _segments(document)
    if segments is None:
        fixed = _fix_context(_document_context(document, config), rules, unsafe_fixes)
        data = document.encode(fixed.edits)
        return DocumentFix(document, data, fixed, fixed.remaining, converted)
    fixed = fix_segments(document.text, segments, config, unsafe_fixes, rules=rules)
    if document.invalid_runs:  # invalid bytes are written back as they were
        fixed = Fixed(fixed.text, fixed.findings, [
            e for e in fixed.edits if not document.touches_invalid_bytes(e.start, e.end)],
            document.text)
    data = document.encode(fixed.edits)
    # A translation file's segments move when it changes: the fixed file is read again.
    from cleanup.files import decode_document

    remaining = check_document(decode_document(data, document.path, assume_utf8=True), config,
                               rules=rules) if data != document.data else \
        _with_file_findings(_document_context(document, config), fixed.findings, rules)
    return DocumentFix(document, data, fixed, remaining, converted)


def check_corpus(
    texts: Iterable[str],
    select: Iterable[str] | None = None,
    config: Config | None = None,
    *,
    ignore: Iterable[str] | None = None,
) -> list[list[Finding]]:
    """Findings per text, in order, plus the findings that need the whole corpus to see.

    Reads ``texts`` once and keeps findings and name statistics, never the texts, so a
    generator of millions of documents works in bounded memory.

    >>> import cleanup
    >>> [len(found) for found in cleanup.check_corpus(["fine text", "bad , text"])]
    [0, 1]
    """
    config = config or default_config()
    rules = _rules_for(select, config, ignore)
    scope = NameScope(config) if wants_names(rules) else None
    own_rules = without_names(rules) if scope is not None else rules
    per_text: list[list[Finding]] = []
    for index, text in enumerate(texts):
        per_text.append(_check_context(Context(text, config), own_rules))
        if scope is not None:
            scope.add(index, text)
    if scope is None:
        return per_text
    return [scope.merge(index, found, config, rules) for index, found in enumerate(per_text)]


def wants_names(rules: Sequence[Rule]) -> bool:
    """Whether ``rules`` include name variants, the one kind a corpus scope changes."""
    return any(rule.kind == "name_variant" for rule in rules)


def without_names(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """``rules`` but name variants: what each text of a corpus is checked for on its own."""
    return _without_names(rules)


@lru_cache(maxsize=64)
def _without_names(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(rule for rule in rules if rule.kind != "name_variant")


class NameScope:
    """Name variants across many texts, in the two passes every corpus path makes.

    Pass one feeds each text (`add`), or the mentions `observe_names` found in it anywhere
    else (`add_observed`: a worker process, a Ray task), under a key of the caller's; only
    name statistics are kept, never texts. Pass two (`merge`) gives each text's findings with
    the scope's name findings in place of its own: the canonical spelling is the scope's.
    Texts of a scope are checked without the per-text name detector (`without_names`), whose
    findings would be replaced. `check_corpus`, runs over files (`cleanup.run`) and corpus runs
    (`cleanup.corpus`) all use this.

    >>> scope = NameScope(Config())
    >>> for key, text in enumerate(["Ismail Haniyeh said", "Ismail Haniyeh said",
    ...                             "Ismail Haniya said"]):
    ...     scope.add(key, text)
    >>> [(f.text, f.replacement) for f in scope.findings_of(2)]
    [('Ismail Haniya', 'Ismail Haniyeh')]
    """

    def __init__(self, config: Config) -> None:
        from cleanup.detect.names import CorpusNames

        self.index = CorpusNames(config)
        self._found: dict[int, list[Finding]] | None = None

    def add(self, key: int, text: str) -> None:
        self.index.add(key, text)

    def add_observed(self, key: int, observed: Sequence[Any]) -> None:
        self.index.add_observed(key, observed)

    def findings(self) -> dict[int, list[Finding]]:
        """Every text's name findings, by key (computed once, after the first pass)."""
        if self._found is None:
            self._found = {}
            for key, finding in self.index.findings():
                self._found.setdefault(key, []).append(finding)
        return self._found

    def findings_of(self, key: int) -> list[Finding]:
        return self.findings().get(key, [])

    def merge(self, key: int, found: list[Finding], config: Config,
              rules: Sequence[Rule]) -> list[Finding]:
        """The text's own findings with the scope's name findings of it, as ``config`` wants."""
        return with_corpus_findings(found, self.findings_of(key), rules, config)


def with_corpus_findings(found: list[Finding], corpus: Iterable[Finding],
                         rules: Sequence[Rule], config: Config) -> list[Finding]:
    """A text's findings once the scope's name findings of that text are known.

    The scope's name groups supersede the text's own: the canonical spelling is the
    corpus's, and a text's own majority must not contradict it.
    """
    codes = {rule.code for rule in rules}
    merged = [f for f in found if f.kind != "name_variant"]
    for finding in corpus:
        if finding.rule in codes and not any(
            f.kind == finding.kind and f.start == finding.start for f in merged
        ):
            merged.append(finding)
    return _apply_config(merged, config)


def annotate_batch(
    batch: Mapping[str, Sequence[Any]],
    field: str = "text",
    *,
    select: Iterable[str] | None = None,
    config: Config | None = None,
    fix: bool = False,
    output_field: str = "cleanup",
    corpus_findings: Sequence[Iterable[Finding]] | None = None,
    source_field: str | None = None,
) -> dict[str, list[Any]]:
    """Annotate a batch given as a dict of columns; return the columns plus ``output_field``.

    Usable as is with ``datasets.Dataset.map(annotate_batch, batched=True)`` and Ray Data's
    ``map_batches``. Each row gains ``{"findings": [...]}`` (and ``"fixed"`` with ``fix=True``);
    a row whose field is missing or not a string gains ``{"findings": [], "error": ...}``.
    ``corpus_findings`` (one list per row, from a `NameScope` over the whole corpus) replaces
    each row's own name findings as `check_corpus` does. ``source_field`` names a column of
    source texts that the field's texts translate (a parallel corpus): the `translation`
    checks compare each row with its source.

    >>> import cleanup
    >>> out = cleanup.annotate_batch({"text": ["ok", "bad , text"], "id": [1, 2]})
    >>> [len(row["findings"]) for row in out["cleanup"]]
    [0, 1]
    """
    columns = {name: list(values) for name, values in batch.items()}
    for name in (field, source_field):
        if name is not None and name not in columns:
            raise KeyError(f"the batch has no column {name!r} (columns: {', '.join(columns)})")
    annotations: list[dict[str, Any]] = []
    config = config or default_config()
    rules = _rules_for(select, config)
    corpus = corpus_findings if corpus_findings is not None else [()] * len(columns[field])
    own_rules = without_names(rules) if corpus_findings is not None else rules
    unsafe_fixes = config.unsafe_fixes
    sources = columns[source_field] if source_field is not None else [None] * len(corpus)
    for value, extra, source in zip(columns[field], corpus, sources, strict=True):
        if not isinstance(value, str):
            annotations.append({"findings": [], "error": f"{field} is not a string"})
            continue
        context = Context(value, config, source=source if isinstance(source, str) else None)
        fixed = _fix_context(context, own_rules, unsafe_fixes) if fix else None
        found = fixed.findings if fixed else _check_context(context, own_rules)
        if corpus_findings is not None:
            found = with_corpus_findings(found, extra, rules, config)
        annotation: dict[str, Any] = {"findings": [f.to_dict() for f in found]}
        if fixed:
            annotation["fixed"] = fixed.text
        annotations.append(annotation)
    columns[output_field] = annotations
    return columns


__all__ = ["RULES", "SEVERITIES", "annotate_batch", "check", "check_corpus", "fix"]
