-- Views and table macros that the queries needing them read, so that each rule is written once.

-- Every calibration of an instrument, with the day it is due again (next_due_on, else calibrated_on +
-- interval_months) and its result; a calibration that records neither keeps those of the instrument's calibration
-- before it. It is the instrument's latest calibration from calibrated_on until latest_until (the day of the next
-- calibration; NULL: it still is), so the latest calibration on or before a day D is the row with
--     calibrated_on <= D AND (latest_until IS NULL OR latest_until > D)
CREATE VIEW latest_calibration AS
SELECT
    instrument,
    calibrated_on,
    last_value(coalesce(next_due_on, (calibrated_on + to_months(interval_months))::DATE) IGNORE NULLS)
        OVER calibrations_so_far AS next_due_on,
    last_value(result IGNORE NULLS) OVER calibrations_so_far AS result,
    lead(calibrated_on) OVER (PARTITION BY instrument ORDER BY calibrated_on) AS latest_until
FROM instrument_calibration
WINDOW calibrations_so_far AS (PARTITION BY instrument ORDER BY calibrated_on
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- The customer survey responses that count: every one but those a survey upload brought that was undone since.
CREATE VIEW counted_survey_response AS
SELECT *
FROM survey_response
WHERE upload_batch IS NULL OR upload_batch NOT IN (SELECT id FROM upload_batch WHERE undone_at IS NOT NULL);

-- The months that [start_on, end_on) touches, up to today_on's month (a KPI formula has no row for a month to
-- come): year, month and as_of, the month's last day (today_on in today_on's month).
CREATE MACRO kpi_months(start_on, end_on, today_on) AS TABLE
SELECT year(m) AS year, month(m) AS month, least(last_day(m), today_on::DATE) AS as_of
FROM range(date_trunc('month', start_on::DATE), end_on::DATE, INTERVAL 1 MONTH) AS t(m)
WHERE m <= today_on::DATE;

-- The lots inspected at the stages in stages_in over [start_on, end_on), with their item's name and product
-- family; narrowed to a family, an item and a supplier where those are not NULL ('' matches lots without one).
CREATE MACRO inspected_lots(stages_in, start_on, end_on, family_is, item_is, supplier_is) AS TABLE
SELECT i.*, it.name AS item_name, it.family
FROM inspection AS i
LEFT JOIN item AS it ON it.code = i.item
WHERE list_contains(stages_in::VARCHAR[], i.stage)
  AND i.inspected_on >= start_on::DATE AND i.inspected_on < end_on::DATE
  AND (family_is::VARCHAR IS NULL OR coalesce(it.family, '') = family_is::VARCHAR)
  AND (item_is::VARCHAR IS NULL OR coalesce(i.item, '') = item_is::VARCHAR)
  AND (supplier_is::VARCHAR IS NULL OR coalesce(i.supplier, '') = supplier_is::VARCHAR);
