-- Corrective actions (CAPA) per month of their due date, as of $today:
--   capa_on_time_rate  actions implemented on or before their due date and verified effective / actions judged:
--                      those due by $today and those verified already, except the ones implemented on time and
--                      awaiting verification; in progress are the latter and the actions not yet due
--   capa_ineffective   judged actions verified ineffective (in the rate's denominator, not met)
-- Output: kpi, year, month, numerator, denominator, in_progress. Parameters: $start, $end (exclusive), $today.
WITH judged AS (
    SELECT
        year(due_on) AS year, month(due_on) AS month,
        due_on <= $today::DATE AS due,
        coalesce(implemented_on <= due_on AND implemented_on <= $today::DATE, false) AS on_time,
        CASE WHEN verified_on <= $today::DATE THEN effective END AS effective
    FROM corrective_action
    WHERE due_on >= $start::DATE AND due_on < $end::DATE
),
monthly AS (
    SELECT year, month,
           count(*) FILTER (WHERE on_time AND effective) AS met,
           count(*) FILTER (WHERE (due OR effective IS NOT NULL) AND NOT (on_time AND effective IS NULL)) AS judged,
           count(*) FILTER (WHERE (on_time AND effective IS NULL) OR (NOT due AND effective IS NULL)) AS in_progress,
           count(*) FILTER (WHERE effective = false) AS ineffective
    FROM judged
    GROUP BY ALL
)
SELECT 'capa_on_time_rate' AS kpi, year, month, met AS numerator, judged AS denominator, in_progress
FROM monthly
UNION ALL
SELECT 'capa_ineffective', year, month, ineffective, 1, NULL
FROM monthly
