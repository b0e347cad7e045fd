-- Whether $supplier is a supplier the warehouse knows (in the supplier list or on an inspected lot): one row, or none.
SELECT 1 FROM supplier WHERE code = $supplier
UNION
SELECT 1 FROM inspection WHERE supplier = $supplier
LIMIT 1;
