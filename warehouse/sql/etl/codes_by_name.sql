-- Names of suppliers / customers that are not themselves codes, with their codes: a fact file that writes a
-- supplier or customer by name gets the code of the list entry with that name.
SELECT name, code FROM supplier
WHERE $table = 'supplier' AND name IS NOT NULL AND name NOT IN (SELECT code FROM supplier)
UNION ALL
SELECT name, code FROM customer
WHERE $table = 'customer' AND name IS NOT NULL AND name NOT IN (SELECT code FROM customer);
