-- A new ETL run (a load, an upload, the demo) by $actor: its id.
INSERT INTO etl_run (id, command, actor, started_at)
VALUES (nextval('etl_run_id'), $command, $actor, current_localtimestamp())
RETURNING id;
