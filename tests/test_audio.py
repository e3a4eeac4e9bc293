"""Decoding of real formats, rates and channel counts, and every way audio can be unusable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from rayscore.media.audio import AudioError, AudioLoadConfig, load_audio
from tests.conftest import decaying_sine, write_bad_files

CFG = AudioLoadConfig()


@pytest.mark.parametrize(
    "ext,subtype,sr,channels",
    [
        ("wav", "PCM_16", 44100, 1),
        ("wav", "FLOAT", 48000, 2),
        ("flac", "PCM_24", 22050, 2),
        ("ogg", "VORBIS", 44100, 1),
        ("aiff", "PCM_16", 8000, 1),
        ("wav", "PCM_24", 96000, 8),
    ],
)
def test_formats_rates_channels_become_16k_mono(tmp_path: Path, ext, subtype, sr, channels):
    x = decaying_sine(220, 0.2, sr, 0.8)
    data = np.stack([x] * channels, axis=1) if channels > 1 else x
    path = tmp_path / f"hit.{ext}"
    sf.write(path, data * 0.5, sr, subtype=subtype)
    y = load_audio(path, CFG)
    assert y.dtype == np.float32 and y.ndim == 1
    assert np.max(np.abs(y)) == pytest.approx(0.95, abs=1e-3)  # peak-normalised
    assert 0.2 * 16000 < len(y) <= 0.8 * 16000 + 1  # decayed tail trimmed at -30 dB


def test_leading_silence_is_trimmed_and_length_capped(tmp_path: Path):
    sr = 16000
    x = np.concatenate([np.zeros(sr), 0.5 * np.random.default_rng(0).standard_normal(5 * sr)])
    sf.write(tmp_path / "long.wav", x.astype(np.float32), sr)
    y = load_audio(tmp_path / "long.wav", CFG)
    assert len(y) == 2 * sr  # max_duration_sec
    assert np.flatnonzero(np.abs(y) > 0.05)[0] < 512  # the second of silence is gone


def test_bytes_input_decodes_like_a_file(tmp_path: Path):
    sf.write(tmp_path / "a.flac", decaying_sine(100, 0.1, 44100, 0.5), 44100)
    data = (tmp_path / "a.flac").read_bytes()
    assert np.array_equal(load_audio(data, CFG), load_audio(tmp_path / "a.flac", CFG))


def test_every_bad_file_fails_with_its_reason_or_loads(tmp_path: Path):
    expected = write_bad_files(tmp_path)
    for name, outcome in expected.items():
        if outcome == "ok":
            y = load_audio(tmp_path / name, CFG)
            assert y.size > 0 and np.all(np.isfinite(y)), name
        else:
            with pytest.raises(AudioError, match=outcome):
                load_audio(tmp_path / name, CFG)


def test_missing_file_and_too_short_clip(tmp_path: Path):
    with pytest.raises(AudioError, match="file not found"):
        load_audio(tmp_path / "nope.wav", CFG)
    sf.write(tmp_path / "tiny.wav", np.ones(40, np.float32) * 0.5, 16000)  # 2.5 ms
    with pytest.raises(AudioError, match="too short"):
        load_audio(tmp_path / "tiny.wav", CFG)
