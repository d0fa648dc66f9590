"""The `diffusers` engine: local Stable Diffusion 1.x and SDXL anime checkpoints.

One loaded pipeline per model, device and precision, reused for every task:
text → image with the base pipeline; photo → anime and variations with its
img2img sibling; masked edits with its inpainting sibling (``from_pipe`` shares the
weights). The protocol pastes the original back outside the mask afterwards, as
for every engine.

Options (``EngineRequest.options``; CLI flags of the same names): ``steps``,
``cfg``, ``sampler`` (A1111 names), ``clip_skip`` (A1111 numbering), ``loras``
(list of ``[path, weight]``), ``strength`` (img2img), ``device``
(cuda/mps/cpu), ``dtype``, ``config`` (config folder for single files),
``attention_slicing``, ``vae_tiling``, ``cpu_offload``, ``ip_adapter``
(a folder with IP-Adapter weights, for identity from the photo or references).
"""

from __future__ import annotations

import inspect
import math
import threading
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image

from sakuga.engines.base import (
    IMAGE_TASKS,
    Availability,
    Engine,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    Setting,
    Task,
    wants_previews,
)
from sakuga.engines.diffusion import embeddings as textual_inversion
from sakuga.engines.diffusion import lycoris
from sakuga.engines.diffusion.adapters import AdapterPair
from sakuga.engines.diffusion.adapters import pair as pair_adapter
from sakuga.engines.diffusion.controls import (
    UNION_MODES,
    Control,
    ControlNetSource,
    control_images,
    controls_of,
    resolve_controlnet,
)
from sakuga.engines.diffusion.controls import infotext as control_infotext
from sakuga.engines.diffusion.defaults import RunSettings, noise_of, run_settings
from sakuga.engines.diffusion.detailer import (
    DETAIL_STRENGTH,
    TARGET_PROMPTS,
    feather,
    find_boxes,
    targets_of,
)
from sakuga.engines.diffusion.dialects import write_prompt
from sakuga.engines.diffusion.families import nearest_bucket, recognise
from sakuga.engines.diffusion.loading import (
    ModelSource,
    check_folder_weights,
    file_hash,
    load_pipeline,
    load_vae,
    marker_keys,
    resolve_source,
)
from sakuga.engines.diffusion.prompts import encode_prompts
from sakuga.engines.diffusion.recipe import photo_options
from sakuga.engines.diffusion.samplers import (
    DEFAULT_SAMPLER,
    SAMPLERS,
    make_scheduler,
)
from sakuga.engines.weights import weights_kind
from sakuga.errors import EngineError, ModelError, SpecError
from sakuga.install import install_hint, installed
from sakuga.settings import settings

#: How far photo → anime may move from the photo, per style (img2img strength).
STYLE_STRENGTH: Final = {
    "cute": 0.55,
    "cinematic": 0.45,
    "webtoon": 0.55,
    "fantasy": 0.6,
    "cyberpunk": 0.55,
}
#: Options that apply to text → image alone.
_TEXT: Final = frozenset({Task.TEXT_TO_IMAGE})
DEFAULT_STRENGTH: Final = 0.5
VARIATION_STRENGTH: Final = 0.35

#: Fixed latent → RGB projections (4 latent channels → RGB, plus an offset): a preview
#: per step costs one small matrix product instead of a VAE decode.
LATENT_RGB: Final = {
    "sd": (
        (
            (0.298, 0.207, 0.208),
            (0.187, 0.286, 0.173),
            (-0.158, 0.189, 0.264),
            (-0.184, -0.271, -0.473),
        ),
        (0.0, 0.0, 0.0),
    ),
    "sdxl": (
        (
            (0.3651, 0.4232, 0.4341),
            (-0.2533, -0.0042, 0.1068),
            (0.1076, 0.1111, -0.0362),
            (-0.3165, -0.2492, -0.2188),
        ),
        (0.1084, -0.0175, -0.0011),
    ),
}


def latent_preview(latents: Any, arch: str) -> Image.Image:
    """The first latent of a batch as a small RGB picture (a fixed linear projection)."""
    matrix, offset = LATENT_RGB[arch]
    lat = latents[0].float().cpu().numpy()  # (4, h, w)
    rgb = np.einsum("chw,cr->hwr", lat, np.array(matrix, np.float32)) + np.array(offset)
    return Image.fromarray(np.clip((rgb + 1) * 127.5, 0, 255).astype(np.uint8), "RGB")


def choose_device(asked: str | None) -> tuple[str, Any]:
    """The device and precision: CUDA in bf16 on cards that compute it natively (Ampere,
    compute capability 8, and later), fp16 on older ones (RTX 20-series and GTX, where
    torch only emulates bf16, slowly; the SDXL VAE's fp32 upcast covers fp16), Apple
    MPS in fp16, else the CPU in fp32. ``asked`` overrides the device."""
    import torch

    device = (asked or settings().device or "").lower() or None
    if device is None:
        if torch.cuda.is_available():
            device = "cuda"
        elif getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            device = "mps"
        else:
            device = "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise EngineError("--device cuda asked for, but torch sees no CUDA GPU")
        index = torch.device(device).index
        major, _ = torch.cuda.get_device_capability(index if index is not None else 0)
        dtype = torch.bfloat16 if major >= 8 else torch.float16
    elif device == "mps":
        dtype = torch.float16
    elif device == "cpu":
        dtype = torch.float32
    else:
        raise SpecError(f"device must be cuda, mps or cpu, got {asked!r}")
    return device, dtype


def _dtype(name: str | None, default: Any) -> Any:
    import torch

    if not name:
        return default
    table = {
        "fp16": torch.float16,
        "float16": torch.float16,
        "bf16": torch.bfloat16,
        "bfloat16": torch.bfloat16,
        "fp32": torch.float32,
        "float32": torch.float32,
    }
    if name.lower() not in table:
        raise SpecError(f"dtype must be fp16, bf16 or fp32, got {name!r}")
    return table[name.lower()]


def parse_lora(text: str) -> tuple[str, float]:
    """``FILE[:WEIGHT]`` → (file, weight); the weight defaults to 1.0."""
    path, sep, weight = text.rpartition(":")
    if sep and path and not weight.startswith(("\\", "/")):
        try:
            return path, float(weight)
        except ValueError:
            pass
    return text, 1.0


@dataclass
class _Loaded:
    pipe: Any
    source: ModelSource
    device: str
    hash: str
    #: The scheduler config as loaded: every run builds its sampler from this, never
    #: from the scheduler the previous run left on the pipeline.
    scheduler_config: dict[str, Any]
    keys: frozenset[str]  # the single file's marker keys (v_pred, ztsnr)
    vae: Any = None  # the checkpoint's own VAE, put back when a run names none


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


def _encoders(pipe: Any) -> dict[str, Any]:
    """The IP-Adapter image encoder ``pipe`` loaded, for a sibling of the base pipeline
    (the hires and detail passes: no ControlNet, they redraw from the picture) to share:
    the adapter's attention is in the shared UNet and needs its image embeddings."""
    encoder = getattr(pipe, "image_encoder", None)
    if encoder is None:
        return {}
    return {"image_encoder": encoder, "feature_extractor": pipe.feature_extractor}


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


def _as_list(value: Any) -> list[str]:
    """An option given as one text or a list of them."""
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _takes(pipe: Any, argument: str) -> bool:
    """Whether ``pipe``'s call takes ``argument``."""
    return argument in inspect.signature(pipe.__call__).parameters


def _short_path(folder: Path) -> str:
    """The last two parts of a folder (``models/image_encoder``): which one, not where."""
    return "/".join(folder.parts[-2:])


def _prediction_text(run: RunSettings) -> str:
    zero = ", zero terminal SNR" if run.noise.zero_snr else ""
    return f"{run.noise.prediction}{zero} (from {run.noise.found})"


def _generation_size(
    want: tuple[int, int], native: int, buckets: tuple[tuple[int, int], ...] = ()
) -> tuple[int, int]:
    """The size to generate at: the nearest of the model's training ``buckets`` (SDXL
    families), else the model's native area at ``want``'s aspect, in multiples of 8
    (the VAE's factor); the protocol crops and resizes to ``want`` after."""
    if buckets:
        return nearest_bucket(want, buckets, native)
    aspect = want[0] / want[1]
    area = native * native
    width = max(8, round((area * aspect) ** 0.5 / 8) * 8)
    height = max(8, round((area / aspect) ** 0.5 / 8) * 8)
    return width, height


class DiffusersEngine(Engine):
    name = "diffusers"
    title = "Stable Diffusion / SDXL checkpoints (diffusers, local)"
    tasks = frozenset({Task.TEXT_TO_IMAGE, Task.PHOTO_TO_ANIME, Task.MASKED_EDIT, Task.VARIATION})
    references = True
    priority = 15  # a configured local checkpoint comes before the offline engines
    edit_follows_prompt = True
    options = frozenset(
        {
            "attention_slicing", "cfg", "clip_skip", "config", "cpu_offload", "device",
            "dtype", "ip_adapter", "ip_adapter_scale", "loras", "prompt_style", "sampler",
            "steps", "vae_tiling", "controls", "hires", "hires_strength", "hires_steps",
            "detail", "detail_strength", "guidance_rescale", "prediction", "zero_snr", "vae",
            "embeddings",
        }
    )  # fmt: skip
    option_fields = (
        Setting("steps", "int", "Steps", "denoising steps (the family's, else 25)", 1, 150, 1),
        Setting("cfg", "float", "CFG", "how closely to follow the prompt", 0, 30, 0.5),
        Setting(
            "sampler",
            "choice",
            "Sampler",
            f"by its A1111 name (default: the model family's, else {DEFAULT_SAMPLER})",
            choices=tuple(s.name for s in SAMPLERS.values()),
        ),
        Setting(
            "clip_skip",
            "int",
            "Clip skip",
            "A1111's count: 2 for SD 1.5 anime and Pony (default: the model family's)",
            1,
            12,
            1,
        ),
        Setting(
            "guidance_rescale",
            "float",
            "Guidance rescale",
            "CFG rescale for v-prediction models (0.7 for zero terminal SNR)",
            0,
            1,
            0.05,
        ),
        Setting(
            "prediction",
            "choice",
            "Prediction",
            "what the checkpoint predicts (default: read from the file or folder)",
            choices=("epsilon", "v_prediction"),
        ),
        Setting(
            "vae", "text", "VAE", "an external VAE from the model folder (default: the model's)"
        ),
        Setting(
            "strength",
            "float",
            "Strength",
            "how far an image-to-image result may move from its input",
            0,
            1,
            0.05,
            tasks=IMAGE_TASKS,
        ),
        Setting(
            "loras",
            "list",
            "LoRA",
            "FILE[:WEIGHT] from the model folder (comma-separated; on the command line, "
            "--lora once for each)",
            flag="lora",
        ),
        Setting(
            "embeddings",
            "list",
            "Embeddings",
            "textual-inversion embeddings, FILE or NAME (those in the model folder that the "
            "prompt names, or embedding:NAME, load by themselves)",
            flag="embedding",
        ),
        Setting(
            "hires",
            "float",
            "Hires fix",
            "upscale by this and draw again (text → image; --for cover: 2)",
            1,
            4,
            0.25,
            tasks=_TEXT,
        ),
        Setting(
            "hires_strength",
            "float",
            "Hires strength",
            "denoise of the second pass (0.4)",
            0,
            1,
            0.05,
            tasks=_TEXT,
        ),
        Setting(
            "hires_steps",
            "int",
            "Hires steps",
            "steps of the second pass (as steps)",
            1,
            150,
            1,
            tasks=_TEXT,
        ),
        Setting(
            "detail",
            "choice",
            "Detailer",
            "redraw faces (and hands) at full size",
            choices=("none", "face", "face,hands"),
        ),
        Setting("detail_strength", "float", "Detail strength", "its denoise (0.4)", 0.01, 1, 0.05),
        Setting(
            "prompt_style",
            "choice",
            "Prompt style",
            "how the prompt is written for the model (default: from its family, else natural)",
            choices=("tags", "natural"),
        ),
        Setting(
            "ip_adapter",
            "text",
            "IP-Adapter",
            "a folder (.safetensors + image_encoder/) that keeps a reference's identity",
        ),
        Setting("device", "text", "Device", "cuda (or cuda:N), mps or cpu (default: the best)"),
    )

    def models(self) -> list[str]:
        from sakuga.engines.models import served_names

        return served_names()

    def describe(self) -> dict[str, Any]:
        """As every engine's, with the ControlNets in the model folder (the page offers
        them beside the engine's options)."""
        from sakuga.engines.diffusion.controls import list_controlnets

        return {**super().describe(), "controlnets": list_controlnets()}

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, str, str], _Loaded] = {}
        self._controlnets: dict[tuple[str, str], Any] = {}
        self._vae: tuple[tuple[str, str], Any, Path] | None = None  # (key, VAE, its file)
        # One run at a time per instance: the loaded pipeline, its scheduler, LoRAs and
        # adapters are shared state (a server's job queue keeps one instance).
        self._lock = threading.Lock()

    def availability(self, request: EngineRequest | None = None) -> Availability:
        if not installed("diffusers", "torch"):
            return Availability.no(
                f"diffusers and torch are missing: {install_hint('diffusers', 'torch')}"
            )
        if not (request and request.model) and not settings().diffusers_model:
            return Availability.no(
                "pass --model (a .safetensors file, a diffusers folder or a repo id) "
                "or set SAKUGA_DIFFUSERS_MODEL",
                needs_model=True,
            )
        return Availability.yes()

    def check_model(self, model: str) -> None:
        resolve_source(model)

    # --- loading -----------------------------------------------------------------------

    def load(self, model: str, options: Mapping[str, Any]) -> _Loaded:
        """The pipeline for ``model`` on the device the options ask for (cached)."""
        device, default_dtype = choose_device(options.get("device"))
        dtype = _dtype(options.get("dtype"), default_dtype)
        key = (model, device, str(dtype))
        if key not in self._loaded:
            from diffusers.utils import logging as diffusers_logging
            from transformers.utils import logging as transformers_logging

            # Progress is Sakuga's to show; the libraries' own bars and notices are noise here.
            diffusers_logging.set_verbosity_error()
            diffusers_logging.disable_progress_bar()
            transformers_logging.set_verbosity_error()
            transformers_logging.disable_progress_bar()
            source = resolve_source(model)
            with warnings.catch_warnings():
                # diffusers ≥ 0.36 renames torch_dtype to dtype; Sakuga supports ≥ 0.30.
                warnings.filterwarnings("ignore", message=".*torch_dtype.*", category=FutureWarning)
                pipe = load_pipeline(source, dtype, options.get("config"))
            pipe.set_progress_bar_config(disable=True)
            if options.get("cpu_offload") and device.startswith("cuda"):
                pipe.enable_model_cpu_offload()
            else:
                pipe.to(device)
            if device.startswith("cuda"):
                # Channels-last convolutions are faster on tensor cores; SDPA is diffusers'
                # default attention in torch 2.
                pipe.unet.to(memory_format=__import__("torch").channels_last)
            self._loaded.clear()  # one model in memory at a time
            self._loaded[key] = _Loaded(
                pipe,
                source,
                device,
                source.short_hash(),
                dict(pipe.scheduler.config),
                marker_keys(source),
                pipe.vae,
            )
        loaded = self._loaded[key]
        pipe = loaded.pipe
        # Per request: what one run turned on must not stay on for the next.
        self._use_vae(loaded, options.get("vae"))
        if options.get("attention_slicing"):
            pipe.enable_attention_slicing()
        else:
            pipe.disable_attention_slicing()
        if options.get("vae_tiling"):
            pipe.vae.enable_tiling()
        else:
            pipe.vae.disable_tiling()
        return loaded

    def _use_vae(self, loaded: _Loaded, name: str | None) -> None:
        """The VAE a run names (``vae``; loaded once, kept while it is asked for), or
        the checkpoint's own."""
        pipe = loaded.pipe
        if not name:
            if pipe.vae is not loaded.vae:
                pipe.register_modules(vae=loaded.vae)
            self._vae = None
            return
        key = (str(name), f"{loaded.source.location}@{loaded.device}")
        if self._vae is None or self._vae[0] != key:
            vae, path = load_vae(str(name), loaded.vae)
            vae.to(loaded.device)
            self._vae = (key, vae, path)
        pipe.register_modules(vae=self._vae[1])

    # --- running -----------------------------------------------------------------------

    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        with self._lock:
            return self._generate_now(request, progress)

    def _generate_now(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        import torch

        # Photo → anime runs the photo recipe's stages, unless the request sets its own.
        request = replace(request, options=photo_options(request))
        options = request.options
        model = request.model or settings().diffusers_model or ""
        progress(Progress(0, 1, f"loading {Path(model).name or model}"))
        loaded = self.load(model, options)
        arch = loaded.source.arch
        base = loaded.pipe
        family = recognise(model, arch, options.get("prompt_style"), loaded.keys)
        noise = noise_of(options, loaded.scheduler_config, loaded.keys, family)
        run = run_settings(options, family, arch, noise)
        controls = controls_of(options, len(request.control_images))
        nets = [self._controlnet(c.model, loaded, arch) for c in controls]
        pipe = self._task_pipeline(base, request.task, [net for _, net in nets])
        pipe.set_progress_bar_config(disable=True)
        pipe.scheduler = make_scheduler(run.sampler, loaded.scheduler_config, noise)
        rescale = self._guidance_rescale(pipe, run, options)

        native = base.unet.config.sample_size * base.vae_scale_factor
        # Text → image is drawn on the family's nearest training bucket; an image task
        # keeps its input's aspect (its mask and pixels must line up).
        buckets = family.buckets if request.task is Task.TEXT_TO_IMAGE else ()
        width, height = _generation_size(request.output_size, native, buckets)
        loras = [parse_lora(x) if isinstance(x, str) else (str(x[0]), float(x[1]))
                 for x in options.get("loras", ())]  # fmt: skip
        adapter, paired, shown = False, None, None
        prompt, negative = write_prompt(
            request.spec, request.text, request.spec.negative is not None, family
        )
        steps, cfg, clip_skip = run.steps, run.cfg, run.clip_skip
        inversions = textual_inversion.wanted(
            (prompt, negative), _as_list(options.get("embeddings")), arch
        )
        encoded = (textual_inversion.strip_prefix(prompt), textual_inversion.strip_prefix(negative))
        merged = lycoris.Merged()
        lora_hashes = self._apply_loras(base, loras, merged)
        try:
            # Inside the try: a failure here still unloads the LoRAs above.
            textual_inversion.load(base, inversions)
            embeds = encode_prompts(base, *encoded, clip_skip)
            call: dict[str, Any] = {
                "prompt_embeds": embeds.prompt,
                "negative_prompt_embeds": embeds.negative,
                "num_inference_steps": steps,
                "guidance_scale": cfg,
                "num_images_per_prompt": request.n,
                # One generator per image: seed s gives its picture at any batch position (to
                # float rounding: batched maths differs in the last bits).
                "generator": [
                    torch.Generator(loaded.device if loaded.device != "mps" else "cpu").manual_seed(
                        s
                    )
                    for s in request.seeds()
                ],
                "output_type": "pil",
            }
            if rescale:
                call["guidance_rescale"] = rescale
            if embeds.pooled is not None:
                call["pooled_prompt_embeds"] = embeds.pooled
                call["negative_pooled_prompt_embeds"] = embeds.negative_pooled
            strength = self._inputs(request, call, (width, height))
            if controls:
                self._control_inputs(request, call, controls, [s for s, _ in nets], (width, height))
            paired = self._ip_adapter(pipe, request, call)
            adapter = paired is not None
            shown = paired[0] if paired else None
            call["callback_on_step_end"] = self._step_callback(request, progress, arch, steps)
            call["callback_on_step_end_tensor_inputs"] = ["latents"]
            with torch.inference_mode():
                images = pipe(**call).images
            hires = hires_plan(request, steps, (width, height))
            if hires is not None:
                passes = (base, _encoders(pipe), pipe.scheduler)
                images = self._hires_pass(passes, request, call, images, hires, progress, arch)
            targets = detail_targets(request, arch, family.tags)
            if targets:
                texts = (*encoded, clip_skip)
                passes = (base, _encoders(pipe), pipe.scheduler)
                images, detailed = self._detail(
                    passes, request, call, images, targets, texts, native, steps, progress, arch
                )
        finally:
            if inversions:
                textual_inversion.unload(base)
            if loras:
                base.unload_lora_weights()
                merged.restore()  # LoHa / LoKr updates out of the weights again
            if adapter:
                pipe.unload_ip_adapter()  # the shared UNet gets its plain attention back
        progress(Progress(request.n, request.n, "done"))
        params: dict[str, Any] = {
            "Steps": steps,
            "Sampler": run.sampler.name,
            "CFG scale": cfg,
            # A1111's "Model hash" is a single checkpoint file's; a diffusers folder or
            # repo has none that any tool could match (its UNet's hash is not it), so
            # that hash is recorded under its own name and Model names the folder/repo.
            "Model hash": loaded.hash if loaded.source.kind == "file" else None,
            "UNet hash": loaded.hash if loaded.source.kind != "file" else None,
            "Clip skip": clip_skip if clip_skip > 1 else None,
            "Guidance rescale": rescale or None,
            "Guidance rescale skipped": self._rescale_skipped(pipe, run, rescale),
            "Prediction": _prediction_text(run) if run.noise.prediction != "epsilon" else None,
            "Model family": family.name if family.card else None,
            "Family defaults": ", ".join(run.from_family) or None,
            "Denoising strength": strength,
            "Lora hashes": ", ".join(f"{n}: {h}" for n, h in lora_hashes) or None,
            "TI hashes": ", ".join(f"{e.name}: {file_hash(e.path, 12)}" for e in inversions)
            or None,
            "IP-Adapter": Path(str(request.options["ip_adapter"])).name if adapter else None,
            "IP-Adapter image": shown,
            "IP-Adapter weights": paired[1].weights.name if paired else None,
            "IP-Adapter encoder": _short_path(paired[1].encoder) if paired else None,
            **control_infotext(controls, [source for source, _ in nets]),
            **(hires.infotext() if hires is not None else {}),
            **(detailed if targets else {}),
            "VAE": self._vae[2].stem if self._vae else None,
            "VAE hash": file_hash(self._vae[2]) if self._vae and self._vae[2].is_file() else None,
            "Generation size": f"{width}x{height}",
            "Architecture": "SDXL" if arch == "sdxl" else "SD",
            "Device": loaded.device,
        }
        return EngineResult(
            images=list(images),
            engine=self.name,
            model=loaded.source.name,
            params={k: v for k, v in params.items() if v is not None},
            prompt=prompt,
            negative=negative,
            dialect=f"tags: {family.name}" if family.tags else "natural",
        )

    @staticmethod
    def _guidance_rescale(pipe: Any, run: RunSettings, options: Mapping[str, Any]) -> float:
        """The guidance rescale this run's pipeline applies: the run's, where the
        pipeline takes one. Some of diffusers' pipelines (SD 1.x img2img and inpaint,
        the ControlNet ones but SDXL inpaint) have no ``guidance_rescale``: asked for
        there, it is an error; a family's default is skipped and the recipe says so."""
        if not run.guidance_rescale or _takes(pipe, "guidance_rescale"):
            return run.guidance_rescale
        if "guidance_rescale" in options:
            raise SpecError(
                f"guidance_rescale is not available with {type(pipe).__name__} "
                "(diffusers' pipeline for this task has no guidance rescale)"
            )
        return 0.0

    @staticmethod
    def _rescale_skipped(pipe: Any, run: RunSettings, rescale: float) -> str | None:
        if run.guidance_rescale and not rescale:
            return f"{run.guidance_rescale:g} (not available with {type(pipe).__name__})"
        return None

    def _task_pipeline(self, base: Any, task: Task, controlnets: Sequence[Any] = ()) -> Any:
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

    def _controlnet(self, model: str, loaded: _Loaded, arch: str) -> tuple[ControlNetSource, Any]:
        """A ControlNet model, loaded once on the checkpoint's device and precision."""
        import diffusers

        source = resolve_controlnet(model)
        key = (str(source.path), loaded.device)
        if key not in self._controlnets:
            kind = diffusers.ControlNetUnionModel if source.union else diffusers.ControlNetModel
            try:
                net = kind.from_pretrained(
                    str(source.path), torch_dtype=loaded.pipe.unet.dtype, use_safetensors=True
                )
            except (ValueError, KeyError, RuntimeError, OSError) as exc:
                raise ModelError(f"{source.name}: cannot load this ControlNet: {exc}") from None
            cross = net.config.get("cross_attention_dim")
            if cross != loaded.pipe.unet.config.cross_attention_dim:
                raise ModelError(
                    f"{source.name}: a ControlNet for another architecture than this "
                    f"{'SDXL' if arch == 'sdxl' else 'SD'} checkpoint"
                )
            self._controlnets.clear()  # the ControlNets of one checkpoint at a time
            self._controlnets[key] = net.to(loaded.device)
        return source, self._controlnets[key]

    def _control_inputs(
        self,
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

    def _inputs(
        self, request: EngineRequest, call: dict[str, Any], size: tuple[int, int]
    ) -> float | None:
        """Add the task's input image (and mask) to ``call``; the strength used, if any."""
        width, height = size
        if request.task is Task.TEXT_TO_IMAGE:
            call.update(width=width, height=height)
            return None
        assert request.image is not None
        image = request.image.convert("RGB")
        if request.task is Task.MASKED_EDIT:
            assert request.mask is not None
            call.update(
                image=image.resize((width, height), Image.Resampling.LANCZOS),
                mask_image=request.mask.convert("L").resize((width, height)),
                width=width,
                height=height,
            )
            strength = float(request.options.get("strength", 1.0))
        else:
            call["image"] = image.resize((width, height), Image.Resampling.LANCZOS)
            if request.task is Task.PHOTO_TO_ANIME:
                fallback = STYLE_STRENGTH.get(request.spec.preset_name or "", DEFAULT_STRENGTH)
            else:
                fallback = VARIATION_STRENGTH
            strength = float(request.options.get("strength", fallback))
        if not 0.0 < strength <= 1.0:
            raise SpecError(f"strength must be above 0 and at most 1, got {strength:g}")
        call["strength"] = strength
        # diffusers runs only strength × steps of the schedule; ask for more so the
        # creator's --steps is the number of denoising steps that actually run.
        call["num_inference_steps"] = math.ceil(call["num_inference_steps"] / strength)
        return strength

    def _apply_loras(
        self, pipe: Any, loras: Sequence[tuple[str, float]], merged: lycoris.Merged
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
                hashes.append((path.stem, file_hash(path)))
                if lycoris.is_lycoris(path):
                    lycoris.merge(pipe, path, weight, merged)
                    continue
                name = f"lora{i}_{''.join(c if c.isalnum() else '_' for c in path.stem)}"
                try:
                    # By folder and file name: older diffusers refuse a bare path offline.
                    pipe.load_lora_weights(
                        str(path.parent), weight_name=path.name, adapter_name=name
                    )
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

    def _ip_adapter(
        self, pipe: Any, request: EngineRequest, call: dict[str, Any]
    ) -> tuple[str, AdapterPair] | None:
        """An IP-Adapter image prompt (identity from the photo or the character's
        references), when the creator gave an adapter (a ``.safetensors`` file, or a
        folder of them) with the image encoder it was trained on (`adapters.pair`).
        Plain, Plus and Plus-Face layouts load alike; a Plus-Face adapter (its file
        named so, as released) is shown the face, cropped with the rig, rather than the
        whole picture. What it was shown and the pair loaded, or None for no adapter."""
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
            raise ModelError(
                f"{adapter.weights.name}: cannot load this IP-Adapter: {exc}"
            ) from None
        pipe.set_ip_adapter_scale(float(request.options.get("ip_adapter_scale", 0.6)))
        shown = "the reference" if request.references else "the photo"
        if "face" in adapter.weights.name.lower():
            cropped = face_crop(face)
            if cropped is not None:
                face, shown = cropped, "the face"
        call["ip_adapter_image"] = face.convert("RGB")
        return shown, adapter

    def _step_callback(
        self,
        request: EngineRequest,
        progress: ProgressCallback,
        arch: str,
        steps: int,
        label: str = "step",
    ) -> Any:
        previews = wants_previews(progress)

        def on_step_end(
            pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]
        ) -> dict[str, Any]:
            preview = latent_preview(tensors["latents"], arch) if previews else None
            # Raising CancelledError here stops the pipeline between steps.
            progress(Progress(step + 1, pipe.num_timesteps, f"{label} {step + 1}", preview=preview))
            return {}

        return on_step_end

    def _detail(
        self,
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
                    "callback_on_step_end": self._step_callback(
                        request, progress, arch, steps, label=f"detail {box.target}"
                    ),
                    "callback_on_step_end_tensor_inputs": ["latents"],
                }
                if e.pooled is not None:
                    detail_call["pooled_prompt_embeds"] = e.pooled
                    detail_call["negative_pooled_prompt_embeds"] = e.negative_pooled
                if "ip_adapter_image" in call:  # the adapter is loaded: it sees the face too
                    detail_call["ip_adapter_image"] = call["ip_adapter_image"]
                if "guidance_rescale" in call and _takes(inpaint, "guidance_rescale"):
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

    def _hires_pass(
        self,
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
            callback_on_step_end=self._step_callback(
                request, progress, arch, hires.steps, label="hires step"
            ),
            callback_on_step_end_tensor_inputs=["latents"],
        )
        if not _takes(refine, "guidance_rescale"):
            second.pop("guidance_rescale", None)  # SD 1.x img2img has none
        try:
            with torch.inference_mode():
                return list(refine(**second).images)
        finally:
            if not tiled_before:
                base.vae.disable_tiling()  # the next run decodes whole again
