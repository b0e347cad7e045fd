-- The target of each KPI in $year: its kpi_target row with the largest from_year <= $year.
SELECT kpi, arg_max(comparator, from_year) AS comparator, arg_max(value, from_year) AS value
FROM kpi_target
WHERE from_year <= $year
GROUP BY kpi
