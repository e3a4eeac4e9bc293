"""Importers and decoders on data rayscore did not make, in the public layouts as they come.

Every fixture comes from tests/public_layouts.py (plain synthesis, no task generator). The cases
are the ones a new user met first: DCASE dev/eval naming of every year, AI Hub folders with other
files beside the labels, sample packs in formats libsndfile rejects, files that are not inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import soundfile as sf

from rayscore.corpus.folder import import_folder
from rayscore.corpus.manifest import IMPORT_ERROR, Manifest, ManifestError
from rayscore.media.audio import AUDIO_EXTENSIONS, AudioError, AudioLoadConfig, load_audio
from rayscore.tables import frame_to_table, table_to_batch, write_parquet
from rayscore.tasks.anomaly.contract import import_dcase
from rayscore.tasks.urgency.aihub import import_aihub
from tests import public_layouts as pl

CFG = AudioLoadConfig()


# ----------------------------------------------------------------------------------- decoding

@pytest.mark.parametrize("writer,name", [(pl.write_m4a, "hit.m4a"), (pl.write_ogg_in_riff, "hit.wav")])
def test_audio_libsndfile_rejects_is_decoded_through_ffmpeg(tmp_path, writer, name):
    y = pl.drum_hit("kick", 1)
    path = writer(tmp_path / name, y)
    with pytest.raises(sf.LibsndfileError):
        sf.read(path)
    out = load_audio(path, CFG)
    assert out.dtype == np.float32 and 0.1 * 16000 < len(out) <= 2 * 16000
    assert np.max(np.abs(out)) == pytest.approx(0.95, abs=1e-3)
    # the same bytes, uploaded (serving), decode the same way
    assert np.array_equal(load_audio(path.read_bytes(), CFG), out)


def test_raw_adts_aac_decodes(tmp_path):
    import av

    y = pl.drum_hit("snare", 2)
    with av.open(str(tmp_path / "hit.aac"), "w", format="adts") as c:
        s = c.add_stream("aac", rate=44100, layout="mono")
        frame = av.AudioFrame.from_ndarray(y[None, :], format="fltp", layout="mono")
        frame.sample_rate = 44100
        for p in [*s.encode(frame), *s.encode(None)]:
            c.mux(p)
    assert load_audio(tmp_path / "hit.aac", CFG).size > 1000


def test_undecodable_file_names_both_decoders(tmp_path):
    (tmp_path / "x.wav").write_text("not audio at all\n" * 50)
    with pytest.raises(AudioError, match=r"cannot decode audio: .+; ffmpeg: .+"):
        load_audio(tmp_path / "x.wav", CFG)


def test_near_silence_is_silence_at_a_configurable_level(tmp_path):
    dither = pl.write_wav(tmp_path / "dither.wav", np.random.default_rng(0).integers(-1, 2, 8000) / 32768.0)
    hum = pl.write_wav(tmp_path / "hum.wav", 10 ** (-90 / 20) * np.sin(np.arange(8000) / 5), subtype="FLOAT")
    quiet = pl.write_wav(tmp_path / "quiet.wav", 10 ** (-45 / 20) * pl.drum_hit("tom", 0)[:8000])
    for path in (dither, hum):
        with pytest.raises(AudioError, match=r"silent audio: peak -9\d\.\d dBFS is below audio.silence_dbfs"):
            load_audio(path, CFG)
    assert load_audio(quiet, CFG).size > 0  # a soft hit is not silence
    assert load_audio(dither, CFG.model_copy(update={"silence_dbfs": -100.0})).size > 0


# ----------------------------------------------------------------------------------- DCASE

@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024, 2025])
def test_dcase_dev_sets_of_every_year(tmp_path, year):
    pl.dcase_dev(tmp_path, year)
    df = import_dcase(tmp_path).df
    clips = df[df["skipped"].isna()]
    sections = 1 if year >= 2023 else 2
    assert len(clips) == 2 * sections * (6 + 4)
    assert clips[IMPORT_ERROR].isna().all()
    assert set(clips["label"]) == {"normal", "anomaly"} and set(clips["machine_type"]) == {"fan", "valve"}
    assert set(clips.loc[clips["split"] == "train", "label"]) == {"normal"}
    assert (clips["split"] == "test").sum() == 2 * sections * 4
    assert set(clips["domain"]) == ({"target"} if year == 2020 else {"source", "target"})
    if year >= 2021:  # the attributes are the operating condition (engine C's tasks)
        assert clips.loc[clips["split"] == "train", "condition"].notna().all()
    skipped = df[df["skipped"].notna()].set_index("id")["skipped"]
    assert skipped["fan/README.md"].startswith("not a DCASE clip")
    if year >= 2024:
        assert "attribute table" in skipped["fan/attributes_00.csv"]
        train = clips[clips["split"] == "train"]
        assert train["condition"].str.match(r"^d1p=vel;d1v=\d+$").all()


@pytest.mark.parametrize("year", [2020, 2022, 2023, 2025])
def test_dcase_eval_sets_import_unlabelled_or_with_the_evaluators_answers(tmp_path, year):
    truth = pl.dcase_eval(tmp_path / "plain", year)
    df = import_dcase(tmp_path / "plain").df.set_index("id")
    test = df.loc[list(truth)]
    assert test["label"].isna().all() and (test["split"] == "test").all() and test[IMPORT_ERROR].isna().all()
    train = df[df["split"] == "train"]
    assert len(train) == 6 and set(train["label"]) == {"normal"}
    if year >= 2023:
        pl.dcase_eval(tmp_path / "answers", year, ground_truth=True)
        df = import_dcase(tmp_path / "answers").df.set_index("id")
        got = {rel: (df.loc[rel, "label"], df.loc[rel, "domain"]) for rel in truth}
        assert got == truth


def test_a_clip_name_outside_every_pattern_is_an_error_row(tmp_path):
    pl.dcase_dev(tmp_path, 2023, machines=("fan",))
    pl.write_wav(tmp_path / "fan" / "test" / "recording_take2.wav", pl.machine_clip(0))
    pl.write_wav(tmp_path / "fan" / "loose.wav", pl.machine_clip(1))
    df = import_dcase(tmp_path).df.set_index("id")
    assert "does not follow a DCASE Task 2 pattern" in df.loc["fan/test/recording_take2.wav", IMPORT_ERROR]
    assert df.loc["fan/loose.wav", "skipped"] == "not in a <machine>/<train|test>/ folder"


# ----------------------------------------------------------------------------------- AI Hub

def test_aihub_folders_with_other_files_beside_the_labels(tmp_path):
    expect = pl.aihub_calls(tmp_path)
    m = import_aihub(tmp_path)
    frame = m.resolve().set_index("id")
    assert sorted(frame.index) == sorted(expect)  # every file is a row: none lost, none invented
    for key, outcome in expect.items():
        row = frame.loc[key]
        if outcome == "ok":
            assert row["error"] is None, (key, row["error"])
        elif outcome == "skipped":
            assert row["error_stage"] == "skipped", key
        else:
            assert outcome in row["error"], (key, row["error"])
    assert frame.loc["null_text", "text"] == "숨을 안 쉬어요"  # a null utterance is not the word "None"
    assert (frame["text"].dropna() != "None").all()


# ----------------------------------------------------------------------------------- folders

def test_sample_pack_folder_walk_accounts_for_everything(tmp_path):
    expect = pl.sample_pack(tmp_path)
    good = pl.write_wav(tmp_path / "tmp.wav", pl.drum_hit("kick", 9))
    with open(os.fsencode(tmp_path / "Kicks") + b"/caf\xe9_hit.wav", "wb") as f:  # Latin-1: not UTF-8
        f.write(good.read_bytes())
    good.unlink()
    df = import_folder(tmp_path, AUDIO_EXTENSIONS).resolve().set_index("id")
    assert len(df) == len(expect) + 1
    assert df.loc["Kicks/caf\\xe9_hit.wav", "error"] == "file name is not valid UTF-8: rename the file"
    for rel, outcome in expect.items():
        if outcome == "skipped":
            assert df.loc[rel, "error_stage"] == "skipped", rel
        else:
            assert df.loc[rel, "error"] is None, rel  # silence is found by decoding, not by the walk
    # the manifest (with the odd name) is written and read back as Parquet
    m = import_folder(tmp_path, AUDIO_EXTENSIONS)
    assert len(Manifest.read(m.write(tmp_path / "m.parquet"))) == len(df)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_an_unreadable_folder_is_a_row_not_a_silent_gap(tmp_path):
    """Root reads every folder, so as root the walk runs in a child without the capabilities that
    let root ignore permissions (util-linux setpriv), exactly as an ordinary user would."""
    import shutil

    for rel in ("ok/a.wav", "locked/b.wav"):
        pl.write_wav(tmp_path / "pack" / rel, pl.drum_hit("kick", 0))
    os.chmod(tmp_path / "pack" / "locked", 0o000)
    code = textwrap.dedent(f"""
        from rayscore.corpus.folder import import_folder
        from rayscore.media.audio import AUDIO_EXTENSIONS
        df = import_folder({str(tmp_path / 'pack')!r}, AUDIO_EXTENSIONS).resolve().set_index("id")
        print(df.loc["ok/a.wav", "error"], "|", df.loc["locked", "error"])
    """)
    cmd = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without util-linux setpriv to drop CAP_DAC_*")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True)
    finally:
        os.chmod(tmp_path / "pack" / "locked", 0o755)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "None | cannot read folder: Permission denied"


# ----------------------------------------------------------------------------------- files

def test_a_file_named_parquet_that_is_not_parquet_is_a_one_line_error(tmp_path):
    (tmp_path / "m.parquet").write_text("id,path\na,b\n")
    with pytest.raises(ManifestError, match=r"m.parquet is not a readable Parquet file"):
        Manifest.read(tmp_path / "m.parquet")
    pq.write_table(pa.table({"file": ["a.wav"]}), tmp_path / "other.parquet")
    with pytest.raises(ManifestError, match="has no 'id' column"):
        Manifest.read(tmp_path / "other.parquet")


def test_tables_keep_types_across_blocks_and_write_plain_vectors(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "import_error": [None, None], "emb": [np.ones(3, np.float64), np.zeros(3)],
                       "flag": [True, None], "n": [1.5, np.nan]})
    table = frame_to_table(df)
    assert pa.types.is_null(table.schema.field("import_error").type)  # merges with a string block
    assert table.schema.field("emb").type == pa.list_(pa.float32(), 3)  # fixed-size list of float32
    batch = table_to_batch(table)
    assert batch["import_error"].tolist() == [None, None] and batch["flag"].tolist() == [True, None]
    write_parquet(df, tmp_path / "x.parquet")
    back = pq.read_table(tmp_path / "x.parquet")
    assert back.schema.field("emb").type == pa.list_(pa.float32(), 3)
    assert not any(isinstance(f.type, pa.ExtensionType) for f in back.schema)


def test_more_hostile_files_each_get_an_answer(tmp_path):
    """Beyond the issue's list: what else a sample folder holds, and what each now answers."""
    y = pl.drum_hit("kick", 0, 44100)
    pack = tmp_path / "pack" / "Kicks"
    pack.mkdir(parents=True)
    for name, subtype in (("u8.wav", "PCM_U8"), ("alaw.wav", "ALAW"), ("ima.wav", "IMA_ADPCM"), ("f64.wav", "DOUBLE")):
        sf.write(pack / name, y, 44100, subtype=subtype)
    sf.write(pack / "phase.wav", np.stack([y, -y], 1), 44100)  # the channels cancel out in mono
    (pack / "header_only.wav").write_bytes((pack / "u8.wav").read_bytes()[:44])
    os.symlink("/nonexistent/file.wav", pack / "broken_link.wav")
    os.symlink("..", pack / "loop")  # a folder link back up: not followed, reported
    df = import_folder(tmp_path / "pack", AUDIO_EXTENSIONS).resolve().set_index("id")
    assert df.loc["Kicks/loop/", "error"] == "symbolic link to a folder (not followed)"
    for name in ("u8.wav", "alaw.wav", "ima.wav", "f64.wav"):
        assert load_audio(pack / name, CFG).size > 1000
    for name, reason in (("phase.wav", "silent after mixing the channels to mono"),
                         ("header_only.wav", "zero-length audio"), ("broken_link.wav", "file not found")):
        with pytest.raises(AudioError, match=reason):
            load_audio(pack / name, CFG)


def test_aihub_labels_saved_as_cp949_are_read(tmp_path):
    pl.aihub_calls(tmp_path, n=3, broken=False)
    label = next(tmp_path.glob("TL_*/*.json"))
    label.write_bytes(label.read_text(encoding="utf-8").encode("cp949"))
    df = import_aihub(tmp_path).df
    assert df[IMPORT_ERROR].isna().all() and df["text"].str.contains("[가-힣]").all()
