"""Placeholder: the lost detector is being written."""

from collections.abc import Iterator

from cleanup.detect import Context
from cleanup.findings import Finding


def find_lost_characters(text: str, context: Context) -> Iterator[Finding]:
    return iter(())
