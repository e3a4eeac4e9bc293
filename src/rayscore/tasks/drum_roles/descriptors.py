"""Rich descriptors of a one-shot for the learned role classifier (beside the seed's nine).

Where the rules read nine hand-made numbers, the classifier reads the shape of
the sound: MFCC statistics (timbre), log-spaced band energies in the attack and
in the tail (a kick's energy sits low, a tom's a little higher and longer), the
spectral centroid / bandwidth / roll-off / flatness / contrast over time, the
amplitude envelope (log attack time, temporal centroid, energy after 50 / 150 /
400 ms, decay slope) and the lowest strong partial. Everything is a ratio or a
log, so a louder or quieter recording of the same hit describes the same.

Example:
    >>> sr = 16000; t = np.arange(sr) / sr
    >>> kick = (np.sin(2 * np.pi * 60 * t) * np.exp(-t / 0.05)).astype(np.float32)
    >>> describe(kick, sr).shape == (len(NAMES),)
    True
"""

from __future__ import annotations

import librosa
import numpy as np

_EPS = 1e-10
N_MFCC = 20
BANDS_HZ = (20, 60, 120, 250, 500, 1000, 2000, 4000, 8000)  # 8 log-spaced bands up to Nyquist at 16 kHz
SPECTRAL = ("centroid", "bandwidth", "rolloff", "flatness", "contrast_low", "contrast_high")
ENVELOPE = ("log_attack", "temporal_centroid", "after_50ms", "after_150ms", "after_400ms", "decay_slope",
            "length", "crest", "zcr", "f0_log")

NAMES: list[str] = (
    [f"mfcc{i}_mean" for i in range(N_MFCC)] + [f"mfcc{i}_std" for i in range(N_MFCC)]
    + [f"band{i}_attack" for i in range(len(BANDS_HZ) - 1)] + [f"band{i}_tail" for i in range(len(BANDS_HZ) - 1)]
    + [f"{s}_{stat}" for s in SPECTRAL for stat in ("mean", "std")]
    + list(ENVELOPE)
)


def _band_shares(power: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    total = power.sum() + _EPS
    return np.array([power[(freqs >= lo) & (freqs < hi)].sum() / total
                     for lo, hi in zip(BANDS_HZ[:-1], BANDS_HZ[1:], strict=True)])


def _lowest_partial(spectrum: np.ndarray, freqs: np.ndarray) -> float:
    """log2 of the lowest frequency holding at least a third of the spectrum's peak (0 if none below 2 kHz)."""
    keep = (freqs >= 30) & (freqs < 2000)
    if not keep.any():
        return 0.0
    s, f = spectrum[keep], freqs[keep]
    strong = np.flatnonzero(s >= s.max() / 3)
    return float(np.log2(f[strong[0]])) if strong.size else 0.0


def describe(y: np.ndarray, sr: int, n_fft: int = 1024, hop: int = 256) -> np.ndarray:
    """The :data:`NAMES` descriptors of standardised mono audio (float32 vector)."""
    y = np.asarray(y, dtype=np.float32)
    if y.size < n_fft:
        y = np.pad(y, (0, n_fft - y.size))
    mag = np.abs(librosa.stft(y, n_fft=n_fft, hop_length=hop, center=True))
    power = mag**2
    freqs = librosa.fft_frequencies(sr=sr, n_fft=n_fft)
    frame_energy = power.sum(axis=0)
    weights = frame_energy / (frame_energy.sum() + _EPS)

    mel = librosa.feature.melspectrogram(S=power, sr=sr, n_mels=64)
    mfcc = librosa.feature.mfcc(S=librosa.power_to_db(mel + _EPS, ref=np.max), n_mfcc=N_MFCC)  # relative dB
    mfcc_mean = mfcc @ weights  # energy-weighted: the silent tail does not dominate
    mfcc_std = np.sqrt(np.maximum((mfcc - mfcc_mean[:, None]) ** 2 @ weights, 0.0))

    peak_frame = int(np.argmax(frame_energy))
    attack = power[:, : peak_frame + 3].sum(axis=1)
    tail = power[:, peak_frame + 3 :].sum(axis=1) if power.shape[1] > peak_frame + 3 else attack * 0
    bands = np.concatenate([_band_shares(attack, freqs), _band_shares(tail, freqs)])

    nyq = sr / 2
    spectral = {
        "centroid": librosa.feature.spectral_centroid(S=mag, sr=sr)[0] / nyq,
        "bandwidth": librosa.feature.spectral_bandwidth(S=mag, sr=sr)[0] / nyq,
        "rolloff": librosa.feature.spectral_rolloff(S=mag, sr=sr)[0] / nyq,
        "flatness": librosa.feature.spectral_flatness(S=mag)[0],
    }
    contrast = librosa.feature.spectral_contrast(S=mag, sr=sr, n_bands=4, fmin=100.0) / 60.0
    spectral["contrast_low"], spectral["contrast_high"] = contrast[:2].mean(0), contrast[2:].mean(0)
    spec_stats = []
    for name in SPECTRAL:
        v = spectral[name][: len(weights)]
        w = weights[: len(v)]
        mean = float(v @ w)
        spec_stats += [mean, float(np.sqrt(max(((v - mean) ** 2) @ w, 0.0)))]

    env = np.abs(y)
    env = np.convolve(env, np.ones(64) / 64, mode="same")
    peak = float(env.max()) + _EPS
    peak_i = int(np.argmax(env))
    onset_i = int(np.argmax(env >= 0.1 * peak))
    t = np.arange(env.size) / sr
    energy = env**2

    def after(ms: float) -> float:
        start = peak_i + int(sr * ms / 1000)
        return float(energy[start:].sum() / (energy.sum() + _EPS)) if start < env.size else 0.0

    above = np.flatnonzero(env[peak_i:] >= 0.05 * peak)
    tail_len = (above[-1] if above.size else 0) / sr
    db = 20 * np.log10(env[peak_i:] / peak + _EPS)
    frames = db[:: max(1, sr // 200)][:200]  # 5 ms steps, first second after the peak
    slope = float(np.polyfit(np.arange(len(frames)) / 200.0, np.maximum(frames, -80), 1)[0]) / 80.0 \
        if len(frames) > 2 else 0.0
    zcr = float(np.mean(np.abs(np.diff(np.sign(y[: min(y.size, peak_i + sr // 5)])))) / 2)
    envelope = [
        float(np.log10(max(peak_i - onset_i, 1) / sr)),
        float((t * energy).sum() / (energy.sum() + _EPS)),
        after(50), after(150), after(400), slope,
        float(np.log10(max(tail_len, 1e-3))),
        float(peak / (np.sqrt(np.mean(y**2)) + _EPS)) / 10.0,
        zcr,
        _lowest_partial(attack + tail, freqs) / 11.0,
    ]
    out = np.concatenate([mfcc_mean / 100.0, mfcc_std / 100.0, bands, spec_stats, envelope])
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)
