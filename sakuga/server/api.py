"""The studio's REST API under /api: uploads, jobs and their events, generations, images,
exports, characters, the critique."""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from PIL import Image
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sakuga import __version__
from sakuga.engines.base import check_options
from sakuga.engines.registry import check_engine_name
from sakuga.errors import (
    MaskError,
    NotFoundError,
    SpecError,
)
from sakuga.imaging.io import decode_image, normalise_mode, open_image, sniff_format
from sakuga.prompt.artspec import MAX_PART_LENGTH, ArtSpec
from sakuga.prompt.limits import MAX_PROMPT_LENGTH, Count, Seed
from sakuga.server.deps import JOB_WAIT, HeavySlot, LibraryDep, QueueDep, StudioDep
from sakuga.studio.library.library import Filters, Library, LineageNode
from sakuga.studio.service.studio import Studio

#: Event streams (/api/jobs/{id}/events) one client address may hold open at once.
STREAMS_PER_CLIENT: Final = 8
#: Event streams open at once from every client together (many addresses, one server).
STREAMS_IN_ALL: Final = 256
#: Below this much free space where the library keeps its files, /api/health says so.
MIN_FREE_BYTES: Final = 64 * 1024 * 1024


def decode_upload(data: bytes, name: str) -> Image.Image:
    """Decode through the safe path (an allow-listed format, the pixel cap, the whole
    file read): only what decodes is stored, and it is only ever served re-encoded."""
    return normalise_mode(decode_image(data, name))


OptionValue = (
    Annotated[str, Field(max_length=400)]
    | bool
    | int
    | float
    | list[Annotated[str, Field(max_length=400)]]
)


class ControlIn(BaseModel):
    """One ControlNet for a diffusers job (see `sakuga.engines.diffusion.controls`)."""

    kind: str = Field(pattern="^(canny|lineart|pose)$")
    model: str = Field(min_length=1, max_length=200)
    weight: float = Field(1.0, ge=0.0, le=2.0)
    start: float = Field(0.0, ge=0.0, le=1.0)
    end: float = Field(1.0, ge=0.0, le=1.0)
    #: An uploaded map; without one, the map is made from the job's photo.
    image: str | None = Field(None, pattern="^[0-9a-f]{64}$")


class JobIn(BaseModel):
    kind: str = Field(pattern="^(anime|create|edit|vary|rerun)$")
    prompt: str | None = Field(None, max_length=MAX_PROMPT_LENGTH)
    upload: str | None = Field(None, pattern="^[0-9a-f]{64}$")
    mask: str | None = Field(None, pattern="^[0-9a-f]{64}$")
    generation: str | None = Field(None, max_length=40)
    style: str | None = None
    use: str | None = None
    n: Count = 1
    seed: Seed | None = None
    engine: str | None = Field(None, max_length=40)
    character: str | None = Field(None, max_length=100)
    #: The engine's model (a checkpoint in the model folder, a GPT image model).
    model: str | None = Field(None, max_length=200)
    negative: str | None = Field(None, max_length=MAX_PROMPT_LENGTH)
    #: Engine options, by the names engines declare (`GET /api/engines`).
    options: dict[str, OptionValue] = Field(default_factory=dict, max_length=32)
    controls: list[ControlIn] = Field(default_factory=list, max_length=4)


class CharacterIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=MAX_PROMPT_LENGTH)
    style: str | None = None
    engine: str | None = Field(None, max_length=40)
    seed: Seed | None = None
    refs: list[str] = Field(default_factory=list, max_length=16)
    #: An uploaded photo (its input hash) to read the character's look from.
    photo: str | None = Field(None, max_length=128)


class ExportIn(BaseModel):
    use: str
    title: str | None = Field(None, max_length=200)
    subtitle: str | None = Field(None, max_length=200)
    credits: str | None = Field(None, max_length=200)
    font: str | None = None


#: Options that name a file or folder: over HTTP each is a name the server lists.
NAMED_OPTIONS: Final = ("vae", "ip_adapter", "loras", "embeddings")
#: Options only the server's operator sets (its environment), never a request.
SERVER_OPTIONS: Final = ("config", "device", "cpu_offload")


def _check_names(body: JobIn) -> None:
    """Over HTTP a model, a ControlNet, a VAE, a LoRA, an embedding or an IP-Adapter is
    a name this server lists (`GET /api/engines`), never a path: a path lets a client
    probe the server's file system, and its errors would show the server's paths. A GPT
    image model name goes to the openai engine, which checks it."""
    from sakuga.engines.diffusion.controls import list_controlnets
    from sakuga.engines.models import served_names

    served = set(served_names())

    def refuse(what: str, value: str, listed: list[str]) -> SpecError:
        pathlike = any(c in value for c in "/\\") or value.startswith((".", "~"))
        shown = "a path" if pathlike and value not in served else repr(value[:60])
        return SpecError(
            f"unknown {what} {shown}: over HTTP it is a name this server lists "
            f"({', '.join(listed) or 'none'}), not a path"
        )

    model = body.model
    openai_model = body.engine == "openai" or (
        body.engine is None and model is not None and model.startswith(("gpt-image-", "chatgpt-"))
    )
    if model and not openai_model and model not in served:
        raise refuse("model", model, sorted(served))
    nets = list_controlnets()
    for control in body.controls:
        if control.model not in nets:
            raise refuse("ControlNet", control.model, nets)
    for key in SERVER_OPTIONS:
        if key in body.options:
            raise SpecError(f"{key} is set where the server runs, not per request")
    for key in NAMED_OPTIONS:
        value = body.options.get(key)
        values = value if isinstance(value, list) else [value] if value else []
        for item in values:
            name = str(item).rpartition(":")[0] if key == "loras" and ":" in str(item) else item
            if str(name) not in served:
                raise refuse(key.replace("_", "-"), str(name), sorted(served))


def _job_payload(body: JobIn, studio: Studio) -> dict[str, Any]:
    """The studio builds the job; this only translates the body into its call."""
    library = studio.library
    spec = ArtSpec.from_text(body.prompt) if body.prompt else ArtSpec()
    # The body's n and seed win over the prompt's own count: and seed: lines.
    count = body.n if "n" in body.model_fields_set else None
    spec = spec.merged(
        style=body.style, use=body.use, seed=body.seed, count=count, negative=body.negative
    )
    check_options(body.options)
    if body.engine:
        check_engine_name(body.engine)  # before anything is queued
    _check_names(body)
    options: dict[str, Any] = dict(body.options)
    maps: list[Image.Image] = []
    if body.controls:
        controls = []
        for control in body.controls:
            entry = control.model_dump(exclude={"image"})
            if control.image:
                entry["image"] = len(maps)
                maps.append(library.input_image(control.image))
            controls.append(entry)
        options["controls"] = controls
    if body.character and body.kind != "create":
        raise SpecError("a saved character is for 'create' jobs (a scene with the character)")
    if body.kind == "create":
        if not (body.prompt or "").strip() and not body.character:
            raise SpecError("describe what to make: the prompt is empty")
        plan = studio.create(
            spec,
            engine=body.engine,
            character=body.character,
            model=body.model,
            options=options,
            control_images=maps,
        )
    elif body.kind == "anime":
        if not body.upload:
            raise SpecError("photo to anime needs an uploaded photo ('upload')")
        plan = studio.anime(
            body.upload,
            spec,
            engine=body.engine,
            model=body.model,
            options=options,
            control_images=maps,
        )
    elif body.kind == "edit":
        if not body.mask:
            raise MaskError("an edit needs a mask upload ('mask'): white = change")
        if not body.generation and not body.upload:
            raise SpecError("an edit needs a 'generation' or an 'upload' to edit")
        plan = studio.edit(
            body.mask,
            spec,
            image=None if body.generation else body.upload,
            parent=body.generation,
            engine=body.engine,
            model=body.model,
            options=options,
            control_images=maps,
        )
    elif body.kind == "rerun":
        if not body.generation:
            raise SpecError("rerun needs a 'generation'")
        plan = studio.rerun(body.generation)
    else:  # vary
        if not body.generation:
            raise SpecError("vary needs a 'generation'")
        plan = studio.vary(body.generation, count=body.n, seed=body.seed)
    return studio.payload(plan)


router = APIRouter()


@router.get("/api/health")
def health(library: LibraryDep, queue: QueueDep) -> JSONResponse:
    """200 when the library reads, every worker runs (behind a distributed queue: the
    broker answers), every ended job is recorded, the files' store answers and the disk
    has room; 503 (with what is wrong) otherwise."""
    workers = queue.healthy()
    free = library.store.free_bytes()
    disk_ok = free is None or free >= MIN_FREE_BYTES
    storage_ok = library.store.reachable()
    ok = bool(library.healthy() and workers["ok"] and disk_ok and storage_ok)
    body = {
        "ok": ok,
        "version": __version__,
        **{k: v for k, v in workers.items() if k != "ok"},
        "disk_ok": disk_ok,
        "storage_ok": storage_ok,
    }
    return JSONResponse(body, status_code=200 if ok else 503)


@router.post("/api/uploads", status_code=201)
async def upload(library: LibraryDep, _: HeavySlot, file: UploadFile = File(...)) -> dict[str, Any]:
    data = await file.read()

    def store() -> dict[str, Any]:
        # Decoded first (only a file that opens as the format its bytes claim is kept),
        # then stored as the original file: its hash is the hash of the file's bytes.
        image = decode_upload(data, "upload")
        fmt = sniff_format(data[:16])
        assert fmt is not None  # decoding checked it
        digest = library.put_input_file(data, fmt)
        return {"id": digest, "width": image.width, "height": image.height}

    # Decoding a 12 MP photo takes a good part of a second: never on the loop.
    return await run_in_threadpool(store)


class CritiqueIn(BaseModel):
    text: str = Field("", max_length=MAX_PROMPT_LENGTH)
    #: A saved character the scene is for: the parts it brings are not missing.
    character: str | None = Field(None, max_length=100)
    #: The page's Style and For menus: said, when the text says neither.
    style: str | None = Field(None, max_length=40)
    use: str | None = Field(None, max_length=40)


@router.get("/api/uploads/{digest}")
def uploaded(
    digest: str,
    library: LibraryDep,
    size: Annotated[int | None, Query(description="a thumbnail: 192, 384 or 768")] = None,
) -> Response:
    """A stored input image (an upload, a mask, a control map) by its hash: always
    re-encoded by Pillow (an upload is kept as its original file, never served as one),
    as PNG, or with ``size`` as the same cached WEBP thumbnail `/api/images` serves."""
    try:
        ext = library.input_ext(digest)  # checks the name: a hash, never a path
    except NotFoundError:
        raise HTTPException(404, "no such upload") from None
    headers = {"Cache-Control": "private, max-age=86400"}
    if size is not None:
        return FileResponse(
            _thumbnail(library, digest, _thumbnail_size(size), ext),
            media_type="image/webp",
            headers=headers,
        )
    buffer = io.BytesIO()
    open_image(library.store.read(digest, ext)).save(buffer, format="PNG")
    return Response(buffer.getvalue(), media_type="image/png", headers=headers)


#: The longest side of a photo a control map is made from (SDXL's largest buckets).
MAP_SIDE: Final = 2048


class ControlMapIn(BaseModel):
    upload: str = Field(pattern="^[0-9a-f]{64}$")
    kind: str = Field(pattern="^(canny|lineart|pose)$")


@router.post("/api/control-maps", status_code=201)
def control_map_of(body: ControlMapIn, library: LibraryDep, _: HeavySlot) -> dict[str, Any]:
    """The ControlNet map of an uploaded photo (`sakuga control`), stored as an upload:
    look at it at /api/uploads/ID, and give its id as a control's ``image``."""
    from sakuga.imaging.control import control_map

    photo = library.input_image(body.upload)
    # A map guides a drawing of at most a few megapixels: a 40 MP photo is read at
    # MAP_SIDE first (its map took 25 s and 1.5 GB at full size).
    photo.thumbnail((MAP_SIDE, MAP_SIDE), Image.Resampling.LANCZOS)
    made = control_map(photo, body.kind)
    return {"id": library.put_input(made), "width": made.width, "height": made.height}


@router.post("/api/critique")
def critique_prompt(body: CritiqueIn, studio: StudioDep) -> dict[str, Any]:
    return studio.critique(
        body.text,
        character=body.character or None,
        style=body.style or None,
        use=body.use or None,
    ).as_dict()


class PartIn(BaseModel):
    text: str = Field("", max_length=MAX_PROMPT_LENGTH)
    part: str = Field(max_length=20)
    value: str = Field("", max_length=MAX_PART_LENGTH)
    #: Where the part's phrases stand, as the previous answer said (the text unchanged).
    at: list[tuple[int, int]] | None = Field(None, max_length=32)


@router.post("/api/prompt/part")
def prompt_part(body: PartIn) -> dict[str, Any]:
    """The prompt with one part changed in place (the page's part fields): every other
    character stays, weights and quality tags included. ``spans`` say where the part's
    phrases now stand: sent back as ``at`` with the next keystroke, they are changed
    without being looked for again."""
    from sakuga.prompt.rewrite import set_part

    done = set_part(body.text, body.part, body.value, at=body.at)
    if len(done.text) > MAX_PROMPT_LENGTH:
        raise SpecError(f"the prompt would be over {MAX_PROMPT_LENGTH} characters")
    return {"text": done.text, "spans": [list(span) for span in done.spans]}


@router.post("/api/jobs", status_code=202)
def start_job(body: JobIn, studio: StudioDep, queue: QueueDep) -> dict[str, Any]:
    return queue.submit(_job_payload(body, studio)).as_dict()


@router.get("/api/jobs/{job_id}")
def job(job_id: str, queue: QueueDep) -> dict[str, Any]:
    return queue.get(job_id).as_dict()


@router.post("/api/jobs/{job_id}/cancel")
def cancel(job_id: str, queue: QueueDep) -> dict[str, Any]:
    return queue.cancel(job_id).as_dict()


@router.get("/api/jobs/{job_id}/preview")
def preview(job_id: str, queue: QueueDep) -> Response:
    queue.get(job_id)  # 404 for an unknown job
    shown = queue.preview(job_id)
    if shown is None:
        return Response(status_code=204)
    return Response(shown.png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/api/jobs/{job_id}/events")
async def events(job_id: str, request: Request, queue: QueueDep) -> StreamingResponse:
    queue.get(job_id)  # 404 before the stream starts
    # Each stream polls its job: a client holding hundreds would slow every reader.
    # Counted per client address on the app (only the event loop touches it).
    open_streams: dict[str, int] = request.app.state.open_streams
    client = request.client.host if request.client else "?"
    if open_streams.get(client, 0) >= STREAMS_PER_CLIENT:
        raise HTTPException(
            429,
            f"{STREAMS_PER_CLIENT} event streams are open from this client already",
            headers={"Retry-After": "5"},
        )
    if sum(open_streams.values()) >= STREAMS_IN_ALL:
        raise HTTPException(
            429, "too many event streams are open on this server", headers={"Retry-After": "5"}
        )
    open_streams[client] = open_streams.get(client, 0) + 1

    async def stream() -> AsyncIterator[bytes]:
        try:
            async for chunk in job_events():
                yield chunk
        finally:
            open_streams[client] -= 1
            if not open_streams[client]:
                del open_streams[client]

    async def job_events() -> AsyncIterator[bytes]:
        last = None
        deadline = time.monotonic() + JOB_WAIT
        estimate: float | None = None
        while time.monotonic() < deadline:
            current = await asyncio.to_thread(queue.get, job_id)
            if estimate is None and current.status in ("queued", "running"):
                estimate = queue.estimate(current.payload)
            shown = queue.preview(job_id)
            previews = shown.number if shown else 0
            state = (current.status, round(current.progress, 3), current.message, previews)
            if state != last:
                last = state
                # `previews` counts the engine's preview images so far; the latest
                # is at /api/jobs/{id}/preview while the job runs, made at engine step
                # `preview_step` of `preview_steps`. `estimate_s`: the seconds recent
                # jobs like it took, null before one ran.
                data = {
                    **current.as_dict(),
                    "previews": previews,
                    "preview_step": shown.step if shown else None,
                    "preview_steps": shown.total if shown else None,
                    "estimate_s": None if estimate is None else round(estimate, 1),
                }
                yield f"data: {json.dumps(data)}\n\n".encode()
            if current.status in ("done", "failed", "cancelled"):
                return
            await asyncio.sleep(0.1)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )


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
        _thumbnail(library, gen.file_hash, _thumbnail_size(size)),
        media_type="image/webp",
        # The thumbnail of an id's (immutable) image: cached a day by the browser.
        headers={"Cache-Control": "private, max-age=86400"},
    )


def _thumbnail_size(size: int) -> int:
    if size not in THUMBNAIL_SIZES:
        raise HTTPException(400, f"size must be one of {', '.join(map(str, THUMBNAIL_SIZES))}")
    return size


def _thumbnail(library: Library, digest: str, size: int, ext: str = "png") -> Path:
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


@router.get("/api/engines")
def engines(queue: QueueDep) -> list[dict[str, Any]]:
    """The engines: what they do, whether they are ready (and why not), whether a masked
    edit follows its prompt, their models, and their options as form fields (the page
    builds its Advanced panel from them). Behind a distributed queue, an engine is ready
    when a worker announced it, with the models the workers can load."""
    from sakuga.engines.registry import all_engines

    described = [e.describe() for e in all_engines()]
    remote = queue.capabilities()
    if remote is None:
        return described
    for engine in described:
        # This server runs nothing itself: an engine is ready when a worker runs it.
        served = remote.get(engine["name"])
        engine["workers"] = served["workers"] if served else 0
        engine["available"] = served is not None
        engine["reason"] = None if served else "no worker announced this engine"
        engine["models"] = served["models"] if served else []
    return described


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
