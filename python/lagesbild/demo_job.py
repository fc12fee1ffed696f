"""The main job on a city: where the hazards meet the stadsdelar.

``lagesbild demo`` (and ``make demo``) runs it on the bundled demo city;
``lagesbild demo --config city.toml`` on another. It loads and checks the
city, then answers with the engine the questions a risk analyst starts from,
per stadsdelsområde in the organisation in force for the report year:

- incidents per stadsdelsområde and theme (``assign``);
- land and water below each Mälaren flood level (``overlay_area``);
- critical facilities in each flood zone and within the risk-handling
  distance of a dangerous-goods route (``assign``, ``within_distance``);
- dangerous-goods route length per class (``length_within``).

Counts under the city's small-count threshold are shown suppressed.
"""

from __future__ import annotations

import time

import polars as pl

from lagesbild.city import City, demo
from lagesbild.engine import assign, length_within, overlay_area, within_distance

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

    if "oversvamning" in city.layers:
        flood = city.layer("oversvamning")
        level = city.flood.column
        ov = overlay_area(flood, areas, zone_key=level, area_key=sdo)
        wide = ov.with_columns((pl.col("area_m2") / 1e6).round(3).alias("km2")).pivot(
            on=level, index=sdo, values="km2"
        ).fill_null(0.0).sort(sdo)
        out += ["", "Land and water below each Mälaren level (km², RH 2000):", str(wide)]

    if "samhallsviktig_verksamhet" in city.layers:
        fac = city.layer("samhallsviktig_verksamhet")
        attrs = fac.attributes.with_columns(assign(fac, areas, key=sdo).alias(sdo))
        if "oversvamning" in city.layers:
            flood = city.layer("oversvamning")
            level = city.flood.column
            # The lowest level whose zone holds the facility: zones ordered by level.
            order = flood.attributes.with_row_index("_i").sort(level)["_i"].to_list()
            attrs = attrs.with_columns(assign(fac, flood.take(order), key=level).alias("flood_level"))
        if "farligt_gods" in city.layers:
            routes = city.layer("farligt_gods")
            dist = city.risk_distance.distance_m
            near = within_distance(fac, routes, dist, key=routes.columns[0])
            attrs = attrs.with_columns(near["within"].alias("near_route"), near["distance_m"].alias("route_m"))
            dist_text = f"{dist:g} m"
        exposed = attrs.group_by("kategori").agg(
            pl.len().alias("antal"),
            *(
                [pl.col("flood_level").is_not_null().sum().alias("i översvämningszon")]
                if "flood_level" in attrs.columns
                else []
            ),
            *(
                [pl.col("near_route").sum().alias(f"inom {dist_text} från farligt gods")]
                if "near_route" in attrs.columns
                else []
            ),
        ).sort(["antal", "kategori"], descending=[True, False])
        out += ["", "Critical facilities by category: in a flood zone, and near a dangerous-goods route:", str(exposed)]

    if "farligt_gods" in city.layers:
        routes = city.layer("farligt_gods")
        klass = "klass" if "klass" in routes.columns else routes.columns[0]
        lw = length_within(routes, areas, line_key=klass, area_key=sdo)
        wide = lw.with_columns((pl.col("length_m") / 1000).round(2).alias("km")).pivot(
            on=klass, index=sdo, values="km"
        ).fill_null(0.0).sort(sdo)
        out += ["", "Dangerous-goods routes per stadsdelsområde (km):", str(wide)]
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
