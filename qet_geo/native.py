"""Which native GEOS, PROJ and GDAL this process would really call.

A program linked with GEOS, PROJ or GDAL (``qgis.bin``, ``qgis_process.bin`` on Linux) has
them in its global symbol scope, and the pip wheels of shapely, pyproj and pyogrio loaded
into it then call those, not the ones they bring: inside the QGIS 3.22 window, shapely 2.x
(GEOS 3.14) calls QGIS's GEOS 3.11, a plain 2-D polygon reads as having M values and 3-D
coordinates, and some calls raise ``GEOSException`` or crash. Under ``python`` (the command
line, the headless tests) nothing is global and each wheel calls its own library.

:func:`global_libraries` reads the versions of the global ones through ``ctypes`` (without
loading any wheel); the plugin runs the geometry work in a separate Python process when
any of them is there (``algorithms/isolation.py``, ``qet_geo.worker``).
"""

from __future__ import annotations

import ctypes
import sys


class _ProjInfo(ctypes.Structure):
    _fields_ = [
        ("major", ctypes.c_int),
        ("minor", ctypes.c_int),
        ("patch", ctypes.c_int),
        ("release", ctypes.c_char_p),
        ("version", ctypes.c_char_p),
        ("searchpath", ctypes.c_char_p),
        ("paths", ctypes.c_void_p),
        ("path_count", ctypes.c_size_t),
    ]


def _global_scope():
    """The process's global symbols, where a library resolves unqualified names in them
    (ELF: Linux, BSD); None on Windows (no global scope) and macOS (two-level namespaces:
    each wheel binds to its own library, and a look-up there would find QGIS's anyway)."""
    if sys.platform.startswith(("win", "darwin", "cygwin")):
        return None
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def global_libraries() -> dict[str, str]:
    """{"GEOS": version, "PROJ": version, "GDAL": version} of those in the global symbol
    scope of this process (the program's own, not a wheel's); empty under ``python``."""
    scope = _global_scope()
    found: dict[str, str] = {}
    if scope is None:
        return found
    try:
        geos = scope.GEOSversion
        geos.restype, geos.argtypes = ctypes.c_char_p, []
        found["GEOS"] = geos().decode()
    except AttributeError:
        pass
    try:
        proj = scope.proj_info
        proj.restype, proj.argtypes = _ProjInfo, []
        info = proj()
        found["PROJ"] = f"{info.major}.{info.minor}.{info.patch}"
    except AttributeError:
        pass
    try:
        gdal = scope.GDALVersionInfo
        gdal.restype, gdal.argtypes = ctypes.c_char_p, [ctypes.c_char_p]
        found["GDAL"] = gdal(b"RELEASE_NAME").decode()
    except AttributeError:
        pass
    return found


def wheel_libraries() -> dict[str, str]:
    """{"GEOS", "PROJ", "GDAL"} versions of shapely, pyproj and pyogrio in this process
    (each one that imports). Never call it inside QGIS: importing pyproj or pyogrio there
    is the conflict itself; :mod:`qet_geo.worker` calls it in a separate process."""
    found: dict[str, str] = {}
    try:
        import shapely

        found["GEOS"] = shapely.geos_version_string
    except Exception:  # noqa: BLE001 - not installed, or broken: reported as absent
        pass
    try:
        import pyproj

        found["PROJ"] = pyproj.proj_version_str
    except Exception:  # noqa: BLE001
        pass
    try:
        import pyogrio

        found["GDAL"] = pyogrio.__gdal_version_string__
    except Exception:  # noqa: BLE001
        pass
    return found


def flat_polygon_reads_flat() -> bool:
    """Whether shapely, in this process, reads a plain 2-D polygon as 2-D (no Z, no M)."""
    import shapely

    try:
        polygon = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 0)])
        has_m = bool(shapely.has_m(polygon)) if hasattr(shapely, "has_m") else False
        return not (
            bool(shapely.has_z(polygon))
            or has_m
            or int(shapely.get_coordinate_dimension(polygon)) != 2
        )
    except Exception:  # noqa: BLE001 - a GEOSException is the answer too
        return False
