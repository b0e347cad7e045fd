CREATE OR REPLACE TEMP VIEW staged_items AS
SELECT item AS code, item_name AS name, stage = 'IQC' AS is_material, source_row FROM staged;
