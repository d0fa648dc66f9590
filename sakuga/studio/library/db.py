"""The library database: SQLAlchemy Core, SQLite by default, PostgreSQL by URL.

SQLite runs with foreign keys on, WAL journaling and a busy timeout, so two
processes can write to one library. Numbered migrations run on open; each runs
in its own transaction and records its number, so a crash mid-migration leaves
the schema at the last complete version.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Final
from weakref import WeakKeyDictionary

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    select,
    text,
)

metadata = MetaData()

files = Table(
    "files",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("ext", String(8), nullable=False),
    Column("size", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
)

characters = Table(
    "characters",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("traits", Text, nullable=False),  # JSON: the ArtSpec parts that define the character
    Column("style", String(32)),
    Column("engine", String(32)),
    Column("seed", BigInteger),  # seeds run to 2**32 - 1: past a 32-bit INTEGER
    Column("created_at", Float, nullable=False),
)

character_refs = Table(
    "character_refs",
    metadata,
    Column(
        "character_id", String(32), ForeignKey("characters.id", ondelete="CASCADE"), nullable=False
    ),
    Column("file_hash", String(64), ForeignKey("files.hash"), nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("character_id", "position"),
)

generations = Table(
    "generations",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", Float, nullable=False),
    Column("engine", String(32), nullable=False),
    Column("model", String(200)),
    Column("task", String(32), nullable=False),
    Column("style", String(32)),
    Column("use", String(32)),
    Column("seed", BigInteger),  # seeds run to 2**32 - 1: past a 32-bit INTEGER
    Column("prompt", Text, nullable=False),
    Column("request", Text, nullable=False),  # JSON: the full engine request
    Column("params", Text, nullable=False),  # JSON: A1111-style parameters
    Column("usage", Text),  # JSON: tokens and estimated cost, where the engine reports them
    Column("seconds", Float),
    Column("file_hash", String(64), ForeignKey("files.hash"), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("source_hash", String(64), ForeignKey("files.hash")),
    Column("parent_id", String(32), ForeignKey("generations.id", ondelete="SET NULL")),
    Column("character_id", String(32), ForeignKey("characters.id", ondelete="SET NULL")),
    Column("kept", Integer),  # 1 kept, 0 rejected, NULL undecided
    Column("rating", Integer),
)

tags = Table(
    "tags",
    metadata,
    Column(
        "generation_id",
        String(32),
        ForeignKey("generations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("tag", String(64), nullable=False),
    PrimaryKeyConstraint("generation_id", "tag"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("status", String(16), nullable=False),  # queued, running, done, failed, cancelled
    Column("payload", Text, nullable=False),  # JSON: what to run
    Column("progress", Float, nullable=False, default=0.0),
    Column("message", Text),
    Column("error", Text),
    # What kind of failure it was (`sakuga.errors.failure_code`), for the answer's status.
    Column("error_code", String(32)),
    Column("result", Text),  # JSON: generation ids
    Column("created_at", Float, nullable=False),
    Column("started_at", Float),
    Column("finished_at", Float),
    # A distributed queue's worker that holds the job, until when, and whether a
    # cancel was asked while it ran (see `sakuga.studio.jobs.celery_worker`).
    Column("worker", String(128)),
    Column("lease_until", Float),
    Column("cancel_requested", Integer, nullable=False, default=0, server_default="0"),
)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", Float, nullable=False),
)


def _v1_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[files, characters, character_refs, generations, tags, jobs])


def _v2_indexes(conn: Connection) -> None:
    # The library's common pages: newest first, by kept, by character, by style/engine.
    # Plain SQL (valid on SQLite and PostgreSQL): Index objects would attach themselves
    # to the shared tables and reappear in the next library's version 1.
    for name, table, columns in (
        ("ix_generations_created", "generations", "created_at"),
        ("ix_generations_kept_created", "generations", "kept, created_at"),
        ("ix_generations_character_created", "generations", "character_id, created_at"),
        ("ix_generations_style", "generations", "style"),
        ("ix_generations_engine", "generations", "engine"),
        ("ix_generations_parent", "generations", "parent_id"),
        ("ix_generations_file", "generations", "file_hash"),
        ("ix_generations_source", "generations", "source_hash"),
        ("ix_jobs_status", "jobs", "status, created_at"),
    ):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"))


def _v3_wide_seeds(conn: Connection) -> None:
    # Seeds are drawn below 2**32; PostgreSQL's INTEGER stops at 2**31 - 1 (SQLite's
    # INTEGER is 64-bit already, so there is nothing to change there).
    if conn.dialect.name == "postgresql":
        for table in ("generations", "characters"):
            conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN seed TYPE BIGINT"))


def _v4_job_leases(conn: Connection) -> None:
    # The distributed queue's lease on a job. A library made since this version has the
    # columns from version 1 already (the jobs table defines them).
    have = {c["name"] for c in inspect(conn).get_columns("jobs")}
    for name, kind in (
        ("worker", "VARCHAR(128)"),
        ("lease_until", "FLOAT"),
        ("cancel_requested", "INTEGER NOT NULL DEFAULT 0"),
    ):
        if name not in have:
            conn.execute(text(f"ALTER TABLE jobs ADD COLUMN {name} {kind}"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_jobs_lease ON jobs (status, lease_until)"))


def _v5_job_error_codes(conn: Connection) -> None:
    # A failed job's kind of failure (the table defines it in a library made since).
    if "error_code" not in {c["name"] for c in inspect(conn).get_columns("jobs")}:
        conn.execute(text("ALTER TABLE jobs ADD COLUMN error_code VARCHAR(32)"))


#: Numbered migrations, applied in order on open. Add new ones at the end; never edit old ones.
MIGRATIONS: Final[tuple[tuple[int, Callable[[Connection], None]], ...]] = (
    (1, _v1_tables),
    (2, _v2_indexes),
    (3, _v3_wide_seeds),
    (4, _v4_job_leases),
    (5, _v5_job_error_codes),
)


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_database(url: str) -> Engine:
    """Connect to ``url`` and bring its schema up to date."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    migrate(engine)
    return engine


def migrate(engine: Engine) -> int:
    """Apply the migrations not applied yet; returns the schema version."""
    with engine.begin() as conn:
        schema_version.create(conn, checkfirst=True)
    current = 0
    for version, step in MIGRATIONS:
        with engine.begin() as conn:
            if conn.execute(
                select(schema_version.c.version).where(schema_version.c.version == version)
            ).first():
                current = version
                continue
            step(conn)
            conn.execute(schema_version.insert().values(version=version, applied_at=time.time()))
            current = version
    return current


_write_locks: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()
_write_locks_guard = threading.Lock()


def write_lock(engine: Engine) -> threading.RLock:
    """This process's turn at writing ``engine``'s database (see `transaction`)."""
    with _write_locks_guard:
        lock = _write_locks.get(engine)
        if lock is None:
            lock = _write_locks[engine] = threading.RLock()
        return lock


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction: committed when the block ends, rolled back on any error.

    On SQLite one writer at a time holds the database; the threads of this process
    take turns on a lock first, so they hand over directly instead of meeting in
    SQLite's busy handler, which sleeps (1, 2, 5, 10… up to 100 ms) between tries.
    Other processes still meet there.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with write_lock(engine), engine.begin() as conn:
        yield conn


def integrity_ok(engine: Engine) -> bool:
    """SQLite's own integrity check (always True on other databases)."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as conn:
        return conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
