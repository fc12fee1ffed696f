"""Numbers as a Swedish (or English) reader expects them, shared by the maps and the report.

Decimal comma, a narrow no-break space (U+202F) between thousands, the
minus sign U+2212, and an en dash for a missing value.
"""

from __future__ import annotations

import math

__all__ = ["GROUP", "MINUS", "MISSING", "format_number"]

#: The Swedish thousands separator: a narrow no-break space (U+202F).
GROUP = "\u202f"
#: The minus sign (U+2212), not a hyphen.
MINUS = "\u2212"
#: What a missing or withheld value is written as (an en dash).
MISSING = "–"


def format_number(value: float | int | None, decimals: int = 0, *, lang: str = "sv") -> str:
    r"""A number with ``decimals`` decimals, in Swedish (default) or English.

    Parameters
    ----------
    value
        The number; ``None`` or NaN is written as an en dash.
    decimals
        Decimals to show, rounded half away from zero.
    lang
        ``"sv"`` (decimal comma, U+202F between thousands) or ``"en"``.

    Examples
    --------
    >>> from lagesbild.report.numbers import format_number
    >>> format_number(1234567) == "1\u202f234\u202f567"
    True
    >>> format_number(0.125, 2), format_number(0.05, 1), format_number(-0.004, 2)
    ('0,13', '0,1', '0,00')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, float) and math.isinf(value):
        return ("" if value > 0 else MINUS) + "∞"
    scaled = abs(float(value)) * 10**decimals
    rounded = math.floor(scaled + 0.5 + 1e-9 * max(1.0, scaled))
    whole, frac = divmod(rounded, 10**decimals)
    group, point = (GROUP, ",") if lang == "sv" else (",", ".")
    digits = f"{int(whole):,}".replace(",", group)
    text = f"{digits}{point}{int(frac):0{decimals}d}" if decimals > 0 else digits
    negative = value < 0 and rounded != 0
    return (MINUS if negative else "") + text
