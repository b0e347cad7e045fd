-- Defects by defect code for the stages in $stages over [$start, $end), largest first, with the cumulative
-- share of all coded defects (a Pareto). Optional filters (NULL: all): $family, $item, $supplier (the macro
-- inspected_lots).
WITH coded AS (
    SELECT
        i.defect_code,
        count(*) AS lots,
        count(*) FILTER (WHERE i.result = 'fail') AS lots_failed,
        coalesce(sum(i.defects), 0) AS defects
    FROM inspected_lots($stages, $start, $end, $family, $item, $supplier) AS i
    WHERE i.defect_code IS NOT NULL
    GROUP BY i.defect_code
)
SELECT
    defect_code,
    lots,
    lots_failed,
    defects,
    100.0 * sum(defects) OVER (ORDER BY defects DESC, lots DESC, defect_code ROWS UNBOUNDED PRECEDING)
        / nullif(sum(defects) OVER (), 0) AS cumulative_share
FROM coded
ORDER BY defects DESC, lots DESC, defect_code;
