#!/usr/bin/env bash
# One command for a lent GPU: install what the benchmark needs from this checkout, then
# run benchmarks/gpu_sdxl.py (SDXL baseline vs Sakuga's settings, Sakuga end to end),
# print one table and write it as JSON.
#
#   bash benchmarks/gpu_check.sh [--tiny] [--wheels DIR] [JSON]
#
# JSON defaults to $OUT/gpu_check.json when $OUT is set, else ./gpu_check.json.
# --tiny runs the same code on tiny models on the CPU (the test suite does, so this
# script cannot rot). --wheels DIR installs from wheels in DIR only (a machine with no
# network: see docs/gpu-benchmark.md). The run is cut at 8 minutes (GPU_CHECK_LIMIT_S);
# the JSON holds every line measured before the cut.
set -euo pipefail
cd "$(dirname "$0")/.."

tiny="" wheels="" json=""
while [ $# -gt 0 ]; do
    case "$1" in
        --tiny) tiny="--tiny" ;;
        --wheels) wheels="$2"; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        -*) echo "gpu_check.sh: unknown option $1" >&2; exit 2 ;;
        *) json="$1" ;;
    esac
    shift
done
json="${json:-${OUT:-.}/gpu_check.json}"
python="${PYTHON:-python3}"
export HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
if [ -n "$tiny" ]; then
    # The tiny run is a check, on a small CPU: one thread, as the tests run.
    export OMP_NUM_THREADS=1 CUDA_VISIBLE_DEVICES=""
fi

pip_install() {
    if [ -n "$wheels" ]; then
        "$python" -m pip install -q --no-index --find-links "$wheels" "$@"
    else
        "$python" -m pip install -q "$@"
    fi
}

# torch first, and never over one already there (a GPU box's has CUDA; PyPI's default
# wheel might not match its driver).
if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "gpu_check: installing torch" >&2
    pip_install torch
fi
# Sakuga from this checkout (its entry points name the engines) with diffusers. Skipped
# when this checkout is already installed with everything the benchmark imports.
if ! "$python" - <<'EOF' 2>/dev/null; then
import importlib.metadata, pathlib, sys
import diffusers, transformers, accelerate, safetensors, typer, sakuga.cli  # noqa: F401
here = pathlib.Path.cwd().resolve()
installed = pathlib.Path(sakuga.cli.__file__).resolve()
names = {e.name for e in importlib.metadata.entry_points(group="sakuga.engines")}
sys.exit(0 if here in installed.parents and "diffusers" in names else 1)
EOF
    echo "gpu_check: installing sakuga[diffusers] from $(pwd)" >&2
    if [ -n "$wheels" ]; then
        # Offline: the wheels bring what the machine lacks (docs/gpu-benchmark.md lists
        # them); the checkout goes in without resolving every extra (the toon engine's
        # mediapipe and OpenCV build are not needed here) by the machine's setuptools.
        "$python" -m pip install -q --no-index --no-deps "$wheels"/*.whl
        "$python" -m pip install -q --no-index --no-deps --no-build-isolation -e .
    else
        pip_install -e '.[diffusers]'
    fi
fi

"$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'
status=0
# shellcheck disable=SC2086  # $tiny: no word when empty
timeout --signal=TERM "${GPU_CHECK_LIMIT_S:-480}" \
    "$python" benchmarks/gpu_sdxl.py $tiny --json "$json" || status=$?
if [ "$status" -eq 124 ]; then
    echo "gpu_check: cut at ${GPU_CHECK_LIMIT_S:-480} s; $json holds the lines measured" >&2
fi
exit "$status"
