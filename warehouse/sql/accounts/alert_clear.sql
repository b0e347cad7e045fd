-- An alert the latest run no longer found: cleared.
UPDATE alert SET cleared_at = $now WHERE id = $id;
