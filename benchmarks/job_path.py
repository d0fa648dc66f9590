"""The job queue's own cost per job, without HTTP: submit, claim, run, record, hand over.

    python benchmarks/job_path.py [--jobs 300]

One worker, one job at a time, the fake engine at 16x16 (so nearly all the time is the
queue's and the library's): prints the time per job end to end, the engine's own time
(the baseline, measured on the same jobs) and what the queue adds around it. This is
the work a server does on a worker thread for each request, which under load competes
for the interpreter with the HTTP event loop (see server_overhead.py).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sakuga.studio.jobs import LocalJobQueue
from sakuga.studio.library import Library


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=300)
    args = parser.parse_args()
    library = Library.open(Path(tempfile.mkdtemp(prefix="sakuga-jobs-")))
    queue = LocalJobQueue(library, workers=1, max_queued=8).start()
    request = {"task": "text-to-image", "spec": {"hair": "pink"}, "size": [16, 16], "n": 1}

    def one(seed: int) -> tuple[float, float]:
        ended = threading.Event()
        started = time.perf_counter()
        job = queue.submit({"engine": "fake", "request": {**request, "seed": seed}}, ended.set)
        ended.wait(30)
        took = time.perf_counter() - started
        outcome = queue.take_outcome(job.id)
        assert outcome, f"job {job.id} did not end done"
        return took, outcome[0].seconds or 0.0

    for seed in range(30):  # warm up: imports, compiled statements, the engine instance
        one(seed)
    runs = [one(1000 + i) for i in range(args.jobs)]
    queue.shutdown()
    total = statistics.median(t for t, _ in runs) * 1000
    engine = statistics.median(e for _, e in runs) * 1000
    print(f"{args.jobs} jobs one at a time, fake engine 16x16, one worker")
    print(f"per job end to end: median {total:.2f} ms")
    print(f"engine's own time (baseline): median {engine:.2f} ms")
    print(
        f"queue and library around it: {total - engine:.2f} ms ({total / engine:.1f}x the engine)"
    )


if __name__ == "__main__":
    main()
