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

from sakuga.engines.weights import weights_kind
from sakuga.errors import ModelError
from sakuga.settings import models_dir

SUFFIXES: Final = (".onnx", ".safetensors")
DOWNLOAD_TIMEOUT: Final = 30.0


@dataclass(frozen=True)
class ModelFile:
    name: str
    path: Path
    size: int
    kind: str  # "onnx", "safetensors", or "refused: <why>"


def list_models(folder: Path | None = None) -> list[ModelFile]:
    folder = folder or models_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        kind: str
        try:
            kind = weights_kind(path)
        except ModelError as exc:
            kind = f"refused: {exc}"
        found.append(ModelFile(path.name, path, path.stat().st_size, kind))
    return found


def resolve_model(name_or_path: str, folder: Path | None = None) -> Path:
    """A path as given, or a file of that name (with or without suffix) in the model folder."""
    given = Path(name_or_path).expanduser()
    if given.exists() or given.is_absolute() or os.sep in name_or_path:
        return given
    folder = folder or models_dir()
    for candidate in (name_or_path, *(name_or_path + s for s in SUFFIXES)):
        if (folder / candidate).is_file():
            return folder / candidate
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
    if not filename:
        raise ModelError(
            "pulling from a Hugging Face repo needs --file NAME.onnx or NAME.safetensors"
        )
    name = _safe_name(filename)
    try:
        from huggingface_hub import hf_hub_download
    except ImportError:
        raise ModelError(
            "pulling from Hugging Face needs huggingface_hub: pip install huggingface_hub"
        ) from None
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        raise ModelError("offline (HF_HUB_OFFLINE=1): cannot pull from Hugging Face")
    try:
        downloaded = Path(hf_hub_download(source, filename))
    except Exception as exc:  # huggingface_hub raises many types for network/offline/missing
        raise ModelError(f"could not pull {filename} from {source}: {exc}") from None
    fd, tmp_name = tempfile.mkstemp(prefix=".pull.", dir=folder)
    os.close(fd)
    shutil.copyfile(downloaded, tmp_name)
    return _keep_if_allowed(Path(tmp_name), folder / name)


def remove(name: str, folder: Path | None = None) -> Path:
    folder = folder or models_dir()
    target = folder / Path(name).name
    if not target.is_file():
        raise ModelError(f"no model called {name!r} in {folder}")
    target.unlink()
    return target
