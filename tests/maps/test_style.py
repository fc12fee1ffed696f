"""Swedish numbers and the words of the legends."""

from __future__ import annotations

import pytest
from lagesbild.maps.style import (
    GROUP,
    area_display_name,
    flood_colours,
    format_number,
    format_range,
    label_first_clause,
)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (12345.6, 1, f"12{GROUP}345,6"),
        (1234567, 0, f"1{GROUP}234{GROUP}567"),
        (999.95, 1, f"1{GROUP}000,0"),
        (0.5, 0, "1"),
        (-2.25, 1, "−2,3"),
        (-0.04, 1, "0,0"),
        (None, 0, "–"),
        (float("nan"), 2, "–"),
        (100, 0, "100"),
    ],
)
def test_format_number(value, decimals, text) -> None:
    assert format_number(value, decimals) == text


def test_the_separator_is_a_narrow_no_break_space() -> None:
    assert GROUP == "\u202f"
    assert format_number(12345.6, 1).replace(GROUP, " ") == "12 345,6"


def test_ranges_labels_and_names() -> None:
    assert format_range(1000, 25000) == f"1{GROUP}000 – 25{GROUP}000"
    assert label_first_clause("Land lägre än +2,7 m (RH 2000): länsstyrelsernas lägsta nivå.") == "Land lägre än +2,7 m (RH 2000)"
    assert area_display_name("SKARPNÄCKS GÅRD") == "Skarpnäcks Gård"
    assert area_display_name("Norra innerstaden") == "Norra innerstaden"


def test_flood_colours_run_from_dark_to_light() -> None:
    def lightness(h: str) -> int:
        return sum(int(h[i : i + 2], 16) for i in (1, 3, 5))

    for n in (1, 2, 3, 4, 5):
        c = flood_colours(n)
        assert len(c) == n and len(set(c)) == n
        assert [lightness(x) for x in c] == sorted(lightness(x) for x in c)
