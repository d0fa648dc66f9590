"""Textual-inversion embeddings as A1111 users keep them: negative embeddings such as
EasyNegative named in the prompt, found in the model folder.

An embedding is used when the prompt or negative names it: as a plain word equal to
its file's name (A1111's way, for files in ``models/embeddings/`` or the model folder),
as ``embedding:NAME`` (ComfyUI's way; the prefix is taken out of the text the encoder
sees, and a name that is not found is an error), or given with ``--embedding FILE``.
Files are safetensors only, recognised by their keys: ``emb_params`` (SD 1.x, A1111's
format) or ``clip_l`` and ``clip_g`` (SDXL, one set of vectors per text encoder).
They are loaded for the run and unloaded after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sakuga.engines.diffusion.families import safetensors_header
from sakuga.engines.weights import weights_kind
from sakuga.errors import ModelError
from sakuga.settings import models_dir

SD_KEYS: Final = frozenset({"emb_params"})
SDXL_KEYS: Final = frozenset({"clip_l", "clip_g"})
_PREFIXED: Final = re.compile(r"embedding:([A-Za-z0-9_.\-]+)")


@dataclass(frozen=True)
class Embedding:
    name: str  # the word that calls it in a prompt
    path: Path
    arch: str  # "sd" or "sdxl"


def embedding_arch(path: Path) -> str | None:
    """ "sd" or "sdxl" for a textual-inversion file, None for anything else."""
    keys = frozenset(k for k in safetensors_header(path) if k != "__metadata__")
    if keys and keys <= SD_KEYS:
        return "sd"
    if keys >= SDXL_KEYS:
        return "sdxl"
    return None


def folder_embeddings(folder: Path | None = None) -> dict[str, Embedding]:
    """The embeddings in the model folder and its ``embeddings/``, by name."""
    root = folder or models_dir()
    found: dict[str, Embedding] = {}
    for place in (root, root / "embeddings"):
        if not place.is_dir():
            continue
        for path in sorted(place.glob("*.safetensors")):
            arch = embedding_arch(path)
            if arch is not None:
                found.setdefault(path.stem, Embedding(path.stem, path, arch))
    return found


def strip_prefix(text: str) -> str:
    """``embedding:NAME`` as the encoder must read it: ``NAME``."""
    return _PREFIXED.sub(r"\1", text)


def wanted(texts: Iterable[str], given: Iterable[str], arch: str) -> list[Embedding]:
    """The embeddings a run uses: those ``given`` (files or names), those named with
    ``embedding:`` (each must exist), and folder embeddings named as whole words."""
    texts = list(texts)
    known = folder_embeddings()
    chosen: dict[str, Embedding] = {}
    for item in given:
        path = Path(item).expanduser()
        if not path.is_file():
            if item not in known:
                raise ModelError(f"embedding not found: {item}")
            path = known[item].path
        if weights_kind(path) != "safetensors":
            raise ModelError(f"{path.name}: embeddings must be safetensors")
        kind = embedding_arch(path)
        if kind is None:
            raise ModelError(f"{path.name}: not a textual-inversion embedding")
        chosen[path.stem] = Embedding(path.stem, path, kind)
    for text in texts:
        for name in _PREFIXED.findall(text):
            if name not in known and name not in chosen:
                raise ModelError(
                    f"embedding:{name} not found in the model folder or its embeddings/ folder"
                )
            chosen.setdefault(name, known.get(name) or chosen[name])
    words = {w for text in texts for w in re.findall(r"[A-Za-z0-9_.\-]+", strip_prefix(text))}
    for name, embedding in known.items():
        if name in words:
            chosen.setdefault(name, embedding)
    for embedding in chosen.values():
        if embedding.arch != arch:
            raise ModelError(
                f"{embedding.path.name}: an embedding for "
                f"{'SDXL' if embedding.arch == 'sdxl' else 'SD 1.x'}, not this model"
            )
    return list(chosen.values())


def load(pipe: Any, embeddings: list[Embedding]) -> None:
    """Load ``embeddings`` into ``pipe``'s text encoders (both for SDXL)."""
    from safetensors.torch import load_file

    for embedding in embeddings:
        try:
            if embedding.arch == "sd":
                pipe.load_textual_inversion(str(embedding.path), token=embedding.name)
                continue
            tensors = load_file(str(embedding.path))
            pipe.load_textual_inversion(
                tensors["clip_l"],
                token=embedding.name,
                text_encoder=pipe.text_encoder,
                tokenizer=pipe.tokenizer,
            )
            pipe.load_textual_inversion(
                tensors["clip_g"],
                token=embedding.name,
                text_encoder=pipe.text_encoder_2,
                tokenizer=pipe.tokenizer_2,
            )
        except (ValueError, KeyError, RuntimeError, OSError) as exc:
            unload(pipe)
            raise ModelError(f"{embedding.path.name}: cannot load this embedding: {exc}") from None


def unload(pipe: Any) -> None:
    """Every embedding out of ``pipe``'s tokenizers and text encoders."""
    pipe.unload_textual_inversion()
    if getattr(pipe, "text_encoder_2", None) is not None:
        pipe.unload_textual_inversion(tokenizer=pipe.tokenizer_2, text_encoder=pipe.text_encoder_2)
