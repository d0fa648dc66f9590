"""`benchmarks/gpu_check.sh --tiny`: the GPU benchmark's every code path on tiny models
on the CPU, so the script a lent GPU runs cannot rot. Numbers are checked for being
measured (present, positive, finite), never for their size: this is not a timing."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_diffusers

# The slow lane (a tiny diffusers run of every line): `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

require_diffusers()


ROOT = Path(__file__).parents[2]
#: Every line of the table; those that time denoising steps carry it/s.
STEP_LINES = {
    "fp32_classic", "fp16_sdpa", "bf16_sdpa", "sakuga", "fused_qkv", "compile",
    "controlnet", "detailer", "hires", "e2e_bare_image",
}  # fmt: skip
OTHER_LINES = {
    "decode_baseline", "decode_cover", "decode_cover_tiled", "e2e_first_load",
    "e2e_sakuga_load", "e2e_bare_load", "e2e_bare_total", "e2e_sakuga_cli",
    "e2e_sakuga_image",
}  # fmt: skip
COMPARED = {
    "fp32_classic": "fp16_sdpa", "bf16_sdpa": "fp16_sdpa", "sakuga": "fp16_sdpa",
    "fused_qkv": "sakuga", "compile": "sakuga", "controlnet": "sakuga",
    "detailer": "sakuga", "hires": "sakuga", "decode_cover": "decode_baseline",
    "decode_cover_tiled": "decode_baseline", "e2e_sakuga_cli": "e2e_bare_total",
    "e2e_sakuga_image": "e2e_bare_image",
}  # fmt: skip


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and value > 0


@pytest.mark.slow
def test_tiny_run_measures_every_line_and_writes_the_json(tmp_path: Path) -> None:
    out = tmp_path / "table.json"
    env = {**os.environ, "PYTHON": sys.executable, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    env.pop("OUT", None)
    done = subprocess.run(
        ["bash", str(ROOT / "benchmarks" / "gpu_check.sh"), "--tiny", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["complete"] is True
    lines = {line["key"]: line for line in report["lines"]}
    assert set(lines) == STEP_LINES | OTHER_LINES
    for key, line in lines.items():
        assert _positive(line["seconds"]), key
        assert line["peak_gib"] is None, key  # the CPU has no CUDA peak to report
        if key in STEP_LINES:
            assert _positive(line["it_per_s"]), key
            assert line["steps"] == report["steps"], key  # the passes run the full steps
        assert line["versus"] == COMPARED.get(key), key
        if key in COMPARED:
            assert _positive(line["ratio"]), key
    assert lines["sakuga"]["ratio"] == pytest.approx(
        lines["sakuga"]["it_per_s"] / lines["fp16_sdpa"]["it_per_s"]
    )
    for name in ("sakuga_over_fp16_sdpa_it_s", "sakuga_cli_over_bare", "sakuga_image_over_bare"):
        assert _positive(report["headline"][name]), name
    assert "bf16" in report["sakuga_default"] and "channels-last" in report["sakuga_default"]
    # One table on stdout: its header, then a row per line in the JSON's order.
    table = done.stdout.splitlines()
    header = next(i for i, text in enumerate(table) if text.startswith("line "))
    rows = table[header + 1 : header + 1 + len(report["lines"])]
    assert [row[:50].rstrip() for row in rows] == [line["label"][:50] for line in report["lines"]]
    assert "goal ≤ 1.05" in done.stdout
