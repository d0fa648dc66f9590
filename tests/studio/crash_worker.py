"""A worker process for the crash test: accepts up to 50 jobs and runs them.

    python -m tests.studio.crash_worker FOLDER

Killed at random points by the test, then started again until every job is done.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from sakuga.studio.jobs.local import LocalJobQueue
from sakuga.studio.library.db import jobs
from sakuga.studio.library.library import Library

TOTAL = 50


def main(folder: str) -> int:
    os.environ["OMP_NUM_THREADS"] = "1"
    library = Library.open(Path(folder))
    queue = LocalJobQueue(library, workers=2, max_queued=TOTAL).start()
    with library.db.connect() as conn:
        accepted = conn.execute(select(func.count()).select_from(jobs)).scalar_one()
    for i in range(accepted, TOTAL):
        request = {
            "task": "text-to-image",
            "spec": {"hair": f"colour {i}"},
            "size": [48, 32],
            "n": 2,
            "seed": i * 10,
            # Enough simulated engine time (about 2.5 s for all 50 jobs on 2 workers)
            # that the test's kills, 0.8–2 s after each start, land mid-run.
            "options": {"delay": 0.05},
        }
        queue.submit({"engine": "fake", "request": request})
    while True:
        with library.db.connect() as conn:
            open_jobs = conn.execute(
                select(func.count())
                .select_from(jobs)
                .where(jobs.c.status.in_(("queued", "running")))
            ).scalar_one()
        if open_jobs == 0:
            break
        time.sleep(0.05)
    queue.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
