-- What a file did to the rows of its kind: rows new to the warehouse, rows that changed, rows that were there as
-- the file has them, and rows of its period it no longer held (deleted only for a complete export).
ALTER TABLE source_file ADD COLUMN rows_inserted INTEGER;
ALTER TABLE source_file ADD COLUMN rows_updated INTEGER;
ALTER TABLE source_file ADD COLUMN rows_unchanged INTEGER;
ALTER TABLE source_file ADD COLUMN rows_deleted INTEGER;
ALTER TABLE source_file ADD COLUMN replaced_period BOOLEAN;
