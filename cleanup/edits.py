"""The one place that applies edits to text and keeps the offset map between versions.

Detectors only propose edits (a finding's ``replacement``). Here they are sorted, overlaps are
refused deterministically (the higher-priority rule wins, ties go to the earlier, shorter edit)
and applied in one pass. `compose` folds a later pass's edits into the edits of earlier passes,
so that `cleanup.fix` can repeat until nothing is left and still report one edit list in offsets
of the original text.

Every step is a sort, a bisection or one sweep, never a comparison of every pair of edits: a
text can carry hundreds of thousands of them (a zero-width space after every letter).

Two edits *clash* when they share a character, or when one is an insertion at the point where
the other starts: the order of two insertions at one point, or of an insertion and the text that
replaces what follows it, means nothing, so neither is applied together. Edits that merely
touch (one ends where the other starts) are fine.

>>> from cleanup.findings import Edit
>>> apply_edits("a ,b", [Edit(1, 2, "", "CU404")])
('a,b', [Edit(start=1, end=2, replacement='', rule='CU404')], [])
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from itertools import groupby, pairwise

from cleanup.findings import Edit
from cleanup.rules import RULES


def _priority(edit: Edit) -> tuple[int, int, int, str, str]:
    """Kind first, then the earlier, shorter edit; rule and replacement only break ties, so the
    choice never depends on the order edits came in (a set's order changes between runs)."""
    rule = RULES.get(edit.rule)
    return (rule.priority if rule else len(RULES), edit.start, edit.end - edit.start, edit.rule,
            edit.replacement)


def clash(first: Edit, second: Edit) -> bool:
    """Whether two edits, ``first`` not after ``second`` in sorted order, cannot both apply.

    Sorted edits are disjoint exactly when no two neighbours clash, so checking neighbours is
    enough: that is what lets `resolve_overlaps` bisect instead of comparing every pair.

    >>> clash(Edit(0, 2, "", "CU404"), Edit(2, 3, "", "CU404"))  # touching is fine
    False
    >>> clash(Edit(2, 2, "x", "CU404"), Edit(2, 3, "", "CU404"))  # insert where text is replaced
    True
    """
    return second.start < first.end or first.start == first.end == second.start


def is_disjoint(edits: Sequence[Edit]) -> bool:
    """Whether ``edits`` are sorted and no two clash: what a `Fixed` promises its readers.

    >>> is_disjoint([Edit(0, 1, "", "CU501"), Edit(0, 2, "", "CU501")])
    False
    """
    return all(a <= b and not clash(a, b) for a, b in pairwise(edits))


def resolve_overlaps(edits: Iterable[Edit]) -> tuple[list[Edit], list[Edit]]:
    """Split edits into (kept, refused): kept ones are sorted and pairwise disjoint.

    Greedy in priority order: an edit is kept unless it clashes with one kept before it. The
    kinds are few, so the edits go kind by kind; within a kind they come in order of their
    start, so only the last one kept of that kind can clash, and the kept edits of earlier kinds
    (one sorted list) are bisected for the two neighbours.

    >>> kept, refused = resolve_overlaps([Edit(0, 3, "é", "CU101"), Edit(1, 2, "", "CU501")])
    >>> kept, [e.rule for e in refused]
    ([Edit(start=0, end=3, replacement='é', rule='CU101')], ['CU501'])
    """
    ordered = sorted(edits, key=_span)
    if not any(map(clash, ordered, ordered[1:])):  # the usual case: nothing to refuse
        return ordered, []
    kept: list[Edit] = []
    kept_spans: list[tuple[int, int]] = []  # (start, end) of each kept edit, for bisection
    refused: list[Edit] = []
    # Equal edits have equal keys, end up next to each other and count once (not set(): its
    # order changes between runs, and a sort of what is nearly in order is one linear pass).
    ranked = sorted((_priority(edit), edit) for edit in ordered)
    for _, group in groupby(ranked, key=lambda item: item[0][0]):
        added: list[Edit] = []
        previous = None
        for key, edit in group:
            if key == previous:
                continue
            previous = key
            index = bisect.bisect_left(kept_spans, (edit.start, edit.end))
            if ((added and clash(added[-1], edit))
                    or (index > 0 and clash(kept[index - 1], edit))
                    or (index < len(kept) and clash(edit, kept[index]))):
                refused.append(edit)
            else:
                added.append(edit)
        kept = sorted(kept + added, key=_span) if kept else added  # two sorted runs: one merge
        kept_spans = [_span(edit) for edit in kept]
    refused.sort()
    return kept, refused


def _span(edit: Edit) -> tuple[int, int]:
    return edit.start, edit.end


def splice(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with sorted, disjoint ``edits`` applied in one pass.

    >>> splice("a ,b", [Edit(1, 2, "", "CU404")])
    'a,b'
    """
    pieces: list[str] = []
    position = 0
    for edit in edits:
        pieces.append(text[position:edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, list[Edit], list[Edit]]:
    """Apply the edits that do not overlap; return (new text, applied, refused)."""
    kept, refused = resolve_overlaps(edits)
    return splice(text, kept), kept, refused


def compose(original: str, earlier: list[Edit], later: list[Edit]) -> list[Edit]:
    """Fold ``later`` (offsets of the text ``earlier`` produced) into ``earlier``.

    The result is in offsets of ``original``, sorted and disjoint, and applying it to
    ``original`` gives what applying ``earlier`` then ``later`` gives. A later edit that touches
    what an earlier edit wrote (overlaps its output, lies strictly around a deletion, or would
    clash with it once mapped back) merges with it into one edit over the union of their
    original spans, keeping the earlier rule; the other later edits map through unchanged text.
    An edit that ends up restoring the original text is dropped.

    >>> e1 = [Edit(0, 2, "é", "CU101")]
    >>> compose("Ã©t , x", e1, [Edit(2, 3, "", "CU404")])
    [Edit(start=0, end=2, replacement='é', rule='CU101'), Edit(start=3, end=4, replacement='', rule='CU404')]
    >>> compose("a&amp;amp;b", [Edit(1, 10, "&amp;", "CU105")], [Edit(1, 6, "&", "CU104")])
    [Edit(start=1, end=10, replacement='&', rule='CU105')]

    A deletion strictly inside a later edit is absorbed by it, so no text is written twice:

    >>> compose("Gaz\\u00adа", [Edit(3, 4, "", "CU502")], [Edit(0, 4, "Gaza", "CU601")])
    [Edit(start=0, end=5, replacement='Gaza', rule='CU502')]
    """
    if not later:
        return list(earlier)
    if not earlier:
        return [edit for edit in later if original[edit.start:edit.end] != edit.replacement]
    current = splice(original, earlier)
    # Where each earlier edit's output lies in the current text: [outputs_start, outputs_end).
    output_starts: list[int] = []
    output_ends: list[int] = []
    shift = 0
    for edit in earlier:
        output_starts.append(edit.start + shift)
        shift += len(edit.replacement) - (edit.end - edit.start)
        output_ends.append(edit.start + shift + (edit.end - edit.start))

    def touched(edit: Edit) -> range:
        """The earlier edits ``edit`` must merge with: a contiguous run of their indices."""
        first = bisect.bisect_left(output_ends, edit.start)
        if edit.start == edit.end:  # an insertion: inside or at either end of an output
            last = bisect.bisect_right(output_starts, edit.start, lo=first)
            return range(first, last)
        # Skip outputs ending where the edit starts, except those of insertions in the original
        # (mapped back, the edit would start where they insert: a clash).
        while (first < len(earlier) and output_ends[first] == edit.start
               and earlier[first].start != earlier[first].end):
            first += 1
        last = bisect.bisect_left(output_starts, edit.end, lo=first)
        return range(first, max(first, last))

    result: list[Edit] = []
    emitted = 0  # earlier edits before this index are in ``result`` or merged

    def emit_earlier(until: int) -> None:
        nonlocal emitted
        result.extend(earlier[emitted:until])
        emitted = max(emitted, until)

    def emit(start: int, end: int, group: list[Edit], rule: str, current_start: int,
             current_end: int) -> None:
        replacement = splice(current[current_start:current_end], [
            Edit(e.start - current_start, e.end - current_start, e.replacement, e.rule)
            for e in group])
        if original[start:end] != replacement:
            result.append(Edit(start, end, replacement, rule))

    index = 0
    while index < len(later):
        group = [later[index]]
        span = touched(later[index])
        index += 1
        if not span:  # maps through unchanged text
            edit = group[0]
            before = bisect.bisect_right(output_ends, edit.start) - 1
            start = edit.start if before < 0 else \
                earlier[before].end + edit.start - output_ends[before]
            emit_earlier(before + 1)
            emit(start, start + edit.end - edit.start, group, edit.rule, edit.start, edit.end)
            continue
        first, last = span.start, span.stop - 1
        while index < len(later):  # later edits that share an earlier edit join the group
            more = touched(later[index])
            if not more or more.start > last:
                break
            group.append(later[index])
            last = max(last, more.stop - 1)
            index += 1
        current_start = min(group[0].start, output_starts[first])
        current_end = max(group[-1].end, output_ends[last])
        start = earlier[first].start - (output_starts[first] - current_start)
        end = earlier[last].end + (current_end - output_ends[last])
        emit_earlier(first)
        emit(start, end, group, earlier[first].rule, current_start, current_end)
        emitted = last + 1
    emit_earlier(len(earlier))
    return result
