-- How many ETL runs the warehouse has seen and whether any of them built the demo (command 'demo').
SELECT count(*) AS runs, coalesce(bool_or(command = 'demo'), false) AS demo
FROM etl_run;
