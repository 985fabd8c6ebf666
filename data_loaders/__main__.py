"""``python -m data_loaders`` is the same as ``pcc-dashboard``."""

import sys

from data_loaders.cli import main

sys.exit(main())
