"""The loop from the CLI: create N → compare → keep two → edit one → vary another →
lineage; and a character that keeps its traits across three scenes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from PIL import Image

from tests.test_cli import sakuga


def test_create_compare_keep_edit_vary_lineage(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path / "home"))
    made = json.loads(
        sakuga(
            "create",
            "anime girl, pink twin tails, sailor uniform, smiling, sakura park",
            "-n",
            "3",
            "--seed",
            "5",
            "--size",
            "200x200",
            "--json",
            "-o",
            str(tmp_path / "out"),
        ).stdout
    )
    ids = [i["id"] for i in made["images"]]
    assert len(ids) == 3

    sheet = tmp_path / "sheet.png"
    out = sakuga("compare", *ids, "-o", str(sheet))
    assert out.returncode == 0, out.stderr
    assert Image.open(sheet).width > 600  # three cells side by side

    assert sakuga("library", "keep", ids[0], ids[1]).returncode == 0
    kept = json.loads(sakuga("library", "list", "--kept", "--json").stdout)
    assert sorted(g["id"] for g in kept) == sorted(ids[:2])
    assert (
        len(
            json.loads(
                sakuga(
                    "library", "list", "--since", "2000-01-01", "--engine", "draw", "--json"
                ).stdout
            )
        )
        == 3
    )
    assert json.loads(sakuga("library", "list", "--since", "2999-01-01", "--json").stdout) == []
    assert sakuga("library", "list", "--since", "yesterday").returncode == 2

    mask = Image.new("L", (200, 200), 0)
    mask.paste(255, (40, 10, 160, 70))  # the top of the head
    mask_path = tmp_path / "mask.png"
    mask.save(mask_path)
    edited = json.loads(
        sakuga(
            "edit",
            ids[0],
            "--mask",
            str(mask_path),
            "--prompt",
            "silver twin tails",
            "--json",
            "-o",
            str(tmp_path / "edit"),
        ).stdout
    )
    edit_id = edited["images"][0]["id"]
    before = np.asarray(Image.open(made["images"][0]["path"]).convert("RGB"))
    after = np.asarray(Image.open(edited["images"][0]["path"]).convert("RGB"))
    outside = np.ones((200, 200), bool)
    outside[6:74, 36:164] = False  # the mask plus its 4 px seam
    assert np.array_equal(before[outside], after[outside])  # nothing outside the mask changed
    # The hair did: a good part of the mask changed strongly (how much of the mask the
    # hair fills depends on the version's framing and pose, so not a mean over it).
    changed = np.abs(before.astype(int) - after.astype(int)).max(axis=2) > 40
    assert changed[~outside].mean() > 0.03

    varied = json.loads(
        sakuga("vary", ids[1], "-n", "2", "--json", "-o", str(tmp_path / "vary")).stdout
    )
    assert len(varied["images"]) == 2

    shown = sakuga("library", "show", edit_id)
    assert shown.returncode == 0, shown.stderr
    assert ids[0] in shown.stdout and edit_id in shown.stdout and "masked-edit" in shown.stdout
    tree = json.loads(sakuga("library", "show", ids[1], "--json").stdout)["lineage"]
    assert tree["id"] == ids[1] and len(tree["children"]) == 2

    repaired = json.loads(sakuga("library", "repair", "--json").stdout)
    assert repaired["missing_files"] == [] and repaired["orphan_files"] == 0
    rerun = json.loads(sakuga("rerun", ids[2], "--json", "-o", str(tmp_path / "rerun")).stdout)
    assert rerun["images"][0]["content_id"] == made["images"][2]["content_id"]  # identical pixels


def test_character_keeps_its_look_across_scenes(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path / "home"))
    made = sakuga(
        "character",
        "create",
        "Mika",
        "girl with short teal hair, red hoodie and headphones",
        "--style",
        "webtoon",
        "--seed",
        "3",
    )
    assert made.returncode == 0, made.stderr
    scenes = [
        "laughing on a beach at sunset",
        "angry in a classroom",
        "calm in starry space, moonlight",
    ]
    hair_colours = []
    for scene in scenes:
        out = json.loads(
            sakuga(
                "create",
                "--character",
                "Mika",
                scene,
                "--size",
                "256x256",
                "--json",
                "-o",
                str(tmp_path / "scenes"),
            ).stdout
        )
        info = json.loads(sakuga("info", out["images"][0]["path"], "--json").stdout)
        spec = info["sakuga"]["spec"]
        assert spec["hair"] == "short teal hair" and "red hoodie" in spec["outfit"]
        assert spec["style"] == "webtoon"
        assert info["parameters"]["Hair"].startswith("short")
        hair_colours.append(info["parameters"]["Hair"])
    assert len(set(hair_colours)) == 1  # the same hair in every scene
    listed = json.loads(sakuga("library", "list", "--character", "Mika", "--json").stdout)
    assert len(listed) == 3
    sheet = json.loads(
        sakuga(
            "character", "sheet", "Mika", "-n", "4", "-o", str(tmp_path / "mika.png"), "--json"
        ).stdout
    )
    # The character whole from the front, turned and from behind, then a bust each expression.
    assert [(p["view"], p["expression"]) for p in sheet["parts"]] == [
        ("front", "calm"),
        ("three-quarter", "calm"),
        ("back", "calm"),
        ("bust", "calm"),
        ("bust", "smiling"),
        ("bust", "laughing"),
        ("bust", "surprised"),
    ]
    assert Image.open(sheet["path"]).size == (2048, 1024)  # the use's page
    # The sheet is one library entry, a generation of its own; its parts are in its recipe.
    listed = json.loads(sakuga("library", "list", "--character", "Mika", "--json").stdout)
    assert len(listed) == 4 and listed[0]["id"] == sheet["id"]
    assert listed[0]["engine"] == "compose" and listed[0]["use"] == "sheet"
    again = sakuga("rerun", sheet["id"])
    assert again.returncode == 1 and "laid out, not drawn" in again.stderr
    shown = json.loads(sakuga("library", "show", sheet["id"], "--json").stdout)
    assert [p["seed"] for p in shown["request"]["options"]["parts"]] == [
        p["seed"] for p in sheet["parts"]
    ]
    assert os.path.exists(tmp_path / "home" / "library.db")


def test_a_character_from_a_photo_is_drawn_offline(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`character create --from-photo` reads the look off the photo; `create --character`
    then draws them with the offline draw engine, in a new role, keeping that look."""
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path / "home"))
    made = sakuga("character", "create", "Eileen", "--from-photo", "sample:astronaut", "--json")
    assert made.returncode == 0, made.stderr
    saved = json.loads(made.stdout)
    # Her hair and eyes are brown; her skin is light; the photo is kept as a reference.
    assert saved["traits"]["hair"] == "brown short hair"
    assert "brown eyes" in saved["traits"]["character"]
    assert "light skin" in saved["traits"]["character"]
    assert len(saved["refs"]) == 1
    # A flag wins over what the photo says.
    other = json.loads(
        sakuga(
            "character", "create", "Red", "--from-photo", "sample:astronaut", "--hair",
            "long red hair", "--json",
        ).stdout
    )  # fmt: skip
    assert (
        other["traits"]["hair"] == "long red hair" and "brown eyes" in other["traits"]["character"]
    )

    out = json.loads(
        sakuga(
            "create", "--character", "Eileen", "as a knight in a fantasy forest", "--engine",
            "draw", "--size", "256x256", "--json", "-o", str(tmp_path / "scenes"),
        ).stdout
    )  # fmt: skip
    info = json.loads(sakuga("info", out["images"][0]["path"], "--json").stdout)
    spec = info["sakuga"]["spec"]
    assert spec["character"].startswith("knight") and "brown eyes" in spec["character"]
    assert spec["hair"] == "brown short hair"
    assert info["parameters"]["Outfit"].startswith("armor")
    # Without anything to read: a clear error, exit 2.
    assert sakuga("character", "create", "Nobody").returncode == 2
