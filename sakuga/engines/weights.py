"""What kind of weights file is this? Decided by content, never by the suffix.

Only ONNX graphs and safetensors are ever loaded. Pickle-based checkpoints
(``.ckpt``, ``.bin``, ``.pt``, PyTorch zip archives) can run code when loaded,
so they are refused, also when renamed ``.onnx`` or ``.safetensors``.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Literal

from sakuga.errors import ModelError

WeightsKind = Literal["onnx", "safetensors"]


def guard_library(path: str | Path) -> None:
    """Refuse ``path`` when it is the library's own data (or a folder holding it).

    A process that holds the library must never open its database by any means but
    its SQLite connection: closing any other descriptor of ``library.db`` drops the
    process's POSIX locks, the next process then takes itself for the last user and
    removes the WAL, and later writes vanish (SQLite's documented hazard). Models
    may live in the library's ``models/`` folder, nowhere else in it.
    """
    from sakuga.settings import home, models_dir

    try:
        target = Path(path).expanduser().resolve()
        library = home().expanduser().resolve()
        models = models_dir().expanduser().resolve()
    except (OSError, RuntimeError):
        return
    inside_models = target == models or models in target.parents
    if (library == target or library in target.parents) and not inside_models:
        raise ModelError(f"{Path(path).name}: part of the Sakuga library, not a model")
    if target in library.parents:
        raise ModelError(f"{Path(path).name}: a folder that holds the Sakuga library")


def weights_kind(path: str | Path) -> WeightsKind:
    """``"onnx"`` or ``"safetensors"`` for an allowed file; `ModelError` for anything else."""
    path = Path(path)
    guard_library(path)
    if not path.exists():
        raise ModelError(f"model file not found: {path}")
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path}")
    with path.open("rb") as handle:
        head = handle.read(16)
        size = path.stat().st_size
        if len(head) < 8:
            raise ModelError(f"{path.name}: too short to be a model ({size} bytes)")
        if head.startswith(b"PK\x03\x04"):
            raise ModelError(
                f"{path.name}: a PyTorch/zip pickle checkpoint; Sakuga only loads ONNX or "
                "safetensors weights (pickle files can run code when loaded)"
            )
        if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
            raise ModelError(
                f"{path.name}: a pickle file; Sakuga only loads ONNX or safetensors weights"
            )
        (header_len,) = struct.unpack("<Q", head[:8])
        if 2 <= header_len <= min(size - 8, 100_000_000) and head[8:9] == b"{":
            handle.seek(8)
            try:
                json.loads(handle.read(header_len))
            except (json.JSONDecodeError, UnicodeDecodeError):
                pass
            else:
                return "safetensors"
    # ONNX is a protobuf ModelProto: field 1 (ir_version) varint, tag byte 0x08.
    if head[:1] == b"\x08":
        return "onnx"
    raise ModelError(f"{path.name}: not an ONNX or safetensors file")
