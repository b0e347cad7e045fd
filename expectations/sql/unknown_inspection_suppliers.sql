-- Inspection rows whose supplier is not in the supplier list: distinct codes, rows, the first $examples codes.
SELECT count(DISTINCT i.supplier) AS codes,
       count(*) AS rows,
       list(DISTINCT i.supplier ORDER BY i.supplier)[1:$examples] AS examples
FROM inspection AS i
WHERE i.supplier IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM supplier AS s WHERE s.code = i.supplier)
