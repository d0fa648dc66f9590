"""Find and load a Stable Diffusion / SDXL checkpoint: a Hugging Face repo id, a local
diffusers folder, or a single ``.safetensors`` file, never a pickle.

Single files hold weights only; diffusers needs the architecture's config folder
to build the pipeline, and would fetch it from the hub. Sakuga resolves it locally
instead, in this order: the request's ``config`` option, ``SAKUGA_DIFFUSERS_CONFIG``,
then ``$SAKUGA_HOME/models/configs/<arch>`` (what ``sakuga models pull --config``
writes), so single files load offline.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from sakuga.engines.models import resolve_model
from sakuga.engines.weights import weights_kind
from sakuga.errors import ModelError, OutputError
from sakuga.imaging.io import atomic_write
from sakuga.install import install_hint
from sakuga.settings import models_dir, settings

#: Remembered weight hashes, in the model folder (see `file_hash`).
HASH_CACHE: Final = ".hashes.json"  # hidden: `models list` skips it

Arch = Literal["sd", "sdxl"]
#: The diffusers repos whose configs describe each architecture (for `models pull --config`).
CONFIG_REPOS: Final[dict[Arch, str]] = {
    "sd": "stable-diffusion-v1-5/stable-diffusion-v1-5",
    "sdxl": "stabilityai/stable-diffusion-xl-base-1.0",
}
PICKLE_SUFFIXES: Final = (".ckpt", ".bin", ".pt", ".pth", ".pkl")
#: State-dict keys that say how a single file was trained, read as ComfyUI, Forge and
#: reForge read them: ``v_pred`` (v-prediction) and ``ztsnr`` (zero terminal SNR).
MARKER_KEYS: Final = frozenset({"v_pred", "ztsnr"})


@dataclass(frozen=True)
class ModelSource:
    """Where a checkpoint is and what it is."""

    kind: Literal["folder", "file", "repo"]
    location: str
    arch: Arch
    name: str

    def short_hash(self) -> str:
        """A1111's model hash: the first 10 hex digits of the weights' sha256
        (for a folder or repo, of the UNet's weights)."""
        return model_hash(self)


def safetensors_keys(path: Path) -> list[str]:
    """The tensor names in a safetensors file, read from its header alone."""
    with path.open("rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
    return [k for k in header if k != "__metadata__"]


def marker_keys(source: ModelSource) -> frozenset[str]:
    """The marker keys (`MARKER_KEYS`) a single-file checkpoint carries."""
    if source.kind != "file":
        return frozenset()
    return MARKER_KEYS & frozenset(safetensors_keys(Path(source.location)))


def file_arch(path: Path) -> Arch:
    """SD 1.x/2.x or SDXL, from the single file's key layout."""
    keys = safetensors_keys(path)
    if any(k.startswith("conditioner.embedders.1.") for k in keys):
        return "sdxl"
    if any(k.startswith("model.diffusion_model.") for k in keys):
        return "sd"
    raise ModelError(
        f"{path.name}: not a Stable Diffusion checkpoint in the single-file layout "
        "(no model.diffusion_model.* tensors)"
    )


def folder_arch(folder: Path) -> Arch:
    index = folder / "model_index.json"
    try:
        class_name = str(json.loads(index.read_text())["_class_name"])
    except (OSError, ValueError, KeyError):
        raise ModelError(
            f"{folder}: not a diffusers folder (no readable model_index.json)"
        ) from None
    return "sdxl" if "XL" in class_name else "sd"


def check_folder_weights(folder: Path) -> None:
    """Refuse a folder whose weights would have to be unpickled; safetensors checked by
    content (a renamed pickle is refused).

    A pickle file (``.bin``, ``.ckpt``, …) beside safetensors weights in its own folder,
    as a git clone of a Hugging Face repo keeps them, is left alone and never opened:
    every loader here passes ``use_safetensors=True``, so diffusers and transformers
    take the safetensors and never fall back to the pickle. A pickle with no
    safetensors beside it is refused, by name."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix == ".safetensors":
            weights_kind(path)  # a renamed pickle is refused here
        elif suffix in PICKLE_SUFFIXES and not _holds_safetensors(path.parent):
            raise ModelError(
                f"{path.relative_to(folder)}: pickle weights with no .safetensors beside "
                "them; Sakuga loads safetensors only (pickle files can run code when "
                "loaded): get this part's .safetensors weights, or convert it"
            )


def _holds_safetensors(folder: Path) -> bool:
    return any(p.is_file() for p in folder.glob("*.safetensors"))


def resolve_source(model: str) -> ModelSource:
    """What ``model`` names: a file, a folder, a name in the model folder, or a repo id."""
    path = resolve_model(model)
    if path.is_dir():
        arch = folder_arch(path)
        check_folder_weights(path)
        return ModelSource("folder", str(path), arch, path.name)
    if path.exists():
        if weights_kind(path) != "safetensors":
            raise ModelError(f"{path.name}: an ONNX graph, not a diffusers checkpoint")
        return ModelSource("file", str(path), file_arch(path), path.stem)
    looks_like_path = model.startswith(("/", ".", "~")) or model.count("/") > 1
    if path.suffix.lower() in (*PICKLE_SUFFIXES, ".safetensors") or looks_like_path:
        raise ModelError(f"model file not found: {model}")
    if model.count("/") != 1:
        raise ModelError(
            f"--model must be a .safetensors file, a diffusers folder or a Hugging Face "
            f"repo id (owner/name), got {model!r}"
        )
    return ModelSource("repo", model, _repo_arch(model), model.split("/")[1])


def _repo_arch(repo: str) -> Arch:
    """The architecture of a repo in the local Hugging Face cache (never downloads)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - diffusers depends on huggingface_hub
        raise ModelError(f"huggingface_hub is missing: {install_hint('diffusers')}") from None
    found = try_to_load_from_cache(repo, "model_index.json")
    if not isinstance(found, str):
        raise ModelError(
            f"{repo} is not downloaded; run `sakuga models pull {repo}` first "
            "(Sakuga never downloads while generating)"
        )
    return folder_arch(Path(found).parent)


def config_folder(arch: Arch, option: str | None = None) -> Path:
    """The local config folder for a single file of ``arch``, or a clear error."""
    tried = []
    for raw in (option, settings().diffusers_config):
        if raw:
            folder = Path(raw).expanduser()
            if (folder / "model_index.json").is_file():
                return folder
            tried.append(str(folder))
    folder = models_dir() / "configs" / arch
    if (folder / "model_index.json").is_file():
        return folder
    tried.append(str(folder))
    raise ModelError(
        f"a single-file {'SDXL' if arch == 'sdxl' else 'SD'} checkpoint needs its "
        f"architecture's config folder (model_index.json, unet/, vae/, text_encoder/, "
        f"tokenizer/, scheduler/); none in {', '.join(tried)}. Run "
        f"`sakuga models pull {CONFIG_REPOS[arch]} --config` once online, or set "
        "SAKUGA_DIFFUSERS_CONFIG to such a folder"
    )


def pipeline_class(arch: Arch) -> Any:
    import diffusers

    return (
        diffusers.StableDiffusionXLPipeline if arch == "sdxl" else diffusers.StableDiffusionPipeline
    )


def load_pipeline(source: ModelSource, dtype: Any, config: str | None = None) -> Any:
    """The text-to-image pipeline of ``source``, loaded offline from safetensors only."""
    cls = pipeline_class(source.arch)
    extra: dict[str, Any] = {"torch_dtype": dtype}
    if source.arch == "sd":
        extra.update(safety_checker=None, requires_safety_checker=False)
    try:
        if source.kind == "file":
            folder = config_folder(source.arch, config)
            return cls.from_single_file(
                source.location, config=str(folder), local_files_only=True, **extra
            )
        if source.kind == "repo":
            return cls.from_pretrained(
                source.location, use_safetensors=True, local_files_only=True, **extra
            )
        return cls.from_pretrained(source.location, use_safetensors=True, **extra)
    except ModelError:
        raise
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelError(f"cannot load {source.name}: {exc}") from None


def model_hash(source: ModelSource) -> str:
    if source.kind == "file":
        path = Path(source.location)
    else:
        base = Path(source.location)
        if source.kind == "repo":
            from huggingface_hub import try_to_load_from_cache

            cached = try_to_load_from_cache(source.location, "model_index.json")
            base = Path(str(cached)).parent
        found = sorted((base / "unet").glob("*.safetensors"))
        if not found:
            return ""
        path = found[0]
    return file_hash(path)


def file_hash(path: Path, digits: int = 10) -> str:
    """The first ``digits`` hex digits of the file's sha256 (A1111's "Model hash" and
    "Lora hashes" take 10, its "TI hashes" 12).

    Hashing a multi-GB checkpoint takes seconds, so each hash is remembered in
    ``models/.hashes.json`` under its path, size and modification time, and a file is
    read again only when it changed.
    """
    stat = path.stat()
    key = str(path.resolve())
    cache = models_dir() / HASH_CACHE
    known = _read_hashes(cache)
    entry = known.get(key)
    if (
        isinstance(entry, dict)
        and entry.get("size") == stat.st_size
        and entry.get("mtime_ns") == stat.st_mtime_ns
        and isinstance(entry.get("sha256"), str)
    ):
        return str(entry["sha256"])[:digits]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    known[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest.hexdigest()}
    # A read-only model folder: the hash is right, only not remembered.
    with contextlib.suppress(OutputError):
        atomic_write(cache, lambda out: out.write(json.dumps(known, indent=1).encode()))
    return digest.hexdigest()[:digits]


def legacy_hash(path: Path) -> str:
    """A1111's old short model hash, which its ControlNet extension still shows beside
    a ControlNet's name: the sha256 of the 64 KiB at offset 1 MiB, 8 hex digits (of
    whatever that read returns, empty for a file under 1 MiB). Cheap, so not cached."""
    with path.open("rb") as handle:
        handle.seek(0x100000)
        return hashlib.sha256(handle.read(0x10000)).hexdigest()[:8]


def _read_hashes(cache: Path) -> dict[str, Any]:
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def load_vae(name: str, like: Any) -> tuple[Any, Path]:
    """An external VAE (``--vae``): a diffusers ``AutoencoderKL`` folder, or a single
    ``.safetensors`` in the original layout (with or without the checkpoint's
    ``first_stage_model.`` prefix, as A1111's VAE files come), built on the config of
    the checkpoint's own VAE ``like`` — the same architecture — in its precision.
    Offline, safetensors only; the path, for the recipe."""
    import tempfile

    from diffusers import AutoencoderKL

    path = resolve_model(name)
    if not path.exists():
        raise ModelError(f"VAE not found: {name}")
    try:
        if path.is_dir():
            check_folder_weights(path)
            return AutoencoderKL.from_pretrained(
                str(path), torch_dtype=like.dtype, use_safetensors=True
            ), path
        if weights_kind(path) != "safetensors":
            raise ModelError(f"{path.name}: a VAE must be safetensors")
        with tempfile.TemporaryDirectory() as config:
            like.save_config(config)  # the checkpoint VAE's architecture, offline
            return AutoencoderKL.from_single_file(
                str(path), config=config, torch_dtype=like.dtype, local_files_only=True
            ), path
    except ModelError:
        raise
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ModelError(f"{path.name}: cannot load this VAE for this model: {exc}") from None
