"""The studio API's library routes: generations (find, keep, reject, rate, tag, delete,
lineage, images and thumbnails, exports) and saved characters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, JSONResponse, Response
from PIL import Image
from pydantic import BaseModel, Field

from sakuga.errors import (
    SpecError,
)
from sakuga.imaging.io import open_image
from sakuga.prompt.artspec import MAX_PART_LENGTH, ArtSpec
from sakuga.prompt.limits import MAX_PROMPT_LENGTH, Seed
from sakuga.server.deps import HeavySlot, LibraryDep, StudioDep
from sakuga.studio.library.library import Filters, Library
from sakuga.studio.library.lineage import LineageNode

router = APIRouter()


class CharacterIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=MAX_PROMPT_LENGTH)
    style: str | None = None
    engine: str | None = Field(None, max_length=40)
    seed: Seed | None = None
    refs: list[str] = Field(default_factory=list, max_length=16)
    #: An uploaded photo (its input hash) to read the character's look from.
    photo: str | None = Field(None, max_length=128)
    #: In a photo of several people, which to read: 1, 2, … from the left.
    person: int | None = Field(None, ge=1, le=20)


class ExportIn(BaseModel):
    use: str
    title: str | None = Field(None, max_length=200)
    subtitle: str | None = Field(None, max_length=200)
    credits: str | None = Field(None, max_length=200)
    font: str | None = None


@router.get("/api/generations")
def generations(
    library: LibraryDep,
    kept: bool | None = None,
    character: str | None = None,
    style: str | None = None,
    use: str | None = None,
    engine: str | None = None,
    tag: str | None = None,
    since: Annotated[float | None, Query(description="made at or after (Unix seconds)")] = None,
    until: Annotated[float | None, Query(description="made before (Unix seconds)")] = None,
    search: Annotated[str | None, Query(max_length=MAX_PROMPT_LENGTH)] = None,
    min_rating: Annotated[int | None, Query(ge=1, le=5)] = None,
    ids: Annotated[
        str | None,
        Query(description="only these ids, comma-separated", pattern="^[0-9a-f,]{0,7000}$"),
    ] = None,
    sort: Annotated[str, Query(pattern="^(newest|oldest|rating)$")] = "newest",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> JSONResponse:
    """A page of the library with the CLI's filters: verdict, character, style, use,
    engine, tag, a date range, words of the prompt (or an export's title), a least
    rating and a list of ids; newest first, oldest first or best rated first.
    ``X-Total-Count`` says how many match on every page."""
    filters: Filters = {
        "kept": kept,
        "character": character,
        "style": style,
        "use": use,
        "engine": engine,
        "tag": tag,
        "since": since,
        "until": until,
        "search": search,
        "min_rating": min_rating,
        "ids": [i for i in ids.split(",") if i] if ids is not None else None,
    }
    found = library.find(**filters, sort=sort, limit=limit, offset=offset)
    total = library.count_found(**filters)
    return JSONResponse([g.as_dict() for g in found], headers={"X-Total-Count": str(total)})


class BulkIn(BaseModel):
    """One action on many images, chosen on the page."""

    ids: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1, max_length=500)
    action: str = Field(pattern="^(keep|reject|tag|delete)$")
    tag: str | None = Field(None, max_length=64)


@router.post("/api/generations/bulk")
def bulk(body: BulkIn, library: LibraryDep) -> dict[str, Any]:
    """Keep, reject, tag or delete every image in ``ids`` (all of them are checked to
    exist first: a wrong id changes nothing)."""
    found = library.get_many(list(dict.fromkeys(body.ids)))
    if body.action == "tag" and not (body.tag or "").strip():
        raise SpecError("tag: say which tag to add")
    for gen in found:
        if body.action == "keep":
            library.keep(gen.id)
        elif body.action == "reject":
            library.reject(gen.id)
        elif body.action == "tag":
            library.tag(gen.id, body.tag or "")
        else:
            library.delete(gen.id)
    return {"action": body.action, "ids": [g.id for g in found]}


@router.delete("/api/generations/{gen_id}")
def delete_generation(gen_id: str, library: LibraryDep) -> dict[str, Any]:
    """Delete one image (its file goes when nothing else uses it)."""
    gen = library.get(gen_id)
    library.delete(gen.id)
    return {"deleted": gen.id}


@router.get("/api/tags")
def tag_names(library: LibraryDep) -> list[str]:
    """Every tag in the library, for the page's filter."""
    return library.tag_names()


@router.get("/api/generations/{gen_id}")
def generation(gen_id: str, library: LibraryDep) -> dict[str, Any]:
    return library.get(gen_id).as_dict()


@router.post("/api/generations/{gen_id}/keep")
def keep(gen_id: str, library: LibraryDep) -> dict[str, Any]:
    return library.keep(gen_id).as_dict()


@router.post("/api/generations/{gen_id}/reject")
def reject(gen_id: str, library: LibraryDep) -> dict[str, Any]:
    return library.reject(gen_id).as_dict()


@router.get("/api/generations/{gen_id}/lineage")
def lineage(gen_id: str, library: LibraryDep) -> dict[str, Any]:
    """How an image came to be: the tree from its oldest ancestor down (versions,
    edits, variations, re-runs, exports), each node a generation with its children."""

    def node(n: LineageNode) -> dict[str, Any]:
        return {**n.generation.as_dict(), "children": [node(c) for c in n.children]}

    return node(library.lineage(gen_id))


class TagsIn(BaseModel):
    add: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=32)
    remove: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=32)


@router.post("/api/generations/{gen_id}/tags")
def retag(gen_id: str, body: TagsIn, library: LibraryDep) -> dict[str, Any]:
    if body.remove:
        library.untag(gen_id, *body.remove)
    return library.tag(gen_id, *body.add).as_dict()


@router.post("/api/generations/{gen_id}/rating/{stars}")
def rate(gen_id: str, stars: int, library: LibraryDep) -> dict[str, Any]:
    return library.rate(gen_id, stars).as_dict()


#: The thumbnail sizes served (the longest side): a few, so the cache stays small.
THUMBNAIL_SIZES: Final = (192, 384, 768)


@router.get("/api/images/{gen_id}")
def image(
    gen_id: str,
    library: LibraryDep,
    size: Annotated[int | None, Query(description="a thumbnail: 192, 384 or 768")] = None,
) -> Response:
    """An image by id: the original, or with ``size`` a WEBP thumbnail of that longest
    side, aspect kept, made once and cached by the image's content hash."""
    gen = library.get(gen_id)  # ids only: a client never names a path
    if size is None:
        headers = {"Cache-Control": "private, max-age=3600"}
        path = library.image_path(gen)
        if path is None:  # in object storage
            return Response(library.image_bytes(gen), media_type="image/png", headers=headers)
        return FileResponse(path, media_type="image/png", headers=headers)
    return FileResponse(
        thumbnail(library, gen.file_hash, thumbnail_size(size)),
        media_type="image/webp",
        # The thumbnail of an id's (immutable) image: cached a day by the browser.
        headers={"Cache-Control": "private, max-age=86400"},
    )


def thumbnail_size(size: int) -> int:
    if size not in THUMBNAIL_SIZES:
        raise HTTPException(400, f"size must be one of {', '.join(map(str, THUMBNAIL_SIZES))}")
    return size


def thumbnail(library: Library, digest: str, size: int, ext: str = "png") -> Path:
    """The thumbnail of the stored image ``digest`` (a file of ``ext``: an uploaded
    photo is kept as its own JPEG or HEIC), made on first request."""
    from sakuga.imaging.io import atomic_write

    path = library.store.cache / digest[:2] / f"{digest}-{size}.webp"
    if not path.is_file():
        image = open_image(library.store.read(digest, ext))
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        atomic_write(path, lambda handle: image.convert(mode).save(handle, "WEBP", quality=82))
    return path


@router.post("/api/generations/{gen_id}/export", status_code=201)
def export(gen_id: str, body: ExportIn, studio: StudioDep, _: HeavySlot) -> dict[str, Any]:
    done = studio.export(
        body.use,
        parent=gen_id,
        title=body.title,
        subtitle=body.subtitle,
        credits=body.credits,
        font=body.font,
    )
    layout, recorded = done.layout, done.generation
    return {**recorded.as_dict(), "warnings": layout.warnings, "contrast": layout.contrast}


@router.get("/api/characters")
def characters(library: LibraryDep) -> list[dict[str, Any]]:
    return [c.__dict__ | {"refs": list(c.refs)} for c in library.characters()]


@router.post("/api/characters", status_code=201)
def create_character(body: CharacterIn, studio: StudioDep, _: HeavySlot) -> dict[str, Any]:
    saved = studio.save_character(
        body.name,
        ArtSpec.from_text(body.description) if body.description.strip() else ArtSpec(),
        photo=studio.library.input_image(body.photo) if body.photo else None,
        refs=[studio.library.input_image(h) for h in body.refs],
        style=body.style,
        engine=body.engine,
        seed=body.seed,
        person=body.person,
    )
    return saved.__dict__ | {"refs": list(saved.refs)}


class CharacterEditIn(BaseModel):
    """A correction of a saved character: each field given changes that, and only that."""

    name: str | None = Field(None, min_length=1, max_length=100)
    #: One value per trait (character, hair, outfit, expression); "" removes the trait.
    traits: dict[str, Annotated[str, Field(max_length=MAX_PART_LENGTH)]] = Field(
        default_factory=dict, max_length=4
    )
    reread: bool = False
    style: str | None = Field(None, max_length=40)
    engine: str | None = Field(None, max_length=40)
    seed: Seed | None = None


@router.patch("/api/characters/{name}")
def edit_character(
    name: str, body: CharacterEditIn, studio: StudioDep, _: HeavySlot
) -> dict[str, Any]:
    """Rename a character, change or remove a trait, read its photo again (`reread`),
    or change its style, engine or seed."""
    saved = studio.edit_character(
        name,
        rename=body.name,
        traits=body.traits,
        reread=body.reread,
        style=body.style,
        engine=body.engine,
        seed=body.seed,
    )
    return saved.__dict__ | {"refs": list(saved.refs)}


@router.delete("/api/characters/{name}")
def delete_character(name: str, library: LibraryDep) -> dict[str, Any]:
    """Delete a character; its images stay in the library, unlinked."""
    gone = library.delete_character(name)
    return {"deleted": gone.name, "id": gone.id}


@router.post("/api/characters/{name}/sheet", status_code=201)
def character_sheet(name: str, studio: StudioDep, _: HeavySlot) -> dict[str, Any]:
    """A saved character's sheet (views, expressions, palette) as one generation.

    Made in the request, not queued: a sheet is several drawings laid out on one page,
    and the job queue runs one engine request per job. With the offline `draw` engine
    it takes about a second."""
    # The server's studio runs the server's engines: draw renders in a helper process,
    # so the sheet's six drawings do not hold the interpreter's lock from every request.
    return studio.character_sheet(name).generation.as_dict()
