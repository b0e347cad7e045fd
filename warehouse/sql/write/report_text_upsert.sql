-- Save one chapter's text for a year (replaces the earlier version).
INSERT OR REPLACE INTO report_text (year, chapter, body_md, updated_at, updated_by)
VALUES ($year, $chapter, $body_md, current_localtimestamp(), $updated_by);
