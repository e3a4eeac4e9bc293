"""Synthetic Korean 119 calls in the AI Hub layout, for tests, the demo and benchmarks.

A call is a scripted transcript (an opening, a situation, a location, a
closing) spoken by ``espeak-ng -v ko``. The urgency level drives both
modalities, with overlap so neither alone is enough:

- text: the situation comes from the call's level, but a share of calls
  (``ambiguity``) describe a neighbouring level's situation, as real callers
  under- or over-state; closings lean towards the level;
- audio: speaking rate, pitch and loudness rise with urgency and pauses
  shorten (each drawn from overlapping distributions), under background noise
  at a random signal-to-noise ratio.

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

SR = 16000
#: Share of each level (하, 중, 상) in generated corpora.
LEVEL_SHARE = (0.3, 0.5, 0.2)
REGIONS = ("광주", "서울")

# (call type, situation) per level: 구급 medical, 구조 rescue, 화재 fire.
SITUATIONS: dict[str, list[tuple[str, str]]] = {
    "상": [
        ("구급", "사람이 쓰러졌는데 숨을 안 쉬어요"),
        ("구급", "남편이 가슴을 움켜쥐더니 의식이 없어요"),
        ("구급", "할머니가 갑자기 말을 못 하시고 한쪽이 마비됐어요"),
        ("구조", "아이가 물에 빠졌어요 안 보여요"),
        ("구조", "차 밑에 사람이 깔렸어요 피가 많이 나요"),
        ("구조", "엘리베이터가 떨어졌어요 사람이 크게 다쳤어요"),
        ("화재", "불이 났어요 안에 사람이 있어요"),
        ("화재", "연기가 가득 차서 나갈 수가 없어요"),
    ],
    "중": [
        ("구급", "넘어져서 다리가 부러진 것 같아요"),
        ("구급", "아이가 열이 사십 도까지 올라요"),
        ("구급", "손을 칼에 베였는데 피가 잘 안 멈춰요"),
        ("구급", "어머니가 어지럽다고 하시면서 계속 토하세요"),
        ("구조", "엘리베이터에 갇혔어요"),
        ("구조", "산에서 길을 잃었어요 해가 지고 있어요"),
        ("구조", "교통사고가 났는데 목이 좀 아파요"),
        ("화재", "부엌에서 연기가 나요 불은 꺼진 것 같아요"),
    ],
    "하": [
        ("구조", "문이 잠겨서 집에 못 들어가요"),
        ("구조", "베란다에 벌집이 생겼어요"),
        ("구조", "고양이가 나무에서 못 내려와요"),
        ("구조", "멧돼지가 밭에 나타났어요"),
        ("구급", "어제부터 배가 조금 아픈데 어느 병원으로 가야 하나요"),
        ("구급", "발목을 살짝 삐었어요"),
        ("화재", "밖에서 타는 냄새가 조금 나요"),
        ("화재", "옆집 화재경보기가 계속 울려요"),
    ],
}
OPENINGS = ["여보세요", "저기요", "119죠", "신고하려고요", "네 여보세요"]
LOCATIONS = ["여기 {dong} {n}번지예요", "주소는 {dong} 아파트 {n}동이에요", "{dong} 사거리 근처예요",
             "{dong} 주민센터 옆이에요"]
DONGS = ["풍암동", "쌍촌동", "역삼동", "상무동", "신림동", "치평동", "문흥동", "합정동"]
CLOSINGS = {
    "상": ["빨리 와주세요", "제발 빨리요", "어떡해요 빨리요"],
    "중": ["와주실 수 있나요", "좀 빨리 부탁드려요", "어떻게 해야 돼요"],
    "하": ["천천히 오셔도 돼요", "확인 좀 부탁드려요", "어떻게 해야 돼요"],
}


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


def _script(level: int, rng: np.random.Generator, ambiguity: float) -> tuple[str, list[str]]:
    """(call type, utterances) of a call at ``level``."""
    shown = level
    if rng.random() < ambiguity:  # the caller under- or over-states: a neighbouring level's situation
        shown = int(np.clip(level + rng.choice([-1, 1]), 0, 2))
    kind, situation = SITUATIONS[LEVELS[shown]][rng.integers(len(SITUATIONS[LEVELS[shown]]))]
    closing_level = LEVELS[level] if rng.random() < 0.7 else LEVELS[rng.integers(3)]
    location = LOCATIONS[rng.integers(len(LOCATIONS))].format(dong=DONGS[rng.integers(len(DONGS))],
                                                              n=int(rng.integers(1, 300)))
    utterances = [OPENINGS[rng.integers(len(OPENINGS))], situation, location,
                  CLOSINGS[closing_level][rng.integers(3)]]
    return kind, utterances


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


def synth_call(utterances: list[str], voice: Voice, rng: np.random.Generator, speech: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
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
    y = y + _noise(len(y), rng) * rms / (10 ** (voice.snr_db / 20))
    peak = np.max(np.abs(y))
    return (y / peak * 0.99 if peak > 0.99 else y).astype(np.float32), spans


def speech_backend(speech: str = "auto") -> str:
    """'espeak' when espeak-ng is installed (or asked for), else 'plain'."""
    if speech == "auto":
        return "espeak" if shutil.which("espeak-ng") else "plain"
    if speech == "espeak" and not shutil.which("espeak-ng"):
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng), use speech='plain'")
    return speech


def _write_call(out_dir: Path, seed: int, i: int, level: int, ambiguity: float, backend: str) -> None:
    rng = np.random.default_rng([seed, i])  # one stream per call: the same corpus at any parallelism
    kind, utterances = _script(level, rng, ambiguity)
    voice = _voice(level, rng)
    y, spans = synth_call(utterances, voice, rng, backend)
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
        "synthetic": {"speech": backend, "rate": voice.rate, "pitch": voice.pitch,
                      "amplitude": voice.amplitude, "snr_db": round(voice.snr_db, 1)},
    }
    (out_dir / f"TL_{folder}" / f"{file_id}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                                              encoding="utf-8")


def generate_calls(out_dir: Path, n: int = 300, seed: int = 0, ambiguity: float = 0.2,
                   speech: str = "auto") -> Manifest:
    """Write ``n`` calls as ``TL_<region>_<type>/<id>.json`` + ``TS_<region>_<type>/<id>.wav``."""
    out_dir = Path(out_dir)
    backend = speech_backend(speech)
    levels = np.random.default_rng(seed).choice(3, size=n, p=LEVEL_SHARE)
    # espeak-ng runs as a subprocess: threads keep several busy at once.
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        jobs = [pool.submit(_write_call, out_dir, seed, i, int(level), ambiguity, backend)
                for i, level in enumerate(levels)]
        for job in jobs:
            job.result()
    return import_aihub(out_dir)
