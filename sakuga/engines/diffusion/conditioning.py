"""What a diffusers run adds to its checkpoint's pipeline: the task's sibling pipeline
(sharing the weights), LoRA and LyCORIS files, an IP-Adapter shown the photo or a
reference, and the ControlNets' inputs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.diffusion import lycoris
from sakuga.engines.diffusion.adapters import AdapterPair
from sakuga.engines.diffusion.adapters import pair as pair_adapter
from sakuga.engines.diffusion.controls import (
    UNION_MODES,
    Control,
    ControlNetSource,
    control_images,
)
from sakuga.engines.diffusion.loading import check_folder_weights
from sakuga.engines.loras import addnet_hash
from sakuga.engines.weights import weights_kind
from sakuga.errors import ModelError, SpecError


def task_pipeline(base: Any, task: Task, controlnets: Sequence[Any] = ()) -> Any:
    """The pipeline for ``task``, sharing ``base``'s weights; with ``controlnets``,
    its ControlNet sibling (a list of several is multi-ControlNet; a Union model
    takes every kind alone)."""
    import diffusers

    extra: dict[str, Any] = {}
    if controlnets:
        extra["controlnet"] = controlnets[0] if len(controlnets) == 1 else list(controlnets)
        if isinstance(controlnets[0], diffusers.ControlNetUnionModel):
            # diffusers' AutoPipeline.from_pipe knows no Union siblings: named here.
            union = {
                Task.TEXT_TO_IMAGE: diffusers.StableDiffusionXLControlNetUnionPipeline,
                Task.MASKED_EDIT: diffusers.StableDiffusionXLControlNetUnionInpaintPipeline,
            }.get(task, diffusers.StableDiffusionXLControlNetUnionImg2ImgPipeline)
            return union.from_pipe(base, controlnet=controlnets[0])
    if task is Task.TEXT_TO_IMAGE:
        if not extra:
            return base
        return diffusers.AutoPipelineForText2Image.from_pipe(base, **extra)
    if task is Task.MASKED_EDIT:
        return diffusers.AutoPipelineForInpainting.from_pipe(base, **extra)
    return diffusers.AutoPipelineForImage2Image.from_pipe(base, **extra)


def control_inputs(
    request: EngineRequest,
    call: dict[str, Any],
    controls: Sequence[Control],
    sources: Sequence[ControlNetSource],
    size: tuple[int, int],
) -> None:
    """The controls' maps, weights and step ranges, as the pipeline takes them."""
    maps = control_images(controls, request.control_images, request.image, size)
    one = len(controls) == 1
    if any(s.union for s in sources):
        if len({str(s.path) for s in sources}) != 1:
            raise SpecError("a ControlNet-Union model takes every control alone")
        if len({c.weight for c in controls}) != 1:
            raise SpecError("the controls of one Union model share one weight")
        call["control_image"] = maps
        call["control_mode"] = [UNION_MODES[c.kind] for c in controls]
        call["controlnet_conditioning_scale"] = controls[0].weight
        call["control_guidance_start"] = min(c.start for c in controls)
        call["control_guidance_end"] = max(c.end for c in controls)
        return
    key = "image" if request.task is Task.TEXT_TO_IMAGE else "control_image"
    call[key] = maps[0] if one else maps
    weights = [c.weight for c in controls]
    call["controlnet_conditioning_scale"] = weights[0] if one else weights
    call["control_guidance_start"] = controls[0].start if one else [c.start for c in controls]
    call["control_guidance_end"] = controls[0].end if one else [c.end for c in controls]


def apply_loras(
    pipe: Any, loras: Sequence[tuple[str, float]], merged: lycoris.Merged
) -> list[tuple[str, str]]:
    """Load ``loras`` for this run: LoRAs as diffusers adapters, LyCORIS LoHa and
    LoKr files merged into the weights (their originals kept in ``merged``, put
    back after the run, or here when one fails); their hashes."""
    hashes = []
    names, weights = [], []
    try:
        for i, (path_text, weight) in enumerate(loras):
            path = Path(path_text).expanduser()
            if weights_kind(path) != "safetensors":
                raise ModelError(f"{path.name}: LoRA files must be safetensors")
            hashes.append((path.stem, addnet_hash(path)))  # A1111's "Lora hashes"
            if lycoris.is_lycoris(path):
                lycoris.merge(pipe, path, weight, merged)
                continue
            name = f"lora{i}_{''.join(c if c.isalnum() else '_' for c in path.stem)}"
            try:
                # By folder and file name: older diffusers refuse a bare path offline.
                pipe.load_lora_weights(str(path.parent), weight_name=path.name, adapter_name=name)
            except (ValueError, KeyError, RuntimeError, OSError) as exc:
                raise ModelError(
                    f"{path.name}: cannot load this LoRA for this model: {exc}"
                ) from None
            names.append(name)
            weights.append(weight)
    except ModelError:
        # Whichever file failed, the ones before it come out again.
        pipe.unload_lora_weights()
        merged.restore()
        raise
    if names:
        pipe.set_adapters(names, adapter_weights=weights)
    return hashes


def ip_adapter(
    pipe: Any, request: EngineRequest, call: dict[str, Any], apart: Sequence[Image.Image] = ()
) -> tuple[str, AdapterPair] | None:
    """An IP-Adapter image prompt (identity from the photo or the character's
    references), when the creator gave an adapter (a ``.safetensors`` file, or a
    folder of them) with the image encoder it was trained on (`adapters.pair`).
    Plain, Plus and Plus-Face layouts load alike; a Plus-Face adapter (its file
    named so, as released) is shown the face, cropped with the rig, rather than the
    whole picture. ``apart``: several characters' references, each an image prompt of
    its own (their columns are `regions.RegionalAttention`'s). What it was shown and
    the pair loaded, or None for no adapter."""
    folder = request.options.get("ip_adapter")
    if not folder:
        return None
    face = request.references[0] if request.references else request.image
    if face is None:
        raise SpecError("an IP-Adapter needs a photo or a character reference")
    adapter = pair_adapter(str(folder))
    check_folder_weights(adapter.weights.parent)  # pickles refused here too, by content
    check_folder_weights(adapter.encoder)
    try:
        from transformers import CLIPVisionModelWithProjection

        # The encoder the adapter was trained on, loaded here (diffusers would take
        # whatever image_encoder/ sits beside the weights).
        encoder = CLIPVisionModelWithProjection.from_pretrained(
            str(adapter.encoder), use_safetensors=True
        ).to(device=pipe.device, dtype=pipe.unet.dtype)
        pipe.register_modules(image_encoder=encoder)
        pipe.load_ip_adapter(
            str(adapter.weights.parent),
            subfolder="",
            weight_name=adapter.weights.name,
            image_encoder_folder=None,
        )
    except (ValueError, KeyError, RuntimeError, OSError) as exc:
        raise ModelError(f"{adapter.weights.name}: cannot load this IP-Adapter: {exc}") from None
    pipe.set_ip_adapter_scale(float(request.options.get("ip_adapter_scale", 0.6)))
    shown = "the reference" if request.references else "the photo"
    faces = "face" in adapter.weights.name.lower()
    if apart:
        # One adapter, one image prompt per character: [[first, second, ...]].
        shown_each = [(face_crop(x) if faces else None) or x for x in apart]
        call["ip_adapter_image"] = [[x.convert("RGB") for x in shown_each]]
        return ("each character's " + ("face" if faces else "reference")), adapter
    if faces:
        cropped = face_crop(face)
        if cropped is not None:
            face, shown = cropped, "the face"
    call["ip_adapter_image"] = face.convert("RGB")
    return shown, adapter


def face_crop(image: Image.Image) -> Image.Image | None:
    """The largest face in ``image``, square, with room around it (as IP-Adapter
    Plus-Face was trained on), read with the rig; None when it finds none."""
    from sakuga.imaging.rig import read_rig

    rig = read_rig(np.asarray(image.convert("RGB")), pose=False)
    if rig is None or not rig.faces:
        return None
    x0, y0, x1, y1 = max((f.box for f in rig.faces), key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    side = min(max(x1 - x0, y1 - y0) * 1.6, image.width, image.height)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left = min(max(cx - side / 2, 0), image.width - side)
    top = min(max(cy - side / 2, 0), image.height - side)
    return image.crop((round(left), round(top), round(left + side), round(top + side)))
