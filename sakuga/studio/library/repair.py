"""Maintenance: what a crash can leave behind, removed (`Library` has these methods)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine, select

from sakuga.studio.library.db import (
    files,
    generations,
    integrity_ok,
)
from sakuga.studio.storage.files import Storage


@dataclass(frozen=True)
class RepairReport:
    orphan_files: int
    leftovers: int
    missing_files: list[str]


class Maintenance:
    """Repair and health checks (a part of `Library`)."""

    db: Engine
    store: Storage

    def repair(self, older_than: float = 600.0, *, at_start: bool = False) -> RepairReport:
        """Remove what a crash can leave behind: unreferenced files and temporary files.

        While others may write, only files older than ``older_than`` seconds go: another
        process may have just written a file whose row it has not committed yet. With
        ``at_start`` (a server starting), the writers' lock is taken exclusively, so no
        writer is mid-commit, and everything left behind goes at once.
        """
        if at_start:
            with self.store.exclusive() as locked:
                return self._repair(time.time() if locked else time.time() - older_than)
        return self._repair(time.time() - older_than)

    def _repair(self, cutoff: float) -> RepairReport:
        with self.db.connect() as conn:
            known = {r.hash for r in conn.execute(select(files.c.hash))}
            referenced = {r.file_hash for r in conn.execute(select(generations.c.file_hash))}
        orphans = [
            (d, e)
            for d, e in self.store.all_files()
            if d not in known and self.store.modified(d, e) <= cutoff
        ]
        for digest, ext in orphans:
            self.store.remove(digest, ext)
        leftovers = [p for p in self.store.temporary_leftovers() if p.stat().st_mtime <= cutoff]
        for path in leftovers:
            path.unlink(missing_ok=True)
        missing = sorted(d for d in referenced if not self.store.exists(d, "png"))
        return RepairReport(len(orphans), len(leftovers), missing)

    def healthy(self) -> bool:
        return integrity_ok(self.db)
