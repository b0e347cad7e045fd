"""Validate one staged batch (a pandas frame) with its kind's Great Expectations suite.

Great Expectations is imported not with this module but on one background thread per process (warm_up, started
by the app's entry file and by a load; the first validation starts it when nothing did and waits for it), and runs
in one ephemeral context per process: no Data Docs, no analytics, no progress bars, no network.
"""
from __future__ import annotations

import datetime
import os
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from expectations.rules import BOOKKEEPING, ERROR, SCALE_COLUMNS, Rule, suite_rules
from warehouse.rules import bad_row_share_refusal
from warehouse.sources import KINDS

LOWEST, HIGHEST = pd.Timestamp("1700-01-01"), pd.Timestamp("2200-01-01")  # inside datetime64[ns]
EXAMPLES = 5
_LOCK = threading.RLock()  # one GE context per process, used by one validation at a time
_CONTEXT = []              # the context, once the warm-up thread built it
WARM_UP_THREAD = "great-expectations-warm-up"
_WARM_UP: list[threading.Thread] = []
_WARM_UP_LOCK = threading.Lock()
_FAILED: list[BaseException] = []


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


def _build_context() -> None:
    """Import GE and build the context (run on the warm-up thread only): no analytics, no progress bars."""
    try:
        os.environ["GX_ANALYTICS_ENABLED"] = "False"
        import great_expectations as gx
        import great_expectations.expectations.metadata_types  # noqa: F401  (what the suites use, imported here too)
        import great_expectations.expectations.row_conditions  # noqa: F401
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.enable_analytics(False)
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        _CONTEXT.append(context)
    except BaseException as exc:  # handed to the thread that waits for the context
        _FAILED.append(exc)


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


def expectation_suite(name: str, rules: list[Rule]):
    """The GE ExpectationSuite of these rules; meta["rule"] is the rule's position."""
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    expectations = []
    for i, rule in enumerate(rules):
        kwargs = {k: v for k, v in rule.kwargs.items() if v is not None}
        if rule.when:
            kwargs["row_condition"] = ge_row_condition(rule.when)
        severity = FailureSeverity.CRITICAL if rule.severity == ERROR else FailureSeverity.WARNING
        expectations.append(getattr(gx.expectations, rule.expectation)(**kwargs, severity=severity, meta={"rule": i}))
    return gx.ExpectationSuite(name=name, expectations=expectations)


def question_columns(kind_name: str, frame: pd.DataFrame) -> list[str]:
    """The survey's question columns: numeric columns beside the canonical ones."""
    kind = KINDS[kind_name]
    if not kind.dynamic_numeric:
        return []
    canonical = {c.name for c in kind.columns} | BOOKKEEPING
    return [c for c in frame.columns if c not in canonical and pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])]


def with_answer_scales(frame: pd.DataFrame, questions: list[str], default: tuple[float, float]):
    """The frame with each response's answer scale (scale_low, scale_high; default where a row has none), and the
    distinct scales of the responses with answers; the frame as given, and no scales, when it has no such columns."""
    if not questions or not set(SCALE_COLUMNS).issubset(frame.columns):
        return frame, None
    low, high = SCALE_COLUMNS
    frame = frame.assign(**{low: frame[low].astype("float64").fillna(default[0]),
                            high: frame[high].astype("float64").fillna(default[1])})
    answered = frame[questions].notna().any(axis=1)
    scales = sorted({(float(a), float(b)) for a, b in zip(frame.loc[answered, low], frame.loc[answered, high])})
    return frame, scales or None


def ge_frame(kind_name: str, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns the suite reads, in dtypes GE's pandas engine handles fast: float64, datetime64[ns], category."""
    dtypes = {c.name: c.dtype for c in KINDS[kind_name].columns}
    out = {}
    for name in columns:
        values = frame[name]
        dtype = dtypes.get(name, "float")
        if dtype in ("int", "float"):
            values = values.astype("float64")
        elif dtype in ("date", "datetime"):
            values = pd.to_datetime(values).clip(LOWEST, HIGHEST).astype("datetime64[ns]")
        else:
            values = values.astype("category")  # hashing, filtering and set checks work on integer codes
        out[name] = values.array
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def value_texts(frame: pd.DataFrame, rule: Rule, positions: np.ndarray, dtypes: dict) -> list[str | None]:
    """The offending values of the rule's reported column(s) at these positions, as text."""
    names = rule.kwargs.get("column_list") or [rule.column]
    texts = [[value_text(v, dtypes.get(n)) for v in frame[n].iloc[positions]] for n in names]
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


def run_suite(kind_name: str, rules: list[Rule], data: pd.DataFrame) -> list:
    """GE's results for these rules on data, in rule order (result_format COMPLETE)."""
    with _LOCK:
        context = ge_context()
        source = context.data_sources.add_pandas(f"staged_{kind_name}")
        try:
            batch = (source.add_dataframe_asset("batch").add_batch_definition_whole_dataframe("whole")
                     .get_batch(batch_parameters={"dataframe": data}))
            result = batch.validate(expectation_suite(kind_name, rules),
                                    result_format={"result_format": "COMPLETE", "return_unexpected_index_query": False})
        finally:
            context.data_sources.delete(source.name)  # the data source's engine would keep the frame alive
    return sorted(result.results, key=lambda r: r.expectation_config.meta["rule"])


def judged(kind_name: str, rule: Rule, result, frame: pd.DataFrame) -> tuple[ExpectationOutcome, list, list]:
    """One GE result read as (outcome to record, failed rows, reasons to refuse the file)."""
    problem = exception_text(result)
    positions = np.asarray(result.result.get("unexpected_index_list") or [], dtype=np.int64)
    count = int(result.result.get("unexpected_count") or 0)
    if problem is None and len(positions) != count:
        raise RuntimeError(f"GE listed {len(positions)} of {count} unexpected rows for {rule.name} {rule.column}")
    dtypes = {c.name: c.dtype for c in KINDS[kind_name].columns}
    values = value_texts(frame, rule, positions, dtypes) if count else []
    source_rows = frame["source_row"].iloc[positions]
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


def validate_batch(kind_name: str, frame: pd.DataFrame, today: datetime.date, bad_row_share: float = 0.20,
                   survey_scale: tuple[float, float] = (1, 5), group_column: str | None = None) -> BatchValidation:
    """Validate a staged batch (canonical columns + source_row): outcomes, failed rows, reasons to refuse it.

    With group_column, the frame holds several files (that column tells which) and natural keys need only be
    unique within each file.
    """
    questions = question_columns(kind_name, frame)
    frame, scales = with_answer_scales(frame, questions, survey_scale)
    rules = suite_rules(kind_name, today, survey_scale, questions, group_column, scales)
    rules = [r for r in rules if set(frame.columns).issuperset(r.columns)]  # a missing required column is a batch error
    data = ge_frame(kind_name, frame, [c for c in frame.columns if any(c in r.columns for r in rules)])
    found = BatchValidation()
    for rule, result in zip(rules, run_suite(kind_name, rules, data)):
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
