r"""Numbers as a Swedish (or English) reader expects them.

Swedish: a decimal comma, digits grouped by three with a **narrow no-break
space** (U+202F, as ISO 80000-1 and the SI brochure recommend; it never
breaks a number across lines), the minus sign (U+2212) and a no-break
space before the per cent sign. English: a decimal point and commas
between thousands. A missing or withheld value is an en dash.

Rounding is half away from zero, as people round (``2.5`` → ``3``), not
Python's half to even.

Examples
--------
>>> from lagesbild.report.numbers import format_number, format_share
>>> format_number(12345.6, 1) == "12\u202f345,6"
True
>>> format_number(12345.6, 1, lang="en")
'12,345.6'
>>> format_number(-3), format_number(None), format_number(2.5)
('−3', '–', '3')
>>> format_share(0.1234, 1) == "12,3\u00a0%"
True
"""

from __future__ import annotations

import math

from lagesbild._numbers import GROUP, MINUS, MISSING, format_number

__all__ = ["GROUP", "MINUS", "MISSING", "format_number", "format_share"]

def format_share(value: float | None, decimals: int = 1, *, lang: str = "sv") -> str:
    r"""A share (0–1) as per cent: ``"12,3 %"`` (no-break space) or ``"12.3%"``.

    Examples
    --------
    >>> from lagesbild.report.numbers import format_share
    >>> format_share(0.5, 0, lang="en"), format_share(None)
    ('50%', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = format_number(100.0 * value, decimals, lang=lang)
    return f"{text}\u00a0%" if lang == "sv" else f"{text}%"
