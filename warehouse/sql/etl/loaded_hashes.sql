-- The content hash of every file the warehouse has loaded, in a warehouse from before file sizes were kept
-- (migration 006; the next write migrates it).
SELECT hash FROM source_file WHERE status = 'loaded';
