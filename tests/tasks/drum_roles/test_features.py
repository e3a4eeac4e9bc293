"""DSP features on synthetic signals whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from rayscore.media.audio import AudioLoadConfig, standardize
from rayscore.tasks.drum_roles.config import DSPConfig
from rayscore.tasks.drum_roles.features import extract_features
from tests.conftest import decaying_sine, white_noise

SR = 16000


def features(x: np.ndarray):
    y = standardize(x[:, None], SR, AudioLoadConfig())
    return extract_features(y, SR, DSPConfig())


def test_decaying_60hz_sine_is_low_band_heavy_and_fast():
    f = features(decaying_sine(60, 0.05))
    assert f.low_ratio > 0.95 and f.high_ratio < 0.01
    assert f.attack_time < 0.2  # reaches its peak within ~16 ms of the 80 ms window
    # peak -> 30 %: 0.05 * ln(1/0.3) = 60 ms, i.e. 0.1 of the 600 ms window
    assert f.decay_time == pytest.approx(0.1, abs=0.03)
    assert f.spectral_flatness < 0.05 and f.zero_crossing_rate < 0.02


def test_white_noise_is_flat_and_noisy():
    f = features(white_noise(seconds=1.0))
    assert f.spectral_flatness > 0.4
    assert f.zero_crossing_rate > 0.4
    assert f.high_ratio > f.mid_ratio > f.low_ratio  # equal power per Hz: bands by width
    assert f.high_ratio == pytest.approx(6000 / 7980, abs=0.05)


def test_slower_decay_gives_longer_decay_time():
    short, long = features(decaying_sine(200, 0.03)), features(decaying_sine(200, 0.2))
    assert long.decay_time > short.decay_time + 0.3


def test_swell_has_slow_attack_and_a_hit_is_sharper():
    t = np.arange(SR) / SR
    swell = (np.random.default_rng(1).standard_normal(SR) * np.minimum(t / 0.5, 1.0)).astype(np.float32)
    hit = (np.random.default_rng(2).standard_normal(SR) * np.exp(-t / 0.02)).astype(np.float32)
    fs, fh = features(swell), features(hit)
    assert fs.attack_time == 1.0 and fh.attack_time < 0.3
    assert fh.sharpness > fs.sharpness


def test_all_features_are_in_unit_range_for_a_tiny_click():
    f = features(white_noise(seconds=0.01))  # 160 samples: shorter than one FFT frame
    assert all(0.0 <= v <= 1.0 for v in f.as_dict().values())


def test_band_ratios_follow_configured_edges():
    x = decaying_sine(1000, 0.2)
    y = standardize(x[:, None], SR, AudioLoadConfig())
    narrow = DSPConfig(band_edges_hz={"low": (20, 1200), "mid": (1200, 3000), "high": (3000, 8000)})
    assert extract_features(y, SR, DSPConfig()).mid_ratio > 0.9
    assert extract_features(y, SR, narrow).low_ratio > 0.9
