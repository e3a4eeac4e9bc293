"""The offline model reads phrasings its training file never had (the tests' own sentences)."""

from __future__ import annotations

import pandas as pd

from rayscore.tasks import get_task
from rayscore.tasks.relation.klue import record_row
from rayscore.tasks.relation.labels import LABELS
from rayscore.tasks.relation.markers import Pair, segments
from rayscore.tasks.relation.offline import OfflineRelationModel, cue_features
from rayscore.tasks.relation.synth import relation_records
from tests.tasks.relation.layout import FACTS, facts


def _rows(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([record_row(r, r["guid"]) for r in records])


def _accuracy(cues: bool, train: pd.DataFrame, test: pd.DataFrame) -> float:
    cfg = get_task("relation").load_config(overrides=[f"model.offline.cues={str(cues).lower()}"])
    model = OfflineRelationModel.fit(train, cfg.model.offline)
    pred = [LABELS[i] for i in model.predict_proba(test).argmax(1)]
    return float((pd.Series(pred) == test["label"].reset_index(drop=True)).mean())


def test_a_cue_is_the_attribute_of_the_entity_it_follows():
    def feats(sentence: str, subj: str, obj: str) -> list[str]:
        s, o = sentence.index(subj), sentence.index(obj)
        p = Pair(sentence, s, s + len(subj) - 1, "PER", o, o + len(obj) - 1, "PER")
        seg = segments(p)
        return cue_features(seg, "PER>PER", "S" if seg.subject_first else "O")

    assert "CO:PER>PER:per:children:S" in feats("김하늘의 장남 이바다는 배우다.", "김하늘", "이바다")
    assert "CO:PER>PER:per:children:O" in feats("이바다는 김하늘의 장남이다.", "이바다", "김하늘")
    assert "CO:PER>PER:per:children:-" in feats("김하늘은 지난해 장남 이바다와 여행했다.", "김하늘", "이바다")


def test_phrasings_the_training_file_never_had_are_read_through_cue_words():
    # Trained on the generator's phrasings; judged on the tests' own (layout.FACTS: 다니고, 취임, 태생,
    # 결혼식, 경영학과를 졸업, 공부한, ... none of them in the generator), with names it never had.
    train = _rows(relation_records(1500, seed=3, held_out=False, label_noise=0.03))
    test = _rows(facts(4 * len(FACTS), 5, "dev"))
    with_cues, without = _accuracy(True, train, test), _accuracy(False, train, test)
    assert with_cues >= 0.7, with_cues
    assert with_cues > without, (with_cues, without)
