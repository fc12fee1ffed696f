"""The main job on a city: where the hazards meet the stadsdelar.

``lagesbild demo`` (and ``make demo``) runs it on the bundled demo city;
``lagesbild demo --config city.toml`` on another. It loads and checks the
city, then answers with the engine the questions a risk analyst starts from,
per stadsdelsområde in the organisation in force for the report year:

- incidents per stadsdelsområde and theme (``assign``);
- per hazard of the city file (``[hazards.NAME]``): flooded land and
  residents at each flood level, route length per class and residents in
  each zone of the risk-handling distance (:func:`~lagesbild.analysis.exposure`);
- critical facilities inside a flood zone or a route zone, by category
  (:func:`~lagesbild.analysis.facilities_at_risk`, open mode: protected
  facilities are not listed).

Counts under the city's small-count threshold are shown suppressed.
:func:`write_maps` draws the job's maps (``lagesbild demo --maps DIR``).
"""

from __future__ import annotations

import time

import polars as pl

from lagesbild.analysis import exposure, facilities_at_risk
from lagesbild.city import City, demo
from lagesbild.engine import assign

__all__ = ["run", "write_maps"]


def _suppress(df: pl.DataFrame, cols: list[str], threshold: int) -> pl.DataFrame:
    return df.with_columns(
        [
            pl.when(pl.col(c) < threshold).then(pl.lit(f"<{threshold}")).otherwise(pl.col(c).cast(pl.String)).alias(c)
            for c in cols
        ]
    )


def run(config: str | None = None, year: int | None = None) -> str:
    """Run the main job on a city (the demo city by default); returns the report text."""
    # Table formatting for this report only, not for the caller's session.
    with pl.Config(
        tbl_rows=40, tbl_width_chars=160, tbl_hide_dataframe_shape=True, fmt_str_lengths=40
    ):
        return _run(config, year)


def _run(config: str | None, year: int | None) -> str:
    t0 = time.perf_counter()
    city = demo() if config is None else City.from_config(config)
    out: list[str] = [city.summary().rstrip(), ""]
    incidents = city.layer("handelser") if "handelser" in city.layers else None
    if year is None:
        years = city.years("handelser") if incidents is not None else []
        year = max(years) if years else 2025
    areas = city.areas_at(year)
    sdo = "sdo_namn"
    hide = city.min_count
    out.append(f"Report year {year}: {areas[sdo].n_unique()} stadsdelsområden in force on 31 December.")

    if incidents is not None:
        date_col = "datum"
        inc = incidents.attributes.with_columns(
            assign(incidents, areas, key=sdo).alias(sdo)
        ).filter(pl.col(date_col).dt.year() == year)
        table = (
            inc.pivot(on="tema", index=sdo, values="handelse_id", aggregate_function="len")
            .fill_null(0)
            .sort(pl.col(sdo).cast(pl.String))
        )
        themes = [c for c in table.columns if c != sdo]
        table = table.with_columns(pl.sum_horizontal(themes).alias("alla"))
        counted = themes + ["alla"]
        if "konsekvensgrad" in inc.columns:
            # The serious ones: consequence grade 3 or 4 on the data set's 1–4 scale.
            serious = inc.filter(pl.col("konsekvensgrad") >= 3).group_by(sdo).agg(pl.len().alias("grad 3–4"))
            table = table.join(serious, on=sdo, how="left").with_columns(pl.col("grad 3–4").fill_null(0))
            counted.append("grad 3–4")
        out += ["", f"Incidents {year} per stadsdelsområde and theme (fewer than {hide} shown as <{hide}):",
                str(_suppress(table, counted, hide))]

    if city.settings.hazards:
        out += _hazards(city, year)
    out += ["", f"Done in {time.perf_counter() - t0:.2f} s."]
    return "\n".join(out) + "\n"


def write_maps(folder: str, config: str | None = None, year: int = 2025, area: str | None = None) -> list[str]:
    """The demo job's maps: a choropleth of the facilities at risk and one area's risk map.

    Written into ``folder`` (each file atomically): ``riskomraden_{year}.png``
    and ``.svg`` (per stadsdelsområde, critical facilities in a flood zone or
    a route zone, with the hazards over them) and ``riskkarta_{area}_{year}``
    as PNG (300 dpi), SVG and PDF, in open mode. Needs the maps extra.
    Returns the paths written.
    """
    from pathlib import Path

    from lagesbild import maps
    from lagesbild.maps.overlays import at_risk, facility_table

    city = demo() if config is None else City.from_config(config)
    out = Path(folder)
    t = facility_table(city, year)
    per_area = (
        t.filter(at_risk(t))
        .group_by("stadsdelsomrade")
        .agg(pl.len().alias("antal"))
        .rename({"stadsdelsomrade": "area"})
    )
    chosen = [maps.overlays.flood(city, h) for h, v in city.settings.hazards.items() if v.kind == "flood"]
    chosen += [maps.overlays.routes(city, h) for h, v in city.settings.hazards.items() if v.kind == "route"]
    c = maps.choropleth(
        city, per_area, "antal", year=year, label="Samhällsviktig verksamhet i riskområde", unit="antal",
        title="Samhällsviktig verksamhet i översvämningszon eller nära farligt gods", overlays=chosen,
    )
    written = [c.save(out / f"riskomraden_{year}.png"), c.save(out / f"riskomraden_{year}.svg")]
    names = city.organisation(year)["sdo_namn"].unique(maintain_order=True).to_list()
    target = area or ("Hägersten-Älvsjö" if "Hägersten-Älvsjö" in names else names[0])
    r = maps.risk_map(city, target, year=year)
    slug = "".join(ch for ch in target.lower().replace(" ", "-") if ch.isalnum() or ch == "-")
    for ext in ("png", "svg", "pdf"):
        written.append(r.save(out / f"riskkarta_{slug}_{year}.{ext}"))
    return [str(p) for p in written]


def _hazards(city: City, year: int) -> list[str]:
    """Exposure per stadsdelsområde and hazard, and the facilities inside the zones."""
    out: list[str] = []
    e = exposure(city, year=year)
    hidden = f"<{city.settings.suppression.min_count}"

    def shown(col: str, scale: float = 1.0, digits: int = 0) -> pl.Expr:
        value = (pl.col("value") / scale).round(digits)
        text = value.cast(pl.Int64).cast(pl.String) if digits == 0 else value.cast(pl.String)
        return pl.when(pl.col("suppressed")).then(pl.lit(hidden)).otherwise(text).alias(col)

    for h in city.settings.hazards.values():
        mine = e.filter(pl.col("hazard") == h.name)
        if h.kind == "flood":
            land = mine.filter(pl.col("measure") == "flooded_land_m2").with_columns(shown("ha", scale=1e4, digits=1))
            people = mine.filter(pl.col("measure") == "residents_est").with_columns(shown("boende"))
            table = (
                land.select("area", "band", "ha")
                .join(people.select("area", "band", "boende"), on=["area", "band"], how="left")
                .pivot(on="band", index="area", values=["ha", "boende"])
                .sort("area")
            )
            title = f"Hazard {h.name!r}: flooded land (ha) and estimated residents below each flood level (RH 2000):"
        else:
            length = (
                mine.filter(pl.col("measure") == "route_length_m")
                .with_columns((pl.col("value") / 1000).round(2).alias("km"))
                .pivot(on="category", index="area", values="km")
                .fill_null(0.0)
            )
            people = (
                mine.filter(pl.col("measure") == "residents_est")
                .with_columns(shown("boende"))
                .pivot(on="band", index="area", values="boende")
            )
            people = people.rename({c: f"boende zon {c}" for c in people.columns if c != "area"})
            table = length.join(people, on="area", how="full", coalesce=True).sort("area")
            title = (
                f"Hazard {h.name!r}: route length per class (km, tunnels left out) and estimated residents per zone:"
            )
        out += ["", title, str(table)]

    if city.settings.facilities is not None:
        f = facilities_at_risk(city, year=year)
        inside = []
        for h in city.settings.hazards.values():
            col = f"{h.name}_band" if h.kind == "flood" else f"{h.name}_zone"
            inside.append(pl.col(col).is_not_null().sum().alias(f"inom {h.name}"))
        by_kind = f.group_by("category").agg(pl.len().alias("antal"), *inside)
        by_kind = by_kind.sort(["antal", "category"], descending=[True, False]).rename({"category": "kategori"})
        out += [
            "",
            "Critical facilities by category, and how many lie inside a flood zone or a route's risk-handling "
            "distance (protected facilities not listed):",
            str(by_kind),
        ]
    return out
