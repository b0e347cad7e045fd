-- Customers seen for the first time in a complaint or survey file are registered with what the file says.
INSERT INTO customer (code, name, region, segment, registered_by_etl, source_file, source_row)
SELECT customer, customer, any_value(region), any_value(segment), true, $file, min(source_row)
FROM staged_customers
WHERE customer IS NOT NULL AND customer NOT IN (SELECT code FROM customer)
GROUP BY customer;
