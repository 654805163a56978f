"""Many processes, one store: the write lock, snapshots, readers and writers (see
``store.py``'s docstring and docs/architecture.md)."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..tables.dataversion import data_version
from ..tables.db import StoreBusy, connect, db_path, duckdb_config, schema_version
from ..tables.schema import SCHEMA_VERSION
from . import bootstrap

#: How long a writer waits for another writer before giving up (seconds);
#: ``$CEASEFIRE_WRITE_WAIT`` overrides.
WRITE_WAIT_SECONDS = 600.0
#: Snapshots kept after publishing: the new one and the one before it (a reader that
#: read the pointer just before a publish still finds its file). Older ones are deleted;
#: a process that still has one open keeps reading it (POSIX keeps an open file's data
#: until it is closed).
KEEP_SNAPSHOTS = 2
POINTER = "CURRENT"


def snapshot_dir(path: Path | str | None = None) -> Path:
    """Where a store's snapshots live: ``STORE.snapshots/`` next to the working file."""
    return Path(str(path if path is not None else db_path()) + ".snapshots")


def lock_path(path: Path | str | None = None) -> Path:
    return Path(str(path if path is not None else db_path()) + ".lock")


@dataclass(frozen=True)
class Snapshot:
    """One published, read-only copy of the store."""

    file: Path
    data_version: str
    schema_version: int
    published_at: float
    fingerprint: list  # the working file's (inode, size, mtime, WAL) when published

    @property
    def name(self) -> str:
        return self.file.name


def _fingerprint(path: Path) -> list | None:
    """What changes whenever a write reaches the working file (or its WAL)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    try:
        w = os.stat(str(path) + ".wal")
        wal = [w.st_size, w.st_mtime_ns]
    except FileNotFoundError:
        wal = None
    return [st.st_ino, st.st_size, st.st_mtime_ns, wal]


def read_pointer(path: Path | str | None = None) -> Snapshot | None:
    """The newest published snapshot as the pointer names it (None: none yet)."""
    directory = snapshot_dir(path)
    try:
        data = json.loads((directory / POINTER).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return Snapshot(
        file=directory / data["file"],
        data_version=data["data_version"],
        schema_version=int(data["schema_version"]),
        published_at=float(data["published_at"]),
        fingerprint=data["fingerprint"],
    )


class _WriteLock:
    """An exclusive ``flock`` on ``STORE.lock``, held by one writer at a time (across
    processes and across threads of one process: each holder opens its own file
    description). The holder writes who it is into the file for a waiting writer's
    message. The kernel drops the lock when the holder dies, even by ``kill -9``."""

    def __init__(self, path: Path):
        self.file = lock_path(path)
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(fd)
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        who = {
            "pid": os.getpid(),
            "command": " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv))[
                :200
            ],
            "since": time.strftime("%H:%M:%S"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(who).encode(), 0)
        self.fd = fd
        return True

    def holder(self) -> str:
        try:
            who = json.loads(self.file.read_text() or "{}")
        except (OSError, ValueError):
            who = {}
        if not who:
            return "another writer"
        return f"process {who.get('pid')} ({who.get('command')}), writing since {who.get('since')}"

    def acquire(self, timeout: float | None, on_wait: Callable[[str], None] | None) -> None:
        if self.try_acquire():
            return
        timeout = timeout if timeout is not None else _write_wait()
        message = (
            f"Waiting for the store's write lock: {self.holder()} is writing to "
            f"{self.file.with_suffix('')}. Readers are not held up; this write starts when "
            "that one ends."
        )
        (on_wait or (lambda m: print(m, file=sys.stderr, flush=True)))(message)
        deadline = time.monotonic() + timeout
        while not self.try_acquire():
            if time.monotonic() > deadline:
                raise StoreBusy(
                    f"The store's write lock is still held after {timeout:.0f} s by "
                    f"{self.holder()}. Try again when it has finished."
                )
            time.sleep(0.05)

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _write_wait() -> float:
    return float(os.environ.get("CEASEFIRE_WRITE_WAIT") or WRITE_WAIT_SECONDS)


def _copy_durably(src: Path, dst: Path) -> None:
    """Copy a file and fsync the copy (a reflink where the file system offers one)."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        try:
            fcntl.ioctl(fout.fileno(), 0x40049409, fin.fileno())  # FICLONE (btrfs, xfs)
        except OSError:
            shutil.copyfileobj(fin, fout, 16 * 1024 * 1024)  # sendfile/copy_file_range
        fout.flush()
        os.fsync(fout.fileno())


#: A retired snapshot kept to be made into the next one by writing only the bytes that
#: differ (``_patch_spare``): after a small write most of a store's file is unchanged
#: (11 of 297 blocks at a million incidents), and copying a 1 GB store costs 5 s or more
#: on a file system without reflinks (ext4).
SPARE = "spare"
#: How much is compared (and, where it differs, written) at a time.
PATCH_CHUNK = 1 << 20
#: Spare files this process found in use, by (device, inode), with the descriptor it
#: probed them through. It stays open: POSIX drops *all* of a process's record locks on
#: a file when *any* descriptor of it is closed, and this process may itself hold DuckDB's
#: lock on that file (an app's reader). Closed once the file is no longer the spare.
_probed: dict[tuple[int, int], int] = {}


def _claim_spare(spare: Path) -> int | None:
    """A descriptor of the spare with an exclusive open-file-description lock on it, or
    None when there is no spare or any connection may still read it.

    DuckDB locks every file it opens (``fcntl``: shared for read-only), in this process
    or another; an OFD write lock conflicts with those locks whichever process holds
    them, so taking one proves nobody reads the file, and while it is held DuckDB cannot
    open it. Linux only (``F_OFD_SETLK``); elsewhere every publish copies."""
    ofd_setlk = getattr(fcntl, "F_OFD_SETLK", None)
    if ofd_setlk is None:
        return None
    try:
        st = os.stat(spare)
    except FileNotFoundError:
        return None
    key = (st.st_dev, st.st_ino)  # the spare changes only under the write lock we hold
    fd = _probed.pop(key, None)
    if fd is None:
        fd = os.open(spare, os.O_RDWR)
    try:
        fcntl.fcntl(fd, ofd_setlk, struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0))
    except OSError:
        _probed[key] = fd  # in use: probe again at the next publish, never close it
        return None
    return fd  # nobody (this process included) holds a lock on it: the caller closes it


def _forget_probes(directory: Path) -> None:
    """Close the probes of files that are no longer the spare (see ``_probed``)."""
    try:
        st = os.stat(directory / SPARE)
        current = (st.st_dev, st.st_ino)
    except FileNotFoundError:
        current = None
    for key in [k for k in _probed if k != current]:
        os.close(_probed.pop(key))


def _patch_spare(fd: int, src: Path) -> None:
    """Make the (locked) spare byte for byte equal to ``src``: compare chunk by chunk,
    write the chunks that differ, cut it to size, fsync."""
    with open(src, "rb", buffering=0) as fin:
        size = os.fstat(fin.fileno()).st_size
        offset = 0
        while offset < size:
            new = fin.read(PATCH_CHUNK)
            if not new:
                raise OSError(errno.EIO, f"{src} ended early")
            if os.pread(fd, len(new), offset) != new:
                os.pwrite(fd, new, offset)
            offset += len(new)
    os.ftruncate(fd, size)
    os.fsync(fd)


def _make_snapshot_file(path: Path, tmp: Path) -> str:
    """Write the working file's bytes to ``tmp``: by patching the spare when nobody
    reads it (renamed to ``tmp`` first, so no reader can find it by its old name), else
    by a full copy. Returns which ("patch" or "copy"), for the benchmark."""
    spare = tmp.parent / SPARE
    fd = _claim_spare(spare)
    if fd is None:
        _copy_durably(path, tmp)
        return "copy"
    try:
        os.replace(spare, tmp)
        _patch_spare(fd, path)
    finally:
        os.close(fd)
    return "patch"


def _retire(directory: Path) -> None:
    """Keep the newest ``KEEP_SNAPSHOTS``; the newest of the older ones becomes the spare
    (replacing the last), the rest are deleted. A process that still has one open keeps
    reading it: the spare is patched only when nobody holds it (``_claim_spare``), and a
    deleted file's data stays until its last descriptor is closed."""
    snapshots = sorted(directory.glob("*.duckdb"))
    retired = snapshots[:-KEEP_SNAPSHOTS]
    for old in retired[:-1]:
        old.unlink(missing_ok=True)
    if retired:
        os.replace(retired[-1], directory / SPARE)
    _forget_probes(directory)


def _write_pointer(directory: Path, data: dict) -> None:
    tmp = directory / f"{POINTER}.{os.getpid()}.tmp"
    with open(tmp, "w") as out:
        json.dump(data, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, directory / POINTER)
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _publish_locked(path: Path, known: tuple[str, int] | None = None) -> Snapshot:
    """Publish the working file as the newest snapshot. The caller holds the write lock.
    Nothing is copied when the working file has not changed since the last publish.

    ``known``: the data and schema versions a writer read before closing its connection,
    which checkpointed the file (no WAL left), so the file need not be opened again."""
    current = read_pointer(path)
    if current is not None and current.file.exists() and current.fingerprint == _fingerprint(path):
        return current
    if known is not None and not os.path.exists(str(path) + ".wal"):
        version, schema = known
    else:
        con = connect(path)  # migrates an older store first
        try:
            con.execute("CHECKPOINT")
            version = data_version(con)
            schema = schema_version(con)
        finally:
            con.close()
    fingerprint = _fingerprint(path)
    directory = snapshot_dir(path)
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob("*.tmp"):  # a publish killed half-way
        leftover.unlink(missing_ok=True)
    name = f"{time.time_ns()}-{version}.duckdb"
    tmp = directory / f"{name}.tmp"
    try:
        _make_snapshot_file(path, tmp)
        os.replace(tmp, directory / name)
        data = {
            "file": name,
            "data_version": version,
            "schema_version": schema,
            "published_at": time.time(),
            "fingerprint": fingerprint,
        }
        _write_pointer(directory, data)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise StoreWriteFailed(
            f"Could not publish a snapshot of {path} in {directory}: {error.strerror or error}. "
            "Readers keep the previous snapshot; free some disk space and run any write "
            "(or `python -m ceasefire check`) to publish again."
        ) from error
    _retire(directory)
    return read_pointer(path)


class StoreWriteFailed(RuntimeError):
    """A write could not complete (e.g. the disk is full); the store is unchanged."""


_local = threading.local()  # the stores this thread holds the write lock of


@contextmanager
def writer(
    path: Path | str | None = None,
    *,
    editor: str | None = None,
    with_demo: bool = True,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Write to the store: take the write lock (waiting for another writer, with a
    message through ``on_wait`` or on stderr, at most ``timeout`` seconds), open the
    working file (a new store is created and filled, ``with_demo`` or not; an old one
    migrated), yield the connection, then publish a new snapshot.

    Make each change inside ``transaction(con)``: that is the unit of all-or-nothing.
    ``editor`` names who writes (readable as ``getvariable('ceasefire_editor')``)."""
    target = Path(path if path is not None else db_path())
    held = _local.__dict__.setdefault("held", set())
    key = os.path.abspath(target)
    if key in held:
        raise RuntimeError(f"writer() inside writer() for {target}: use the outer connection")
    lock = _WriteLock(target)
    lock.acquire(timeout, on_wait)
    held.add(key)
    try:
        con = connect(target)
        try:
            bootstrap.fill_new_store(con, with_demo=with_demo)
            if editor is not None:
                con.execute("SET VARIABLE ceasefire_editor = ?", [editor])
            yield con
        except BaseException:
            con.close()
            try:  # publish what earlier transactions of this block committed
                _publish_locked(target)
            except Exception:
                pass
            raise
        known = (data_version(con), schema_version(con))
        con.close()  # DuckDB checkpoints on closing
        _publish_locked(target, known)
    finally:
        held.discard(key)
        lock.release()


@contextmanager
def write_lock(
    path: Path | str | None = None,
    *,
    timeout: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """The write lock alone, for work on the working file as a whole (``restore``
    replaces it); call ``publish_locked(path)`` inside to publish the result."""
    target = Path(path if path is not None else db_path())
    lock = _WriteLock(target)
    lock.acquire(timeout, on_wait)
    try:
        yield target
    finally:
        lock.release()


def publish_locked(path: Path | str) -> Snapshot:
    """Publish the working file now (the caller holds ``write_lock``)."""
    return _publish_locked(Path(path))


def current_snapshot(path: Path | str | None = None) -> Snapshot:
    """The newest snapshot, publishing one first when needed: none exists yet (a new
    store is created), the schema is older than this program's (migrated), or the
    working file changed since the last publish (a write was committed but not
    published: a writer was killed between the two, or wrote with a bare ``connect``).

    Cheap when nothing changed (a small file read and two ``stat`` calls), so the app
    calls it on every run. A stale snapshot is republished only if no writer is at work
    (that writer publishes when it is done); meanwhile readers get the last one."""
    target = Path(path if path is not None else db_path())
    snap = read_pointer(target)
    fingerprint = _fingerprint(target)
    usable = snap is not None and snap.schema_version == SCHEMA_VERSION and fingerprint is not None
    if usable and snap.fingerprint == fingerprint:
        return snap
    if usable:
        lock = _WriteLock(target)
        if not lock.try_acquire():
            return snap
        try:
            return _publish_locked(target)
        except StoreBusy:  # a process holds the working file open with a bare connect()
            return snap
        finally:
            lock.release()
    with writer(target):
        pass
    return read_pointer(target)


def open_snapshot(snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    """A read-only connection on one snapshot."""
    return duckdb.connect(str(snapshot.file), read_only=True, config=duckdb_config())


def reader(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection on the newest snapshot (see ``current_snapshot``). Any
    number of processes may hold one while a writer writes; close it when done."""
    for _ in range(5):
        snap = current_snapshot(path)
        try:
            return open_snapshot(snap)
        except duckdb.IOException:
            if snap.file.exists():
                raise
            # pruned between reading the pointer and opening it: read the pointer again
    raise StoreBusy("The store's snapshots are changing too fast to open one; try again.")
