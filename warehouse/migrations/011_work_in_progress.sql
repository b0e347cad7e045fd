-- Work in progress is not failure: the one judgement of each complaint and corrective action as of a day, which
-- the KPI formulas (warehouse/sql/kpi) count and the rows behind a figure (warehouse/sql/explain) list.

-- Complaints received in [start_on, end_on), as of the end of today_on:
--   handled          closed by then;   handling_judged  closed, or open longer than handling_days after receipt
--   handling_open    open and inside handling_days (in progress)
--   promised         a 三包 repair, replacement or refund;  fulfilled: done by then
--   warranty_judged  promised and done, or not done warranty_days after receipt;  warranty_open: in progress
CREATE MACRO judged_complaints(start_on, end_on, today_on, handling_days, warranty_days) AS TABLE
SELECT id, received_at, source_file, source_row,
       coalesce(closed_at < today_on::DATE + 1, false) AS handled,
       received_at + to_milliseconds(CAST(handling_days::DOUBLE * 86400000 AS BIGINT)) < today_on::DATE + 1
           AS handling_due,
       handled OR handling_due AS handling_judged,
       NOT handled AND NOT handling_due AS handling_open,
       coalesce(resolution IN ('repair', 'replace', 'refund'), false) AS promised,
       promised AND coalesce(resolution_done_at < today_on::DATE + 1, false) AS fulfilled,
       received_at + to_milliseconds(CAST(warranty_days::DOUBLE * 86400000 AS BIGINT)) < today_on::DATE + 1
           AS warranty_due,
       promised AND (fulfilled OR warranty_due) AS warranty_judged,
       promised AND NOT fulfilled AND NOT warranty_due AS warranty_open
FROM complaint
WHERE received_at >= start_on::DATE AND received_at < end_on::DATE;

-- Corrective actions due in [start_on, end_on), as of today_on:
--   met          implemented on or before the due date and verified effective
--   judged       due by then or verified, except implemented on time and awaiting verification
--   in_progress  implemented on time and awaiting verification, or not yet due (and not verified)
--   ineffective  verified ineffective (judged, not met)
CREATE MACRO judged_actions(start_on, end_on, today_on) AS TABLE
SELECT id, due_on, source_file, source_row,
       due_on <= today_on::DATE AS due,
       coalesce(implemented_on <= due_on AND implemented_on <= today_on::DATE, false) AS on_time,
       CASE WHEN verified_on <= today_on::DATE THEN effective END AS verdict,
       coalesce(on_time AND verdict, false) AS met,
       (due OR verdict IS NOT NULL) AND NOT (on_time AND verdict IS NULL) AS judged,
       (on_time AND verdict IS NULL) OR (NOT due AND verdict IS NULL) AS in_progress,
       coalesce(verdict = false, false) AS ineffective
FROM corrective_action
WHERE due_on >= start_on::DATE AND due_on < end_on::DATE;
