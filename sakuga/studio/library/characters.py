"""Saved characters: traits, style, engine, seed and reference images, kept so a set
of images shows the same person (`Library` has these methods)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image
from sqlalchemy import Connection, Engine, delete, insert, select, update

from sakuga.errors import LibraryError, NotFoundError
from sakuga.prompt.artspec import PARTS, ArtSpec
from sakuga.studio.library.db import (
    character_refs,
    characters,
    generations,
    transaction,
)
from sakuga.studio.library.ids import as_json, new_id
from sakuga.studio.storage.files import Storage


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
        # "Ren smiling", "Aki blushing": the name is who, not a word to draw (nor a
        # Japanese word: aki is autumn), in whichever part the parser put it.
        said = {part: getattr(scene, part) for part in (*PARTS, "text")}
        named = {
            part: kept
            for part, value in said.items()
            if value and (kept := _without_name(value, self.name)) != value
        }
        if named:
            scene = scene.model_copy(update=named)
        traits = {k: v for k, v in self.traits.items() if getattr(scene, k) is None}
        own = self.traits.get("character")
        if scene.character and own and own.lower() not in scene.character.lower():
            traits["character"] = f"{scene.character}, {own}"
        return scene.merged(**traits, style=scene.style or self.style)


def _without_name(said: str | None, name: str) -> str | None:
    """A scene's character part without the character's own name in it ("Ren" or
    "ren, smiling" of Ren): None when the name was all it said."""
    if not said or not name.strip():
        return said
    kept = re.sub(rf"(?<!\w){re.escape(name.strip())}(?!\w)", "", said, flags=re.I)
    kept = re.sub(r"\s*,\s*(,\s*)+", ", ", re.sub(r"\s{2,}", " ", kept)).strip(" ,")
    return kept or None


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
        char_id = new_id()
        with self.store.writing(), transaction(self.db) as conn:
            if conn.execute(select(characters.c.id).where(characters.c.name == name)).first():
                raise LibraryError(f"a character called {name!r} exists already")
            conn.execute(
                insert(characters).values(
                    id=char_id,
                    name=name,
                    traits=as_json(
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

    def update_character(
        self,
        name_or_id: str,
        *,
        name: str | None = None,
        traits: dict[str, str] | None = None,
        style: str | None = None,
        engine: str | None = None,
        seed: int | None = None,
    ) -> Character:
        """Change a saved character: a new ``name`` (unique), its ``traits`` (the whole
        set, as `Studio.edit_character` works it out), ``style``, ``engine`` or ``seed``
        (None keeps each as it is; an empty string clears the style or the engine)."""
        current = self.character(name_or_id)
        values: dict[str, Any] = {}
        if name is not None:
            name = name.strip()
            if not name or len(name) > 100:
                raise LibraryError("a character needs a name of 1 to 100 characters")
            values["name"] = name
        if traits is not None:
            unknown = set(traits) - set(PARTS)
            if unknown:
                raise LibraryError(f"unknown parts for a character: {', '.join(sorted(unknown))}")
            if not traits:
                raise LibraryError("a character keeps at least one trait: who, hair or outfit")
            spec = ArtSpec.build(**traits)  # validates each part
            values["traits"] = as_json(spec.parts())
        if style is not None:
            values["style"] = ArtSpec.build(style=style).style if style else None
        if engine is not None:
            values["engine"] = engine or None
        if seed is not None:
            values["seed"] = seed
        if not values:
            return current
        with self.store.writing(), transaction(self.db) as conn:
            if name is not None and name != current.name:
                taken = conn.execute(select(characters.c.id).where(characters.c.name == name))
                if taken.first():
                    raise LibraryError(f"a character called {name!r} exists already")
            conn.execute(update(characters).where(characters.c.id == current.id).values(**values))
        return self.character(current.id)

    def delete_character(self, name_or_id: str) -> Character:
        """Delete a saved character. Its images stay in the library, no longer linked
        to it; its reference photos stay stored (other rows may share them)."""
        current = self.character(name_or_id)
        with self.store.writing(), transaction(self.db) as conn:
            conn.execute(
                update(generations)
                .where(generations.c.character_id == current.id)
                .values(character_id=None)
            )
            conn.execute(delete(character_refs).where(character_refs.c.character_id == current.id))
            conn.execute(delete(characters).where(characters.c.id == current.id))
        return current

    def characters(self) -> list[Character]:
        with self.db.connect() as conn:
            names = [
                r.name for r in conn.execute(select(characters.c.name).order_by(characters.c.name))
            ]
        return [self.character(n) for n in names]
