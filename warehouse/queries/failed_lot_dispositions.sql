-- Failed lots per disposition (accept, rework, return, concession, scrap; '' when none was recorded) for the
-- stages in $stages over [$start, $end). Optional filters (NULL: all): $family, $item, $supplier.
SELECT coalesce(i.disposition, '') AS disposition, count(*) AS lots
FROM inspection AS i
LEFT JOIN item AS it ON it.code = i.item
WHERE i.result = 'fail'
  AND list_contains($stages::VARCHAR[], i.stage)
  AND i.inspected_on >= $start::DATE AND i.inspected_on < $end::DATE
  AND ($family::VARCHAR IS NULL OR coalesce(it.family, '') = $family::VARCHAR)
  AND ($item::VARCHAR IS NULL OR coalesce(i.item, '') = $item::VARCHAR)
  AND ($supplier::VARCHAR IS NULL OR coalesce(i.supplier, '') = $supplier::VARCHAR)
GROUP BY ALL
ORDER BY lots DESC;
