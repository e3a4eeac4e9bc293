"""Log-mel statistics: a weight-free audio embedding (mean and spread of each mel band).

It needs no download, so every audio workload stays runnable offline; it is
also the seed's encoder for the memory-bank engine of W4.

Example:
    >>> enc = LogMelStats(n_mels=64)
    >>> enc.embed_audio([np.random.randn(16000).astype(np.float32)], sr=16000).shape
    (1, 128)
"""

from __future__ import annotations

import librosa
import numpy as np

from rayscore.encoders import register_encoder


def logmel_stats(y: np.ndarray, sr: int, n_mels: int = 64, n_fft: int = 1024, hop_length: int = 512,
                 fmin: float = 20.0, fmax: float | None = None) -> np.ndarray:
    """Per mel band: mean and standard deviation of the log-power over time (2 * n_mels values)."""
    mel = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop_length,
                                         n_mels=n_mels, fmin=fmin, fmax=fmax, power=2.0)
    logmel = librosa.power_to_db(mel, ref=1.0, top_db=None)  # absolute level: gain changes stay visible
    return np.concatenate([logmel.mean(axis=1), logmel.std(axis=1)]).astype(np.float32)


@register_encoder("logmel_stats")
class LogMelStats:
    """Batch wrapper with the encoder interface (``embed_audio``)."""

    def __init__(self, n_mels: int = 64, n_fft: int = 1024, hop_length: int = 512, fmin: float = 20.0,
                 fmax: float | None = None) -> None:
        self.kwargs = {"n_mels": n_mels, "n_fft": n_fft, "hop_length": hop_length, "fmin": fmin, "fmax": fmax}
        self.identity = "logmel_stats@1"
        self.dim = 2 * n_mels

    def embed_audio(self, audios: list[np.ndarray], sr: int) -> np.ndarray:
        return np.stack([logmel_stats(np.asarray(y, dtype=np.float32), sr, **self.kwargs) for y in audios])
