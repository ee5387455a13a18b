"""Unit tests run in English unless a test asks for French."""

import pytest

from qet_geo.i18n import set_language


@pytest.fixture(autouse=True)
def english_messages():
    set_language("en")
    yield
    set_language(None)
