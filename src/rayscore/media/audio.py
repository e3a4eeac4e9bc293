"""Audio decoding and standardisation shared by every audio workload.

Anything libsndfile reads (wav, flac, ogg, aiff, mp3, ...) at any rate and
channel count becomes float32 mono at ``target_sr``, silence-trimmed,
length-capped and peak-normalised. What libsndfile rejects goes to FFmpeg
through PyAV (M4A/AAC, WMA, WebM, AC-3, ...), and a RIFF/WAV file whose data
chunk is an Ogg Vorbis stream (the old ``vorbis.acm`` format tags, common in
older sample packs) is unwrapped and decoded. Every way a file can be
unusable raises :class:`AudioError` with a reason a user can act on.

Example:
    >>> cfg = AudioLoadConfig(target_sr=16000, max_duration_sec=2.0)
    >>> y = load_audio("kick.wav", cfg)          # doctest: +SKIP
    >>> y.dtype, y.ndim
    (dtype('float32'), 1)
"""

from __future__ import annotations

import io
import os
import struct
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
    silence_dbfs: float = Field(
        -60.0, le=0, description="Audio whose peak stays below this level (dBFS) is silence: an error row, "
        "not a confident prediction from dither or hum."
    )


#: Containers libsndfile cannot open: straight to FFmpeg (PyAV).
FFMPEG_EXTENSIONS = (".m4a", ".m4b", ".mp4", ".aac", ".wma", ".asf", ".webm", ".mka", ".ac3", ".amr", ".3gp")


def _reason(exc: BaseException) -> str:
    # libsndfile's own sentence ("Format not recognised."), not the repr of a buffer
    # and FFmpeg's ("Invalid data found when processing input"), without errno and file name
    text = getattr(exc, "error_string", None) or getattr(exc, "strerror", None) or str(exc)
    return " ".join(str(text).split()).rstrip(".")


def _decode_sndfile(handle: object, max_read_sec: float | None) -> tuple[np.ndarray, int]:
    with sf.SoundFile(handle) as f:
        sr = int(f.samplerate)
        frames = -1 if max_read_sec is None else int(max_read_sec * sr)
        return f.read(frames=frames, dtype="float32", always_2d=True), sr


def _riff_ogg_payload(head: bytes, read_all) -> bytes | None:
    """The data chunk of a RIFF/WAVE file when it holds an Ogg stream (``OggS`` pages), else None."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    blob = read_all()
    pos = 12
    while pos + 8 <= len(blob):
        tag, size = blob[pos:pos + 4], struct.unpack("<I", blob[pos + 4:pos + 8])[0]
        if tag == b"data":
            data = blob[pos + 8:pos + 8 + size]
            return data if data[:4] == b"OggS" else None
        pos += 8 + size + (size & 1)  # chunks are word-aligned
    return None


def _decode_ffmpeg(source: AudioSource, max_read_sec: float | None) -> tuple[np.ndarray, int]:
    """Decode with FFmpeg (PyAV): the first audio stream, all channels, float32 frames."""
    import av

    handle = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else str(source)
    chunks: list[np.ndarray] = []
    sr = 0
    try:
        with av.open(handle, metadata_errors="ignore") as container:
            stream = next(iter(container.streams.audio), None)
            if stream is None:
                raise AudioError("no audio stream in the file")
            resampler = av.AudioResampler(format="fltp")  # planar float32; rate and layout kept
            limit = None if max_read_sec is None else int(max_read_sec * (stream.rate or 0)) or None
            try:
                for frame in container.decode(stream):
                    for out in resampler.resample(frame):
                        sr = out.sample_rate
                        chunks.append(out.to_ndarray())
                    if limit and sum(c.shape[1] for c in chunks) >= limit:
                        break
            except av.FFmpegError:
                if not chunks:  # a damaged tail keeps what decoded before it, as libsndfile does
                    raise
    except av.FFmpegError as exc:
        raise AudioError(_reason(exc)) from exc
    if not chunks or sr <= 0:
        raise AudioError("no audio samples (zero-length audio)")
    data = np.concatenate(chunks, axis=1).T
    if max_read_sec is not None:
        data = data[: int(max_read_sec * sr)]
    return np.ascontiguousarray(data, dtype=np.float32), sr


def decode(source: AudioSource, max_read_sec: float | None = None) -> tuple[np.ndarray, int]:
    """Decode a file path or encoded bytes to ``(frames, channels)`` float32 and its rate.

    libsndfile first (fast, exact); what it rejects goes to FFmpeg through PyAV.
    """
    if isinstance(source, (bytes, bytearray)):
        if len(source) == 0:
            raise AudioError("empty upload (0 bytes)")
        handle: object = io.BytesIO(source)
        head, read_all, suffix = bytes(source[:12]), lambda: bytes(source), ""
    else:
        path = Path(source)
        if not path.exists():
            raise AudioError(f"file not found: {path}")
        if not path.is_file():
            raise AudioError(f"not a regular file: {path}")
        if path.stat().st_size == 0:
            raise AudioError("empty file (0 bytes)")
        try:
            with open(path, "rb") as f:
                head = f.read(12)
        except OSError as exc:
            raise AudioError(f"cannot read file: {exc.strerror or exc}") from exc
        handle, read_all, suffix = str(path), path.read_bytes, path.suffix.lower()
    first = None
    if suffix not in FFMPEG_EXTENSIONS:
        try:
            data, sr = _decode_sndfile(handle, max_read_sec)
        except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
            first = _reason(exc)
            ogg = _riff_ogg_payload(head, read_all)
            if ogg is not None:
                try:
                    data, sr = _decode_sndfile(io.BytesIO(ogg), max_read_sec)
                    first = None
                except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc2:
                    first = f"Ogg stream inside RIFF/WAV: {_reason(exc2)}"
        if first is None:
            if sr <= 0:
                raise AudioError(f"invalid sample rate {sr}")
            return data, sr
    try:
        return _decode_ffmpeg(source, max_read_sec)
    except AudioError as exc:
        reason = f"{first}; ffmpeg: {exc}" if first else f"ffmpeg: {exc}"
        raise AudioError(f"cannot decode audio: {reason}") from exc


def standardize(data: np.ndarray, sr: int, cfg: AudioLoadConfig) -> np.ndarray:
    """Mono, resample, trim, cap the length and peak-normalise ``(frames, channels)`` audio."""
    if data.size == 0:
        raise AudioError("no audio samples (zero-length audio)")
    if not np.all(np.isfinite(data)):
        raise AudioError("audio contains NaN or infinite samples")
    peak = float(np.max(np.abs(data)))
    if peak == 0.0:
        raise AudioError("silent audio (all samples are zero)")
    level = 20.0 * np.log10(peak)
    if level < cfg.silence_dbfs:
        raise AudioError(f"silent audio: peak {level:.1f} dBFS is below audio.silence_dbfs ({cfg.silence_dbfs:g} dBFS)")
    y = data.mean(axis=1) if cfg.mono or data.shape[1] == 1 else data[:, 0]
    y = np.ascontiguousarray(y, dtype=np.float32)
    mixed = float(np.max(np.abs(y)))
    if mixed == 0.0 or 20.0 * np.log10(mixed) < cfg.silence_dbfs:
        raise AudioError("silent after mixing the channels to mono (they cancel out: one is phase-inverted)")
    if sr != cfg.target_sr:
        y = librosa.resample(y, orig_sr=sr, target_sr=cfg.target_sr, res_type="soxr_hq")
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


AUDIO_EXTENSIONS = (".wav", ".wave", ".flac", ".ogg", ".oga", ".aif", ".aiff", ".aifc", ".mp3", ".opus", ".caf",
                    ".w64", ".au", ".snd", *FFMPEG_EXTENSIONS)
