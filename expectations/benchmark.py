"""Time validate_batch on a synthetic staged inspection batch: python -m expectations.benchmark [rows]."""
from __future__ import annotations

import datetime
import gc
import resource
import sys
import threading
import time

import numpy as np
import polars as pl

from expectations.validate import validate_batch

TODAY = datetime.date(2026, 6, 30)


def staged_inspections(rows: int, seed: int = 7) -> pl.DataFrame:
    """A staged inspection batch like the ETL's (polars), about 1 % of rows bad and 1 % warnings."""
    rng = np.random.default_rng(seed)
    lot = rng.integers(50, 5000, rows)
    sample = np.minimum(lot, rng.integers(5, 200, rows))
    defects = np.where(rng.random(rows) < 0.05, rng.integers(1, 4, rows), 0)
    stage = rng.choice(["IQC", "IPQC", "FQC", "OQC"], rows)
    result = np.where(defects > 1, "fail", "pass")
    sample = np.where(rng.random(rows) < 0.01, lot + 1, sample)          # ~1 % errors
    frame = pl.DataFrame({
        "id": [f"INS{i:09d}" for i in range(rows)],
        "stage": stage,
        "inspected_on": np.datetime64("2019-01-01") + rng.integers(0, 2700, rows).astype("timedelta64[D]"),
        "lot": [f"L{i % 99991:05d}" for i in range(rows)],
        "item": rng.choice([f"M{i:04d}" for i in range(400)], rows),
        "item_name": rng.choice(["目镜", "物镜", "镜筒", "底座"], rows),
        "supplier": rng.choice([f"S{i:03d}" for i in range(40)], rows),
        "lot_qty": lot, "sample_qty": sample, "defects": defects, "result": result,
        "disposition": np.where(result == "pass", "accept", "return"),
        "defect_code": np.full(rows, "D01"),
        "test_kind": rng.choice(["general", "airtightness"], rows),
        "first_pass": rng.random(rows) < 0.98,
        "inspector": rng.choice(["张三", "李四", "王五"], rows),
        "source_row": np.arange(2, rows + 2),
    })
    return frame.with_columns(
        pl.col("inspected_on").cast(pl.Date),
        pl.when(pl.col("stage") == "IQC").then(pl.col("supplier")),
        pl.when(pl.col("defects") > 0).then(pl.col("defect_code")),
    )


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def timed_validation(frame) -> tuple[float, float, object]:
    """Seconds, peak resident MB (sampled every 5 ms) and result of one validate_batch call."""
    peak, done = [rss_mb()], threading.Event()

    def sample():
        while not done.wait(0.005):
            peak.append(rss_mb())

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    found = validate_batch("inspection", frame, TODAY)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return seconds, max(peak), found


def main(rows: int) -> None:
    """Build the batch, validate it three times (the first includes GE's start-up), print times and memory."""
    frame = staged_inspections(rows)  # a polars frame, as `etl load` validates it
    print(f"{rows:,} staged rows; polars frame {frame.estimated_size('mb'):.0f} MB; process RSS {rss_mb():.0f} MB")
    for run in ("first (starts GE)", "second", "third"):
        before = rss_mb()
        seconds, peak, found = timed_validation(frame)
        gc.collect()
        print(f"{run}: {seconds:.2f} s; RSS before {before:.0f} MB, peak {peak:.0f} MB (+{peak - before:.0f} MB); "
              f"{len(found.row_failures):,} failures, {len(found.quarantined_indexes):,} rows quarantined, "
              f"{len(found.batch_errors)} batch errors")
        del found


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
