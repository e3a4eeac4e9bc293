"""Other drum libraries, labelled: real one-shots for judging W2 independently of its training data.

rayscore trains and tunes drum roles on the Hydrogen kits and generated audio only. These other
libraries come from Debian packages (`make debs-bench` installs them) and are labelled here by
name rules checked against each sample; ambiguous sounds (melodic bells, loops, basses, voices)
are left out rather than guessed. They import for evaluation (`rayscore import drum_roles lmms
/usr/share/lmms/samples --out lmms.parquet`) and are never part of a sweep's data:

- ``lmms``: LMMS's drums and effects (``lmms-common``);
- ``sonicpi``: Sonic Pi's drum, percussion, tabla and ambience samples (``sonic-pi-samples``);
- ``stk``: the Synthesis ToolKit's raw drum waves (``stk``), converted to WAV on the fly.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf

from rayscore.corpus.manifest import Manifest, ManifestError

LMMS = Path("/usr/share/lmms/samples")
SONIC_PI = Path("/usr/share/sonic-pi/samples")
STK = Path("/usr/share/stk/rawwaves")

# (regex on the file stem, role); first match wins, unmatched files are left out.
LMMS_RULES = [
    (r"^(bassdrum|kick|nasty_bass)", "CORE"),
    (r"^(snare|clap|sidestick|rim|nasty_rim|nasty_snare)", "ACCENT"),
    (r"^(hihat|crash|ride|shaker)", "MOTION"),
    (r"^(tom|wood|clav)", "FILL"),
    (r"^zap", "TEXTURE"),
]
SONIC_PI_RULES = [
    (r"^(bd_|drum_bass_|drum_heavy_kick|elec_soft_kick|elec_hollow_kick)", "CORE"),
    (r"^(sn_|drum_snare_|elec_.*snare|perc_snap)", "ACCENT"),
    (r"^(drum_cymbal_|drum_splash_|elec_cymbal|perc_swash)", "MOTION"),
    (r"^(drum_tom_|elec_fuzz_tom|drum_cowbell|elec_wood|tabla_|perc_impact)", "FILL"),
    (r"^(ambi_(?!piano|choir)|vinyl_|misc_cineboom|perc_swoosh)", "TEXTURE"),
]
STK_FILES = {"bassdrum": "CORE", "snardrum": "ACCENT", "hihatcym": "MOTION", "ridecymb": "MOTION",
             "crashcym": "MOTION", "tomhidrm": "FILL", "tomlowdr": "FILL", "tommiddr": "FILL",
             "cowbell1": "FILL", "tambourn": "MOTION"}


def _match(stem: str, rules: list[tuple[str, str]]) -> str | None:
    return next((role for rx, role in rules if re.search(rx, stem)), None)


def library(name: str, workdir: Path, root: Path | None = None) -> pd.DataFrame | None:
    """(id, path, label, group) of one library (absolute paths), or None when it is not installed."""
    rows = []
    if name == "lmms":
        base = Path(root or LMMS)
        if not (base / "drums").is_dir():
            return None
        for p in sorted((base / "drums").glob("*.ogg")):
            if role := _match(p.stem, LMMS_RULES):
                rows.append((p, role))
        rows += [(p, "TEXTURE") for p in sorted((base / "effects").glob("*.ogg"))]
    elif name == "sonicpi":
        base = Path(root or SONIC_PI)
        if not base.is_dir():
            return None
        for p in sorted(base.glob("*.flac")):
            if role := _match(p.stem, SONIC_PI_RULES):
                rows.append((p, role))
    elif name == "stk":
        base = Path(root or STK)
        if not base.is_dir():
            return None
        out = workdir / "stk"
        out.mkdir(parents=True, exist_ok=True)
        for stem, role in STK_FILES.items():
            raw = base / f"{stem}.raw"
            if raw.is_file():  # 16-bit big-endian mono at 22.05 kHz
                y = np.frombuffer(raw.read_bytes(), dtype=">i2").astype(np.float32) / 32768.0
                sf.write(out / f"{stem}.wav", y, 22050)
                rows.append((out / f"{stem}.wav", role))
    else:
        raise ValueError(f"unknown library '{name}'; known: {', '.join(LIBRARIES)}")
    return pd.DataFrame({"id": [f"{name}/{p.name}" for p, _ in rows], "path": [str(p.absolute()) for p, _ in rows],
                         "label": [r for _, r in rows], "group": name})


LIBRARIES = ("lmms", "sonicpi", "stk")
PACKAGES = {"lmms": "lmms-common", "sonicpi": "sonic-pi-samples", "stk": "stk"}


def import_library(name: str, source: Path | None = None) -> Manifest:
    """A library as a manifest of absolute paths, for evaluation."""
    df = library(name, Path("."), source)
    if df is None or df.empty:
        raise ManifestError(f"no {name} samples found at {source or 'the Debian location'} "
                            f"(apt-get install {PACKAGES[name]})")
    return Manifest(df, root=None)
