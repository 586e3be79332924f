"""Hypothesis profiles for the property tests, and a count of the examples they ran.

``make test`` runs the default profile: a few thousand examples in all, within a minute.
``make fuzz`` sets ``CLEANUP_FUZZ=1`` for the ``fuzz`` profile: 100,000 examples of the main
property (`cleanup.fix` on generated text; ``CLEANUP_FUZZ_EXAMPLES`` changes the number), and
the session ends with a line saying how many examples ran.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = "fuzz" if os.environ.get("CLEANUP_FUZZ") else "default"

#: Examples of the main property (fix on generated text: two fixes per example).
FIX_EXAMPLES = int(os.environ.get("CLEANUP_FUZZ_EXAMPLES", "0")) or {
    "default": 1000, "fuzz": 100_000}[PROFILE]
#: Examples of each other property over cleanup (offset maps, check, the file layer).
SIDE_EXAMPLES = max(FIX_EXAMPLES // 5, 400)

# The profile's own max_examples is for the cheap properties of the edit algebra.
settings.register_profile("default", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=FIX_EXAMPLES, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile(PROFILE)

_examples = {"count": 0}


def count_example() -> None:
    """Called once per generated example by the property tests, for the closing count."""
    _examples["count"] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _examples["count"]:
        terminalreporter.write_line(
            f"hypothesis: {_examples['count']} examples ran (profile {PROFILE})")
