"""Control charts and run rules (warehouse.spc): published worked examples, constructed series for every rule, the
varying n of real months, the baseline and the running month, on hand-built warehouses."""
import datetime as dt
import math

import pytest

from warehouse import spc
from warehouse.spc import Sample, SpcError, broken_rules, centre, chart_points

# Montgomery, Introduction to Statistical Quality Control, the orange-juice cans example (the p-chart's trial limits;
# the same 30 samples are the NIST/SEMATECH e-Handbook's wafer example, section 6.3.3.2): 30 samples of n = 50 cans,
# D nonconforming cans in each. Published: p̄ = 0.2313, UCL = 0.4102, LCL = 0.0524; samples 15 and 23 above the UCL.
ORANGE_JUICE_D = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7,
                  13, 9, 6]
# Montgomery's u-chart example (personal computers): 20 samples of n = 5 computers, c nonconformities in each.
# Published: ū = 1.93, UCL = 3.79, LCL = 0.07, every sample in control.
COMPUTERS_C = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]


def samples(counts, n, partial_last=False):
    """Monthly samples from January 2025 on, one per count, each of size n (a number, or one per count)."""
    sizes = n if isinstance(n, list) else [n] * len(counts)
    out = []
    for i, (c, size) in enumerate(zip(counts, sizes)):
        out.append(Sample(2025 + i // 12, i % 12 + 1, float(size), float(c),
                          partial_last and i == len(counts) - 1))
    return out


def rules_at(points):
    """{1-based point number: rule names} of the points that broke any."""
    return {i + 1: p.rules for i, p in enumerate(points) if p.rules}


# Published examples ----------------------------------------------------------------------------------------------


def test_orange_juice_p_chart_limits_and_out_of_control_samples():
    data = samples(ORANGE_JUICE_D, 50)
    p_bar = centre(data)
    assert round(p_bar, 4) == 0.2313
    points = chart_points("p", data, p_bar)
    assert {round(p.ucl, 4) for p in points} == {0.4102}
    assert {round(p.lcl, 4) for p in points} == {0.0524}
    assert [i for i, r in rules_at(points).items() if "beyond_3sigma" in r] == [15, 23]


def test_computers_u_chart_limits_and_no_signal_beyond_limits():
    data = samples(COMPUTERS_C, 5)
    u_bar = centre(data)
    assert round(u_bar, 2) == 1.93
    points = chart_points("u", data, u_bar)
    assert {round(p.ucl, 2) for p in points} == {3.79}
    assert {round(p.lcl, 2) for p in points} == {0.07}
    assert not any("beyond_3sigma" in p.rules for p in points)


def test_u_chart_has_no_upper_cap_and_p_chart_limits_stay_in_0_1():
    # p̄ = 0.5 with n = 2: p̄ ± 3·√(0.25/2) = 0.5 ± 1.06 → clipped to [0, 1]
    p = chart_points("p", [Sample(2025, 1, 2, 1)], 0.5)[0]
    assert (p.lcl, p.ucl) == (0.0, 1.0)
    # ū = 2 with n = 1: 2 ± 3·√2 = 2 ± 4.243 → [0, 6.243]
    u = chart_points("u", [Sample(2025, 1, 1, 2)], 2.0)[0]
    assert u.lcl == 0.0 and u.ucl == pytest.approx(2 + 3 * math.sqrt(2))


# Varying n -------------------------------------------------------------------------------------------------------


def test_limits_and_z_follow_each_months_n():
    # p̄ = 0.1. A month of 400 lots with 60 failed: p = 0.15, σ = √(0.1·0.9/400) = 0.015, z = 3.33 (beyond).
    # A month of 25 lots with 4 failed: p = 0.16, σ = √(0.09/25) = 0.06, z = 1.0, UCL = 0.1 + 0.18 = 0.28.
    big, small = chart_points("p", [Sample(2025, 1, 400, 60), Sample(2025, 2, 25, 4)], 0.1)
    assert big.z == pytest.approx(0.05 / 0.015)
    assert big.ucl == pytest.approx(0.145) and big.lcl == pytest.approx(0.055)
    assert big.rules == ("beyond_3sigma",)
    assert small.z == pytest.approx(1.0)
    assert small.ucl == pytest.approx(0.28) and small.lcl == 0.0
    assert small.rules == ()


def test_zone_rules_use_z_so_the_same_share_failed_is_judged_by_its_months_n():
    # p̄ = 0.1. Month 1: 100 lots, 10 failed (z = 0). Month 2: 100 lots, 17 failed: σ = 0.03, z = 2.33.
    # Month 3: p = 0.12556 (113 of 900 lots): σ = √(0.09/900) = 0.01, z = 2.56, beyond 2σ: with month 2, 2 of 3.
    # The same p in a month of 100 lots (12.556 of 100) is z = 0.85: no signal.
    big = chart_points("p", [Sample(2025, 1, 100, 10), Sample(2025, 2, 100, 17), Sample(2025, 3, 900, 113)], 0.1)
    assert [round(p.z, 3) for p in big] == [0.0, round(0.07 / 0.03, 3), round((113 / 900 - 0.1) / 0.01, 3)]
    assert big[2].rules == ("2_of_3_beyond_2sigma",)
    small = chart_points("p", [Sample(2025, 1, 100, 10), Sample(2025, 2, 100, 17), Sample(2025, 3, 100, 12.556)], 0.1)
    assert small[2].z == pytest.approx(0.02556 / 0.03, abs=1e-4)
    assert small[2].rules == ()


# Each rule on constructed series (z given directly) --------------------------------------------------------------


def flagged(z, values=None, partial=None, rule=None):
    """1-based numbers of the points at which the rule is flagged."""
    values = values if values is not None else [0.0] * len(z)   # flat values: no trend unless asked
    return [i + 1 for i, r in enumerate(broken_rules(z, values, partial)) if rule in r]


def test_rule_1_beyond_3_sigma_either_side_and_not_on_the_limit():
    assert flagged([0.0, 3.2, -3.5, 2.9], rule="beyond_3sigma") == [2, 3]
    assert flagged([3.0, -3.0], rule="beyond_3sigma") == []


def test_rule_2_two_of_three_beyond_2_sigma_on_one_side():
    assert flagged([0.5, 2.5, 0.3, 2.2], rule="2_of_3_beyond_2sigma") == [4]
    assert flagged([-2.1, -0.3, -2.4], rule="2_of_3_beyond_2sigma") == [3]
    # opposite sides are not a signal
    assert flagged([2.5, -2.5, 0.1, 2.3, -2.6], rule="2_of_3_beyond_2sigma") == []
    # the two must lie within 3 points: 2.5, ., ., 2.5 is not
    assert flagged([2.5, 0.2, 0.1, 2.5], rule="2_of_3_beyond_2sigma") == []
    # flagged where the pattern is completed by a point beyond 2σ, not on the quiet point after it
    assert flagged([0.0, 2.5, 2.5, 0.5], rule="2_of_3_beyond_2sigma") == [3]
    # the first points of a chart: 2 of the first 2
    assert flagged([2.5, 2.5], rule="2_of_3_beyond_2sigma") == [2]


def test_rule_3_four_of_five_beyond_1_sigma_on_one_side():
    assert flagged([1.5, 0.5, 1.2, 1.1, 1.3], rule="4_of_5_beyond_1sigma") == [5]
    assert flagged([1.5, -1.5, 1.2, 1.1, 1.3], rule="4_of_5_beyond_1sigma") == [5]
    assert flagged([1.5, -1.2, -1.1, 1.3, 1.4], rule="4_of_5_beyond_1sigma") == []
    assert flagged([1.5, 1.2, 1.1, 0.9], rule="4_of_5_beyond_1sigma") == []
    assert flagged([-1.1, -1.2, -1.3, -1.4, -1.5, -1.6], rule="4_of_5_beyond_1sigma") == [4, 5, 6]


def test_rule_4_eight_in_a_row_on_one_side():
    assert flagged([0.2] * 7, rule="8_on_one_side") == []
    assert flagged([0.2] * 9, rule="8_on_one_side") == [8, 9]
    assert flagged([-0.1] * 8, rule="8_on_one_side") == [8]
    # a point on the centre line or across it breaks the run
    assert flagged([0.2] * 4 + [0.0] + [0.2] * 7, rule="8_on_one_side") == []
    assert flagged([0.2] * 4 + [-0.2] + [0.2] * 8, rule="8_on_one_side") == [13]


def test_rule_5_six_in_a_row_rising_or_falling_is_five_steps():
    z = [0.0] * 7
    assert flagged(z[:6], values=[1, 2, 3, 4, 5, 6], rule="6_trending") == [6]
    assert flagged(z[:5], values=[1, 2, 3, 4, 5], rule="6_trending") == []
    assert flagged(z[:6], values=[5, 1, 2, 3, 4, 5], rule="6_trending") == []      # 5 points rising: 4 steps
    assert flagged(z[:6], values=[6, 5, 4, 3, 2, 1], rule="6_trending") == [6]
    assert flagged(z, values=[1, 2, 3, 4, 5, 6, 7], rule="6_trending") == [6, 7]
    # a tie breaks the trend
    assert flagged(z, values=[1, 2, 3, 3, 4, 5, 6], rule="6_trending") == []
    # a turn breaks it too
    assert flagged(z, values=[1, 2, 3, 4, 5, 4, 5], rule="6_trending") == []


def test_a_running_month_is_judged_by_rule_1_only():
    # eight points above the centre, the eighth still running: no run signal on it
    assert flagged([0.2] * 8, partial=[False] * 7 + [True], rule="8_on_one_side") == []
    assert broken_rules([0.2] * 7 + [3.5], [0.0] * 8, [False] * 7 + [True])[-1] == ("beyond_3sigma",)
    # with the trend: five rises up to a running month are no signal
    assert broken_rules([0.0] * 6, [1, 2, 3, 4, 5, 6], [False] * 5 + [True])[-1] == ()


def test_a_point_can_break_several_rules():
    z = [0.5, 0.6, 0.7, 1.2, 1.3, 1.4, 2.5, 3.5]
    values = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    assert broken_rules(z, values)[-1] == ("beyond_3sigma", "2_of_3_beyond_2sigma", "4_of_5_beyond_1sigma",
                                           "8_on_one_side", "6_trending")


def test_rules_are_numbered_as_documented():
    assert [(r.number, r.name) for r in spc.RULES] == [
        (1, "beyond_3sigma"), (2, "2_of_3_beyond_2sigma"), (3, "4_of_5_beyond_1sigma"), (4, "8_on_one_side"),
        (5, "6_trending")]


def test_months_and_baselines_are_read_or_refused_in_both_languages():
    assert spc.parse_month("2026-03") == (2026, 3)
    assert spc.parse_baseline("2025-01:2025-12") == ((2025, 1), (2025, 12))
    for bad in ("2026-13", "2026-3", "26-03", "March", ""):
        with pytest.raises(SpcError) as caught:
            spc.parse_month(bad)
        assert "YYYY-MM" in str(caught.value) and "月份" in caught.value.reason_zh
    with pytest.raises(SpcError):
        spc.parse_baseline("2025-01")
    with pytest.raises(SpcError) as caught:
        spc.parse_baseline("2025-12:2025-01")
    assert "基准期" in caught.value.reason_zh


# On a warehouse ------------------------------------------------------------------------------------------------


def add_month(con, stage, year, month, passed, failed, supplier=None, sample_qty=None, defects=None, day=10):
    """Insert a month's lots of a stage: `passed` passing and `failed` failing, each with sample_qty and defects."""
    start = con.execute("SELECT count(*) FROM inspection").fetchone()[0]
    for i, result in enumerate(["pass"] * passed + ["fail"] * failed):
        con.execute("INSERT INTO inspection (id, stage, inspected_on, supplier, result, sample_qty, defects) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [f"L{start + i}", stage, dt.date(year, month, day), supplier, result, sample_qty, defects])


def test_chart_of_a_stage_counts_its_months_and_takes_the_baseline_given(con):
    # IQC 2025: every month 20 lots, 2 failed (p = 0.1); 2026-01..03: 20 lots, 6 failed (p = 0.3). Other stages and
    # other suppliers' lots are not counted.
    for m in range(1, 13):
        add_month(con, "IQC", 2025, m, 18, 2, supplier="S1")
    for m in (1, 2, 3):
        add_month(con, "IQC", 2026, m, 14, 6, supplier="S1")
    add_month(con, "IPQC", 2026, 1, 0, 20)
    add_month(con, "IQC", 2026, 2, 0, 20, supplier="S2")
    chart = spc.control_chart(con, "IQC", supplier="S1", first=(2025, 1), last=(2026, 3),
                              baseline=((2025, 1), (2025, 12)), as_of=dt.date(2026, 6, 30))
    assert chart.centre == pytest.approx(0.1)
    assert [p.label for p in chart.points][-3:] == ["2026-01", "2026-02", "2026-03"]
    last = chart.points[-1]
    # σ = √(0.1·0.9/20) = 0.06708; UCL = 0.1 + 0.20125 = 0.30125; p = 0.3 is inside, z = 2.98
    assert last.ucl == pytest.approx(0.1 + 3 * math.sqrt(0.09 / 20))
    # 2026-02 and 2026-03 (z = 2.98 after a year at z = 0) are 2 of 3 beyond 2σ; 2026-01 alone is none
    assert [p.rules for p in chart.points[-3:]] == [(), ("2_of_3_beyond_2sigma",), ("2_of_3_beyond_2sigma",)]
    assert not any(p.rules for p in chart.points[:-3])
    # without S1, IQC of February 2026 holds S2's 20 failed lots too: 40 lots, 26 failed
    whole = spc.control_chart(con, "IQC", first=(2026, 2), last=(2026, 2), baseline=((2025, 1), (2025, 12)),
                              as_of=dt.date(2026, 6, 30))
    assert (whole.points[0].n, whole.points[0].count) == (40, 26)


def test_default_baseline_leaves_out_the_running_month_which_only_rule_1_judges(con):
    # Jan-Jul 2026 full months: 100 lots, 10 failed each (p = 0.1); August still running on 2026-08-12: 10 lots, 9
    # failed. Its lots must not move p̄ (which would be 79/710 with them).
    for m in range(1, 8):
        add_month(con, "FQC", 2026, m, 90, 10)
    add_month(con, "FQC", 2026, 8, 1, 9, day=3)
    chart = spc.control_chart(con, "FQC", first=(2026, 1), last=(2026, 8), as_of=dt.date(2026, 8, 12))
    assert chart.centre == pytest.approx(0.1)
    running = chart.points[-1]
    assert running.partial and running.rules == ("beyond_3sigma",)   # z = 0.8 / √(0.009) = 8.4
    assert not any(p.partial for p in chart.points[:-1])
    # lots after the as-of day are not counted
    add_month(con, "FQC", 2026, 8, 0, 50, day=20)
    again = spc.control_chart(con, "FQC", first=(2026, 1), last=(2026, 8), as_of=dt.date(2026, 8, 12))
    assert (again.points[-1].n, again.points[-1].count) == (10, 9)


def test_u_chart_counts_defects_per_sampled_unit_of_lots_with_both(con):
    add_month(con, "OQC", 2026, 1, 4, 0, sample_qty=50, defects=1)      # 200 units, 4 defects
    add_month(con, "OQC", 2026, 1, 3, 0, sample_qty=None, defects=7)    # no sample size: left out
    add_month(con, "OQC", 2026, 2, 2, 0, sample_qty=100, defects=3)     # 200 units, 6 defects
    chart = spc.control_chart(con, "OQC", kind="u", first=(2026, 1), last=(2026, 2), as_of=dt.date(2026, 6, 1))
    assert [(p.n, p.count) for p in chart.points] == [(200, 4), (200, 6)]
    assert chart.centre == pytest.approx(10 / 400)


def test_bad_stage_unknown_supplier_and_empty_baseline_are_refused(con):
    add_month(con, "IQC", 2026, 1, 10, 1, supplier="S1")
    day = dt.date(2026, 6, 1)
    with pytest.raises(SpcError) as caught:
        spc.control_chart(con, "XQC", as_of=day)
    assert "IQC" in str(caught.value) and "检验环节" in caught.value.reason_zh
    with pytest.raises(SpcError) as caught:
        spc.control_chart(con, "IQC", supplier="NOPE", as_of=day)
    assert "NOPE" in str(caught.value) and "供应商" in caught.value.reason_zh
    with pytest.raises(SpcError) as caught:
        spc.control_chart(con, "IQC", baseline=((2024, 1), (2024, 12)), as_of=day)
    assert "2024-01:2024-12" in str(caught.value) and "基准期" in caught.value.reason_zh


def test_signals_name_the_flagged_months_and_their_rules(con):
    # IPQC 2026: 11 months at p = 0.1 (100 lots, 10 failed), then December with 30 of 100 failed.
    for m in range(1, 12):
        add_month(con, "IPQC", 2026, m, 90, 10)
    add_month(con, "IPQC", 2026, 12, 70, 30)
    day = dt.date(2026, 12, 31)
    # Baseline January-November: p̄ = 0.1, σ = 0.03; December z = 6.67; the other months sit on the centre line.
    found = spc.signals(con, "IPQC", as_of=day, baseline=((2026, 1), (2026, 11)))
    assert [(s.label, s.rules) for s in found] == [("2026-12", ("beyond_3sigma",))]
    # Baseline the whole year (the default): p̄ = 140/1200 = 0.1167, so January-November lie below it (z = -0.52):
    # from August on, 8 in a row on one side; December z = 5.7.
    found = spc.signals(con, "IPQC", as_of=day)
    assert [(s.label, s.rules) for s in found] == [
        ("2026-08", ("8_on_one_side",)), ("2026-09", ("8_on_one_side",)), ("2026-10", ("8_on_one_side",)),
        ("2026-11", ("8_on_one_side",)), ("2026-12", ("beyond_3sigma",))]
    assert spc.signals(con, "OQC", as_of=day) == []       # no data: no signal
    with pytest.raises(SpcError):
        spc.signals(con, "BAD", as_of=day)


def test_chart_csv_header_and_rows():
    # p̄ = 0.5, n = 10: σ = √(0.25/10) = 0.158114, limits 0.5 ± 0.474342; z = -2.53, 2.53, 2.53: rule 2 on the third
    chart = spc.Chart("p", "IQC", None, ((2025, 1), (2025, 3)), 0.5,
                      tuple(chart_points("p", samples([1, 9, 9], 10), 0.5)))
    assert spc.chart_csv(chart).splitlines() == [
        "month,lots,failed,p,centre,lcl,ucl,rules",
        "2025-01,10,1,0.1,0.5,0.025658,0.974342,",
        "2025-02,10,9,0.9,0.5,0.025658,0.974342,",
        "2025-03,10,9,0.9,0.5,0.025658,0.974342,2_of_3_beyond_2sigma"]
    several = spc.ChartPoint(2025, 4, 10, 10, 1.0, 0.5, 0.0, 1.0, 3.2, False, ("beyond_3sigma", "8_on_one_side"))
    u_chart = spc.Chart("u", "IQC", None, ((2025, 1), (2025, 3)), 0.5, (several,))
    assert spc.chart_csv(u_chart).splitlines() == ["month,units,defects,u,centre,lcl,ucl,rules",
                                                    "2025-04,10,10,1,0.5,0,1,beyond_3sigma;8_on_one_side"]


def test_the_charts_count_the_lots_units_and_defects_the_inspection_kpis_count(con):
    from warehouse.kpis import REGISTRY, kpi_rows

    for stage, (passed, failed, qty, defects) in {"IQC": (7, 2, 50, 1), "IPQC": (5, 1, 20, 2), "FQC": (4, 3, 10, 0),
                                                   "OQC": (6, 1, 30, 3)}.items():
        add_month(con, stage, 2026, 3, passed, failed, sample_qty=qty, defects=defects)
    add_month(con, "FQC", 2026, 3, 2, 0, sample_qty=None, defects=4)        # no sample size: not in the PPM
    codes = [f"{step}_inspection_{what}" for step in ("incoming", "process", "final") for what in ("pass_rate", "ppm")]
    found = kpi_rows(con, [REGISTRY[c] for c in codes], dt.date(2026, 3, 1), dt.date(2026, 4, 1),
                     today=dt.date(2026, 6, 1))
    for step, stages in {"incoming": ("IQC",), "process": ("IPQC",), "final": ("FQC", "OQC")}.items():
        p = [spc.monthly_samples(con, s, "p", (2026, 3), (2026, 3))[0] for s in stages]
        u = [spc.monthly_samples(con, s, "u", (2026, 3), (2026, 3))[0] for s in stages]
        (_, _, lots_passed, lots, _), = found[f"{step}_inspection_pass_rate"]
        (_, _, kpi_defects, units, _), = found[f"{step}_inspection_ppm"]
        assert (sum(s.n for s in p), sum(s.count for s in p)) == (lots, lots - lots_passed), step
        assert (sum(s.n for s in u), sum(s.count for s in u)) == (units, kpi_defects), step
