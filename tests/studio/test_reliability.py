"""Crash safety, disk full and concurrent writers (SECURITY.md: process killed mid-job,
disk full while writing, many clients at once)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.fake import FakeEngine
from sakuga.errors import OutputError
from sakuga.imaging import io as imaging_io
from sakuga.studio.library.db import files, integrity_ok, jobs
from sakuga.studio.library.library import Library

# The slow lane (processes killed at random points): `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    rng = random.Random(1234)
    kills = 0
    for _ in range(5):
        worker = _spawn("tests.studio.crash_worker", str(folder))
        time.sleep(rng.uniform(0.8, 2.0))
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
            kills += 1
        worker.wait(timeout=30)
    final = _spawn("tests.studio.crash_worker", str(folder))
    _, err = final.communicate(timeout=240)
    assert final.returncode == 0, err.decode()[-2000:]
    assert kills >= 1

    library = Library.open(folder)
    assert integrity_ok(library.db)
    with library.db.connect() as conn:
        rows = conn.execute(select(jobs)).all()
        known_files = {r.hash for r in conn.execute(select(files.c.hash))}
    assert len(rows) == 50 and {r.status for r in rows} == {"done"}  # none lost
    import json

    result_ids = [gid for r in rows for gid in json.loads(r.result)]
    assert len(result_ids) == 100 and len(set(result_ids)) == 100
    assert library.count() == 100  # no half-recorded job left extra rows
    report = library.repair(older_than=0)
    assert report.missing_files == []  # no row points to a missing file
    on_disk = {d for d, _ in library.store.all_files()}
    assert on_disk == known_files  # no orphan file left after repair
    assert library.store.temporary_leftovers() == []


def test_disk_full_mid_save_leaves_nothing_visible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library.open(tmp_path / "lib")
    request = EngineRequest(Task.TEXT_TO_IMAGE, n=3, seed=1, size=(40, 40))
    result = FakeEngine().run(request)
    real_write = imaging_io.atomic_write
    calls = {"n": 0}

    def full_disk(path: object, write: object) -> Path:
        calls["n"] += 1
        if calls["n"] == 2:

            def half(handle: object) -> None:
                handle.write(b"\x89PNG\r\n\x1a\n half")  # type: ignore[attr-defined]
                raise OSError(28, "No space left on device")

            return real_write(path, half)  # type: ignore[arg-type]
        return real_write(path, write)  # type: ignore[arg-type]

    monkeypatch.setattr("sakuga.studio.storage.files.atomic_write", full_disk)
    with pytest.raises(OutputError, match="No space left"):
        library.record(request, result)
    monkeypatch.undo()
    assert library.count() == 0  # the transaction rolled back: no half rows
    assert library.store.temporary_leftovers() == []  # no half file
    library.repair(older_than=0)
    assert library.store.all_files() == []  # the one whole file written before the error is gone
    assert library.record(request, result)  # and the library works on


@pytest.mark.slow
def test_two_processes_write_the_same_library(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    Library.open(folder)  # create the schema once, as the first user would
    writers = [_spawn("tests.studio.writer", str(folder), tag, "30") for tag in ("alpha", "beta")]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()[-2000:]
    library = Library.open(folder)
    assert integrity_ok(library.db)
    assert library.count() == 60
    assert len(library.find(tag="alpha", limit=100)) == 30
    assert len(library.find(tag="beta", limit=100)) == 30
    assert library.repair(older_than=0).missing_files == []
