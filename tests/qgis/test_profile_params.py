"""Profile parameters that cannot work: in QGIS the same rule as on the command line, the
message naming the algorithm's parameter by its label (issue 12)."""

from __future__ import annotations

import pytest
from plugin_testing import SURVEY_0
from qgis.core import QgsProcessingException

DETECT = "qetgeo:detectprofiles"


def _run(algorithm: str, parameters: dict) -> dict:
    import processing

    return processing.run(algorithm, parameters)


@pytest.fixture(scope="module")
def respondents(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("params") / "respondents.gpkg")
    _run("qetgeo:importsurvey", {"INPUT": str(SURVEY_0), "OUTPUT": path})
    return path


@pytest.mark.parametrize(
    "parameters, words",
    [
        ({"TARGET_COUNT": 100000}, ["target number of profiles", "value 100000",
                                    "from 2 to 172", "172 distinct answer vectors"]),
        ({"METHOD": 1, "K": 500}, ["number of profiles k", "value 500", "from 2 to 172"]),
        ({"MIN_SHARE": 0.0}, ["minimum share", "value 0.0", "between 0 and 1"]),
        ({"METHOD": 1, "K": 0, "K_MIN": 300, "K_MAX": 400}, ["Smallest k tried", "(300, 400)"]),
    ],
)  # fmt: skip
def test_detect_names_the_parameter_the_value_and_the_range(
    plugin, respondents, tmp_path, parameters, words
):
    with pytest.raises(QgsProcessingException) as error:
        _run(DETECT, {"INPUT": respondents, "BOOTSTRAP": 0, **parameters,
                      "OUTPUT_MODEL": str(tmp_path / "m.json"),
                      "OUTPUT": str(tmp_path / "labelled.gpkg")})  # fmt: skip
    message = str(error.value)
    for word in words:
        assert word in message, (word, message)
    assert not (tmp_path / "m.json").exists()
