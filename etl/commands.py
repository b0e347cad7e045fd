"""The CLI commands: each takes the parsed arguments and settings and returns an exit code."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from etl.mapping import MappingError
from warehouse.settings import Settings

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
STATUS_WORDS = {"loaded": "已加载 loaded", "unchanged": "未变化 unchanged", "refused": "已拒收 refused"}


def _err(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _no_warehouse(settings: Settings) -> bool:
    """Whether the warehouse file is missing (and the command said so)."""
    if settings.warehouse.exists():
        return False
    _err(f"no warehouse at {settings.warehouse}; load exports with `python -m etl load PATH`")
    return True


def _tqdm_progress(enabled: bool):
    """A progress callback drawing a tqdm bar on stderr, and a function to close it."""
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=1, unit="file", file=sys.stderr, leave=False, dynamic_ncols=True)

    def tick(step: str, done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.set_description(step[:40])
        bar.refresh()

    return tick, bar.close


def print_summary(summary, lang: str) -> None:
    """The per-file outcome, the rows each file inserted, updated, left and deleted, the files skipped, the totals."""
    for f in summary.files:
        line = f"{STATUS_WORDS[f.status]:<20} {f.name}"
        if f.kind:
            line += f"  [{f.kind}] {f.loaded}/{f.rows} rows"
        if f.status == "loaded":
            line += (f": {f.inserted} inserted 新增, {f.updated} updated 更新, {f.same} unchanged 未变, "
                     f"{f.deleted} deleted 删除" + (" (complete export 完整导出)" if f.replace else ""))
        if f.quarantined:
            line += f", {f.quarantined} quarantined 隔离"
        if f.warnings:
            line += f", {f.warnings} warnings 警告"
        for table, n in f.registered.items():
            line += f", {n} new {table}"
        print(line)
        if f.skipped_lines:
            print(f"    {len(f.skipped_lines)} footer/totals lines skipped 表尾行已跳过: "
                  + "; ".join(f"row {x.row}: {x.text}" for x in f.skipped_lines[:5]))
        if f.status == "refused":
            print(f"    {f.reason_zh if lang == 'zh' else f.reason_en}")
            print(f"    {f.reason_en if lang == 'zh' else f.reason_zh}")
    for skipped in summary.skipped:
        print(f"{'未读取 skipped':<20} {skipped.path}: {skipped.reason_zh if lang == 'zh' else skipped.reason_en}")
    rows = sum(f.loaded for f in summary.files)
    quarantined = sum(f.quarantined for f in summary.files)
    deleted = summary.deleted_by_kind()
    if deleted:
        verb = "would delete 将删除" if summary.dry_run else "deleted 已删除"
        print(f"\ncomplete exports {verb}: " + ", ".join(f"{n} {kind}" for kind, n in deleted.items()))
    done = " (dry run: warehouse not changed 试运行，未修改数据)" if summary.dry_run else (
        f" (run {summary.run_id})" if summary.run_id else " (warehouse not changed)")
    print(f"\n{summary.count('loaded')} loaded, {summary.count('unchanged')} unchanged, {summary.count('refused')} refused, "
          f"{len(summary.skipped)} skipped; {rows} rows loaded, {quarantined} rows quarantined" + done)
    for o in summary.reconciliation_failures:
        print(f"reconciliation {o.severity}: {o.expectation} {o.column or ''} {o.observed_value or ''}")


def run_load(args, settings: Settings) -> int:
    """python -m etl load PATH…"""
    from etl.load import UsageError, load_paths

    tick, close = _tqdm_progress(not args.no_progress and sys.stderr.isatty())
    try:
        summary = load_paths(args.paths, settings, progress=tick, replace=args.replace, dry_run=args.dry_run)
    except (UsageError, MappingError) as exc:
        close()
        _err(str(exc))
        return EXIT_USAGE
    close()
    print_summary(summary, settings.language)
    load_alerts_report(summary, settings)
    return summary.exit_code


def load_alerts_report(summary, settings: Settings) -> None:
    """The data-quality alerts of a load (QUALITY_ALERTS): evaluated, sent, and said in a line; a bad alerts file or
    a failed delivery is said too, and never changes the load's exit code."""
    from etl.alerts import alerts_after_load
    from presentation import alert_message
    from warehouse.alerts import AlertConfigError

    try:
        run = alerts_after_load(summary, settings, alert_message)
    except AlertConfigError as exc:
        _err(f"alerts not evaluated 预警未评估: {exc} {exc.reason_zh}")
        return
    if run is not None:
        print(alert_run_line(run))


def alert_run_line(run) -> str:
    """One line on a run of alerts: active, new, cleared, sent, failed."""
    line = (f"alerts 预警: {len(run.active)} active 未解除, {run.opened} new 新增, {run.cleared} cleared 已解除; "
            f"{len(run.sent)} sent 已发送")
    if run.failed:
        line += f", {len(run.failed)} failed 发送失败 (tried again on the next run 下次运行时重试)"
    if not run.targets:
        line += " (no [[target]] in the alerts file 预警文件中没有发送目标)"
    return line


def run_alerts(args, settings: Settings) -> int:
    """python -m etl alerts [--dry-run] [--as-of YYYY-MM-DD]: evaluate the alert rules, record them in the accounts
    file and send the messages due (every KPI target, the rules of QUALITY_ALERTS, calibration, complaint clock)."""
    import datetime as dt

    from etl.alerts import run_alerts as evaluate
    from presentation import alert_message
    from warehouse.alerts import AlertConfigError

    if settings.alerts_file is None:
        _err("no alerts file: set QUALITY_ALERTS to the TOML file of the alert rules and targets (README: Alerts) "
             "未配置预警规则文件：请设置环境变量 QUALITY_ALERTS")
        return EXIT_USAGE
    if _no_warehouse(settings):
        return EXIT_USAGE
    now = settings.plant_now()
    if args.as_of:
        now = dt.datetime.combine(args.as_of, now.time())
    try:
        run = evaluate(settings, alert_message, now=now, dry_run=args.dry_run)
    except AlertConfigError as exc:
        _err(f"{exc}\n       {exc.reason_zh}")
        return EXIT_USAGE
    for m in run.messages:
        verb = ("would send 将发送" if run.dry_run else "sent 已发送" if m.ok else "failed 发送失败")
        print(f"{verb} -> {m.target}: {m.title}")
        print("    " + m.body.replace("\n", "\n    "))
        if m.error:
            print(f"    ({m.error})")
    if run.dry_run:
        print(f"dry run 试运行: {len(run.active)} active 未解除, {run.opened} new 新增, {run.cleared} would clear 将解除; "
              f"{len(run.messages)} messages would be sent 条消息将发送; nothing sent or recorded 未发送、未记录")
        return EXIT_OK
    print(alert_run_line(run))
    return EXIT_REFUSED if run.failed else EXIT_OK


def run_status(args, settings: Settings) -> int:
    """python -m etl status"""
    from etl.status import status_text

    if _no_warehouse(settings):
        return EXIT_USAGE
    print(status_text(settings.warehouse))
    return EXIT_OK


def run_rollback(args, settings: Settings) -> int:
    """python -m etl rollback"""
    from warehouse.snapshot import NoSnapshot, rollback

    try:
        restored = rollback(settings.warehouse, keep=settings.snapshots_kept)
    except NoSnapshot as exc:
        _err(str(exc))
        return EXIT_REFUSED
    from warehouse.users import audit

    audit(settings, cli_actor(), "rollback", {"restored": restored.name})
    print(f"restored snapshot {restored.name} 已恢复到上一个快照")
    return EXIT_OK


def run_quarantine(args, settings: Settings) -> int:
    """python -m etl quarantine"""
    from etl.status import quarantine_text

    if _no_warehouse(settings):
        return EXIT_USAGE
    print(quarantine_text(settings.warehouse, include_released=args.all, lang=settings.language))
    return EXIT_OK


def run_kpis(args, settings: Settings) -> int:
    """python -m etl kpis --year Y [--month M] [--ytd] [--format table|csv|json] [--as-of YYYY-MM-DD]
    [--explain CODE]"""
    from warehouse import kpis
    from warehouse.db import read_connection

    if _no_warehouse(settings):
        return EXIT_USAGE
    if args.explain and args.explain not in kpis.REGISTRY:
        _err(f"no KPI {args.explain!r}; the codes are: {', '.join(kpis.REGISTRY)}")
        return EXIT_USAGE
    month = args.month if args.month else (12 if args.ytd else None)
    period = kpis.Period(args.year, month, args.ytd)
    day = args.as_of or settings.plant_today()
    with read_connection(settings.warehouse) as con:
        if args.explain:
            rows = kpis.rows_behind(con, args.explain, period, settings, today=day)
            writers = {"csv": kpis.rows_behind_csv, "json": kpis.rows_behind_json, "table": kpis.rows_behind_text}
            text = writers[args.format](rows)
        else:
            values = kpis.kpi_values(con, period, settings, lang=args.lang or settings.language, today=day)
            text = {"csv": kpis.kpis_csv, "json": kpis.kpis_json, "table": kpis.kpis_text_table}[args.format](values)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def run_spc(args, settings: Settings) -> int:
    """python -m etl spc --stage IQC|IPQC|FQC|OQC [--supplier CODE] [--chart p|u] [--from YYYY-MM] [--to YYYY-MM]
    [--baseline YYYY-MM:YYYY-MM] [--format table|csv] [--as-of YYYY-MM-DD]"""
    from presentation import spc_rules_text, spc_signal_text, t
    from warehouse import spc
    from warehouse.db import read_connection

    if _no_warehouse(settings):
        return EXIT_USAGE
    lang = args.lang or settings.language
    day = args.as_of or settings.plant_today()
    try:
        first = spc.parse_month(args.first) if args.first else None
        last = spc.parse_month(args.last) if args.last else None
        baseline = spc.parse_baseline(args.baseline) if args.baseline else None
        with read_connection(settings.warehouse) as con:
            chart = spc.control_chart(con, args.stage.strip().upper(), args.chart.strip().lower(), args.supplier,
                                      first, last, baseline, day)
    except spc.SpcError as exc:
        _err(f"{exc}\n       {exc.reason_zh}")
        return EXIT_USAGE
    if args.format == "csv":
        sys.stdout.write(spc.chart_csv(chart))
        return EXIT_OK
    kind = chart.kind
    header = [t("spc_col.month", lang), t("col.lots" if kind == "p" else "spc_units", lang),
              t("col.lots_failed" if kind == "p" else "spc_defects", lang), t(f"spc_value.{kind}", lang),
              t("spc_col.centre", lang), t("spc_col.lcl", lang), t("spc_col.ucl", lang), t("spc_rules", lang)]
    (b_first, b_last) = chart.baseline
    print(t(f"spc_chart.{kind}", lang).format(stage=chart.stage + (f" · {chart.supplier}" if chart.supplier else "")))
    print(t("spc_baseline_caption", lang).format(first=f"{b_first[0]}-{b_first[1]:02d}",
                                                 last=f"{b_last[0]}-{b_last[1]:02d}", centre=f"{chart.centre:.4f}"))
    sys.stdout.write(spc.chart_table(chart, header, lambda rules: spc_rules_text(rules, lang)))
    if any(p.partial for p in chart.points):
        print(t("spc_running_note", lang))
    flagged = [p for p in chart.points if p.rules]
    print(t("spc_signals", lang) + ":" if flagged else t("spc_no_signals", lang))
    for p in flagged:
        print("  " + spc_signal_text(p.label, p.rules, lang))
    return EXIT_OK


def run_report(args, settings: Settings) -> int:
    """python -m etl report --year Y [--format docx|pdf|md] [--out FILE] [--final]; report import-text"""
    if args.report_command == "import-text":
        return run_report_import_text(args, settings)
    from presentation import (NoCjkFont, ReportNotReady, build_report, report_docx, report_file_name, report_markdown,
                              report_pdf)
    from warehouse.db import read_connection
    from warehouse.snapshot import ensure_warehouse

    if _no_warehouse(settings):
        return EXIT_USAGE
    ensure_warehouse(settings.warehouse, keep=settings.snapshots_kept)
    try:
        with read_connection(settings.warehouse) as con:
            report = build_report(con, args.year, settings, today=args.as_of or settings.plant_today(),
                                  final=args.final)
        if args.format == "pdf":
            data = report_pdf(report, args.font)
        else:
            data = report_docx(report) if args.format == "docx" else report_markdown(report)
    except ReportNotReady as exc:
        _err(f"{len(exc.flags)} checklist item(s) open; the final report is not written 核对清单未处理完，未生成正式版:")
        for f in exc.flags:
            print(f"  [{f.id}] {f.message}", file=sys.stderr)
        return EXIT_REFUSED
    except NoCjkFont as exc:
        _err(str(exc))
        return EXIT_USAGE
    out = args.out or Path(report_file_name(args.year, args.format, args.final))
    out.write_bytes(data)
    open_flags = [f for f in report.flags if f.open]
    print(f"wrote {out} ({len(data)} bytes); {len(open_flags)} open checklist item(s) 待处理核对项")
    for f in open_flags:
        print(f"  [{f.id}] {f.message}")
    return EXIT_OK


def run_report_import_text(args, settings: Settings) -> int:
    """python -m etl report import-text --year Y FILE [--overwrite]: the file's chapters become the year's texts."""
    from presentation import CHAPTERS, ReportImportError, SavedTextsExist, import_report_text, split_report
    from warehouse.users import audit

    if _no_warehouse(settings):
        return EXIT_USAGE
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        _err(f"{args.file}: cannot be read 无法读取: {exc.strerror or exc}")
        return EXIT_USAGE
    try:
        split = split_report(args.file, data)
    except ReportImportError as exc:
        _err(f"{exc}\n       {exc.reason_zh}")
        return EXIT_REFUSED
    titles = dict(CHAPTERS)
    print(f"{args.file} ({split.format}): {len(split.chapters)} chapters found 找到 {len(split.chapters)} 章")
    for c in split.chapters:
        print(f"  {titles[c.chapter]:<14} <- “{c.heading}” ({c.blocks} blocks 段)")
    if split.not_imported:
        print("not imported (no chapter matches) 未导入（不属于任何章节）:")
        for part in split.not_imported:
            where = f"“{part.heading}”" if part.heading is not None else "(before the first chapter 第一个章节之前)"
            print(f"  {where}: {part.blocks} blocks 段" + (f"  {part.excerpt}" if part.excerpt else ""))
    if split.images:
        print(f"{split.images} pictures not imported 张图片未导入")
    if split.missing:
        print("not in the file, left as they are 文件中没有，保持不变: " + "、".join(titles[c] for c in split.missing))
    try:
        written = import_report_text(settings.warehouse, args.year, split, cli_actor(), overwrite=args.overwrite)
    except SavedTextsExist as exc:
        _err(f"{exc} {exc.reason_zh}; replace them with --overwrite 如需覆盖请加 --overwrite")
        return EXIT_REFUSED
    audit(settings, cli_actor(), "report_import", {"year": args.year, "file": args.file.name, "chapters": written})
    print(f"imported {len(written)} chapters as the texts of {args.year} 已导入为 {args.year} 年的正文; later years "
          "without texts of their own start from them 之后尚无正文的年度以此为起点")
    return EXIT_OK


def cli_actor() -> str:
    """Who runs the command, for the audit log: cli:<operating-system user>."""
    import pwd

    try:
        return "cli:" + pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"cli:uid{os.getuid()}"


def _new_password(args) -> str | None:
    """The new password: the first line of stdin with --password-stdin, else asked twice without echo."""
    import getpass
    import warnings

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", getpass.GetPassWarning)  # never fall back to echoing the password
            first = getpass.getpass("password 密码: ")
            again = getpass.getpass("again 再输入一次: ")
    except (getpass.GetPassWarning, EOFError, KeyboardInterrupt):
        _err("no terminal to ask for the password; use --password-stdin 无法在终端输入密码，请用 --password-stdin")
        return None
    if first != again:
        _err("the passwords differ 两次输入的密码不一致")
        return None
    return first


def run_users(args, settings: Settings) -> int:
    """python -m etl users add|list|remove|reset-password"""
    from warehouse.users import UserError, accounts_connection, add_user, remove_user, set_password, user_list

    try:
        if args.users_command == "list":
            with accounts_connection(settings) as con:
                users = user_list(con)
            for u in users:
                print(f"{u.name:<24} {u.role:<8} created {u.created_at:%Y-%m-%d %H:%M} by {u.created_by or '-'}, "
                      f"password changed {u.password_changed_at:%Y-%m-%d %H:%M}")
            print(f"{len(users)} users 个用户")
            return EXIT_OK
        if args.users_command == "remove":
            remove_user(settings, args.name, cli_actor())
            print(f"removed {args.name} 已删除")
            return EXIT_OK
        password = _new_password(args)
        if password is None:
            return EXIT_USAGE
        if args.users_command == "add":
            add_user(settings, args.name, args.role, password, cli_actor())
            print(f"added {args.name} ({args.role}) 已添加")
        else:
            set_password(settings, args.name, password, cli_actor())
            print(f"new password for {args.name}; their sessions ended 已重设密码")
    except UserError as exc:
        _err(f"{exc} {exc.reason_zh}")
        return EXIT_REFUSED
    return EXIT_OK


def run_demo(args, settings: Settings) -> int:
    """python -m etl demo [--out DIR]: write demo exports and load them through the ordinary load path (with
    --if-missing, an existing warehouse is kept and only migrated when it lacks a migration). With no account yet,
    the first admin is created and its password printed, so it is in the console before the dashboard starts."""
    from demo.exports import write_demo_exports
    from etl.load import load_paths
    from warehouse.snapshot import ensure_warehouse
    from warehouse.users import ensure_first_admin, first_admin_message

    if args.if_missing and settings.warehouse.exists():
        ensure_warehouse(settings.warehouse, keep=settings.snapshots_kept)  # the schema the dashboard's queries read
        print(f"warehouse {settings.warehouse} exists; demo not rebuilt")
        code = EXIT_OK
    else:
        with tempfile.TemporaryDirectory(prefix="quality-demo-") as tmp:
            out = args.out or Path(tmp)
            files = write_demo_exports(out, seed=args.seed)
            print(f"wrote {len(files)} demo export files to {out}")
            tick, close = _tqdm_progress(sys.stderr.isatty())
            summary = load_paths([out], settings, progress=tick, command="demo")
            close()
        print_summary(summary, settings.language)
        code = summary.exit_code
    password = ensure_first_admin(settings)
    if password:
        print(first_admin_message(password), flush=True)
    return code
