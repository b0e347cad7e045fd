-- Corrective actions (CAPA) on time, per month of their due date: actions due in the month and due by
-- $today that were implemented on or before the due date / those actions.
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive), $today.
SELECT 'capa_on_time_rate' AS kpi, year(due_on) AS year, month(due_on) AS month,
       count(*) FILTER (WHERE implemented_on <= due_on) AS numerator, count(*) AS denominator
FROM corrective_action
WHERE due_on >= $start::DATE AND due_on < $end::DATE AND due_on <= $today::DATE
GROUP BY ALL
