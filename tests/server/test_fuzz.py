"""A bounded fuzz of the HTTP API (issue #15): no input a client sends gets a 500.

Hypothesis builds bodies from each route's own fields, filled with hostile values
(wrong types, huge and negative numbers, lone surrogates, deep nesting, odd keys). A
route answers them with a 4xx in its error shape, or does the job. Bounded: a fixed
number of examples per route, no deadline (CI's machine is shared).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sakuga.server.app import create_app
from sakuga.server.security import ServerSettings
from sakuga.studio.library.library import Library

EXAMPLES = 150
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# The slow lane (hypothesis against the API): `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["\ud800", "../../etc/passwd", "x" * 5000, "1024x1024", "16x16", "²x²"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
models = st.sampled_from(["fake", "fake:x", "diffusers:/etc", "animegan:..", "gpt-image-2"])


def body(fields: dict[str, st.SearchStrategy[object]]) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries(
        {}, optional={k: s | values for k, s in fields.items()} | {"extra": values}
    )


@pytest.fixture()
def client(library: Library) -> Iterator[TestClient]:
    settings_ = ServerSettings(extra_hosts=("testserver",), max_queued=4)
    with TestClient(create_app(settings_, library), raise_server_exceptions=False) as test:
        yield test


def _post(client: TestClient, path: str, data: object) -> int:
    # ensure_ascii keeps lone surrogates as \\ud800 escapes, as a hostile client sends them.
    raw = json.dumps(data, ensure_ascii=True)
    answer = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert answer.status_code < 500, (path, raw[:300], answer.text[:300])
    assert answer.headers["x-content-type-options"] == "nosniff"
    return answer.status_code


@FUZZ
@given(data=body({"prompt": st.text(max_size=60), "n": st.integers(0, 12), "size": scalars,
                  "response_format": scalars}))  # fmt: skip
def test_fuzz_openai_generations(client: TestClient, data: dict[str, object]) -> None:
    data.setdefault("model", "fake")
    _post(client, "/v1/images/generations", data)


@FUZZ
@given(data=body({"prompt": st.text(max_size=60), "n": st.integers(0, 12), "size": scalars}),
       model=models)  # fmt: skip
def test_fuzz_openai_models(client: TestClient, data: dict[str, object], model: str) -> None:
    _post(client, "/v1/images/generations", {**data, "model": model})


@FUZZ
@given(
    data=body(
        {
            "kind": st.sampled_from(["create", "anime", "edit", "vary", "x"]),
            "prompt": st.text(max_size=60),
            "n": st.integers(0, 12),
            "seed": st.integers(-1, 2**40),
            "style": st.sampled_from(["cute", "watercolor", "zz"]),
            "use": st.sampled_from(["poster", "sticker", "zz"]),
            "generation": st.text(max_size=40),
            "upload": st.text(max_size=64),
            "character": st.text(max_size=20),
        }
    )
)
def test_fuzz_jobs(client: TestClient, data: dict[str, object]) -> None:
    data["engine"] = "fake"
    _post(client, "/api/jobs", data)


@FUZZ
@given(data=body({"name": st.text(max_size=30), "description": st.text(max_size=80),
                  "style": scalars, "seed": st.integers(-5, 2**40), "refs": values}))  # fmt: skip
def test_fuzz_characters(client: TestClient, data: dict[str, object]) -> None:
    _post(client, "/api/characters", data)


@FUZZ
@given(data=body({"text": st.text(max_size=200)}))
def test_fuzz_critique(client: TestClient, data: dict[str, object]) -> None:
    _post(client, "/api/critique", data)


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["kept", "character", "style", "engine", "limit", "offset", "zz"]),
        st.text(max_size=25) | st.integers(-(2**70), 2**70).map(str),
        max_size=4,
    ),
    gen_id=st.text(min_size=1, max_size=30),
)
def test_fuzz_reads(client: TestClient, query: dict[str, str], gen_id: str) -> None:
    answer = client.get("/api/generations", params=query)
    assert answer.status_code < 500, (query, answer.text[:300])
    quoted = quote(gen_id.encode("utf-8", "surrogatepass"), safe="")
    for path in (f"/api/generations/{quoted}", f"/api/images/{quoted}", f"/api/jobs/{quoted}"):
        answer = client.get(path)
        assert answer.status_code < 500, (path, answer.text[:300])


# Issue #30: the jobs' options and controls, and multipart uploads.
option_names = st.sampled_from(
    ["delay", "steps", "cfg", "sampler", "clip_skip", "strength", "loras", "hires", "detail",
     "vae", "embeddings", "ip_adapter", "config", "device", "guidance_rescale", "prediction",
     "quality", "background", "seam", "zz"]
)  # fmt: skip
option_values = (
    scalars
    | st.sampled_from([1e308, -1e308, 10**9, "inf", "nan", "-inf", True, "/etc", "face,hands"])
    | st.lists(scalars, max_size=3)
)


@FUZZ
@given(
    options=st.dictionaries(option_names, option_values, max_size=5),
    controls=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "kind": st.sampled_from(["canny", "lineart", "pose", "depth"]) | scalars,
                "model": st.sampled_from(["/etc", "cn", "../x"]) | scalars,
                "weight": scalars,
                "start": scalars,
                "end": scalars,
                "image": scalars,
            },
        ),
        max_size=3,
    ),
    engine=st.sampled_from(["fake", "draw", "diffusers", "toon", "../x"]),
)
def test_fuzz_job_options_and_controls(
    client: TestClient, options: dict[str, object], controls: list[object], engine: str
) -> None:
    body = {"kind": "create", "prompt": "a girl", "engine": engine, "options": options}
    if controls:
        body["controls"] = controls
    _post(client, "/api/jobs", body)


uploads = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature, then nothing sane
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>",
            b"GIF89a" + b"\x00" * 20,
            b"\xff\xd8\xff\xe0" + b"\x00" * 30,  # a JPEG start, truncated
        ]
    ),
)


@FUZZ
@given(
    data=uploads,
    field=st.sampled_from(["file", "image", "files", "x"]),
    name=st.text(max_size=20) | st.sampled_from(["../../x.png", "a.png\x00.html", "\ud800.png"]),
    content_type=st.sampled_from(["image/png", "text/html", "application/octet-stream", ""]),
)
def test_fuzz_multipart_uploads(
    client: TestClient, data: bytes, field: str, name: str, content_type: str
) -> None:
    safe_name = name.encode("utf-8", "replace").decode("utf-8")
    files = {field: (safe_name, data, content_type or "application/octet-stream")}
    for path, extra in (
        ("/api/uploads", {}),
        ("/v1/images/edits", {"prompt": "x", "model": "fake"}),
        ("/v1/images/variations", {"model": "fake"}),
    ):
        answer = client.post(path, files=files, data=extra)
        assert answer.status_code < 500, (path, answer.text[:300])
        assert answer.headers["x-content-type-options"] == "nosniff"
