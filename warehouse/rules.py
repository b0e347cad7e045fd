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


def bad_row_share_refusal(bad: int, rows: int, limit: float) -> tuple[str, str] | None:
    """Why a file with `bad` rows in error out of `rows` is refused whole (zh, en), or None: more than `limit`
    (a share, QUALITY_BAD_ROW_SHARE) of its rows are bad. The one rule the validation gate and the load ask."""
    share = bad / rows if rows else 0.0
    if share <= limit:
        return None
    return (f"错误行占比 {share:.1%}，超过上限 {limit * 100:g}%，整个文件拒收",
            f"{share:.1%} of the rows have errors, more than the limit of {limit * 100:g}%: file refused")
