"""The checks of a city's parts, as pure functions.

Each takes a part as given (or read) and what it is checked against, and
returns what it found wrong — a list of :class:`~lagesbild.ConfigProblem`,
each naming its file and key — with the checked part where there is one.
:func:`lagesbild.city.load.check` runs them in order and raises one
:class:`~lagesbild.ConfigError` with all of them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from itertools import pairwise

import polars as pl

from lagesbild.city.common import (
    Problems,
    SourceInfo,
    columns_missing,
    date_years,
    eq_or_null,
    shown,
    suggest_text,
    unknown_names,
    year_column,
)
from lagesbild.city.config import Settings
from lagesbild.city.organisation import OPTIONAL_ORGANISATION_COLUMNS, ORGANISATION_COLUMNS, Period
from lagesbild.engine import area_topology
from lagesbild.exceptions import ConfigProblem, LagesbildError
from lagesbild.layer import Layer

_WEIGHT_SUM_TOLERANCE = 1e-3


def check_areas(areas: Layer, meta: SourceInfo) -> tuple[list[str], list[ConfigProblem]]:
    """The stadsdelar: named once each, polygons, valid. Returns their names."""
    problems = Problems()
    attrs = areas.attributes
    key = meta.key or "stadsdel"
    if len(areas) == 0:
        problems.about(meta, "the layer has no features; the city needs its stadsdelar")
        return [], problems.items
    if key not in attrs.columns:
        problems.about(
            meta, f"no column {key!r} naming the stadsdel (columns: {', '.join(attrs.columns)})", "areas.key"
        )
        return [], problems.items
    names = attrs[key].cast(pl.String)
    blank = (names.is_null() | (names.str.strip_chars() == "")).arg_true().to_list()
    if blank:
        problems.about(meta, f"features {shown(blank)} have no stadsdel name in column {key!r}")
    dupes = names.filter(names.is_duplicated()).drop_nulls().unique().sort().to_list()
    if dupes:
        problems.about(meta, f"stadsdelar named more than once in column {key!r}: {shown(dupes)}")
    geom_types = areas.geom_types - {"Polygon", "MultiPolygon"}
    if geom_types:
        problems.about(meta, f"the areas must be polygons, not {', '.join(sorted(geom_types))}")
    missing_geom = [i for i, v in enumerate(areas.to_polars(name="__g__")["__g__"].is_null()) if v]
    if missing_geom:
        problems.about(meta, f"stadsdelar without geometry: {shown(names.gather(missing_geom).to_list())}")
    report = areas.validity_report()
    for row in report.head(10).iter_rows(named=True):
        problems.about(
            meta,
            f"feature {row['feature']} ({names[row['feature']]}): invalid polygon: {row['reason']}"
            + (f" at ({row['x']:.2f}, {row['y']:.2f})" if row["x"] is not None else ""),
        )
    if report.height > 10:
        problems.about(meta, f"and {report.height - 10} more invalid polygon problems")
    return names.drop_nulls().to_list(), problems.items


def check_time_columns(df: pl.DataFrame, meta: SourceInfo) -> list[ConfigProblem]:
    """The configured year and date columns are there and hold years and dates."""
    problems = Problems()
    for column, convert in ((meta.year, year_column), (meta.date, date_years)):
        if column is None:
            continue
        if column not in df.columns:
            problems.about(meta, f"no column {column!r} (columns: {', '.join(df.columns)})")
            continue
        result = convert(df, column)
        if isinstance(result, str):
            problems.about(meta, result)
    return problems.items


def check_organisation(
    org: pl.DataFrame, meta: SourceInfo, known: set[str]
) -> tuple[pl.DataFrame | None, list[Period], list[ConfigProblem]]:
    """Check the organisation table.

    Dates, periods that follow each other without overlaps or gaps, every
    known stadsdel once in each period, one code per name. Returns the
    checked rows and the periods (``None`` and ``[]`` when something is
    wrong).
    """
    problems = Problems()
    if not isinstance(org, pl.DataFrame):
        problems.about(meta, f"the organisation must be a polars DataFrame, not {type(org).__name__}")
        return None, [], problems.items
    missing = columns_missing(org, ORGANISATION_COLUMNS)
    if missing:
        problems.about(
            meta,
            f"no column {', '.join(map(repr, missing))} (columns: {', '.join(org.columns)}; "
            f"needed: {', '.join(ORGANISATION_COLUMNS)})",
        )
        return None, [], problems.items
    if org.height == 0:
        problems.about(meta, "the organisation table has no rows")
        return None, [], problems.items
    start, end = _as_dates(org["giltig_fran"]), _as_dates(org["giltig_till"])
    ok = True
    if start is None or start.null_count():
        problems.about(meta, "giltig_fran must be a date (ISO 8601, such as 2023-07-01) on every row")
        ok = False
    if end is None:
        problems.about(meta, "giltig_till must be a date (ISO 8601) or empty while in force")
        ok = False
    if not ok:
        return None, [], problems.items
    # The stadsdelsnämnd's name is optional: kept when the table has it.
    extra = [c for c in OPTIONAL_ORGANISATION_COLUMNS if c in org.columns]
    org = org.with_columns(
        [pl.col(c).cast(pl.String) for c in ("stadsdel", "sdo_namn", "sdo_kod", *extra)],
        giltig_fran=start,
        giltig_till=end,
    ).select(*ORGANISATION_COLUMNS, *extra)
    good = True
    if "namnd" in extra:
        blank = org.filter(pl.col("namnd").is_null() | (pl.col("namnd").str.strip_chars() == ""))
        if blank.height:
            r = blank.row(0, named=True)
            problems.about(
                meta,
                f"{blank.height} rows have no namnd, such as {r['stadsdel']} ({r['giltig_fran']}); "
                "give the stadsdelsnämnd's name on every row",
            )
            good = False
    backwards = org.filter(pl.col("giltig_till") < pl.col("giltig_fran"))
    if backwards.height:
        r = backwards.row(0, named=True)
        problems.about(
            meta,
            f"{backwards.height} rows end before they start, such as {r['stadsdel']}: "
            f"{r['giltig_fran']} – {r['giltig_till']}",
        )
        good = False
    periods = org.select("giltig_fran", "giltig_till").unique().sort("giltig_fran", "giltig_till", nulls_last=True)
    spans = [(r[0], r[1]) for r in periods.iter_rows()]
    for (a0, a1), (b0, b1) in pairwise(spans):
        if a1 is None or a1 >= b0:
            problems.about(
                meta,
                f"the periods {a0} – {a1 or '(in force)'} and {b0} – {b1 or '(in force)'} overlap: "
                "each day must have one organisation",
            )
            good = False
        elif a1 + dt.timedelta(days=1) != b0:
            problems.about(
                meta,
                f"no organisation between {a1} and {b0}: the period after {a0} – {a1} must start on "
                f"{a1 + dt.timedelta(days=1)}",
            )
            good = False
    for p0, p1 in spans:
        rows = org.filter((pl.col("giltig_fran") == p0) & eq_or_null("giltig_till", p1))
        label = f"period {p0} – {p1 or '(in force)'}"
        st = rows["stadsdel"]
        dupes = st.filter(st.is_duplicated()).unique().sort().to_list()
        if dupes:
            problems.about(meta, f"{label}: stadsdelar listed more than once: {shown(dupes)}")
            good = False
        if known:
            unknown = sorted(set(st.drop_nulls().to_list()) - known)
            if unknown:
                problems.about(
                    meta,
                    f"{label}: stadsdelar that are not in the boundaries: {unknown_names(unknown, sorted(known))}",
                )
                good = False
            left_out = sorted(known - set(st.drop_nulls().to_list()))
            if left_out:
                problems.about(
                    meta, f"{label}: stadsdelar of the boundaries with no stadsdelsområde: {shown(left_out)}"
                )
                good = False
        pairs = rows.select("sdo_namn", "sdo_kod").unique()
        checks = [("sdo_namn", "sdo_kod"), ("sdo_kod", "sdo_namn")]
        if "namnd" in extra:
            pairs = rows.select("sdo_namn", "sdo_kod", "namnd").unique()
            checks += [("sdo_namn", "namnd"), ("namnd", "sdo_namn")]
        for col, other in checks:
            multi = pairs.group_by(col).agg(pl.col(other).unique()).filter(pl.col(other).list.len() > 1)
            for r in multi.sort(col).iter_rows():
                problems.about(meta, f"{label}: {col} {r[0]!r} has several {other}: {shown(sorted(r[1]))}")
                good = False
    if not good:
        return None, [], problems.items
    return org.sort("giltig_fran", "stadsdel"), spans, problems.items


def _as_dates(s: pl.Series) -> pl.Series | None:
    """A column of ISO dates as ``Date`` (``None`` when some value is not a date)."""
    if s.dtype == pl.Date:
        return s
    if isinstance(s.dtype, pl.Datetime):
        return s.dt.date()
    if s.dtype == pl.Null:
        return s.cast(pl.Date)
    if s.dtype == pl.String:
        stripped = s.str.strip_chars().replace("", None)
        parsed = stripped.str.to_date("%Y-%m-%d", strict=False)
        if parsed.null_count() == stripped.null_count():
            return parsed
    return None


def check_crosswalk(
    df: pl.DataFrame, meta: SourceInfo, known: set[str]
) -> tuple[pl.DataFrame | None, list[ConfigProblem]]:
    """Check a crosswalk.

    Known stadsdelar, weights from 0 to 1 that add up to 1 per unit. Returns
    it as ``from``, ``stadsdel``, ``weight`` (``None`` when something is
    wrong).
    """
    problems = Problems()
    if not isinstance(df, pl.DataFrame):
        problems.about(meta, f"crosswalk {meta.name!r} must be a polars DataFrame, not {type(df).__name__}")
        return None, problems.items
    missing = columns_missing(df, ("from", "stadsdel"))
    if missing:
        problems.about(meta, f"no column {', '.join(map(repr, missing))} (columns: {', '.join(df.columns)})")
        return None, problems.items
    if "weight" not in df.columns:
        df = df.with_columns(weight=pl.lit(None, pl.Float64))
    df = df.select(
        pl.col("from").cast(pl.String), pl.col("stadsdel").cast(pl.String), pl.col("weight").cast(pl.Float64)
    )
    good = True
    if known:
        unknown = sorted(set(df["stadsdel"].drop_nulls().to_list()) - known)
        if unknown:
            problems.about(
                meta, f"stadsdelar that are not in the boundaries: {unknown_names(unknown, sorted(known))}"
            )
            good = False
    if df["weight"].null_count() == df.height:
        multi = df.group_by("from").len().filter(pl.col("len") > 1)["from"].sort().to_list()
        if multi:
            problems.about(
                meta,
                f"units split over several stadsdelar need a weight column: {shown(multi)}",
            )
            good = False
        df = df.with_columns(weight=pl.lit(1.0))
    else:
        bad = df.filter(pl.col("weight").is_null() | (pl.col("weight") < 0) | (pl.col("weight") > 1))
        if bad.height:
            problems.about(
                meta, f"weights must be shares from 0 to 1; {bad.height} rows are not, such as {bad.row(0)}"
            )
            good = False
        sums = (
            df.group_by("from")
            .agg(pl.col("weight").sum())
            .filter((pl.col("weight") - 1.0).abs() > _WEIGHT_SUM_TOLERANCE)
        )
        if sums.height:
            listed = ", ".join(f"{f!r} ({w:.4g})" for f, w in sums.sort("from").head(8).iter_rows())
            problems.about(meta, f"the weights of each unit must add up to 1; they do not for {listed}")
            good = False
    return (df if good else None), problems.items


def check_table(
    df: pl.DataFrame,
    meta: SourceInfo,
    known: set[str],
    sdo_names: set[str] | None,
    crosswalks: Mapping[str, pl.DataFrame],
    sources: Mapping[tuple[str, str], SourceInfo],
) -> list[ConfigProblem]:
    """Check a table.

    Its key column names units of its unit (stadsdelar, the stadsdelsområden
    of some period — ``sdo_names``, ``None`` without an organisation — or a
    crosswalk's units); its year and date columns.
    """
    problems = Problems()
    if meta.key is not None:
        if meta.key not in df.columns:
            problems.about(meta, f"no column {meta.key!r} (columns: {', '.join(df.columns)})", "key")
        else:
            values = set(df[meta.key].cast(pl.String).drop_nulls().to_list())
            unit = meta.unit or "stadsdel"
            if unit == "stadsdel":
                if known:
                    unknown = sorted(values - known)
                    if unknown:
                        problems.about(
                            meta,
                            f"column {meta.key!r}: stadsdelar that are not in the boundaries: "
                            f"{unknown_names(unknown, sorted(known))}",
                        )
            elif unit == "stadsdelsomrade":
                if sdo_names is None:
                    problems.about(meta, "the table is keyed by stadsdelsområde but no organisation is given")
                else:
                    unknown = sorted(values - sdo_names)
                    if unknown:
                        problems.about(
                            meta,
                            f"column {meta.key!r}: stadsdelsområden not in any organisation period: "
                            f"{unknown_names(unknown, sorted(sdo_names))}",
                        )
            elif unit in crosswalks:
                units = set(crosswalks[unit]["from"].to_list())
                unknown = sorted(values - units)
                if unknown:
                    problems.about(meta, f"column {meta.key!r}: units not in crosswalk {unit!r}: {shown(unknown)}")
            elif ("crosswalk", unit) not in sources:
                choices = ["stadsdel", "stadsdelsomrade", *crosswalks]
                problems.about(
                    meta,
                    f"unit {unit!r} is not 'stadsdel', 'stadsdelsomrade' or a crosswalk"
                    f"{suggest_text(unit, choices)}",
                    "unit",
                )
    problems.items += check_time_columns(df, meta)
    return problems.items


def check_settings(
    settings: Settings,
    layers: Mapping[str, Layer],
    sources: Mapping[tuple[str, str], SourceInfo],
    config_shown: str | None,
) -> list[ConfigProblem]:
    """The settings against the layers: the layers they name, the flood levels."""
    problems = Problems()
    rd = settings.risk_distance
    for message in rd.problems():
        if config_shown is None:  # from_config has reported these already
            problems.add(message, key="risk_distance")
    for section, layer_name in (("risk_distance", rd.layer), ("flood", settings.flood.layer)):
        if layer_name is not None and layer_name not in layers and ("layer", layer_name) not in sources:
            problems.add(
                f"no layer {layer_name!r}{suggest_text(layer_name, list(layers))} "
                f"(layers: {', '.join(layers) or 'none'})",
                path=config_shown,
                key=f"{section}.layer",
            )
    fl = settings.flood
    if fl.layer is not None and fl.layer in layers:
        layer = layers[fl.layer]
        meta = sources[("layer", fl.layer)]
        attrs = layer.attributes
        if fl.column not in attrs.columns:
            problems.about(
                meta,
                f"no column {fl.column!r} for the flood levels (columns: {', '.join(attrs.columns)})",
                "flood.column",
            )
        elif not attrs[fl.column].dtype.is_numeric():
            problems.about(
                meta,
                f"the flood level column {fl.column!r} must be numeric, not {attrs[fl.column].dtype}",
                "flood.column",
            )
        elif fl.levels is not None:
            present = sorted(set(attrs[fl.column].drop_nulls().to_list()))
            extra = [v for v in present if not any(math.isclose(v, w, abs_tol=1e-9) for w in fl.levels)]
            absent = [w for w in fl.levels if not any(math.isclose(v, w, abs_tol=1e-9) for v in present)]
            if extra:
                problems.about(
                    meta,
                    f"levels in column {fl.column!r} that flood.levels does not list: {shown(extra)}",
                    "flood.levels",
                )
            if absent:
                problems.about(
                    meta,
                    f"levels in flood.levels that are not in column {fl.column!r}: {shown(absent)}",
                    "flood.levels",
                )
    if settings.min_count < 0:
        problems.add(f"the small-count threshold must be 0 or more, not {settings.min_count}", key="suppression")
    return problems.items


def check_topology(
    areas: Layer, meta: SourceInfo, settings: Settings
) -> tuple[pl.DataFrame, list[ConfigProblem]]:
    """Overlaps and gaps between the areas.

    Those beyond the tolerances are problems, the others are returned as the
    findings.
    """
    problems = Problems()
    try:
        topo = area_topology(areas)
    except LagesbildError as e:
        problems.about(meta, f"cannot check overlaps and gaps: {e}")
        return empty_findings(), problems.items
    names = areas.attributes[meta.key or "stadsdel"].cast(pl.String).to_list()
    s = settings
    findings = topo.with_columns(
        stadsdelar=pl.col("features").list.eval(
            pl.element().replace_strict(list(range(len(names))), names, return_dtype=pl.String)
        ),
        tolerance_m2=pl.when(pl.col("kind") == "overlap")
        .then(pl.lit(s.overlap_tolerance_m2))
        .otherwise(pl.lit(s.gap_tolerance_m2)),
    ).select("kind", "stadsdelar", "area_m2", "x", "y", "tolerance_m2")
    for row in findings.filter(pl.col("area_m2") > pl.col("tolerance_m2")).iter_rows(named=True):
        who = " and ".join(row["stadsdelar"]) or "no stadsdel"
        what = (
            f"{who} overlap by {row['area_m2']:.1f} m²"
            if row["kind"] == "overlap"
            else f"a gap of {row['area_m2']:.1f} m² between {who}"
        )
        key = "topology.overlap_tolerance_m2" if row["kind"] == "overlap" else "topology.gap_tolerance_m2"
        problems.about(
            meta,
            f"{what} at ({row['x']:.1f}, {row['y']:.1f}), more than the tolerance of "
            f"{row['tolerance_m2']:g} m² (fix the boundaries or raise {key})",
        )
    kept = (
        findings.filter(pl.col("area_m2") <= pl.col("tolerance_m2"))
        .drop("tolerance_m2")
        .sort(pl.col("kind") == "gap", pl.col("area_m2"), descending=[False, True])
    )
    return kept, problems.items


def empty_findings() -> pl.DataFrame:
    """The findings of a city whose topology is not checked: no rows."""
    return pl.DataFrame(
        schema={
            "kind": pl.String,
            "stadsdelar": pl.List(pl.String),
            "area_m2": pl.Float64,
            "x": pl.Float64,
            "y": pl.Float64,
        }
    )
