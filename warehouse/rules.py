"""Business rules that are settings, not code: audit intervals, suggested-grade thresholds, horizons, limits.

Change a number here and every page, the meeting and the report follow; nothing else holds these values.
"""
from __future__ import annotations

# Supplier audits per material risk class (DESIGN.md "Supplier grades"): which audit kinds count and how many
# months may pass between two of them. A: an on-site audit at least yearly. B: a yearly risk review, met by an
# on-site or a document audit (the review decides whether to go on site). C: paperwork only, renewed every 3 years.
AUDIT_RULES: dict[str, tuple[tuple[str, ...], int]] = {
    "A": (("on_site",), 12),
    "B": (("on_site", "document"), 12),
    "C": (("on_site", "document"), 36),
}
AUDIT_DUE_SOON_DAYS = 60          # an audit due within this many days is shown as "due"

# Suggested supplier grade from a year of incoming inspection (IQC): the first grade whose thresholds the
# supplier meets (lot pass rate at least, unit PPM at most); fewer lots than the minimum: no suggestion.
GRADE_THRESHOLDS: tuple[tuple[str, float, float], ...] = (
    ("A", 97.0, 2500.0),
    ("B", 94.0, 4000.0),
)
GRADE_OTHERWISE = "C"
GRADE_MIN_LOTS = 20

CALIBRATION_DUE_SOON_DAYS = 30    # instruments due for calibration within this many days are listed
WILSON_BELOW_LOTS = 100           # show a Wilson interval where a rate rests on fewer lots than this
LIST_LIMIT = 500                  # long lists (failed lots, files, failed checks, quarantine) show this many rows
YEARS_BACK = 5                    # "by year" charts show the chosen year and this many years before it, at most
