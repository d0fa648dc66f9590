"""Image files stored by content hash, behind one interface (`Storage`) with two
implementations: `FileStore`, a local folder (``files/ab/abcdef….png`` under the
library folder), and `sakuga.studio.storage.objects.ObjectStore`, S3-compatible object
storage, for libraries that several machines share.

Files are written whole (locally: temporary file, fsync, rename; in object storage a
PUT is atomic) before any database row names them, so a crash can leave at worst an
unreferenced file, which `Library.repair` removes. Clients never name a path: files are
reached through their hash, which is checked to be hex.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final, Protocol

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; repair keeps its age rule
    fcntl = None  # type: ignore[assignment]

from PIL import Image

from sakuga.errors import NotFoundError
from sakuga.imaging.io import atomic_write
from sakuga.imaging.metadata import Recipe, encode_image

_HASH: Final = re.compile(r"^[0-9a-f]{64}$")
_EXT: Final = {"png", "jpg", "webp", "heic"}


def check_name(digest: str, ext: str) -> str:
    """``digest/ext`` as a stored file's relative name, after checking both; a client
    never names a path."""
    if not _HASH.match(digest) or ext not in _EXT:
        # A name no stored file can have: what a client asked for is not here (404),
        # not a fault of the server's storage.
        raise NotFoundError(f"no stored file {digest[:70]!r}")
    return f"{digest[:2]}/{digest}.{ext}"


class Storage(Protocol):
    """Where a library keeps its files: bytes by content hash and extension. What is
    the same for every store (encoding an image as stored, hashing) is done once, by
    the functions below, over this interface."""

    #: A local folder for caches made from the files (thumbnails).
    cache: Path

    def write(self, digest: str, ext: str, data: bytes) -> None: ...
    def read(self, digest: str, ext: str) -> bytes: ...
    def exists(self, digest: str, ext: str) -> bool: ...
    def modified(self, digest: str, ext: str) -> float: ...
    def local_path(self, digest: str, ext: str) -> Path | None: ...
    def location(self, digest: str, ext: str) -> str: ...
    def remove(self, digest: str, ext: str) -> None: ...
    def all_files(self) -> list[tuple[str, str]]: ...
    def temporary_leftovers(self) -> list[Path]: ...
    def free_bytes(self) -> int | None: ...
    def reachable(self) -> bool: ...
    def writing(self) -> contextlib.AbstractContextManager[None]: ...
    def exclusive(self) -> contextlib.AbstractContextManager[bool]: ...


def stored_image(image: Image.Image, recipe: Recipe | None = None) -> tuple[str, str, bytes]:
    """``image`` as a library stores it, without storing it: (sha256 hex, "png", the PNG
    bytes with its recipe)."""
    data = encode_image(image, recipe, "png")
    return hashlib.sha256(data).hexdigest(), "png", data


def put_image(
    store: Storage, image: Image.Image, recipe: Recipe | None = None
) -> tuple[str, str, int]:
    """Store ``image`` as PNG (with its recipe) in ``store``: (hash, ext, size)."""
    digest, ext, data = stored_image(image, recipe)
    store.write(digest, ext, data)
    return digest, ext, len(data)


def put_bytes(store: Storage, data: bytes, ext: str) -> tuple[str, str, int]:
    """Store a file's bytes as they are in ``store``: (hash, ext, size)."""
    digest = hashlib.sha256(data).hexdigest()
    store.write(digest, ext, data)
    return digest, ext, len(data)


class FileStore:
    """Content-addressed image files under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = root.parent / "thumbs"

    def path(self, digest: str, ext: str) -> Path:
        return self.root / check_name(digest, ext)

    def read(self, digest: str, ext: str) -> bytes:
        return self.path(digest, ext).read_bytes()

    def exists(self, digest: str, ext: str) -> bool:
        return self.path(digest, ext).is_file()

    def modified(self, digest: str, ext: str) -> float:
        return self.path(digest, ext).stat().st_mtime

    def local_path(self, digest: str, ext: str) -> Path | None:
        return self.path(digest, ext)

    def location(self, digest: str, ext: str) -> str:
        return str(self.path(digest, ext))

    def write(self, digest: str, ext: str, data: bytes) -> None:
        """Store ``data``, whose hash ``digest`` the caller computed (`put_bytes` does),
        unless a file of that content is stored already."""
        target = self.path(digest, ext)
        if not target.exists():
            atomic_write(target, lambda handle: handle.write(data))

    def reachable(self) -> bool:
        """Whether the files' folder is there (or can be made): for health checks."""
        folder = self.root if self.root.exists() else self.root.parent
        return folder.is_dir() and os.access(folder, os.W_OK)

    def free_bytes(self) -> int | None:
        """Free space where the files live (None when it cannot be read)."""
        try:
            return shutil.disk_usage(self.root if self.root.exists() else self.root.parent).free
        except OSError:
            return None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Held (shared, by any number of writers in any process) from a file's write until
        the row that names it commits. `exclusive` waits until no writer is mid-commit."""
        with self._lock(exclusive=False):
            yield

    @contextmanager
    def exclusive(self) -> Iterator[bool]:
        """No writer holds `writing` while this is held; yields whether locks exist here
        (False on a platform without advisory locks, where nothing is excluded)."""
        with self._lock(exclusive=True) as locked:
            yield locked

    @contextmanager
    def _lock(self, *, exclusive: bool) -> Iterator[bool]:
        if fcntl is None:
            yield False
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".writers.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def remove(self, digest: str, ext: str) -> None:
        self.path(digest, ext).unlink(missing_ok=True)

    def all_files(self) -> list[tuple[str, str]]:
        """(hash, ext) of every stored file on disk."""
        found: list[tuple[str, str]] = []
        if not self.root.is_dir():
            return found
        for path in self.root.glob("??/*.*"):
            digest, _, ext = path.name.partition(".")
            if _HASH.match(digest) and ext in _EXT:
                found.append((digest, ext))
        return found

    def temporary_leftovers(self) -> list[Path]:
        """Temporary files a crash left behind (never visible under a final name)."""
        if not self.root.is_dir():
            return []
        return list(self.root.rglob(".*.tmp"))
