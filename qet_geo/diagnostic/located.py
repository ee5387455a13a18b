"""Where the EMdV and NGC respondents live, when their answers say it (docs/diagnostic.md):
an area code (an IRIS code, or any code of the area map) or a home point in longitude and
latitude (WGS 84). NEAR's exports carry neither; a survey run on paper or with another form
may. The columns are recognised by their names; a value that is not a code or not a
coordinate rejects its row, naming it.

The location is personal data: it serves to put each respondent in an area, and only the
aggregates per area are published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import limits
from ..errors import InputError, Problem
from ..geo import with_crs
from ..i18n import Message
from .link import snake_of

#: the names of an area code column (snake_case of the header)
AREA_CODES = ("code_iris", "iris", "home_iris", "area_code", "code_zone", "home_area")
#: the names of a home point's longitude and latitude (WGS 84)
LONGITUDES = ("longitude", "lon", "lng", "home_longitude", "home_lon")
LATITUDES = ("latitude", "lat", "home_latitude", "home_lat")
#: the columns the answers get
COLUMNS = ("home_area", "home_lon", "home_lat")


def location_columns(columns) -> dict:
    """``{"area": header, "lon": header, "lat": header}`` of the location columns among
    ``columns`` (each at most once; the first of each kind)."""
    found: dict = {}
    for column in columns:
        name = snake_of(column)
        for kind, names in (("area", AREA_CODES), ("lon", LONGITUDES), ("lat", LATITUDES)):
            if name in names and kind not in found:
                found[kind] = column
    return found


def read_location(data: pd.DataFrame, columns: dict, file: str):
    """The home of each row of ``data`` (``home_area`` text, ``home_lon``, ``home_lat``
    floats; missing where not given) and the problems of the rows whose location is not
    one: {row: [Problem]}."""
    n = len(data)
    out = pd.DataFrame(index=data.index)
    problems: dict[int, list[Problem]] = {}

    def problem(row, column, value, reason, expected):
        problems.setdefault(int(row), []).append(Problem.of(
            file, reason, row=int(row), column=column, value=limits.echo(str(value)),
            expected=expected))  # fmt: skip

    if "area" in columns:
        text = data[columns["area"]].astype("string").str.strip()
        text = text.str.replace(r"\.0$", "", regex=True)  # a code read as a number
        text = text.where(~text.str.lower().isin(["", "null", "none", "nan"]), None)
        for row, value in text.dropna().items():
            if len(value) > 40 or not value.replace("-", "").replace("_", "").isalnum():
                problem(
                    row,
                    columns["area"],
                    value,
                    "not an area code",
                    "a code of the area map (an IRIS code such as 751145501)",
                )
        out["home_area"] = text.astype(object).where(text.notna(), None)
    else:
        out["home_area"] = pd.Series([None] * n, index=data.index, dtype=object)
    lon = lat = None
    if "lon" in columns or "lat" in columns:
        if not ("lon" in columns and "lat" in columns):
            given = columns.get("lon") or columns.get("lat")
            missing = "latitude" if "lon" in columns else "longitude"
            raise InputError(Problem.of(
                file, "a longitude without a latitude column" if "lon" in columns
                else "a latitude without a longitude column", column=given, value=given,
                expected=Message("a {missing} column too", missing=missing)))  # fmt: skip
        else:
            lon, no_lon = _coordinates(
                data, columns["lon"], -180.0, 180.0, "not a longitude", problem
            )
            lat, no_lat = _coordinates(data, columns["lat"], -90.0, 90.0, "not a latitude", problem)
            for i in np.flatnonzero(no_lon != no_lat):  # one given, the other blank
                column = columns["lon"] if no_lon[i] else columns["lat"]
                problem(
                    data.index[i],
                    column,
                    "",
                    "half a home point",
                    "the longitude and the latitude, or neither",
                )
    out["home_lon"] = lon if lon is not None else np.full(n, np.nan)
    out["home_lat"] = lat if lat is not None else np.full(n, np.nan)
    return out, problems


def _coordinates(data, column, low, high, what, problem) -> tuple[np.ndarray, np.ndarray]:
    """The values of ``column`` (NaN where blank or wrong, a problem for each wrong one)
    and where it is blank."""
    cells = data[column].astype("string").str.strip().str.replace(",", ".", regex=False)
    values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    blank = cells.isna() | cells.str.lower().isin(["", "null", "none", "nan"])
    for i in np.flatnonzero(
        ~blank.to_numpy() & ~(np.isfinite(values) & (values >= low) & (values <= high))
    ):
        problem(data.index[i], column, data[column].iloc[i], what,
                Message("a number from {low} to {high} (WGS 84 degrees)", low=f"{low:g}", high=f"{high:g}"))  # fmt: skip
        values[i] = np.nan
    values[blank.to_numpy()] = np.nan
    return values, blank.to_numpy(dtype=bool, na_value=True)


def located(table: pd.DataFrame) -> bool:
    """Whether any respondent of ``table`` (answers or results) says where it lives."""
    if "home_area" not in table.columns:
        return False
    return bool(
        table["home_area"].notna().any() or np.isfinite(table["home_lon"].to_numpy(float)).any()
    )


def locate(table: pd.DataFrame, areas, survey: str) -> tuple[np.ndarray, Message]:
    """The position in ``areas`` (:class:`~qet_geo.areas.zones.Areas`) of each respondent
    of ``table`` (−1: not located, outside every area, or a code the areas lack) and the
    line saying how many were put where. A code is taken before a point."""
    import shapely

    from ..areas.join import join_codes, join_points

    n = len(table)
    position = np.full(n, -1, dtype=np.int64)
    frame = pd.DataFrame({"source_row": table["row"].to_numpy()})
    coded = table["home_area"].notna().to_numpy()
    unknown = outside = 0
    if coded.any():
        frame["area_code"] = table["home_area"].to_numpy()
        joined = join_codes(frame, areas, "area_code")
        position[coded] = joined.area[coded]
        unknown = len(joined.unknown_rows)
    lon, lat = table["home_lon"].to_numpy(float), table["home_lat"].to_numpy(float)
    pointed = ~coded & np.isfinite(lon) & np.isfinite(lat)
    if pointed.any():
        points = np.full(n, None, dtype=object)
        points[pointed] = shapely.points(lon[pointed], lat[pointed])
        frame["geometry"] = list(points)
        joined = join_points(with_crs(frame, "EPSG:4326"), areas)
        position[pointed] = joined.area[pointed]
        outside = len(joined.outside_rows)
    return position, Message(
        "{survey}: {located} respondents located in an area ({coded} by their area code, "
        "{pointed} by their home point), {unknown} with a code the area map lacks, "
        "{outside} outside every area, {none} not saying where they live",
        survey=survey, located=int((position >= 0).sum()), coded=int(coded.sum()),
        pointed=int(pointed.sum()), unknown=unknown, outside=outside,
        none=int((~coded & ~pointed).sum()))  # fmt: skip
