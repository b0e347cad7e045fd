CREATE OR REPLACE TEMP VIEW staged_customers AS
SELECT customer, NULL::VARCHAR AS region, segment, source_row FROM staged;
