"""Ray Data stages of drum-role scoring: decode+DSP (tasks) -> CLAP (actor pool) -> assign (tasks).

The same stage objects run in a plain loop (benchmark baseline), in serving,
and on Ray Data; :func:`~rayscore.tasks.drum_roles.assigner.decide` is the one
decision path behind all of them.
"""

from __future__ import annotations

import numpy as np

from rayscore.media.audio import load_audio
from rayscore.pipeline.stage import (
    Batch,
    describe_error,
    ensure_error_columns,
    fail_row,
    map_rows,
    media_of,
    ok_mask,
    row_count,
)
from rayscore.tasks.drum_roles.assigner import decide
from rayscore.tasks.drum_roles.classifier import DESCRIPTORS, RoleClassifier, inputs
from rayscore.tasks.drum_roles.config import ClapConfig, DrumRolesConfig
from rayscore.tasks.drum_roles.descriptors import describe
from rayscore.tasks.drum_roles.features import extract_features
from rayscore.tasks.drum_roles.types import ROLES, DSPFeatures

AUDIO = "_audio"
FEATURES = DSPFeatures.names()
CLAP_COLUMNS = tuple(f"clap_sim_{r.value}" for r in ROLES)
_NO_AUDIO = np.zeros(0, dtype=np.float32)


def prepare(batch: Batch, cfg: DrumRolesConfig, keep_audio: bool = False, describe_all: bool | None = None) -> Batch:
    """Decode, standardise and describe each file; keep the audio for a CLAP stage after it.

    The rich descriptors (``desc``) are computed when the learned classifier needs them.
    """
    rich = cfg.classifier.enabled if describe_all is None else describe_all

    def one(row: dict) -> dict:
        y = load_audio(media_of(row), cfg.audio)
        out: dict = extract_features(y, cfg.audio.target_sr, cfg.dsp).as_dict()
        if rich:
            out[DESCRIPTORS] = describe(y, cfg.audio.target_sr)
        out[AUDIO] = y if keep_audio else _NO_AUDIO
        return out

    outputs: dict = {name: float("nan") for name in FEATURES}
    if rich:
        outputs[DESCRIPTORS] = _NO_AUDIO
    outputs[AUDIO] = _NO_AUDIO
    return map_rows(batch, "decode", one, outputs, drop=() if keep_audio else (AUDIO,))


def describe_only(batch: Batch, cfg: DrumRolesConfig) -> Batch:
    """The rich descriptors alone (the ``descriptors`` encoder of the feature cache)."""
    def one(row: dict) -> dict:
        return {DESCRIPTORS: describe(load_audio(media_of(row), cfg.audio), cfg.audio.target_sr)}

    return map_rows(batch, "describe", one, {DESCRIPTORS: _NO_AUDIO})


class ClapStage:
    """CLAP similarities for a batch of clips; the model loads once per actor."""

    def __init__(self, cfg: ClapConfig, sr: int) -> None:
        from rayscore.tasks.drum_roles.clap import ClapRoleScorer

        self.scorer = ClapRoleScorer(cfg)
        self.sr = sr

    def __call__(self, batch: Batch) -> Batch:
        batch = ensure_error_columns(dict(batch))
        n = row_count(batch)
        sims = np.full((n, len(ROLES)), np.nan)
        idx = np.flatnonzero(ok_mask(batch))
        if idx.size:
            try:
                sims[idx] = self.scorer.similarities([batch[AUDIO][i] for i in idx], self.sr)
            except Exception:  # noqa: BLE001 - retry one by one to find the row(s) at fault
                for i in idx:
                    try:
                        sims[i] = self.scorer.similarities([batch[AUDIO][i]], self.sr)[0]
                    except Exception as exc:  # noqa: BLE001
                        fail_row(batch, i, "clap", describe_error(exc))
        for j, col in enumerate(CLAP_COLUMNS):
            batch[col] = sims[:, j]
        batch.pop(AUDIO, None)
        return batch


def assign(batch: Batch, cfg: DrumRolesConfig, classifier: dict | RoleClassifier | None = None) -> Batch:
    """Rules (+ the learned classifier), fusion and guards -> role, confidence and per-role probabilities."""
    clf = RoleClassifier.from_tensors(classifier) if isinstance(classifier, dict) else classifier
    if cfg.classifier.enabled and clf is None:
        raise ValueError("classifier.enabled needs a trained classifier (a registered model)")

    def one(row: dict) -> dict:
        sims = np.array([row[c] for c in CLAP_COLUMNS], dtype=float) if cfg.uses_clap else None
        learned = clf.proba(inputs({k: [row[k]] for k in row}, cfg.classifier))[0] if clf is not None else None
        res = decide(DSPFeatures.from_mapping(row), sims, cfg, p_learned=learned)
        out = {"role": res.role.value, "confidence": res.scores.confidence}
        out |= {f"p_{r}": v for r, v in res.scores.final.as_dict().items()}
        out |= {f"p_rule_{r}": v for r, v in res.scores.rule.as_dict().items()}
        if res.scores.learned is not None:
            out |= {f"p_learned_{r}": v for r, v in res.scores.learned.as_dict().items()}
        if res.scores.clap is not None:
            out |= {f"p_clap_{r}": v for r, v in res.scores.clap.as_dict().items()}
        out["guards"] = ",".join(res.guards_fired)
        return out

    outputs: dict = {"role": None, "confidence": float("nan")}
    prefixes = ("p_", "p_rule_") + (("p_clap_",) if cfg.uses_clap else ()) + (("p_learned_",) if clf else ())
    for prefix in prefixes:
        outputs |= {f"{prefix}{r.value}": float("nan") for r in ROLES}
    outputs["guards"] = None
    return map_rows(batch, "assign", one, outputs)


def prepare_and_assign(batch: Batch, cfg: DrumRolesConfig, classifier: dict | None = None) -> Batch:
    """The whole DSP path in one stage, for when CLAP is off.

    Ray would fuse the two stages into one task anyway, but still convert each
    batch to Arrow and back between them; on 2 cores that costs ~12% throughput.
    """
    return assign(prepare(batch, cfg), cfg, classifier)
