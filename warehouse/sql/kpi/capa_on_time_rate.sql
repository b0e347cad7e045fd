-- Corrective actions (CAPA) per month of their due date, as of $today (judged_actions):
--   capa_on_time_rate  actions implemented on or before their due date and verified effective / actions judged:
--                      those due by $today and those verified already, except the ones implemented on time and
--                      awaiting verification; in progress are the latter and the actions not yet due
--   capa_ineffective   judged actions verified ineffective (in the rate's denominator, not met)
-- Output: kpi, year, month, numerator, denominator, in_progress. Parameters: $start, $end (exclusive), $today.
WITH monthly AS (
    SELECT year(due_on) AS year, month(due_on) AS month,
           count(*) FILTER (WHERE met) AS met,
           count(*) FILTER (WHERE judged) AS judged,
           count(*) FILTER (WHERE in_progress) AS in_progress,
           count(*) FILTER (WHERE ineffective) AS ineffective
    FROM judged_actions($start, $end, $today)
    GROUP BY ALL
)
SELECT 'capa_on_time_rate' AS kpi, year, month, met AS numerator, judged AS denominator, in_progress
FROM monthly
UNION ALL
SELECT 'capa_ineffective', year, month, ineffective, 1, NULL
FROM monthly
