-- Inspection rows whose item is not in the item list: distinct codes, rows, the first $examples codes.
SELECT count(DISTINCT i.item) AS codes,
       count(*) AS rows,
       list(DISTINCT i.item ORDER BY i.item)[1:$examples] AS examples
FROM inspection AS i
WHERE i.item IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM item AS t WHERE t.code = i.item)
