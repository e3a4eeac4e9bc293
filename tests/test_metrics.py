from __future__ import annotations

import json

import pandas as pd
import pytest

from rayscore.metrics import classification_metrics
from rayscore.pipeline.evaluate import evaluate_predictions, metrics_text
from rayscore.tasks import get_task


def test_classification_metrics_by_hand():
    y_true = ["CORE", "CORE", "ACCENT", "MOTION", "MOTION", "MOTION"]
    y_pred = ["CORE", "ACCENT", "ACCENT", "MOTION", "MOTION", "CORE"]
    m = classification_metrics(y_true, y_pred, ["CORE", "ACCENT", "MOTION", "FILL"])
    assert m["accuracy"] == pytest.approx(4 / 6)
    # CORE p=1/2 r=1/2 f=1/2; ACCENT p=1/2 r=1 f=2/3; MOTION p=1 r=2/3 f=4/5; FILL absent everywhere
    assert m["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)
    assert m["per_class"]["ACCENT"] == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3), "support": 1}
    assert m["per_class"]["FILL"]["support"] == 0
    assert m["confusion_matrix"]["matrix"] == [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 2, 0], [0, 0, 0, 0]]
    with pytest.raises(ValueError, match="no labelled rows"):
        classification_metrics([], [], ["a"])


def test_evaluation_writes_json_png_html_and_skips_unlabelled(tmp_path):
    task = get_task("drum_roles")
    preds = pd.DataFrame({"id": list("abcd"), "label": ["CORE", "ACCENT", None, "CORE"],
                          "role": ["CORE", "CORE", "MOTION", "CORE"]})
    m = evaluate_predictions(task, task.load_config(), preds, tmp_path, rows_error=2)
    assert m["n"] == 3 and m["rows"] == {"scored": 4, "evaluated": 3, "without_known_label": 1, "unknown_label": 0,
                                        "errored": 2}
    assert json.loads((tmp_path / "metrics.json").read_text())["accuracy"] == pytest.approx(2 / 3)
    assert (tmp_path / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "confusion_matrix.json").read_text())["labels"][0] == "CORE"
    html = (tmp_path / "report.html").read_text()
    assert "macro_f1" in html and "data:image/png;base64" in html
    assert "macro-F1" in metrics_text(m)
