-- The content hash and size in bytes of every file the warehouse has loaded (size null: loaded before sizes were kept).
SELECT hash, bytes FROM source_file WHERE status = 'loaded';
