"""Writes generations into a library: two of these run at once in the concurrency test.

python -m tests.studio.writer FOLDER TAG COUNT
"""

from __future__ import annotations

import sys
from pathlib import Path

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.fake import FakeEngine
from sakuga.prompt.artspec import ArtSpec
from sakuga.studio.library.library import Library


def main(folder: str, tag: str, count: int) -> int:
    library = Library.open(Path(folder))
    engine = FakeEngine()
    for i in range(count):
        request = EngineRequest(
            Task.TEXT_TO_IMAGE,
            spec=ArtSpec(hair=f"{tag} {i}"),
            seed=hash(tag) % 1000 + i,
            size=(24, 24),
        )
        gen = library.record(request, engine.run(request))[0]
        library.tag(gen.id, tag)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
