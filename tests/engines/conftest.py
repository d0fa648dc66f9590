"""The tiny diffusers pipelines the engine tests share: each built once per session
(random weights, saved as safetensors, loaded through the real path). Tests read them
and never write into them; a test that needs a changed copy makes one."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_sd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.engines.tiny_diffusers import build_sd

    return build_sd(tmp_path_factory.mktemp("tiny-sd") / "sd")


@pytest.fixture(scope="session")
def tiny_controlnet(tiny_sd: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.engines.tiny_diffusers import build_controlnet

    return build_controlnet(tiny_sd, tmp_path_factory.mktemp("cn") / "tiny-lineart-cn")
