"""Throughput of the distributed queue with 1, 2 and 4 worker processes on one machine.

    python benchmarks/scale_out.py [--jobs 40] [--engine-ms 500] [--workers 1 2 4]

A redis-server on loopback (password, append-only file), one shared library (SQLite in
a temporary folder), the server's queue in this process, and `sakuga worker`
processes running the fake engine, whose fixed delay per image stands in for a GPU
(it sleeps: the machine's 2 cores are not what is measured). For each worker count the
same jobs are queued at once and timed to the last one's end.

Prints, per worker count: jobs per second and the ratio to one worker (goal: 2 workers
≥ 1.8×, 4 workers ≥ 3.2×); and the queue's own time per job, beyond the engine's:
its run overhead (claimed → done, less the engine's delay: reading the payload,
recording the images, the done mark) and its dispatch gap (the time a worker sat free
while a job waited: from its previous job's end, or the job's submit, to its claim),
at p50 and p99 (goal: p99 under 50 ms beyond the engine time).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from sakuga.studio.jobs.celery_server import DistributedJobQueue
from sakuga.studio.library.db import jobs
from sakuga.studio.library.library import Library
from tests.studio.test_distributed import Redis

# The fake engine is for tests and benchmarks of the job path: served only where asked.
os.environ.setdefault("SAKUGA_TEST_ENGINES", "1")


def payload(delay: float, seed: int) -> dict:
    request = {
        "task": "text-to-image",
        "spec": {"hair": "pink"},
        "size": [32, 32],
        "n": 1,
        "seed": seed,
        "options": {"delay": delay},
    }
    return {"engine": "fake", "request": request}


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(url: str, home: Path, workers: int, count: int, delay: float) -> dict[str, float]:
    env = {
        **os.environ,
        "SAKUGA_HOME": str(home),
        "SAKUGA_DATABASE_URL": f"sqlite:///{home / 'library.db'}",
        "OMP_NUM_THREADS": "1",
    }
    argv = [sys.executable, "-m", "sakuga", "worker", "--queue", url, "--listen", "sakuga.fake"]
    processes = [
        subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    library = Library.open(home)
    queue = DistributedJobQueue(library, url, max_queued=10_000, poll=0.05).start()
    try:
        # Warm: every worker has started and taken a job before the clock starts.
        warm = [queue.submit(payload(delay, 10_000 + i)).id for i in range(workers * 2)]
        for job_id in warm:
            assert queue.wait(job_id, timeout=120).status == "done"
        start = time.monotonic()
        ids = [queue.submit(payload(delay, i)).id for i in range(count)]
        for job_id in ids:
            ended = queue.wait(job_id, timeout=600)
            assert ended.status == "done", ended.error
        wall = time.monotonic() - start
        with library.db.connect() as conn:
            rows = conn.execute(
                select(jobs.c.id, jobs.c.worker, jobs.c.created_at, jobs.c.started_at,
                       jobs.c.finished_at).where(jobs.c.id.in_(ids))
            ).all()  # fmt: skip
    finally:
        queue.shutdown()
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    overhead = [(r.finished_at - r.started_at) - delay for r in rows]
    gaps: list[float] = []
    by_worker: dict[str, list] = {}
    for row in rows:
        by_worker.setdefault(row.worker, []).append(row)
    for runs in by_worker.values():
        runs.sort(key=lambda r: r.started_at)
        for before, after in zip([None, *runs], runs, strict=False):
            free_since = (
                after.created_at if before is None else max(before.finished_at, after.created_at)
            )
            gaps.append(after.started_at - free_since)
    return {
        "wall": wall,
        "throughput": count / wall,
        "overhead_p50": p(overhead, 0.5),
        "overhead_p99": p(overhead, 0.99),
        "gap_p50": p(gaps, 0.5),
        "gap_p99": p(gaps, 0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=40)
    parser.add_argument("--engine-ms", type=float, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("scale_out.py needs redis-server (apt-get install redis-server)")
    delay = args.engine_ms / 1000
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        redis = Redis(Path(folder) / "redis").start()
        try:
            for count in args.workers:
                home = Path(folder) / f"lib-{count}"
                results[count] = measure(redis.url, home, count, args.jobs, delay)
        finally:
            redis.kill()
    base = results[args.workers[0]]["throughput"]
    print(f"{args.jobs} jobs of one image, fake engine at {args.engine_ms:.0f} ms an image")
    for count, r in results.items():
        print(
            f"{count} worker{'s' * (count != 1)}: {r['throughput']:5.2f} jobs/s "
            f"({r['wall']:5.1f} s), {r['throughput'] / base:4.2f}x one worker; "
            f"run overhead p50 {r['overhead_p50'] * 1000:4.0f} ms p99 "
            f"{r['overhead_p99'] * 1000:4.0f} ms; dispatch gap p50 {r['gap_p50'] * 1000:4.0f} ms "
            f"p99 {r['gap_p99'] * 1000:4.0f} ms"
        )
    print("goals: 2 workers >= 1.8x, 4 workers >= 3.2x; p99 queue time beyond the engine < 50 ms")


if __name__ == "__main__":
    main()
