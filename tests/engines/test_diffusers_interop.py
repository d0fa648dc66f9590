"""Local diffusers checkpoints as other tools leave them: a ControlNet labelled the way
A1111's ControlNet extension labels it, git clones of Hugging Face repos (pickle twins
beside the safetensors), and the single-file hint naming only real flags."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.conftest import require_diffusers

require_diffusers()

from sakuga.engines.base import EngineRequest, EngineResult, Task  # noqa: E402
from sakuga.engines.diffusion import DiffusersEngine  # noqa: E402
from sakuga.engines.diffusion.controls import resolve_controlnet  # noqa: E402
from sakuga.engines.diffusion.loading import (  # noqa: E402
    config_folder,
    legacy_hash,
    resolve_source,
)
from sakuga.errors import ModelError  # noqa: E402
from tests.engines.tiny_diffusers import (  # noqa: E402
    clone_with_pickles,
)

pytestmark = pytest.mark.slow

STEPS = {"steps": 2}
MIB = 0x100000


def _a1111_legacy(data: bytes) -> str:
    """Written from the definition: sha256 of the 64 KiB slice at 1 MiB, 8 hex digits."""
    return hashlib.sha256(data[MIB : MIB + 0x10000]).hexdigest()[:8]


def _pixels(model: Path, **options: object) -> np.ndarray:
    request = EngineRequest(
        Task.TEXT_TO_IMAGE, size=(64, 64), seed=3, model=str(model), options={**STEPS, **options}
    )
    return np.asarray(DiffusersEngine().run(request).images[0])


# ControlNet labels ----------------------------------------------------------------


def _guided(model: Path, net: Path, kind: str, given: Image.Image) -> EngineResult:
    """One tiny generation guided by the ControlNet ``net`` with the map ``given``."""
    request = EngineRequest(
        Task.TEXT_TO_IMAGE,
        size=(64, 64),
        seed=3,
        model=str(model),
        options={**STEPS, "controls": [{"kind": kind, "model": str(net), "image": 0}]},
        control_images=(given,),
    )
    return DiffusersEngine().run(request)


def test_the_legacy_hash_reads_only_the_slice_at_one_mib(tmp_path: Path) -> None:
    head, window, tail = b"\x01" * MIB, bytes(range(256)) * 256, b"\x02" * 5000
    path = tmp_path / "weights.safetensors"
    path.write_bytes(head + window + tail)
    expected = hashlib.sha256(window).hexdigest()[:8]
    assert legacy_hash(path) == expected == _a1111_legacy(path.read_bytes())
    # Bytes outside the slice do not count; a byte inside does.
    path.write_bytes(b"\x09" * MIB + window + b"\x07" * 3)
    assert legacy_hash(path) == expected
    path.write_bytes(head + b"\xff" + window[1:] + tail)
    assert legacy_hash(path) != expected
    # Shorter than the slice's end: what the read returns; under 1 MiB: nothing at all.
    path.write_bytes(head + b"abc")
    assert legacy_hash(path) == hashlib.sha256(b"abc").hexdigest()[:8]
    path.write_bytes(b"small")
    assert legacy_hash(path) == hashlib.sha256(b"").hexdigest()[:8] == "e3b0c442"


def test_a_controlnet_unit_is_labelled_with_a1111s_legacy_hash(
    tiny_sd: Path, tiny_controlnet: Path
) -> None:
    weights = tiny_controlnet / "diffusion_pytorch_model.safetensors"
    data = weights.read_bytes()
    assert len(data) > MIB + 0x10000  # the whole slice is the file's own bytes
    unit = _guided(tiny_sd, tiny_controlnet, "lineart", Image.new("RGB", (64, 64)))
    unit = unit.params["ControlNet 0"]
    assert unit.startswith(
        f"Module: lineart_anime, Model: tiny-lineart-cn [{_a1111_legacy(data)}], Weight: 1,"
    )


# Hugging Face clones ---------------------------------------------------------------


def test_a_clone_with_pickle_twins_loads_the_safetensors_and_never_the_pickles(
    tiny_sd: Path, tmp_path: Path
) -> None:
    clone = clone_with_pickles(tiny_sd, tmp_path / "clone")
    twins = sorted(p.relative_to(clone).as_posix() for p in clone.rglob("*.bin"))
    assert twins == [
        "text_encoder/pytorch_model.bin",
        "unet/diffusion_pytorch_model.bin",
        "vae/diffusion_pytorch_model.bin",
    ]
    # The twins are junk: had any been read, the load would have failed.
    assert np.array_equal(_pixels(clone), _pixels(tiny_sd))


def test_a_controlnet_clone_with_a_pickle_twin_guides_as_the_clean_one(
    tiny_sd: Path, tiny_controlnet: Path, tmp_path: Path
) -> None:
    clone = clone_with_pickles(tiny_controlnet, tmp_path / "tiny-lineart-cn")
    assert (clone / "diffusion_pytorch_model.bin").is_file()
    assert resolve_controlnet(str(clone)).short_hash() == legacy_hash(
        tiny_controlnet / "diffusion_pytorch_model.safetensors"
    )
    photo = Image.new("RGB", (64, 64), "white")
    photo.paste((0, 0, 0), (16, 16, 48, 48))

    def guided(net: Path) -> np.ndarray:
        return np.asarray(_guided(tiny_sd, net, "canny", photo).images[0])

    assert np.array_equal(guided(clone), guided(tiny_controlnet))


def test_a_part_with_only_pickle_weights_is_refused_by_name(tiny_sd: Path, tmp_path: Path) -> None:
    clone = clone_with_pickles(tiny_sd, tmp_path / "clone")
    (clone / "unet" / "diffusion_pytorch_model.safetensors").unlink()
    with pytest.raises(ModelError) as refused:
        resolve_source(str(clone))
    message = str(refused.value)
    assert message.startswith("unet/diffusion_pytorch_model.bin: pickle weights")
    assert "no .safetensors" in message and "text_encoder" not in message
    with pytest.raises(ModelError, match=r"unet/diffusion_pytorch_model\.bin"):
        _pixels(clone)


def test_a_pickle_renamed_safetensors_beside_a_twin_is_still_refused(
    tiny_sd: Path, tmp_path: Path
) -> None:
    clone = clone_with_pickles(tiny_sd, tmp_path / "clone")
    (clone / "vae" / "diffusion_pytorch_model.safetensors").write_bytes(b"\x80\x04junk....")
    with pytest.raises(ModelError, match="a pickle file"):
        resolve_source(str(clone))


# The single-file hint --------------------------------------------------------------


def _cli_flags(words: list[str]) -> tuple[set[str], list[str]]:
    """The flags of the command ``sakuga WORDS…`` names, and the words after it."""
    import typer

    from sakuga.cli import app

    command: Any = typer.main.get_command(app)
    while words and words[0] in getattr(command, "commands", {}):
        command = command.commands[words.pop(0)]
    return {opt for param in command.params for opt in param.opts}, words


@pytest.mark.parametrize("arch", ["sd", "sdxl"])
def test_the_single_file_hint_names_only_real_flags(
    arch: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sakuga.settings import VARIABLES

    monkeypatch.delenv("SAKUGA_DIFFUSERS_CONFIG", raising=False)
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path))
    with pytest.raises(ModelError) as refused:
        config_folder(arch)  # type: ignore[arg-type]
    hint = str(refused.value)
    commands = re.findall(r"`sakuga ([^`]+)`", hint)
    assert commands, hint
    for text in commands:
        known, rest = _cli_flags(text.split())
        for flag in (w for w in rest if w.startswith("-")):
            assert flag in known, f"`sakuga {text}`: {flag} is not one of its flags"
    # A flag outside a quoted command belongs to no command the reader could run.
    assert not re.findall(r"--[a-z]", re.sub(r"`[^`]*`", "", hint)), hint
    variables = {v.name for v in VARIABLES}
    for name in re.findall(r"\bSAKUGA_[A-Z_]+", hint):
        assert name in variables, name


class _Trap:
    """Unpickled, it writes a file: proof that something ran the pickle."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


def test_a_pickle_beside_only_other_safetensors_is_never_run(tiny_sd: Path, tmp_path: Path) -> None:
    """The safetensors beside a pickle are not the ones diffusers would take (only an
    fp16 variant): loading fails, and the pickle still never runs."""
    import pickle

    clone = clone_with_pickles(tiny_sd, tmp_path / "clone")
    unet = clone / "unet"
    (unet / "diffusion_pytorch_model.safetensors").rename(
        unet / "diffusion_pytorch_model.fp16.safetensors"
    )
    marker = tmp_path / "ran"
    (unet / "diffusion_pytorch_model.bin").write_bytes(pickle.dumps(_Trap(marker)))
    with pytest.raises(ModelError, match="cannot load"):
        _pixels(clone)
    assert not marker.exists()
