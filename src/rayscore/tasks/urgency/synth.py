"""Synthetic Korean 119 calls in the AI Hub layout, for tests, the demo and benchmarks.

Made hard in the ways real calls are:

- the level follows from facts (:mod:`~rayscore.tasks.urgency.scenarios`): the same
  words at every level, negations, qualifiers and "it was, now it is";
- the voice (``espeak-ng -v ko``: rate, pitch, loudness, pauses) follows the level
  for only half the callers (:attr:`Realism.arousal_follows`);
- most calls come through a phone line (300-3400 Hz, 8 kHz, mu-law), over room
  noise, other people talking or traffic, at 6-30 dB SNR;
- 5 % of the levels are a dispatcher's neighbouring call (label noise).

Levels are imbalanced like real call logs (하 30 %, 중 50 %, 상 20 %). Without
espeak-ng the speech is a plain harmonic signal with the same syllable rate,
pitch and loudness, so everything still runs (the transcript is unchanged).

Example:
    >>> manifest = generate_calls(Path("runs/calls"), n=300, seed=0)   # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from rayscore.corpus.manifest import Manifest
from rayscore.tasks.urgency.aihub import import_aihub
from rayscore.tasks.urgency.config import LEVELS
from rayscore.tasks.urgency.scenarios import LEVEL_SHARE, script  # noqa: F401 - LEVEL_SHARE re-exported

SR = 16000
REGIONS = ("광주", "서울")


@dataclass(frozen=True)
class Voice:
    """How one call is spoken (espeak-ng units: rate in words/min, pitch 0-99, amplitude 0-200)."""

    rate: int
    pitch: int
    amplitude: int
    pause_sec: float
    snr_db: float


# Per level: mean and spread of rate, pitch, amplitude, pause (overlapping on purpose).
_PROSODY = {
    0: ((150, 18), (40, 9), (85, 18), (1.0, 0.35)),
    1: ((170, 18), (50, 9), (105, 18), (0.7, 0.3)),
    2: ((192, 20), (63, 10), (130, 22), (0.35, 0.2)),
}


def _voice(level: int, rng: np.random.Generator) -> Voice:
    (r, rs), (p, ps), (a, as_), (q, qs) = _PROSODY[level]
    return Voice(
        rate=int(np.clip(rng.normal(r, rs), 110, 260)),
        pitch=int(np.clip(rng.normal(p, ps), 10, 95)),
        amplitude=int(np.clip(rng.normal(a, as_), 40, 200)),
        pause_sec=float(np.clip(rng.normal(q, qs), 0.05, 2.0)),
        snr_db=float(rng.uniform(6, 30)),
    )


def _espeak(text: str, voice: Voice) -> np.ndarray:
    out = subprocess.run(
        ["espeak-ng", "-v", "ko", "-s", str(voice.rate), "-p", str(voice.pitch), "-a", str(voice.amplitude),
         "--stdout", text],
        check=True, capture_output=True, timeout=60,
    ).stdout
    y, sr = sf.read(io.BytesIO(out), dtype="float32")
    import librosa

    return librosa.resample(y, orig_sr=sr, target_sr=SR) if sr != SR else y


def _plain(text: str, voice: Voice) -> np.ndarray:
    """A harmonic 'voice' with the call's syllable rate, pitch and loudness (no espeak-ng)."""
    syllables = max(1, sum(1 for ch in text if not ch.isspace()))
    syl = 60.0 / (voice.rate * 2.2)  # seconds per syllable at this speaking rate
    n = int(syl * SR)
    t = np.arange(n) / SR
    f0 = 90.0 + 2.2 * voice.pitch
    gain = 0.45 * voice.amplitude / 100.0
    parts = []
    for k in range(syllables):
        f = f0 * (1.0 + 0.04 * np.sin(k))  # a little intonation
        tone = sum(np.sin(2 * np.pi * h * f * t) / h for h in (1, 2, 3))
        parts.append(gain * np.hanning(n) * tone / 1.8)
    return np.concatenate(parts).astype(np.float32)


def _noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Pink-ish background (street, room): white noise with a 1/f spectrum."""
    spec = np.fft.rfft(rng.standard_normal(n))
    spec /= np.sqrt(np.maximum(np.arange(len(spec)), 1.0))
    y = np.fft.irfft(spec, n)
    return (y / (np.std(y) + 1e-12)).astype(np.float32)


def _street(n: int, rng: np.random.Generator) -> np.ndarray:
    """Traffic: low rumble, pink noise and now and then a horn."""
    t = np.arange(n) / SR
    y = _noise(n, rng) + 1.5 * np.sin(2 * np.pi * rng.uniform(40, 90) * t) * (1 + 0.5 * np.sin(2 * np.pi * 0.3 * t))
    for _ in range(int(rng.integers(0, 3))):
        start, length = int(rng.integers(0, max(1, n - SR))), int(SR * rng.uniform(0.3, 1.0))
        horn = np.sign(np.sin(2 * np.pi * rng.uniform(350, 500) * t[:length]))
        y[start:start + length] += 2.0 * horn[: len(y[start:start + length])]
    return (y / (np.std(y) + 1e-12)).astype(np.float32)


def _babble(n: int, rng: np.random.Generator, speak, voices: list[Voice]) -> np.ndarray:
    """Other people talking in the room: a few overlapping voices."""
    y = np.zeros(n, np.float32)
    for k in range(3):
        _, utterances, _ = script(rng)
        talk = np.concatenate([speak(u, voices[k % len(voices)]) for u in utterances[1:3]])
        start = int(rng.integers(0, max(1, n // 2)))
        seg = talk[: n - start]
        y[start:start + len(seg)] += seg
    return (y / (np.std(y) + 1e-12)).astype(np.float32)


def telephone(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A phone line: 300-3400 Hz, 8 kHz sampling, a codec's companding, a little clipping."""
    import librosa
    import scipy.signal

    sos = scipy.signal.butter(4, [300 / (SR / 2), 3400 / (SR / 2)], "bandpass", output="sos")
    y = scipy.signal.sosfilt(sos, y)
    y = librosa.resample(librosa.resample(y, orig_sr=SR, target_sr=8000), orig_sr=8000, target_sr=SR)
    mu = 255.0
    peak = np.max(np.abs(y)) + 1e-9
    c = np.sign(y) * np.log1p(mu * np.abs(y / peak)) / np.log1p(mu)
    c = np.round(c * 127) / 127  # 8-bit companded samples
    y = np.sign(c) * (np.expm1(np.abs(c) * np.log1p(mu)) / mu) * peak
    return np.clip(y * rng.uniform(1.0, 1.6), -0.99, 0.99).astype(np.float32)


def synth_call(utterances: list[str], voice: Voice, rng: np.random.Generator, speech: str,
               background: str = "pink", phone: bool = False) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The call's waveform at 16 kHz and each utterance's (start, end) in milliseconds."""
    speak = _espeak if speech == "espeak" else _plain
    pieces = [np.zeros(int(rng.uniform(0.2, 0.8) * SR), np.float32)]
    spans, at = [], len(pieces[0])
    for text in utterances:
        y = speak(text, voice)
        spans.append((int(at * 1000 / SR), int((at + len(y)) * 1000 / SR)))
        gap = np.zeros(int(max(0.05, rng.normal(voice.pause_sec, 0.1)) * SR), np.float32)
        pieces += [y, gap]
        at += len(y) + len(gap)
    y = np.concatenate(pieces)
    rms = np.sqrt(np.mean(y[np.abs(y) > 1e-4] ** 2)) if np.any(np.abs(y) > 1e-4) else 0.1
    if background == "babble":
        noise = _babble(len(y), rng, speak, [_voice(int(rng.integers(3)), rng) for _ in range(3)])
    elif background == "street":
        noise = _street(len(y), rng)
    else:
        noise = _noise(len(y), rng)
    y = y + noise * rms / (10 ** (voice.snr_db / 20))
    if phone:
        y = telephone(y, rng)
    peak = np.max(np.abs(y))
    return (y / peak * 0.99 if peak > 0.99 else y).astype(np.float32), spans


def speech_backend(speech: str = "auto") -> str:
    """'espeak' when espeak-ng is installed (or asked for), else 'plain'."""
    if speech == "auto":
        return "espeak" if shutil.which("espeak-ng") else "plain"
    if speech == "espeak" and not shutil.which("espeak-ng"):
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng), use speech='plain'")
    return speech


def _write_call(out_dir: Path, seed: int, i: int, realism: Realism, backend: str) -> None:
    rng = np.random.default_rng([seed, i])  # one stream per call: the same corpus at any parallelism
    kind, utterances, level = script(rng)
    # Arousal follows urgency only loosely: a calm voice for a collapse, panic over a locked door.
    arousal = level if rng.random() < realism.arousal_follows else int(rng.integers(3))
    voice = _voice(arousal, rng)
    background = ("pink", "babble", "street")[int(rng.choice(3, p=realism.backgrounds))]
    y, spans = synth_call(utterances, voice, rng, backend, background, phone=rng.random() < realism.telephone)
    if rng.random() < realism.label_noise:  # the dispatcher's call, not the facts: a neighbouring level
        level = int(np.clip(level + rng.choice([-1, 1]), 0, 2))
    folder = f"{REGIONS[i % len(REGIONS)]}_{kind}"
    file_id = f"{folder}_{seed:03d}{i:05d}"
    (out_dir / f"TS_{folder}").mkdir(parents=True, exist_ok=True)
    (out_dir / f"TL_{folder}").mkdir(parents=True, exist_ok=True)
    sf.write(out_dir / f"TS_{folder}" / f"{file_id}.wav", y, SR, subtype="PCM_16")
    doc = {
        "_id": f"{seed:03d}{i:05d}",
        "file_id": file_id,
        "audioPath": f"TS_{folder}/{file_id}.wav",
        "disasterLarge": kind,
        "urgencyLevel": LEVELS[level],
        "utterances": [{"id": j, "startAt": s, "endAt": e, "text": t, "speaker": 1}
                       for j, ((s, e), t) in enumerate(zip(spans, utterances, strict=True))],
        "synthetic": {"speech": backend, "rate": voice.rate, "pitch": voice.pitch, "arousal": arousal,
                      "amplitude": voice.amplitude, "snr_db": round(voice.snr_db, 1), "background": background},
    }
    (out_dir / f"TL_{folder}" / f"{file_id}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                                              encoding="utf-8")


@dataclass(frozen=True)
class Realism:
    """How far generated calls are from clean scripts (the defaults are meant to be hard)."""

    arousal_follows: float = 0.5  # share of callers whose voice matches the call's urgency
    telephone: float = 0.7  # share of calls through a phone line (band-limited, companded)
    backgrounds: tuple[float, float, float] = (0.4, 0.3, 0.3)  # pink room noise, babble, street
    label_noise: float = 0.05  # share of levels moved to a neighbouring one


def generate_calls(out_dir: Path, n: int = 300, seed: int = 0, speech: str = "auto",
                   realism: Realism | None = None) -> Manifest:
    """Write ``n`` calls as ``TL_<region>_<type>/<id>.json`` + ``TS_<region>_<type>/<id>.wav``."""
    out_dir = Path(out_dir)
    backend = speech_backend(speech)
    realism = realism or Realism()
    # espeak-ng runs as a subprocess: threads keep several busy at once.
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        jobs = [pool.submit(_write_call, out_dir, seed, i, realism, backend) for i in range(n)]
        for job in jobs:
            job.result()
    return import_aihub(out_dir)
