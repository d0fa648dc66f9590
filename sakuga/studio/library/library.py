"""The creator's library: every version kept, with its recipe, lineage and verdict.

A generation is one image: the engine's request, the file (by content hash), its
parent (an edit, variation or re-run is a child of its source), its character,
and the creator's verdict (kept / rejected, rating, tags).

`Library` records, reads, judges and traces generations here; its characters
(`characters.CharacterShelf`), requests and inputs by hash (`requests.RequestStore`)
and repair (`repair.Maintenance`) live in modules of their own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, Unpack

from PIL import Image
from sqlalchemy import Connection, Engine, and_, bindparam, delete, func, insert, select, update

from sakuga.engines.base import EngineRequest, EngineResult
from sakuga.errors import LibraryError, NotFoundError
from sakuga.imaging.io import open_image
from sakuga.imaging.metadata import Recipe
from sakuga.settings import database_url, home
from sakuga.studio.library.characters import CharacterShelf
from sakuga.studio.library.db import (
    character_refs,
    files,
    generations,
    open_database,
    tags,
    transaction,
)
from sakuga.studio.library.ids import HEX_ID, MIN_PREFIX, as_json, new_id
from sakuga.studio.library.lineage import Lineage
from sakuga.studio.library.recipes import recipe_for
from sakuga.studio.library.repair import Maintenance
from sakuga.studio.library.requests import RequestStore
from sakuga.studio.storage.files import FileStore, Storage, put_image, stored_image

#: Words a library search may hold (each is one more LIKE over every prompt).
MAX_SEARCH_WORDS = 16


@dataclass(frozen=True)
class Generation:
    id: str
    created_at: float
    engine: str
    model: str | None
    task: str
    style: str | None
    use: str | None
    seed: int | None
    prompt: str
    request: dict[str, Any]
    params: dict[str, Any]
    usage: dict[str, Any] | None
    seconds: float | None
    file_hash: str
    width: int
    height: int
    source_hash: str | None
    parent_id: str | None
    character_id: str | None
    kept: bool | None
    rating: int | None
    tags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["tags"] = list(self.tags)
        return data


@dataclass(frozen=True)
class PendingRecord:
    """A result ready to record (`Library.prepare_record`): nothing written yet."""

    generations: list[Generation]  # as they will read back once committed
    images: list[bytes]  # each generation's PNG, as it will be stored
    files: list[tuple[str, str, bytes]]  # (hash, ext, data): inputs, then outputs
    rows: list[dict[str, Any]]  # the generation rows, JSON columns encoded
    recipes: list[Recipe]  # each image's recipe (without the stored inputs' hashes)


# Statements on the recording path, built once: SQLAlchemy then reuses their cache keys
# and compiled forms instead of rebuilding them.
_FILE_EXISTS = select(files.c.hash).where(files.c.hash == bindparam("hash"))
_FILE_INSERT = insert(files)
_GENERATION_INSERT = insert(generations)


def open_storage(folder: Path) -> Storage:
    """The library's file store: object storage when ``SAKUGA_STORAGE_URL`` names a
    bucket, else ``files/`` in ``folder``."""
    from sakuga.studio.storage.objects import ObjectStore, storage_url

    url = storage_url()
    if url:
        return ObjectStore(url, cache=folder / "thumbs")
    return FileStore(folder / "files")


class Filters(TypedDict, total=False):
    """What `Library.find` and `Library.count_found` filter by: the verdict, character,
    style, use, engine, tag, the creation time (seconds since the epoch, ``until``
    excluded), words of the prompt (or an export's title, each anywhere in it, case
    ignored), the least rating and a list of ids."""

    kept: bool | None
    character: str | None
    style: str | None
    use: str | None
    engine: str | None
    tag: str | None
    since: float | None
    until: float | None
    search: str | None
    min_rating: int | None
    #: Only these ids (whole ids; the page's kept work).
    ids: list[str] | None


class Library(CharacterShelf, RequestStore, Maintenance, Lineage):
    """The library over a database engine and a file store; open one with `Library.open`."""

    def __init__(self, db: Engine, store: Storage) -> None:
        self.db = db
        self.store = store

    @classmethod
    def open(cls, folder: Path | None = None, url: str | None = None) -> Library:
        folder = folder or home()
        folder.mkdir(parents=True, exist_ok=True)
        if url is None:
            url = database_url() if folder == home() else f"sqlite:///{folder / 'library.db'}"
        return cls(open_database(url), open_storage(folder))

    # ---- recording -----------------------------------------------------------------

    def _put_file(self, conn: Connection, image: Image.Image, recipe: Any = None) -> str:
        return self._file_row(conn, put_image(self.store, image, recipe))

    def _file_row(self, conn: Connection, stored: tuple[str, str, int]) -> str:
        """The ``files`` row of a file already written; returns its hash."""
        digest, ext, size = stored
        if conn.execute(_FILE_EXISTS, {"hash": digest}).first() is None:
            conn.execute(
                _FILE_INSERT, {"hash": digest, "ext": ext, "size": size, "created_at": time.time()}
            )
        return digest

    def record(
        self,
        request: EngineRequest,
        result: EngineResult,
        *,
        parent_id: str | None = None,
        character_id: str | None = None,
        seconds: float | None = None,
        finish: Callable[[Connection, list[str]], None] | None = None,
    ) -> list[Generation]:
        """Record every image of ``result``: files first, then the rows, in one transaction.

        ``finish(conn, ids)`` runs inside the same transaction (a job marks itself done
        there), so a crash can never leave the images recorded but the job unfinished.
        """
        pending = self.prepare_record(
            request, result, parent_id=parent_id, character_id=character_id, seconds=seconds
        )
        return self.commit_record(pending, finish)

    def prepare_record(
        self,
        request: EngineRequest,
        result: EngineResult,
        *,
        parent_id: str | None = None,
        character_id: str | None = None,
        seconds: float | None = None,
        stored: Mapping[str, Any] | None = None,
    ) -> PendingRecord:
        """The first half of `record`, which writes nothing: every image encoded as it
        will be stored (PNG with its recipe) and every row built. A caller waiting on
        the images can have them (`PendingRecord.images`) before `commit_record`.

        ``stored`` names input images already in the library by role ("image", "mask",
        "references"): those are not encoded again."""
        stored = stored or {}
        if parent_id is not None:
            self.get(parent_id)
        files: list[tuple[str, str, bytes]] = []

        def add(image: Image.Image, recipe: Recipe | None = None) -> str:
            files.append(stored_image(image, recipe))
            return files[-1][0]

        inputs: dict[str, Any] = {
            role: stored.get(role)
            or ([add(i) for i in given] if isinstance(given, list) else add(given))
            for role, given in request.input_images().items()
        }
        source_hash = inputs.get("image")
        rows: list[dict[str, Any]] = []
        images: list[bytes] = []
        recipes: list[Recipe] = []
        for index, image in enumerate(result.images):
            recipe = recipe_for(request, result, index, inputs)
            recipes.append(recipe)
            assert recipe.request is not None
            full = recipe.request
            file_hash = add(image, recipe)
            images.append(files[-1][2])
            rows.append(
                {
                    "id": new_id(),
                    "created_at": time.time(),
                    "engine": result.engine,
                    "model": result.model,
                    "task": str(request.task),
                    "style": request.spec.style,
                    "use": request.spec.use,
                    "seed": result.seeds[index] if index < len(result.seeds) else None,
                    "prompt": request.text,
                    "request": full,
                    "params": recipe.params,
                    "usage": result.usage,
                    "seconds": seconds,
                    "file_hash": file_hash,
                    "width": image.width,
                    "height": image.height,
                    "source_hash": source_hash,
                    "parent_id": parent_id,
                    "character_id": character_id,
                }
            )
        stored_rows = [
            {**row, **{k: as_json(row[k]) for k in ("request", "params")}} for row in rows
        ]
        for row in stored_rows:
            row["usage"] = as_json(row["usage"]) if row["usage"] is not None else None
        # The rows as they will read back (their JSON parsed, as `get` does): a new
        # generation has no verdict and no tags yet.
        generations = [
            Generation(
                **{
                    **row,
                    "request": json.loads(row["request"]),
                    "params": json.loads(row["params"]),
                    "usage": json.loads(row["usage"]) if row["usage"] else None,
                },
                kept=None,
                rating=None,
            )
            for row in stored_rows
        ]
        return PendingRecord(generations, images, files, stored_rows, recipes)

    def commit_record(
        self,
        pending: PendingRecord,
        finish: Callable[[Connection, list[str]], None] | None = None,
    ) -> list[Generation]:
        """The second half of `record`: every file written (and flushed) before the
        transaction starts, so the write lock is held for the rows only and no row ever
        names a missing file; then the rows and ``finish``, in one transaction."""
        with self.store.writing():
            for digest, ext, data in pending.files:
                self.store.write(digest, ext, data)
            with transaction(self.db) as conn:
                for digest, ext, data in pending.files:
                    self._file_row(conn, (digest, ext, len(data)))
                conn.execute(_GENERATION_INSERT, pending.rows)
                if finish is not None:
                    finish(conn, [g.id for g in pending.generations])
        return pending.generations

    # ---- reading ---------------------------------------------------------------------

    def _row_to_generation(self, row: Any, tag_list: tuple[str, ...]) -> Generation:
        return Generation(
            id=row.id,
            created_at=row.created_at,
            engine=row.engine,
            model=row.model,
            task=row.task,
            style=row.style,
            use=row.use,
            seed=row.seed,
            prompt=row.prompt,
            request=json.loads(row.request),
            params=json.loads(row.params),
            usage=json.loads(row.usage) if row.usage else None,
            seconds=row.seconds,
            file_hash=row.file_hash,
            width=row.width,
            height=row.height,
            source_hash=row.source_hash,
            parent_id=row.parent_id,
            character_id=row.character_id,
            kept=None if row.kept is None else bool(row.kept),
            rating=row.rating,
            tags=tag_list,
        )

    def _tags_for(self, conn: Any, ids: list[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        if ids:
            rows = conn.execute(
                select(tags).where(tags.c.generation_id.in_(ids)).order_by(tags.c.tag)
            )
            for row in rows:
                found.setdefault(row.generation_id, []).append(row.tag)
        return {k: tuple(v) for k, v in found.items()}

    def _expand(self, conn: Any, id_or_prefix: str) -> str:
        """The one generation id that starts with ``id_or_prefix``: a prefix of at least
        4 characters that no other id shares (`get` and the verdicts try a whole id
        first, in their own one query)."""
        given = id_or_prefix.strip().lower()
        if len(given) < MIN_PREFIX:
            raise NotFoundError(
                f"no generation with id {id_or_prefix!r}: an id, or the first "
                f"{MIN_PREFIX} or more characters of one"
            )
        if not HEX_ID.match(given):
            raise NotFoundError(f"no generation with id {id_or_prefix!r}")
        matches = [
            r.id
            for r in conn.execute(
                select(generations.c.id)
                .where(generations.c.id.startswith(given, autoescape=True))
                .order_by(generations.c.id)
                .limit(6)
            )
        ]
        if not matches:
            raise NotFoundError(f"no generation with id {id_or_prefix!r}")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
            raise LibraryError(f"{id_or_prefix!r} is the start of several ids: {shown}")
        return matches[0]

    def short_id(self, gen_id: str) -> str:
        """The shortest prefix of ``gen_id`` (at least 4 characters) no other id shares."""
        with self.db.connect() as conn:
            for size in range(MIN_PREFIX, len(gen_id)):
                prefix = gen_id[:size]
                query = select(generations.c.id).where(
                    generations.c.id.startswith(prefix, autoescape=True)
                )
                if len(conn.execute(query.limit(2)).all()) <= 1:
                    return prefix
        return gen_id

    def get(self, gen_id: str) -> Generation:
        """The generation ``gen_id`` names: a whole id (one query) or a unique prefix."""
        query = select(generations)
        with self.db.connect() as conn:
            row = conn.execute(query.where(generations.c.id == gen_id)).first()
            if row is None:  # not a whole id: a prefix of one
                full = self._expand(conn, gen_id)
                row = conn.execute(query.where(generations.c.id == full)).one()
            return self._row_to_generation(row, self._tags_for(conn, [row.id]).get(row.id, ()))

    def get_many(self, ids: list[str]) -> list[Generation]:
        """The generations ``ids`` in that order, in two queries."""
        with self.db.connect() as conn:
            rows = {
                row.id: row
                for row in conn.execute(select(generations).where(generations.c.id.in_(ids)))
            }
            missing = [i for i in ids if i not in rows]
            if missing:
                raise NotFoundError(f"no generation with id {missing[0]!r}")
            tag_map = self._tags_for(conn, ids)
        return [self._row_to_generation(rows[i], tag_map.get(i, ())) for i in ids]

    #: How `find` may order a page: newest first (the default), oldest first, or the
    #: best rated first (then newest).
    SORTS = ("newest", "oldest", "rating")

    def find(
        self,
        *,
        sort: str = "newest",
        limit: int = 50,
        offset: int = 0,
        **filters: Unpack[Filters],
    ) -> list[Generation]:
        """A page of generations, filtered (`Filters`) and sorted: newest first, oldest
        first, or best rated first."""
        if not 1 <= limit <= 500:
            raise LibraryError(f"limit must be between 1 and 500, got {limit}")
        if sort not in self.SORTS:
            raise LibraryError(f"sort must be one of {', '.join(self.SORTS)}, got {sort!r}")
        query = self._filtered(select(generations), filters)
        newest = (generations.c.created_at.desc(), generations.c.id.desc())
        if sort == "oldest":
            query = query.order_by(generations.c.created_at.asc(), generations.c.id.asc())
        elif sort == "rating":
            # Rated first, best first; unrated after, newest first.
            query = query.order_by(
                generations.c.rating.is_(None), generations.c.rating.desc(), *newest
            )
        else:
            query = query.order_by(*newest)
        with self.db.connect() as conn:
            rows = conn.execute(query.limit(limit).offset(offset)).all()
            tag_map = self._tags_for(conn, [r.id for r in rows])
            return [self._row_to_generation(r, tag_map.get(r.id, ())) for r in rows]

    def count_found(self, **filters: Unpack[Filters]) -> int:
        """How many generations `find` would list with these filters, on every page."""
        query = self._filtered(select(func.count()).select_from(generations), filters)
        with self.db.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def _filtered(self, query: Any, filters: Filters) -> Any:
        conditions = []
        kept = filters.get("kept")
        if kept is not None:
            conditions.append(generations.c.kept == (1 if kept else 0))
        character = filters.get("character")
        if character is not None:
            conditions.append(generations.c.character_id == self.character(character).id)
        for column in ("style", "use", "engine"):
            value = filters.get(column)
            if value is not None:
                conditions.append(generations.c[column] == value)
        since, until = filters.get("since"), filters.get("until")
        if since is not None:
            conditions.append(generations.c.created_at >= since)
        if until is not None:
            conditions.append(generations.c.created_at < until)
        ids = filters.get("ids")
        if ids is not None:
            conditions.append(generations.c.id.in_(ids))
        min_rating = filters.get("min_rating")
        if min_rating is not None:
            if not 1 <= min_rating <= 5:
                raise LibraryError(f"a rating is 1 to 5 stars, got {min_rating}")
            conditions.append(generations.c.rating >= min_rating)
        words = (filters.get("search") or "").split()
        if len(words) > MAX_SEARCH_WORDS:
            raise LibraryError(f"search for at most {MAX_SEARCH_WORDS} words, got {len(words)}")
        for word in words:
            # LIKE's own wildcards in what was typed are literal characters here.
            literal = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{literal}%"
            conditions.append(
                generations.c.prompt.ilike(pattern, escape="\\")
                # An export is found by its title (kept in its request) too.
                | (
                    (generations.c.engine == "compose")
                    & generations.c.request.ilike(pattern, escape="\\")
                )
            )
        tag = filters.get("tag")
        if tag is not None:
            query = query.join(tags, tags.c.generation_id == generations.c.id)
            conditions.append(tags.c.tag == tag)
        return query.where(and_(*conditions)) if conditions else query

    def count(self) -> int:
        with self.db.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(generations)).scalar_one())

    def image_path(self, gen: Generation) -> Path | None:
        """The image's file on this machine; None when the library keeps its files in
        object storage (`image_bytes` reads them anywhere)."""
        return self.store.local_path(gen.file_hash, "png")

    def image_location(self, gen: Generation) -> str:
        """Where the image is: a path, or an ``s3://`` URI."""
        return self.store.location(gen.file_hash, "png")

    def image_bytes(self, gen: Generation) -> bytes:
        """The image's stored PNG (with its recipe)."""
        return self.store.read(gen.file_hash, "png")

    def image(self, gen_id: str) -> Image.Image:
        return open_image(self.image_bytes(self.get(gen_id)))

    # ---- the creator's verdict ------------------------------------------------------

    def _update(self, gen_id: str, **values: Any) -> Generation:
        with transaction(self.db) as conn:
            done = conn.execute(
                update(generations).where(generations.c.id == gen_id).values(**values)
            )
            if done.rowcount == 0:  # not a whole id: a prefix of one
                gen_id = self._expand(conn, gen_id)
                conn.execute(update(generations).where(generations.c.id == gen_id).values(**values))
        return self.get(gen_id)

    def keep(self, gen_id: str) -> Generation:
        return self._update(gen_id, kept=1)

    def reject(self, gen_id: str) -> Generation:
        return self._update(gen_id, kept=0)

    def rate(self, gen_id: str, stars: int) -> Generation:
        if not 1 <= stars <= 5:
            raise LibraryError(f"a rating is 1 to 5 stars, got {stars}")
        return self._update(gen_id, rating=stars)

    def tag(self, gen_id: str, *names: str) -> Generation:
        gen_id = self.get(gen_id).id
        clean = {n.strip().lower() for n in names if n.strip()}
        for name in clean:
            if len(name) > 64:
                raise LibraryError(f"tags are at most 64 characters, got {len(name)}")
        with transaction(self.db) as conn:
            have = {
                r.tag
                for r in conn.execute(select(tags.c.tag).where(tags.c.generation_id == gen_id))
            }
            for name in sorted(clean - have):
                conn.execute(insert(tags).values(generation_id=gen_id, tag=name))
        return self.get(gen_id)

    def untag(self, gen_id: str, *names: str) -> Generation:
        """Take tags off a generation (a tag it does not have is no error)."""
        gen_id = self.get(gen_id).id
        clean = sorted({n.strip().lower() for n in names if n.strip()})
        if clean:
            with transaction(self.db) as conn:
                conn.execute(
                    delete(tags).where(tags.c.generation_id == gen_id, tags.c.tag.in_(clean))
                )
        return self.get(gen_id)

    def tag_names(self) -> list[str]:
        """Every tag in use, sorted."""
        with self.db.connect() as conn:
            return list(conn.execute(select(tags.c.tag).distinct().order_by(tags.c.tag)).scalars())

    def delete(self, gen_id: str) -> None:
        """Delete a generation; its file goes too when no other row uses it."""
        gen = self.get(gen_id)
        with transaction(self.db) as conn:
            conn.execute(delete(generations).where(generations.c.id == gen.id))
            unused = self._unused_files(conn, {gen.file_hash, gen.source_hash} - {None})
            # An uploaded photo is kept as its own file (a .jpg, a .heic): its extension
            # is the files row's.
            exts = {
                r.hash: r.ext
                for r in conn.execute(
                    select(files.c.hash, files.c.ext).where(files.c.hash.in_(unused))
                )
            }
            for digest in unused:
                conn.execute(delete(files).where(files.c.hash == digest))
        for digest in unused:
            self.store.remove(digest, exts.get(digest, "png"))

    def _unused_files(self, conn: Any, candidates: set[Any]) -> list[str]:
        unused = []
        for digest in candidates:
            users = conn.execute(
                select(func.count())
                .select_from(generations)
                .where((generations.c.file_hash == digest) | (generations.c.source_hash == digest))
            ).scalar_one()
            refs = conn.execute(
                select(func.count())
                .select_from(character_refs)
                .where(character_refs.c.file_hash == digest)
            ).scalar_one()
            if users == 0 and refs == 0:
                unused.append(digest)
        return unused
