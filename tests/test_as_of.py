"""Figures as of a day: a period still running is compared with the same days a year earlier, work inside its
deadline is in progress (not failure), and "today" is the plant's day. Expected values are worked out by hand
from the rows each test inserts.

China's 2026 calendar (State Council notice for 2026): Spring Festival 2月15日（星期日）至23日（星期一）放假调休，共9天；
2月14日（星期六）、2月28日（星期六）上班. So Sat 2026-02-14 is a working day and Sun 02-15 .. Mon 02-23 are not.
"""
import datetime as dt

import pytest

from etl.cli import main
from warehouse.complaint_clock import complaint_clock
from warehouse.kpis import CSV_HEADER, Period, kpi_series, kpi_values, opening_period, year_earlier
from warehouse.settings import Settings

T = dt.datetime
SETTINGS = Settings(foreign_reply_hours=48.0)


def add_lots(con, day: str, passed: int, failed: int) -> None:
    """IQC lots inspected on day."""
    start = con.execute("SELECT count(*) FROM inspection").fetchone()[0]
    for i, result in enumerate(["pass"] * passed + ["fail"] * failed):
        con.execute("INSERT INTO inspection (id, stage, inspected_on, result) VALUES (?, 'IQC', ?, ?)",
                    [f"L{start + i}", day, result])


def add_complaint(con, **values) -> None:
    names = list(values)
    con.execute(f"INSERT INTO complaint ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                list(values.values()))


def add_action(con, id: str, due_on: str, implemented_on: str | None = None, verified_on: str | None = None,
               effective: bool | None = None) -> None:
    con.execute("INSERT INTO corrective_action (id, source, opened_on, due_on, implemented_on, verified_on, effective) "
                "VALUES (?, 'inspection', DATE '2026-01-02', ?, ?, ?, ?)", [id, due_on, implemented_on, verified_on,
                                                                            effective])


def value(con, code: str, period: Period, day: dt.date):
    [found] = kpi_values(con, period, SETTINGS, today=day, codes=[code])
    return found


def test_the_first_day_of_a_month_is_compared_with_the_same_day_a_year_earlier(con):
    add_lots(con, "2026-11-15", 95, 5)
    add_lots(con, "2026-12-01", 7, 1)          # the one day of December so far: 7 of 8
    add_lots(con, "2025-12-01", 9, 1)          # the same day a year earlier: 9 of 10
    add_lots(con, "2025-12-02", 0, 50)         # later in December 2025: not like for like
    add_lots(con, "2025-11-10", 90, 10)
    dec = value(con, "incoming_inspection_pass_rate", Period(2026, 12), dt.date(2026, 12, 1))
    assert dec.partial and (dec.numerator, dec.denominator) == (7, 8)
    assert dec.value == pytest.approx(87.5) and dec.prior_value == pytest.approx(90.0)
    assert dec.delta == pytest.approx(-2.5)
    ytd = value(con, "incoming_inspection_pass_rate", Period(2026, 12, ytd=True), dt.date(2026, 12, 1))
    assert ytd.partial and (ytd.numerator, ytd.denominator) == (102, 108)
    assert ytd.prior_value == pytest.approx(100 * 99 / 110)    # 2025-01-01 .. 2025-12-01: 90 + 9 of 100 + 10


def test_the_last_day_of_a_year_is_the_whole_year(con):
    add_lots(con, "2026-12-31", 1, 1)
    add_lots(con, "2025-12-31", 3, 1)
    year = value(con, "incoming_inspection_pass_rate", Period(2026), dt.date(2026, 12, 31))
    assert not year.partial and (year.numerator, year.denominator) == (1, 2)
    assert year.prior_value == pytest.approx(75.0)
    assert Period(2026).through(dt.date(2026, 12, 30)).end == dt.date(2026, 12, 31)


def test_a_leap_day_is_compared_with_the_28th_of_february(con):
    assert year_earlier(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    add_lots(con, "2028-02-10", 4, 0)
    add_lots(con, "2028-02-28", 0, 4)            # as of the 28th: 4 of 8
    add_lots(con, "2027-02-27", 1, 0)
    add_lots(con, "2027-02-28", 1, 2)            # a year earlier up to and including the 28th: 2 of 4
    feb = value(con, "incoming_inspection_pass_rate", Period(2028, 2), dt.date(2028, 2, 28))
    assert feb.partial and feb.value == pytest.approx(50.0) and feb.prior_value == pytest.approx(50.0)
    add_lots(con, "2028-02-29", 4, 0)            # the leap day closes February: whole months on both sides
    whole = value(con, "incoming_inspection_pass_rate", Period(2028, 2), dt.date(2028, 2, 29))
    assert not whole.partial and whole.value == pytest.approx(100 * 8 / 12)
    assert whole.prior_value == pytest.approx(50.0)


def test_a_running_month_in_a_series_is_partial_and_later_months_are_left_out(con):
    add_lots(con, "2026-11-20", 10, 0)
    add_lots(con, "2026-12-01", 7, 1)
    points = kpi_series(con, "incoming_inspection_pass_rate", 3, Period(2026, 12), SETTINGS,
                        today=dt.date(2026, 12, 1))
    assert [(p.period.month, p.partial, p.denominator) for p in points] == [(10, False, None), (11, False, 10),
                                                                          (12, True, 8)]
    early = kpi_series(con, "incoming_inspection_pass_rate", 3, Period(2026, 12), SETTINGS,
                       today=dt.date(2026, 11, 5))
    assert [p.period.month for p in early] == [10, 11]


def test_pages_open_on_the_last_full_month_in_a_months_first_days():
    assert opening_period(dt.date(2026, 12, 1), 7) == Period(2026, 11, ytd=True)
    assert opening_period(dt.date(2026, 12, 6), 7) == Period(2026, 11, ytd=True)
    assert opening_period(dt.date(2026, 12, 7), 7) == Period(2026, 12, ytd=True)
    assert opening_period(dt.date(2027, 1, 3), 7) == Period(2026, 12, ytd=True)


def test_an_open_complaint_inside_its_deadline_is_in_progress_not_unhandled(con):
    settings = Settings(foreign_reply_hours=48.0, complaint_handling_days=30, warranty_days=15)
    add_complaint(con, id="OLD", region="in_province", received_at=T(2026, 10, 20, 9), resolution="repair")
    add_complaint(con, id="NEW", region="in_province", received_at=T(2026, 11, 28, 9), resolution="replace")
    add_complaint(con, id="DONE", region="in_province", received_at=T(2026, 11, 2, 9), closed_at=T(2026, 11, 20, 9),
                  resolution="refund", resolution_done_at=T(2026, 11, 10, 9))
    day = dt.date(2026, 12, 1)
    values = {v.kpi: v for v in kpi_values(con, Period(2026, 11, ytd=True), settings, today=day,
                                           codes=["complaint_handling_rate", "warranty_fulfilment_rate"])}
    handling = values["complaint_handling_rate"]
    # OLD: open 42 days (> 30): not handled; NEW: open 3 days: in progress; DONE: handled
    assert (handling.numerator, handling.denominator, handling.in_progress) == (1, 2, 1)
    assert handling.value == pytest.approx(50.0)
    warranty = values["warranty_fulfilment_rate"]
    # OLD's repair not done 42 days on (> 15): not done; NEW's replacement 3 days on: in progress; DONE's refund done
    assert (warranty.numerator, warranty.denominator, warranty.in_progress) == (1, 2, 1)


def test_a_pending_milestone_not_yet_due_is_pending_and_the_complaint_not_yet_judged(con):
    # received Mon 2026-11-30 09:00 in province; first response due 13:00 and met at 10:00; the clear reply is due
    # Tue 09:00 and not given by the end of Mon: on time so far. One received at 20:00 has nothing due yet.
    add_complaint(con, id="A", region="in_province", received_at=T(2026, 11, 30, 9),
                  first_response_at=T(2026, 11, 30, 10))
    add_complaint(con, id="B", region="in_province", received_at=T(2026, 11, 30, 20))
    add_complaint(con, id="C", region="in_province", received_at=T(2026, 11, 2, 9),
                  first_response_at=T(2026, 11, 2, 15))
    [v] = kpi_values(con, Period(2026, 11), SETTINGS, today=dt.date(2026, 11, 30),
                     codes=["complaints_handled_on_time_rate"])
    # A: judged (one milestone met, none missed); B: in progress; C: first response 6 h after receipt: missed
    assert (v.numerator, v.denominator, v.in_progress) == (1, 2, 1)
    statuses = {s.milestone: s.status for s in complaint_clock(con, SETTINGS, T(2026, 11, 30, 23), ["A"])}
    assert statuses["first_response"] == "met" and statuses["reply"] == "pending"


def test_our_fault_without_a_confirmed_cause_misses_its_own_milestone_across_the_spring_festival(con):
    # received Fri 2026-02-13 10:00, the Friday before the holiday; 3 working days: Sat 14 (make-up, 1),
    # [15-23 off], Tue 24 (2), Wed 25 (3) -> due Wed 2026-02-25 10:00
    add_complaint(con, id="SF", region="in_province", received_at=T(2026, 2, 13, 10), our_fault=True)

    def cause(now):
        [s] = [s for s in complaint_clock(con, SETTINGS, now, ["SF"]) if s.milestone == "cause_confirmed"]
        return s.due_at, s.status
    assert cause(T(2026, 2, 25, 9, 59)) == (T(2026, 2, 25, 10), "pending")
    assert cause(T(2026, 2, 25, 10, 1)) == (T(2026, 2, 25, 10), "missed")
    three = Settings(foreign_reply_hours=48.0, cause_confirm_working_days=1)
    [s] = [s for s in complaint_clock(con, three, T(2026, 3, 1), ["SF"]) if s.milestone == "cause_confirmed"]
    assert s.due_at == T(2026, 2, 14, 10)         # one working day: the make-up Saturday


def test_a_complaint_received_on_a_make_up_saturday_counts_from_it(con):
    # received Sat 2026-02-14 (a working day) 09:00; on site within 2 working days in province: Tue 24 (1), Wed 25 (2)
    add_complaint(con, id="MU", region="in_province", received_at=T(2026, 2, 14, 9), onsite_required=True,
                  onsite_at=T(2026, 2, 25, 8))
    [s] = [s for s in complaint_clock(con, SETTINGS, T(2026, 3, 1), ["MU"]) if s.milestone == "onsite"]
    assert (s.due_at, s.status) == (T(2026, 2, 25, 9), "met")


def test_an_ineffective_action_is_not_met_and_counted_on_its_own(con):
    add_action(con, "ON-TIME", "2026-11-10", "2026-11-05", "2026-11-20", True)
    add_action(con, "INEFFECTIVE", "2026-11-10", "2026-11-05", "2026-11-20", False)
    add_action(con, "LATE", "2026-11-12", "2026-11-15", "2026-11-25", True)
    add_action(con, "AWAITING", "2026-11-14", "2026-11-13")                     # on time, not verified yet
    add_action(con, "NOT-DUE", "2026-11-30")              # due after the as-of day: not among November's days so far
    values = {v.kpi: v for v in kpi_values(con, Period(2026, 11), SETTINGS, today=dt.date(2026, 11, 26),
                                           codes=["capa_on_time_rate", "capa_ineffective"])}
    rate = values["capa_on_time_rate"]
    assert (rate.numerator, rate.denominator, rate.in_progress) == (1, 3, 1)
    assert rate.value == pytest.approx(100 / 3)
    assert values["capa_ineffective"].value == 1
    # the whole of November as of 1 December: NOT-DUE fell due on the 30th without being implemented
    later = value(con, "capa_on_time_rate", Period(2026, 11), dt.date(2026, 12, 1))
    assert (later.numerator, later.denominator, later.in_progress, later.partial) == (1, 4, 1, False)


def test_today_is_the_plants_day_not_the_servers():
    utc = dt.timezone.utc
    shanghai = Settings()                           # Asia/Shanghai, UTC+8 all year
    assert shanghai.plant_today(T(2026, 11, 30, 15, 59, tzinfo=utc)) == dt.date(2026, 11, 30)
    assert shanghai.plant_today(T(2026, 11, 30, 16, 0, tzinfo=utc)) == dt.date(2026, 12, 1)
    assert Settings(plant_timezone="UTC").plant_today(T(2026, 11, 30, 16, 0, tzinfo=utc)) == dt.date(2026, 11, 30)


def test_the_kpis_command_takes_an_as_of_day_and_writes_the_new_columns(tmp_path, capsys):
    import duckdb

    from warehouse.db import apply_migrations

    path = tmp_path / "quality.duckdb"
    with duckdb.connect(str(path)) as con:
        apply_migrations(con)
        add_lots(con, "2026-12-01", 7, 1)
        add_lots(con, "2025-12-01", 9, 1)
        add_lots(con, "2025-12-20", 0, 9)
    assert main(["kpis", "--warehouse", str(path), "--year", "2026", "--month", "12", "--format", "csv",
                 "--as-of", "2026-12-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",") == CSV_HEADER
    assert CSV_HEADER == ["kpi", "label", "value", "numerator", "denominator", "unit", "target", "status",
                          "prior_value", "delta", "in_progress", "partial"]
    row = dict(zip(CSV_HEADER, next(line for line in lines if line.startswith("incoming_inspection_pass_rate,"))
                   .split(",")))
    assert (row["value"], row["numerator"], row["denominator"], row["prior_value"], row["partial"]) == (
        "87.5", "7", "8", "90", "true")
    with pytest.raises(SystemExit) as refused:
        main(["kpis", "--warehouse", str(path), "--year", "2026", "--as-of", "2026-13-01"])
    assert refused.value.code == 2 and "not a day as YYYY-MM-DD: '2026-13-01'" in capsys.readouterr().err


def test_a_card_with_work_in_progress_says_how_many_are_due_so_far(demo_warehouse, tmp_path, monkeypatch):
    import shutil

    from tests.conftest import signed_in_app
    from warehouse.db import read_connection

    warehouse = tmp_path / "wh" / "quality.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(demo_warehouse, warehouse)
    monkeypatch.setenv("QUALITY_WAREHOUSE", str(warehouse))
    at = signed_in_app(warehouse, "analyst.lu", "analyst", "complaints")
    at.session_state["year"], at.session_state["period_kind"] = 2021, "year"
    at.run()
    with read_connection(warehouse) as con:
        [v] = kpi_values(con, Period(2021), Settings(), codes=["complaint_handling_rate"])
    shown = [m.value for m in at.markdown]
    assert any(f"已到期 {v.numerator:,.0f}/{v.denominator:,.0f} 件" in m for m in shown), shown
