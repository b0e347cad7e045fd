-- A file's size in bytes: a file whose size matches no loaded file's cannot have been loaded before, so the load
-- reads it while its content hash is still being computed.
ALTER TABLE source_file ADD COLUMN bytes BIGINT;
