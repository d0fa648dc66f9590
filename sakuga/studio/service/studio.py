"""The studio service: one method per user action, the one place requests are built.

The CLI and the studio API (`/api/jobs`) translate what a person asked into a call
here and get a `Plan`: the engine request, the engine to run it (None: the best one
available for the task) and its lineage. The CLI runs a plan in its own process with
`Studio.run`; the server queues `Studio.payload(plan)` and a worker runs it
(`running.run_plan`, the same for every queue). The same action with the same inputs
so makes the same request on every front end.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PIL import Image

from sakuga.engines.base import Engine, EngineRequest, EngineResult, ProgressCallback, Task
from sakuga.engines.registry import best_engine, get_engine
from sakuga.errors import NotFoundError, SpecError
from sakuga.imaging.metadata import Recipe, read_recipe
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.critique import Critique, critique
from sakuga.prompt.edits import edited
from sakuga.prompt.limits import MAX_SEED, SEED_SPACE
from sakuga.prompt.uses import get_use
from sakuga.studio.jobs.base import CellData, GridData, JobPayload
from sakuga.studio.library.characters import CHARACTER_PARTS, Character, character_traits
from sakuga.studio.library.library import Generation, Library
from sakuga.studio.service import replay, sets
from sakuga.studio.service.exports import Export, record_export
from sakuga.studio.service.grid import (
    MAX_GRID_CELLS,
    NAMED_AXES,
    Ask,
    Axis,
    Cell,
    Grid,
    grid_cells,
    is_grid,
    read_axes,
)
from sakuga.studio.service.rules import (
    MAX_CAST,
    edit_engine,
    finish_for_use,
    with_character,
    with_characters,
)
from sakuga.studio.service.sheets import SHEET_EXPRESSIONS, Sheet, sheet_parts, sheet_request


@dataclass(frozen=True)
class Plan:
    """A user action made concrete: what to run, on which engine, from what."""

    request: EngineRequest
    engine: str | None = None  # None: the best available engine for the task
    parent_id: str | None = None
    character_id: str | None = None
    #: Input images already stored in the library, by role ("image", "mask",
    #: "references"): a payload names them instead of storing them again.
    stored: Mapping[str, Any] = field(default_factory=dict)
    #: A grid's cells (#38); ``request`` and ``engine`` are then its first cell's.
    grid: Grid | None = None


@dataclass
class Made:
    """What running a plan made: the engine's result and the generations recorded."""

    request: EngineRequest
    result: EngineResult
    generations: list[Generation]
    seconds: float
    recipes: list[Recipe]  # each image's recipe, as recorded (for files written elsewhere)
    #: A grid's cells as made (`running.Prepared`), in order; their images and
    #: generations lead the above, the layout's last.
    cells: tuple[Any, ...] = ()


class Studio:
    """One method per user action on ``library``."""

    def __init__(self, library: Library, engines: Callable[[str], Engine] = get_engine) -> None:
        self.library = library
        #: Makes the engine of a name (a job queue passes its own, which keeps engines
        #: and their loaded models between jobs).
        self.engines = engines

    # ---- the actions ---------------------------------------------------------------

    def critique(
        self,
        text: str,
        *,
        character: str | None = None,
        style: str | None = None,
        use: str | None = None,
    ) -> Critique:
        """The critique of ``text``, as a scene with the saved ``character`` when one is
        chosen (the parts it brings — hair, outfit, … — are not missing), in the chosen
        ``style`` and for the chosen ``use``."""
        dress = self.library.character(character).dress if character else None
        return critique(text, dress=dress, style=style, use=use)

    def save_character(
        self,
        name: str,
        spec: ArtSpec,
        *,
        photo: Image.Image | None = None,
        refs: Sequence[Image.Image] = (),
        style: str | None = None,
        engine: str | None = None,
        seed: int | None = None,
        person: int | None = None,
    ) -> Character:
        """Save a character from ``spec``'s parts and, with ``photo``, the look read off
        it (hair colour, length, eyes, skin, glasses, face shape); a part ``spec`` names
        wins over the photo's. The photo is kept as the first reference image. In a photo
        of several people, ``person`` says which, from the left; the reference is then
        that person's head and shoulders."""
        if engine is not None:
            from sakuga.engines.registry import check_engine_name

            check_engine_name(engine)
        traits = character_traits(spec)
        if photo is not None:
            from sakuga.engines.toon.likeness import read_likeness

            likeness = read_likeness(photo, person)
            traits = likeness.traits() | traits
            portrait = photo.crop(likeness.portrait) if likeness.portrait else photo
            refs = [portrait, *refs]
        elif person is not None:
            raise SpecError("a person is chosen in a photo: give the photo too")
        if not traits:
            raise SpecError("describe the character: who, hair, outfit or expression")
        return self.library.create_character(
            name,
            traits,
            style=style or spec.style,
            engine=engine,
            seed=seed if seed is not None else secrets.randbelow(SEED_SPACE),
            refs=list(refs),
        )

    def edit_character(
        self,
        name: str,
        *,
        rename: str | None = None,
        traits: Mapping[str, str] | None = None,
        reread: bool = False,
        style: str | None = None,
        engine: str | None = None,
        seed: int | None = None,
    ) -> Character:
        """Correct a saved character. ``traits`` overrides one part each (an empty value
        removes that part); ``reread`` reads who they are and their hair again from
        their photo (the first reference), keeping every other trait; an override given
        with it wins over the photo. ``rename``, ``style``, ``engine`` and ``seed`` change
        those."""
        if engine:
            from sakuga.engines.registry import check_engine_name

            check_engine_name(engine)
        current = self.library.character(name)
        changed = dict(current.traits)
        if reread:
            if not current.refs:
                raise SpecError(f"{current.name} has no photo to read again")
            from sakuga.engines.toon.likeness import read_likeness

            changed.update(read_likeness(self.library.input_image(current.refs[0])).traits())
        for part, value in (traits or {}).items():
            if part not in CHARACTER_PARTS:
                raise SpecError(
                    f"a character keeps {', '.join(CHARACTER_PARTS)}; {part!r} is the scene's"
                )
            if value.strip():
                changed[part] = value.strip()
            else:
                changed.pop(part, None)
        return self.library.update_character(
            current.id,
            name=rename,
            traits=changed if changed != current.traits else None,
            style=style,
            engine=engine,
            seed=seed,
        )

    def create(
        self,
        spec: ArtSpec,
        *,
        size: tuple[int, int] | None = None,
        engine: str | None = None,
        model: str | None = None,
        character: str | Character | Sequence[str | Character] | None = None,
        options: Mapping[str, Any] | None = None,
        verbatim: str | None = None,
        control_images: Sequence[Image.Image] = (),
    ) -> Plan:
        """Prompt → art. A saved ``character`` lends its look, references, seed and
        engine to the scene (the scene's own parts, seed and engine win); several saved
        characters are each described in the prompt by name, and drawn each as
        themselves (#34). A `Character` given as one (a story script's own, not saved)
        is used as a saved one is. ``verbatim`` is a prompt to send exactly as given
        (an OpenAI-compatible client's)."""
        references: tuple[Image.Image, ...] = ()
        stored: dict[str, Any] = {}
        character_id = None
        names = [character] if isinstance(character, str | Character) else list(character or ())
        if len(names) > MAX_CAST:
            raise SpecError(f"a scene takes at most {MAX_CAST} saved characters")
        said = [n.name if isinstance(n, Character) else n for n in names]
        if len(set(said)) != len(said):
            raise SpecError("a saved character is named twice")
        if names:
            cast = [n if isinstance(n, Character) else self.library.character(n) for n in names]
            if len(cast) == 1:
                spec, engine = with_character(cast[0], spec, engine)
            else:
                spec, engine = with_characters(cast, spec, engine)
            refs = [h for saved in cast for h in saved.refs]
            references = tuple(self.library.input_image(h) for h in refs)
            stored = {"references": refs} if refs else {}
            character_id = next((c.id for c in cast if c.id), None)
            if refs:  # whose each reference is: an engine can say so (GPT image models)
                names = [saved.name for saved in cast for _ in saved.refs]
                options = {**(options or {}), "reference_names": names}
        request = _request(
            Task.TEXT_TO_IMAGE,
            spec,
            count=spec.count,
            seed=spec.seed,
            size=size,
            verbatim=verbatim,
            model=model,
            options=options,
            references=references,
            control_images=control_images,
        )
        return Plan(request, engine, character_id=character_id, stored=stored)

    def anime(
        self,
        photo: Image.Image | str,
        spec: ArtSpec,
        *,
        size: tuple[int, int] | None = None,
        engine: str | None = None,
        model: str | None = None,
        options: Mapping[str, Any] | None = None,
        references: Sequence[Image.Image] = (),
        verbatim: str | None = None,
        control_images: Sequence[Image.Image] = (),
    ) -> Plan:
        """Photo → anime; ``photo`` is an image, or the hash of a stored upload."""
        image, stored = self._input(photo, "image")
        request = _request(
            Task.PHOTO_TO_ANIME,
            spec,
            count=spec.count,
            seed=spec.seed,
            size=size,
            verbatim=verbatim,
            model=model,
            options=options,
            image=image,
            references=references,
            control_images=control_images,
        )
        return Plan(request, engine, stored=stored)

    def edit(
        self,
        mask: Image.Image | str,
        prompt: ArtSpec,
        *,
        image: Image.Image | str | None = None,
        parent: str | None = None,
        seed: int | None = None,
        count: int | None = None,
        size: tuple[int, int] | None = None,
        engine: str | None = None,
        model: str | None = None,
        options: Mapping[str, Any] | None = None,
        references: Sequence[Image.Image] = (),
        verbatim: str | None = None,
        control_images: Sequence[Image.Image] = (),
    ) -> Plan:
        """Change only the masked region of a saved generation (``parent``) or of an
        ``image``. An edit of a generation keeps its spec under the new prompt, its
        engine (unless that engine cannot edit: then the best one that can) and its
        seed (unless one is given, by argument or by the prompt's ``seed:`` line)."""
        if not _words_in(prompt):
            raise SpecError("the edit's prompt is empty: say what the masked region becomes")
        source = self.library.get(parent) if parent else None
        seed = seed if seed is not None else prompt.seed
        if source is not None:
            picture: Image.Image = self.library.image(source.id)
            stored: dict[str, Any] = {"image": source.file_hash}
            made_by: str | None = source.engine
            spec = edited(ArtSpec.build(**source.request.get("spec", {})), prompt)
            engine = engine or source.engine
            seed = seed if seed is not None else source.seed
        elif image is not None:
            picture, stored = self._input(image, "image")
            # An image Sakuga made carries its recipe: its parts carry over the same way.
            recipe, made_by, made_seed = _recipe_spec(picture)
            spec = edited(recipe, prompt) if recipe is not None else prompt
            engine = engine or made_by
            seed = seed if seed is not None else made_seed
        else:
            raise SpecError("an edit needs a generation or an image to edit")
        if engine == "draw" and made_by != "draw":
            what = f"made by {made_by}" if made_by else "not drawn by draw"
            raise SpecError(
                f"draw edits only pictures it drew (it redraws them from their recipe); "
                f"this image is {what}: edit it with toon, or with diffusers or openai "
                "when one is configured"
            )
        drawn, mask_stored = self._input(mask, "mask")
        request = _request(
            Task.MASKED_EDIT,
            spec,
            count=count or prompt.count,
            seed=seed,
            size=size,
            verbatim=verbatim,
            model=model,
            options=options,
            image=picture,
            mask=drawn.convert("L"),
            references=references,
            control_images=control_images,
        )
        return Plan(
            request,
            edit_engine(engine),
            parent_id=source.id if source else None,
            character_id=source.character_id if source else None,
            stored={**stored, **mask_stored},
        )

    def grid(
        self,
        axes: Sequence[Axis],
        action: str,
        ask: Ask,
        plan_for: Callable[[Ask], Plan],
        most_cells: int = MAX_GRID_CELLS,
    ) -> Plan:
        """One idea across ``axes`` (#38): a plan of every cell, each what ``action``
        makes alone from ``ask`` with the axes' values (``plan_for`` is the front end's
        one path for the action: it calls `create`, `anime` or `edit`). Cells without a
        seed of their own share one, so they differ only by their axes. Everything is
        checked before any work."""
        from sakuga.engines.registry import engine_class

        seed = ask.seed if ask.seed is not None else secrets.randbelow(SEED_SPACE)
        grid = grid_cells(axes, action, ask, plan_for, seed, most_cells)
        options = [a.name for a in axes if a.name not in NAMED_AXES]
        for cell in grid.cells:  # an engine axis may name one that cannot do the task
            task = cell.plan.request.task
            if cell.plan.engine and task not in engine_class(cell.plan.engine).tasks:
                raise SpecError(f"engine {cell.plan.engine!r} does not do {task.value}")
            engine = self.engine_for(cell.plan)
            for name in options:  # cells that could not differ: said, not made
                if name not in engine_class(engine).options:
                    raise SpecError(
                        f"grid axis {name}: the {engine} engine does not read it, so its "
                        "cells would not differ (choose an engine that does: --engine)"
                    )
        first = grid.cells[0].plan
        return replace(first, grid=grid)

    #: A sticker set (#37): one sticker per reaction of one character, one seed;
    #: and a set exported as a messenger's pack (`sets`).
    sticker_set = sets.sticker_set
    sticker_pack = sets.sticker_pack
    #: A brand kit (#37): the character once per use, then laid out with one title.
    brand_set = sets.brand_set
    brand_kit = sets.brand_kit
    #: A story (#37): each panel of a script drawn, then lettered and laid out as a
    #: 4-koma strip, a manga page or a webtoon.
    story_set = sets.story_set
    story_page = sets.story_page
    #: An image file made again from the recipe it carries, Sakuga's, A1111's or
    #: ComfyUI's (`replay`).
    replay = replay.replay

    def vary(self, gen_id: str, *, count: int = 4, seed: int | None = None) -> Plan:
        """New versions of a generation: its request with new seeds."""
        gen = self._drawn(self.library.get(gen_id), "vary")
        new_seed = seed if seed is not None else secrets.randbelow(SEED_SPACE - count)
        request = replace(self.library.request_of(gen), n=count, seed=new_seed)
        return Plan(request, gen.engine, parent_id=gen.id, character_id=gen.character_id)

    def rerun(self, gen_id: str) -> Plan:
        """A generation's request again (deterministic engines give the same pixels);
        a grid's every cell again, laid out anew."""
        gen = self.library.get(gen_id)
        if is_grid(gen):
            return self._rerun_grid(gen)
        return self._again(self._drawn(gen, "rerun"))

    def _again(self, gen: Generation) -> Plan:
        """A drawn generation's request as a plan, its child."""
        request = self.library.request_of(gen)
        return Plan(request, gen.engine, parent_id=gen.id, character_id=gen.character_id)

    def _rerun_grid(self, gen: Generation) -> Plan:
        made = self.library.request_of(gen).options["grid"]
        try:
            drawn = self.library.get_many([c["id"] for c in made["cells"]])
        except NotFoundError as exc:
            raise SpecError(
                f"{gen.id} is a grid one of whose cells was deleted ({exc}): it cannot "
                "be redone whole (rerun its other cells one by one, or make it again)"
            ) from None
        cells = tuple(
            Cell(tuple(c["at"]), self._again(self._drawn(cell, "rerun")))
            for c, cell in zip(made["cells"], drawn, strict=True)
        )
        data = {k: v for k, v in made.items() if k not in ("axes", "set", "cells")}
        grid = Grid(read_axes(made["axes"]), cells, made.get("set"), data)
        return replace(cells[0].plan, parent_id=gen.id, grid=grid)

    def _drawn(self, gen: Generation, action: str) -> Generation:
        """``gen`` when an engine drew it; a layout (a grid, an export, a sheet) is
        refused with what to do instead."""
        if is_grid(gen):
            raise SpecError(f"{gen.id} is a grid, laid out, not drawn: {action} one of its cells")
        if gen.engine == "compose":
            what = "a character sheet" if gen.use == "sheet" else f"an export for {gen.use}"
            instead = (
                "make a new one with `sakuga character sheet NAME`"
                if gen.use == "sheet"
                else f"{action} its source ({gen.parent_id}) and export that"
                if gen.parent_id
                else "export the image again"
            )
            raise SpecError(f"{gen.id} is {what}, laid out, not drawn: {instead}")
        return gen

    def export(
        self,
        use: str,
        *,
        parent: str | None = None,
        image: Image.Image | None = None,
        title: str | None = None,
        subtitle: str | None = None,
        credits: str | None = None,
        font: str | None = None,
    ) -> Export:
        """Lay a generation (``parent``) or an ``image`` out for ``use`` with its text,
        recorded in the library (a child of the generation)."""
        source = self.library.get(parent) if parent else None
        if source is not None:
            art = self.library.image(source.id)
        elif image is not None:
            art = image
        else:
            raise SpecError("an export needs a generation or an image")
        return record_export(
            self.library,
            art,
            use,
            parent=source,
            title=title,
            subtitle=subtitle,
            credits=credits,
            font=font,
        )

    def character_sheet(self, name: str, *, count: int = 6, engine: str | None = None) -> Sheet:
        """A saved character's sheet on the sheet use's page: the character large, its
        expressions labelled, its palette as swatches. The drawings are made here and
        not recorded one by one: the sheet is one generation, its parts in its recipe."""
        from sakuga.compose.sheet import character_sheet
        from sakuga.engines.draw.traits import traits_from_spec

        if not 2 <= count <= len(SHEET_EXPRESSIONS):
            raise SpecError(f"a sheet shows 2 to {len(SHEET_EXPRESSIONS)} expressions")
        saved = self.library.character(name)
        drawings: list[Image.Image] = []
        parts: list[dict[str, object]] = []
        for label, scene, size in sheet_parts(count):
            plan = self.create(
                scene, size=size, engine=engine or saved.engine or "draw", character=name
            )
            result = self.make(plan)
            drawings.append(result.images[0])
            parts.append(
                {
                    "view": label if label in ("front", "three-quarter", "back") else "bust",
                    "expression": scene.expression,
                    "engine": result.engine,
                    "seed": result.seeds[0] if result.seeds else None,
                }
            )
        traits = traits_from_spec(saved.spec())
        palette = [
            ("hair", traits.hair_color),
            ("eyes", traits.eye_color),
            ("skin", traits.skin),
            ("outfit", traits.outfit_color),
        ]
        views = [
            (str(p["view"]), d) for p, d in zip(parts, drawings, strict=True) if p["view"] != "bust"
        ]
        busts = [
            (str(p["expression"]), d)
            for p, d in zip(parts, drawings, strict=True)
            if p["view"] == "bust"
        ]
        page = character_sheet(
            views,
            busts,
            saved.name,
            palette,
            get_use("sheet").size,
        )
        request = sheet_request(saved.spec(), drawings[0], parts)
        result = EngineResult(
            images=[page], engine="compose", model="character-sheet", seeds=[saved.seed]
        )
        recorded = self.library.record(request, result, character_id=saved.id)[0]
        return Sheet(request, result, recorded, parts)

    # ---- running ---------------------------------------------------------------------

    def draft(self, plan: Plan, drafter: str, strength: float) -> Plan:
        """``plan`` re-aimed at refining one draft that ``drafter`` makes first (the
        draft becomes the input image; ``strength`` is how far the result may move)."""
        made = self.engines(drafter).run(replace(plan.request, n=1)).images[0]
        options = {**plan.request.options, "strength": strength, "draft": drafter}
        request = replace(plan.request, task=Task.VARIATION, image=made, options=options)
        return replace(plan, request=request)

    def engine_for(self, plan: Plan) -> str:
        """The engine that runs ``plan``: its own, else the best available for the task."""
        return plan.engine or best_engine(plan.request.task, plan.request).name

    def make(self, plan: Plan, progress: ProgressCallback | None = None) -> EngineResult:
        """The images of ``plan``: its engine's, finished for the use (not recorded)."""
        result = self.engines(self.engine_for(plan)).run(plan.request, progress)
        finish_for_use(plan.request, result)
        return result

    def run(self, plan: Plan, progress: ProgressCallback | None = None) -> Made:
        """Run ``plan`` here: `make` its images, then record them in the library."""
        from sakuga.studio.service.running import run_plan

        prepared = run_plan(self, plan, progress)
        generations = self.library.commit_record(prepared.pending)
        return Made(
            plan.request,
            prepared.result,
            generations,
            prepared.seconds,
            prepared.pending.recipes,
            prepared.cells,
        )

    def from_payload(self, payload: JobPayload | Mapping[str, Any]) -> Plan:
        """The plan a job payload (`JobPayload` as JSON) carries, as a worker runs it."""
        job = JobPayload.read(payload)
        plan = Plan(
            EngineRequest.from_payload(job.request, self.library.input_image),
            job.engine,
            parent_id=job.parent_id,
            character_id=job.character_id,
            stored=job.request.inputs,
        )
        if job.grid is None:
            return plan
        cells = tuple(
            Cell(tuple(cell.at), self.from_payload(cell.model_dump(exclude={"at"})))
            for cell in job.grid.cells
        )
        grid = Grid(read_axes(job.grid.axes), cells, job.grid.set, job.grid.data or {})
        return replace(plan, grid=grid)

    def stored(self, plan: Plan) -> tuple[Plan, JobPayload]:
        """``plan`` with its input images stored, and its job payload: a queue in this
        process runs the plan as it is (its images already decoded), another reads the
        payload."""
        payload = self.payload(plan)
        grid = plan.grid
        if grid is not None and payload.grid is not None:
            stored_cells = tuple(
                replace(cell, plan=replace(cell.plan, stored=data.request.inputs))
                for cell, data in zip(grid.cells, payload.grid.cells, strict=True)
            )
            grid = replace(grid, cells=stored_cells)
        return replace(plan, stored=payload.request.inputs, grid=grid), payload

    def payload(self, plan: Plan) -> JobPayload:
        """``plan`` as a job payload for a queue (input images by their stored hash)."""
        if plan.grid is not None:
            cells = [
                CellData(at=list(cell.at), **self.payload(cell.plan).model_dump(exclude={"grid"}))
                for cell in plan.grid.cells
            ]
            first = cells[0]
            return JobPayload(
                engine=first.engine,
                request=first.request,
                parent_id=plan.parent_id,
                character_id=first.character_id,
                grid=GridData(
                    axes=plan.grid.as_json()["axes"],
                    cells=cells,
                    set=plan.grid.kind,
                    **({"data": dict(plan.grid.data)} if plan.grid.data else {}),
                ),
            )
        stored = dict(plan.stored)
        inputs = {
            role: stored.get(role) or self._put_inputs(given)
            for role, given in plan.request.input_images().items()
        }
        job = JobPayload(
            engine=plan.engine,
            request=plan.request.to_payload(inputs),
            parent_id=plan.parent_id,
            character_id=plan.character_id,
        )
        return job

    def _put_inputs(self, given: Image.Image | list[Image.Image]) -> str | list[str]:
        """Input images stored in the library: their hash, or a list's hashes."""
        if isinstance(given, list):
            return [self.library.put_input(i) for i in given]
        return self.library.put_input(given)

    def _input(self, given: Image.Image | str, role: str) -> tuple[Image.Image, dict[str, Any]]:
        """An input image given as an image, or as the hash of a stored upload."""
        if isinstance(given, str):
            return self.library.input_image(given), {role: given}
        return given, {}


def _request(
    task: Task,
    spec: ArtSpec,
    *,
    count: int,
    seed: int | None,
    size: tuple[int, int] | None,
    verbatim: str | None,
    model: str | None,
    options: Mapping[str, Any] | None,
    image: Image.Image | None = None,
    mask: Image.Image | None = None,
    references: Sequence[Image.Image] = (),
    control_images: Sequence[Image.Image] = (),
) -> EngineRequest:
    """The engine request of an action (create, anime, edit), built one way. The seed
    and count are the request's alone: a prompt's ``seed:`` and ``count:`` lines have
    been read into them, so the spec it carries no longer holds them."""
    return EngineRequest(
        task,
        spec=spec.model_copy(update={"seed": None, "count": 1}),
        size=size,
        n=count,
        seed=seed,
        prompt=verbatim,
        model=model,
        image=image,
        mask=mask,
        references=tuple(references),
        options=dict(options or {}),
        control_images=tuple(control_images),
    )


def _words_in(spec: ArtSpec) -> bool:
    """Whether a prompt says anything: its text or any part."""
    return bool((spec.text or "").strip() or spec.parts())


def _recipe_spec(picture: Image.Image) -> tuple[ArtSpec | None, str | None, int | None]:
    """The spec, engine and seed an image's embedded Sakuga recipe names, when it has a
    valid one (an image from elsewhere may carry anything: an invalid recipe is none)."""
    recipe = read_recipe(picture)
    request = recipe.request if recipe else None
    if not isinstance(request, dict) or not isinstance(request.get("spec"), dict):
        return None, None, None
    try:
        spec = ArtSpec.build(**request["spec"])
    except (SpecError, TypeError):
        return None, None, None
    engine, seed = request.get("engine"), request.get("seed")
    return (
        spec,
        engine if isinstance(engine, str) else None,
        seed if isinstance(seed, int) and 0 <= seed <= MAX_SEED else None,
    )
