"""The edit algebra against its definition: compose, resolve_overlaps and the offset maps.

Edits are generated at random over a small alphabet (so that replacements often equal what they
replace, and insertions, deletions and touching edits are common) and checked against what
applying them one pass after the other gives, or against a per-offset walk of the edits.
"""

from __future__ import annotations

import itertools

from conftest import count_example
from hypothesis import given
from hypothesis import strategies as st

from cleanup.edits import apply_edits, clash, compose, is_disjoint, resolve_overlaps, splice
from cleanup.findings import Edit, OffsetMap, map_span_to_original

RULES = ["CU101", "CU404", "CU502", "CU601", "CU999"]  # CU999 has no rule: lowest priority
short_text = st.text(alphabet="abc", max_size=12)


@st.composite
def edits_on(draw: st.DrawFn, text: str, max_edits: int = 6) -> list[Edit]:
    """Disjoint edits on ``text``, as resolve_overlaps keeps them from random proposals."""
    proposals = []
    for _ in range(draw(st.integers(0, max_edits))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 4)))
        proposals.append(Edit(start, end, draw(st.text(alphabet="abc", max_size=3)),
                              draw(st.sampled_from(RULES))))
    return resolve_overlaps(proposals)[0]


@st.composite
def two_passes(draw: st.DrawFn) -> tuple[str, list[Edit], list[Edit]]:
    original = draw(short_text)
    earlier = [e for e in draw(edits_on(original)) if original[e.start:e.end] != e.replacement]
    later = draw(edits_on(splice(original, earlier)))
    return original, earlier, later


def overlaps_by_definition(a: Edit, b: Edit) -> bool:
    """Two edits share a character, or one inserts where the other starts."""
    if a.start == a.end or b.start == b.end:
        return a.start == b.start or a.start < b.start < a.end or b.start < a.start < b.end
    return a.start < b.end and b.start < a.end


@given(two_passes())
def test_compose_equals_applying_the_passes_one_after_the_other(case) -> None:
    count_example()
    original, earlier, later = case
    composed = compose(original, earlier, later)
    assert is_disjoint(composed)
    assert all(0 <= e.start <= e.end <= len(original) for e in composed)
    assert splice(original, composed) == splice(splice(original, earlier), later)
    assert all(original[e.start:e.end] != e.replacement for e in composed)


@given(two_passes())
def test_compose_keeps_earlier_edits_no_later_edit_touches(case) -> None:
    count_example()
    original, earlier, later = case
    composed = compose(original, earlier, later)
    if not later:
        assert composed == earlier
    # An earlier edit far (two characters or more) from every later edit survives as it was.
    current_starts = list(itertools.accumulate(
        [0] + [len(e.replacement) - (e.end - e.start) for e in earlier]))
    for edit, shift in zip(earlier, current_starts, strict=False):
        start, end = edit.start + shift, edit.start + shift + len(edit.replacement)
        if all(later_edit.end < start - 1 or later_edit.start > end + 1 for later_edit in later):
            assert edit in composed


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 4), st.text("ab", max_size=2),
                          st.sampled_from(RULES)), max_size=10))
def test_resolve_overlaps_keeps_the_greedy_choice_by_priority(raw) -> None:
    count_example()
    edits = [Edit(start, start + length, replacement, rule)
             for start, length, replacement, rule in raw]
    kept, refused = resolve_overlaps(edits)
    assert is_disjoint(kept)
    assert sorted(kept + refused) == sorted(set(edits))
    # What comparing every pair gives: each refused edit clashes with a kept edit that comes
    # first in priority order, and no two kept edits clash.
    from cleanup.edits import _priority

    for edit in refused:
        assert any(overlaps_by_definition(edit, other) and _priority(other) < _priority(edit)
                   for other in kept)
    for a, b in itertools.combinations(kept, 2):
        assert not overlaps_by_definition(a, b)
        assert not clash(min(a, b), max(a, b))


@given(st.data())
def test_offset_maps_agree_with_a_walk_over_the_edits(data) -> None:
    count_example()
    original = data.draw(short_text)
    edits = data.draw(edits_on(original))
    fixed, kept, _ = apply_edits(original, edits)
    forward, backward = OffsetMap(kept, to_fixed=True), OffsetMap(kept, to_fixed=False)
    inside = {i for e in kept for i in range(e.start, e.end)}
    inserted_at = {e.start for e in kept if e.start == e.end}
    for i in range(len(original) + 1):
        assert 0 <= forward.start(i) <= forward.end(i) <= len(fixed)
        if i not in inside and i not in inserted_at:  # only there can an offset mean several
            assert forward.start(i) == forward.end(i)
        if i < len(original) and i not in inside:  # a kept character is found where it went
            assert fixed[forward.end(i)] == original[i]
            assert backward.end(forward.end(i)) == i
    for j in range(len(fixed) + 1):
        assert 0 <= backward.start(j) <= backward.end(j) <= len(original)
    assert [forward.start(i) for i in range(len(original) + 1)] == sorted(
        forward.start(i) for i in range(len(original) + 1))
    shift = 0
    for edit in kept:  # each replacement sits where both maps say, and maps back over its span
        start = edit.start + shift
        assert forward.start(edit.start) == start
        assert forward.end(edit.end) >= start + len(edit.replacement)
        low, high = map_span_to_original(kept, start, start + len(edit.replacement))
        assert low <= edit.start and high >= edit.end
        assert original[low:edit.start] == "" or all(i in inside for i in range(low, edit.start))
        shift += len(edit.replacement) - (edit.end - edit.start)

