"""The trial loop on its own: folds as steps, or epochs in lockstep across folds."""

from __future__ import annotations

import numpy as np
import pytest

from rayscore.pipeline.embed import HASH, embed
from rayscore.tasks import get_task
from rayscore.tasks.drum_roles.task import DrumRoleModel, DrumRolesTask
from rayscore.tune.config import FoldsConfig
from rayscore.tune.folds import make_folds
from rayscore.tune.trial import SweepData, cross_validate

TASK = get_task("drum_roles")
CFG = TASK.load_config(overrides=["fusion.alpha=1.0"])


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> SweepData:
    manifest = TASK.generate(tmp_path_factory.mktemp("d"), n=40, seed=2, cfg=CFG)
    ok = embed(TASK, CFG, manifest, cache=None, engine="local").ok
    (spec,) = TASK.encoders(CFG)
    rows = ok[["id", "label", "group", HASH]]
    folds = make_folds(rows, FoldsConfig(k=4, strategy="stratified", seed=0))
    return SweepData(rows, {spec.key_hash: ok[[HASH, *spec.columns]]}, folds)


def test_fold_steps_report_a_running_mean(data):
    reports: list[dict] = []
    final = cross_validate(TASK, CFG, data, report=reports.append)
    assert [r["folds_done"] for r in reports] == [1, 2, 3, 4]
    per_fold = [final[f"fold_{i}_macro_f1"] for i in range(4)]
    assert final["macro_f1"] == pytest.approx(np.mean(per_fold))
    assert final["macro_f1_std"] == pytest.approx(np.std(per_fold))
    assert reports[0]["macro_f1"] == pytest.approx(per_fold[0])


class EpochDrumRoles(DrumRolesTask):
    """Drum roles 'trained' for a few epochs: each epoch nudges the FILL prior up."""

    progress_unit = "epoch"

    def max_epochs(self, cfg):
        return 3

    def fit(self, cfg, train, valid=None):
        epochs = 2 if len(train) % 2 else 3  # folds may stop at different epochs (early stopping)
        for e in range(epochs):
            nudged = cfg.model_copy(update={"fusion": cfg.fusion.model_copy(update={"role_bias": {"FILL": 0.5 * e}})})
            yield DrumRoleModel(nudged)


def test_epoch_steps_train_all_folds_in_lockstep(data):
    reports: list[dict] = []
    final = cross_validate(EpochDrumRoles(), CFG, data, report=reports.append)
    assert [r["epoch"] for r in reports] == [1, 2, 3]
    assert all(r["folds_done"] == 4 for r in reports)  # a fold that stopped keeps its last score
    oof = final.pop("oof")
    assert final == reports[-1]
    # every fold's validation rows, predicted by that fold's model (out-of-fold)
    assert sorted(oof["id"]) == sorted(data.rows["id"]) and set(oof["fold"]) == {0, 1, 2, 3}
    assert reports[0]["macro_f1"] != reports[-1]["macro_f1"]  # the model changed between epochs
