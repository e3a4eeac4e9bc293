"""The customer data contract and the DCASE Task 2 layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from rayscore.corpus.manifest import ManifestError
from rayscore.tasks.anomaly.contract import import_dcase, import_package


def _wav(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(1600, np.float32), 16000)


def test_package_rows_defaults_and_row_errors(tmp_path):
    for f in ["a.wav", "b.wav", "c.wav", "d.wav", "e.wav", "n.wav"]:
        _wav(tmp_path / "audio" / f)
    (tmp_path / "metadata.csv").write_text(
        "file,machine_type,asset_id,is_normal,domain,noise_only,mic_position\n"
        "audio/a.wav,fan,01,true,source,false,m1\n"
        "audio/b.wav,fan,01,false,,,\n"           # an anomaly, domain defaults to target
        "audio/c.wav,fan,01,,,,\n"                # to score: unlabelled, test split
        "audio/d.wav,,01,maybe,moon,,\n"          # machine_type empty, bad flag, bad domain
        "audio/n.wav,fan,01,,target,true,m2\n"    # noise-only
        "audio/a.wav,fan,01,true,source,false,m1\n"  # listed twice
    )
    df = import_package(tmp_path).df.set_index("id")
    a = df.loc["audio/a.wav"]
    assert (a["label"], a["group"], a["domain"], a["split"], a["mic_position"]) == ("normal", "fan/01", "source", "train", "m1")
    b = df.loc["audio/b.wav"]
    assert (b["label"], b["domain"], b["split"]) == ("anomaly", "target", "test")
    assert df.loc["audio/c.wav", "label"] is None and df.loc["audio/c.wav", "split"] == "test"
    err = df.loc["audio/d.wav", "import_error"]
    assert "machine_type is empty" in err and "is_normal must be true or false" in err and "domain must be" in err
    n = df.loc["audio/n.wav"]
    assert n["noise_only"] and n["label"] is None
    dup = df.loc["audio/a.wav#line7", "import_error"]
    assert "lists audio/a.wav again (first on line 2)" in dup
    # nothing dropped: the clip metadata.csv forgot is a skipped row that says so
    assert df.loc["audio/e.wav", "skipped"] == "not listed in metadata.csv"
    assert len(df) == 7


def test_package_missing_required_columns_is_named(tmp_path):
    (tmp_path / "metadata.csv").write_text("file,machine_type\naudio/a.wav,fan\n")
    with pytest.raises(ManifestError, match=r"missing required column\(s\) \['section', 'is_normal'\]"):
        import_package(tmp_path)
    with pytest.raises(ManifestError, match="no metadata.csv"):
        import_package(tmp_path / "nowhere")


def test_dcase_layout(tmp_path):
    names = {
        "fan/train/section_00_source_train_normal_0000_m-n_W.wav": ("00", "source", "train", "normal", "m-n_W"),
        "fan/test/section_01_target_test_anomaly_0003_vel_4.wav": ("01", "target", "test", "anomaly", "vel_4"),
        "valve/test/section_00_0007.wav": ("00", "target", "test", None, None),
    }
    for rel in names:
        _wav(tmp_path / rel)
    _wav(tmp_path / "valve/test/section_bad.wav")
    df = import_dcase(tmp_path).df.set_index("id")
    for rel, (section, domain, split, label, attrs) in names.items():
        r = df.loc[rel]
        assert (r["section"], r["domain"], r["split"], r["label"], r["attributes"]) == (section, domain, split, label, attrs)
        assert r["machine_type"] == rel.split("/")[0] and r["group"] == f"{r['machine_type']}/{section}"
    assert "does not follow a DCASE Task 2 pattern" in df.loc["valve/test/section_bad.wav", "import_error"]
