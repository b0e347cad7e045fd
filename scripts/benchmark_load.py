"""Benchmark the load path against a bare polars.read_csv of the same file.

    .venv/bin/python scripts/benchmark_load.py [--rows 1000000] [--repeat 3] [--keep DIR]

Writes an inspection log of N rows as CSV, then in one run measures, each in its own process so that peak
memory is its own: polars.read_csv of the file (the baseline), the full load without validation, the full load
with validation in a fresh process (cold: it imports Great Expectations, as a `python -m etl load` does), the
same load in a process that has already imported Great Expectations and built its context (warm: the dashboard
server, the second and later files of a run; only the load is timed), the import of Great Expectations alone,
and its start-up as validation does it (import, context and a first two-row run; polars and pandas already
imported). Each is run --repeat times, interleaved, and the median time is reported. Prints the times, the
ratios to the baseline, the validation's share of the load time, each process's peak memory (for the warm
load, the peak of the whole process, start-up included) and the processor time of what was timed, which a
busy machine disturbs less than the elapsed time (validation runs on one core, reading and DuckDB on all).
Targets at 1 M rows: load ≤ 4× baseline and < 2 GB; with validation warm ≤ 6×, cold ≤ 12×, both < 2 GB.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

STAGES = ["来料检验", "过程检验", "成品检验", "出货检验"]
HEADER = ["检验单号", "检验类型", "检验日期", "批号", "物料编码", "物料名称", "供应商", "送检数量", "抽样数",
          "不良数", "检验结果", "处理方式", "不良代码", "检验员"]


def inspection_log(rows: int, seed: int = 7) -> pl.DataFrame:
    """A synthetic inspection log of the given size, with Chinese headers and values as an ERP writes them."""
    i = pl.int_range(rows, eager=True, dtype=pl.Int64)
    h = (i * 2654435761 + seed) % 1000003
    failed = h % 25 == 0
    lot = 200 + h % 1800
    sample = pl.when(lot > 1200).then(80).otherwise(50)
    return pl.DataFrame({"i": i}).select(
        pl.format("INS-{}", i).alias("检验单号"),
        pl.lit(pl.Series(STAGES)).get(i % 4).alias("检验类型"),
        (pl.date(2015, 1, 1) + pl.duration(days=i % 3650)).dt.strftime("%Y/%-m/%-d").alias("检验日期"),
        pl.format("L{}", h % 90000).alias("批号"),
        pl.format("M-{}", h % 400).alias("物料编码"),
        pl.lit("光学玻璃").alias("物料名称"),
        pl.format("供应商{}", h % 9).alias("供应商"),
        lot.alias("送检数量"),
        sample.alias("抽样数"),
        pl.when(failed).then(1 + h % 5).otherwise(0).alias("不良数"),
        pl.when(failed).then(pl.lit("不合格")).otherwise(pl.lit("合格")).alias("检验结果"),
        pl.when(failed).then(pl.lit("返工")).otherwise(pl.lit("接收")).alias("处理方式"),
        pl.when(failed).then(pl.lit("划伤")).otherwise(None).alias("不良代码"),
        pl.format("检验员{}", h % 12).alias("检验员"),
    )


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
what, path, warehouse = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start, cpu_start = time.perf_counter(), cpu()
if what == "read_csv":
    import polars as pl
    rows = pl.read_csv(path, infer_schema=False).height
elif what == "import great_expectations":
    import great_expectations
    rows = 0
elif what == "great expectations start-up":
    from expectations.validate import ge_context
    start, cpu_start = time.perf_counter(), cpu()
    ge_context()
    rows = 0
elif what == "load+validation warm":
    from etl.load import load_paths
    from expectations.validate import ge_context
    from warehouse.settings import load_settings
    ge_context()
    settings = load_settings(warehouse=warehouse)
    start, cpu_start = time.perf_counter(), cpu()
    summary = load_paths([path], settings, validate=True)
    assert summary.exit_code == 0, summary
    rows = summary.files[0].loaded
else:
    from etl.load import load_paths
    from warehouse.settings import load_settings
    summary = load_paths([path], load_settings(warehouse=warehouse), validate=(what == "load+validation"))
    assert summary.exit_code == 0, summary
    rows = summary.files[0].loaded
seconds, cpu_seconds = time.perf_counter() - start, cpu() - cpu_start
print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(what: str, csv_path: Path, warehouse: Path) -> dict:
    """Run one measurement in a fresh process, into a new warehouse; return its time, row count and peak memory."""
    for old in (warehouse, warehouse.with_name(warehouse.name + ".lock")):
        old.unlink(missing_ok=True)
    shutil.rmtree(warehouse.parent / "snapshots", ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", CHILD, what, str(csv_path), str(warehouse)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_run(found: list[dict]) -> dict:
    """The run of median time, with the median processor time and the highest peak memory of all the runs."""
    middle = sorted(found, key=lambda r: r["seconds"])[len(found) // 2]
    return middle | {"cpu": sorted(r["cpu"] for r in found)[len(found) // 2],
                     "peak_mb": max(r["peak_mb"] for r in found)}


def main() -> None:
    """Generate the file, measure baseline and loads, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the median is reported")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated file and warehouses in")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="quality-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"inspection-{args.rows}.csv"
    t = time.perf_counter()
    inspection_log(args.rows).write_csv(csv_path)
    print(f"wrote {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s: {csv_path}")
    runs: dict[str, list[dict]] = {"read_csv": [], "load": [], "load+validation": [], "load+validation warm": [],
                                   "import great_expectations": [], "great expectations start-up": []}
    for n in range(args.repeat):  # interleaved, so that a slow moment of the machine hits every step alike
        for what, found in runs.items():
            found.append(measure(what, csv_path, folder / what / "quality.duckdb"))
            print(f"run {n + 1}/{args.repeat} {what}: {found[-1]['seconds']:.2f} s", file=sys.stderr)
    base, plain, checked, warm, ge_import, ge_start = (median_run(found) for found in runs.values())
    for r in (plain, checked, warm):
        assert r["rows"] == args.rows, r
    print(f"median of {args.repeat} runs each")
    print(f"{'step':<32}{'seconds':>9}{'ratio':>8}{'peak MB':>10}{'cpu s':>8}")
    for name, r, target in (("polars.read_csv (baseline)", base, ""), ("load", plain, "≤ 4×, < 2048 MB"),
                            ("load + validation (cold)", checked, "≤ 12×, < 2048 MB"),
                            ("load + validation (warm)", warm, "≤ 6×, < 2048 MB; GE imported beforehand"),
                            ("(import great_expectations)", ge_import, "GE's import alone"),
                            ("(GE start-up as validation does)", ge_start, "part of the cold load + validation")):
        print(f"{name:<32}{r['seconds']:>9.2f}{r['seconds'] / base['seconds']:>7.1f}×{r['peak_mb']:>10.0f}"
              f"{r['cpu']:>8.2f}   {target}")
    for name, r in (("cold", checked), ("warm", warm)):
        share = max(0.0, r["seconds"] - plain["seconds"]) / r["seconds"]
        print(f"validation's share of the {name} load time: {share:.0%}")


if __name__ == "__main__":
    main()
