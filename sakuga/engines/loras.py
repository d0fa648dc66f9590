"""LoRAs as A1111 users keep and name them (#35): found by their keys wherever they lie
in the model folder (A1111 keeps them in ``models/Lora``), asked for by name
(``--lora ink_style:0.6``) or by a prompt's ``<lora:ink_style:0.6>`` tag, and hashed
as A1111's "Lora hashes" are (the addnet hash: the file's sha256 after its safetensors
header, 12 hex digits), so other tools can match them.
"""

from __future__ import annotations

import glob
import hashlib
import json
import re
import struct
from pathlib import Path
from typing import Final

from sakuga.errors import ModelError

#: A prompt's LoRA tag: ``<lora:NAME>``, ``<lora:NAME:0.6>`` (LyCORIS's ``<lyco:…>`` too;
#: a third field, A1111's text-encoder weight, is read past).
LORA_TAG: Final = re.compile(r"<(?:lora|lyco):([^:<>]+)(?::([-+]?[\d.]+))?(?::[^<>]*)?>", re.I)
#: Keys only a LoRA (or LyCORIS) file has: kohya's, diffusers' and PEFT's.
_LORA_KEYS: Final = re.compile(r"lora_(?:up|down|A|B)\b|\.lora\.|lora_unet_|lora_te|hada_w|lokr_w")
#: How far below the model folder LoRAs are looked for (models/Lora/style/x.safetensors).
_DEPTH: Final = 3


def lora_tags(prompt: str) -> tuple[str, list[tuple[str, float]]]:
    """``prompt`` without its LoRA tags (the text the encoder reads), and each tag's
    (name, weight), the weight 1 when none is given."""
    tags = [
        (name.strip(), float(weight) if weight else 1.0)
        for name, weight in LORA_TAG.findall(prompt)
    ]
    text = LORA_TAG.sub(" ", prompt)
    text = re.sub(r"\s*,(\s*,)+", ",", text)  # "a, <lora:x>, b" leaves no ", ,"
    return re.sub(r"[ \t]{2,}", " ", text).strip(" ,"), tags


def _header(path: Path) -> dict[str, object] | None:
    """A safetensors file's header (its tensors' names), or None for anything else."""
    try:
        with path.open("rb") as handle:
            (size,) = struct.unpack("<Q", handle.read(8))
            if not 2 <= size <= 100_000_000:
                return None
            header = json.loads(handle.read(size))
    except (OSError, struct.error, ValueError):
        return None
    return header if isinstance(header, dict) else None


def is_lora(path: Path) -> bool:
    """Whether ``path`` is a LoRA (or LyCORIS) safetensors file, by its tensors' names."""
    if path.suffix.lower() != ".safetensors" or not path.is_file():
        return False
    header = _header(path)
    return header is not None and any(_LORA_KEYS.search(k) for k in header if k != "__metadata__")


def find_loras(folder: Path, stem: str | None = None) -> list[Path]:
    """Every LoRA file in ``folder`` and the folders below it (a few levels), by name;
    with ``stem``, only those of that name (no other file's header is read)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob(f"{stem}.safetensors" if stem else "*.safetensors")):
        depth = len(path.relative_to(folder).parts)
        if depth <= _DEPTH and not any(p.startswith(".") for p in path.parts) and is_lora(path):
            found.append(path)
    return found


def resolve_lora(name: str, folder: Path | None = None) -> Path:
    """A LoRA file: ``name`` as a path when it is one, else the LoRA of that name (file
    name, with or without ``.safetensors``) in the model folder or below it."""
    from sakuga.settings import models_dir

    given = Path(name).expanduser()
    if given.is_file() or given.is_absolute() or name.startswith((".", "~")):
        return given
    folder = folder or models_dir()
    wanted = name[: -len(".safetensors")] if name.lower().endswith(".safetensors") else name
    named = find_loras(folder, glob.escape(wanted))  # each run: only its name's headers
    if named:
        return named[0]
    known = ", ".join(p.stem for p in find_loras(folder)) or "none"
    raise ModelError(
        f"no LoRA named {wanted!r} in the model folder ({folder}) or below it; LoRAs found: {known}"
    )


def addnet_hash(path: Path) -> str:
    """A1111's LoRA hash ("addnet"): the sha256 of the file after its safetensors
    header (so editing the metadata does not change it), its first 12 hex digits."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        handle.seek(8 + size)
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]
