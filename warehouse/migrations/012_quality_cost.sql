-- Cost of quality (质量成本, GB/T 13339): the quality-cost ledger and the sales per month its rates divide by.

-- One ledger entry: its category (prevention, appraisal, internal or external failure), its amount in yuan (a
-- correction, 红字 / 冲销 / 更正, may be negative) and what identifies it: the voucher and its line when the ledger
-- writes them, else a hash of the entry's content and its occurrence in the file (etl/ledger.py), so that a file
-- loaded again updates its entries instead of doubling them.
CREATE TABLE quality_cost (
    entry_id     VARCHAR PRIMARY KEY,
    booked_on    DATE NOT NULL,
    account      VARCHAR NOT NULL,                -- 成本科目 as the ledger writes it (e.g. 质量培训费, 返工返修损失)
    category     VARCHAR NOT NULL CHECK (category IN ('prevention', 'appraisal', 'internal_failure', 'external_failure')),
    amount       DOUBLE NOT NULL,                 -- yuan
    department   VARCHAR,
    product      VARCHAR,
    description  VARCHAR,
    voucher      VARCHAR,
    voucher_line VARCHAR,
    correction   BOOLEAN NOT NULL DEFAULT false,  -- a correction entry (红字, 冲销, 更正): may be negative
    source_file  VARCHAR,
    source_row   INTEGER
);

-- Sales per month (yuan), month as its first day: the denominator of the quality-cost rate.
CREATE TABLE sales (
    month        DATE PRIMARY KEY,
    amount       DOUBLE NOT NULL,
    source_file  VARCHAR,
    source_row   INTEGER
);
