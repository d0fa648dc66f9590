"""Model files in Sakuga's model folder: list, pull (when online), remove, resolve by name.

Pulled files are checked by content like every model Sakuga loads: only ONNX and
safetensors are kept; anything else is deleted and refused.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sakuga.engines.loras import find_loras, is_lora
from sakuga.engines.weights import guard_library, weights_kind
from sakuga.errors import ModelError
from sakuga.install import install_hint
from sakuga.settings import models_dir, settings

SUFFIXES: Final = (".onnx", ".safetensors")
DOWNLOAD_TIMEOUT: Final = 30.0


@dataclass(frozen=True)
class ModelFile:
    name: str
    path: Path
    size: int
    kind: str  # "onnx", "safetensors", or "refused: <why>"


def list_models(folder: Path | None = None) -> list[ModelFile]:
    """Model files and diffusers folders in the model folder (configs/ is not a model)."""
    folder = folder or models_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == "configs":
            continue
        kind: str
        if path.is_dir():
            if not (path / "model_index.json").is_file():
                continue
            size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
            kind = "diffusers folder"
            found.append(ModelFile(path.name, path, size, kind))
            continue
        try:
            kind = weights_kind(path)
        except ModelError as exc:
            kind = f"refused: {exc}"
        if kind == "safetensors" and is_lora(path):
            kind = "lora"  # a LoRA, not a checkpoint to choose
        found.append(ModelFile(path.name, path, path.stat().st_size, kind))
    # LoRAs in the folders below (A1111's models/Lora), by their keys.
    for path in find_loras(folder):
        if path.parent != folder:
            found.append(ModelFile(path.name, path, path.stat().st_size, "lora"))
    return found


def checkpoint_names(folder: Path | None = None) -> list[str]:
    """The names a model (a checkpoint, a diffusers folder, an ONNX file) is chosen by:
    `served_names` without the LoRAs."""
    loras = {m.name for m in list_models(folder) if m.kind == "lora"}
    loras |= {Path(n).stem for n in loras}
    return [n for n in served_names(folder) if n not in loras]


def served_names(folder: Path | None = None) -> list[str]:
    """The names a remote client may use for a model: what `list_models` finds (with and
    without suffix; a pulled repo also as ``owner/name``). Never a path."""
    names: list[str] = []
    for model in list_models(folder):
        if model.kind.startswith("refused"):
            continue
        names.append(model.name)
        if model.name.endswith(SUFFIXES):
            names.append(Path(model.name).stem)
        if "--" in model.name and model.path.is_dir():
            names.append(model.name.replace("--", "/", 1))
    return names


def repo_folder(repo: str, folder: Path | None = None) -> Path:
    """Where a pulled Hugging Face repo (``owner/name``) lives in the model folder."""
    return (folder or models_dir()) / repo.replace("/", "--")


def resolve_model(name_or_path: str, folder: Path | None = None) -> Path:
    """A path as given, or a model of that name in the model folder: a file (with or
    without suffix), a diffusers folder, or a pulled repo by its id (``owner/name``)."""
    given = Path(name_or_path).expanduser()
    looks_like_path = given.is_absolute() or name_or_path.startswith((".", "~"))
    if given.exists() or looks_like_path or name_or_path.count("/") > 1:
        guard_library(given)  # before anything opens it
        return given
    folder = folder or models_dir()
    for candidate in (
        folder / name_or_path,
        repo_folder(name_or_path, folder),
        *(folder / (name_or_path + s) for s in SUFFIXES),
    ):
        if candidate.exists():
            return candidate
    return given


def _safe_name(name: str) -> str:
    base = Path(name).name
    if not base or base in (".", "..") or not base.endswith(SUFFIXES):
        raise ModelError(f"model file names must end in .onnx or .safetensors, got {name!r}")
    return base


def _keep_if_allowed(tmp: Path, target: Path) -> Path:
    try:
        weights_kind(tmp)
    except ModelError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
    return target


def pull(source: str, filename: str | None = None, folder: Path | None = None) -> Path:
    """Download a model from an https URL or a Hugging Face repo (``owner/name``)."""
    folder = folder or models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if source.startswith(("https://", "http://")):
        name = _safe_name(filename or source.rsplit("/", 1)[-1].split("?")[0])
        fd, tmp_name = tempfile.mkstemp(prefix=".pull.", dir=folder)
        tmp = Path(tmp_name)
        try:
            with (
                os.fdopen(fd, "wb") as out,
                urllib.request.urlopen(source, timeout=DOWNLOAD_TIMEOUT) as response,
            ):
                shutil.copyfileobj(response, out)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            tmp.unlink(missing_ok=True)
            raise ModelError(
                f"could not download {source}: {getattr(exc, 'reason', exc)}"
            ) from None
        return _keep_if_allowed(tmp, folder / name)
    if "/" not in source:
        raise ModelError(
            f"pull takes an https URL or a Hugging Face repo id (owner/name), got {source!r}"
        )
    _check_hub()
    if not filename:
        return pull_repo(source, folder=folder)
    name = _safe_name(filename)
    from huggingface_hub import hf_hub_download

    try:
        downloaded = Path(hf_hub_download(source, filename))
    except Exception as exc:  # huggingface_hub raises many types for network/offline/missing
        raise ModelError(f"could not pull {filename} from {source}: {exc}") from None
    fd, tmp_name = tempfile.mkstemp(prefix=".pull.", dir=folder)
    os.close(fd)
    shutil.copyfile(downloaded, tmp_name)
    return _keep_if_allowed(Path(tmp_name), folder / name)


def _check_hub() -> None:
    try:
        import huggingface_hub  # noqa: F401
    except ImportError:
        raise ModelError(
            f"pulling from Hugging Face needs huggingface_hub: {install_hint('diffusers')}"
        ) from None
    if settings().hf_offline:
        raise ModelError("offline (HF_HUB_OFFLINE=1): cannot pull from Hugging Face")


#: What a diffusers repo pull fetches: configs, tokenizers and safetensors weights only.
#: (``*/`` keeps it to the component folders: a repo's root often holds a 7 GB single-file
#: copy of the same model.)
REPO_FILES: Final = ["*.json", "*.txt", "*/*.safetensors"]
#: Never fetched: pickle weights, other frameworks, and the duplicate fp16/EMA variants.
REPO_SKIP: Final = [
    "*.bin",
    "*.ckpt",
    "*.pt",
    "*.pth",
    "*.pkl",
    "*.msgpack",
    "*.onnx",
    "*.h5",
    "*.fp16.safetensors",
]


def known_models() -> list[dict[str, str]]:
    """A short curated list of anime checkpoints, with how each entry was checked."""
    import json
    from importlib import resources

    text = resources.files("sakuga.engines").joinpath("data/anime_models.json").read_text()
    data = json.loads(text)
    return [{**m, "checked": data["checked"]} for m in data["models"]]


def pull_repo(repo: str, *, config_only: bool = False, folder: Path | None = None) -> Path:
    """A diffusers repo into ``models/<owner>--<name>`` (safetensors only), or with
    ``config_only`` its configs and tokenizers into ``models/configs/<arch>`` — what a
    single-file checkpoint of that architecture needs to load offline."""
    _check_hub()
    from huggingface_hub import snapshot_download

    folder = folder or models_dir()
    patterns = ["*.json", "*.txt"] if config_only else REPO_FILES
    staging = Path(tempfile.mkdtemp(prefix=".pull.", dir=_ensure(folder)))
    try:
        # huggingface_hub shows a progress bar per file while it downloads.
        snapshot_download(
            repo, local_dir=staging, allow_patterns=patterns, ignore_patterns=REPO_SKIP
        )
        index = staging / "model_index.json"
        if not index.is_file():
            raise ModelError(f"{repo} is not a diffusers pipeline repo (no model_index.json)")
        for path in staging.rglob("*.safetensors"):
            weights_kind(path)  # by content, as for every model Sakuga keeps
        shutil.rmtree(staging / ".cache", ignore_errors=True)
        if config_only:
            from sakuga.engines.diffusion.loading import folder_arch  # (imports this module)

            target = folder / "configs" / folder_arch(staging)
        else:
            target = repo_folder(repo, folder)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, target)
        return target
    except ModelError:
        raise
    except Exception as exc:  # huggingface_hub raises many types for network/offline/missing
        raise ModelError(f"could not pull {repo}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove(name: str, folder: Path | None = None) -> Path:
    folder = folder or models_dir()
    base = Path(name).name
    if base in ("", ".", "..", "configs"):
        raise ModelError(f"no model called {name!r} in {folder}")
    target = folder / base
    if target.is_dir() and (target / "model_index.json").is_file():
        shutil.rmtree(target)
        return target
    if not target.is_file():
        raise ModelError(f"no model called {name!r} in {folder}")
    target.unlink()
    return target
