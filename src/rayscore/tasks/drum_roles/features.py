"""DSP descriptors of a drum one-shot, all in [0, 1] (seed 001, ``dsp/features.py``).

One STFT feeds the spectral features; a Hilbert envelope feeds attack and
decay. Both are computed once per clip, which keeps extraction at a few
milliseconds per file.

Example:
    >>> sr = 16000; t = np.arange(sr) / sr
    >>> kick = np.sin(2 * np.pi * 60 * t) * np.exp(-t / 0.05)
    >>> f = extract_features(kick.astype(np.float32), sr, DSPConfig())
    >>> f.low_ratio > 0.8 and f.decay_time < 0.3
    True
"""

from __future__ import annotations

import librosa
import numpy as np
import scipy.fft
import scipy.signal

from rayscore.tasks.drum_roles.config import DSPConfig
from rayscore.tasks.drum_roles.types import DSPFeatures

_EPS = 1e-12


def _clip01(x: float) -> float:
    return float(min(1.0, max(0.0, x)))


def envelope(y: np.ndarray, sr: int, smooth_ms: float) -> np.ndarray:
    """Amplitude envelope: |analytic signal|, smoothed so noise does not flicker."""
    n = len(y)
    env = np.abs(scipy.signal.hilbert(y, N=scipy.fft.next_fast_len(n)))[:n]
    width = int(sr * smooth_ms / 1000.0)
    if width > 1:
        env = np.convolve(env, np.ones(width) / width, mode="same")
    return env


def attack_decay_seconds(env: np.ndarray, sr: int) -> tuple[float, float]:
    """Attack: 10% -> 90% of the peak. Decay: peak -> last time above 30% of the peak.

    Taking the *last* crossing makes decay robust to the dips of noisy tails.
    """
    peak_i = int(np.argmax(env))
    peak = float(env[peak_i])
    if peak <= _EPS:
        return 0.0, 0.0
    onset_i = int(np.argmax(env >= 0.1 * peak))
    rise_i = int(np.argmax(env >= 0.9 * peak))
    above = np.flatnonzero(env[peak_i:] >= 0.3 * peak)
    decay_end = peak_i + int(above[-1]) if above.size else peak_i
    return max(0, rise_i - onset_i) / sr, (decay_end - peak_i) / sr


def extract_features(y: np.ndarray, sr: int, cfg: DSPConfig) -> DSPFeatures:
    """Descriptors of standardised mono audio ``y`` at rate ``sr``."""
    y = np.asarray(y, dtype=np.float32)
    if y.size < cfg.n_fft:  # very short clicks: pad so one full frame exists
        y = np.pad(y, (0, cfg.n_fft - y.size))
    peak = float(np.max(np.abs(y))) + _EPS

    mag = np.abs(librosa.stft(y, n_fft=cfg.n_fft, hop_length=cfg.hop_length, center=True))
    power = mag**2
    freqs = librosa.fft_frequencies(sr=sr, n_fft=cfg.n_fft)

    # Band ratios of the clip's total power spectrum.
    spectrum = power.sum(axis=1)
    edges = cfg.band_edges_hz
    lo, hi = edges.low[0], edges.high[1]
    total = float(spectrum[(freqs >= lo) & (freqs < hi)].sum()) + _EPS

    def band(edge: tuple[float, float]) -> float:
        return _clip01(float(spectrum[(freqs >= edge[0]) & (freqs < edge[1])].sum()) / total)

    # Frame weights: quiet tail frames should not dominate averaged descriptors.
    frame_power = power.sum(axis=0)
    weights = frame_power / (frame_power.sum() + _EPS)

    flatness = librosa.feature.spectral_flatness(S=mag, power=2.0)[0]
    zcr = librosa.feature.zero_crossing_rate(
        y, frame_length=cfg.n_fft, hop_length=cfg.hop_length, center=True
    )[0]
    n_frames = min(len(weights), len(zcr))
    rms = librosa.feature.rms(y=y, frame_length=cfg.n_fft, hop_length=cfg.hop_length)[0]

    # Sharpness: the largest one-frame rise of the dB spectrum, as a share of its
    # dynamic range, averaged over bins. A hit from silence across the whole band
    # is near 1; a swell or a narrow-band thump is low.
    db = librosa.amplitude_to_db(mag, ref=np.max, top_db=cfg.flux_range_db)
    floor = np.full((db.shape[0], 1), -cfg.flux_range_db, dtype=db.dtype)
    rise = np.maximum(0.0, np.diff(db, axis=1, prepend=floor)).mean(axis=0)
    sharpness = _clip01(float(rise.max()) / cfg.flux_range_db)

    env = envelope(y, sr, cfg.envelope_smooth_ms)
    attack_s, decay_s = attack_decay_seconds(env, sr)

    return DSPFeatures(
        energy=_clip01(float(rms.max()) / peak),
        sharpness=sharpness,
        attack_time=_clip01(attack_s / cfg.attack_window_sec),
        decay_time=_clip01(decay_s / cfg.decay_window_sec),
        low_ratio=band(edges.low),
        mid_ratio=band(edges.mid),
        high_ratio=band(edges.high),
        spectral_flatness=_clip01(float(np.dot(weights[: len(flatness)], flatness))),
        zero_crossing_rate=_clip01(float(np.dot(weights[:n_frames], zcr[:n_frames]))),
    )
