"""Validate one staged batch (a polars or pandas frame) with its kind's Great Expectations suite.

Great Expectations is imported not with this module but on one background thread per process (warm_up, started
by the app's entry file and by a load; the first validation starts it when nothing did and waits for it), and runs
in one ephemeral context per process: no Data Docs, no analytics, no progress bars, no network.
Every rule runs through GE, in two passes over each GE batch: every row rule first with result_format
BOOLEAN_ONLY (GE counts the unexpected rows but lists none), then the batch rules and the row rules that
failed again with COMPLETE, which lists every unexpected row's position. A rule that passes has nothing to
list, so outcomes and failed rows are those of one COMPLETE pass; the second pass reuses the metrics GE
computed in the first. The rules with a row condition have a batch of their own, of only the columns they
read: GE filters a batch's whole frame for each metric of such a rule (and the frame keeps the rows each
condition selects, see FilteredOnce); the others share one. GE sees only the columns the rules read, as
float64, datetime64[ns] and categoricals; a key column that the rules only test for missing values and
duplicates reaches it as the codes of its distinct values (equal values, equal codes). The failed rows'
values are read from the caller's frame.
"""
from __future__ import annotations

import datetime
import importlib
import importlib.util
import os
import sys
import threading
import types
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import polars as pl

from expectations.rules import BOOKKEEPING, ERROR, SCALE_COLUMNS, Rule, suite_rules
from warehouse.rules import bad_row_share_refusal
from warehouse.sources import KINDS

LOWEST, HIGHEST = pd.Timestamp("1700-01-01"), pd.Timestamp("2200-01-01")  # inside datetime64[ns]
EXAMPLES = 5
# rules that compare a column's values only with each other or with missing, never with a given value
UNIQUENESS = {"ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique"}
VALUE_FREE = {"ExpectColumnValuesToNotBeNull", *UNIQUENESS}
FIRST_PASS = {"result_format": "BOOLEAN_ONLY"}
SECOND_PASS = {"result_format": "COMPLETE", "return_unexpected_index_query": False}
_LOCK = threading.RLock()  # one GE context per process, used by one validation at a time
_CONTEXT = []              # the context, once the warm-up thread built it
WARM_UP_THREAD = "great-expectations-warm-up"
_WARM_UP: list[threading.Thread] = []
_WARM_UP_LOCK = threading.Lock()
_FAILED: list[BaseException] = []
# Modules GE imports with itself only for expectations and charts the suites never use (about a third of its
# import time); each is imported on its first use instead, unless something imported it before GE.
DEFERRED = ("scipy.stats", "altair")
_DEFER_LOCK = threading.RLock()


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation on one batch (a row of validation_result)."""

    suite: str
    expectation: str
    column: str | None
    severity: str
    success: bool
    observed_value: str | None
    unexpected_count: int


@dataclass(frozen=True)
class RowFailure:
    """One row that broke one row-level expectation; index is the row's position in the frame."""

    index: int
    source_row: int
    column: str | None
    value: str | None
    reason_zh: str
    reason_en: str
    severity: str
    expectation: str = ""          # the rule's name, as in ExpectationOutcome.expectation


@dataclass
class BatchValidation:
    """Everything validate_batch found: outcomes to record, failed rows, reasons to refuse the file."""

    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    row_failures: list[RowFailure] = field(default_factory=list)
    batch_errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def quarantined_indexes(self) -> set[int]:
        """Positions of the rows with at least one error-severity failure."""
        return {f.index for f in self.row_failures if f.severity == ERROR}


class DeferredModule(types.ModuleType):
    """Stands in for a module in sys.modules until one of its attributes is read; then imports the module and
    answers from it (and so does every later read, also through names bound to the stand-in)."""

    def __init__(self, name: str, spec) -> None:
        super().__init__(name)
        self.__spec__, self.__loader__ = spec, spec.loader

    def __getattr__(self, attr: str):
        return getattr(_imported(self.__name__), attr)


def _imported(name: str) -> types.ModuleType:
    """The module called name, imported now if a DeferredModule stood in for it."""
    with _DEFER_LOCK:
        if isinstance(sys.modules.get(name), DeferredModule):
            del sys.modules[name]
            importlib.import_module(name)
        return sys.modules[name]


def defer_imports(names=DEFERRED) -> None:
    """Put a DeferredModule in sys.modules for each of these modules that is not imported yet."""
    with _DEFER_LOCK:
        for name in names:
            if name in sys.modules:
                continue
            try:
                spec = importlib.util.find_spec(name)  # imports the parent package, if any
            except ModuleNotFoundError:
                continue
            if spec is not None:
                sys.modules[name] = DeferredModule(name, spec)


def _build_context() -> None:
    """Import GE, build the context and run it once (on the warm-up thread only): no analytics, no progress bars."""
    try:
        os.environ["GX_ANALYTICS_ENABLED"] = "False"
        if "great_expectations" not in sys.modules:
            defer_imports()
        import great_expectations as gx
        import great_expectations.expectations.metadata_types  # noqa: F401  (what the suites use, imported here too)
        import great_expectations.expectations.row_conditions  # noqa: F401
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.execution_engine import pandas_execution_engine

        # GE fingerprints every pandas batch under this size (hash_pandas_object of every cell, then md5)
        # only to name it in the result's batch_markers, which nothing here reads: 0.2 s at 1 M rows
        pandas_execution_engine.HASH_THRESHOLD = 0
        context = gx.get_context(mode="ephemeral")
        context.enable_analytics(False)
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        _CONTEXT.append(context)
        first_run()
    except BaseException as exc:  # handed to the thread that waits for the context
        _FAILED.append(exc)


def first_run() -> None:
    """Validate two rows, so that GE's first-use costs (about 0.3 s: its metric providers, pandas' query
    parser) are paid here and not by the first batch."""
    polars_types = {"int": pl.Int64, "float": pl.Float64, "date": pl.Date, "datetime": pl.Datetime("us"),
                    "bool": pl.Boolean}
    samples = {"int": 1, "float": 1.0, "date": datetime.date(2020, 1, 1), "datetime": datetime.datetime(2020, 1, 1),
               "bool": True}
    columns = {"source_row": pl.Series([2, 3], dtype=pl.Int64)}
    for c in KINDS["inspection"].columns:
        value = samples.get(c.dtype, next(iter(c.values), "x"))
        columns[c.name] = pl.Series([value, None], dtype=polars_types.get(c.dtype, pl.String))
    validate_batch("inspection", pl.DataFrame(columns), datetime.date(2020, 1, 2))


def warm_up() -> threading.Thread:
    """Start importing GE and building its context in this process's warm-up thread (GE's import takes about
    2 s), once per process: later calls return the same thread (a new one only after a failed attempt)."""
    with _WARM_UP_LOCK:
        if not _WARM_UP or (_FAILED and not _WARM_UP[0].is_alive()):
            _FAILED.clear()
            _WARM_UP[:] = [threading.Thread(target=_build_context, name=WARM_UP_THREAD, daemon=True)]
            _WARM_UP[0].start()
        return _WARM_UP[0]


def ge_context():
    """This process's one ephemeral GE context. GE is imported on the warm-up thread only: a caller that comes
    before it finished (starting it when nothing did) waits for it, so no request thread ever imports GE."""
    if not _CONTEXT:
        warm_up().join()
    if not _CONTEXT:
        raise RuntimeError("Great Expectations could not be set up") from (_FAILED[0] if _FAILED else None)
    return _CONTEXT[0]


def ge_row_condition(when: tuple):
    """A GE row condition: all of the (column, op, value) triples hold."""
    from great_expectations.expectations.row_conditions import Column

    parts = [Column(c).is_not_null() if op == "not_null" else Column(c) == v for c, op, v in when]
    condition = parts[0]
    for part in parts[1:]:
        condition = condition & part
    return condition


def expectation_suite(name: str, rules: list[Rule], positions: list[int] | None = None):
    """The GE ExpectationSuite of these rules (of those at positions, when given); meta["rule"] is the rule's
    position in rules."""
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    expectations = []
    for i in range(len(rules)) if positions is None else positions:
        rule = rules[i]
        kwargs = {k: v for k, v in rule.kwargs.items() if v is not None}
        if rule.when:
            kwargs["row_condition"] = ge_row_condition(rule.when)
        severity = FailureSeverity.CRITICAL if rule.severity == ERROR else FailureSeverity.WARNING
        expectations.append(getattr(gx.expectations, rule.expectation)(**kwargs, severity=severity, meta={"rule": i}))
    return gx.ExpectationSuite(name=name, expectations=expectations)


def question_columns(kind_name: str, frame: pd.DataFrame | pl.DataFrame) -> list[str]:
    """The survey's question columns: numeric columns beside the canonical ones."""
    kind = KINDS[kind_name]
    if not kind.dynamic_numeric:
        return []
    canonical = {c.name for c in kind.columns} | BOOKKEEPING
    if isinstance(frame, pl.DataFrame):
        return [c for c, t in frame.schema.items() if c not in canonical and t.is_numeric()]
    return [c for c in frame.columns if c not in canonical and pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])]


def with_answer_scales(frame: pd.DataFrame | pl.DataFrame, questions: list[str], default: tuple[float, float]):
    """The frame with each response's answer scale (scale_low, scale_high; default where a row has none), and the
    distinct scales of the responses with answers; the frame as given, and no scales, when it has no such columns."""
    if not questions or not set(SCALE_COLUMNS).issubset(frame.columns):
        return frame, None
    low, high = SCALE_COLUMNS
    if isinstance(frame, pl.DataFrame):
        frame = frame.with_columns(pl.col(low).cast(pl.Float64).fill_null(default[0]),
                                   pl.col(high).cast(pl.Float64).fill_null(default[1]))
        answered = frame.filter(pl.any_horizontal(pl.col(q).is_not_null() for q in questions))
        pairs = answered.select(low, high).unique().rows()
    else:
        frame = frame.assign(**{low: frame[low].astype("float64").fillna(default[0]),
                                high: frame[high].astype("float64").fillna(default[1])})
        answered = frame[questions].notna().any(axis=1)
        pairs = zip(frame.loc[answered, low], frame.loc[answered, high])
    scales = sorted({(float(a), float(b)) for a, b in pairs})
    return frame, scales or None


def coded_columns(rules: list[Rule]) -> set[str]:
    """Key columns that every rule reads only for missing values and duplicates: GE may see codes of their values."""
    free, valued, keys = set(), set(), set()
    for rule in rules:
        domain = {rule.kwargs.get(k) for k in ("column", "column_A", "column_B")}
        domain |= set(rule.kwargs.get("column_list", ()))
        if rule.expectation in UNIQUENESS:
            keys |= domain
        for name in rule.columns:
            plain = ((name not in domain or rule.expectation in VALUE_FREE)
                     and all(op == "not_null" for c, op, _ in rule.when if c == name))
            (free if plain else valued).add(name)
    return (free & keys) - valued


def ge_frame(kind_name: str, frame: pd.DataFrame | pl.DataFrame, columns: list[str],
             coded: set[str] = frozenset()) -> pd.DataFrame:
    """The columns the suite reads, indexed 0..n-1, in dtypes GE's pandas engine handles fast: float64,
    datetime64[ns], category; a coded column (see coded_columns) as integer codes of its distinct values, or
    float64 codes with NaN where values are missing."""
    if isinstance(frame, pl.DataFrame):
        return _ge_frame_polars(kind_name, frame, columns, coded)
    dtypes = {c.name: c.dtype for c in KINDS[kind_name].columns}
    out = {}
    for name in columns:
        values = frame[name]
        dtype = dtypes.get(name, "float")
        text = dtype not in ("int", "float", "date", "datetime")
        if name in coded and (text or pd.api.types.is_integer_dtype(values.dtype)):
            codes, _ = pd.factorize(values, use_na_sentinel=True)  # equal values, equal codes
            values = pd.Series(np.where(codes < 0, np.nan, codes) if (codes < 0).any() else codes)
        elif dtype in ("int", "float"):
            values = values.astype("float64")
        elif dtype in ("date", "datetime"):
            values = pd.to_datetime(values).clip(LOWEST, HIGHEST).astype("datetime64[ns]")
        else:
            values = values.astype("category")  # hashing, filtering and set checks work on integer codes
        out[name] = values.array
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _ge_frame_polars(kind_name: str, frame: pl.DataFrame, columns: list[str], coded: set[str]) -> pd.DataFrame:
    """ge_frame of a polars frame: converted in polars (all columns at once), then handed over through Arrow."""
    dtypes = {c.name: c.dtype for c in KINDS[kind_name].columns}
    schema = frame.schema
    exprs, texts, others = {}, [], []
    for name in columns:
        column, dtype = pl.col(name), dtypes.get(name, "float")
        if name in coded and (schema[name] == pl.String or schema[name].is_integer()):
            codes = column.rank("dense") if schema[name] == pl.String else column  # equal values, equal codes
            exprs[name] = codes.cast(pl.Float64) if frame[name].null_count() else codes
        elif dtype in ("int", "float"):
            exprs[name] = column.cast(pl.Float64)
        elif dtype in ("date", "datetime"):
            exprs[name] = column.cast(pl.Datetime("us")).clip(LOWEST, HIGHEST).cast(pl.Datetime("ns"))
        elif schema[name] == pl.String:
            texts.append(name)  # an Enum of its distinct texts, which arrives as a pandas categorical
        else:
            exprs[name] = column
            others.append(name)
    if texts:
        distinct = frame.select(pl.col(n).drop_nulls().unique().implode() for n in texts).row(0)
        exprs |= {n: pl.col(n).cast(pl.Enum(values)) for n, values in zip(texts, distinct)}
    data = frame.select(exprs[n] for n in columns).to_pandas()
    for name in others:
        data[name] = data[name].astype("category")
    data.index = pd.RangeIndex(len(data))
    return data


def rows_at(frame: pd.DataFrame | pl.DataFrame, positions: np.ndarray, names: list[str]) -> pd.DataFrame:
    """The caller's rows at these positions, only the named columns, as pandas."""
    if isinstance(frame, pl.DataFrame):
        return frame.select(names)[positions].to_pandas()
    return frame[names].iloc[positions]


def reported_columns(rule: Rule) -> list[str]:
    """The column(s) whose values a failure of rule reports."""
    return list(rule.kwargs.get("column_list") or [rule.column])


def value_texts(rows: pd.DataFrame, rule: Rule, dtypes: dict) -> list[str | None]:
    """The offending values of the rule's reported column(s) in these failed rows, as text."""
    texts = [[value_text(v, dtypes.get(n)) for v in rows[n]] for n in reported_columns(rule)]
    return texts[0] if len(texts) == 1 else ["|".join(t or "" for t in row) for row in zip(*texts)]


def value_text(value, dtype: str | None) -> str | None:
    """One cell as text: None for missing, dates without a time, whole floats without .0."""
    if pd.isna(value):
        return None
    if dtype == "date" and isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def exception_text(result) -> str | None:
    """The message of an exception GE caught while running one expectation, if any."""
    info = result.exception_info or {}
    infos = [info] if "raised_exception" in info else list(info.values())
    messages = [i.get("exception_message") or "error" for i in infos if i.get("raised_exception")]
    return "; ".join(messages) or None


class FilteredOnce(pd.DataFrame):
    """A batch's frame that keeps the rows each row condition selects.

    For every metric of a rule with a row condition GE filters the batch's frame again with DataFrame.query (four
    times a rule, about 25 ms each at 1 M rows). The same condition on the same rows selects the same rows, so
    pandas evaluates each distinct condition once, as GE wrote it, and every call gets a shallow copy of them.
    """

    def query(self, expr, **kwargs):
        if kwargs or not isinstance(expr, str):
            return super().query(expr, **kwargs)
        selected = self.__dict__.setdefault("_selected", {})
        if expr not in selected:
            selected[expr] = super().query(expr)
        return selected[expr].copy(deep=False)  # what GE does to its copy leaves the kept rows as they are


def rule_groups(rules: list[Rule], columns: list[str]) -> list[tuple[list[int], list[str]]]:
    """The rules (positions) of each GE batch and the columns it holds, in order of validation.

    The rules with a row condition come first, on a batch of only the columns they read: GE filters the batch's
    whole frame for each metric of such a rule. The others, batch rules included, run on the columns they read
    or ask for.
    """
    conditional = [i for i, r in enumerate(rules) if r.when]
    plain = [i for i, r in enumerate(rules) if not r.when]
    named = {rules[i].kwargs.get("column") for i in plain if rules[i].expectation == "ExpectColumnToExist"}
    groups = [(conditional, {c for i in conditional for c in rules[i].columns}),
              (plain, {c for i in plain for c in rules[i].columns} | named)]
    return [(positions, [c for c in columns if c in read]) for positions, read in groups if positions]


def run_suite(kind_name: str, rules: list[Rule], frame: pd.DataFrame | pl.DataFrame, coded: set[str]) -> list:
    """GE's results for these rules on frame, in rule order: a rule that failed (and every batch rule) with
    result_format COMPLETE, a row rule that passed with BOOLEAN_ONLY (nothing to list).

    Each batch's frame (see rule_groups and ge_frame) is converted on a helper thread while GE checks the batch
    before it: polars converts without Python's lock, GE runs in Python.
    """
    groups = rule_groups(rules, list(frame.columns))
    context = ge_context()  # before the lock: the warm-up thread takes it too, for its first run
    found = {}
    with ThreadPoolExecutor(1, thread_name_prefix="ge-frame") as helper:
        frames = [helper.submit(ge_frame, kind_name, frame, columns, coded) for _, columns in groups]
        with _LOCK:
            for n, ((positions, _), data) in enumerate(zip(groups, frames)):
                found.update(two_passes(context, f"staged_{kind_name}_{n}", kind_name, rules, positions,
                                         data.result()))
    return [found[i] for i in range(len(rules))]


def two_passes(context, source_name: str, kind_name: str, rules: list[Rule], positions: list[int],
               data: pd.DataFrame) -> dict:
    """GE's results for the rules at these positions on one batch of data, by position (see run_suite)."""
    from great_expectations.validator.v1_validator import Validator

    source = context.data_sources.add_pandas(source_name)
    try:
        definition = source.add_dataframe_asset("batch").add_batch_definition_whole_dataframe("whole")
        # one validator, so one batch and one metric cache for both passes
        validator = Validator(definition, result_format=FIRST_PASS,
                              batch_parameters={"dataframe": FilteredOnce(data)})
        found = suite_results(validator, kind_name, rules, [i for i in positions if not rules[i].batch_level])
        again = [i for i in positions if rules[i].batch_level or not found[i].success]
        validator.result_format = SECOND_PASS
        found.update(suite_results(validator, kind_name, rules, again))
    finally:
        context.data_sources.delete(source.name)  # the data source's engine would keep the frame alive
    return found


def suite_results(validator, kind_name: str, rules: list[Rule], positions: list[int]) -> dict:
    """The validator's results for the rules at these positions, by position."""
    if not positions:
        return {}
    result = validator.validate_expectation_suite(expectation_suite(kind_name, rules, positions))
    return {r.expectation_config.meta["rule"]: r for r in result.results}


def judged(kind_name: str, rule: Rule, result,
           frame: pd.DataFrame | pl.DataFrame) -> tuple[ExpectationOutcome, list, list]:
    """One GE result read as (outcome to record, failed rows, reasons to refuse the file)."""
    problem = exception_text(result)
    positions = np.asarray(result.result.get("unexpected_index_list") or [], dtype=np.int64)
    count = int(result.result.get("unexpected_count") or 0)
    if problem is None and len(positions) != count:
        raise RuntimeError(f"GE listed {len(positions)} of {count} unexpected rows for {rule.name} {rule.column}")
    dtypes = {c.name: c.dtype for c in KINDS[kind_name].columns}
    values, source_rows = [], []
    if len(positions):
        rows = rows_at(frame, positions, list(dict.fromkeys(["source_row", *reported_columns(rule)])))
        values = value_texts(rows, rule, dtypes) if count else []
        source_rows = rows["source_row"]
    failures = [RowFailure(int(i), int(r), rule.column, v, rule.reason_zh, rule.reason_en, rule.severity, rule.name)
                for i, r, v in zip(positions, source_rows, values)]
    observed, errors = result.result.get("observed_value"), []
    if problem:
        observed = problem
        errors.append((f"校验无法执行：{rule.name}（{rule.column}）：{problem}",
                       f"validation could not run: {rule.name} ({rule.column}): {problem}"))
    elif values:
        observed = ", ".join(list(dict.fromkeys("null" if v is None else v for v in values))[:EXAMPLES])
    elif rule.expectation == "ExpectColumnToExist" and not result.success:
        observed = "missing"
    if rule.batch_level and not result.success:
        errors.append((rule.reason_zh, rule.reason_en))
    outcome = ExpectationOutcome(kind_name, rule.name, rule.column, rule.severity, bool(result.success) and not problem,
                                 None if observed is None else str(observed), count)
    return outcome, failures, errors


def validate_batch(kind_name: str, frame: pd.DataFrame | pl.DataFrame, today: datetime.date,
                   bad_row_share: float = 0.20, survey_scale: tuple[float, float] = (1, 5),
                   group_column: str | None = None) -> BatchValidation:
    """Validate a staged batch (canonical columns + source_row): outcomes, failed rows, reasons to refuse it.

    frame is a polars or a pandas frame; a failure's index is its row's position in frame. With group_column,
    the frame holds several files (that column tells which) and natural keys need only be unique within each file.
    """
    questions = question_columns(kind_name, frame)
    frame, scales = with_answer_scales(frame, questions, survey_scale)
    rules = suite_rules(kind_name, today, survey_scale, questions, group_column, scales)
    rules = [r for r in rules if set(frame.columns).issuperset(r.columns)]  # a missing required column is a batch error
    found = BatchValidation()
    for rule, result in zip(rules, run_suite(kind_name, rules, frame, coded_columns(rules))):
        outcome, failures, errors = judged(kind_name, rule, result, frame)
        found.outcomes.append(outcome)
        found.row_failures += failures
        found.batch_errors += errors
    found.outcomes.append(bad_share_outcome(kind_name, found, len(frame), bad_row_share))
    return found


def bad_share_outcome(kind_name: str, found: BatchValidation, rows: int, limit: float) -> ExpectationOutcome:
    """Outcome of the rule that refuses a file whose share of error rows exceeds limit (adds the batch error)."""
    bad = len(found.quarantined_indexes)
    refusal = bad_row_share_refusal(bad, rows, limit)
    if refusal:
        found.batch_errors.append(refusal)
    return ExpectationOutcome(kind_name, "expect_error_row_share_to_be_at_most", None, ERROR, refusal is None,
                              f"{bad / rows if rows else 0.0:.4f}", bad)
