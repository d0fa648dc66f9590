"""Requests back from records: the engine request a generation (or a job payload)
describes, and input images stored and read back by hash (`Library` has these methods)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from PIL import Image
from sqlalchemy import Connection, Engine, select

from sakuga.engines.base import EngineRequest
from sakuga.errors import NotFoundError
from sakuga.imaging.io import open_image
from sakuga.studio.library.db import (
    files,
    transaction,
)
from sakuga.studio.storage.files import Storage, check_name

#: The file kept for each uploaded format.
UPLOAD_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "HEIF": "heic"}

if TYPE_CHECKING:
    from sakuga.studio.library.library import Generation


class RequestStore:
    """Input images by hash and requests rebuilt from JSON (a part of `Library`)."""

    db: Engine
    store: Storage

    if TYPE_CHECKING:

        def _put_file(self, conn: Connection, image: Image.Image, recipe: Any = None) -> str: ...

        def _file_row(self, conn: Connection, stored: tuple[str, str, int]) -> str: ...

    def request_of(self, gen: Generation) -> EngineRequest:
        """The request that made ``gen`` (one image, its seed), inputs loaded from the store."""
        return self.request_from_json({**gen.request, "n": 1, "seed": gen.seed})

    def request_from_json(self, data: dict[str, Any]) -> EngineRequest:
        """An engine request from its JSON form (`RequestData`: a payload or a recipe)."""
        return EngineRequest.from_payload(data, self.input_image)

    def put_input(self, image: Image.Image) -> str:
        """Store an input image (a photo, a mask, a reference); returns its hash."""
        with self.store.writing(), transaction(self.db) as conn:
            return self._put_file(conn, image)

    def put_input_file(self, data: bytes, fmt: str) -> str:
        """Store an uploaded photo as its original file (a phone's 12 MP JPEG stays a
        ~4 MB JPEG, not a 19 MB PNG; its EXIF stays); returns the hash of the file's
        bytes. ``data`` must have been decoded already (`decode_image`): only a file
        that opens as the format it claims is kept. It is served back re-encoded."""
        ext = UPLOAD_EXTENSIONS[fmt]
        digest = hashlib.sha256(data).hexdigest()
        with self.store.writing(), transaction(self.db) as conn:
            self.store.write(digest, ext, data)
            return self._file_row(conn, (digest, ext, len(data)))

    def input_ext(self, digest: str) -> str:
        """The stored input's file extension (png for what Sakuga encoded itself)."""
        check_name(digest, "png")  # by hash: never the library's path
        with self.db.connect() as conn:
            row = conn.execute(select(files.c.ext).where(files.c.hash == digest)).first()
        ext = row.ext if row is not None else "png"
        if not self.store.exists(digest, ext):
            raise NotFoundError(f"no stored image {digest[:16]}…; upload it first")
        return str(ext)

    def input_image(self, digest: str) -> Image.Image:
        return open_image(self.store.read(digest, self.input_ext(digest)))
