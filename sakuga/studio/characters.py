"""Saved characters: traits, style, engine, seed and reference images, kept so a set
of images shows the same person (`Library` has these methods)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image
from sqlalchemy import Connection, Engine, insert, select

from sakuga.errors import LibraryError, NotFoundError
from sakuga.spec.artspec import PARTS, ArtSpec
from sakuga.studio.db import (
    character_refs,
    characters,
    transaction,
)
from sakuga.studio.files import Storage
from sakuga.studio.ids import _json, _new_id


@dataclass(frozen=True)
class Character:
    id: str
    name: str
    traits: dict[str, str]
    style: str | None
    engine: str | None
    seed: int | None
    refs: tuple[str, ...] = ()

    def spec(self) -> ArtSpec:
        return ArtSpec.build(**self.traits, style=self.style)

    def dress(self, scene: ArtSpec) -> ArtSpec:
        """The scene's ArtSpec with this character's traits: the scene sets pose, place,
        light and mood; the character keeps its look unless the scene overrides a part.

        A role the scene gives ("as a knight") joins the character's own description
        rather than replacing it: a knight who keeps their eyes, skin and glasses."""
        traits = {k: v for k, v in self.traits.items() if getattr(scene, k) is None}
        own = self.traits.get("character")
        if scene.character and own and own.lower() not in scene.character.lower():
            traits["character"] = f"{scene.character}, {own}"
        return scene.merged(**traits, style=scene.style or self.style)


#: The parts that define who a character is (a scene sets the rest).
CHARACTER_PARTS = ("character", "hair", "outfit", "expression")


def character_traits(spec: ArtSpec) -> dict[str, str]:
    """The parts of ``spec`` that a saved character keeps."""
    return {k: v for k, v in spec.parts().items() if k in CHARACTER_PARTS}


class CharacterShelf:
    """The library's characters (a part of `Library`)."""

    db: Engine
    store: Storage

    if TYPE_CHECKING:

        def _put_file(self, conn: Connection, image: Image.Image, recipe: Any = None) -> str: ...

    def create_character(
        self,
        name: str,
        traits: dict[str, str],
        *,
        style: str | None = None,
        engine: str | None = None,
        seed: int | None = None,
        refs: list[Image.Image] | None = None,
    ) -> Character:
        name = name.strip()
        if not name or len(name) > 100:
            raise LibraryError("a character needs a name of 1 to 100 characters")
        unknown = set(traits) - set(PARTS)
        if unknown:
            raise LibraryError(f"unknown parts for a character: {', '.join(sorted(unknown))}")
        spec = ArtSpec.build(**traits, style=style)  # validates the parts and the style
        char_id = _new_id()
        with self.store.writing(), transaction(self.db) as conn:
            if conn.execute(select(characters.c.id).where(characters.c.name == name)).first():
                raise LibraryError(f"a character called {name!r} exists already")
            conn.execute(
                insert(characters).values(
                    id=char_id,
                    name=name,
                    traits=_json(
                        {k: v for k, v in spec.parts().items() if k not in ("style", "use")}
                    ),
                    style=spec.style,
                    engine=engine,
                    seed=seed,
                    created_at=time.time(),
                )
            )
            for position, image in enumerate(refs or []):
                digest = self._put_file(conn, image)
                conn.execute(
                    insert(character_refs).values(
                        character_id=char_id, file_hash=digest, position=position
                    )
                )
        return self.character(name)

    def character(self, name_or_id: str) -> Character:
        with self.db.connect() as conn:
            row = conn.execute(
                select(characters).where(
                    (characters.c.name == name_or_id) | (characters.c.id == name_or_id)
                )
            ).first()
            if row is None:
                raise NotFoundError(f"no character called {name_or_id!r}")
            refs = tuple(
                r.file_hash
                for r in conn.execute(
                    select(character_refs.c.file_hash)
                    .where(character_refs.c.character_id == row.id)
                    .order_by(character_refs.c.position)
                )
            )
        return Character(
            row.id, row.name, json.loads(row.traits), row.style, row.engine, row.seed, refs
        )

    def characters(self) -> list[Character]:
        with self.db.connect() as conn:
            names = [
                r.name for r in conn.execute(select(characters.c.name).order_by(characters.c.name))
            ]
        return [self.character(n) for n in names]
