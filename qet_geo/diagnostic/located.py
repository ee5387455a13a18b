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
    floats; missing where not given or not a location) and the problems of the rows whose
    location is not one: {row: [Problem]} — those rows keep their answers, unlocated
    (:func:`location_note` says so). A coordinate column most of whose values are not
    WGS 84 degrees (projected metres, degrees-minutes-seconds) is refused as a whole."""
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
                problem(row, columns["area"], value, "not an area code",
                        "a code of the area map (an IRIS code such as 751145501)")  # fmt: skip
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
        lon, no_lon = _coordinates(data, columns["lon"], -180.0, 180.0, "not a longitude",
                                   problem, file)  # fmt: skip
        lat, no_lat = _coordinates(data, columns["lat"], -90.0, 90.0, "not a latitude", problem,
                                   file)  # fmt: skip
        for i in np.flatnonzero(no_lon != no_lat):  # one given, the other blank
            column = columns["lon"] if no_lon[i] else columns["lat"]
            problem(data.index[i], column, "", "half a home point",
                    "the longitude and the latitude, or neither")  # fmt: skip
    out["home_lon"] = lon if lon is not None else np.full(n, np.nan)
    out["home_lat"] = lat if lat is not None else np.full(n, np.nan)
    for row in problems:  # the answers kept, the location not
        out.loc[row, ["home_lon", "home_lat"]] = np.nan
        out.loc[row, "home_area"] = None
    return out, problems


def _coordinates(data, column, low, high, what, problem, file):
    """The values of ``column`` (NaN where blank or wrong, a problem for each wrong one)
    and where it is blank; most values wrong: the column refused."""
    cells = data[column].astype("string").str.strip().str.replace(",", ".", regex=False)
    values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    blank = (cells.isna() | cells.str.lower().isin(["", "null", "none", "nan"])).to_numpy(
        dtype=bool, na_value=True
    )
    bad = ~blank & ~(np.isfinite(values) & (values >= low) & (values <= high))
    given, wrong = int((~blank).sum()), int(bad.sum())
    expected = Message("a number from {low} to {high} (WGS 84 degrees)", low=f"{low:g}",
                       high=f"{high:g}")  # fmt: skip
    if given >= 3 and wrong * 2 > given:  # not an odd value: the column is not degrees
        i = int(np.flatnonzero(bad)[0])
        raise InputError(Problem.of(
            file, Message("most values of {column!r} are not WGS 84 degrees ({wrong} of {given})",
                          column=column, wrong=wrong, given=given),
            column=column, value=limits.echo(str(data[column].iloc[i])),
            expected=Message("{expected}; projected coordinates (metres) are not read here",
                             expected=expected)))  # fmt: skip
    for i in np.flatnonzero(bad):
        problem(data.index[i], column, data[column].iloc[i], what, expected)
    values[bad | blank] = np.nan
    return values, blank


def location_note(problems: dict) -> Message | None:
    """What the report says of the rows whose location is not one: how many, the first."""
    if not problems:
        return None
    first = [str(problems[row][0]) for row in sorted(problems)[:3]]
    return Message("{n} rows give a home location that is not one: their answers are kept, "
                   "not located ({first})", n=len(problems), first="; ".join(first))  # fmt: skip


def located(table: pd.DataFrame) -> bool:
    """Whether any respondent of ``table`` (answers or results) says where it lives."""
    if "home_area" not in table.columns:
        return False
    return bool(
        table["home_area"].notna().any() or np.isfinite(table["home_lon"].to_numpy(float)).any()
    )


def locate(table: pd.DataFrame, areas, survey: str, file: str = "") -> tuple[np.ndarray, Message]:
    """The position in ``areas`` (:class:`~qet_geo.areas.zones.Areas`) of each respondent
    of ``table`` (−1: not located, outside every area, or a code the areas lack) and the
    line saying how many were put where. A code is taken before a point; a code whose
    leading zeros were lost (a spreadsheet reading 091230101 as a number) gets them back
    when the area map's codes all have one length; points most of which fall outside every
    area but inside once longitude and latitude are swapped are an error naming the file."""
    import shapely

    from ..areas.join import join_codes, join_points

    n = len(table)
    position = np.full(n, -1, dtype=np.int64)
    frame = pd.DataFrame({"source_row": table["row"].to_numpy()})
    coded = table["home_area"].notna().to_numpy()
    unknown, outside, padded = [], 0, 0
    if coded.any():
        ids = set(areas.frame["area_id"].astype(str))
        lengths = {len(i) for i in ids}
        codes = np.array(table["home_area"].astype(object).to_numpy(), dtype=object)
        if len(lengths) == 1:  # lost leading zeros given back
            width = lengths.pop()
            for i in np.flatnonzero(coded):
                code = str(codes[i])
                if (
                    code not in ids
                    and code.isdigit()
                    and len(code) < width
                    and code.zfill(width) in ids
                ):
                    codes[i], padded = code.zfill(width), padded + 1
        frame["area_code"] = codes
        joined = join_codes(frame, areas, "area_code")
        position[coded] = joined.area[coded]
        unknown = list(joined.unknown_codes)
    lon, lat = table["home_lon"].to_numpy(float), table["home_lat"].to_numpy(float)
    pointed = ~coded & np.isfinite(lon) & np.isfinite(lat)
    if pointed.any():

        def join(x, y):
            points = np.full(n, None, dtype=object)
            points[pointed] = shapely.points(x[pointed], y[pointed])
            frame["geometry"] = list(points)
            return join_points(with_crs(frame, "EPSG:4326"), areas)

        joined = join(lon, lat)
        outside = len(joined.outside_rows)
        if outside * 2 > int(pointed.sum()) and int(pointed.sum()) >= 3:
            swapped = join(lat, lon)
            if len(swapped.outside_rows) * 2 < int(pointed.sum()):
                raise InputError(Problem.of(
                    file or survey, "the longitude and latitude columns seem swapped",
                    value=Message("{outside} of {n} home points outside every area, {inside} inside once swapped",
                                  outside=outside, n=int(pointed.sum()),
                                  inside=int(pointed.sum()) - len(swapped.outside_rows)),
                    expected="the longitude (east–west, about 2.3 in Paris) in the longitude column"))  # fmt: skip
        position[pointed] = joined.area[pointed]
    line = Message(
        "{survey}: {located} respondents located in an area ({coded} by their area code, "
        "{pointed} by their home point), {unknown} with a code the area map lacks, "
        "{outside} outside every area, {none} not saying where they live",
        survey=survey, located=int((position >= 0).sum()), coded=int(coded.sum()),
        pointed=int(pointed.sum()), unknown=int((coded & (position < 0)).sum()), outside=outside,
        none=int((~coded & ~pointed).sum()))  # fmt: skip
    if unknown:  # the codes, for the person running it (this line is not published)
        line = Message("{line}; codes the area map lacks: {codes}", line=line,
                       codes=", ".join(limits.echo(c, 20) for c in unknown[:5])
                       + (" …" if len(unknown) > 5 else ""))  # fmt: skip
    if padded:
        line = Message("{line}; {n} codes read with their lost leading zeros", line=line, n=padded)
    return position, line
