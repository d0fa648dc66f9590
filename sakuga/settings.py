"""Sakuga's settings: every environment variable it reads, declared once (`VARIABLES`),
read into one `Settings` object. Read when asked (`settings()`), never at import: a
test or a CLI call that sets a variable sees it at once. The README's settings table
lists exactly these variables (a test compares them). Nothing else in the package reads
the environment for a setting of its own."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from platformdirs import user_data_dir

from sakuga.errors import SpecError


def _text(raw: str) -> str | None:
    return raw.strip() or None


def _number(name: str) -> Callable[[str], float | None]:
    def parse(raw: str) -> float | None:
        if not raw.strip():
            return None
        try:
            value = float(raw)
        except ValueError:
            raise SpecError(f"{name} must be a number, got {raw!r}") from None
        if value < 0 or not math.isfinite(value):
            raise SpecError(f"{name} must be zero or more, got {raw!r}")
        return value

    return parse


def _flag(raw: str) -> bool:
    return raw.strip() not in ("", "0")


@dataclass(frozen=True)
class Variable:
    """One environment variable: the `Settings` field it fills and how it is read."""

    name: str
    field: str
    parse: Callable[[str], Any]
    help: str


#: Every variable Sakuga reads, in the README's order.
VARIABLES: Final = (
    Variable("SAKUGA_HOME", "home_dir", _text, "Sakuga's folder (library, files, models)"),
    Variable("SAKUGA_DATABASE_URL", "database_url", _text, "the library database"),
    Variable("SAKUGA_STORAGE_URL", "storage_url", _text, "the library's files in S3"),
    Variable("SAKUGA_S3_ENDPOINT", "s3_endpoint", _text, "the S3-compatible endpoint"),
    Variable("SAKUGA_QUEUE_URL", "queue_url", _text, "the distributed queue's broker"),
    Variable("SAKUGA_JOB_LEASE", "job_lease", _number("SAKUGA_JOB_LEASE"), "a claim's seconds"),
    Variable("SAKUGA_TEST_ENGINES", "test_engines", _flag, "serve the test-only fake engine"),
    Variable("SAKUGA_FAKE_DELAY", "fake_delay", _number("SAKUGA_FAKE_DELAY"), "fake's delay"),
    Variable("SAKUGA_ANIMEGAN_MODEL", "animegan_model", _text, "the default AnimeGAN .onnx"),
    Variable("OPENAI_API_KEY", "openai_api_key", _text, "the openai engine's key"),
    Variable("OPENAI_BASE_URL", "openai_base_url", _text, "the openai engine's endpoint"),
    Variable("SAKUGA_OPENAI_MODEL", "openai_model", _text, "the openai engine's model"),
    Variable(
        "SAKUGA_OPENAI_TIMEOUT",
        "openai_timeout",
        _number("SAKUGA_OPENAI_TIMEOUT"),
        "seconds per API request",
    ),
    Variable(
        "SAKUGA_OPENAI_RETRIES",
        "openai_retries",
        _number("SAKUGA_OPENAI_RETRIES"),
        "retries after 429/5xx/timeouts",
    ),
    Variable("SAKUGA_DIFFUSERS_MODEL", "diffusers_model", _text, "diffusers' default model"),
    Variable("SAKUGA_DIFFUSERS_CONFIG", "diffusers_config", _text, "single files' configs"),
    Variable("SAKUGA_DEVICE", "device", _text, "diffusers' device"),
    Variable("SAKUGA_CONTROLNET_LINEART", "controlnet_lineart", _text, "the recipe's lineart"),
    Variable("SAKUGA_CONTROLNET_POSE", "controlnet_pose", _text, "the recipe's pose ControlNet"),
    Variable("SAKUGA_IP_ADAPTER", "ip_adapter", _text, "the recipe's IP-Adapter"),
    Variable("HF_HUB_OFFLINE", "hf_offline", lambda raw: raw.strip() == "1", "no hub pulls"),
)


@dataclass(frozen=True)
class Settings:
    """Every setting, as the environment gives it (None: not set, the default holds)."""

    home_dir: str | None = None
    database_url: str | None = None
    storage_url: str | None = None
    s3_endpoint: str | None = None
    queue_url: str | None = None
    job_lease: float | None = None
    test_engines: bool = False
    fake_delay: float | None = None
    animegan_model: str | None = None
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_timeout: float | None = None
    openai_retries: float | None = None
    diffusers_model: str | None = None
    diffusers_config: str | None = None
    device: str | None = None
    controlnet_lineart: str | None = None
    controlnet_pose: str | None = None
    ip_adapter: str | None = None
    hf_offline: bool = False

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings ``environ`` (the process's environment) gives; `SpecError` names
        a variable whose value cannot be read."""
        environ = os.environ if environ is None else environ
        found = {v.field: v.parse(environ[v.name]) for v in VARIABLES if v.name in environ}
        return cls(**found)

    @property
    def home(self) -> Path:
        """The folder that holds the library, its files and downloaded models."""
        if self.home_dir:
            return Path(self.home_dir).expanduser()
        return Path(user_data_dir("sakuga", appauthor=False))

    @property
    def lease(self) -> float:
        """Seconds a distributed worker's claim on a job lasts without a heartbeat."""
        return 30.0 if self.job_lease is None else self.job_lease


def settings() -> Settings:
    """The settings as the environment gives them now."""
    return Settings.read()


def home() -> Path:
    """The folder that holds the library, its files and downloaded models."""
    return settings().home


def models_dir() -> Path:
    return home() / "models"


def database_url() -> str:
    current = settings()
    return current.database_url or f"sqlite:///{current.home / 'library.db'}"
