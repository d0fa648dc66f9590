"""Requests back from records: the engine request a generation (or a job payload)
describes, and input images stored and read back by hash (`Library` has these methods)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PIL import Image
from sqlalchemy import Connection, Engine

from sakuga.engines.base import EngineRequest, Task
from sakuga.errors import NotFoundError
from sakuga.imaging.io import open_image
from sakuga.spec.artspec import ArtSpec
from sakuga.studio.db import (
    transaction,
)
from sakuga.studio.files import Storage

if TYPE_CHECKING:
    from sakuga.studio.library import Generation


class RequestStore:
    """Input images by hash and requests rebuilt from JSON (a part of `Library`)."""

    db: Engine
    store: Storage

    if TYPE_CHECKING:

        def _put_file(self, conn: Connection, image: Image.Image, recipe: Any = None) -> str: ...

    def request_of(self, gen: Generation) -> EngineRequest:
        """The request that made ``gen`` (one image, its seed), inputs loaded from the store."""
        return self.request_from_json({**gen.request, "n": 1, "seed": gen.seed})

    def request_from_json(self, data: dict[str, Any]) -> EngineRequest:
        """An engine request from its JSON form (`EngineRequest.to_json` plus ``inputs``)."""
        inputs = data.get("inputs", {})
        spec = ArtSpec.build(**data.get("spec", {}))
        prompt = data.get("prompt")
        return EngineRequest(
            Task(data["task"]),
            spec=spec,
            size=tuple(data["size"]) if data.get("size") else None,
            n=int(data.get("n", 1)),
            seed=data.get("seed"),
            prompt=prompt if prompt and prompt != spec.compose() else None,
            image=self.input_image(inputs["image"]) if inputs.get("image") else None,
            mask=self.input_image(inputs["mask"]).convert("L") if inputs.get("mask") else None,
            references=tuple(self.input_image(h) for h in inputs.get("references", [])),
            control_images=tuple(self.input_image(h) for h in inputs.get("control_images", [])),
            model=data.get("model"),
            options=data.get("options", {}),
        )

    def put_input(self, image: Image.Image) -> str:
        """Store an input image (a photo, a mask, a reference); returns its hash."""
        with self.store.writing(), transaction(self.db) as conn:
            return self._put_file(conn, image)

    def input_image(self, digest: str) -> Image.Image:
        if not self.store.exists(digest, "png"):  # by hash: never the library's path
            raise NotFoundError(f"no stored image {digest[:16]}…; upload it first")
        return open_image(self.store.read(digest, "png"))
