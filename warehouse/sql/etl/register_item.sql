-- Items and products seen for the first time are registered; the family is guessed from the name.
INSERT INTO item (code, name, family, registered_by_etl, source_file, source_row)
SELECT code, any_value(name), any_value(
         CASE
           WHEN name LIKE '%显微镜%' OR code LIKE '%显微镜%' THEN 'microscope'
           WHEN name LIKE '%放大镜%' OR code LIKE '%放大镜%' THEN 'magnifier'
           WHEN name LIKE '%望远镜%' OR code LIKE '%望远镜%' THEN 'telescope'
           WHEN name LIKE '%指南针%' OR code LIKE '%指南针%' THEN 'compass'
           WHEN name LIKE '%塑料%' THEN 'plastic_part'
           WHEN is_material THEN 'material'
         END),
       true, $file, min(source_row)
FROM staged_items
WHERE code IS NOT NULL AND code NOT IN (SELECT code FROM item)
GROUP BY code;
