"""Time linear in the number of edits: `fix`, `compose` and the offset maps.

No absolute times: 8x the edits may cost at most 20x the time, where a step that compares every
pair of edits (or walks all edits per lookup) costs 64x.
"""

from __future__ import annotations

import cleanup
from cleanup.edits import compose, splice
from cleanup.findings import Edit, OffsetMap


def _best_time(function, *args) -> float:
    """Best of three in CPU time, the collector paused: other processes and the size of the
    test session's heap (a full collection walks all of it) are not the function's growth."""
    import gc
    import time

    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            started = time.process_time()
            function(*args)
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


def test_fix_time_grows_linearly_with_its_edits() -> None:
    """A zero-width space after every letter: half the text is edits (12,500 took 54 s when
    every offset lookup and overlap test walked all edits). 8x the edits may cost 8x the time;
    a quadratic step would cost 64x. The factor allows for a busy machine."""
    small, large = "a\u200b" * 4_000, "a\u200b" * 32_000
    assert len(cleanup.fix(large).edits) == 32_000
    assert _best_time(cleanup.fix, large) < 20 * _best_time(cleanup.fix, small)


def test_composing_and_mapping_take_time_linear_in_the_edits() -> None:
    """Two passes that both edit everywhere, each later edit touching an earlier one's output,
    then every offset mapped both ways."""

    def passes(count: int) -> None:
        original = "ab" * count
        earlier = [Edit(2 * i, 2 * i + 1, "xy", "CU101") for i in range(count)]  # a -> xy
        later = [Edit(3 * i + 1, 3 * i + 3, "", "CU404") for i in range(count)]  # yb -> ''
        composed = compose(original, earlier, later)
        assert splice(original, composed) == "x" * count
        forward = OffsetMap(composed, to_fixed=True)
        backward = OffsetMap(composed, to_fixed=False)
        for i in range(len(original) + 1):
            forward.start(i)
            backward.end(i // 2)

    assert _best_time(passes, 80_000) < 20 * _best_time(passes, 10_000)
