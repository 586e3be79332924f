"""check, fix, check_corpus and annotate_batch: the library's four verbs over strings.

Data flows one way: text -> detectors -> findings -> edits -> fixed text. Everything here is pure:
no global state, no I/O, the same findings in the same order for the same input and config.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from cleanup.config import Config, default_config
from cleanup.detect import Context, Detector, load_detector
from cleanup.edits import apply_edits, compose
from cleanup.findings import Edit, Finding, Fixed, map_span_to_original
from cleanup.rules import KINDS, RULES, SEVERITIES, Rule, select_rules

#: fix stops after this many passes even if a repair keeps revealing more (it never should).
MAX_FIX_PASSES = 5

#: Kinds whose repair can reveal damage of another kind in the repaired span: decoding mojibake
#: can turn garbage into a Russian fragment or a homoglyph.
REVEALING_KINDS = frozenset({"mojibake"})


def _rules_for(select: Iterable[str] | None, config: Config) -> tuple[Rule, ...]:
    if select is None and config.select is not None:
        select = config.select
    if isinstance(select, str):
        select = [select]
    return _selected_rules(None if select is None else frozenset(select), config.ignore)


@lru_cache(maxsize=256)
def _selected_rules(select: frozenset[str] | None, ignore: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules of a selection, resolved once per distinct selection (not once per text)."""
    return tuple(select_rules(select, ignore))


_Plan = tuple[tuple[Detector, frozenset[str]], ...]

#: id of a selection's rule tuple (kept alive by `_selected_rules`) -> (that tuple, its plan):
#: hashing two dozen rules on every check would cost more than the lookup saves.
_PLANS: dict[int, tuple[Sequence[Rule], _Plan]] = {}


def _plan(rules: Sequence[Rule]) -> _Plan:
    """The detectors to run for ``rules``, in kind order, each with the codes it may report."""
    known = _PLANS.get(id(rules))
    if known is not None and known[0] is rules:
        return known[1]
    codes = frozenset(rule.code for rule in rules)
    kinds = {rule.kind for rule in rules}
    plan = tuple((load_detector(kind), codes) for kind in KINDS if kind in kinds)
    if isinstance(rules, tuple) and len(_PLANS) < 1024:
        _PLANS[id(rules)] = (rules, plan)
    return plan


def _detect(context: Context, rules: Sequence[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    for detector, codes in _plan(rules):
        findings.extend(f for f in detector(context.text, context) if f.rule in codes)
    return findings


def _revealed(text: str, findings: list[Finding], context: Context,
              rules: Sequence[Rule]) -> list[Finding]:
    """Findings that only show once a repair is made, mapped back onto the damaged span.

    Mojibake that decodes to Russian inside English text is also a foreign fragment: run the
    other detectors on the repaired text and keep what lies in repaired spans, with the facts
    (language, gloss) of the repaired text and the offsets of the original.
    """
    edits = [Edit(f.start, f.end, f.replacement, f.rule) for f in findings
             if f.kind in REVEALING_KINDS and f.replacement is not None]
    if not edits:
        return []
    repaired, applied, _ = apply_edits(text, edits)
    others = [rule for rule in rules if rule.kind not in REVEALING_KINDS]
    repaired_context = Context(repaired, context.config, context.syntax)
    # The repaired text keeps the document's script and language: a short repaired fragment
    # must not flip what the document is.
    repaired_context.__dict__["script"] = context.script
    if "language" in context.__dict__ or context.config.language:
        repaired_context.__dict__["language"] = context.language
    revealed: list[Finding] = []
    seen = {(f.kind, f.start, f.end) for f in findings}
    for finding in _detect(repaired_context, others):
        start, end = map_span_to_original(applied, finding.start, finding.end)
        inside_repair = any(e.start < end and start < e.end for e in applied)
        if not inside_repair or (finding.kind, start, end) in seen:
            continue
        if any(f.kind == finding.kind and f.start < end and start < f.end for f in findings):
            continue
        revealed_by = sorted({e.rule for e in applied if e.start < end and start < e.end})
        data = dict(finding.data, revealed_by=revealed_by, repaired_text=finding.text)
        message = f"{finding.message} (seen once {', '.join(revealed_by)} is repaired)"
        revealed.append(Finding(finding.kind, finding.rule, start, end, text[start:end], message,
                                None, False, finding.severity, finding.confidence, data))
    return revealed


def _apply_config(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """Severity overrides and the confidence floor from the config; output sorted."""
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
    out.sort(key=lambda f: f.sort_key)
    return out


def check(
    text: str,
    select: Iterable[str] | None = None,
    config: Config | None = None,
    *,
    syntax: str = "plain",
    source: str | None = None,
    source_language: str | None = None,
) -> list[Finding]:
    """Every finding on ``text``, sorted by (start, end, rule).

    ``select`` takes kinds, codes or code prefixes (``{"mojibake"}``, ``{"CU5"}``); None runs
    the config's selection, else the defaults. ``syntax`` (``plain``, ``markdown``, ``html``,
    ``xml``, ``rst``) says whether a single HTML entity is markup. ``source`` is the text that
    ``text`` translates (in ``source_language``): the `translation` checks compare the two.

    >>> import cleanup
    >>> [f.rule for f in cleanup.check("Netanyahu&#8217;s office , he said")]
    ['CU104', 'CU404']
    """
    config = config or default_config()
    if not isinstance(text, str):
        raise TypeError(f"check() takes a str, not {type(text).__name__}")
    rules = _rules_for(select, config)
    context = Context(text, config, syntax, source, source_language)
    findings = _detect(context, rules)
    findings += _revealed(text, findings, context, rules)
    if source is not None:  # words copied from the source are the translation checks' business
        from cleanup.detect.translation import copied_from_source

        findings = [f for f in findings if not copied_from_source(f, source)]
    from cleanup.suppress import filter_findings  # inline directives and markup masking

    findings = filter_findings(text, findings, syntax)
    return _apply_config(findings, config)


def _fixable(finding: Finding, unsafe_fixes: bool) -> bool:
    return finding.replacement is not None and (finding.safe or unsafe_fixes)


def fix(
    text: str,
    select: Iterable[str] | None = None,
    config: Config | None = None,
    unsafe_fixes: bool = False,
    *,
    syntax: str = "plain",
    source: str | None = None,
    source_language: str | None = None,
) -> Fixed:
    """Repair what can be repaired: safe fixes, and unsafe ones with ``unsafe_fixes=True``.

    Repeats until nothing fixable remains (repairing mojibake can reveal an entity escaped
    twice) and composes the passes into one sorted edit list in offsets of ``text``.

    >>> import cleanup
    >>> cleanup.fix("cafÃ© , bar").text
    'café, bar'
    """
    config = config or default_config()
    unsafe_fixes = unsafe_fixes or config.unsafe_fixes
    translates = {"source": source, "source_language": source_language}
    findings = check(text, select, config, syntax=syntax, **translates)
    edits: list[Edit] = []
    current, current_findings = text, findings
    for _ in range(MAX_FIX_PASSES):
        proposed = [Edit(f.start, f.end, f.replacement or "", f.rule)
                    for f in current_findings if _fixable(f, unsafe_fixes)]
        if not proposed:
            break
        current, applied, _ = apply_edits(current, proposed)
        edits = compose(text, edits, applied)
        current_findings = check(current, select, config, syntax=syntax, **translates)
    return Fixed(text=apply_edits(text, edits)[0], findings=findings, edits=edits, original=text)


def check_corpus(
    texts: Iterable[str],
    select: Iterable[str] | None = None,
    config: Config | None = None,
) -> list[list[Finding]]:
    """Findings per text, in order, plus the findings that need the whole corpus to see.

    Reads ``texts`` once and keeps findings and name statistics, never the texts, so a
    generator of millions of documents works in bounded memory.

    >>> import cleanup
    >>> [len(found) for found in cleanup.check_corpus(["fine text", "bad , text"])]
    [0, 1]
    """
    config = config or default_config()
    rules = _rules_for(select, config)
    corpus_names = None
    if any(rule.kind == "name_variant" for rule in rules):
        from cleanup.detect.names import CorpusNames

        corpus_names = CorpusNames(config)
    per_text: list[list[Finding]] = []
    for index, text in enumerate(texts):
        per_text.append(check(text, select, config))
        if corpus_names is not None:
            corpus_names.add(index, text)
    if corpus_names is not None:
        corpus: list[list[Finding]] = [[] for _ in per_text]
        for index, finding in corpus_names.findings():
            corpus[index].append(finding)
        per_text = [with_corpus_findings(found, extra, rules, config)
                    for found, extra in zip(per_text, corpus, strict=True)]
    return per_text


def with_corpus_findings(found: list[Finding], corpus: Iterable[Finding],
                         rules: Sequence[Rule], config: Config) -> list[Finding]:
    """A text's findings once the corpus-wide name findings of that text are known.

    The corpus's name groups supersede each text's own: the canonical spelling is the
    corpus's, and a text's own majority must not contradict it. `check_corpus` and corpus runs
    (`annotate_batch` with ``corpus_findings``) both merge through here.
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
    ``corpus_findings`` (one list per row, from a first pass of `CorpusNames` over the whole
    corpus) replaces each row's own name findings as `check_corpus` does. ``source_field``
    names a column of source texts that the field's texts translate (a parallel corpus): the
    `translation` checks compare each row with its source.

    >>> import cleanup
    >>> out = cleanup.annotate_batch({"text": ["ok", "bad , text"], "id": [1, 2]})
    >>> [len(row["findings"]) for row in out["cleanup"]]
    [0, 1]
    """
    fix_text = globals()["fix"]
    columns = {name: list(values) for name, values in batch.items()}
    for name in (field, source_field):
        if name is not None and name not in columns:
            raise KeyError(f"the batch has no column {name!r} (columns: {', '.join(columns)})")
    annotations: list[dict[str, Any]] = []
    corpus = corpus_findings if corpus_findings is not None else [()] * len(columns[field])
    rules = _rules_for(select, config or default_config()) if corpus_findings is not None else []
    sources = columns[source_field] if source_field is not None else [None] * len(corpus)
    for value, extra, source in zip(columns[field], corpus, sources, strict=True):
        if not isinstance(value, str):
            annotations.append({"findings": [], "error": f"{field} is not a string"})
            continue
        source = source if isinstance(source, str) else None
        fixed = fix_text(value, select, config, source=source) if fix else None
        found = fixed.findings if fixed else check(value, select, config, source=source)
        if corpus_findings is not None:
            found = with_corpus_findings(found, extra, rules, config or default_config())
        annotation: dict[str, Any] = {"findings": [f.to_dict() for f in found]}
        if fixed:
            annotation["fixed"] = fixed.text
        annotations.append(annotation)
    columns[output_field] = annotations
    return columns


__all__ = ["RULES", "SEVERITIES", "annotate_batch", "check", "check_corpus", "fix"]
