-- The canonical schema. Natural keys are primary keys: a row that arrives again replaces its earlier version.
-- Every fact row remembers the file (content hash) and the spreadsheet row it came from.

CREATE TABLE supplier (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR,
    risk_class  VARCHAR CHECK (risk_class IN ('A', 'B', 'C')),  -- material risk: A on-site audit yearly, B risk review, C paperwork
    material    VARCHAR,
    registered_by_etl BOOLEAN NOT NULL DEFAULT false,            -- first seen in a fact file, not in a supplier list
    source_file VARCHAR,
    source_row  INTEGER
);

CREATE TABLE supplier_grade (
    supplier    VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    grade       VARCHAR NOT NULL CHECK (grade IN ('A', 'B', 'C')),
    basis       VARCHAR,
    source_file VARCHAR,
    source_row  INTEGER,
    PRIMARY KEY (supplier, year)
);

CREATE TABLE supplier_audit (
    supplier    VARCHAR NOT NULL,
    audited_on  DATE NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('on_site', 'document')),
    result      VARCHAR CHECK (result IN ('pass', 'conditional', 'fail')),
    auditor     VARCHAR,
    source_file VARCHAR,
    source_row  INTEGER,
    PRIMARY KEY (supplier, audited_on, kind)
);

CREATE TABLE supplier_survey (
    year         INTEGER NOT NULL,
    supplier     VARCHAR NOT NULL,
    satisfaction DOUBLE NOT NULL,             -- 0-100
    source_file  VARCHAR,
    source_row   INTEGER,
    PRIMARY KEY (year, supplier)
);

CREATE TABLE item (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR,
    family      VARCHAR,                     -- microscope, magnifier, telescope, compass, plastic_part, material
    registered_by_etl BOOLEAN NOT NULL DEFAULT false,
    source_file VARCHAR,
    source_row  INTEGER
);

CREATE TABLE customer (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR,
    region      VARCHAR CHECK (region IN ('in_province', 'out_of_province', 'abroad')),
    segment     VARCHAR CHECK (segment IN ('strategic', 'important', 'general', 'potential')),
    registered_by_etl BOOLEAN NOT NULL DEFAULT false,
    source_file VARCHAR,
    source_row  INTEGER
);

-- Natural key: id. The merge replaces rows by id and a reconciliation check proves ids unique; it is not a
-- PRIMARY KEY because an ART index over tens of millions of lots costs more load time and memory than it guards.
CREATE TABLE inspection (
    id          VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL CHECK (stage IN ('IQC', 'IPQC', 'FQC', 'OQC')),
    inspected_on DATE NOT NULL,
    lot         VARCHAR,
    item        VARCHAR,
    supplier    VARCHAR,                      -- IQC only
    lot_qty     BIGINT,
    sample_qty  BIGINT,
    defects     BIGINT,
    result      VARCHAR NOT NULL CHECK (result IN ('pass', 'fail')),
    disposition VARCHAR CHECK (disposition IN ('accept', 'rework', 'return', 'concession', 'scrap')),
    defect_code VARCHAR,
    test_kind   VARCHAR,                      -- e.g. airtightness (气密性)
    first_pass  BOOLEAN,                      -- passed at the first attempt
    inspector   VARCHAR,
    source_file VARCHAR,
    source_row  INTEGER
);

CREATE TABLE complaint (
    id                 VARCHAR PRIMARY KEY,
    customer           VARCHAR,
    region             VARCHAR CHECK (region IN ('in_province', 'out_of_province', 'abroad')),
    product            VARCHAR,
    description        VARCHAR,
    received_at        TIMESTAMP NOT NULL,
    first_response_at  TIMESTAMP,
    reply_at           TIMESTAMP,
    onsite_required    BOOLEAN,
    onsite_at          TIMESTAMP,
    cause_confirmed_at TIMESTAMP,
    our_fault          BOOLEAN,
    plan_sent_at       TIMESTAMP,
    report_requested   BOOLEAN,
    report_sent_at     TIMESTAMP,
    plan_accepted_at   TIMESTAMP,
    resample_at        TIMESTAMP,
    capa_started_at    TIMESTAMP,
    closed_at          TIMESTAMP,
    resolution         VARCHAR CHECK (resolution IN ('repair', 'replace', 'refund', 'none')),   -- 三包
    resolution_done_at TIMESTAMP,
    source_file        VARCHAR,
    source_row         INTEGER
);

CREATE TABLE survey_response (
    survey_year   INTEGER NOT NULL,
    response_id   VARCHAR NOT NULL,
    customer      VARCHAR,
    segment       VARCHAR CHECK (segment IN ('strategic', 'important', 'general', 'potential')),
    overall_score DOUBLE,                      -- 0-100
    upload_batch  VARCHAR,
    source_file   VARCHAR,
    source_row    INTEGER,
    PRIMARY KEY (survey_year, response_id)
);

CREATE TABLE survey_answer (
    survey_year  INTEGER NOT NULL,
    response_id  VARCHAR NOT NULL,
    question     VARCHAR NOT NULL,
    score        DOUBLE,
    PRIMARY KEY (survey_year, response_id, question)
);

CREATE TABLE market_share (
    year          INTEGER NOT NULL,
    scope         VARCHAR NOT NULL CHECK (scope IN ('national', 'provincial')),
    company_sales DOUBLE NOT NULL,
    market_size   DOUBLE NOT NULL,
    source        VARCHAR,
    source_file   VARCHAR,
    source_row    INTEGER,
    PRIMARY KEY (year, scope)
);

CREATE TABLE corrective_action (
    id             VARCHAR PRIMARY KEY,
    source         VARCHAR CHECK (source IN ('inspection', 'complaint', 'audit', 'other')),
    source_ref     VARCHAR,
    description    VARCHAR,
    opened_on      DATE NOT NULL,
    due_on         DATE,
    implemented_on DATE,
    verified_on    DATE,
    effective      BOOLEAN,
    source_file    VARCHAR,
    source_row     INTEGER
);

CREATE TABLE instrument (
    code      VARCHAR PRIMARY KEY,
    name      VARCHAR,
    measures  VARCHAR,                        -- what it measures (检测项目)
    origin    VARCHAR,
    level     VARCHAR,                        -- e.g. 国内先进
    registered_by_etl BOOLEAN NOT NULL DEFAULT false,
    source_file VARCHAR,
    source_row  INTEGER
);

CREATE TABLE instrument_calibration (
    instrument      VARCHAR NOT NULL,
    calibrated_on   DATE NOT NULL,
    interval_months INTEGER,
    next_due_on     DATE,
    result          VARCHAR CHECK (result IN ('pass', 'fail', 'limited')),
    source_file     VARCHAR,
    source_row      INTEGER,
    PRIMARY KEY (instrument, calibrated_on)
);

CREATE TABLE incident (
    id          VARCHAR PRIMARY KEY,
    occurred_on DATE NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('environment', 'safety')),
    severity    VARCHAR NOT NULL CHECK (severity IN ('major_environmental', 'environmental', 'fatal', 'serious', 'minor')),
    description VARCHAR,
    source_file VARCHAR,
    source_row  INTEGER
);

-- A target applies from from_year until a later row for the same KPI supersedes it.
CREATE TABLE kpi_target (
    kpi        VARCHAR NOT NULL,
    from_year  INTEGER NOT NULL,
    comparator VARCHAR NOT NULL CHECK (comparator IN ('>=', '<=', '=')),
    value      DOUBLE NOT NULL,
    note       VARCHAR,
    PRIMARY KEY (kpi, from_year)
);

-- Bookkeeping ---------------------------------------------------------------------------------------

CREATE SEQUENCE etl_run_id START 1;

CREATE TABLE etl_run (
    id          INTEGER PRIMARY KEY,
    command     VARCHAR NOT NULL,
    actor       VARCHAR,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR,                      -- ok, partial (some files refused), failed
    summary     VARCHAR
);

CREATE TABLE source_file (
    hash        VARCHAR PRIMARY KEY,          -- sha256 of the file's bytes
    name        VARCHAR NOT NULL,
    kind        VARCHAR,
    format      VARCHAR,                      -- csv, xlsx
    encoding    VARCHAR,
    rows        INTEGER,
    rows_loaded INTEGER,
    rows_quarantined INTEGER,
    status      VARCHAR NOT NULL,             -- loaded, refused
    message     VARCHAR,
    run_id      INTEGER,
    loaded_at   TIMESTAMP NOT NULL
);

CREATE TABLE validation_result (
    run_id          INTEGER NOT NULL,
    file_hash       VARCHAR,
    file_name       VARCHAR,
    suite           VARCHAR NOT NULL,
    expectation     VARCHAR NOT NULL,
    column_name     VARCHAR,
    severity        VARCHAR NOT NULL,         -- error, warning
    success         BOOLEAN NOT NULL,
    observed_value  VARCHAR,
    unexpected_count INTEGER
);

CREATE TABLE quarantine (
    run_id      INTEGER NOT NULL,
    file_hash   VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    source_row  INTEGER NOT NULL,
    row_key     VARCHAR,                      -- the natural key of the row, to release it when a fixed file arrives
    column_name VARCHAR,
    value       VARCHAR,
    reason_zh   VARCHAR NOT NULL,
    reason_en   VARCHAR NOT NULL,
    quarantined_at TIMESTAMP NOT NULL,
    released_at TIMESTAMP,
    released_by_file VARCHAR
);

CREATE TABLE upload_batch (
    id          VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,
    file_hash   VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    uploaded_by VARCHAR,
    uploaded_at TIMESTAMP NOT NULL,
    rows        INTEGER,
    undone_at   TIMESTAMP,
    undone_by   VARCHAR
);

