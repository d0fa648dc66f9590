from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine
from sakuga.engines.fake import FakeEngine
from sakuga.errors import NotFoundError
from sakuga.prompt.artspec import ArtSpec
from sakuga.studio.library.db import MIGRATIONS, integrity_ok, migrate
from sakuga.studio.library.library import Library, LibraryError


def make(library: Library, n: int = 2, seed: int = 1, **kwargs: object) -> list:
    request = EngineRequest(Task.TEXT_TO_IMAGE, n=n, seed=seed, size=(32, 24), **kwargs)  # type: ignore[arg-type]
    return library.record(request, FakeEngine().run(request))


def test_record_writes_files_and_rows(library: Library) -> None:
    gens = make(library, n=3)
    assert library.count() == 3
    for gen in gens:
        path = library.image_path(gen)
        assert path.exists() and path.parent.parent == library.store.root
        assert gen.width == 32 and gen.height == 24 and gen.engine == "fake"
        assert np.array_equal(
            np.asarray(library.image(gen.id)), np.asarray(Image.open(path).convert("RGB"))
        )
    assert [g.seed for g in gens] == [1, 2, 3]
    assert integrity_ok(library.db)


def test_recorded_generations_are_what_the_library_reads_back(library: Library) -> None:
    # `record` builds its answer from the rows it wrote instead of reading them back:
    # the two must not differ in any field, JSON columns included.
    photo = Image.new("RGB", (32, 24), (10, 200, 30))
    request = EngineRequest(
        Task.PHOTO_TO_ANIME, n=2, seed=3, size=(32, 24), image=photo, spec=ArtSpec(hair="pink")
    )
    result = FakeEngine().run(request)
    result.usage = {"input_tokens": 5, "estimated_cost_usd": 0.01}
    recorded = library.record(request, result, seconds=0.25)
    assert recorded == library.get_many([g.id for g in recorded])
    assert recorded[0].usage == {"input_tokens": 5, "estimated_cost_usd": 0.01}
    assert recorded[0].request["inputs"]["image"] == recorded[0].source_hash


def test_migrations_are_numbered_and_idempotent(library: Library) -> None:
    assert migrate(library.db) == MIGRATIONS[-1][0]
    assert migrate(library.db) == MIGRATIONS[-1][0]


def test_seeds_up_to_2_32_are_kept(library: Library) -> None:
    # Seeds are drawn below 2**32: past PostgreSQL's 32-bit INTEGER (a bug found when
    # these tests first ran there; SQLite's INTEGER is 64-bit).
    (gen,) = make(library, n=1, seed=2**32 - 1)
    assert library.get(gen.id).seed == 2**32 - 1
    char = library.create_character("Mika", {"hair": "pink"}, seed=2**32 - 1)
    assert library.character(char.id).seed == 2**32 - 1


def test_the_seed_migration_widens_an_old_postgresql_library(library: Library) -> None:
    from sqlalchemy import delete, text

    from sakuga.studio.library.db import schema_version

    if library.db.dialect.name != "postgresql":
        pytest.skip("SQLite's INTEGER is 64-bit: nothing to widen")
    with library.db.begin() as conn:  # the library as version 2 made it
        for table in ("generations", "characters"):
            conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN seed TYPE INTEGER"))
        conn.execute(delete(schema_version).where(schema_version.c.version == 3))
    assert migrate(library.db) == MIGRATIONS[-1][0]
    (gen,) = make(library, n=1, seed=2**32 - 1)
    assert library.get(gen.id).seed == 2**32 - 1


def test_the_lease_migration_adds_the_job_columns_to_an_old_library(library: Library) -> None:
    from sqlalchemy import delete, inspect, text

    from sakuga.studio.library.db import schema_version

    with library.db.begin() as conn:  # the jobs table as version 3 made it
        conn.execute(text("DROP INDEX IF EXISTS ix_jobs_lease"))
        for column in ("worker", "lease_until", "cancel_requested"):
            conn.execute(text(f"ALTER TABLE jobs DROP COLUMN {column}"))
        conn.execute(delete(schema_version).where(schema_version.c.version == 4))
    assert "worker" not in {c["name"] for c in inspect(library.db).get_columns("jobs")}
    assert migrate(library.db) == MIGRATIONS[-1][0]
    columns = {c["name"] for c in inspect(library.db).get_columns("jobs")}
    assert {"worker", "lease_until", "cancel_requested"} <= columns
    assert migrate(library.db) == MIGRATIONS[-1][0]  # and again: nothing to do


def test_verdicts_filters_and_pages(library: Library) -> None:
    a, b, c = make(library, n=3)
    library.keep(a.id)
    library.keep(c.id)
    library.reject(b.id)
    library.rate(c.id, 5)
    library.tag(c.id, "Cover", "final", "cover")
    assert [g.id for g in library.find(kept=True)] == [c.id, a.id]  # newest first
    assert [g.id for g in library.find(kept=False)] == [b.id]
    assert library.get(c.id).tags == ("cover", "final")
    assert [g.id for g in library.find(tag="final")] == [c.id]
    assert len(library.find(limit=2)) == 2 and len(library.find(limit=2, offset=2)) == 1
    assert library.find(engine="draw") == []
    with pytest.raises(LibraryError, match="1 to 5"):
        library.rate(a.id, 6)
    with pytest.raises(LibraryError, match="no generation"):
        library.keep("nope")


def test_delete_removes_unused_files_only(library: Library) -> None:
    first = make(library, n=1, seed=5)[0]
    same = make(library, n=1, seed=5)[0]  # identical pixels: one file, two rows
    assert first.file_hash == same.file_hash
    library.delete(first.id)
    assert library.image_path(same).exists()
    library.delete(same.id)
    assert not library.image_path(same).exists()


def test_lineage_tree(library: Library) -> None:
    root = make(library, n=1)[0]
    request = library.request_of(root)
    child = library.record(request, FakeEngine().run(request), parent_id=root.id)[0]
    grandchild = library.record(request, FakeEngine().run(request), parent_id=child.id)[0]
    sibling = library.record(request, FakeEngine().run(request), parent_id=root.id)[0]
    tree = library.lineage(grandchild.id)
    assert tree.generation.id == root.id
    assert [n.generation.id for n in tree.children] == [child.id, sibling.id]
    assert tree.children[0].children[0].generation.id == grandchild.id


def test_rerun_of_a_deterministic_engine_gives_identical_pixels(library: Library) -> None:
    spec = ArtSpec.from_text("anime girl, pink twin tails, sailor uniform, smiling")
    request = EngineRequest(Task.TEXT_TO_IMAGE, spec=spec, seed=11, size=(96, 96))
    original = library.record(request, DrawEngine().run(request))[0]
    again = library.request_of(original)
    rerun = library.record(again, DrawEngine().run(again), parent_id=original.id)[0]
    assert rerun.file_hash == original.file_hash


def test_photo_inputs_are_stored_and_come_back(library: Library, photo_small: Image.Image) -> None:
    request = EngineRequest(Task.PHOTO_TO_ANIME, image=photo_small, seed=3)
    gen = library.record(request, FakeEngine().run(request))[0]
    assert gen.source_hash is not None
    back = library.request_of(gen)
    assert back.image is not None
    assert np.array_equal(np.asarray(back.image), np.asarray(photo_small))


def test_characters(library: Library, photo_small: Image.Image) -> None:
    mika = library.create_character(
        "Mika",
        {"character": "girl", "hair": "pink twin tails", "outfit": "sailor uniform"},
        style="kawaii",
        seed=7,
        refs=[photo_small],
    )
    assert mika.style == "cute" and len(mika.refs) == 1
    assert library.character("Mika").traits["hair"] == "pink twin tails"
    with pytest.raises(LibraryError, match="exists already"):
        library.create_character("Mika", {"hair": "red"})
    with pytest.raises(LibraryError, match="unknown parts"):
        library.create_character("Bad", {"colour": "red"})
    make(library, n=1)
    request = EngineRequest(Task.TEXT_TO_IMAGE, seed=1, size=(16, 16))
    library.record(request, FakeEngine().run(request), character_id=mika.id)
    assert len(library.find(character="Mika")) == 1


def test_files_are_reached_by_hash_only(library: Library) -> None:
    # A name no stored file can have is not found (404 to a client), never a path.
    for bad in ("../../etc/passwd", "/etc/passwd", "ab" * 40, "..%2f..%2fx"):
        with pytest.raises(NotFoundError):
            library.store.path(bad, "png")


def test_repair_removes_orphans_but_keeps_fresh_files(library: Library) -> None:
    gen = make(library, n=1)[0]
    from sakuga.studio.storage.files import put_bytes

    digest, ext, _ = put_bytes(library.store, b"\\x89PNG orphan", "png")
    report = library.repair()  # fresh: another process may be about to commit it
    assert report.orphan_files == 0 and library.store.path(digest, ext).exists()
    report = library.repair(older_than=0)
    assert report.orphan_files == 1 and not library.store.path(digest, ext).exists()
    assert library.image_path(gen).exists() and report.missing_files == []


def test_get_many_keeps_the_order_and_says_what_is_missing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from sakuga.engines.base import EngineRequest, Task
    from sakuga.engines.fake import FakeEngine
    from sakuga.studio.library.library import Library, LibraryError

    library = Library.open(tmp_path / "lib")
    request = EngineRequest(Task.TEXT_TO_IMAGE, size=(16, 16), n=3, seed=1)
    made = library.record(request, FakeEngine().run(request))
    ids = [g.id for g in made]
    assert [g.id for g in library.get_many(ids[::-1])] == ids[::-1]
    with pytest.raises(LibraryError, match="nope"):
        library.get_many([ids[0], "nope"])


def test_ids_by_unique_prefix(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    from sakuga.engines.base import EngineRequest, EngineResult, Task
    from sakuga.studio.library import library as library_module
    from sakuga.studio.library.library import LibraryError, NotFoundError

    ids = iter(["abcd1111aaaa", "abcd2222bbbb", "9f00e1e1e1e1"])
    monkeypatch.setattr(library_module, "new_id", lambda: next(ids))
    made = [
        library.record(
            EngineRequest(Task.TEXT_TO_IMAGE, seed=i),
            EngineResult(images=[Image.new("RGB", (16, 16), (i, 0, 0))], engine="fake", seeds=[i]),
        )[0]
        for i in range(3)
    ]
    gen = made[0]
    short = library.short_id(gen.id)
    assert short == "abcd1"  # "abcd" is shared with abcd2222bbbb
    assert library.get(short).id == gen.id  # any unique prefix of 4+ characters
    assert library.short_id(made[2].id) == "9f00"
    assert library.keep(gen.id[:8]).kept is True
    assert library.tag(short, "hero").tags == ("hero",)
    with pytest.raises(NotFoundError):
        library.get(gen.id[:3])  # too short to be a prefix
    with pytest.raises(NotFoundError):
        library.get("zzzz")
    # A prefix two ids share is ambiguous, and the error lists them.
    with pytest.raises(LibraryError, match="several ids: abcd1111aaaa, abcd2222bbbb"):
        library.get("abcd")


def test_a_recipe_says_whether_its_prompt_was_sent_verbatim(library: Library) -> None:
    """`rerun` sends a prompt as given only when the recipe says it was (an OpenAI
    client's); a composed prompt is composed again from the parts — even when today's
    composition differs from the text the recipe recorded. An older recipe without the
    flag is read as before (verbatim when its text is not the composition)."""
    from sakuga.engines.base import EngineRequest, Task
    from sakuga.prompt.artspec import ArtSpec

    spec = ArtSpec.from_text("a girl with pink hair")
    composed = EngineRequest(Task.TEXT_TO_IMAGE, spec=spec, size=(32, 32)).to_payload().as_json()
    given = EngineRequest(Task.TEXT_TO_IMAGE, spec=spec, size=(32, 32), prompt="as I typed it")
    assert composed["verbatim"] is False and given.to_payload().as_json()["verbatim"] is True
    assert library.request_from_json(given.to_payload().as_json()).prompt == "as I typed it"
    # Recorded by an older composer: the text differs from today's composition.
    stale = {**composed, "prompt": "masterpiece, 1girl, pink hair (an older composition)"}
    assert library.request_from_json(stale).prompt is None
    older = {k: v for k, v in stale.items() if k != "verbatim"}
    assert library.request_from_json(older).prompt == stale["prompt"]


def test_a_job_payload_and_a_recipe_are_one_request_shape(library: Library) -> None:
    """A queued job's request and the recipe of the image it makes are the same JSON
    (`RequestData`), inputs by the same stored hashes; the recipe only adds facts about
    its image (the model the engine ran, the image's index and seed). Read back, either
    gives the request that was planned."""
    from sakuga.studio.service.studio import Studio

    studio = Studio(library)
    photo = Image.fromarray(np.random.default_rng(0).integers(0, 255, (40, 48, 3), np.uint8))
    mask = Image.new("L", (48, 40), 0)
    mask.paste(255, (10, 10, 30, 30))
    plan = studio.edit(mask, ArtSpec.from_text("a red scarf"), image=photo, seed=7, engine="fake")
    payload = studio.payload(plan).as_json()["request"]
    made = studio.run(studio.from_payload(studio.payload(plan)))
    recorded = made.generations[0].request
    facts = set(recorded) - set(payload)
    assert {"engine", "index"} <= facts and not facts & {"image", "mask", "references"}
    # The recipe's model is the one the engine ran (the payload asked for its default).
    assert recorded["model"] == "fake" and payload["model"] is None
    assert {k: recorded[k] for k in payload if k != "model"} == {
        k: v for k, v in payload.items() if k != "model"
    }
    assert set(payload["inputs"]) == {"image", "mask"}
    for data in (payload, recorded):
        back = library.request_from_json(data)
        assert back.task is Task.MASKED_EDIT and back.seed == 7 and back.prompt is None
        assert np.array_equal(np.asarray(back.image), np.asarray(photo))
        assert np.array_equal(np.asarray(back.mask), np.asarray(mask))
        assert back.spec == plan.request.spec


def test_a_recipe_written_outside_a_library_names_inputs_by_their_pixels() -> None:
    """The CLI writes files with no library: their recipe names each input by the
    digest of its pixels, under the same ``inputs`` key."""
    from sakuga.engines.base import image_digest

    photo = Image.new("RGB", (16, 16), (200, 10, 10))
    request = EngineRequest(Task.PHOTO_TO_ANIME, image=photo, references=(photo,))
    inputs = request.to_payload().inputs
    assert inputs == {"image": image_digest(photo), "references": [image_digest(photo)]}
    assert inputs["image"].startswith("sha256:")


def test_the_seed_and_count_are_carried_once(library: Library) -> None:
    """A prompt's ``seed:`` and ``count:`` lines become the request's seed and n; the
    spec the request carries (and its recipe records) no longer holds them, so a vary
    with new seeds cannot disagree with a stale seed in the spec."""
    from sakuga.studio.service.studio import Studio

    studio = Studio(library)
    spec = ArtSpec.from_text("hair: pink\nseed: 5\ncount: 2")
    assert (spec.seed, spec.count) == (5, 2)
    plan = studio.create(spec, size=(32, 32), engine="fake")
    assert (plan.request.seed, plan.request.n) == (5, 2)
    assert plan.request.spec.seed is None and plan.request.spec.count == 1
    recorded = studio.run(plan).generations[1].request
    assert recorded["seed"] == 6 and "seed" not in recorded["spec"]
    assert recorded["spec"]["hair"] == "pink"
