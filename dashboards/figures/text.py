"""User text made safe to show in a chart.

Plotly renders a little HTML in labels and hover text (``<a href>``, ``<b>``, ``<i>``,
``<br>``, ``<span style>``), so a supplier named ``<a href="https://…">x</a>`` would become
a link. :func:`chart_text` escapes the markup, so that it shows as typed, and shows
invisible format and control characters (right-to-left overrides, zero-width spaces) as
``<U+202E>`` so that they cannot disguise a name. Every figure passes the names it shows
(axis labels, legend names, hover text) through it.
"""

from __future__ import annotations

import html
import unicodedata

#: Unicode categories shown by code point: format (bidi overrides and isolates, zero-width
#: spaces and joiners, the byte-order mark, soft hyphens) and control characters.
_INVISIBLE = frozenset({"Cf", "Cc"})


def chart_text(value: str) -> str:
    """``value`` with its markup escaped and invisible characters shown as ``<U+XXXX>``."""
    if value.isprintable():  # no character of Unicode's "Other" categories, so none of
        return html.escape(value, quote=False)  # _INVISIBLE's: nothing to show by code
    visible = "".join(
        f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE else ch for ch in value
    )
    return html.escape(visible, quote=False)
