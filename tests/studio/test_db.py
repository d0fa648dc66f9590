from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sakuga.studio.db import FastStatement, fast_transaction, jobs
from sakuga.studio.library import Library

CLAIM = FastStatement(
    update(jobs)
    .where((jobs.c.id == bindparam("job_id")) & (jobs.c.status == "queued"))
    .values(status="running", started_at=bindparam("started_at"), progress=0)
)
INSERT = FastStatement(insert(jobs), keys=("id", "status", "payload", "progress", "created_at"))


def test_fast_statements_take_their_sql_order_and_types_from_sqlalchemy() -> None:
    values = {"job_id": "j1", "started_at": 2}
    # SQLite: positional, in the compiled order; Float columns converted as Core would.
    args = CLAIM.arguments(sqlite.dialect(), values)
    assert args == ("running", 0.0, 2.0, "j1", "queued")
    assert [type(a) for a in args[1:3]] == [float, float]
    # PostgreSQL (psycopg2): named parameters.
    named = CLAIM.arguments(postgresql.psycopg2.dialect(), values)
    assert named["job_id"] == "j1" and named["started_at"] == 2.0


def test_a_fast_transaction_commits_or_leaves_nothing(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib")
    row = {"id": "j1", "status": "queued", "payload": "{}", "progress": 0.0, "created_at": 1.0}
    with pytest.raises(RuntimeError), fast_transaction(library.db) as conn:
        conn.run(INSERT, row)
        raise RuntimeError("boom")
    with library.db.connect() as conn:
        assert conn.execute(select(jobs.c.id)).all() == []
    with fast_transaction(library.db) as conn:
        conn.run(INSERT, row)
        assert conn.run(CLAIM, {"job_id": "j1", "started_at": 5.0}) == 1
        assert conn.run(CLAIM, {"job_id": "j1", "started_at": 6.0}) == 0  # claimed already
    with library.db.connect() as conn:
        assert conn.execute(select(jobs.c.status, jobs.c.started_at)).one() == ("running", 5.0)
