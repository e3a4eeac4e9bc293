"""Synthetic drum one-shots for tests, benchmarks and the offline demo.

Each role has its own recipe (kicks: pitched-down sines with a click; snares
and claps: tone plus band-passed noise bursts; hats and cymbals: high-passed
metallic noise; toms and percussion: pitched decays; textures: slow noise
swells). Files are written in several formats, rates and channel counts so
the decoder is exercised as real corpora would, laid out as
``<out>/<kit>/<ROLE>/<name>.<ext>`` so the folder importer labels them.

Example:
    >>> manifest = generate_corpus(Path("/tmp/drums"), n=50, seed=0, labeler=str)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.signal
import soundfile as sf

from rayscore.corpus.folder import import_folder
from rayscore.corpus.manifest import Manifest
from rayscore.tasks.drum_roles.types import ROLES, Role

# (extension, libsndfile subtype); ogg is Vorbis, so it is lossy like real packs.
FORMATS = [("wav", "PCM_16"), ("wav", "FLOAT"), ("flac", "PCM_24"), ("ogg", "VORBIS"), ("aiff", "PCM_16")]
RATES = [22050, 44100, 48000]


def _t(sr: int, seconds: float) -> np.ndarray:
    return np.arange(int(sr * seconds)) / sr


def _filter(x: np.ndarray, sr: int, kind: str, freq: float | tuple[float, float]) -> np.ndarray:
    nyq = sr / 2
    wn = np.clip(np.asarray(freq, dtype=float) / nyq, 1e-4, 0.999)
    sos = scipy.signal.butter(4, wn, btype=kind, output="sos")
    return scipy.signal.sosfilt(sos, x)


def _kick(rng: np.random.Generator, sr: int) -> np.ndarray:
    t = _t(sr, rng.uniform(0.4, 0.9))
    f0 = rng.uniform(42, 65)
    freq = f0 + f0 * rng.uniform(1.5, 3.0) * np.exp(-t / rng.uniform(0.015, 0.04))
    body = np.sin(2 * np.pi * np.cumsum(freq) / sr) * np.exp(-t / rng.uniform(0.08, 0.22))
    click = _filter(rng.standard_normal(t.size), sr, "highpass", 2000) * np.exp(-t / 0.003)
    return body + rng.uniform(0.05, 0.3) * click


def _accent(rng: np.random.Generator, sr: int) -> np.ndarray:
    t = _t(sr, rng.uniform(0.3, 0.6))
    noise = _filter(rng.standard_normal(t.size), sr, "bandpass", (rng.uniform(900, 2000), 7000))
    if rng.random() < 0.5:  # snare: drum tone plus wires
        tone = np.sin(2 * np.pi * rng.uniform(170, 260) * t) * np.exp(-t / rng.uniform(0.03, 0.07))
        return 0.6 * tone + noise * np.exp(-t / rng.uniform(0.06, 0.15))
    env = np.zeros_like(t)  # clap: a few quick bursts, then a short tail
    for k in range(rng.integers(3, 5)):
        start = k * rng.uniform(0.008, 0.014)
        env += np.where(t >= start, np.exp(-(t - start) / 0.006), 0.0)
    env += np.where(t >= 0.04, 0.5 * np.exp(-(t - 0.04) / rng.uniform(0.06, 0.12)), 0.0)
    return noise * env


def _motion(rng: np.random.Generator, sr: int) -> np.ndarray:
    is_open = rng.random() < 0.4
    t = _t(sr, rng.uniform(0.6, 1.4) if is_open else rng.uniform(0.15, 0.35))
    metal = sum(np.sign(np.sin(2 * np.pi * f * t)) for f in rng.uniform(3000, 9000, 6))
    x = _filter(rng.standard_normal(t.size) + 0.3 * metal, sr, "highpass", rng.uniform(5000, 7500))
    return x * np.exp(-t / (rng.uniform(0.15, 0.35) if is_open else rng.uniform(0.015, 0.05)))


def _fill(rng: np.random.Generator, sr: int) -> np.ndarray:
    t = _t(sr, rng.uniform(0.5, 1.2))
    if rng.random() < 0.6:  # tom: pitched membrane with a falling pitch
        f0 = rng.uniform(90, 260)
        freq = f0 * (1 + 0.25 * np.exp(-t / 0.05))
        tone = np.sin(2 * np.pi * np.cumsum(freq) / sr) + 0.3 * np.sin(2 * np.pi * np.cumsum(1.6 * freq) / sr)
        hit = _filter(rng.standard_normal(t.size), sr, "bandpass", (300, 3000)) * np.exp(-t / 0.01)
        return tone * np.exp(-t / rng.uniform(0.18, 0.45)) + 0.3 * hit
    partials = rng.uniform(400, 1500) * np.array([1.0, 1.48, 2.1])  # cowbell / conga-like
    tone = sum(np.sin(2 * np.pi * f * t) for f in partials)
    return tone * np.exp(-t / rng.uniform(0.12, 0.35))


def _texture(rng: np.random.Generator, sr: int) -> np.ndarray:
    t = _t(sr, rng.uniform(1.5, 2.5))
    lo = rng.uniform(80, 400)
    noise = _filter(rng.standard_normal(t.size), sr, "bandpass", (lo, lo * rng.uniform(4, 12)))
    attack = rng.uniform(0.2, 0.7)
    env = np.minimum(t / attack, 1.0) * np.exp(-np.maximum(t - attack, 0) / rng.uniform(0.6, 1.5))
    hum = 0.2 * np.sin(2 * np.pi * rng.uniform(50, 120) * t) if rng.random() < 0.5 else 0.0
    return (noise + hum) * env


RECIPES: dict[Role, Callable[[np.random.Generator, int], np.ndarray]] = {
    Role.CORE: _kick,
    Role.ACCENT: _accent,
    Role.MOTION: _motion,
    Role.FILL: _fill,
    Role.TEXTURE: _texture,
}


def synth_hit(role: Role, rng: np.random.Generator, sr: int = 44100) -> np.ndarray:
    """One float32 one-shot of ``role`` at ``sr``, peak in [0.3, 0.9]."""
    x = RECIPES[role](rng, sr)
    x = x / (np.max(np.abs(x)) + 1e-9) * rng.uniform(0.3, 0.9)
    return x.astype(np.float32)


def generate_corpus(
    out_dir: Path,
    n: int,
    seed: int,
    labeler: Callable[[str], str | None],
    n_kits: int | None = None,
) -> Manifest:
    """Write ``n`` one-shots spread over kits and roles; returns the folder-import manifest."""
    rng = np.random.default_rng(seed)
    n_kits = n_kits or max(2, n // 40)
    out = Path(out_dir)
    for i in range(n):
        role = ROLES[i % len(ROLES)]
        kit = f"kit{(i // len(ROLES)) % n_kits:02d}"
        sr = int(rng.choice(RATES))
        ext, subtype = FORMATS[int(rng.integers(len(FORMATS)))]
        x = synth_hit(role, rng, sr)
        if rng.random() < 0.3:  # some stereo files, slightly different channels
            x = np.stack([x, 0.9 * x], axis=1)
        # Leading silence, as real one-shot packs often have; trimming must remove it.
        pad = np.zeros((int(sr * rng.uniform(0, 0.05)),) + x.shape[1:], dtype=np.float32)
        path = out / kit / role.value / f"{role.value.lower()}_{i:05d}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, np.concatenate([pad, x]), sr, subtype=subtype)
    return import_folder(out, extensions=[f".{e}" for e, _ in FORMATS], labeler=labeler)
