-- Inspection rows whose $column ('supplier' or 'item') is not in its master list (supplier, item): distinct codes,
-- rows, the first $examples codes.
WITH coded AS (
    SELECT CASE $column::VARCHAR WHEN 'supplier' THEN supplier WHEN 'item' THEN item END AS code
    FROM inspection
),
known AS (
    SELECT code FROM supplier WHERE $column::VARCHAR = 'supplier'
    UNION ALL
    SELECT code FROM item WHERE $column::VARCHAR = 'item'
)
SELECT count(DISTINCT c.code) AS codes,
       count(*) AS rows,
       list(DISTINCT c.code ORDER BY c.code)[1:$examples] AS examples
FROM coded AS c
WHERE c.code IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM known AS k WHERE k.code = c.code)
