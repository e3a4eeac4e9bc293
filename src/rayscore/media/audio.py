"""Audio decoding and standardisation shared by every audio workload.

Anything libsndfile reads (wav, flac, ogg, aiff, mp3, ...) at any rate and
channel count becomes float32 mono at ``target_sr``, silence-trimmed,
length-capped and peak-normalised. Every way a file can be unusable raises
:class:`AudioError` with a reason a user can act on.

Example:
    >>> cfg = AudioLoadConfig(target_sr=16000, max_duration_sec=2.0)
    >>> y = load_audio("kick.wav", cfg)          # doctest: +SKIP
    >>> y.dtype, y.ndim
    (dtype('float32'), 1)
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Literal

import librosa
import numpy as np
import soundfile as sf
from pydantic import Field

from rayscore.config import StrictModel
from rayscore.errors import RowError

AudioSource = str | os.PathLike | bytes


class AudioError(RowError):
    """The audio cannot be used; the message says why."""


class AudioLoadConfig(StrictModel):
    """How raw audio becomes model input."""

    target_sr: int = Field(16000, ge=1000, description="Output sample rate in Hz.")
    mono: bool = Field(True, description="Average all channels into one.")
    max_duration_sec: float | None = Field(
        2.0, gt=0, description="Keep at most this many seconds after trimming (None: all)."
    )
    trim_silence: bool = Field(True, description="Cut leading and trailing silence.")
    trim_top_db: float = Field(30.0, gt=0, description="Silence is this many dB below the peak.")
    peak_normalize: bool = Field(True, description="Scale so the absolute peak is peak_target.")
    peak_target: float = Field(0.95, gt=0, le=1.0, description="Peak after normalisation.")
    min_duration_sec: float = Field(
        0.005, ge=0, description="Clips shorter than this after trimming are errors."
    )
    max_read_sec: float = Field(
        30.0, gt=0, description="Decode at most this many seconds of each file (bounds memory)."
    )
    pad_mode: Literal["none", "repeat", "zero"] = Field(
        "none", description="Bring clips shorter than max_duration_sec to that length (fixed-length models)."
    )


def decode(source: AudioSource, max_read_sec: float | None = None) -> tuple[np.ndarray, int]:
    """Decode a file path or encoded bytes to ``(frames, channels)`` float32 and its rate."""
    if isinstance(source, (bytes, bytearray)):
        if len(source) == 0:
            raise AudioError("empty upload (0 bytes)")
        handle: object = io.BytesIO(source)
    else:
        path = Path(source)
        if not path.exists():
            raise AudioError(f"file not found: {path}")
        if not path.is_file():
            raise AudioError(f"not a regular file: {path}")
        if path.stat().st_size == 0:
            raise AudioError("empty file (0 bytes)")
        handle = str(path)
    try:
        with sf.SoundFile(handle) as f:
            sr = int(f.samplerate)
            frames = -1 if max_read_sec is None else int(max_read_sec * sr)
            data = f.read(frames=frames, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        # libsndfile's own sentence ("Format not recognised."), not the repr of a buffer
        reason = getattr(exc, "error_string", None) or str(exc)
        raise AudioError(f"cannot decode audio: {' '.join(reason.split())}") from exc
    if sr <= 0:
        raise AudioError(f"invalid sample rate {sr}")
    return data, sr


def standardize(data: np.ndarray, sr: int, cfg: AudioLoadConfig) -> np.ndarray:
    """Mono, resample, trim, cap the length and peak-normalise ``(frames, channels)`` audio."""
    if data.size == 0:
        raise AudioError("no audio samples (zero-length audio)")
    if not np.all(np.isfinite(data)):
        raise AudioError("audio contains NaN or infinite samples")
    y = data.mean(axis=1) if cfg.mono or data.shape[1] == 1 else data[:, 0]
    y = np.ascontiguousarray(y, dtype=np.float32)
    if sr != cfg.target_sr:
        y = librosa.resample(y, orig_sr=sr, target_sr=cfg.target_sr, res_type="soxr_hq")
    peak = float(np.max(np.abs(y))) if y.size else 0.0
    if peak <= 1e-8:
        raise AudioError("silent audio (all samples are zero)")
    if cfg.trim_silence:
        # 32 ms frames at 16 kHz: librosa's default (2048) would leave up to ~100 ms
        # of leading silence, which blurs attack times of short hits.
        y, _ = librosa.effects.trim(y, top_db=cfg.trim_top_db, frame_length=512, hop_length=128)
    if cfg.max_duration_sec is not None:
        y = y[: int(cfg.max_duration_sec * cfg.target_sr)]
    if y.size < cfg.min_duration_sec * cfg.target_sr or y.size == 0:
        ms = 1000.0 * y.size / cfg.target_sr
        raise AudioError(f"too short: {ms:.1f} ms after trimming (< {cfg.min_duration_sec * 1000:g} ms)")
    if cfg.peak_normalize:
        y = y * (cfg.peak_target / float(np.max(np.abs(y))))
    if cfg.pad_mode != "none" and cfg.max_duration_sec is not None:
        n = int(cfg.max_duration_sec * cfg.target_sr)
        if y.size < n:
            y = np.resize(y, n) if cfg.pad_mode == "repeat" else np.pad(y, (0, n - y.size))
    return y.astype(np.float32, copy=False)


def load_audio(source: AudioSource, cfg: AudioLoadConfig) -> np.ndarray:
    """Decode and standardise one file or byte string to float32 mono at ``cfg.target_sr``."""
    data, sr = decode(source, cfg.max_read_sec)
    return standardize(data, sr, cfg)


AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".oga", ".aif", ".aiff", ".aifc", ".mp3", ".opus")
