-- The names of the keys a KPI breakdown shows: items and suppliers by code (product families are named by the app).
SELECT 'item' AS dimension, code AS key, name FROM item
UNION ALL
SELECT 'supplier', code, name FROM supplier;
