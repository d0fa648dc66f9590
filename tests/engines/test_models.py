from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sakuga.engines.models import list_models, pull, remove, resolve_model
from sakuga.errors import ModelError
from tests.engines.tiny_onnx import build_generator


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server over a folder (no traffic leaves 127.0.0.1)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def test_pull_over_http_checks_content(served: tuple[str, Path], tmp_path: Path) -> None:
    base, root = served
    build_generator(root / "hayao.onnx")
    (root / "evil.onnx").write_bytes(b"\x80\x04\x95" + b"\x00" * 40)
    folder = tmp_path / "models"
    path = pull(f"{base}/hayao.onnx", folder=folder)
    assert path == folder / "hayao.onnx" and path.stat().st_size > 100
    with pytest.raises(ModelError, match="pickle"):
        pull(f"{base}/evil.onnx", folder=folder)
    assert [m.name for m in list_models(folder)] == ["hayao.onnx"]  # nothing half-written left
    assert list_models(folder)[0].kind == "onnx"
    assert resolve_model("hayao", folder) == folder / "hayao.onnx"
    remove("hayao.onnx", folder)
    assert list_models(folder) == []


def test_pull_failures_are_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelError, match="could not download"):
        pull("http://127.0.0.1:9/none.onnx", folder=tmp_path)
    with pytest.raises(ModelError, match=r"\.onnx or \.safetensors"):
        pull("http://127.0.0.1:9/model.ckpt", folder=tmp_path)
    with pytest.raises(ModelError, match="repo id"):
        pull("justaname", folder=tmp_path)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match=r"offline|huggingface_hub"):
        pull("someone/animegan", "Hayao.onnx", folder=tmp_path)
    with pytest.raises(ModelError, match="no model called"):
        remove("missing.onnx", tmp_path)


def test_pull_repo_keeps_safetensors_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A diffusers repo pull, with huggingface_hub's download replaced by a local copy
    that applies the same allow/ignore patterns (no network here)."""
    import fnmatch
    import shutil

    import huggingface_hub

    from sakuga.engines.models import pull_repo

    repo = tmp_path / "remote"
    (repo / "unet").mkdir(parents=True)
    (repo / "model_index.json").write_text('{"_class_name": "StableDiffusionPipeline"}')
    (repo / "unet" / "config.json").write_text("{}")
    import numpy as np
    from safetensors.numpy import save_file

    save_file(
        {"w": np.zeros(2, np.float32)}, str(repo / "unet" / "diffusion_pytorch_model.safetensors")
    )
    (repo / "unet" / "diffusion_pytorch_model.bin").write_bytes(b"\x80\x04" + b"\x00" * 30)
    (repo / "model.vae.pt").write_bytes(b"\x80\x04" + b"\x00" * 30)
    save_file({"w": np.zeros(2, np.float32)}, str(repo / "whole-model.safetensors"))

    def fake_download(
        repo_id: str, local_dir: Path, allow_patterns: list[str], ignore_patterns: list[str]
    ) -> str:
        for path in repo.rglob("*"):
            rel = path.relative_to(repo).as_posix()
            allowed = any(fnmatch.fnmatch(rel, p) for p in allow_patterns)
            if (
                path.is_file()
                and allowed
                and not any(fnmatch.fnmatch(rel, p) for p in ignore_patterns)
            ):
                (Path(local_dir) / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, Path(local_dir) / rel)
        return str(local_dir)

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_download)
    folder = tmp_path / "models"
    target = pull_repo("someone/anime-sd", folder=folder)
    got = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert got == [
        "model_index.json",
        "unet/config.json",
        "unet/diffusion_pytorch_model.safetensors",
    ]
    assert [m.kind for m in list_models(folder)] == ["diffusers folder"]
    configs = pull_repo("someone/anime-sd", config_only=True, folder=folder)
    assert configs == folder / "configs" / "sd" and not list(configs.rglob("*.safetensors"))
    assert [m.name for m in list_models(folder)] == ["someone--anime-sd"]  # configs/ is no model
    remove("someone--anime-sd", folder)
    assert list_models(folder) == []
    with pytest.raises(ModelError, match="no model"):
        remove("configs", folder)


def test_weight_hashes_are_remembered_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import json

    from sakuga.engines.diffusion.loading import HASH_CACHE, file_hash
    from sakuga.engines.models import list_models

    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path / "home"))
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"weights " * 1000)
    assert file_hash(weights) == hashlib.sha256(weights.read_bytes()).hexdigest()[:10]
    cache = tmp_path / "home" / "models" / HASH_CACHE
    known = json.loads(cache.read_text())
    # Same path, size and time: the remembered hash is used, the file is not read again.
    known[str(weights.resolve())]["sha256"] = "f" * 64
    cache.write_text(json.dumps(known))
    assert file_hash(weights) == "f" * 10
    # Changed: hashed again.
    weights.write_bytes(b"other weights " * 1000)
    assert file_hash(weights) == hashlib.sha256(weights.read_bytes()).hexdigest()[:10]
    assert [m.name for m in list_models()] == []  # the cache is not listed as a model
