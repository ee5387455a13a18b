"""``python -m qet_geo.cli``: the ``qet-geo`` command."""

import sys

from . import main

sys.exit(main())
