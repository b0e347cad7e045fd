-- Defects by defect code for the stages in $stages over [$start, $end), largest first, with the cumulative
-- share of all coded defects (a Pareto). Optional filters (NULL: all): $family, $item, $supplier.
WITH coded AS (
    SELECT
        i.defect_code,
        count(*) AS lots,
        count(*) FILTER (WHERE i.result = 'fail') AS lots_failed,
        coalesce(sum(i.defects), 0) AS defects
    FROM inspection AS i
    LEFT JOIN item AS it ON it.code = i.item
    WHERE list_contains($stages::VARCHAR[], i.stage)
      AND i.inspected_on >= $start::DATE AND i.inspected_on < $end::DATE
      AND i.defect_code IS NOT NULL
      AND ($family::VARCHAR IS NULL OR coalesce(it.family, '') = $family::VARCHAR)
      AND ($item::VARCHAR IS NULL OR coalesce(i.item, '') = $item::VARCHAR)
      AND ($supplier::VARCHAR IS NULL OR coalesce(i.supplier, '') = $supplier::VARCHAR)
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
