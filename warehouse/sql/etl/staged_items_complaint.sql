CREATE OR REPLACE TEMP VIEW staged_items AS
SELECT product AS code, product AS name, false AS is_material, source_row FROM staged;
