"""The studio's REST API under /api: uploads, jobs and their events, generations, images,
exports, characters, the critique."""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import AsyncIterator
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
from sakuga.prompt.story import MAX_SCRIPT
from sakuga.server.deps import JOB_WAIT, HeavySlot, LibraryDep, QueueDep, StudioDep
from sakuga.server.library_api import thumbnail, thumbnail_size
from sakuga.studio.jobs.base import JobPayload
from sakuga.studio.service.grid import Ask, parse_axis
from sakuga.studio.service.studio import Plan, Studio

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
    #: Several saved characters in one scene (create), each drawn as themselves.
    characters: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=3
    )
    #: The engine's model (a checkpoint in the model folder, a GPT image model).
    model: str | None = Field(None, max_length=200)
    negative: str | None = Field(None, max_length=MAX_PROMPT_LENGTH)
    #: Engine options, by the names engines declare (`GET /api/engines`).
    options: dict[str, OptionValue] = Field(default_factory=dict, max_length=32)
    controls: list[ControlIn] = Field(default_factory=list, max_length=4)
    #: A grid (#38) of anime, create or edit: up to three axes, each NAME=V1,V2 as on
    #: the command line (``style=cute,cyberpunk``, ``seed=1-3``).
    grid: list[Annotated[str, Field(min_length=3, max_length=2000)]] = Field(
        default_factory=list, max_length=3
    )


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


def _job_payload(body: JobIn, studio: Studio) -> JobPayload:
    """The studio builds the job; this only translates the body into its call. A grid's
    cells are each the body with the axes' values, planned the same way."""
    if not body.grid:
        return studio.payload(_plan(body, studio))
    if body.kind not in ("anime", "create", "edit"):
        raise SpecError("a grid is of anime, create or edit jobs")
    axes = [parse_axis(axis) for axis in body.grid]
    named = [body.character] if body.character else []
    cast = tuple(named + [name for name in body.characters if name not in named])
    ask = Ask(
        body.prompt or "",
        body.style,
        body.use,
        body.seed,
        body.engine,
        body.model,
        cast,
        body.options,
    )

    def plan_for(cell: Ask) -> Plan:
        changed = {
            "prompt": cell.prompt or None,
            "style": cell.style,
            "use": cell.use,
            "seed": cell.seed,
            "engine": cell.engine,
            "model": cell.model,
            "character": None,
            "characters": list(cell.characters),
            "options": dict(cell.options),
        }
        return _plan(body.model_copy(update=changed), studio)

    return studio.payload(studio.grid(axes, body.kind, ask, plan_for))


def _plan(body: JobIn, studio: Studio) -> Plan:
    """The plan of one job's body."""
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
    cast = [body.character] if body.character else []
    cast += [name for name in body.characters if name not in cast]
    if cast and body.kind != "create":
        raise SpecError("a saved character is for 'create' jobs (a scene with the character)")
    if body.kind == "create":
        if not (body.prompt or "").strip() and not cast:
            raise SpecError("describe what to make: the prompt is empty")
        plan = studio.create(
            spec,
            engine=body.engine,
            character=cast,
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
    return plan


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
            thumbnail(library, digest, thumbnail_size(size), ext),
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
    #: One character of several (the page's column of theirs): only their phrases.
    who: str | None = Field(None, max_length=100)


@router.post("/api/prompt/part")
def prompt_part(body: PartIn) -> dict[str, Any]:
    """The prompt with one part changed in place (the page's part fields): every other
    character stays, weights and quality tags included. ``spans`` say where the part's
    phrases now stand: sent back as ``at`` with the next keystroke, they are changed
    without being looked for again."""
    from sakuga.prompt.rewrite import set_part

    done = set_part(body.text, body.part, body.value, at=body.at, who=body.who)
    if len(done.text) > MAX_PROMPT_LENGTH:
        raise SpecError(f"the prompt would be over {MAX_PROMPT_LENGTH} characters")
    return {"text": done.text, "spans": [list(span) for span in done.spans]}


@router.post("/api/jobs", status_code=202)
def start_job(body: JobIn, studio: StudioDep, queue: QueueDep) -> dict[str, Any]:
    return queue.submit(_job_payload(body, studio)).as_dict()


class SetIn(BaseModel):
    """A set made in one go (#37): a sticker set or a brand kit of one character, or a
    story from its script."""

    kind: str = Field("stickers", pattern="^(stickers|brand|story)$")
    #: A story's script (`sakuga.prompt.story`), its layout and title.
    script: str | None = Field(None, max_length=MAX_SCRIPT)
    layout: str | None = Field(None, pattern="^(4koma|manga|webtoon)$")
    title: str | None = Field(None, max_length=100)
    character: str | None = Field(None, max_length=100)
    prompt: str | None = Field(None, max_length=MAX_PROMPT_LENGTH)
    reactions: list[Annotated[str, Field(max_length=40)]] | None = Field(None, max_length=40)
    caption: str | None = Field(None, pattern="^(en|ja)$")
    #: Platforms whose rules the set must meet (LINE takes 8, 16, …): checked first.
    platforms: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, max_length=4
    )
    style: str | None = None
    engine: str | None = Field(None, max_length=40)
    model: str | None = Field(None, max_length=200)
    seed: Seed | None = None


@router.get("/api/sets")
def set_choices() -> dict[str, Any]:
    """What a set is made of: the reactions (the first eight are a pack's default) and
    the platforms a pack is exported for, with the counts each takes."""
    from sakuga.compose.packs import PLATFORMS
    from sakuga.prompt.reactions import DEFAULT_REACTIONS, REACTIONS
    from sakuga.studio.service.sets import MAX_STICKERS

    return {
        "most": MAX_STICKERS,
        "reactions": [
            {
                "name": r.name,
                "en": r.en,
                "ja": r.ja,
                "emoji": r.emoji,
                "default": r.name in DEFAULT_REACTIONS,
            }
            for r in REACTIONS.values()
        ],
        "platforms": [
            {"name": p.name, "title": p.title, "counts": list(p.counts), "notes": list(p.notes)}
            for p in PLATFORMS.values()
        ],
    }


@router.post("/api/sets", status_code=202)
def start_set(body: SetIn, studio: StudioDep, queue: QueueDep) -> dict[str, Any]:
    """A set's job: a sticker set (one sticker per reaction) or a brand kit (the
    character once per use), then the set's sheet. When done, its last generation is
    the set (`GET /api/sets/{id}/pack/{platform}`, `GET /api/sets/{id}/kit`)."""
    from sakuga.compose.packs import check_counts
    from sakuga.prompt.reactions import DEFAULT_REACTIONS

    if body.engine:
        check_engine_name(body.engine)
    _check_names(JobIn(kind="create", engine=body.engine, model=body.model))
    if body.kind == "story":
        story = studio.story_set(
            body.script or "",
            layout=body.layout,
            title=body.title,
            style=body.style,
            engine=body.engine,
            model=body.model,
            seed=body.seed,
        )
        return queue.submit(studio.payload(story)).as_dict()
    if body.kind == "brand":
        brand = studio.brand_set(
            body.prompt or "",
            characters=[body.character] if body.character else [],
            style=body.style,
            engine=body.engine,
            model=body.model,
            seed=body.seed,
        )
        return queue.submit(studio.payload(brand)).as_dict()
    reactions = body.reactions or list(DEFAULT_REACTIONS)  # checked by the studio
    check_counts(body.platforms, len(reactions))
    plan = studio.sticker_set(
        body.prompt or "",
        characters=[body.character] if body.character else [],
        reactions=reactions,
        caption=body.caption,  # type: ignore[arg-type]
        style=body.style,
        engine=body.engine,
        model=body.model,
        seed=body.seed,
    )
    return queue.submit(studio.payload(plan)).as_dict()


@router.get("/api/sets/{set_id}/pack/{platform}")
def set_pack(
    set_id: str,
    platform: str,
    studio: StudioDep,
    _: HeavySlot,
    title: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """A sticker set as ``platform``'s pack, zipped (its rules: `sakuga.compose.packs`)."""
    pack = studio.sticker_pack(set_id, platform, title)
    return _zipped(pack.zip(), f"sakuga-{pack.platform.name}-{set_id[:12]}.zip")


@router.get("/api/sets/{set_id}/kit")
def set_kit(
    set_id: str,
    studio: StudioDep,
    _: HeavySlot,
    title: Annotated[str | None, Query(max_length=100)] = None,
    subtitle: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """A brand kit laid out with its title, zipped: each member at its platform's size
    and format (avatar with its circle, banner, thumbnail, cover, post)."""
    kit = studio.brand_kit(set_id, title=title, subtitle=subtitle, record=False)
    return _zipped(kit.zip(), f"sakuga-brand-{set_id[:12]}.zip")


@router.get("/api/sets/{set_id}/page")
def set_page(
    set_id: str,
    studio: StudioDep,
    _: HeavySlot,
    layout: Annotated[str | None, Query(pattern="^(4koma|manga|webtoon)$")] = None,
    panel: Annotated[list[str] | None, Query(max_length=12)] = None,
    as_zip: Annotated[bool, Query(alias="zip")] = False,
) -> Response:
    """A story lettered and laid out (its own layout, or ``layout``), as a PNG — or,
    with ``zip=true``, the page and a webtoon's slices zipped. ``panel=2:ID`` puts an
    edit or a variation of a panel in its place."""
    chosen: dict[int, str] = {}
    for given in panel or []:
        number, sep, gen_id = given.partition(":")
        if not sep or not number.isdigit() or not gen_id or len(gen_id) > 64:
            raise SpecError(f"a panel is N:ID (2:ab12cd34ef56), not {given[:80]!r}")
        chosen[int(number)] = gen_id
    done = studio.story_page(set_id, layout=layout, panels=chosen, record=False)
    if as_zip:
        return _zipped(done.zip(), f"sakuga-story-{set_id[:12]}-{done.page.frames.layout}.zip")
    return Response(dict(done.files)["page.png"], media_type="image/png")


def _zipped(data: bytes, name: str) -> Response:
    """A set's files as a zip download called ``name``."""
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


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
            # Off the event loop: a distributed queue reads its database for the estimate
            # and its broker's Redis for the preview.
            if estimate is None and current.status in ("queued", "running"):
                estimate = await asyncio.to_thread(queue.estimate, current.payload)
            shown = await asyncio.to_thread(queue.preview, job_id)
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
