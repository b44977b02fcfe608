"""Point-in-time recovery drill (security checklist 25): PostgreSQL continuous archiving on a
scratch cluster, restored to a moment between two writes.

The production set-up is in docs/how-to/backup-and-restore.md: `archive_mode = on` with an
`archive_command` that copies each WAL segment off the server, a nightly `pg_basebackup`, and a
restore that replays the archive up to `recovery_target_time`. This module runs exactly those
steps on a throwaway cluster (its own data folders, port and archive, removed afterwards) so the
procedure is tested, not just written down, and it measures how long the restore took against
the recovery time objective.

It needs the PostgreSQL server programs (`initdb`, `pg_ctl`, `pg_basebackup`, `postgres`; Debian's
`postgresql` package puts them in /usr/lib/postgresql/VERSION/bin). PostgreSQL will not run as
root, so when the drill runs as root it runs them as the `postgres` account.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

# What the council agrees to (docs/how-to/backup-and-restore.md): lose at most five minutes of
# work, and be working again within four hours. The archive_timeout below bounds the loss.
RPO = dt.timedelta(minutes=5)
RTO = dt.timedelta(hours=4)
ARCHIVE_TIMEOUT_SECONDS = 60
PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


class DrillError(Exception):
    """A step of the drill failed; the message names the step and PostgreSQL's own words."""


def server_programs() -> Path | None:
    """The folder holding PostgreSQL's server programs, newest version first, or None."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).parent] if on_path else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name)
                         if p.parent.name.isdigit() else 0, reverse=True)
    for folder in candidates:
        if all((folder / name).exists() for name in PROGRAMS):
            return folder
    return None


def _run_as() -> str | None:
    """PostgreSQL refuses to run as root: run its programs as `postgres` then, if that account exists."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError as error:
        raise DrillError("Running as root, and there is no postgres account to run PostgreSQL as") from error
    return "postgres"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    bin: Path
    data: Path
    port: int
    user: str | None

    def run(self, program: str, *args: str, step: str) -> str:
        command: Sequence[str] = [str(self.bin / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
        if done.returncode != 0:
            raise DrillError(f"{step}: {program} failed: {(done.stderr or done.stdout).strip()[-800:]}")
        return done.stdout

    def start(self, step: str) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-t", "120", "start",
                 step=step)

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", step="stopping the scratch server")
        except DrillError:
            pass  # already stopped; the folder is removed next either way

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True)

    def configure(self, settings: dict[str, str]) -> None:
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            for key, value in settings.items():
                conf.write(f"{key} = '{value}'\n")


@dataclass(frozen=True)
class DrillResult:
    target_time: dt.datetime
    rows_before_target: int
    rows_after_target: int
    rows_restored: int
    later_rows_restored: int
    base_backup_seconds: float
    restore_seconds: float

    @property
    def within_rto(self) -> bool:
        return self.restore_seconds <= RTO.total_seconds()


@contextmanager
def _scratch(user: str | None) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="harbour-pitr-"))
    try:
        if user:
            shutil.chown(folder, user=user)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise DrillError(f"Timed out after {seconds:.0f} s waiting for {what}")


def _make_folder(path: Path, user: str | None) -> Path:
    path.mkdir(mode=0o700)
    if user:
        shutil.chown(path, user=user)
    return path


def drill(*, rows: int = 100) -> DrillResult:
    """Base backup, `rows` rows, note the time, `rows` more rows, restore to the noted time.

    Returns what the restored cluster holds and how long the base backup and the restore took."""
    bin_folder = server_programs()
    if bin_folder is None:
        raise DrillError("PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) are not installed")
    user = _run_as()
    with _scratch(user) as scratch:
        archive = _make_folder(scratch / "wal-archive", user)
        primary = Cluster(bin_folder, scratch / "primary", _free_port(), user)
        primary.run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust", "--no-sync",
                    step="creating the scratch cluster")
        primary.configure({
            "listen_addresses": "127.0.0.1", "port": str(primary.port), "unix_socket_directories": str(scratch),
            "wal_level": "replica", "archive_mode": "on", "archive_timeout": str(ARCHIVE_TIMEOUT_SECONDS),
            # Never overwrite a segment already archived: a second server writing to the same
            # archive by mistake must fail loudly, not corrupt it.
            "archive_command": f"test ! -f {archive}/%f && cp %p {archive}/%f",
        })
        primary.start("starting the scratch cluster")
        restored = Cluster(bin_folder, scratch / "restored", _free_port(), user)
        try:
            with primary.connect() as db:
                db.execute("CREATE TABLE drill (id serial PRIMARY KEY, written text NOT NULL)")
            started = time.monotonic()
            base = scratch / "base"
            primary.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                        "-D", str(base), "--checkpoint=fast", "--wal-method=stream", step="taking the base backup")
            base_seconds = time.monotonic() - started
            with primary.connect() as db:
                for _ in range(rows):
                    db.execute("INSERT INTO drill (written) VALUES ('before')")
                time.sleep(1.1)  # the target sits clearly between the two sets of commits
                target = db.execute("SELECT clock_timestamp()").fetchone()[0]  # type: ignore[index]
                time.sleep(1.1)
                for _ in range(rows):
                    db.execute("INSERT INTO drill (written) VALUES ('after')")
                last = db.execute("SELECT pg_walfile_name(pg_current_wal_lsn())").fetchone()[0]  # type: ignore[index]
                db.execute("SELECT pg_switch_wal()")
            _wait_for(lambda: (archive / last).exists(), f"WAL segment {last} to be archived")
            primary.stop()  # the disaster: from here on only the base backup and the archive are left

            started = time.monotonic()
            shutil.copytree(base, restored.data, symlinks=True)
            if user:
                subprocess.run(["chown", "-R", user, str(restored.data)], check=True)  # noqa: S603,S607
            (restored.data / "recovery.signal").touch()
            restored.configure({
                "port": str(restored.port), "archive_mode": "off",
                "restore_command": f"cp {archive}/%f %p",
                "recovery_target_time": target.isoformat(),
                "recovery_target_action": "promote",
            })
            restored.start("starting the restored cluster")

            def promoted() -> bool:
                try:
                    with restored.connect() as db:
                        return not db.execute("SELECT pg_is_in_recovery()").fetchone()[0]  # type: ignore[index]
                except psycopg.OperationalError:
                    return False  # still starting up
            _wait_for(promoted, "the restored cluster to finish recovery")
            restore_seconds = time.monotonic() - started
            with restored.connect() as db:
                counts: dict[str, int] = dict(db.execute("SELECT written, count(*) FROM drill GROUP BY written").fetchall())
        finally:
            restored.stop()
            primary.stop()
    return DrillResult(
        target_time=target, rows_before_target=rows, rows_after_target=rows,
        rows_restored=int(counts.get("before", 0)), later_rows_restored=int(counts.get("after", 0)),
        base_backup_seconds=base_seconds, restore_seconds=restore_seconds,
    )
