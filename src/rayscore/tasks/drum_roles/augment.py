"""Augmented copies of real one-shots: the same hit as another room, mic, pitch or processing.

Training on one library teaches that library's recording chain; these transforms
vary what a role does not depend on (tuning, EQ, room, saturation, bandwidth,
level) so the classifier learns what it does. Each copy draws a random chain.

Example:
    >>> y2 = augment(y, 44100, np.random.default_rng(0))   # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import scipy.signal


def _shelf(y: np.ndarray, sr: int, rng: np.random.Generator) -> np.ndarray:
    """A tilt: boost or cut the lows against the highs by a few dB."""
    split = rng.uniform(300, 3000)
    sos_lo = scipy.signal.butter(2, split / (sr / 2), "lowpass", output="sos")
    low = scipy.signal.sosfilt(sos_lo, y)
    gain = 10 ** (rng.uniform(-8, 8) / 20)
    return gain * low + (y - low)


def _room(y: np.ndarray, sr: int, rng: np.random.Generator) -> np.ndarray:
    """A synthetic room: exponentially decaying noise as the impulse response."""
    n = int(sr * rng.uniform(0.2, 1.0))
    ir = rng.standard_normal(n) * np.exp(-np.arange(n) / (sr * rng.uniform(0.05, 0.3)))
    wet = scipy.signal.fftconvolve(y, ir / np.sqrt(np.sum(ir**2)))[: len(y) + n // 2]
    dry = np.pad(y, (0, len(wet) - len(y)))
    return dry + rng.uniform(0.05, 0.35) * wet


def _pitch(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Retune by up to 4 semitones (resampling: length changes with pitch, as on a sampler)."""
    factor = 2 ** (rng.uniform(-4, 4) / 12)
    n = max(16, int(len(y) / factor))
    return scipy.signal.resample(y, n)


def augment(y: np.ndarray, sr: int, rng: np.random.Generator) -> np.ndarray:
    """One augmented copy of mono ``y`` (float32, peak normalised to a random level)."""
    x = np.asarray(y, dtype=np.float64)
    if rng.random() < 0.7:
        x = _pitch(x, rng)
    if rng.random() < 0.7:
        x = _shelf(x, sr, rng)
    if rng.random() < 0.4:
        x = _room(x, sr, rng)
    if rng.random() < 0.3:
        x = np.tanh(rng.uniform(1.5, 5) * x / (np.max(np.abs(x)) + 1e-9))
    if rng.random() < 0.3:  # a band-limited chain (old sampler, phone, lo-fi pack)
        sos = scipy.signal.butter(4, rng.uniform(3000, 7000) / (sr / 2), "lowpass", output="sos")
        x = scipy.signal.sosfilt(sos, x)
    x = x / (np.max(np.abs(x)) + 1e-9) * rng.uniform(0.3, 0.95)
    return x.astype(np.float32)
