"""W3 import and per-row errors on a competition folder the tests build by hand (no Ray)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from rayscore.corpus.manifest import IMPORT_ERROR, SKIPPED, ManifestError
from rayscore.pipeline.embed import embed
from rayscore.tasks import get_task
from rayscore.tasks.doc_type.classes import CLASSES
from rayscore.tasks.doc_type.competition import import_competition, write_submission
from tests.tasks.doc_type.layout import jpeg, page, write_layout

TASK = get_task("doc_type")


@pytest.fixture
def layout(tmp_path):
    info = write_layout(tmp_path / "comp")
    return tmp_path / "comp", info


def test_competition_layout_imports_as_it_comes(layout):
    root, info = layout
    m = TASK.importers()["auto"](root, None)
    df = m.df.set_index("id")
    train = df[(df["split"] == "train") & df["label"].notna()]
    assert len(train) == info["n_train_ok"]  # with and without '.jpg' in train.csv's ID
    assert set(train["label"]) == {CLASSES[4], CLASSES[2], CLASSES[9]}
    assert "has no such image" in df.loc["train/missing_image.jpg", IMPORT_ERROR]
    assert "not a class of meta.csv" in df.loc["train/bad_target.jpg", IMPORT_ERROR]
    assert df.loc["train/unlisted.jpg", "label"] is None  # an image no CSV names: scored, unlabelled
    test = df[df["split"] == "test"]
    assert len(test) == len(info["order"]) and test["label"].isna().all()
    assert list(test.sort_values("order")["image_id"]) == info["order"]
    assert "README.txt" in set(df.index[df[SKIPPED].notna()])


def test_class_folders_import_by_name_or_number(tmp_path):
    for folder, t in (("passport", 9), ("2", 2)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.png").write_bytes(jpeg(page(t, seed=t)))
    m = TASK.importers()["auto"](tmp_path, None)
    assert sorted(m.df["label"].dropna()) == ["car_dashboard", "passport"]


def test_not_a_competition_folder_is_one_clear_error(tmp_path):
    (tmp_path / "x.txt").write_text("hi")
    with pytest.raises(ManifestError, match="no train.csv and no test/"):
        import_competition(tmp_path)


def test_broken_and_huge_images_are_error_rows_with_reasons(layout):
    root, info = layout
    Image.new("RGB", (3000, 3000), "white").save(root / "test" / "huge.png")
    cfg = TASK.load_config(overrides=["ocr.enabled=false", "image.max_pixels=4000000"])
    emb = embed(TASK, cfg, import_competition(root), engine="local")
    errs = emb.errors.set_index("id")["error"]
    assert "truncated" in errs["test/truncated.jpg"] or "decode" in errs["test/truncated.jpg"]
    assert "empty file" in errs["test/empty.jpg"]
    assert "not an image" in errs["test/not_an_image.jpg"]
    assert "too large" in errs["test/huge.png"]
    assert len(emb.ok) + len(emb.errors) == len(emb.frame)
    views = np.stack(emb.ok["emb_vision"].to_numpy())
    assert views.shape[1] % 8 == 0 and np.isfinite(views).all()


def test_submission_keeps_sample_order_and_covers_failed_rows(layout, tmp_path):
    root, info = layout
    m = import_competition(root).df
    preds = m.assign(target=[float(i % 3) for i in range(len(m))])
    bad = preds["path"].isin(info["bad"])
    preds.loc[bad, "target"] = np.nan
    out = write_submission(preds, tmp_path / "submission.csv")
    sub = pd.read_csv(out)
    assert list(sub.columns) == ["ID", "target"] and list(sub["ID"]) == info["order"]
    assert sub["target"].between(0, 16).all()


def test_submission_targets_follow_the_folders_meta_csv(layout, tmp_path):
    root, info = layout
    reordered = list(reversed(CLASSES))  # another numbering of the same 17 classes
    (root / "meta.csv").write_text("target,class_name\n" + "".join(f"{i},{c}\n" for i, c in enumerate(reordered)))
    (root / "train.csv").write_text("ID,target\n" + "".join(f"tr04{i:02d}.jpg,{reordered.index('diagnosis')}\n"
                                                           for i in range(3)))
    m = import_competition(root).df
    assert set(m["label"].dropna()) == {"diagnosis"}
    preds = m.assign(prediction="passport", target=9.0)
    sub = pd.read_csv(write_submission(preds, tmp_path / "s.csv"))
    assert (sub["target"] == reordered.index("passport")).all()
