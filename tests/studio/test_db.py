from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sakuga.studio.jobs.local_workers import _CLAIM, INSERT_JOB
from sakuga.studio.library.db import jobs, transaction
from sakuga.studio.library.library import Library


def test_a_transaction_commits_or_leaves_nothing_and_a_job_is_claimed_once(
    tmp_path: Path,
) -> None:
    library = Library.open(tmp_path / "lib")
    row = {"id": "j1", "status": "queued", "payload": "{}", "progress": 0.0, "created_at": 1.0}
    with pytest.raises(RuntimeError), transaction(library.db) as conn:
        conn.execute(INSERT_JOB, row)
        raise RuntimeError("boom")
    with library.db.connect() as conn:
        assert conn.execute(select(jobs.c.id)).all() == []
    with transaction(library.db) as conn:
        conn.execute(INSERT_JOB, row)
        assert conn.execute(_CLAIM, {"job_id": "j1", "claimed_at": 5.0}).rowcount == 1
        assert conn.execute(_CLAIM, {"job_id": "j1", "claimed_at": 6.0}).rowcount == 0
    with library.db.connect() as conn:
        assert conn.execute(select(jobs.c.status, jobs.c.started_at)).one() == ("running", 5.0)
