"""Synthetic drum one-shots for tests, benchmarks and the offline demo.

Each role has its own recipes, in the styles real libraries hold: acoustic,
electronic, 808 and distorted kicks; snares, claps and rim clicks; closed and
open hats, rides, crashes and shakers; toms, congas, tablas, cowbells and wood
blocks; and textures (swells, reverb tails, risers, zaps, vinyl, drones, wind,
scratches, booms). Files are written in several formats, rates and channel counts so
the decoder is exercised as real corpora would, laid out as
``<out>/<kit>/<ROLE>/<name>.<ext>`` so the folder importer labels them.

Example:
    >>> manifest = generate_corpus(Path("/tmp/drums"), n=50, seed=0, labeler=str)  # doctest: +SKIP
"""

from __future__ import annotations

import re
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


def _env(t: np.ndarray, tau: float) -> np.ndarray:
    return np.exp(-t / tau)


def _sweep(t: np.ndarray, sr: int, f_start: float, f_end: float, tau: float) -> np.ndarray:
    """A sine gliding from f_start to f_end with time constant tau (a membrane's pitch drop)."""
    freq = f_end + (f_start - f_end) * np.exp(-t / tau)
    return np.sin(2 * np.pi * np.cumsum(freq) / sr)


def _kick(rng: np.random.Generator, sr: int) -> np.ndarray:
    style = rng.choice(["acoustic", "electronic", "808", "distorted"])
    t = _t(sr, rng.uniform(0.3, 1.4 if style == "808" else 0.8))
    f0 = rng.uniform(38, 70)
    body = _sweep(t, sr, f0 * rng.uniform(2.0, 4.0), f0, rng.uniform(0.01, 0.05))
    body *= _env(t, rng.uniform(0.25, 0.6) if style == "808" else rng.uniform(0.06, 0.2))
    click = _filter(rng.standard_normal(t.size), sr, "bandpass", (rng.uniform(1500, 3000), 7000)) * _env(t, 0.003)
    x = body + rng.uniform(0.02, 0.4 if style == "acoustic" else 0.15) * click
    if style == "distorted":
        x = np.tanh(rng.uniform(2, 6) * x)
    return x


def _accent(rng: np.random.Generator, sr: int) -> np.ndarray:
    kind = rng.choice(["snare", "snare", "clap", "rim"])
    t = _t(sr, rng.uniform(0.15, 0.35) if kind == "rim" else rng.uniform(0.25, 0.7))
    noise = _filter(rng.standard_normal(t.size), sr, "bandpass", (rng.uniform(700, 2500), rng.uniform(6000, 7900)))
    if kind == "snare":  # drum tone plus wires
        tone = _sweep(t, sr, rng.uniform(200, 330), rng.uniform(150, 250), 0.02) * _env(t, rng.uniform(0.02, 0.08))
        return rng.uniform(0.3, 0.9) * tone + noise * _env(t, rng.uniform(0.05, 0.2))
    if kind == "rim":  # a hard, short, bright click with a wooden ring
        ring = np.sin(2 * np.pi * rng.uniform(400, 1200) * t) * _env(t, rng.uniform(0.01, 0.04))
        return ring + 0.6 * noise * _env(t, 0.005)
    env = np.zeros_like(t)  # clap: a few quick bursts, then a short tail
    for k in range(rng.integers(3, 6)):
        start = k * rng.uniform(0.006, 0.015)
        env += np.where(t >= start, np.exp(-(t - start) / 0.006), 0.0)
    env += np.where(t >= 0.04, 0.5 * np.exp(-(t - 0.04) / rng.uniform(0.05, 0.15)), 0.0)
    return noise * env


def _motion(rng: np.random.Generator, sr: int) -> np.ndarray:
    kind = rng.choice(["closed", "closed", "open", "ride", "crash", "shaker"])
    length = {"closed": (0.08, 0.3), "open": (0.5, 1.4), "ride": (1.0, 2.5), "crash": (1.2, 3.0),
              "shaker": (0.12, 0.35)}[kind]
    t = _t(sr, rng.uniform(*length))
    metal = sum(np.sign(np.sin(2 * np.pi * f * t)) for f in rng.uniform(2500, 9000, 6))
    cut = rng.uniform(3000, 7500)
    x = _filter(rng.standard_normal(t.size) + rng.uniform(0.1, 0.6) * metal, sr, "highpass", cut)
    tau = {"closed": (0.01, 0.05), "open": (0.15, 0.4), "ride": (0.4, 0.9), "crash": (0.5, 1.2),
           "shaker": (0.03, 0.08)}[kind]
    env = _env(t, rng.uniform(*tau))
    if kind == "shaker":  # a soft attack: the beads take a moment
        env *= np.minimum(t / rng.uniform(0.01, 0.04), 1.0)
    if kind == "ride":  # the bell ping over the wash
        x += 0.5 * np.sin(2 * np.pi * rng.uniform(2500, 4000) * t)
    return x * env


def _fill(rng: np.random.Generator, sr: int) -> np.ndarray:
    kind = rng.choice(["tom", "tom", "conga", "cowbell", "wood", "tabla"])
    t = _t(sr, rng.uniform(0.3, 1.2))
    if kind in ("tom", "conga", "tabla"):  # pitched membranes, higher and longer than a kick
        f0 = rng.uniform(80, 260) if kind == "tom" else rng.uniform(180, 450)
        tone = _sweep(t, sr, f0 * rng.uniform(1.1, 1.5), f0, 0.05)
        tone += 0.3 * _sweep(t, sr, 1.6 * f0 * 1.3, 1.6 * f0, 0.05)
        if kind == "tabla":  # the ringing syahi: strong harmonics
            tone += 0.5 * np.sin(2 * np.pi * 2 * f0 * t) + 0.3 * np.sin(2 * np.pi * 3 * f0 * t)
        hit = _filter(rng.standard_normal(t.size), sr, "bandpass", (300, 3000)) * _env(t, 0.008)
        return tone * _env(t, rng.uniform(0.12, 0.45)) + rng.uniform(0.1, 0.5) * hit
    if kind == "cowbell":
        partials = rng.uniform(500, 900) * np.array([1.0, 1.48])
        return sum(np.sign(np.sin(2 * np.pi * f * t)) for f in partials) * _env(t, rng.uniform(0.08, 0.3))
    partials = rng.uniform(600, 2000) * np.array([1.0, 2.7, 5.4])  # wood block / claves
    return sum(np.sin(2 * np.pi * f * t) / (i + 1) for i, f in enumerate(partials)) * _env(t, rng.uniform(0.02, 0.08))


def _texture(rng: np.random.Generator, sr: int) -> np.ndarray:
    """Ambience, effects and tails: what a kit's FX folder holds."""
    kind = rng.choice(["swell", "reverb_tail", "riser", "zap", "vinyl", "drone", "wind", "scratch", "boom"])
    t = _t(sr, rng.uniform(0.6, 2.5) if kind != "zap" else rng.uniform(0.15, 0.6))
    noise = rng.standard_normal(t.size)
    if kind == "swell":
        lo = rng.uniform(80, 400)
        x = _filter(noise, sr, "bandpass", (lo, lo * rng.uniform(4, 12)))
        attack = rng.uniform(0.2, 0.7)
        return x * np.minimum(t / attack, 1.0) * np.exp(-np.maximum(t - attack, 0) / rng.uniform(0.6, 1.5))
    if kind == "reverb_tail":  # a diffuse tail with no attack to speak of
        x = _filter(noise, sr, "lowpass", rng.uniform(1500, 6000))
        return x * np.minimum(t / rng.uniform(0.05, 0.2), 1.0) * _env(t, rng.uniform(0.5, 1.5))
    if kind == "riser":
        f = np.linspace(rng.uniform(100, 500), rng.uniform(2000, 6000), t.size)
        tone = np.sin(2 * np.pi * np.cumsum(f) / sr)
        return (0.5 * tone + 0.5 * _filter(noise, sr, "highpass", 800)) * (t / t[-1])
    if kind == "zap":  # a laser: a fast pitch fall
        return _sweep(t, sr, rng.uniform(2000, 6000), rng.uniform(100, 400), rng.uniform(0.02, 0.1)) * _env(t, 0.15)
    if kind == "vinyl":  # hiss and crackle
        clicks = (rng.random(t.size) < 0.0008) * rng.standard_normal(t.size) * 8
        return 0.3 * _filter(noise, sr, "highpass", 2000) + clicks
    if kind == "drone":
        f0 = rng.uniform(50, 300)
        tone = sum(np.sin(2 * np.pi * f0 * h * t + rng.random() * 6) / h for h in range(1, 6))
        return tone * (0.7 + 0.3 * np.sin(2 * np.pi * rng.uniform(0.3, 3) * t))
    if kind == "wind":
        gust = np.convolve(rng.standard_normal(t.size // 400 + 2), np.ones(3) / 3, mode="same")
        env = np.interp(np.arange(t.size), np.linspace(0, t.size, gust.size), np.abs(gust))
        return _filter(noise, sr, "lowpass", rng.uniform(400, 1500)) * env
    if kind == "scratch":
        rate = 1 + 0.8 * np.sin(2 * np.pi * rng.uniform(3, 9) * t)
        return np.sin(2 * np.pi * np.cumsum(rng.uniform(200, 800) * rate) / sr) * (0.5 + 0.5 * noise)
    x = _filter(noise, sr, "lowpass", rng.uniform(150, 500))  # boom: a distant explosion
    return x * np.minimum(t / 0.02, 1.0) * _env(t, rng.uniform(0.4, 1.2))


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
    augment_from: Manifest | None = None,
    variants: int = 0,
) -> Manifest:
    """Write ``n`` one-shots spread over kits and roles; returns the folder-import manifest.

    With ``augment_from`` (a labelled manifest of real one-shots, e.g. the Hydrogen kits),
    ``variants`` augmented copies of each of its labelled samples are written too, under the
    source's own group (kit), so grouped folds keep a sample and its copies together.
    """
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
    if augment_from is not None and variants > 0:
        _augment_corpus(augment_from, out, variants, rng)
    return import_folder(out, extensions=[f".{e}" for e, _ in FORMATS], labeler=labeler)


def _augment_corpus(source: Manifest, out: Path, variants: int, rng: np.random.Generator) -> None:
    from rayscore.media.audio import AudioError, AudioLoadConfig, load_audio
    from rayscore.tasks.drum_roles.augment import augment

    raw = AudioLoadConfig(target_sr=44100, trim_silence=True, peak_normalize=True, max_duration_sec=3.0)
    frame = source.resolve()
    for i, row in enumerate(frame[frame["error"].isna() & frame["label"].notna()].itertuples()):
        try:
            y = load_audio(row.path, raw)
        except AudioError:
            continue  # the source's own error rows are reported when it is scored, not here
        kit = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(row.group or "nokit"))
        for v in range(variants):
            path = out / kit / str(row.label) / f"aug_{i:05d}_v{v}.wav"
            path.parent.mkdir(parents=True, exist_ok=True)
            sf.write(path, augment(y, 44100, rng), 44100, subtype="PCM_16")
