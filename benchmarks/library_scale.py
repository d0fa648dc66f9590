"""The library at 100,000 generations: a filtered page and one insert, against a full scan.

    python benchmarks/library_scale.py

Goals: listing a filtered page (kept, one character, newest first, 50 per page)
under 50 ms; adding one generation (encode, store the file, insert the row) under
5 ms. The baseline, measured in the same run, is a full-table scan (a filter no
index can serve), printed with the ratio.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select, text
from timing import best_of

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.fake import FakeEngine
from sakuga.studio.library.db import files, generations, transaction
from sakuga.studio.library.library import Library

ROWS = 100_000


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="sakuga-bench-"))
    library = Library.open(folder)
    characters = [
        library.create_character(f"hero{i}", {"hair": f"colour {i}"}, seed=i) for i in range(20)
    ]
    seed_request = EngineRequest(Task.TEXT_TO_IMAGE, seed=1, size=(16, 16))
    first = library.record(seed_request, FakeEngine().run(seed_request))[0]
    rng = random.Random(0)
    start = time.perf_counter()
    with transaction(library.db) as conn:
        batch = []
        now = time.time()
        for i in range(ROWS):
            batch.append(
                {
                    "id": f"bench{i:09d}",
                    "created_at": now - (ROWS - i),
                    "engine": rng.choice(("toon", "draw", "openai")),
                    "model": None,
                    "task": "text-to-image",
                    "style": rng.choice(("cute", "cinematic", "webtoon", "fantasy", "cyberpunk")),
                    "use": None,
                    "seed": i,
                    "prompt": f"prompt {i}",
                    "request": json.dumps({"n": 1}),
                    "params": "{}",
                    "file_hash": first.file_hash,
                    "width": 16,
                    "height": 16,
                    "character_id": rng.choice(characters).id if rng.random() < 0.5 else None,
                    "kept": rng.choice((None, None, 0, 1)),
                }
            )
            if len(batch) == 5000:
                conn.execute(insert(generations), batch)
                batch = []
    print(f"filled {ROWS:,} generations in {time.perf_counter() - start:.1f} s")
    with library.db.connect() as conn:
        conn.execute(text("ANALYZE"))
        assert conn.execute(select(files.c.hash)).first()

    character = characters[3].name
    t_page = best_of(lambda: library.find(kept=True, character=character, limit=50))
    t_page2 = best_of(lambda: library.find(kept=True, character=character, limit=50, offset=50))
    t_newest = best_of(lambda: library.find(limit=50))

    def scan() -> None:
        with library.db.connect() as conn:
            conn.execute(
                text("SELECT count(*) FROM generations WHERE prompt LIKE '%99999%'")
            ).scalar()

    t_scan = best_of(scan)

    counter = [0]

    def add_one() -> None:
        counter[0] += 1
        request = EngineRequest(Task.TEXT_TO_IMAGE, seed=10_000 + counter[0], size=(64, 64))
        library.record(request, FakeEngine().run(request))

    t_add = best_of(add_one, repeats=20)
    print(
        f"filtered page (kept, character, newest first, 50): {t_page * 1000:.1f} ms "
        "(goal < 50 ms); "
        f"page 2: {t_page2 * 1000:.1f} ms; newest 50: {t_newest * 1000:.1f} ms"
    )
    print(f"add one generation (64x64 PNG, file + row): {t_add * 1000:.1f} ms (goal < 5 ms)")
    print(
        f"baseline full-table scan: {t_scan * 1000:.1f} ms; "
        f"filtered page is {t_scan / t_page:.0f}x faster than the scan"
    )


if __name__ == "__main__":
    main()
