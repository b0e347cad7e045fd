-- Suppliers seen for the first time in a fact file are registered, never dropped.
INSERT INTO supplier (code, name, registered_by_etl, source_file, source_row)
SELECT supplier, supplier, true, $file, min(source_row)
FROM staged
WHERE supplier IS NOT NULL AND supplier NOT IN (SELECT code FROM supplier)
GROUP BY supplier;
