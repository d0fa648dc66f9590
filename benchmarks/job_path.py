"""The job queue's own cost per job, without HTTP: submit, claim, run, record, hand over.

    python benchmarks/job_path.py [--jobs 300]

One worker, one job at a time, the fake engine at 16x16 (so nearly all the time is the
queue's and the library's): prints, for each kind of job, the time from submit to its
submitter being woken with the images, the engine's own time (the baseline, measured on
the same jobs) and what the queue adds around it. A durable job (the studio's
``/api/jobs``) is written when queued, claimed and recorded before its submitter is
woken; an in-memory one (``/v1/images/*``) is woken once its images are encoded, and
recorded after. This is the work a server does on a worker thread for each request,
which under load competes for the interpreter with the HTTP event loop (see
server_overhead.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sakuga.studio.jobs.local import LocalJobQueue
from sakuga.studio.library.library import Library

# The fake engine is for tests and benchmarks of the job path: served only where asked.
os.environ.setdefault("SAKUGA_TEST_ENGINES", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=300)
    args = parser.parse_args()
    library = Library.open(Path(tempfile.mkdtemp(prefix="sakuga-jobs-")))
    queue = LocalJobQueue(library, workers=1, max_queued=8).start()
    request = {"task": "text-to-image", "spec": {"hair": "pink"}, "size": [16, 16], "n": 1}

    def one(seed: int, durable: bool) -> tuple[float, float]:
        ended = threading.Event()
        started = time.perf_counter()
        payload = {"engine": "fake", "request": {**request, "seed": seed}}
        job = queue.submit(payload, ended.set, durable=durable)
        ended.wait(30)
        took = time.perf_counter() - started
        outcome = queue.take_outcome(job.id)
        assert outcome, f"job {job.id} did not end done"
        return took, outcome.generations[0].seconds or 0.0

    for seed in range(30):  # warm up: imports, compiled statements, the engine instance
        one(seed, durable=seed % 2 == 0)
    runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for i in range(args.jobs):  # the two kinds interleaved, so both see the same machine
        for durable in (True, False):
            runs[durable].append(one(1000 + i, durable))
            while queue._live:  # an in-memory job is recorded after its caller is woken
                time.sleep(0.0005)
    queue.shutdown()
    print(f"{args.jobs} jobs of each kind one at a time, fake engine 16x16, one worker")
    for durable, name in ((True, "durable (/api/jobs)"), (False, "in memory (/v1/images)")):
        total = statistics.median(t for t, _ in runs[durable]) * 1000
        engine = statistics.median(e for _, e in runs[durable]) * 1000
        print(
            f"{name}: submit to woken median {total:.2f} ms, engine {engine:.2f} ms, "
            f"queue and library around it {total - engine:.2f} ms ({total / engine:.1f}x)"
        )


if __name__ == "__main__":
    main()
