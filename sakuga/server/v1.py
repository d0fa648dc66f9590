"""The OpenAI-compatible image endpoints under /v1, on any Sakuga engine."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from PIL import Image

from sakuga.engines.openai_api import MAX_PROMPT
from sakuga.errors import (
    SpecError,
)
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.limits import MAX_IMAGES, MAX_PROMPT_LENGTH
from sakuga.prompt.uses import parse_size
from sakuga.server.api import decode_upload
from sakuga.server.deps import JOB_WAIT, LibraryDep, QueueDep, StudioDep, heavy_work
from sakuga.server.errors import OpenAIError, error_body
from sakuga.server.openai_models import engine_for, model_list
from sakuga.server.openai_output import Output, b64, read_output, usage_of
from sakuga.server.openai_params import (
    EDIT_KEYS,
    GENERATION_KEYS,
    VARIATION_KEYS,
    check_keys,
    engine_options,
    forwarded,
)
from sakuga.studio.jobs.base import (
    Job,
    JobPayload,
    JobQueue,
    Outcome,
)
from sakuga.studio.library.library import Library
from sakuga.studio.service.studio import Plan, Studio


def _json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a 400: not JSON, NaN/Infinity, numbers past the
    interpreter's digit limit, nesting too deep to parse, or not an object."""

    def no_constants(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    try:
        body = json.loads(raw, parse_constant=no_constants)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise OpenAIError(400, "the body must be JSON") from None
    if not isinstance(body, dict):
        raise OpenAIError(400, "the body must be a JSON object")
    return body


def _check_n(n: Any, *, text: bool = True) -> int:
    """``n`` as the OpenAI API takes it: an integer (JSON), or its digits (a form field)."""
    if isinstance(n, bool) or not (
        isinstance(n, int) or (text and isinstance(n, str) and n.isascii() and n.isdigit())
    ):
        raise OpenAIError(400, f"n must be an integer, got {str(n)[:20]!r}", "n")
    if isinstance(n, str) and len(n) > 3:
        raise OpenAIError(400, f"n must be between 1 and 10, got {n[:20]!r}", "n")
    value = int(n)
    if not 1 <= value <= MAX_IMAGES:
        raise OpenAIError(400, f"n must be between 1 and 10, got {value}", "n")
    return value


def _check_size(size: str | None) -> list[int] | None:
    if size in (None, "", "auto"):
        return None
    try:
        width, height = parse_size(str(size))
    except SpecError as exc:
        raise OpenAIError(400, str(exc), "size") from None
    if width % 16 or height % 16:
        raise OpenAIError(
            400, f"width and height must be multiples of 16, got {width}x{height}", "size"
        )
    return [width, height]


def _check_prompt(prompt: Any) -> str:
    if not isinstance(prompt, str) or not prompt.strip():
        raise OpenAIError(400, "prompt is required", "prompt", code="missing_required_parameter")
    if len(prompt) > MAX_PROMPT:
        raise OpenAIError(
            400,
            f"prompt is {len(prompt)} characters; at most {MAX_PROMPT}",
            "prompt",
            code="string_above_max_length",
        )
    if not _encodable(prompt):
        raise OpenAIError(400, "prompt holds a lone surrogate (not valid Unicode)", "prompt")
    return prompt


def _spec_of(prompt: str, engine: str, n: int) -> ArtSpec:
    """The parts a client's prompt describes, for the library and the offline engines.
    A GPT image model reads up to 32,000 characters, sent whole; Sakuga's own reading
    (and so every other engine) takes `MAX_PROMPT_LENGTH`."""
    if len(prompt) > MAX_PROMPT_LENGTH:
        if engine != "openai":
            raise OpenAIError(
                400,
                f"prompt is {len(prompt)} characters; model {engine!r} reads at most "
                f"{MAX_PROMPT_LENGTH} (GPT image models take up to {MAX_PROMPT})",
                "prompt",
                code="string_above_max_length",
            )
        head = prompt[:MAX_PROMPT_LENGTH]
        prompt = head[: head.rfind(" ")] if " " in head else head
    return ArtSpec.from_text(prompt).merged(count=n)


def _forwarding(plan: Plan, forward: dict[str, Any]) -> Plan:
    """``plan`` with the client's upstream arguments (`openai_params.forwarded`)."""
    return replace(plan, request=replace(plan.request, forward=forward)) if forward else plan


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Waiter:
    """Wakes one request's coroutine from the worker thread that ends its job."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.ended: asyncio.Future[None] = self.loop.create_future()

    def _resolve(self) -> None:
        if not self.ended.done():
            self.ended.set_result(None)

    def wake(self) -> None:
        self.loop.call_soon_threadsafe(self._resolve)


async def _submit_and_wait(
    queue: JobQueue, planned: tuple[Plan, JobPayload]
) -> tuple[str, Job | Outcome]:
    """Queue a job and wait for it without holding a thread. With the local queue the
    job lives in memory until it ends (``durable=False``: its caller is this request,
    and a job whose caller is gone is not worth re-running after a crash); a
    distributed queue writes its row and sends its message, so submitting runs in a
    thread, never on the event loop. A job that ends done hands its generations over
    in memory; a failed one is read back."""
    waiter = _Waiter()
    plan, payload = planned
    job = await asyncio.to_thread(queue.submit, payload, waiter.wake, durable=False, plan=plan)
    try:
        try:
            # Only this process runs an in-memory job, and its worker always calls
            # `wake` when it ends: no polling, one deadline.
            async with asyncio.timeout(JOB_WAIT):
                await waiter.ended
        except TimeoutError:  # answered 504: nobody waits for the job now
            return job.id, await asyncio.to_thread(queue.cancel, job.id)
        outcome = queue.take_outcome(job.id)
        if outcome is not None:
            return job.id, outcome
        return job.id, await asyncio.to_thread(queue.get, job.id)
    finally:
        queue.take_outcome(job.id)  # never leave an outcome behind (client gone, timeout)


async def _run_and_respond(
    queue: JobQueue, library: Library, planned: tuple[Plan, JobPayload], output: Output
) -> JSONResponse:
    """Run a job for an OpenAI-compatible request and answer with its images."""
    started = time.time()
    job_id, ended = await _submit_and_wait(queue, planned)
    # Off the event loop: a failed job is read back from the database, and an image may
    # be re-encoded or cut out.
    return await asyncio.to_thread(_respond, library, job_id, ended, started, output)


#: A failed job's kind (`sakuga.errors.failure_code`) → the status, error type and code
#: the API answers such a failure with. None of them is sent again by the SDKs: the
#: engine already retried what can be retried, and the same request fails the same way.
_FAILURES: Final = {
    "moderation_blocked": (400, "invalid_request_error", "moderation_blocked"),
    "invalid_request": (400, "invalid_request_error", "invalid_value"),
    "rate_limit_exceeded": (429, "rate_limit_error", "rate_limit_exceeded"),
    "upstream_error": (502, "server_error", "upstream_error"),
    "time_limit": (504, "server_error", "job_timeout"),
}


def _results(library: Library, ended: Job | Outcome) -> tuple[list[Any], list[bytes]]:
    """The generations of an ended job and their stored PNGs; a failed job is answered
    as the API answers that kind of failure (any other is a 500)."""
    if isinstance(ended, Job):
        if ended.status != "done":
            status, kind, code = _FAILURES.get(
                ended.error_code or "",
                (500, "server_error", "job_failed")
                if ended.status == "failed"
                else (504, "server_error", "job_timeout"),
            )
            raise OpenAIError(
                status,
                ended.error or f"job {ended.status}",  # told without paths (`error_body`)
                kind=kind,
                code=code,
                retry=False,
            )
        generations = library.get_many(ended.result)
        return generations, [library.image_bytes(g) for g in generations]
    return list(ended.generations), list(ended.images)


def _respond(
    library: Library, job_id: str, ended: Job | Outcome, started: float, output: Output
) -> JSONResponse:
    generations, images = _results(library, ended)
    data = [{"b64_json": b64(output.encode(image))} for image in images]
    # A job is one engine call, and each of its images carries that call's usage.
    usage = usage_of(generations[0].usage if generations else None)
    size = (generations[0].width, generations[0].height) if generations else None
    made = generations[0].params.get("Quality") if generations else None
    body = {"created": int(started), "data": data, "usage": usage, **output.fields(size, made)}
    # The job behind the response, for tracing it in the library (and the load benchmark),
    # and the engine that made the images.
    engine = generations[0].engine if generations else ""
    return JSONResponse(body, headers={"X-Sakuga-Job": job_id, "X-Sakuga-Engine": engine})


async def _stream(
    queue: JobQueue,
    library: Library,
    planned: tuple[Plan, JobPayload],
    output: Output,
    kind: str,
) -> StreamingResponse:
    """The job as server-sent events, as the OpenAI SDK reads a streamed image: a
    ``{kind}.partial_image`` event for each preview the engine makes (up to
    ``partial_images``), then ``{kind}.completed`` for each image; an ``error`` event
    if the job fails."""
    plan, payload = planned
    started = int(time.time())
    # A waiter keeps the ended job's outcome (and its last preview) until taken below.
    waiter = _Waiter()
    job = await asyncio.to_thread(queue.submit, payload, waiter.wake, durable=False, plan=plan)

    def event(name: str, data: dict[str, Any]) -> bytes:
        return f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()

    sent = 0

    def partial() -> bytes | None:
        """The engine's newest preview as the next partial image, if it is new and
        more were asked for. Encoding (a transparent background's cut-out too) is image
        work: the stream calls this on a thread, never on the event loop."""
        nonlocal sent
        shown = queue.preview(job.id)
        if shown is None or sent >= min(shown.number, output.partial_images):
            return None
        data = {
            "type": f"{kind}.partial_image",
            "b64_json": b64(output.encode(shown.png)),
            "created_at": started,
            "partial_image_index": sent,
            **output.event_fields(None),
        }
        sent += 1
        return event(data["type"], data)

    async def events() -> AsyncIterator[bytes]:
        deadline = time.monotonic() + JOB_WAIT
        try:
            while time.monotonic() < deadline:
                if (chunk := await asyncio.to_thread(partial)) is not None:
                    yield chunk
                    continue
                current = await asyncio.to_thread(queue.get, job.id)
                if current.status in ("done", "failed", "cancelled"):
                    # A preview made just before the end is still worth its event.
                    if (chunk := await asyncio.to_thread(partial)) is not None:
                        yield chunk
                    break
                await asyncio.sleep(0.05)
            else:
                await asyncio.to_thread(queue.cancel, job.id)
            ended: Job | Outcome | None = queue.take_outcome(job.id)
            if ended is None:
                ended = await asyncio.to_thread(queue.get, job.id)
            try:
                generations, images = await asyncio.to_thread(_results, library, ended)
            except OpenAIError as exc:
                yield event("error", {"type": "error", "error": error_body(exc)})
                return
            usage = usage_of(generations[0].usage if generations else None)
            for generation, image in zip(generations, images, strict=True):
                completed = {
                    "type": f"{kind}.completed",
                    "b64_json": b64(await asyncio.to_thread(output.encode, image)),
                    "created_at": started,
                    "usage": usage,
                    **output.event_fields(
                        (generation.width, generation.height), generation.params.get("Quality")
                    ),
                }
                yield event(completed["type"], completed)
        finally:
            queue.take_outcome(job.id)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )


def _edit_payload(
    studio: Studio,
    photos: list[bytes],
    mask: bytes | None,
    prompt: str,
    n: int,
    size: list[int] | None,
    engine: str,
    model: str | None,
    fields: Mapping[str, Any],
    output: Output,
) -> tuple[Plan, JobPayload]:
    """An edit's uploads decoded and checked, then the studio's job for them (which
    stores them): photo → anime without a mask, a masked edit with one."""
    decoded = [decode_upload(data, "image") for data in photos]
    first = decoded[0]
    drawn = None
    if mask is not None:
        drawn = decode_upload(mask, "mask")
        if drawn.size != first.size:
            raise OpenAIError(
                400,
                f"mask must be the size of the image ({first.width}x{first.height}), "
                f"got {drawn.width}x{drawn.height}",
                "mask",
            )
        # OpenAI's convention: transparent pixels mark where to edit (Sakuga's own: white
        # = change). As OpenAI does, a mask without an alpha channel is refused, and so
        # is one with nothing transparent: there would be nothing to edit.
        if "A" not in drawn.getbands() and "transparency" not in drawn.info:
            raise OpenAIError(
                400,
                "the mask must have an alpha channel: its transparent pixels mark the area to edit",
                "mask",
            )
        alpha = drawn.convert("RGBA").getchannel("A")
        lowest = alpha.getextrema()[0]
        if isinstance(lowest, (int, float)) and lowest >= 128:
            raise OpenAIError(
                400,
                "the mask has no transparent pixels, so nothing to edit: make the area to "
                "change transparent",
                "mask",
            )
        drawn = Image.eval(alpha, lambda v: 255 - v)
    spec = _spec_of(prompt, engine, n)
    shape = (size[0], size[1]) if size else None
    common: dict[str, Any] = {"size": shape, "engine": engine, "model": model}
    common["options"] = engine_options(fields, output, engine)
    common |= {"references": decoded[1:], "verbatim": prompt}
    if drawn is None:
        plan = studio.anime(first, spec, **common)
    else:
        plan = studio.edit(drawn.convert("RGB"), spec, image=first, **common)
    return studio.stored(_forwarding(plan, forwarded(fields, output, engine)))


router = APIRouter()


def _check_response_format(value: Any) -> None:
    if (value or "b64_json") != "b64_json":
        raise OpenAIError(
            400, "only response_format=b64_json is served (no URLs)", "response_format"
        )


@router.post("/v1/images/generations", response_model=None)
async def generations(
    request: Request, library: LibraryDep, studio: StudioDep, queue: QueueDep
) -> JSONResponse | StreamingResponse:
    body = _json_object(await request.body())
    check_keys(body, GENERATION_KEYS)
    prompt = _check_prompt(body.get("prompt"))
    n = _check_n(body.get("n", 1), text=False)
    size = _check_size(body.get("size"))
    _check_response_format(body.get("response_format"))
    model_map = request.app.state.settings.model_map
    engine, engine_model = engine_for(body.get("model"), "draw", "text-to-image", model_map)
    output = read_output(body)
    options = engine_options(body, output, engine)
    forward = forwarded(body, output, engine)

    def planned() -> tuple[Plan, JobPayload]:
        # Reading the prompt, the saved characters it names and the library: a thread's.
        plan = studio.create(
            _spec_of(prompt, engine, n),
            size=(size[0], size[1]) if size else None,
            engine=engine,
            model=engine_model,
            options=options,
            verbatim=prompt,  # an OpenAI client's prompt is sent as it is
        )
        return studio.stored(_forwarding(plan, forward))

    job = await asyncio.to_thread(planned)
    if output.stream:
        return await _stream(queue, library, job, output, "image_generation")
    return await _run_and_respond(queue, library, job, output)


@router.post("/v1/images/edits", response_model=None)
async def edits(
    request: Request, library: LibraryDep, studio: StudioDep, queue: QueueDep
) -> JSONResponse | StreamingResponse:
    form = await request.form(max_files=17, max_fields=50)
    check_keys(form, EDIT_KEYS)
    prompt = _check_prompt(form.get("prompt"))
    n = _check_n(form.get("n", 1))
    size = _check_size(form.get("size"))  # type: ignore[arg-type]
    _check_response_format(form.get("response_format"))
    images = [
        f for key in ("image", "image[]") for f in form.getlist(key) if not isinstance(f, str)
    ]
    if not images:
        raise OpenAIError(400, "an image file is required", "image")
    mask_file = form.get("mask")
    photos = [await f.read() for f in images]
    mask = (
        await mask_file.read() if mask_file is not None and not isinstance(mask_file, str) else None
    )
    # Every check before anything is stored: a refused request leaves no file, no row.
    task = "masked-edit" if mask is not None else "photo-to-anime"
    model_map = request.app.state.settings.model_map
    engine, engine_model = engine_for(str(form.get("model") or ""), "toon", task, model_map)
    output = read_output(form)
    if len(photos) > 1:
        from sakuga.engines.registry import engine_class

        if not engine_class(engine).references:
            raise OpenAIError(
                400,
                f"model {engine!r} uses one image, and {len(photos)} were sent; models that "
                "use the others as references: openai, diffusers (with an IP-Adapter)",
                "image",
            )
    # Decoding, re-encoding and storing photos is tens of milliseconds of work each:
    # on a thread, not on the event loop that serves every other request.
    with heavy_work(request):  # the decoding only; the job's own wait is the queue's
        planned = await asyncio.to_thread(
            _edit_payload,
            studio,
            photos,
            mask,
            prompt,
            n,
            size,
            engine,
            engine_model,
            form,
            output,
        )
    if output.stream:
        return await _stream(queue, library, planned, output, "image_edit")
    return await _run_and_respond(queue, library, planned, output)


@router.post("/v1/images/variations")
async def variations(
    request: Request, library: LibraryDep, studio: StudioDep, queue: QueueDep
) -> JSONResponse:
    """Versions of an uploaded image: drawn as anime by the engine (``toon`` unless the
    model names another that does photo → anime), each with its own seed."""
    form = await request.form(max_files=1, max_fields=20)
    check_keys(form, VARIATION_KEYS)  # no stream: OpenAI streams no variations
    output = read_output(form)
    image = form.get("image")
    if image is None or isinstance(image, str):
        raise OpenAIError(400, "an image file is required", "image")
    n = _check_n(form.get("n", 1))
    size = _check_size(form.get("size"))  # type: ignore[arg-type]
    _check_response_format(form.get("response_format"))
    model_map = request.app.state.settings.model_map
    engine, engine_model = engine_for(
        str(form.get("model") or ""), "toon", "photo-to-anime", model_map
    )
    photo = await image.read()
    options = engine_options(form, output, engine)
    forward = forwarded(form, output, engine)

    def plan() -> tuple[Plan, JobPayload]:
        decoded = decode_upload(photo, "image")
        shape = (size[0], size[1]) if size else None
        spec = ArtSpec.build(count=n)
        made = studio.anime(
            decoded, spec, size=shape, engine=engine, model=engine_model, options=options
        )
        return studio.stored(_forwarding(made, forward))

    with heavy_work(request):
        planned = await asyncio.to_thread(plan)
    return await _run_and_respond(queue, library, planned, output)


@router.get("/v1/models")
def models(request: Request) -> dict[str, Any]:
    return {"object": "list", "data": model_list(request.app.state.settings.model_map)}


@router.get("/v1/models/{model_id:path}")
def model(model_id: str, request: Request) -> dict[str, Any]:
    for found in model_list(request.app.state.settings.model_map):
        if found["id"] == model_id:
            return found
    raise OpenAIError(
        404, f"the model {model_id[:80]!r} does not exist here", "model", code="model_not_found"
    )
