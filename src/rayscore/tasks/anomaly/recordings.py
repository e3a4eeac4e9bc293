"""Real machine recordings from a Debian package, as raw material for generated packages.

OpenTTD's OpenSFX sound set (Debian ``openttd-opensfx``, CC licensed) holds field
recordings of engines, saws, rotors and pneumatic tools. A generated package built on
them has the spectra, irregularities and noise of real machines; synthetic recipes
(:mod:`~rayscore.tasks.anomaly.synth`) stand in when the package is not installed.

The catalogue (``opensfx.cat``) is an offset table followed by named WAV files.

Example:
    >>> machines = recorded_machines()      # {} without openttd-opensfx      # doctest: +SKIP
    >>> sorted(machines)                                                      # doctest: +SKIP
    ['engine', 'rotor', 'saw', 'tool']
"""

from __future__ import annotations

import io
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf

CATALOGUE = Path("/usr/share/games/openttd/baseset/opensfx/opensfx.cat")
SR = 16000
#: Machine type -> catalogue names (substring matches); each recording is one section (asset).
MACHINES = {
    "engine": ("Truck/old bus start, pull away\"", "Modern bus start", "Old bus start"),
    "saw": ("Sawmill", "Lumber mill: Chainsaw"),
    "rotor": ("Helicopter", "Propeller plane start", "Toyland: Propeller plane take off"),
    "tool": ("Jackhammer", "Mining machinery", "Electric sparking"),
}


def _entries(path: Path) -> dict[str, bytes]:
    blob = path.read_bytes()
    first = struct.unpack("<I", blob[:4])[0] & 0x7FFFFFFF
    out = {}
    for i in range(first // 8):
        offset, size = struct.unpack("<II", blob[8 * i : 8 * i + 8])
        offset &= 0x7FFFFFFF
        n = blob[offset]
        name = blob[offset + 1 : offset + 1 + n].rstrip(b"\0").decode("latin-1")
        out[name] = blob[offset + 1 + n : offset + size]
    return out


@lru_cache(maxsize=1)
def recorded_machines(path: Path = CATALOGUE) -> dict[str, list[np.ndarray]]:
    """Machine type -> its recordings as 16 kHz mono float arrays ({} when the package is missing)."""
    if not Path(path).is_file():
        return {}
    import librosa

    entries = _entries(Path(path))
    out: dict[str, list[np.ndarray]] = {}
    for machine, names in MACHINES.items():
        for wanted in names:
            data = next((d for name, d in entries.items() if wanted in name), None)
            if data is None:
                continue
            y, sr = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
            y = librosa.resample(y.mean(axis=1), orig_sr=sr, target_sr=SR)
            y = y[int(0.15 * len(y)) : int(0.9 * len(y))]  # the steady middle: no start or stop
            if len(y) > SR // 2:
                out.setdefault(machine, []).append(y / (np.std(y) + 1e-9))
    return out


def loop(recording: np.ndarray, n: int, rng: np.random.Generator, speed: float) -> np.ndarray:
    """``n`` samples of the machine running: random stretches of the recording, crossfaded,
    played at ``speed`` (a faster machine is higher and faster, as on a tape)."""
    import librosa

    src = librosa.resample(recording, orig_sr=SR, target_sr=int(SR / speed)) if abs(speed - 1) > 1e-3 else recording
    fade = int(0.05 * SR)
    out = np.zeros(n + fade, dtype=np.float64)
    at = 0
    ramp = np.linspace(0, 1, fade)
    while at < n:
        length = int(min(len(src) - fade - 1, rng.uniform(0.5, 1.5) * SR))
        start = int(rng.integers(0, max(1, len(src) - length - fade)))
        piece = src[start : start + length + fade].astype(np.float64).copy()
        piece[:fade] *= ramp
        piece[-fade:] *= ramp[::-1]
        end = min(at + len(piece), len(out))
        out[at:end] += piece[: end - at]
        at += length
    return out[:n]
