CREATE OR REPLACE TEMP VIEW staged_customers AS
SELECT customer, region, NULL::VARCHAR AS segment, source_row FROM staged;
