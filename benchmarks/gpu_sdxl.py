"""SDXL on a GPU: the settings people run, what Sakuga adds, and Sakuga end to end.

The baseline is what diffusers' guides, A1111, ComfyUI and Forge run: fp16 weights,
PyTorch's SDPA attention (diffusers' default on torch 2) and the VAE upcast to fp32
for the decode, as diffusers does for SDXL's VAE (``force_upcast``). fp32 with the
classic attention processor is kept as one extra line, never as the baseline.

Every line runs a real diffusers pipeline (random weights of SDXL's full size: speed
does not depend on the values), prompt embeddings given, one image, with Sakuga's
default sampler (DPM++ 2M Karras) and CFG 6. Each line gets one untimed call, then
the best of ``--repeats``; it/s is read between the first and last step's end (the
denoising loop alone), seconds are the whole call (decode and PIL included), peak
is ``torch.cuda.max_memory_allocated`` reset before the line.

Lines: fp32 + classic attention; fp16 + SDPA (the baseline); bf16 + SDPA; Sakuga's
default (the engine's precision + SDPA + channels-last UNet: the headline ratio is
this over the baseline); then what Sakuga can add, each against its default: fused
QKV projections, ``torch.compile`` of the UNet (compile time apart), a ControlNet
beside the UNet, one detailer pass, one hires pass at 1.5×, and a cover-size VAE
decode with and without tiling. Last, end to end: a full-size random SDXL saved with
``save_pretrained``, through ``sakuga create`` (the CLI in this process) against
the same pipeline loaded and called bare.

    python benchmarks/gpu_sdxl.py [--json FILE] [--steps 20] [--repeats 2] [--no-compile]
    python benchmarks/gpu_sdxl.py --tiny   # the same code on tiny models, on the CPU
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import os
import shutil
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Sakuga turns VAE tiling on for hires decodes larger than this (`_hires_pass` in
#: sakuga/engines/diffusion/__init__.py, where it is a literal).
SAKUGA_TILING_ABOVE_PX = 1536
CFG = 6.0  # Sakuga's SDXL default
DENOISE = 0.4  # the detailer's and the hires pass's default strength
PROMPT = "1girl, pink hair, school uniform, smiling, cherry blossoms, upper body"
SAKUGA_DEFAULT = (
    "Sakuga's default on CUDA: bf16 where the card has it, else fp16 (choose_device), "
    "SDPA attention (diffusers' default on torch 2), channels-last UNet (load); "
    "no torch.compile, no fused QKV; VAE tiling only for hires decodes above "
    f"{SAKUGA_TILING_ABOVE_PX} px. Detailer and hires passes run the full --steps "
    "(num_inference_steps = ceil(steps / denoise))."
)

SDXL_UNET: dict[str, Any] = {
    "sample_size": 128,
    "in_channels": 4,
    "out_channels": 4,
    "layers_per_block": 2,
    "block_out_channels": (320, 640, 1280),
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    "up_block_types": ("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    "transformer_layers_per_block": (1, 2, 10),
    "attention_head_dim": (5, 10, 20),
    "cross_attention_dim": 2048,
    "use_linear_projection": True,
    "addition_embed_type": "text_time",
    "addition_time_embed_dim": 256,
    "projection_class_embeddings_input_dim": 2816,
}
SDXL_VAE: dict[str, Any] = {
    "in_channels": 3,
    "out_channels": 3,
    "latent_channels": 4,
    "block_out_channels": (128, 256, 512, 512),
    "down_block_types": ("DownEncoderBlock2D",) * 4,
    "up_block_types": ("UpDecoderBlock2D",) * 4,
    "layers_per_block": 2,
    "sample_size": 1024,
    "scaling_factor": 0.13025,
    "force_upcast": True,  # SDXL's VAE overflows in fp16: diffusers decodes it in fp32
}
#: SDXL's two text encoders: CLIP ViT-L/14 and OpenCLIP ViT-bigG/14 (49408 tokens).
CLIP_L: dict[str, Any] = {
    "hidden_size": 768,
    "intermediate_size": 3072,
    "num_attention_heads": 12,
    "num_hidden_layers": 12,
    "projection_dim": 768,
    "hidden_act": "quick_gelu",
    "vocab_size": 49408,
}
CLIP_G: dict[str, Any] = {
    "hidden_size": 1280,
    "intermediate_size": 5120,
    "num_attention_heads": 20,
    "num_hidden_layers": 32,
    "projection_dim": 1280,
    "hidden_act": "gelu",
    "vocab_size": 49408,
}
TINY_UNET: dict[str, Any] = {
    **SDXL_UNET,
    "sample_size": 8,
    "block_out_channels": (32, 64, 64),
    "transformer_layers_per_block": (1, 1, 1),
    "attention_head_dim": (2, 4, 4),
    "cross_attention_dim": 64,
    "addition_time_embed_dim": 8,
    "projection_class_embeddings_input_dim": 6 * 8 + 32,
    "layers_per_block": 1,
    "norm_num_groups": 8,
}
TINY_VAE: dict[str, Any] = {
    **SDXL_VAE,
    "block_out_channels": (8, 8, 16, 16),
    "norm_num_groups": 4,
    "layers_per_block": 1,
    "sample_size": 64,  # its tile size: the cover decode (128 px) is tiled, as at 2048
}
TINY_TEXT: dict[str, Any] = {
    "hidden_size": 32,
    "intermediate_size": 37,
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "projection_dim": 32,
    "hidden_act": "gelu",
    "vocab_size": 1000,
}


@dataclass(frozen=True)
class Shape:
    """The models and sizes of one run: SDXL's, or tiny ones for ``--tiny``."""

    unet: dict[str, Any]
    vae: dict[str, Any]
    text: tuple[dict[str, Any], dict[str, Any]]
    size: int  # the native size: text → image, the detailer's crop
    hires: int  # 1.5× the native size
    cover: int  # the cover decode: 2× (a 3000² cover's hires pass draws at 2048²)


FULL = Shape(SDXL_UNET, SDXL_VAE, (CLIP_L, CLIP_G), 1024, 1536, 2048)
TINY = Shape(TINY_UNET, TINY_VAE, (TINY_TEXT, TINY_TEXT), 64, 96, 128)


@dataclass
class Line:
    """One row of the table: seconds for one image (or pass), and its it/s and peak."""

    key: str
    label: str
    seconds: float = math.nan
    it_per_s: float | None = None
    steps: int | None = None
    peak_gib: float | None = None
    first_seconds: float | None = None  # the untimed first call (compile, autotune)
    versus: str | None = None  # the line it is compared with
    ratio: float | None = None  # speed over ``versus``: it/s over its it/s, or its s / s
    by_time: bool = False  # compare whole-call seconds even where both have it/s
    note: str = ""


@dataclass
class Report:
    """The table and where it came from, written as JSON after every line."""

    device: str
    config: str
    steps: int
    repeats: int
    sakuga_default: str = SAKUGA_DEFAULT
    lines: list[Line] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)
    complete: bool = False

    def line(self, key: str) -> Line | None:
        return next((line for line in self.lines if line.key == key), None)

    def add(self, line: Line, out: Path | None) -> None:
        """Add ``line``, say so on stderr, and write the JSON so far."""
        self.lines.append(line)
        print(f"done: {line.key} ({line.seconds:.2f} s)", file=sys.stderr, flush=True)
        self.write(out)

    def write(self, out: Path | None) -> None:
        for line in self.lines:
            base = self.line(line.versus) if line.versus else None
            if base is None:
                continue
            if line.it_per_s and base.it_per_s and not line.by_time:
                line.ratio = line.it_per_s / base.it_per_s
            else:
                line.ratio = base.seconds / line.seconds
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(asdict(self), indent=1))

    def table(self) -> str:
        """The lines as one text table."""
        return "\n".join([HEADER, *(_row(line) for line in self.lines)])


# --- measuring --------------------------------------------------------------------------


class StepClock:
    """A ``callback_on_step_end`` that marks each step's end: CUDA events on the GPU
    (no sync inside the loop, so the GPU's queue stays full), wall time on the CPU."""

    def __init__(self, device: str) -> None:
        self.cuda = device.startswith("cuda")
        self.marks: list[Any] = []

    def __call__(self, pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict:
        if self.cuda:
            event = torch.cuda.Event(enable_timing=True)
            event.record()
            self.marks.append(event)
        else:
            self.marks.append(time.perf_counter())
        return {}

    def it_per_s(self) -> float | None:
        """Steps per second between the first and the last step's end."""
        if len(self.marks) < 2:
            return None
        first, last = self.marks[0], self.marks[-1]
        seconds = first.elapsed_time(last) / 1000 if self.cuda else last - first
        return (len(self.marks) - 1) / seconds


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def _reset_peak(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()


def _peak(device: str) -> float | None:
    return torch.cuda.max_memory_allocated() / 2**30 if device.startswith("cuda") else None


def _free(device: str) -> None:
    gc.collect()
    if device.startswith("cuda"):
        torch.cuda.empty_cache()


@dataclass
class Bench:
    """Where lines go (``report``, written to ``out``) and how they are timed."""

    report: Report
    device: str
    repeats: int
    out: Path | None

    def add(self, line: Line) -> Line:
        self.report.add(line, self.out)
        return line

    def time(
        self, line: Line, call: Callable[[StepClock | None], object], steps: bool = True
    ) -> Line:
        """``call`` once untimed, then the best of ``repeats``, into ``line``. ``call``
        is handed a StepClock for the pipeline's step callback (None with ``steps``
        False: nothing to count) and the peak memory is reset after the first call."""
        device = self.device
        _sync(device)
        start = time.perf_counter()
        call(StepClock(device) if steps else None)
        _sync(device)
        line.first_seconds = time.perf_counter() - start
        _reset_peak(device)
        for _ in range(self.repeats):
            clock = StepClock(device) if steps else None
            _sync(device)
            start = time.perf_counter()
            call(clock)
            _sync(device)
            seconds = time.perf_counter() - start
            if not seconds >= line.seconds:  # the first, or a faster one
                line.seconds = seconds
                if clock is not None:
                    line.it_per_s, line.steps = clock.it_per_s(), len(clock.marks)
        line.peak_gib = _peak(device)
        return self.add(line)


# --- models -----------------------------------------------------------------------------


def _scheduler() -> Any:
    from diffusers import EulerDiscreteScheduler

    # SDXL base's scheduler config; Sakuga makes its sampler from this config.
    return EulerDiscreteScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        steps_offset=1,
        timestep_spacing="leading",
    )


def _sampler(config: Any) -> Any:
    from sakuga.engines.diffusion.samplers import get_sampler, make_scheduler

    return make_scheduler(get_sampler(None), config)  # Sakuga's default sampler


def build_models(shape: Shape, device: str) -> tuple[Any, Any]:
    """An SDXL UNet and VAE of random weights, fp32, made on ``device`` (fast there)."""
    from diffusers import AutoencoderKL, UNet2DConditionModel

    torch.manual_seed(0)
    with torch.device(device):
        unet = UNet2DConditionModel(**shape.unet).eval()
        vae = AutoencoderKL(**shape.vae).eval()
    return unet, vae


def base_pipeline(unet: Any, vae: Any) -> Any:
    """SDXL text → image around ``unet`` and ``vae``, without text encoders: every
    line is given the same random prompt embeddings."""
    from diffusers import StableDiffusionXLPipeline

    pipe = StableDiffusionXLPipeline(
        vae=vae,
        text_encoder=None,
        text_encoder_2=None,
        tokenizer=None,
        tokenizer_2=None,
        unet=unet,
        scheduler=_scheduler(),
    )
    pipe.set_progress_bar_config(disable=True)
    pipe.scheduler = _sampler(pipe.scheduler.config)
    return pipe


def embeddings(shape: Shape, device: str, dtype: Any) -> dict[str, Any]:
    """Random prompt and negative embeddings of SDXL's shapes (77 tokens)."""
    g = torch.Generator("cpu").manual_seed(1)
    width = shape.unet["cross_attention_dim"]
    pooled = (
        shape.unet["projection_class_embeddings_input_dim"]
        - 6 * shape.unet["addition_time_embed_dim"]
    )

    def rand(*dims: int) -> Any:
        return torch.randn(dims, generator=g).to(device, dtype)

    return {
        "prompt_embeds": rand(1, 77, width),
        "negative_prompt_embeds": rand(1, 77, width),
        "pooled_prompt_embeds": rand(1, pooled),
        "negative_pooled_prompt_embeds": rand(1, pooled),
    }


def _picture(size: int, seed: int) -> Any:
    from PIL import Image

    g = torch.Generator("cpu").manual_seed(seed)
    pixels = (torch.rand((size, size, 3), generator=g) * 255).to(torch.uint8).numpy()
    return Image.fromarray(pixels, "RGB")


def _face_mask(size: int) -> Any:
    from PIL import Image, ImageDraw

    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).ellipse((size // 5, size // 6, size * 4 // 5, size * 5 // 6), 255)
    return mask


def set_precision(unet: Any, vae: Any, dtype: Any, classic: bool, channels_last: bool) -> None:
    """Weights in ``dtype``; the classic attention processor or SDPA; memory format."""
    from diffusers.models.attention_processor import AttnProcessor, AttnProcessor2_0

    processor = AttnProcessor if classic else AttnProcessor2_0
    for model in (unet, vae):
        model.set_attn_processor(processor())
        model.to(dtype=dtype, memory_format=torch.contiguous_format)
    if channels_last:
        unet.to(memory_format=torch.channels_last)


def unfuse(unet: Any) -> None:
    """Back to separate q, k, v. diffusers' ``unfuse_qkv_projections`` restores the
    processors but keeps the fused weights, which would then be saved with the UNet
    and refused by ``ControlNetModel.from_unet``: they go too."""
    from diffusers.models.attention_processor import Attention

    unet.unfuse_qkv_projections()
    for module in unet.modules():
        if isinstance(module, Attention) and module.fused_projections:
            for name in ("to_qkv", "to_kv"):
                if hasattr(module, name):
                    delattr(module, name)
            module.fused_projections = False


def decode(vae: Any, latents: Any) -> Any:
    """A decode as diffusers' SDXL pipelines do it: an fp16 VAE with ``force_upcast``
    runs in fp32 for the decode and goes back to fp16 after."""
    upcast = vae.dtype == torch.float16 and vae.config.force_upcast
    if upcast:
        vae.to(torch.float32)
    with torch.inference_mode():
        image = vae.decode((latents / vae.config.scaling_factor).to(vae.dtype)).sample
    if upcast:
        vae.to(torch.float16)
    return image


# --- the lines --------------------------------------------------------------------------


def settings_lines(bench: Bench, shape: Shape, args: argparse.Namespace) -> tuple[Any, Any]:
    """Every in-memory line; the UNet and VAE back, contiguous, for the saved pipeline."""
    import diffusers

    device, steps, size = bench.device, args.steps, shape.size
    half = _sakuga_dtype(device)
    unet, vae = build_models(shape, device)

    def text_to_image(pipe: Any, dtype: Any, **more: Any) -> Callable[[StepClock | None], object]:
        embeds = embeddings(shape, device, dtype)

        def call(clock: StepClock | None) -> object:
            return pipe(
                **embeds,
                **more,
                num_inference_steps=steps,
                guidance_scale=CFG,
                width=size,
                height=size,
                generator=torch.Generator(device).manual_seed(0),
                callback_on_step_end=clock,
            ).images

        return call

    # key, label, precision, classic attention, channels-last UNet, note
    precisions = (
        ("fp32_classic", "fp32, classic AttnProcessor", torch.float32, True, False,
         "the old script's 'diffusers defaults'; not what people run"),
        ("fp16_sdpa", "fp16, SDPA, VAE upcast (BASELINE)", torch.float16, False, False,
         "diffusers' guides, A1111, ComfyUI, Forge"),
        ("bf16_sdpa", f"{_name(half)}, SDPA (Sakuga's precision)", half, False, False,
         "a bf16 VAE decodes without upcast" if half == torch.bfloat16 else ""),
        ("sakuga", f"{_name(half)}, SDPA, channels-last UNet (SAKUGA DEFAULT)", half, False,
         True, "the headline ratio"),
    )  # fmt: skip
    for key, label, dtype, classic, channels_last, note in precisions:
        set_precision(unet, vae, dtype, classic, channels_last)
        versus = None if key == "fp16_sdpa" else "fp16_sdpa"
        line = Line(key, label, versus=versus, note=note)
        bench.time(line, text_to_image(base_pipeline(unet, vae), dtype))

    # From here on, Sakuga's default plus one thing at a time.
    pipe = base_pipeline(unet, vae)
    sakuga = text_to_image(pipe, half)
    # One matmul for q, k and v in self-attention (k and v in cross-attention).
    unet.fuse_qkv_projections()
    note = "unet.fuse_qkv_projections(); not on in Sakuga"
    bench.time(Line("fused_qkv", "+ fused QKV projections", versus="sakuga", note=note), sakuga)
    unfuse(unet)
    if args.compile:
        pipe.unet = torch.compile(unet, backend=args.compile_backend)
        label = f"+ torch.compile UNet ({args.compile_backend})"
        line = bench.time(Line("compile", label, versus="sakuga"), sakuga)
        # The first call compiled, and then ran as any call: the difference is the compile.
        assert line.first_seconds is not None
        line.note = f"compile ≈ {line.first_seconds - line.seconds:.1f} s; not on in Sakuga"
        bench.report.write(bench.out)
        pipe.unet = unet
        torch._dynamo.reset()

    # A ControlNet as Sakuga loads one: the checkpoint's precision, contiguous memory.
    with torch.device(device):
        net = diffusers.ControlNetModel.from_unet(unet).eval()
    net.to(dtype=half)
    control = diffusers.AutoPipelineForText2Image.from_pipe(pipe, controlnet=net)
    control.set_progress_bar_config(disable=True)
    line = Line("controlnet", "+ ControlNet beside the UNet", versus="sakuga")
    line.note = "ControlNetModel.from_unet, at every step"
    bench.time(line, text_to_image(control, half, image=_picture(size, 3)))
    del control, net
    _free(device)

    pass_lines(bench, shape, args, pipe, half)
    _free(device)
    decode_lines(bench, shape, vae, half)
    unet.to(memory_format=torch.contiguous_format)  # safetensors saves contiguous tensors
    return unet, vae


def pass_lines(bench: Bench, shape: Shape, args: argparse.Namespace, base: Any, dtype: Any) -> None:
    """One detailer pass and one hires pass, as the engine runs them; each is compared
    with one image by whole-call time (what the pass adds to a picture)."""
    import diffusers

    device, steps = bench.device, args.steps
    embeds = embeddings(shape, device, dtype)
    # Sakuga asks for ceil(steps / denoise) so that ``steps`` denoising steps run.
    common = {
        **embeds,
        "strength": DENOISE,
        "num_inference_steps": math.ceil(steps / DENOISE),
        "guidance_scale": CFG,
    }
    inpaint = diffusers.AutoPipelineForInpainting.from_pipe(base)
    inpaint.set_progress_bar_config(disable=True)
    crop, mask = _picture(shape.size, 4), _face_mask(shape.size)

    def detail(clock: StepClock | None) -> object:
        return inpaint(
            **common,
            image=crop,
            mask_image=mask,
            width=shape.size,
            height=shape.size,
            generator=torch.Generator(device).manual_seed(0),
            callback_on_step_end=clock,
        ).images

    label = f"detailer pass: inpaint {shape.size}² at {DENOISE}"
    note = f"VAE encode + {steps} steps + decode"
    bench.time(Line("detailer", label, versus="sakuga", by_time=True, note=note), detail)

    tiled = shape.hires > SAKUGA_TILING_ABOVE_PX
    if tiled:
        base.vae.enable_tiling()
    refine = diffusers.AutoPipelineForImage2Image.from_pipe(base)
    refine.set_progress_bar_config(disable=True)
    upscaled = _picture(shape.hires, 5)

    def hires(clock: StepClock | None) -> object:
        return refine(
            **common,
            image=upscaled,
            generator=torch.Generator(device).manual_seed(0),
            callback_on_step_end=clock,
        ).images

    label = f"hires pass: img2img {shape.hires}² at {DENOISE}"
    note = f"1.5×: encode + {steps} steps + decode, {'tiled' if tiled else 'untiled'}"
    bench.time(Line("hires", label, versus="sakuga", by_time=True, note=note), hires)
    base.vae.disable_tiling()


def decode_lines(bench: Bench, shape: Shape, vae: Any, dtype: Any) -> None:
    """A cover-size decode: the baseline's (fp16 upcast to fp32), Sakuga's untiled, and
    Sakuga's tiled (what its hires pass turns on above 1536 px)."""
    side = shape.cover // 8
    latents = torch.randn((1, 4, side, side), generator=torch.Generator("cpu").manual_seed(2))
    latents = latents.to(bench.device)

    def run(clock: StepClock | None) -> object:
        return decode(vae, latents)

    cover, half = f"{shape.cover}²", _name(dtype)
    # key, label, VAE precision, tiled, note
    decodes = (
        ("decode_baseline", f"VAE decode {cover}, fp16 weights", torch.float16, False,
         "force_upcast: decodes in fp32, as the baseline does"),
        ("decode_cover", f"VAE decode {cover}, {half}, untiled", dtype, False, ""),
        ("decode_cover_tiled", f"VAE decode {cover}, {half}, tiled", dtype, True,
         f"Sakuga tiles hires decodes above {SAKUGA_TILING_ABOVE_PX} px"),
    )  # fmt: skip
    for key, label, precision, tiled, note in decodes:
        vae.to(precision)
        if tiled:
            vae.enable_tiling()
        versus = None if key == "decode_baseline" else "decode_baseline"
        bench.time(Line(key, label, versus=versus, note=note), run, steps=False)
        vae.disable_tiling()


# --- end to end -------------------------------------------------------------------------


def save_sdxl(folder: Path, shape: Shape, unet: Any, vae: Any, device: str) -> Path:
    """The UNet and VAE with two CLIP text encoders of SDXL's size (random weights) and
    a CLIP tokenizer written from an in-code vocabulary, saved as a diffusers folder in
    fp16 (as SDXL checkpoints are published)."""
    from diffusers import StableDiffusionXLPipeline
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTextModelWithProjection,
        CLIPTokenizer,
    )

    from tests.engines.tiny_diffusers import write_tokenizer_files

    vocab, merges = write_tokenizer_files(folder / "_vocab")
    tokenizer = CLIPTokenizer(
        str(vocab), str(merges), model_max_length=77, pad_token="<|endoftext|>"
    )
    # The in-code vocabulary's ids for start, end and padding.
    common = {"bos_token_id": 0, "eos_token_id": 1, "pad_token_id": 1}
    common["max_position_embeddings"] = 77
    with torch.device(device):
        one = CLIPTextModel(CLIPTextConfig(**shape.text[0], **common))
        two = CLIPTextModelWithProjection(CLIPTextConfig(**shape.text[1], **common))
    pipe = StableDiffusionXLPipeline(
        vae=vae,
        text_encoder=one,
        text_encoder_2=two,
        tokenizer=tokenizer,
        tokenizer_2=tokenizer,
        unet=unet,
        scheduler=_scheduler(),
    )
    pipe.to(torch.float16)
    pipe.save_pretrained(folder, safe_serialization=True)
    del pipe, one, two
    return folder


def e2e_lines(bench: Bench, shape: Shape, folder: Path, args: argparse.Namespace) -> None:
    """``sakuga create`` through the CLI in this process (no second Python start-up)
    against the same pipeline loaded and called bare, with the same precision, memory
    format, sampler, steps, CFG, size, seed and prompts (read back from Sakuga's PNG)."""
    from sakuga.engines.diffusion import DiffusersEngine

    device, report = bench.device, bench.report
    images = folder.parent / "images"
    hashing = _sha256_seconds(next((folder / "unet").glob("*.safetensors")))
    # The engine's load alone: first ever (it hashes the UNet for A1111's "Model
    # hash"), then again with the hash remembered, as every later run loads.
    # The later load is timed as the CLI is (the best of ``repeats``): the image line
    # below is the CLI's time less this one, and a single slow load on a busy machine
    # made it negative.
    for key, label, note, runs in (
        ("e2e_first_load", "sakuga: engine load, first ever", f"sha256 alone: {hashing:.1f} s", 1),
        ("e2e_sakuga_load", "sakuga: engine load", "the hash remembered", args.repeats),
    ):
        _reset_peak(device)
        seconds = math.inf
        for _ in range(runs):
            start = time.perf_counter()
            DiffusersEngine().load(str(folder), {"device": device})
            _sync(device)
            seconds = min(seconds, time.perf_counter() - start)
            _free(device)
        bench.add(Line(key, label, seconds, peak_gib=_peak(device), note=note))
    cli, made = sakuga_cli(shape, folder, args, images)
    _free(device)
    bare_image = bare_pipeline(bench, shape, folder, args, images, made)
    _free(device)
    bare_load = report.line("e2e_bare_load")
    load = report.line("e2e_sakuga_load")
    assert bare_load is not None and load is not None
    bare_total = bare_load.seconds + bare_image.seconds
    label = "bare: load + one image + PNG"
    bench.add(Line("e2e_bare_total", label, bare_total, peak_gib=bare_image.peak_gib))
    bench.add(cli)
    image = Line("e2e_sakuga_image", "sakuga create minus its engine load", versus="e2e_bare_image")
    image.seconds = cli.seconds - load.seconds
    image.note = "the engine's own per-image overhead shows here"
    bench.add(image)
    report.headline["sakuga_cli_over_bare"] = cli.seconds / bare_total
    report.headline["sakuga_image_over_bare"] = image.seconds / bare_image.seconds
    report.write(bench.out)


def _sha256_seconds(path: Path) -> float:
    """Seconds to hash ``path`` as the engine's first load does."""
    start = time.perf_counter()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            digest.update(block)
    return time.perf_counter() - start


def sakuga_cli(
    shape: Shape, folder: Path, args: argparse.Namespace, images: Path
) -> tuple[Line, Path]:
    """The best of ``repeats`` runs of ``sakuga create``: each loads the model (a new
    engine per command, as a person's runs do), draws one image, writes its PNG with
    the recipe and records it in the library. The line, and the PNG it wrote."""
    from typer.testing import CliRunner

    from sakuga.cli import app

    device = args.device
    command = [
        "create", PROMPT, "--engine", "diffusers", "--model", str(folder),
        "--size", f"{shape.size}x{shape.size}", "--steps", str(args.steps), "--cfg", str(CFG),
        "--seed", "7", "--device", device, "-o", str(images), "--json",
    ]  # fmt: skip
    runner = CliRunner()
    best, made = math.inf, Path()
    _reset_peak(device)
    for _ in range(args.repeats):
        start = time.perf_counter()
        result = runner.invoke(app, command, catch_exceptions=False)
        _sync(device)
        seconds = time.perf_counter() - start
        if result.exit_code != 0:
            raise RuntimeError(f"sakuga create failed ({result.exit_code}): {result.output}")
        best, made = min(best, seconds), Path(json.loads(result.stdout)["images"][0]["path"])
        _free(device)
    line = Line(
        "e2e_sakuga_cli",
        "sakuga create (CLI in-process): load + image",
        best,
        peak_gib=_peak(device),
        versus="e2e_bare_total",
        note="PNG with recipe + library record; goal ≤ 1.05× bare",
    )
    return line, made


def bare_pipeline(
    bench: Bench, shape: Shape, folder: Path, args: argparse.Namespace, images: Path, made: Path
) -> Line:
    """The same folder through ``StableDiffusionXLPipeline.from_pretrained`` and one
    ``__call__`` with the prompts Sakuga wrote (read from ``made``, its PNG): the
    load's line, then the image's, which is returned."""
    from diffusers import StableDiffusionXLPipeline
    from PIL import Image

    from sakuga.imaging.metadata import read_recipe

    device = args.device
    recipe = read_recipe(Image.open(made))
    if recipe is None:
        raise RuntimeError("Sakuga's PNG carries no recipe")
    dtype = _sakuga_dtype(device) if device.startswith("cuda") else torch.float32
    _reset_peak(device)
    start = time.perf_counter()
    pipe = StableDiffusionXLPipeline.from_pretrained(
        folder, torch_dtype=dtype, use_safetensors=True
    )
    pipe.to(device)
    if device.startswith("cuda"):
        pipe.unet.to(memory_format=torch.channels_last)  # as Sakuga: the same compute
    _sync(device)
    note = f"{_name(dtype)}{', channels-last' if device.startswith('cuda') else ''}"
    load = time.perf_counter() - start
    bench.add(Line("e2e_bare_load", "bare: from_pretrained + .to", load, note=note))
    pipe.set_progress_bar_config(disable=True)
    pipe.scheduler = _sampler(pipe.scheduler.config)

    def bare(clock: StepClock | None) -> object:
        image = pipe(
            recipe.prompt,
            negative_prompt=recipe.negative_prompt,
            num_inference_steps=args.steps,
            guidance_scale=CFG,
            width=shape.size,
            height=shape.size,
            generator=torch.Generator(device).manual_seed(7),
            callback_on_step_end=clock,
        ).images[0]
        image.save(images / "bare.png")  # the guides' image.save(); Sakuga writes one too
        return image

    return bench.time(Line("e2e_bare_image", "bare: one image + PNG"), bare)


# --- the run ----------------------------------------------------------------------------


def _sakuga_dtype(device: str) -> Any:
    """The engine's own choice on CUDA; bf16 on the CPU (``--tiny``), as on an H100."""
    if device.startswith("cuda"):
        from sakuga.engines.diffusion import choose_device

        return choose_device(device)[1]
    return torch.bfloat16


def _name(dtype: Any) -> str:
    return str(dtype).removeprefix("torch.").replace("float", "fp").replace("bfp16", "bf16")


def _fmt(value: float | None, spec: str) -> str:
    return format("-" if value is None else format(value, spec), ">" + spec.split(".")[0])


HEADER = f"{'line':<50} {'it/s':>7} {'s':>8} {'peak GiB':>8}  {'speed vs':<24} note"


def _row(line: Line) -> str:
    versus = f"{line.ratio:.2f}× {line.versus}" if line.ratio else ""
    return (
        f"{line.label[:50]:<50} {_fmt(line.it_per_s, '7.2f')} {line.seconds:8.2f} "
        f"{_fmt(line.peak_gib, '8.2f')}  {versus:<24} {line.note}"
    )


def summary(report: Report) -> list[str]:
    """The two numbers this benchmark is for, in words."""
    said = []
    speed = report.headline.get("sakuga_over_fp16_sdpa_it_s")
    if speed is not None:
        said.append(f"Sakuga's default vs fp16 + SDPA (the baseline): {speed:.2f}× the it/s")
    cli = report.headline.get("sakuga_cli_over_bare")
    image = report.headline.get("sakuga_image_over_bare")
    if cli is not None and image is not None:
        met = "met" if cli <= 1.05 else "NOT met"
        said.append(
            f"sakuga create / bare pipeline, load + one image: {cli:.3f}× the time "
            f"(goal ≤ 1.05: {met}); the image alone: {image:.3f}×"
        )
    return said


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM (``timeout``) as KeyboardInterrupt, so a cut run still writes its table."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> Report:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the table here (after every line)")
    parser.add_argument("--steps", type=int, help="denoising steps (20; --tiny: 4)")
    parser.add_argument("--repeats", type=int, default=2, help="timed calls a line, best kept")
    parser.add_argument("--tiny", action="store_true", help="tiny models: check the script")
    parser.add_argument("--no-compile", dest="compile", action="store_false")
    parser.add_argument("--no-e2e", dest="e2e", action="store_false", help="skip end to end")
    parser.add_argument("--compile-backend", help="inductor (default; --tiny: eager)")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args(argv)
    if args.device == "cpu" and not args.tiny:
        parser.error("needs a CUDA GPU for full-size SDXL (or --tiny to check the script)")
    args.steps = args.steps or (4 if args.tiny else 20)
    # Inductor's code generation takes minutes on a small CPU; eager still traces.
    args.compile_backend = args.compile_backend or ("eager" if args.tiny else "inductor")
    if args.repeats < 1 or args.steps < 2:
        parser.error("--repeats must be at least 1 and --steps at least 2")
    # Progress and notices are noise in a table (Sakuga silences them the same way).
    from diffusers.utils import logging as diffusers_logging

    diffusers_logging.set_verbosity_error()
    warnings.filterwarnings("ignore", message=".*upcast_vae.*", category=FutureWarning)
    # diffusers ≥ 0.36 renames torch_dtype to dtype; the bare side loads as Sakuga does.
    warnings.filterwarnings("ignore", message=".*torch_dtype.*", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*lru_cache.*", category=UserWarning)
    work = Path(tempfile.mkdtemp(prefix="sakuga-gpu-check-"))
    # The CLI records into a library: a throwaway one, never the user's.
    os.environ["SAKUGA_HOME"] = str(work / "home")
    shape = TINY if args.tiny else FULL
    name = torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu"
    report = Report(
        device=f"{name}, torch {torch.__version__}",
        config=f"{'tiny' if args.tiny else 'SDXL'} {shape.size}², CFG {CFG}, batch 1",
        steps=args.steps,
        repeats=args.repeats,
    )
    print(f"{report.config} on {report.device}, {args.steps} steps, best of {args.repeats}")
    print(SAKUGA_DEFAULT)
    bench = Bench(report, args.device, args.repeats, args.json)
    started = time.perf_counter()
    try:
        with _interruptible():
            unet, vae = settings_lines(bench, shape, args)
            if args.e2e:
                folder = save_sdxl(work / "sdxl", shape, unet, vae, args.device)
                del unet, vae
                _free(args.device)
                e2e_lines(bench, shape, folder, args)
        report.complete = True
    except KeyboardInterrupt:
        print("stopped: the table so far is written", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # 7 GB of random SDXL weights, images
    baseline, sakuga = report.line("fp16_sdpa"), report.line("sakuga")
    if baseline and sakuga and sakuga.ratio:
        report.headline["sakuga_over_fp16_sdpa_it_s"] = sakuga.ratio
    report.headline["wall_seconds"] = time.perf_counter() - started
    report.write(args.json)
    print(report.table())
    print("\n".join(summary(report)))
    print(f"wall time: {report.headline['wall_seconds']:.0f} s")
    if args.json:
        print(f"written: {args.json}")
    return report


if __name__ == "__main__":
    sys.exit(0 if main().complete else 124)
