-- The counts a control chart of one inspection stage ($stage) plots, per month over [$start, $end), months with
-- lots only; narrowed to a supplier where $supplier is not NULL (the macro inspected_lots). As the inspection KPIs
-- count them: lots and failed lots (p-chart), and the sampled units and defects of the lots that record both
-- (u-chart: defects per sampled unit, the PPM's counts).
-- Output: year, month, lots, failed, units, defects. Parameters: $stage, $start, $end (exclusive), $supplier.
SELECT
    year(i.inspected_on) AS year,
    month(i.inspected_on) AS month,
    count(*) AS lots,
    count(*) FILTER (WHERE i.result = 'fail') AS failed,
    coalesce(sum(i.sample_qty) FILTER (WHERE i.defects IS NOT NULL), 0) AS units,
    coalesce(sum(i.defects) FILTER (WHERE i.sample_qty IS NOT NULL), 0) AS defects
FROM inspected_lots([$stage::VARCHAR], $start, $end, NULL, NULL, $supplier) AS i
GROUP BY ALL
ORDER BY year, month;
