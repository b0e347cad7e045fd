-- Environment and safety incidents per month, by severity: major_environmental_incidents, fatal_injuries,
-- serious_injuries, minor_injuries. A count; the denominator is 1 for each month up to $today when the
-- incident log holds anything (rows, or a loaded incident file, even an empty one) and 0 otherwise, so
-- "no incidents" and "no data" stay apart.
-- Output: kpi, year, month, numerator, denominator. Parameters: $start, $end (exclusive), $today.
WITH logged AS (
    SELECT (EXISTS (SELECT 1 FROM incident)
            OR EXISTS (SELECT 1 FROM source_file WHERE kind = 'incident' AND status = 'loaded'))::INTEGER AS logged
),
kinds (kpi, severity) AS (
    VALUES ('major_environmental_incidents', 'major_environmental'),
           ('fatal_injuries', 'fatal'),
           ('serious_injuries', 'serious'),
           ('minor_injuries', 'minor')
),
monthly AS (
    SELECT year(occurred_on) AS year, month(occurred_on) AS month, severity, count(*) AS incidents
    FROM incident
    WHERE occurred_on >= $start::DATE AND occurred_on < $end::DATE
    GROUP BY ALL
)
SELECT k.kpi, m.year, m.month, coalesce(i.incidents, 0) AS numerator, l.logged AS denominator
FROM kpi_months($start, $end, $today) AS m
CROSS JOIN kinds AS k
CROSS JOIN logged AS l
LEFT JOIN monthly AS i ON i.year = m.year AND i.month = m.month AND i.severity = k.severity
