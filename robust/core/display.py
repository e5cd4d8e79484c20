"""How results show themselves: a one-line ``repr`` and an HTML view in notebooks.

Every result object has ``summary()`` (a short text) and, for tables, ``to_frame()``;
:class:`Displayed` turns them into a ``repr`` that fits on a line or two (never the arrays
inside) and a ``_repr_html_`` with the summary above the first rows of the table.
"""

from __future__ import annotations

import html

HTML_ROWS = 20  # rows of the table shown in a notebook


class Displayed:
    """Mixin: ``repr`` from ``summary()``, and ``_repr_html_`` from it and ``to_frame()``."""

    def summary(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.summary()}>"

    def _repr_html_(self) -> str:
        head = f"<p><strong>{type(self).__name__}</strong>: {html.escape(self.summary())}</p>"
        to_frame = getattr(self, "to_frame", None)
        if to_frame is None:
            return head
        frame = to_frame()
        more = f"<p>{len(frame) - HTML_ROWS} more rows: <code>.to_frame()</code></p>" if len(frame) > HTML_ROWS else ""
        return head + frame.head(HTML_ROWS).to_html(index=False, float_format=lambda x: f"{x:.4g}") + more


def quadrant_counts(quadrants) -> str:
    """``assault 7, entrench 9, position 1, disrupt 3``."""
    from .options import QUADRANTS

    quadrants = [str(q) for q in quadrants]
    return ", ".join(f"{q} {quadrants.count(q)}" for q in QUADRANTS)
