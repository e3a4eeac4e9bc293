"""A generated customer package of the contract's shape (or the DCASE layout), seeded.

With Debian's openttd-opensfx installed the machines are real recordings (engines,
saws, rotors, tools; :mod:`~rayscore.tasks.anomaly.recordings`) played at each
domain's speed, with five faults any machine can have (knocks, imbalance, a squeal,
rattling, an unsteady speed). Otherwise the synthetic recipes below:

Machine types each have a sound recipe (fan: blade-pass harmonics over airflow
noise; bearing: shaft tone and a structural resonance; valve: actuation clicks
and flow hiss; gearbox: gear-mesh tone with sidebands). Sections (assets)
differ in their recipe's parameters. Source and target domains differ in
operating speed, background noise, microphone gain and colour. Anomalies are
physical faults laid over a normal clip: bearing ticks, imbalance hum, rubbing
noise, valve chatter, flow leaks, broken-tooth impacts.

Example:
    >>> manifest = generate_package(Path("/tmp/alp"), seed=0)   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.signal
import soundfile as sf

from rayscore.corpus.manifest import Manifest

SR = 16000
IMPULSIVE = ("bearing_ticks", "valve_chatter", "tooth_impacts")
MACHINES = ("fan", "bearing", "valve", "gearbox")
FAULTS = {
    "fan": ("imbalance_hum", "rubbing"),
    "bearing": ("bearing_ticks", "rubbing"),
    "valve": ("valve_chatter", "leak_hiss"),
    "gearbox": ("tooth_impacts", "imbalance_hum"),
}


@dataclass
class Counts:
    source_train: int = 30  # normals from history / other sites
    target_train: int = 5  # few-shot normals of this site
    noise_only: int = 2  # per domain
    test: int = 10  # per domain, for each of normal and anomaly


def _band(x: np.ndarray, lo: float, hi: float, order: int = 4) -> np.ndarray:
    sos = scipy.signal.butter(order, [lo, min(hi, SR / 2 - 50)], btype="bandpass", fs=SR, output="sos")
    return scipy.signal.sosfilt(sos, x)


def _low(x: np.ndarray, hi: float) -> np.ndarray:
    return scipy.signal.sosfilt(scipy.signal.butter(2, hi, btype="lowpass", fs=SR, output="sos"), x)


def _section_profile(machine: str, rng: np.random.Generator) -> dict:
    return {
        "shaft_hz": rng.uniform(20, 40),  # rotation at nominal speed
        "blades": int(rng.integers(5, 9)),
        "teeth": int(rng.integers(17, 31)),
        "resonance": rng.uniform(1500, 4000),
        "period": rng.uniform(0.6, 1.4),  # valve cycle
        "harmonics": rng.uniform(0.2, 0.8, 6),
        "noise_color": rng.uniform(800, 3000),
    }


def _normal(machine: str, t: np.ndarray, p: dict, speed: float, rng: np.random.Generator) -> np.ndarray:
    f = p["shaft_hz"] * speed
    noise = rng.standard_normal(t.size)
    if machine == "fan":
        bp = f * p["blades"]
        tones = sum(a * np.sin(2 * np.pi * bp * (k + 1) * t + rng.uniform(0, 6.3)) for k, a in enumerate(p["harmonics"][:4]))
        return 0.3 * tones + 0.6 * speed * _low(noise, p["noise_color"])
    if machine == "bearing":
        shaft = 0.4 * np.sin(2 * np.pi * f * t) + 0.15 * np.sin(2 * np.pi * 2 * f * t)
        return shaft + 0.25 * _band(noise, p["resonance"] * 0.8, p["resonance"] * 1.2) + 0.1 * _low(noise, 500)
    if machine == "valve":
        x = 0.05 * _low(noise, 1000)
        period = p["period"] / speed
        for start in np.arange(rng.uniform(0, period), t[-1], period):
            i = int(start * SR)
            n = min(int(0.02 * SR), t.size - i)
            x[i : i + n] += 0.8 * _band(rng.standard_normal(n), 1000, 5000)[:n] * np.exp(-np.arange(n) / 60)
            hiss = min(int(0.3 * period * SR), t.size - i)
            x[i : i + hiss] += 0.15 * _band(rng.standard_normal(hiss), 2000, 6000)
        return x
    mesh = f * p["teeth"]  # gearbox
    tone = np.sin(2 * np.pi * mesh * t) + 0.5 * np.sin(2 * np.pi * 2 * mesh * t)
    sidebands = 0.3 * (np.sin(2 * np.pi * (mesh - f) * t) + np.sin(2 * np.pi * (mesh + f) * t))
    return 0.3 * (tone + sidebands) + 0.1 * _low(noise, 2000)


def _fault(kind: str, x: np.ndarray, t: np.ndarray, p: dict, speed: float, rng: np.random.Generator,
           severity: float) -> np.ndarray:
    level = severity * np.sqrt(np.mean(x**2))
    f = p["shaft_hz"] * speed
    if kind == "imbalance_hum":  # a strong once-per-revolution tone, slowly beating
        add = np.sin(2 * np.pi * f * t) * (1 + 0.5 * np.sin(2 * np.pi * 0.7 * t))
    elif kind == "rubbing":  # intermittent scraping bursts
        add = np.zeros_like(x)
        for _ in range(int(rng.integers(3, 8))):
            i, n = int(rng.integers(0, x.size - SR // 2)), int(rng.uniform(0.1, 0.5) * SR)
            add[i : i + n] += _band(rng.standard_normal(n), 1000, 3000) * np.hanning(n)
    elif kind == "bearing_ticks":  # outer-race defect: impulses at ~3.6x shaft rate ringing the resonance
        add = np.zeros_like(x)
        for start in np.arange(0, t[-1], 1 / (3.6 * f)):
            i = int(start * SR)
            n = min(200, x.size - i)
            add[i : i + n] += np.sin(2 * np.pi * p["resonance"] * np.arange(n) / SR) * np.exp(-np.arange(n) / 40)
    elif kind == "valve_chatter":  # rapid uncontrolled re-seating
        add = np.zeros_like(x)
        for start in np.arange(rng.uniform(0, 1), t[-1], rng.uniform(0.05, 0.09)):
            i = int(start * SR)
            n = min(160, x.size - i)
            add[i : i + n] += _band(rng.standard_normal(n), 800, 4000)[:n] * np.exp(-np.arange(n) / 30)
    elif kind == "leak_hiss":
        add = _band(rng.standard_normal(x.size), 4000, 7000)
    else:  # tooth_impacts: a broken tooth hits once per revolution
        add = np.zeros_like(x)
        for start in np.arange(0, t[-1], 1 / f):
            i = int(start * SR)
            n = min(120, x.size - i)
            add[i : i + n] += rng.standard_normal(n) * np.exp(-np.arange(n) / 25)
    add_rms = np.sqrt(np.mean(add**2)) + 1e-12
    if kind in IMPULSIVE:  # impulses stand out at a far lower energy than a continuous sound
        level *= 0.06
    return x + add * (level / add_rms)


#: Faults of recorded machines (any machine can suffer any of them).
GENERIC_FAULTS = ("knock", "imbalance", "squeal", "rattle", "wobble")


def _generic_fault(kind: str, x: np.ndarray, t: np.ndarray, rng: np.random.Generator, severity: float) -> np.ndarray:
    """A fault laid over a recorded machine: periodic knocks, imbalance (amplitude modulation),
    a squealing tone, random rattling, or an unsteady speed."""
    rms = np.sqrt(np.mean(x**2)) + 1e-12
    if kind == "imbalance":
        return x * (1 + severity * np.sin(2 * np.pi * rng.uniform(2, 12) * t + rng.uniform(0, 6.3)))
    if kind == "wobble":  # the speed drifts: time is warped by a slow wander of a few percent
        warp = t + severity * 0.08 * np.sin(2 * np.pi * rng.uniform(0.5, 2.0) * t) / (2 * np.pi)
        return np.interp(np.clip(warp, 0, t[-1]) * SR, np.arange(x.size), x)
    add = np.zeros_like(x)
    if kind == "squeal":
        f = rng.uniform(1500, 5000) * (1 + 0.01 * np.sin(2 * np.pi * rng.uniform(0.3, 3) * t))
        add = np.sin(2 * np.pi * np.cumsum(f) / SR)
        return x + add * rms * severity * 0.35
    if kind == "knock":
        rate, ring = rng.uniform(4, 20), rng.uniform(800, 4000)
        starts = np.arange(rng.uniform(0, 1 / rate), t[-1], 1 / rate)
    else:  # rattle: random, denser, broadband
        starts = np.sort(rng.uniform(0, t[-1], int(rng.uniform(20, 60) * t[-1])))
        ring = None
    for start in starts:
        i = int(start * SR)
        n = min(160, x.size - i)
        burst = (np.sin(2 * np.pi * ring * np.arange(n) / SR) if ring else _band(rng.standard_normal(n), 2000, 6000)[:n])
        add[i : i + n] += burst * np.exp(-np.arange(n) / 35)
    add_rms = np.sqrt(np.mean(add**2)) + 1e-12
    return x + add * (rms * severity * 0.25 / add_rms)


@dataclass
class Domain:
    speed: float
    noise_level: float
    hum_hz: float
    gain_db: float
    tilt_hz: float  # microphone colour: a low-pass corner
    peak_hz: float = 0.0  # microphone colour: a resonance boosted (0: none)
    background: str = "brown"  # brown rumble + mains hum, or "crowd": a busy hall


def _domains(rng: np.random.Generator, shift: float = 1.0) -> dict[str, Domain]:
    source = Domain(speed=1.0, noise_level=0.05, hum_hz=50.0, gain_db=0.0, tilt_hz=7000.0)
    target = Domain(speed=1 + shift * rng.uniform(-0.2, 0.25), noise_level=rng.uniform(0.1, 0.25), hum_hz=60.0,
                    gain_db=rng.uniform(-8, 8), tilt_hz=rng.uniform(2500, 5000),
                    peak_hz=rng.uniform(300, 3000) if shift > 0 else 0.0,
                    background="crowd" if rng.random() < 0.5 * shift else "brown")
    return {"source": source, "target": target}


def _background(t: np.ndarray, d: Domain, rng: np.random.Generator) -> np.ndarray:
    brown = np.cumsum(rng.standard_normal(t.size))
    brown = scipy.signal.detrend(brown) / (np.std(brown) + 1e-9)
    hum = np.sin(2 * np.pi * d.hum_hz * t) + 0.3 * np.sin(2 * np.pi * 3 * d.hum_hz * t)
    noise = 0.7 * brown + 0.3 * hum
    if d.background == "crowd":  # a busy hall: murmuring bands that come and go
        murmur = _band(rng.standard_normal(t.size), 200, 2500)
        noise = 0.5 * noise + murmur * (0.6 + 0.4 * np.sin(2 * np.pi * rng.uniform(0.1, 0.5) * t)) / (np.std(murmur) + 1e-9)
    return d.noise_level * noise


def _microphone(x: np.ndarray, d: Domain) -> np.ndarray:
    y = _low(x, d.tilt_hz)
    if d.peak_hz:  # a resonance of the mount or housing
        y = y + 0.8 * _band(y, d.peak_hz * 0.85, d.peak_hz * 1.15, order=2)
    return y * 10 ** (d.gain_db / 20)


def generate_package(
    out_dir: Path,
    seed: int,
    machines: tuple[str, ...] = MACHINES,
    sections: int = 2,
    counts: Counts | None = None,
    seconds: float = 10.0,
    recorded: bool | None = False,
    layout: str = "package",
    shift: float = 1.0,
) -> Manifest:
    """Write a package (``audio/`` + ``metadata.csv``) or a DCASE-layout set under ``out_dir``.

    With ``recorded`` (None: when Debian's openttd-opensfx is installed) the machines are
    real recordings (:mod:`~rayscore.tasks.anomaly.recordings`) with the five generic faults;
    otherwise the synthetic recipes and their faults. ``shift`` scales the target domain's
    difference from the source (speed, microphone, background).
    """
    from rayscore.tasks.anomaly.contract import import_dcase, import_package
    from rayscore.tasks.anomaly.recordings import loop, recorded_machines

    counts = counts or Counts()
    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    t = np.arange(int(seconds * SR)) / SR
    start = datetime(2026, 1, 1)
    real = recorded_machines() if recorded in (None, True) else {}
    if recorded and not real:
        raise RuntimeError("recorded machines need Debian's openttd-opensfx (apt-get install openttd-opensfx)")
    kinds = tuple(real)[: len(machines)] if real else machines
    rows = []
    for machine in kinds:
        for s in range(min(sections, len(real[machine])) if real else sections):
            section = f"{s:02d}"
            profile = _section_profile(machine, rng)
            domains = _domains(rng, shift)
            plan = [("source", "train", "normal", counts.source_train), ("target", "train", "normal", counts.target_train)]
            if layout == "package":
                plan += [(d, "train", "noise", counts.noise_only) for d in ("source", "target")]
            plan += [(d, "test", lab, counts.test) for d in ("source", "target") for lab in ("normal", "anomaly")]
            for domain, split, kind, n in plan:
                dom = domains[domain]
                for i in range(n):
                    speed = dom.speed * rng.uniform(0.95, 1.05)  # speed varies within a domain
                    if kind == "noise":
                        x = _background(t, dom, rng)
                    elif real:
                        x = 0.5 * loop(real[machine][s], t.size, rng, speed) + _background(t, dom, rng)
                        if kind == "anomaly":
                            fault = GENERIC_FAULTS[i % len(GENERIC_FAULTS)]
                            x = _generic_fault(fault, x, t, rng, severity=rng.uniform(0.2, 0.8))
                    else:
                        x = _normal(machine, t, profile, speed, rng) + _background(t, dom, rng)
                        if kind == "anomaly":
                            fault = FAULTS[machine][i % len(FAULTS[machine])]
                            x = _fault(fault, x, t, profile, speed, rng, severity=rng.uniform(0.1, 0.6))
                    # Absolute levels are kept (a fault adds energy; a site's mic gain shifts all).
                    x = np.clip(0.1 * _microphone(x, dom), -0.99, 0.99)
                    bucket = "low" if speed < 0.9 else ("high" if speed > 1.1 else "mid")
                    if layout == "dcase":
                        rel = f"{machine}/{split}/section_{section}_{domain}_{split}_{kind}_{i:04d}_spd_{bucket}.wav"
                    else:
                        rel = f"audio/{machine}/{section}/{split}_{domain}_{kind}_{i:03d}.wav"
                    (out / rel).parent.mkdir(parents=True, exist_ok=True)
                    sf.write(out / rel, x.astype(np.float32), SR, subtype="PCM_16")
                    rows.append({
                        "file": rel, "machine_type": machine, "section": section,
                        "is_normal": {"normal": "true", "anomaly": "false", "noise": ""}[kind],
                        "domain": domain, "noise_only": "true" if kind == "noise" else "false",
                        "split": split, "mic_position": "m1" if domain == "source" else "m2",
                        "condition": bucket, "speed": f"{speed:.3f}",
                        "recorded_at": (start + timedelta(minutes=len(rows))).isoformat(),
                    })
    if layout == "dcase":
        return import_dcase(out)
    pd.DataFrame(rows).to_csv(out / "metadata.csv", index=False)
    return import_package(out)
