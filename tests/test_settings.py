"""One settings object (#33): every environment variable Sakuga reads is declared once
(`sakuga.settings.VARIABLES`), read into `Settings`, listed in the README's table,
and read nowhere else in the package."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from sakuga.errors import SpecError
from sakuga.settings import VARIABLES, Settings, database_url, settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_variable_fills_one_field_and_every_field_has_one_variable() -> None:
    assert sorted(v.field for v in VARIABLES) == sorted(f.name for f in fields(Settings))
    assert len({v.name for v in VARIABLES}) == len(VARIABLES)


def test_the_readmes_table_lists_exactly_the_variables_read() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    named = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}
    # AWS's own variables are read by boto3, not by Sakuga: they are named in a cell's
    # text, not in the first column.
    assert named == {v.name for v in VARIABLES}


def test_nothing_else_in_the_package_reads_a_setting_from_the_environment() -> None:
    """Only `sakuga/settings.py` reads the environment — by a literal name or through a
    constant alike. The one exception is OpenMP's own ``OMP_NUM_THREADS`` (how many
    threads onnxruntime may take), which is no Sakuga setting."""
    readers = []
    for path in (ROOT / "sakuga").rglob("*.py"):
        if path == ROOT / "sakuga" / "settings.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\benviron\b|getenv\(", line) and "OMP_NUM_THREADS" not in line:
                readers.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert readers == []


def test_settings_are_read_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path))
    monkeypatch.delenv("SAKUGA_DATABASE_URL", raising=False)
    monkeypatch.setenv("SAKUGA_JOB_LEASE", "4.5")
    monkeypatch.setenv("SAKUGA_TEST_ENGINES", "0")
    current = settings()
    assert current.home == tmp_path and current.lease == 4.5 and not current.test_engines
    assert database_url() == f"sqlite:///{tmp_path / 'library.db'}"
    monkeypatch.delenv("SAKUGA_JOB_LEASE")
    assert settings().lease == 30.0


def test_a_value_that_cannot_be_read_is_refused_naming_its_variable() -> None:
    with pytest.raises(SpecError, match="SAKUGA_JOB_LEASE must be a number"):
        Settings.read({"SAKUGA_JOB_LEASE": "soon"})
    with pytest.raises(SpecError, match="SAKUGA_OPENAI_RETRIES must be zero or more"):
        Settings.read({"SAKUGA_OPENAI_RETRIES": "-1"})
