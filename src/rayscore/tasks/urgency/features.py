"""The seed's five acoustic features of a call (librosa).

Example:
    >>> y = np.zeros(16000, np.float32); y[4000:8000] = 0.5
    >>> dict(zip(FEATURES, call_features(y, 16000, AudioFeatures()).round(2)))  # doctest: +SKIP
    {'duration_sec': 1.0, 'speech_ratio': 0.27, 'energy_mean': 0.06, 'peak_amp': 0.5, 'peak_to_rms': 2.0}
"""

from __future__ import annotations

import librosa
import numpy as np

from rayscore.tasks.urgency.config import AudioFeatures

FEATURES = ("duration_sec", "speech_ratio", "energy_mean", "peak_amp", "peak_to_rms")


def call_features(y: np.ndarray, sr: int, cfg: AudioFeatures) -> np.ndarray:
    """duration, share of non-silent frames, mean energy, peak amplitude, peak-to-RMS ratio.

    Computed on the waveform as recorded (not normalised): loudness is part of
    what the features say about a caller.
    """
    y = np.asarray(y, dtype=np.float32)
    duration = len(y) / sr
    peak = float(np.max(np.abs(y))) if len(y) else 0.0
    if peak < 1e-8:  # a silent line is a real call too: no speech, no energy
        return np.array([duration, 0.0, 0.0, 0.0, 0.0], dtype=np.float32)
    rms = librosa.feature.rms(y=y, frame_length=cfg.frame_length, hop_length=cfg.hop_length)[0]
    db = librosa.amplitude_to_db(rms, ref=np.max)
    speech_ratio = float(np.mean(db > -cfg.silence_top_db))
    energy = float(np.mean(y.astype(np.float64) ** 2))
    return np.array([duration, speech_ratio, energy, peak, peak / np.sqrt(energy)], dtype=np.float32)
