"""Names as readers see them (no heavy imports: the report and the maps share it)."""

from __future__ import annotations

import re

__all__ = ["area_display_name", "swedish_key"]

_SMALL_WORDS = re.compile(r"(?<=[\s-])(\w)")


def area_display_name(name: str) -> str:
    """An area's name as a map writes it: ``"VÅRBERG"`` → ``"Vårberg"``.

    Names in capitals (as the city's stadsdel file has them) get a capital
    at the start of each word; names already in mixed case are kept.

    Examples
    --------
    >>> from lagesbild._names import area_display_name
    >>> area_display_name("HÄGERSTENSÅSEN"), area_display_name("GAMLA STAN"), area_display_name("Hägersten-Älvsjö")
    ('Hägerstensåsen', 'Gamla Stan', 'Hägersten-Älvsjö')
    """
    if not name.isupper():
        return name
    lower = name.lower()
    return _SMALL_WORDS.sub(lambda m: m.group(1).upper(), lower[:1].upper() + lower[1:])


# Å, Ä and Ö come after Z in the Swedish alphabet (and after each other in that order); é sorts as e.
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e", "è": "e", "ü": "y"})


def swedish_key(name: str) -> str:
    """A sort key for Swedish alphabetical order, case ignored.

    >>> sorted(["Älvsjö", "Åkeshov", "Ulvsunda", "Östberga", "alvik"], key=swedish_key)
    ['alvik', 'Ulvsunda', 'Åkeshov', 'Älvsjö', 'Östberga']
    """
    return name.casefold().translate(_SWEDISH)
