"""The terminal's first answer: `sakuga create "girl"` on the default engine against the
same with `--engine draw`, and `sakuga engines`, each a fresh process, side by side.

    python benchmarks/cli_startup.py

Goals (#32), on a machine with the `diffusers` extra installed: the default engine's
`create` at most 1.3× `--engine draw` (choosing the default must not import torch and
diffusers when no model is configured), and `sakuga engines` under 2 s. The baseline is
`--engine draw`, measured in the same run. Each figure is the best of five runs (the
least disturbed one on a shared machine). The library is a fresh temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile

from timing import best_of


def _command(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "sakuga", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    extras = [m for m in ("diffusers", "torch") if importlib.util.find_spec(m) is None]
    if extras:
        print(f"note: {', '.join(extras)} not installed here: the figures do not test #32's case")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SAKUGA_HOME": home, "HF_HUB_OFFLINE": "1"}
        env.pop("SAKUGA_DIFFUSERS_MODEL", None)
        out = os.path.join(home, "girl.png")
        drawn = ("create", "girl", "--engine", "draw", "-o", out)
        draw = best_of(lambda: _command(*drawn, env=env), 5)
        default = best_of(lambda: _command("create", "girl", "-o", out, env=env), 5)
        engines = best_of(lambda: _command("engines", env=env), 5)
    print(f"create --engine draw (baseline): {draw:.2f} s")
    ratio = default / draw
    print(f"create (default engine):         {default:.2f} s  ratio {ratio:.2f} (goal ≤ 1.3)")
    print(f"engines:                         {engines:.2f} s  (goal < 2 s)")


if __name__ == "__main__":
    main()
