"""The second passes of a diffusers run: A1111's hires fix (the picture drawn again at a
larger size) and the detailer (faces and hands drawn again at the model's native size)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

from PIL import Image

from sakuga.engines.base import EngineRequest, ProgressCallback, Task
from sakuga.engines.diffusion.detailer import (
    DETAIL_STRENGTH,
    TARGET_PROMPTS,
    feather,
    find_boxes,
    targets_of,
)
from sakuga.engines.diffusion.prompts import encode_prompts
from sakuga.engines.diffusion.runtime import step_callback, takes
from sakuga.errors import SpecError


@dataclass(frozen=True)
class Hires:
    """A hires-fix second pass: the first pass's images resized by ``factor`` to ``size``,
    then img2img at ``strength`` for ``steps`` denoising steps."""

    factor: float
    size: tuple[int, int]
    strength: float
    steps: int
    auto: bool = False

    def infotext(self) -> dict[str, Any]:
        """As A1111 records its hires fix (its "Denoising strength" is the second pass's)."""
        return {
            "Hires upscale": self.factor,
            "Hires steps": self.steps,
            "Hires upscaler": "Lanczos",
            "Denoising strength": self.strength,
            "Hires size": f"{self.size[0]}x{self.size[1]}",
            "Hires fix": "auto (cover)" if self.auto else None,
        }


#: A hires pass decodes in tiles above this side (px); the next run decodes whole again.
TILING_ABOVE_PX: Final = 1536
#: Hires fix defaults: A1111's usual second-pass denoise, and the factor a cover gets.
HIRES_STRENGTH: Final = 0.4
COVER_HIRES: Final = 2.0


def hires_plan(request: EngineRequest, steps: int, size: tuple[int, int]) -> Hires | None:
    """The second pass ``request`` asks for (``hires`` and its options), or the one a
    cover gets by default (3000² from a 1024² draw is a 3× stretch otherwise); None for
    none. Text → image only, as in A1111."""
    options = request.options
    asked = options.get("hires")
    auto = asked is None and request.spec.use == "cover" and request.task is Task.TEXT_TO_IMAGE
    if asked is None and not auto:
        if "hires_strength" in options or "hires_steps" in options:
            raise SpecError("hires_strength and hires_steps go with hires (the upscale factor)")
        return None
    if request.task is not Task.TEXT_TO_IMAGE:
        raise SpecError("hires fix is for text → image (an image task starts from its input)")
    factor = COVER_HIRES if asked is None else float(asked)
    if not 1.0 <= factor <= 4.0:
        raise SpecError(f"hires must be an upscale factor from 1 to 4, got {factor:g}")
    strength = float(options.get("hires_strength", HIRES_STRENGTH))
    if not 0.0 < strength <= 1.0:
        raise SpecError(f"hires_strength must be above 0 and at most 1, got {strength:g}")
    hires_steps = int(options.get("hires_steps", steps))
    if not 1 <= hires_steps <= 150:
        raise SpecError(f"hires_steps must be between 1 and 150, got {hires_steps}")
    # Multiples of 8, as the VAE needs.
    width, height = (max(8, round(side * factor / 8) * 8) for side in size)
    return Hires(factor, (width, height), strength, hires_steps, auto)


def encoders_of(pipe: Any) -> dict[str, Any]:
    """The IP-Adapter image encoder ``pipe`` loaded, for a sibling of the base pipeline
    (the hires and detail passes: no ControlNet, they redraw from the picture) to share:
    the adapter's attention is in the shared UNet and needs its image embeddings."""
    encoder = getattr(pipe, "image_encoder", None)
    if encoder is None:
        return {}
    return {"image_encoder": encoder, "feature_extractor": pipe.feature_extractor}


def detail_targets(request: EngineRequest, arch: str, tag_family: bool) -> list[str]:
    """What the detailer redraws: the ``detail`` option, or faces by default for a
    portrait (photo → anime, an avatar) on an anime SDXL model (a tag-prompted family)."""
    if "detail" in request.options:
        if "detail_strength" in request.options and not request.options["detail"]:
            raise SpecError("detail_strength goes with detail (face, or face,hands)")
        return targets_of(request.options["detail"])
    if "detail_strength" in request.options:
        raise SpecError("detail_strength goes with detail (face, or face,hands)")
    portrait = request.task is Task.PHOTO_TO_ANIME or request.spec.use == "avatar"
    return ["face"] if arch == "sdxl" and tag_family and portrait else []


def detail_pass(
    passes: tuple[Any, dict[str, Any], Any],
    request: EngineRequest,
    call: dict[str, Any],
    images: list[Image.Image],
    targets: list[str],
    texts: tuple[str, str, int],
    native: int,
    steps: int,
    progress: ProgressCallback,
    arch: str,
) -> tuple[list[Image.Image], dict[str, Any]]:
    """Each face (and hand) drawn again at the model's native size and blended back
    through a feathered ellipse (`detailer`); the images, and what was done."""
    import diffusers
    import torch

    strength = float(request.options.get("detail_strength", DETAIL_STRENGTH))
    if not 0.0 < strength <= 1.0:
        raise SpecError(f"detail_strength must be above 0 and at most 1, got {strength:g}")
    prompt, negative, clip_skip = texts
    base, encoders, scheduler = passes
    inpaint = diffusers.AutoPipelineForInpainting.from_pipe(base, **encoders)
    inpaint.set_progress_bar_config(disable=True)
    inpaint.scheduler = scheduler  # the creator's sampler
    embeds = {
        t: encode_prompts(base, f"{prompt}, {TARGET_PROMPTS[t]}", negative, clip_skip)
        for t in targets
    }
    device = call["generator"][0].device
    done, count, sources = [], 0, set()
    for image, seed in zip(images, request.seeds(), strict=True):
        boxes, where = find_boxes(image, request.image, targets)
        sources.add(where)
        picture = image.convert("RGB")
        for box in boxes:
            crop = box.padded(picture.size)
            side = crop[2] - crop[0]
            if side < 8:
                continue
            mask = feather(native, box, crop)
            e = embeds[box.target]
            detail_call: dict[str, Any] = {
                "prompt_embeds": e.prompt,
                "negative_prompt_embeds": e.negative,
                "image": picture.crop(crop).resize((native, native), Image.Resampling.LANCZOS),
                "mask_image": mask,
                "width": native,
                "height": native,
                "strength": strength,
                "num_inference_steps": math.ceil(steps / strength),
                "guidance_scale": call["guidance_scale"],
                "generator": torch.Generator(device).manual_seed(seed),
                "output_type": "pil",
                "callback_on_step_end": step_callback(
                    request, progress, arch, steps, label=f"detail {box.target}"
                ),
                "callback_on_step_end_tensor_inputs": ["latents"],
            }
            if e.pooled is not None:
                detail_call["pooled_prompt_embeds"] = e.pooled
                detail_call["negative_pooled_prompt_embeds"] = e.negative_pooled
            if "ip_adapter_image" in call:  # the adapter is loaded: it sees the face too
                detail_call["ip_adapter_image"] = call["ip_adapter_image"]
            if "guidance_rescale" in call and takes(inpaint, "guidance_rescale"):
                detail_call["guidance_rescale"] = call["guidance_rescale"]
            with torch.inference_mode():
                drawn = inpaint(**detail_call).images[0]
            back = drawn.resize((side, side), Image.Resampling.LANCZOS)
            picture.paste(back, crop[:2], mask.resize((side, side), Image.Resampling.BILINEAR))
            count += 1
        done.append(picture)
    return done, {
        "Detailer": ", ".join(targets),
        "Detailer boxes": count,
        "Detailer source": ", ".join(sorted(sources)),
        "Detailer denoise": strength,
    }


def hires_pass(
    passes: tuple[Any, dict[str, Any], Any],
    request: EngineRequest,
    call: dict[str, Any],
    images: list[Image.Image],
    hires: Hires,
    progress: ProgressCallback,
    arch: str,
) -> list[Image.Image]:
    """A1111's hires fix, second pass: each first-pass image resized up by the
    factor, then img2img over it at a low denoise with the same prompt and seed, so
    the detail is drawn at the new size instead of stretched."""
    import diffusers
    import torch

    base, encoders, scheduler = passes
    size = hires.size
    upscaled = [image.resize(size, Image.Resampling.LANCZOS) for image in images]
    tiled_before = bool(getattr(base.vae, "use_tiling", False))
    if max(size) > TILING_ABOVE_PX:
        base.vae.enable_tiling()  # a 2048 px decode would take a GPU's memory at once
    refine = diffusers.AutoPipelineForImage2Image.from_pipe(base, **encoders)
    refine.set_progress_bar_config(disable=True)
    refine.scheduler = scheduler  # the creator's sampler
    kept = (
        "prompt_embeds", "negative_prompt_embeds", "pooled_prompt_embeds",
        "negative_pooled_prompt_embeds", "guidance_scale", "num_images_per_prompt",
        "output_type", "ip_adapter_image", "guidance_rescale",
    )  # fmt: skip
    second = {key: value for key, value in call.items() if key in kept}
    device = call["generator"][0].device
    second.update(
        image=upscaled,
        strength=hires.strength,
        num_inference_steps=math.ceil(hires.steps / hires.strength),
        generator=[torch.Generator(device).manual_seed(s) for s in request.seeds()],
        callback_on_step_end=step_callback(
            request, progress, arch, hires.steps, label="hires step"
        ),
        callback_on_step_end_tensor_inputs=["latents"],
    )
    if not takes(refine, "guidance_rescale"):
        second.pop("guidance_rescale", None)  # SD 1.x img2img has none
    try:
        with torch.inference_mode():
            return list(refine(**second).images)
    finally:
        if not tiled_before:
            base.vae.disable_tiling()  # the next run decodes whole again
