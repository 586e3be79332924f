"""The one place that applies edits to text and keeps the offset map between versions.

Detectors only propose edits (a finding's ``replacement``). Here they are sorted, overlaps are
refused deterministically (the higher-priority rule wins, ties go to the earlier, shorter edit)
and applied in one pass. `compose` folds a later pass's edits into the edits of earlier passes,
so that `cleanup.fix` can repeat until nothing is left and still report one edit list in offsets
of the original text.

>>> from cleanup.findings import Edit
>>> apply_edits("a ,b", [Edit(1, 2, "", "CU404")])
('a,b', [Edit(start=1, end=2, replacement='', rule='CU404')], [])
"""

from __future__ import annotations

from collections.abc import Iterable

from cleanup.findings import Edit
from cleanup.rules import RULES


def _priority(edit: Edit) -> tuple[int, int, int, str]:
    rule = RULES.get(edit.rule)
    return (rule.priority if rule else len(RULES), edit.start, edit.end - edit.start, edit.rule)


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions clash only at the same point
        return a.start == b.start or (a.start < b.start < a.end) or (b.start < a.start < b.end)
    return a.start < b.end and b.start < a.end


def resolve_overlaps(edits: Iterable[Edit]) -> tuple[list[Edit], list[Edit]]:
    """Split edits into (kept, refused): kept ones are sorted and pairwise disjoint."""
    kept: list[Edit] = []
    refused: list[Edit] = []
    for edit in sorted(set(edits), key=_priority):
        if any(_overlaps(edit, other) for other in kept):
            refused.append(edit)
        else:
            kept.append(edit)
    kept.sort()
    refused.sort()
    return kept, refused


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, list[Edit], list[Edit]]:
    """Apply the edits that do not overlap; return (new text, applied, refused)."""
    kept, refused = resolve_overlaps(edits)
    pieces: list[str] = []
    position = 0
    for edit in kept:
        pieces.append(text[position:edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), kept, refused


def compose(original: str, earlier: list[Edit], later: list[Edit]) -> list[Edit]:
    """Fold ``later`` (offsets of the text ``earlier`` produced) into ``earlier``.

    The result is in offsets of ``original``. A later edit that overlaps text an earlier edit
    produced merges with it into one edit over the union of their original spans, keeping the
    earlier rule, so the composed list stays sorted and disjoint.

    >>> e1 = [Edit(0, 2, "é", "CU101")]
    >>> compose("Ã©t , x", e1, [Edit(2, 3, "", "CU404")])
    [Edit(start=0, end=2, replacement='é', rule='CU101'), Edit(start=3, end=4, replacement='', rule='CU404')]
    >>> compose("a&amp;amp;b", [Edit(1, 10, "&amp;", "CU105")], [Edit(1, 6, "&", "CU104")])
    [Edit(start=1, end=10, replacement='&', rule='CU105')]
    """
    if not later:
        return list(earlier)
    current = apply_edits(original, earlier)[0]
    # The current text as alternating unchanged runs and edit outputs (runs may be empty):
    # (current start, current end, original start, original end, earlier edit or None).
    pieces: list[tuple[int, int, int, int, Edit | None]] = []
    cur = orig = 0
    for edit in earlier:
        run = edit.start - orig
        pieces.append((cur, cur + run, orig, edit.start, None))
        cur += run
        pieces.append((cur, cur + len(edit.replacement), edit.start, edit.end, edit))
        cur += len(edit.replacement)
        orig = edit.end
    pieces.append((cur, len(current), orig, len(original), None))

    def unchanged_to_original(index: int, prefer_later_run: bool) -> int:
        runs = [p for p in pieces if p[4] is None and p[0] <= index <= p[1]]
        run = runs[-1] if prefer_later_run else runs[0]
        return run[2] + index - run[0]

    def touched(edit: Edit) -> list[int]:
        """Indices of earlier-edit pieces whose output the later edit overlaps."""
        found = []
        for number, (a, b, _, _, source) in enumerate(pieces):
            if source is None or a == b:
                continue
            if (edit.start < b and a < edit.end) or (edit.start == edit.end and a < edit.start < b):
                found.append(number)
        return found

    merged: dict[int, list[Edit]] = {}  # first touched piece -> later edits merged into it
    extent: dict[int, int] = {}  # first touched piece -> last touched piece
    result: list[Edit] = []
    for edit in sorted(later):
        hits = touched(edit)
        if not hits:
            result.append(Edit(unchanged_to_original(edit.start, True),
                               unchanged_to_original(edit.end, False), edit.replacement, edit.rule))
            continue
        first = next((key for key, last in extent.items() if key <= hits[0] <= last), hits[0])
        merged.setdefault(first, []).append(edit)
        extent[first] = max(extent.get(first, first), hits[-1])
    used: set[int] = set()
    for first, edits in merged.items():
        last = extent[first]
        group = [p for p in pieces[first:last + 1] if p[4] is not None]
        used.update(id(p[4]) for p in group)
        cur_start = min(pieces[first][0], edits[0].start)
        cur_end = max(pieces[last][1], max(e.end for e in edits))
        orig_start = pieces[first][2] if cur_start == pieces[first][0] else \
            unchanged_to_original(cur_start, True)
        orig_end = pieces[last][3] if cur_end == pieces[last][1] else \
            unchanged_to_original(cur_end, False)
        rewritten = apply_edits(
            current[cur_start:cur_end],
            [Edit(e.start - cur_start, e.end - cur_start, e.replacement, e.rule) for e in edits],
        )[0]
        result.append(Edit(orig_start, orig_end, rewritten, group[0][4].rule))  # type: ignore[union-attr]
    result.extend(edit for edit in earlier if id(edit) not in used)
    result.sort()
    return [edit for edit in result if original[edit.start:edit.end] != edit.replacement]
