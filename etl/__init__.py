"""ETL: read ERP exports, map their headers, stage and validate them, merge them into the warehouse."""
