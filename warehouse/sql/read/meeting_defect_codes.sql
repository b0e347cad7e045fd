-- Defect codes recorded on inspected lots in [$start, $end), all stages: the stages they were seen at, lots
-- carrying the code, failed lots and defective units; most failed lots first (at most $limit).
SELECT
    defect_code,
    array_to_string(list_sort(list_distinct(list(stage))), '/') AS stages,
    count(*) AS lots,
    count(*) FILTER (WHERE result = 'fail') AS lots_failed,
    coalesce(sum(defects), 0) AS defects
FROM inspection
WHERE inspected_on >= $start::DATE AND inspected_on < $end::DATE AND defect_code IS NOT NULL
GROUP BY defect_code
ORDER BY lots_failed DESC, defects DESC, defect_code
LIMIT $limit;
