"""Manifests and importers: folders, Hydrogen drumkits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from rayscore.corpus.folder import import_folder
from rayscore.corpus.hydrogen import DEBIAN_DRUMKITS, import_hydrogen
from rayscore.corpus.manifest import Manifest, ManifestError
from rayscore.media.audio import AUDIO_EXTENSIONS
from rayscore.tasks import get_task
from rayscore.tasks.drum_roles.task import RoleNamer

NAMER = RoleNamer(get_task("drum_roles").load_config().labels.name_to_role)


def _audio(path: Path) -> None:
    """A short file in the format its extension names (soundfile infers it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(100, np.float32), 16000)


def test_manifest_roundtrip_keeps_root_and_resolves_inside_it(tmp_path: Path):
    m = Manifest(pd.DataFrame({"id": ["a", "b", "c", "d"],
                               "path": ["x/a.wav", "../../etc/passwd", None, "/abs/elsewhere.wav"]}),
                 root=tmp_path / "corpus")
    m.write(tmp_path / "m.parquet")
    back = Manifest.read(tmp_path / "m.parquet")
    assert back.root == tmp_path / "corpus"
    rows = back.resolve().set_index("id")
    assert rows.loc["a", "path"] == str(tmp_path / "corpus" / "x" / "a.wav")
    assert rows.loc["a", "error"] is None
    assert "escapes the corpus root" in rows.loc["b", "error"]
    assert rows.loc["c", "error"] == "missing path in manifest"
    assert "escapes the corpus root" in rows.loc["d", "error"]


def test_manifest_without_root_is_relative_to_its_folder(tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"], "path": ["a.wav"]}), tmp_path / "plain.parquet")
    m = Manifest.read(tmp_path / "plain.parquet")
    assert m.resolve()["path"][0] == str(tmp_path / "a.wav")


def test_manifest_rejects_duplicates_and_missing_columns():
    with pytest.raises(ManifestError, match="duplicate ids.*a"):
        Manifest(pd.DataFrame({"id": ["a", "a"], "path": ["1", "2"]}))
    with pytest.raises(ManifestError, match="'path' or a 'text'"):
        Manifest(pd.DataFrame({"id": ["a"]}))


def test_only_split_keeps_that_splits_rows_and_names_the_splits_there_are(tmp_path: Path):
    m = Manifest(pd.DataFrame({"id": ["a", "b", "c"], "path": ["a.jpg", "b.jpg", "c.jpg"],
                               "split": ["train", "test", "test"]}), tmp_path)
    assert m.only_split(None) is m
    test = m.only_split("test")
    assert list(test.df["id"]) == ["b", "c"] and test.root == m.root
    with pytest.raises(ManifestError, match=r"no rows in that split \(the manifest has: test, train\)"):
        m.only_split("valid")
    with pytest.raises(ManifestError, match="no 'split' column"):
        Manifest(pd.DataFrame({"id": ["a"], "path": ["a.jpg"]})).only_split("test")


def test_folder_import_labels_from_subfolders_and_groups_by_top_folder(tmp_path: Path):
    for rel in ["kitA/kick/k1.wav", "kitA/Snare/s1.flac", "hat/h1.wav", "loose.wav", "kitB/FX/fx1.aiff"]:
        _audio(tmp_path / rel)
    (tmp_path / "notes.txt").write_text("not audio")
    _audio(tmp_path / ".hidden" / "x.wav")
    m = import_folder(tmp_path, AUDIO_EXTENSIONS, NAMER).df.set_index("id")
    inputs = m[m["skipped"].isna()]
    assert sorted(inputs.index) == ["hat/h1.wav", "kitA/Snare/s1.flac", "kitA/kick/k1.wav", "kitB/FX/fx1.aiff",
                                    "loose.wav"]
    # what is not an input is still a row, saying why (rows in = scored + errored counts it)
    assert m.loc["notes.txt", "skipped"] == "not an audio file (.txt)"
    assert m.loc[".hidden/", "skipped"] == "hidden or system folder (not scanned)"
    assert m.loc["kitA/kick/k1.wav", "label"] == "CORE" and m.loc["kitA/kick/k1.wav", "group"] == "kitA"
    assert m.loc["kitA/Snare/s1.flac", "label"] == "ACCENT"
    assert m.loc["kitB/FX/fx1.aiff", "label"] == "TEXTURE"
    assert m.loc["hat/h1.wav", "label"] == "MOTION" and m.loc["hat/h1.wav", "group"] is None
    assert m.loc["loose.wav", "label"] is None


def test_role_namer_rules():
    cases = {"Kick Lite 1": "CORE", "PowR_BD_1.flac": "CORE", "c3 - bass drum 1": "CORE",
             "Snare Rimshot": "ACCENT", "Hand Clap": "ACCENT", "Side Stick": "ACCENT",
             "Hat Closed Dirty": "MOTION", "FX_Chh_01.flac": "MOTION", "Crash/Ride Bell": "MOTION",
             "Floor Tom": "FILL", "Cowbell": "FILL", "Djembe1 Bass": "FILL", "Drum 2": "FILL",
             "yFX_8.flac": "TEXTURE", "Whistle": "TEXTURE", "core": "CORE", "17": None, "": None}
    assert {name: NAMER(name) for name in cases} == cases


KIT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<drumkit_info xmlns="http://www.hydrogen-music.org/drumkit">
 <name>Test Kit</name>
 <instrumentList>
  <instrument><id>0</id><name>Kick</name>
   <instrumentComponent><layer><filename>kick-soft.wav</filename></layer>
   <layer><filename>kick-hard.wav</filename></layer></instrumentComponent></instrument>
  <instrument><id>1</id><name>Closed HH</name>
   <layer><filename>hat.wav</filename></layer></instrument>
  <instrument><id>2</id><name>Hat pedal</name>
   <layer><filename>hat.wav</filename></layer></instrument>
  <instrument><id>3</id><name>Mystery</name>
   <layer><filename>missing.wav</filename></layer></instrument>
  <instrument><id>4</id><name>17</name></instrument>
 </instrumentList>
</drumkit_info>
"""


def _kit(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "drumkit.xml").write_text(KIT_XML)
    for f in ["kick-soft.wav", "kick-hard.wav", "hat.wav"]:
        _audio(folder / f)
    return folder


def test_hydrogen_kit_and_folder_of_kits(tmp_path: Path):
    _kit(tmp_path / "kits" / "KitOne")
    _kit(tmp_path / "kits" / "KitTwo")
    one = import_hydrogen(tmp_path / "kits" / "KitOne", NAMER)
    df = one.df.set_index("id")
    assert list(df.index) == ["KitOne/kick-soft.wav", "KitOne/kick-hard.wav", "KitOne/hat.wav", "KitOne/missing.wav"]
    assert df.loc["KitOne/hat.wav", "instrument"] == "Closed HH"  # listed once, first instrument
    assert df.loc["KitOne/kick-hard.wav", "label"] == "CORE"
    assert df.loc["KitOne/missing.wav", "label"] is None
    assert set(df["group"]) == {"KitOne"} and set(df["kit"]) == {"Test Kit"}
    both = import_hydrogen(tmp_path / "kits", NAMER)
    assert len(both) == 8 and both.df["group"].nunique() == 2
    resolved = both.resolve().set_index("id")
    assert Path(resolved.loc["KitTwo/hat.wav", "path"]).is_file()
    with pytest.raises(ManifestError, match="no drumkit.xml"):
        import_hydrogen(tmp_path, NAMER)


@pytest.mark.skipif(not DEBIAN_DRUMKITS.is_dir(), reason="Debian hydrogen-drumkits not installed")
def test_debian_drumkits_import():
    m = import_hydrogen(DEBIAN_DRUMKITS, NAMER)
    counts = m.df["label"].value_counts()
    assert len(m) > 700 and m.df["group"].nunique() >= 10
    assert all(counts.get(r, 0) >= 50 for r in ["CORE", "ACCENT", "MOTION", "FILL"])
