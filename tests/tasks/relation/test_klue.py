"""KLUE-RE files in, as they come: every record a row, broken ones with their reason."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rayscore.corpus.manifest import IMPORT_ERROR, ManifestError
from rayscore.tasks.relation.klue import import_klue
from rayscore.tasks.relation.labels import LABELS
from rayscore.tasks.relation.markers import Pair, mark, segments, window
from tests.tasks.relation.layout import OFFICIAL, write_klue_files


def test_labels_are_klues_thirty_in_klues_order():
    assert len(LABELS) == 30 and LABELS[0] == "no_relation" and LABELS[1] == "org:top_members/employees"
    assert LABELS[-1] == "per:religion" and LABELS.index("per:date_of_birth") == 25


def test_official_files_import_with_broken_records_as_error_rows(tmp_path):
    info = write_klue_files(tmp_path / "klue")
    m = import_klue(tmp_path / "klue")
    df = m.df.set_index("id")
    assert len(df) == info["train"] + info["broken"] + info["dev"] + info["test"]
    assert set(df["split"]) == {"train", "dev", "test"}
    first = df.loc[OFFICIAL["guid"]]
    assert first["text"] == OFFICIAL["sentence"] and first["label"] == "no_relation"
    assert (first["subj_word"], first["subj_start"], first["subj_end"], first["subj_type"]) == ("비틀즈", 24, 26, "ORG")
    assert first["group"] == "wikipedia"
    errors = df[IMPORT_ERROR].dropna()
    assert set(errors.index) == set(info["broken_ids"])
    assert "reads '홍길동은', not its word '홍길동'" in errors["bad-span"] and "inclusive" in errors["bad-span"]
    assert "per:king_of" in errors["bad-label"] and "XYZ" in errors["bad-type"]
    assert "object_entity is missing" in errors["no-object"]
    assert df.loc[df["split"] == "test", "label"].isna().all()  # KLUE's test labels are 100: unlabelled
    assert df.loc[df["split"] == "dev", "label"].notna().all()  # the JSON-lines file


def test_one_file_and_other_shapes(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"data": [OFFICIAL, dict(OFFICIAL, guid="x", label=4)]}, ensure_ascii=False))
    df = import_klue(path).df
    assert list(df["label"]) == ["no_relation", "per:title"]  # label ids map through KLUE's order
    (tmp_path / "empty.json").write_text("[]")
    assert len(import_klue(tmp_path / "empty.json")) == 0
    bad = tmp_path / "broken.jsonl"
    bad.write_text(json.dumps(OFFICIAL, ensure_ascii=False) + "\n{not json\n")
    df = import_klue(bad).df
    assert len(df) == 2 and "line 2 is not JSON" in df[IMPORT_ERROR].iloc[1]
    with pytest.raises(ManifestError, match="no such file"):
        import_klue(tmp_path / "missing.json")


def test_markers_and_segments_keep_the_pair():
    p = Pair(OFFICIAL["sentence"], 24, 26, "ORG", 13, 18, "PER")
    assert mark(p) == "〈Something〉는 [E2]조지 해리슨[/E2]이 쓰고 [E1]비틀즈[/E1]가 1969년 앨범 《Abbey Road》에 담은 노래다."
    assert mark(p, "typed").count("[E1:ORG]") == 1 and "[/E2:PER]" in mark(p, "typed")
    seg = segments(p)
    assert seg.between == "이 쓰고 " and seg.after_subject == "가" and seg.after_object == "이" and not seg.subject_first
    long = Pair("가" * 300 + "홍길동은 " + "나" * 50 + " 율도국의 왕" + "다" * 300, 300, 302, "PER", 356, 358, "LOC")
    w = window(long, 120)
    assert len(w.sentence) == 120
    assert w.sentence[w.s_start:w.s_end + 1] == "홍길동" and w.sentence[w.o_start:w.o_end + 1] == "율도국"


def test_generated_files_are_valid_klue_with_every_relation(tmp_path):
    from rayscore.tasks.relation.synth import generate_relations

    m = generate_relations(tmp_path / "gen", n=300, seed=3)
    df = m.df
    assert IMPORT_ERROR not in df or df[IMPORT_ERROR].isna().all()
    train = df[df["split"] == "train"]
    assert set(train["label"]) == set(LABELS)
    assert 0.3 < float(np.mean(train["label"] == "no_relation")) < 0.65
    raw = json.loads((tmp_path / "gen" / "klue-re-synth_test.json").read_text())
    for r in raw:  # end index inclusive, as KLUE
        for key in ("subject_entity", "object_entity"):
            e = r[key]
            assert r["sentence"][e["start_idx"]:e["end_idx"] + 1] == e["word"]
