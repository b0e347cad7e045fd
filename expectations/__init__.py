"""Great Expectations suites, one per source kind, and the reconciliation checks after a merge.

Importing this package does not import Great Expectations: warm_up() imports it on a background thread, once per
process, and a validation that comes first starts that thread and waits for it.
"""
from expectations.names import check_name
from expectations.reconcile import reconciliation_outcomes
from expectations.validate import BatchValidation, ExpectationOutcome, RowFailure, validate_batch, warm_up

__all__ = ["BatchValidation", "ExpectationOutcome", "RowFailure", "check_name", "reconciliation_outcomes", "validate_batch",
           "warm_up"]
