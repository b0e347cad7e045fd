-- Incoming inspection (IQC) per supplier and year up to $year: lots, lots passed, lot pass rate (%) and unit PPM
-- (defects / sampled units, rows with both counts).
SELECT
    supplier,
    year(inspected_on) AS year,
    count(*) AS lots,
    count(*) FILTER (WHERE result = 'pass') AS lots_passed,
    100.0 * count(*) FILTER (WHERE result = 'pass') / count(*) AS pass_rate,
    1e6 * sum(defects) FILTER (WHERE sample_qty IS NOT NULL)
        / nullif(sum(sample_qty) FILTER (WHERE defects IS NOT NULL), 0) AS ppm
FROM inspection
WHERE stage = 'IQC' AND supplier IS NOT NULL AND inspected_on < make_date($year + 1, 1, 1)
GROUP BY ALL
ORDER BY supplier, year;
