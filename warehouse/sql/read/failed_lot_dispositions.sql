-- Failed lots per disposition (accept, rework, return, concession, scrap; '' when none was recorded) for the
-- stages in $stages over [$start, $end). Optional filters (NULL: all): $family, $item, $supplier (the macro
-- inspected_lots).
SELECT coalesce(i.disposition, '') AS disposition, count(*) AS lots
FROM inspected_lots($stages, $start, $end, $family, $item, $supplier) AS i
WHERE i.result = 'fail'
GROUP BY ALL
ORDER BY lots DESC;
