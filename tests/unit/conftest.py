"""Unit tests run in English unless a test asks for French; the sample job, run once."""

import subprocess
import sys

import pytest
from unit_helpers import ROOT, digests

from qet_geo.i18n import set_language


@pytest.fixture(autouse=True)
def english_messages():
    set_language("en")
    yield
    set_language(None)


@pytest.fixture(scope="session")
def sample_job(tmp_path_factory):
    """The documented example configuration run once, as a user runs it (``qet-geo --lang
    fr run sample_data/qet-geo.toml -o …/sorties``, in a process of its own), for the tests
    that only read its outputs: (output folder, the finished process, digests of
    sample_data/ taken before)."""
    sample = ROOT / "sample_data"
    out = tmp_path_factory.mktemp("run") / "sorties"
    before = digests(sample)
    done = subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", "fr", "run", str(sample / "qet-geo.toml"),
         "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done, before
