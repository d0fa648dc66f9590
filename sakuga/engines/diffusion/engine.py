"""The `diffusers` engine: one loaded pipeline per model, device and precision, reused
for every task (see the package's docstring for its options)."""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

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
)
from sakuga.engines.diffusion import embeddings as textual_inversion
from sakuga.engines.diffusion import lycoris
from sakuga.engines.diffusion.conditioning import (
    apply_loras,
    control_inputs,
    ip_adapter,
    task_pipeline,
)
from sakuga.engines.diffusion.controls import (
    ControlNetSource,
    controls_of,
    resolve_controlnet,
)
from sakuga.engines.diffusion.controls import infotext as control_infotext
from sakuga.engines.diffusion.defaults import RunSettings, noise_of, run_settings
from sakuga.engines.diffusion.dialects import write_prompt
from sakuga.engines.diffusion.families import recognise
from sakuga.engines.diffusion.loading import (
    ModelSource,
    file_hash,
    load_pipeline,
    load_vae,
    marker_keys,
    resolve_source,
)
from sakuga.engines.diffusion.passes import (
    detail_pass,
    detail_targets,
    encoders_of,
    hires_pass,
    hires_plan,
)
from sakuga.engines.diffusion.prompts import encode_prompts
from sakuga.engines.diffusion.recipe import photo_options
from sakuga.engines.diffusion.regions import (
    RegionalAttention,
    plan_regions,
    references_apart,
    regional,
    regional_embeddings,
)
from sakuga.engines.diffusion.runtime import (
    as_list,
    choose_device,
    dtype_of,
    generation_size,
    parse_lora,
    prediction_text,
    short_path,
    step_callback,
    takes,
)
from sakuga.engines.diffusion.samplers import (
    DEFAULT_SAMPLER,
    SAMPLERS,
    make_scheduler,
)
from sakuga.engines.loras import lora_tags, resolve_lora
from sakuga.errors import ModelError, SpecError
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
        from sakuga.engines.models import checkpoint_names

        return checkpoint_names()  # LoRAs are chosen with --lora, not as the model

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
        dtype = dtype_of(options.get("dtype"), default_dtype)
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
        pipe = task_pipeline(base, request.task, [net for _, net in nets])
        pipe.set_progress_bar_config(disable=True)
        pipe.scheduler = make_scheduler(run.sampler, loaded.scheduler_config, noise)
        rescale = self._guidance_rescale(pipe, run, options)

        native = base.unet.config.sample_size * base.vae_scale_factor
        # Text → image is drawn on the family's nearest training bucket; an image task
        # keeps its input's aspect (its mask and pixels must line up).
        buckets = family.buckets if request.task is Task.TEXT_TO_IMAGE else ()
        width, height = generation_size(request.output_size, native, buckets)
        asked = [parse_lora(x) if isinstance(x, str) else (str(x[0]), float(x[1]))
                 for x in options.get("loras", ())]  # fmt: skip
        adapter, paired, shown = False, None, None
        prompt, negative = write_prompt(
            request.spec, request.text, request.spec.negative is not None, family
        )
        steps, cfg, clip_skip = run.steps, run.cfg, run.clip_skip
        inversions = textual_inversion.wanted(
            (prompt, negative), as_list(options.get("embeddings")), arch
        )
        # A1111's <lora:NAME:W> tags: applied, and out of the text the encoder reads (the
        # recorded prompt keeps them, as A1111 writes it).
        untagged, tagged = lora_tags(prompt)
        loras = [(str(resolve_lora(name)), weight) for name, weight in [*asked, *tagged]]
        encoded = (
            textual_inversion.strip_prefix(untagged),
            textual_inversion.strip_prefix(negative),
        )
        # Two or three characters: each conditions only their own column (#34), and with
        # an IP-Adapter each one's reference too; a reference of no one in the prompt
        # turns regions off, and the recipe says so.
        regions = plan_regions(request, family)
        apart = references_apart(request, regions) if regions and "ip_adapter" in options else None
        regions_off = regions is not None and "ip_adapter" in options and apart is None
        regions = None if regions_off else regions
        merged = lycoris.Merged()
        lora_hashes = apply_loras(base, loras, merged)
        try:
            # Inside the try: a failure here still unloads the LoRAs above.
            textual_inversion.load(base, inversions)
            if regions is not None:
                embeds, spans = regional_embeddings(base, regions, encoded[1], clip_skip)
                layers = [m for m in (pipe.unet, getattr(pipe, "controlnet", None)) if m]
                columns = apart.columns if apart else ()
                focus: Any = regional(
                    layers,
                    RegionalAttention(spans, regions.boxes(), width / height, ip_columns=columns),
                )
            else:
                embeds, focus = encode_prompts(base, *encoded, clip_skip), nullcontext()
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
                control_inputs(request, call, controls, [s for s, _ in nets], (width, height))
            paired = ip_adapter(pipe, request, call, apart.images if apart else ())
            adapter = paired is not None
            shown = paired[0] if paired else None
            call["callback_on_step_end"] = step_callback(request, progress, arch, steps)
            call["callback_on_step_end_tensor_inputs"] = ["latents"]
            with focus:
                with torch.inference_mode():
                    images = pipe(**call).images
                hires = hires_plan(request, steps, (width, height))
                if hires is not None:
                    passes = (base, encoders_of(pipe), pipe.scheduler)
                    images = hires_pass(passes, request, call, images, hires, progress, arch)
            targets = detail_targets(request, arch, family.tags)
            if targets:
                texts = (*encoded, clip_skip)
                passes = (base, encoders_of(pipe), pipe.scheduler)
                images, detailed = detail_pass(
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
            "Prediction": prediction_text(run) if run.noise.prediction != "epsilon" else None,
            "Model family": family.name if family.card else None,
            "Family defaults": ", ".join(run.from_family) or None,
            "Denoising strength": strength,
            "Lora hashes": ", ".join(f"{n}: {h}" for n, h in lora_hashes) or None,
            "TI hashes": ", ".join(f"{e.name}: {file_hash(e.path, 12)}" for e in inversions)
            or None,
            "IP-Adapter": Path(str(request.options["ip_adapter"])).name if adapter else None,
            "IP-Adapter image": shown,
            "IP-Adapter weights": paired[1].weights.name if paired else None,
            "IP-Adapter encoder": short_path(paired[1].encoder) if paired else None,
            **control_infotext(controls, [source for source, _ in nets]),
            **(hires.infotext() if hires is not None else {}),
            **(detailed if targets else {}),
            "VAE": self._vae[2].stem if self._vae else None,
            "VAE hash": file_hash(self._vae[2]) if self._vae and self._vae[2].is_file() else None,
            "Generation size": f"{width}x{height}",
            "Architecture": "SDXL" if arch == "sdxl" else "SD",
            "Device": loaded.device,
            **(regions.infotext() if regions is not None else {}),
            "IP-Adapter regions": apart.infotext(regions) if apart and regions else None,
            "Regional prompting": "off: a reference is no character's in the prompt"
            if regions_off
            else None,
        }
        return EngineResult(
            images=list(images),
            engine=self.name,
            model=loaded.source.name,
            params={k: v for k, v in params.items() if v is not None},
            prompt=regions.written() if regions is not None else prompt,
            negative=negative,
            dialect=f"tags: {family.name}" if family.tags else "natural",
        )

    @staticmethod
    def _guidance_rescale(pipe: Any, run: RunSettings, options: Mapping[str, Any]) -> float:
        """The guidance rescale this run's pipeline applies: the run's, where the
        pipeline takes one. Some of diffusers' pipelines (SD 1.x img2img and inpaint,
        the ControlNet ones but SDXL inpaint) have no ``guidance_rescale``: asked for
        there, it is an error; a family's default is skipped and the recipe says so."""
        if not run.guidance_rescale or takes(pipe, "guidance_rescale"):
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
