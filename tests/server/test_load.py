"""The load test's correctness half, in CI: 50 clients at once against `sakuga serve`
on 127.0.0.1, through the same code as `benchmarks/server_overhead.py` (whose p99
figures are a benchmark's business, not a test's): no 5xx, no answer without its
image, and every answered job recorded in the library."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

# The slow lane (fifty clients against a live server): `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

BENCHMARK = Path(__file__).parents[2] / "benchmarks" / "server_overhead.py"


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("server_overhead", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_fifty_clients_get_no_5xx_and_lose_no_job() -> None:
    bench = _benchmark()
    # A short queue bound, so refusals (429, honoured by the clients) happen too.
    load = bench.run_load(seconds=10, clients=50, max_queued=8)
    times = bench.measure(load)
    assert load.errors == 0
    assert load.lost == 0  # every 200 carried a PNG, and its job is in the library, done
    assert len(times["added"]) == len(load.served) > 100
    assert load.rejected > 0  # the bound was reached and answered 429, not 5xx
