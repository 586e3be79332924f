"""`Fixed`, what `cleanup.fix` returns: the repaired text, the findings, the edits and the maps
between the two texts. Apart from `cleanup.findings` because it also shows itself in Jupyter,
which needs the HTML report: the bottom floor reaches up to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cleanup.findings import Edit, Finding, OffsetMap


@dataclass(frozen=True)
class Fixed:
    """What `cleanup.fix` returns: the repaired text, the findings on the original, the edits.

    ``edits`` are sorted, disjoint and in offsets of the original text; applying them in one pass
    to the original gives ``text``. ``to_original`` and ``to_fixed`` map offsets between the two.
    ``remaining`` are the findings left on ``text`` (in its offsets): what could not, or may
    not, be fixed; nothing needs checking again to know them.

    >>> import cleanup
    >>> fixed = cleanup.fix("Hello , world")
    >>> fixed.text
    'Hello, world'
    >>> fixed.to_original(5), fixed.to_fixed(7)
    (5, 6)
    """

    text: str
    findings: list[Finding]
    edits: list[Edit]
    original: str = field(repr=False, default="")
    remaining: list[Finding] = field(repr=False, default_factory=list)
    _maps: dict[bool, OffsetMap] = field(default_factory=dict, init=False, repr=False,
                                         compare=False)

    def to_original(self, index: int) -> int:
        """Map an offset in the fixed text to the original; inside a replacement, its start."""
        return self._map(to_fixed=False).start(index)

    def to_fixed(self, index: int) -> int:
        """Map an offset in the original text to the fixed one; inside a replaced span, its start."""
        return self._map(to_fixed=True).start(index)

    def _map(self, *, to_fixed: bool) -> OffsetMap:
        # Built on first use and kept: a caller mapping every finding pays one sweep in all.
        offset_map = self._maps.get(to_fixed)
        if offset_map is None:
            offset_map = self._maps[to_fixed] = OffsetMap(self.edits, to_fixed=to_fixed)
        return offset_map

    @property
    def changed(self) -> bool:
        return bool(self.edits)

    def _repr_html_(self) -> str:
        """In Jupyter: the text with its findings highlighted and what the fix changed."""
        from cleanup.html_report import Highlighted

        return Highlighted(self.original, tuple(self.findings), tuple(self.edits),
                           title="cleanup.fix")._repr_html_()


__all__ = ["Fixed"]
