-- The latest figures of an active alert (its message is worded from them).
UPDATE alert SET facts = $facts, page = $page WHERE id = $id;
