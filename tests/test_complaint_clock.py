"""The complaint clock on a real DuckDB; due times worked out by hand from the official 2021 calendar.

China's 2021 holidays, from the State Council General Office notice 国办发明电〔2020〕27号
(国务院办公厅关于2021年部分节假日安排的通知, 2020-11-25): Spring Festival: 2月11日至17日放假调休，共7天。
2月7日（星期日）、2月20日（星期六）上班. So Sun 2021-02-07 and Sat 2021-02-20 are working days and
Thu 2021-02-11 .. Wed 2021-02-17 are not. (2021-03-01 is a Monday; March 2021 has no holiday.)
"""
import datetime as dt
from importlib import resources

import pytest

from warehouse.complaint_clock import (
    clock_rules, complaint_clock, milestone_statuses, official_calendar_years, working_day,
)
from warehouse.kpis import Period, kpi_values
from warehouse.settings import Settings

T = dt.datetime
S48 = Settings(foreign_reply_hours=48.0)
S72 = Settings(foreign_reply_hours=72.0)
LATER = T(2022, 6, 30, 12, 0)

COLUMNS = ("id", "customer", "region", "received_at", "first_response_at", "reply_at", "onsite_required",
           "onsite_at", "cause_confirmed_at", "our_fault", "plan_sent_at", "report_requested", "report_sent_at",
           "plan_accepted_at", "resample_at", "capa_started_at", "closed_at")


def add_complaint(con, **values):
    """Insert one complaint row with SQL (columns not given are NULL)."""
    names = [c for c in COLUMNS if c in values]
    con.execute(
        f"INSERT INTO complaint ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [values[n] for n in names],
    )


def milestone(con, complaint_id, code, settings=S48, today=LATER, lang="zh"):
    [found] = [s for s in complaint_clock(con, settings, today, complaint_ids=[complaint_id], lang=lang)
               if s.milestone == code]
    return found


def test_calendar_follows_the_2021_state_council_notice():
    assert dt.date(2021, 2, 7).weekday() == 6 and dt.date(2021, 2, 20).weekday() == 5   # Sunday, Saturday
    assert working_day(dt.date(2021, 2, 7)) == (True, False)       # make-up working Sunday
    assert working_day(dt.date(2021, 2, 20)) == (True, False)      # make-up working Saturday
    for day in range(11, 18):                                      # Feb 11-17: Spring Festival holiday
        assert working_day(dt.date(2021, 2, day)) == (False, False)
    assert working_day(dt.date(2021, 2, 6)) == (False, False)      # an ordinary Saturday
    assert working_day(dt.date(2021, 2, 18)) == (True, False)


def test_rules_come_from_the_toml():
    rules = clock_rules()
    codes = [m.code for m in rules.milestones]
    assert codes == ["first_response", "reply", "onsite", "cause_confirmed", "improvement_plan", "written_report",
                     "resample", "capa"]
    by = {m.code: m for m in rules.milestones}
    assert by["first_response"].due["in_province"] == 4 and by["first_response"].unit == "hours"
    assert by["reply"].due["abroad"] == "foreign_reply_hours"
    assert by["onsite"].due == {"in_province": 2, "out_of_province": 4}
    assert by["capa"].unit == "days" and by["capa"].due["in_province"] == 3


def test_working_days_skip_the_weekend(con):
    # cause confirmed Fri 2021-03-05 10:00; 3 working days: Mon 8, Tue 9, Wed 10 -> due Wed 10:00
    add_complaint(con, id="W1", region="in_province", received_at=T(2021, 3, 4, 9), cause_confirmed_at=T(2021, 3, 5, 10),
                  our_fault=True, plan_sent_at=T(2021, 3, 10, 9))
    add_complaint(con, id="W2", region="in_province", received_at=T(2021, 3, 4, 9), cause_confirmed_at=T(2021, 3, 5, 10),
                  our_fault=True, plan_sent_at=T(2021, 3, 10, 11))
    on_time = milestone(con, "W1", "improvement_plan")
    assert on_time.due_at == T(2021, 3, 10, 10) and on_time.status == "met" and not on_time.provisional
    assert milestone(con, "W2", "improvement_plan").status == "missed"


def due_and_status(con, complaint: str, name: str) -> tuple:
    """When the complaint's milestone falls due, and whether it is met, missed or pending."""
    found = milestone(con, complaint, name)
    return found.due_at, found.status


def test_working_days_across_the_spring_festival_and_a_make_up_saturday(con):
    # cause confirmed Wed 2021-02-10 16:00; Feb 11-17 off; Thu 18 (1), Fri 19 (2), Sat 20 make-up day (3)
    add_complaint(con, id="SF", region="out_of_province", received_at=T(2021, 2, 8, 9),
                  cause_confirmed_at=T(2021, 2, 10, 16), our_fault=True, plan_sent_at=T(2021, 2, 20, 15),
                  report_requested=True, report_sent_at=T(2021, 2, 22, 9))
    assert due_and_status(con, "SF", "improvement_plan") == (T(2021, 2, 20, 16), "met")
    assert due_and_status(con, "SF", "written_report") == (T(2021, 2, 20, 16), "missed")


def test_make_up_sunday_counts_for_the_on_site_visit(con):
    # received Fri 2021-02-05 14:00; Sat 6 off, Sun 7 make-up working day (1), Mon 8 (2)
    add_complaint(con, id="IN", region="in_province", received_at=T(2021, 2, 5, 14), onsite_required=True,
                  onsite_at=T(2021, 2, 8, 13))
    # out of province, 4 working days: Sun 7, Mon 8, Tue 9, Wed 10
    add_complaint(con, id="OUT", region="out_of_province", received_at=T(2021, 2, 5, 14), onsite_required=True,
                  onsite_at=T(2021, 2, 18, 9))
    assert due_and_status(con, "IN", "onsite") == (T(2021, 2, 8, 14), "met")
    assert due_and_status(con, "OUT", "onsite") == (T(2021, 2, 10, 14), "missed")


def test_resample_ten_working_days_across_the_holiday(con):
    # plan accepted Mon 2021-02-08 10:00: Tue 9 (1), Wed 10 (2), [11-17 off], Thu 18 (3), Fri 19 (4),
    # Sat 20 make-up (5), [Sun 21 off], Mon 22 (6), Tue 23 (7), Wed 24 (8), Thu 25 (9), Fri 26 (10)
    add_complaint(con, id="RS", region="in_province", received_at=T(2021, 2, 1, 9), our_fault=True,
                  cause_confirmed_at=T(2021, 2, 3, 9), plan_accepted_at=T(2021, 2, 8, 10), resample_at=T(2021, 2, 26, 10))
    assert due_and_status(con, "RS", "resample") == (T(2021, 2, 26, 10), "met")


def test_foreign_reply_48_or_72_hours_by_setting(con):
    # received Mon 2021-03-01 09:00, clear reply Wed 2021-03-03 20:00 (59 h later)
    add_complaint(con, id="F", region="abroad", received_at=T(2021, 3, 1, 9), reply_at=T(2021, 3, 3, 20))
    add_complaint(con, id="D", region="in_province", received_at=T(2021, 3, 1, 9), reply_at=T(2021, 3, 2, 8))
    with48 = milestone(con, "F", "reply", S48)
    assert with48.due_at == T(2021, 3, 3, 9) and with48.status == "missed"
    assert with48.rule == "国外客户 48 小时明确答复（报告第六章）"
    assert milestone(con, "F", "reply", S48, lang="en").rule == "abroad: clear reply within 48 h (report section 6)"
    with72 = milestone(con, "F", "reply", S72)
    assert with72.due_at == T(2021, 3, 4, 9) and with72.status == "met"
    assert "72 小时" in with72.rule and "第四章" in with72.rule
    for settings in (S48, S72):                                  # domestic: 24 h whatever the setting
        domestic = milestone(con, "D", "reply", settings)
        assert domestic.due_at == T(2021, 3, 2, 9) and domestic.status == "met"
        assert "24 小时" in domestic.rule


def test_pending_then_missed(con):
    add_complaint(con, id="P", region="in_province", received_at=T(2021, 3, 1, 9))
    first = milestone(con, "P", "first_response", today=T(2021, 3, 1, 11))
    assert first.status == "pending" and first.due_at == T(2021, 3, 1, 13) and first.done_at is None
    assert milestone(con, "P", "first_response", today=T(2021, 3, 1, 14)).status == "missed"
    assert milestone(con, "P", "onsite", today=T(2021, 3, 1, 11)).status == "not_applicable"
    assert milestone(con, "P", "improvement_plan", today=T(2021, 3, 1, 11)).status == "not_applicable"


def test_a_year_the_calendar_package_does_not_cover_is_provisional(con):
    assert 2035 not in official_calendar_years()
    assert dt.date(2035, 2, 7).weekday() == 2                    # a Wednesday
    # fallback Mon-Fri: Thu 8 (1), Fri 9 (2), Mon 12 (3)
    add_complaint(con, id="Y35", region="in_province", received_at=T(2035, 2, 6, 9), first_response_at=T(2035, 2, 6, 10),
                  cause_confirmed_at=T(2035, 2, 7, 9), our_fault=True)
    plan = milestone(con, "Y35", "improvement_plan", today=T(2035, 2, 8, 9))
    assert plan.due_at == T(2035, 2, 12, 9) and plan.provisional and plan.status == "pending"
    first = milestone(con, "Y35", "first_response", today=T(2035, 2, 8, 9))
    assert first.status == "met" and not first.provisional         # clock hours need no calendar


def test_region_from_customer_or_unknown(con):
    con.execute("INSERT INTO customer (code, region) VALUES ('K-out', 'out_of_province'), ('K-none', NULL)")
    add_complaint(con, id="RC", customer="K-out", received_at=T(2021, 3, 1, 9), onsite_required=True)
    add_complaint(con, id="RU", customer="K-none", received_at=T(2021, 3, 1, 9), onsite_required=True)
    add_complaint(con, id="RA", region="abroad", received_at=T(2021, 3, 1, 9), onsite_required=True)
    from_customer = milestone(con, "RC", "onsite")
    assert from_customer.region == "out_of_province" and from_customer.region_known
    assert from_customer.due_at == T(2021, 3, 5, 9)               # Tue 2, Wed 3, Thu 4, Fri 5
    unknown = milestone(con, "RU", "onsite")
    assert not unknown.region_known and unknown.region == "in_province"
    assert unknown.due_at == T(2021, 3, 3, 9) and "地区不明" in unknown.rule
    assert milestone(con, "RA", "onsite").status == "not_applicable"   # abroad: not configured


def test_abroad_on_site_when_configured(con):
    toml = (resources.files("warehouse") / "complaint_clock.toml").read_text(encoding="utf-8")
    toml = toml.replace("due = { in_province = 2, out_of_province = 4 }",
                        "due = { in_province = 2, out_of_province = 4, abroad = 6 }")
    rules = clock_rules(toml)
    complaint = {"id": "X", "region": "abroad", "received_at": T(2021, 3, 1, 9), "onsite_required": True}
    [onsite] = [s for s in milestone_statuses(complaint, rules, S48, LATER) if s.milestone == "onsite"]
    assert onsite.due_at == T(2021, 3, 9, 9) and onsite.status == "missed"   # Tue 2 .. Mon 8 is 5; Tue 9 is 6


def test_on_time_kpi_uses_the_clock(con):
    add_complaint(con, id="OK", region="in_province", received_at=T(2021, 3, 1, 9), first_response_at=T(2021, 3, 1, 10),
                  reply_at=T(2021, 3, 1, 18), capa_started_at=T(2021, 3, 2, 9))
    add_complaint(con, id="LATE", region="in_province", received_at=T(2021, 3, 2, 9),
                  first_response_at=T(2021, 3, 2, 10), reply_at=T(2021, 3, 4, 9), capa_started_at=T(2021, 3, 2, 9))
    add_complaint(con, id="APR", region="in_province", received_at=T(2021, 4, 2, 9))
    [march] = kpi_values(con, Period(2021, 3), S48, today=LATER, codes=["complaints_handled_on_time_rate"])
    assert (march.numerator, march.denominator, march.value) == (1, 2, pytest.approx(50.0))
    [q1] = kpi_values(con, Period(2021, 4, ytd=True), S48, today=LATER, codes=["complaints_handled_on_time_rate"])
    assert (q1.numerator, q1.denominator) == (1, 3)
