"""The years a report may be of, in a module of their own so that the command line checks --year without
making the Context model (text/context.py, text/model.py)."""
from __future__ import annotations

FIRST_YEAR, LAST_YEAR = 1900, 2100  # a year outside these is a typo (17, 20017), not a report's year
