from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sakuga.engines.animegan import MODEL_ENV, AnimeGANEngine, load_model
from sakuga.engines.base import Engine, EngineRequest, Task
from sakuga.errors import EngineUnavailableError, ModelError
from tests.engines.contract import EngineContract
from tests.engines.tiny_onnx import build_generator


@pytest.fixture(autouse=True)
def _fresh_model_cache() -> None:
    load_model.cache_clear()


class TestAnimeGANContractNHWC(EngineContract):
    @pytest.fixture()
    def engine(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
        monkeypatch.setenv(MODEL_ENV, str(build_generator(tmp_path / "nhwc.onnx", "NHWC")))
        return AnimeGANEngine()


class TestAnimeGANContractNCHW(EngineContract):
    @pytest.fixture()
    def engine(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
        monkeypatch.setenv(MODEL_ENV, str(build_generator(tmp_path / "nchw.onnx", "NCHW")))
        return AnimeGANEngine()


def _run(model: Path, image: Image.Image, **options: object) -> np.ndarray:
    request = EngineRequest(
        Task.PHOTO_TO_ANIME, image=image, seed=1, model=str(model), options=options
    )
    return np.asarray(AnimeGANEngine().run(request).images[0], np.float32)


def _photo(width: int, height: int) -> Image.Image:
    rng = np.random.default_rng(3)
    small = rng.integers(0, 255, (height // 8 + 1, width // 8 + 1, 3), np.uint8)
    return Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC)


def test_layouts_give_the_same_picture(tmp_path: Path) -> None:
    photo = _photo(100, 70)
    nhwc = _run(build_generator(tmp_path / "a.onnx", "NHWC"), photo)
    nchw = _run(build_generator(tmp_path / "b.onnx", "NCHW"), photo)
    assert nhwc.shape == (70, 100, 3)
    assert np.abs(nhwc - nchw).max() <= 1.0  # same weights, same maths, only layout differs


def test_output_follows_the_input(tmp_path: Path) -> None:
    photo = _photo(96, 64)
    out = _run(build_generator(tmp_path / "a.onnx"), photo)
    src = np.asarray(photo, np.float32)
    assert np.corrcoef(src.ravel(), out.ravel())[0, 1] > 0.9


def test_tiling_matches_a_single_pass(tmp_path: Path) -> None:
    photo = _photo(300, 200)
    model = build_generator(tmp_path / "a.onnx")
    whole = _run(model, photo, tile=1024)
    tiled = _run(model, photo, tile=128)
    assert np.abs(whole - tiled).mean() < 1.0


def test_fixed_size_model_is_tiled_and_restored(tmp_path: Path) -> None:
    model = build_generator(tmp_path / "fixed.onnx", "NCHW", fixed=(64, 64), zero_one=True)
    photo = _photo(150, 90)
    out = _run(model, photo)
    assert out.shape == (90, 150, 3)
    # The [0, 1] model with its metadata gives the same picture as the [-1, 1] one.
    other = _run(build_generator(tmp_path / "free.onnx", "NCHW"), photo)
    assert np.corrcoef(out.ravel(), other.ravel())[0, 1] > 0.9


def test_small_photo_on_a_fixed_size_model(tmp_path: Path) -> None:
    model = build_generator(tmp_path / "fixed.onnx", "NHWC", fixed=(64, 64))
    assert _run(model, _photo(40, 30)).shape == (30, 40, 3)


def test_unavailable_without_a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    engine = AnimeGANEngine()
    assert not engine.availability().ok
    assert MODEL_ENV in engine.availability().reason
    with pytest.raises(EngineUnavailableError, match="--model"):
        engine.run(EngineRequest(Task.PHOTO_TO_ANIME, image=_photo(32, 32)))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"\x80\x04\x95" + b"\x00" * 64), "pickle"),
        (
            lambda p: zipfile.ZipFile(p, "w").writestr("archive/data.pkl", b"x"),
            "PyTorch/zip pickle",
        ),
        (lambda p: p.write_bytes(b"hello, not a model at all"), "not an ONNX or safetensors"),
        (lambda p: p.write_bytes(b"\x08\x07" + b"\xff" * 40), "not a valid ONNX model"),
        (lambda p: p.write_bytes(_safetensors_bytes()), "safetensors weights hold no graph"),
    ],
)
def test_refuses_what_is_not_an_onnx_graph(tmp_path: Path, make: object, message: str) -> None:
    path = tmp_path / "model.onnx"  # the suffix lies: content decides
    make(path)  # type: ignore[operator]
    request = EngineRequest(Task.PHOTO_TO_ANIME, image=_photo(32, 32), model=str(path))
    with pytest.raises(ModelError, match=message):
        AnimeGANEngine().run(request)


def test_missing_model_file(tmp_path: Path) -> None:
    request = EngineRequest(
        Task.PHOTO_TO_ANIME, image=_photo(32, 32), model=str(tmp_path / "x.onnx")
    )
    with pytest.raises(ModelError, match="not found"):
        AnimeGANEngine().run(request)


def _safetensors_bytes() -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\x00\x00\x80\x3f"
