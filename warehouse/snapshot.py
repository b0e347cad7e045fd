"""Every write goes through a snapshot swap: lock, copy, change the copy, CHECKPOINT, os.replace.

Readers keep reading the old file until the swap; a failed change leaves the live file byte-for-byte
as it was. The file that a swap replaces is kept (hard link) in the snapshots folder for rollback.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import glob
import os
import shutil
import time
from concurrent.futures import Executor, Future
from pathlib import Path

import duckdb

from warehouse.db import MIGRATIONS_PACKAGE, apply_migrations, pending_migrations


class WarehouseBusy(RuntimeError):
    """Another writer holds the warehouse lock for longer than we were willing to wait."""


class NoSnapshot(RuntimeError):
    """There is no earlier snapshot to roll back to."""


def lock_path(warehouse: Path) -> Path:
    """The lock file that serialises writers of this warehouse."""
    return warehouse.with_name(warehouse.name + ".lock")


@contextlib.contextmanager
def writer_lock(warehouse: Path, timeout: float = 600.0, on_wait=None):
    """Hold the exclusive writer lock of the warehouse for the duration of the block."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(warehouse), "a+") as handle:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseBusy(f"another load is still writing {warehouse.name}; try again later")
                if on_wait and not told:
                    on_wait()
                    told = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_quietly(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _remove_leftovers(warehouse: Path) -> list[Path]:
    """Remove the temporary copies (and their WAL files) that a killed writer left beside the warehouse; called
    with the writer lock held, when no other writer can be using one. Returns what was removed."""
    leftovers = sorted(warehouse.parent.glob(f".{glob.escape(warehouse.name)}.*.tmp*"))
    _remove_quietly(*leftovers)
    return leftovers


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")


def snapshot_files(warehouse: Path) -> list[Path]:
    """Kept snapshots of this warehouse, newest first (rolled-back files are not among them)."""
    folder = warehouse.parent / "snapshots"
    if not folder.is_dir():
        return []
    stem = warehouse.stem
    return sorted(folder.glob(f"{stem}-*.duckdb"), reverse=True)


def _prune(folder: Path, pattern: str, keep: int) -> None:
    for old in sorted(folder.glob(pattern), reverse=True)[keep:]:
        _remove_quietly(old)


def _swap_in(warehouse: Path, new_file: Path, keep: int, kept_name: str | None) -> None:
    """Replace the live file by new_file, keeping the old one under kept_name in the snapshots folder."""
    folder = warehouse.parent / "snapshots"
    if warehouse.exists() and kept_name:
        folder.mkdir(exist_ok=True)
        os.link(warehouse, folder / kept_name)
    os.replace(new_file, warehouse)
    _fsync_dir(warehouse.parent)
    if folder.is_dir():
        _prune(folder, f"{warehouse.stem}-*.duckdb", keep)
        _prune(folder, f"rolled-back-{warehouse.stem}-*.duckdb", keep)


@contextlib.contextmanager
def write_snapshot(warehouse: Path, keep: int = 5, on_wait=None, migrations: str = MIGRATIONS_PACKAGE):
    """Yield a connection to a fresh copy of the database file; on success swap it in atomically.

    Any exception discards the copy, so the live file stays exactly as it was. migrations names the package
    whose migrations the file gets (the warehouse's by default; the accounts file has its own).
    """
    warehouse = Path(warehouse)
    with writer_lock(warehouse, on_wait=on_wait):
        _remove_leftovers(warehouse)
        tmp = warehouse.with_name(f".{warehouse.name}.{os.getpid()}.{_stamp()}.tmp")
        wal = tmp.with_name(tmp.name + ".wal")
        try:
            if warehouse.exists():
                shutil.copyfile(warehouse, tmp)
            con = duckdb.connect(str(tmp))
            try:
                apply_migrations(con, migrations)
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            _swap_in(warehouse, tmp, keep, f"{warehouse.stem}-{_stamp()}.duckdb")
        except BaseException:
            _remove_quietly(tmp, wal)
            raise


class _Discarded(Exception):
    """Leaves a snapshot without swapping it in."""


class EarlySnapshot:
    """A write_snapshot entered on a helper thread when start() is called, so that the lock, the copy of the live
    file and the migrations go on while the caller is still busy (reading files); left on the caller's thread,
    where it is swapped in, or discarded when the caller found nothing to write.
    """

    def __init__(self, warehouse: Path, helpers: Executor, keep: int = 5):
        self._snapshot = write_snapshot(warehouse, keep=keep)
        self._helpers = helpers
        self._entering: Future | None = None
        self.discard = False

    def start(self) -> None:
        """Begin opening the snapshot (again: nothing)."""
        if self._entering is None:
            self._entering = self._helpers.submit(self._snapshot.__enter__)

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The snapshot's connection, once it is open."""
        self.start()
        return self._entering.result()

    def __enter__(self) -> "EarlySnapshot":
        return self

    def __exit__(self, kind, error, trace) -> bool:
        if self._entering is None:
            return False
        if self._entering.exception() is not None:  # waits; it never opened, so there is nothing to leave
            if kind is None and not self.discard:
                raise self._entering.exception()
            return False
        if kind is None and self.discard:
            kind, error = _Discarded, _Discarded()
        return bool(self._snapshot.__exit__(kind, error, trace)) and kind is not _Discarded


def ensure_warehouse(warehouse: Path, keep: int = 5, migrations: str = MIGRATIONS_PACKAGE) -> bool:
    """Create the database file with its schema, or migrate it, if needed; True when a write happened."""
    warehouse = Path(warehouse)
    if warehouse.exists():
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            if not pending_migrations(con, migrations):
                return False
        finally:
            con.close()
    with write_snapshot(warehouse, keep=keep, migrations=migrations):
        pass
    return True


def rollback(warehouse: Path, keep: int = 5) -> Path:
    """Put the newest kept snapshot back in place; the replaced file is kept as rolled-back-*."""
    warehouse = Path(warehouse)
    with writer_lock(warehouse):
        _remove_leftovers(warehouse)
        snaps = snapshot_files(warehouse)
        if not snaps:
            raise NoSnapshot(f"no earlier snapshot of {warehouse.name} is kept")
        previous = snaps[0]
        tmp = warehouse.with_name(f".{warehouse.name}.{os.getpid()}.{_stamp()}.tmp")
        try:
            shutil.copyfile(previous, tmp)
            _swap_in(warehouse, tmp, keep, f"rolled-back-{warehouse.stem}-{_stamp()}.duckdb")
        except BaseException:
            _remove_quietly(tmp)
            raise
        previous.unlink()
        return previous
