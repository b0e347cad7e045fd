-- Years that hold market figures, oldest first.
SELECT DISTINCT year FROM market_share ORDER BY year;
