"""The `animegan` engine: an AnimeGAN-family generator (``.onnx``) that the user provides.

Runs with onnxruntime on the CPU, or on the GPU where a GPU provider is installed.
The engine reads what the model expects from the model itself:

* layout: NHWC (the original TensorFlow AnimeGANv2/v3 exports) or NCHW (PyTorch
  ports), from the input's shape;
* input range: [-1, 1] (AnimeGAN's convention) unless the model's metadata says
  ``input_range = "0,1"``; the output range is read from the output's values;
* size: a fixed input size is honoured tile by tile; otherwise each tile is padded
  to a multiple of 32 (AnimeGAN downsamples by 4 and its exports expect /32).

Large photos are cut into overlapping tiles blended with feathered weights, so
memory stays bounded whatever the photo size.

The model comes from ``--model PATH`` or the ``SAKUGA_ANIMEGAN_MODEL`` setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import cv2
import numpy as np
from PIL import Image

from sakuga.engines.base import (
    Availability,
    Engine,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    Setting,
    Task,
)
from sakuga.engines.models import resolve_model
from sakuga.engines.weights import weights_kind
from sakuga.errors import EngineError, ModelError
from sakuga.imaging.geometry import fit_cover
from sakuga.install import install_hint, installed
from sakuga.settings import settings

MODEL_ENV: Final = "SAKUGA_ANIMEGAN_MODEL"
DEFAULT_TILE: Final = 1024
OVERLAP: Final = 64
MULTIPLE: Final = 32


@dataclass(frozen=True)
class ModelInfo:
    """What a loaded generator expects."""

    layout: str  # "NHWC" or "NCHW"
    fixed_size: tuple[int, int] | None  # (height, width) when the graph fixes it
    input_range: tuple[float, float]
    input_name: str
    providers: tuple[str, ...]


def _onnxruntime() -> Any:
    import onnxruntime

    return onnxruntime


@lru_cache(maxsize=2)
def load_model(path: str) -> tuple[Any, ModelInfo]:
    """Load ``path`` (checked to be ONNX by content) into an inference session."""
    kind = weights_kind(path)
    if kind != "onnx":
        raise ModelError(
            f"{Path(path).name}: safetensors weights hold no graph; the animegan engine "
            "needs an ONNX export of the generator"
        )
    ort = _onnxruntime()
    wanted = ("CUDAExecutionProvider", "CoreMLExecutionProvider", "CPUExecutionProvider")
    providers = tuple(p for p in wanted if p in ort.get_available_providers())
    options = ort.SessionOptions()
    threads = os.environ.get("OMP_NUM_THREADS")
    if threads and threads.isdigit():
        options.intra_op_num_threads = int(threads)
    try:
        session = ort.InferenceSession(path, sess_options=options, providers=list(providers))
    except Exception as exc:  # onnxruntime raises its own exception types
        raise ModelError(f"{Path(path).name}: not a valid ONNX model ({exc})") from None
    inputs = session.get_inputs()
    if len(inputs) != 1:
        raise ModelError(f"{Path(path).name}: expected one image input, found {len(inputs)}")
    shape = list(inputs[0].shape)
    if len(shape) != 4:
        raise ModelError(f"{Path(path).name}: expected a 4-D image input, got shape {shape}")
    if shape[3] == 3:
        layout, spatial = "NHWC", (shape[1], shape[2])
    elif shape[1] == 3:
        layout, spatial = "NCHW", (shape[2], shape[3])
    else:
        raise ModelError(
            f"{Path(path).name}: cannot tell the channel axis of input shape {shape}; "
            "expected [N,H,W,3] or [N,3,H,W]"
        )
    fixed = (
        (int(spatial[0]), int(spatial[1]))
        if all(isinstance(d, int) and d > 0 for d in spatial)
        else None
    )
    meta = session.get_modelmeta().custom_metadata_map
    low, high = -1.0, 1.0
    if "input_range" in meta:
        try:
            low, high = (float(v) for v in meta["input_range"].split(","))
        except ValueError:
            raise ModelError(
                f"{Path(path).name}: bad input_range metadata {meta['input_range']!r}"
            ) from None
    info = ModelInfo(layout, fixed, (low, high), inputs[0].name, providers)
    return session, info


def _tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    if length <= tile:
        return [0]
    step = tile - overlap
    starts = list(range(0, length - tile, step))
    starts.append(length - tile)
    return starts


def _feather(height: int, width: int, overlap: int) -> np.ndarray:
    """Blend weights for a tile: 1 inside, ramping down over ``overlap`` px at its edges."""
    ramp_y = np.minimum(np.arange(height) + 1, np.arange(height)[::-1] + 1) / max(1, overlap)
    ramp_x = np.minimum(np.arange(width) + 1, np.arange(width)[::-1] + 1) / max(1, overlap)
    return np.clip(np.minimum.outer(ramp_y, ramp_x), 1e-3, 1).astype(np.float32)


class AnimeGANEngine(Engine):
    name = "animegan"
    title = "AnimeGAN (ONNX model you provide)"
    tasks = frozenset({Task.PHOTO_TO_ANIME, Task.VARIATION})
    priority = 20  # preferred for photos when a model is configured
    options = frozenset({"tile"})
    option_fields = (
        Setting(
            "tile",
            "int",
            "Tile",
            "pixels per tile on large photos",
            minimum=128,
            maximum=2048,
            step=32,
            default=DEFAULT_TILE,
        ),
    )

    def availability(self, request: EngineRequest | None = None) -> Availability:
        if not installed("onnxruntime"):
            return Availability.no(f"onnxruntime is missing: {install_hint('animegan')}")
        if request is not None and request.model:
            return Availability.yes()
        if settings().animegan_model:
            return Availability.yes()
        return Availability.no(f"pass --model PATH.onnx or set {MODEL_ENV}", needs_model=True)

    def _model_path(self, request: EngineRequest) -> str:
        path = request.model or settings().animegan_model
        if not path:
            raise ModelError(f"no AnimeGAN model: pass --model PATH.onnx or set {MODEL_ENV}")
        return str(resolve_model(path).resolve())

    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        assert request.image is not None
        path = self._model_path(request)
        session, info = load_model(path)
        photo = request.image.convert("RGB")
        photo = fit_cover(photo, request.output_size)
        rgb = np.asarray(photo, np.float32) / 255.0
        tile = int(request.options.get("tile", DEFAULT_TILE))
        images = []
        for i, seed in enumerate(request.seeds()):
            progress(Progress(i, request.n, f"version {i + 1} of {request.n}"))
            source = rgb if i == 0 else _jitter(rgb, seed)
            out = self._run_tiled(session, info, source, tile, progress)
            images.append(Image.fromarray(np.rint(out * 255).astype(np.uint8), "RGB"))
        progress(Progress(request.n, request.n, "done"))
        return EngineResult(
            images=images,
            engine=self.name,
            model=Path(path).stem,
            params={"Steps": 1, "Sampler": "animegan", "Layout": info.layout},
        )

    def _run_tiled(
        self,
        session: Any,
        info: ModelInfo,
        rgb: np.ndarray,
        tile: int,
        progress: ProgressCallback,
    ) -> np.ndarray:
        height, width = rgb.shape[:2]
        if info.fixed_size is not None:
            tile_h, tile_w = info.fixed_size
            if height < tile_h or width < tile_w:
                rgb = cv2.copyMakeBorder(
                    rgb, 0, max(0, tile_h - height), 0, max(0, tile_w - width), cv2.BORDER_REFLECT
                )
            overlap = min(OVERLAP, tile_h // 4, tile_w // 4)
        else:
            tile_h = tile_w = max(MULTIPLE * 2, tile)
            overlap = OVERLAP
        full_h, full_w = rgb.shape[:2]
        total = np.zeros((full_h, full_w, 3), np.float32)
        weight = np.zeros((full_h, full_w, 1), np.float32)
        ys = _tile_starts(full_h, tile_h, overlap)
        xs = _tile_starts(full_w, tile_w, overlap)
        for y in ys:
            for x in xs:
                piece = rgb[y : y + tile_h, x : x + tile_w]
                out = self._infer(session, info, piece)
                ph, pw = piece.shape[:2]
                w = _feather(ph, pw, overlap)[..., None]
                total[y : y + ph, x : x + pw] += out * w
                weight[y : y + ph, x : x + pw] += w
        result = total / np.maximum(weight, 1e-6)
        return np.clip(result[:height, :width], 0, 1)

    def _infer(self, session: Any, info: ModelInfo, piece: np.ndarray) -> np.ndarray:
        """Run one tile (H×W×3 in [0, 1]) and return it in [0, 1] at the same size."""
        ph, pw = piece.shape[:2]
        if info.fixed_size is None:
            pad_h, pad_w = (-ph) % MULTIPLE, (-pw) % MULTIPLE
            padded = (
                cv2.copyMakeBorder(piece, 0, pad_h, 0, pad_w, cv2.BORDER_REFLECT)
                if pad_h or pad_w
                else piece
            )
        else:
            padded = piece  # tiles of a fixed-size model are cut at that size
        low, high = info.input_range
        x = padded * (high - low) + low
        x = x[None] if info.layout == "NHWC" else x.transpose(2, 0, 1)[None]
        try:
            (out,) = session.run(None, {info.input_name: np.ascontiguousarray(x, np.float32)})[:1]
        except Exception as exc:  # onnxruntime's own error types
            raise EngineError(f"the AnimeGAN model failed on a {pw}x{ph} tile: {exc}") from None
        out = np.asarray(out, np.float32)
        if out.ndim != 4:
            raise EngineError(f"the AnimeGAN model returned shape {list(out.shape)}, not an image")
        out = out[0] if out.shape[-1] == 3 else out[0].transpose(1, 2, 0)
        # AnimeGAN outputs tanh in [-1, 1]; some exports already give [0, 1].
        if float(out.min()) < -0.02:
            out = (out + 1) / 2
        return np.clip(out[:ph, :pw], 0, 1)


def _jitter(rgb: np.ndarray, seed: int) -> np.ndarray:
    """A seeded variation of the input: gamma, saturation and warmth, so versions differ."""
    rng = np.random.default_rng(seed)
    gamma = float(rng.uniform(0.8, 1.2))
    saturation = float(rng.uniform(0.8, 1.3))
    warmth = rng.uniform(-0.05, 0.05, size=3).astype(np.float32)
    out = np.power(rgb, gamma)
    gray = out.mean(axis=2, keepdims=True)
    out = gray + (out - gray) * saturation + warmth
    return np.clip(out, 0, 1).astype(np.float32)
