"""Command line: load, status, rollback, quarantine, kpis, spc, report (and report import-text), users, demo, alerts."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from warehouse.settings import Settings, load_settings
from warehouse.users import ROLES

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _as_of(text: str) -> dt.date:
    """An --as-of day: YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day as YYYY-MM-DD: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--warehouse", type=Path, help="warehouse file (default: $QUALITY_WAREHOUSE, else warehouse/quality.duckdb)")
    common.add_argument("--mapping", type=Path, help="site mapping file (TOML; default: $QUALITY_MAPPING)")
    parser = argparse.ArgumentParser(prog="python -m etl", description="Quality warehouse ETL")
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", parents=[common], help="load export files or folders")
    load.add_argument("paths", nargs="+", type=Path)
    load.add_argument("--no-progress", action="store_true", help="no progress bar")
    load.add_argument("--replace", action="store_true",
                      help="the files are complete exports: delete the rows of each file's period (kind, stage, dates, "
                           "suppliers) that it no longer holds")
    load.add_argument("--dry-run", action="store_true", help="do and count everything, then keep the warehouse as it was")
    sub.add_parser("status", parents=[common], help="rows per table, recent runs, files seen")
    sub.add_parser("rollback", parents=[common], help="restore the previous snapshot")
    quarantine = sub.add_parser("quarantine", parents=[common], help="list quarantined rows")
    quarantine.add_argument("--all", action="store_true", help="include released rows")
    kpis = sub.add_parser("kpis", parents=[common], help="print KPI values")
    kpis.add_argument("--year", type=int, required=True)
    kpis.add_argument("--month", type=int, choices=range(1, 13), metavar="M")
    kpis.add_argument("--ytd", action="store_true", help="year to date (through --month, default the whole year)")
    kpis.add_argument("--format", choices=["table", "csv", "json"], default="table")
    kpis.add_argument("--lang", choices=["zh", "en"], default=None)
    kpis.add_argument("--explain", metavar="CODE",
                      help="print the rows behind one KPI's figure (item, day, numerator, denominator, in progress, "
                           "file, row, load run) instead of the figures")
    kpis.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD",
                      help="compute as of this day (default: today in the plant's time zone, QUALITY_PLANT_TIMEZONE)")
    spc = sub.add_parser("spc", parents=[common],
                         help="a control chart of an inspection stage by month, with the run rules its months break")
    spc.add_argument("--stage", required=True, help="IQC, IPQC, FQC or OQC")
    spc.add_argument("--supplier", metavar="CODE", help="only this supplier's lots")
    spc.add_argument("--chart", default="p", metavar="p|u",
                     help="p: share of lots failed (default); u: defects per sampled unit")
    spc.add_argument("--from", dest="first", metavar="YYYY-MM", help="first month (default: 11 months before --to)")
    spc.add_argument("--to", dest="last", metavar="YYYY-MM", help="last month (default: the month of --as-of)")
    spc.add_argument("--baseline", metavar="YYYY-MM:YYYY-MM",
                     help="months the centre line and limits come from (default: the chart's full months)")
    spc.add_argument("--format", choices=["table", "csv"], default="table")
    spc.add_argument("--lang", choices=["zh", "en"], default=None)
    spc.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD",
                     help="as of this day (default: today in the plant's time zone); its month, if not over, is partial")
    report = sub.add_parser("report", parents=[common], help="generate the annual quality integrity report")
    report.add_argument("--year", type=int, help="the report's year (required)")
    report.add_argument("--format", choices=["docx", "pdf", "md"], default="docx")
    report.add_argument("--out", type=Path, help="output file (default: 质量诚信报告_YEAR[_草稿].FORMAT here)")
    report.add_argument("--final", action="store_true", help="refuse while checklist items are open; no checklist")
    report.add_argument("--font", type=Path, help="CJK font file to embed in the PDF (default: found on the system)")
    report.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD",
                        help="figures as of this day (default: today in the plant's time zone)")
    report_sub = report.add_subparsers(dest="report_command", metavar="import-text")
    import_text = report_sub.add_parser("import-text", parents=[common],
                                        help="store an earlier report (DOCX or Markdown) as the year's chapter texts")
    import_text.add_argument("--year", type=int, required=True, help="the year whose texts the file's chapters become")
    import_text.add_argument("file", type=Path, help="the report: DOCX (chapters styled 标题 1 / Heading 1) or Markdown (#)")
    import_text.add_argument("--overwrite", action="store_true", help="replace texts already saved for the year")
    users = sub.add_parser("users", help="dashboard logins: add, list, remove, reset-password")
    user_sub = users.add_subparsers(dest="users_command", required=True)
    add = user_sub.add_parser("add", parents=[common], help="add a user (the password is asked for twice)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    user_sub.add_parser("list", parents=[common], help="list the users and their roles")
    remove = user_sub.add_parser("remove", parents=[common], help="remove a user and end its sessions")
    remove.add_argument("name")
    reset = user_sub.add_parser("reset-password", parents=[common], help="set a new password and end the user's sessions")
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    demo = sub.add_parser("demo", parents=[common], help="write demo export files and load them")
    demo.add_argument("--out", type=Path, help="folder for the raw export files (default: a temporary folder)")
    demo.add_argument("--seed", type=int, default=2021)
    demo.add_argument("--if-missing", action="store_true", help="do nothing when the warehouse exists")
    alerts = sub.add_parser("alerts", parents=[common], help="evaluate the alert rules and send what is due")
    alerts.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")
    alerts.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD",
                        help="evaluate as of this day at the current time of day (default: now at the plant)")
    return parser


def _settings(args) -> Settings:
    return load_settings(warehouse=args.warehouse, mapping_file=args.mapping)


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "report" and args.report_command is None and args.year is None:
        subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        subcommands.choices["report"].error("the following arguments are required: --year")
    try:
        settings = _settings(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from etl import commands

    return getattr(commands, f"run_{args.command}")(args, settings)
