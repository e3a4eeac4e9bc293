"""The drum-role task as the platform sees it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from rayscore.config import ConfigError
from rayscore.corpus.folder import import_folder
from rayscore.corpus.hydrogen import DEBIAN_DRUMKITS, import_hydrogen
from rayscore.corpus.manifest import Manifest
from rayscore.media.audio import AUDIO_EXTENSIONS
from rayscore.pipeline.embed import EncoderSpec
from rayscore.pipeline.runner import run_stages
from rayscore.pipeline.stage import Stage
from rayscore.tasks import register_task
from rayscore.tasks.base import Importer, Task
from rayscore.tasks.drum_roles import stages
from rayscore.tasks.drum_roles.classifier import DESCRIPTORS, RoleClassifier, inputs
from rayscore.tasks.drum_roles.config import DrumRolesConfig, NameRule
from rayscore.tasks.drum_roles.libraries import import_library
from rayscore.tasks.drum_roles.pools import build_group_pools
from rayscore.tasks.drum_roles.synth import generate_corpus
from rayscore.tasks.drum_roles.types import ROLE_NAMES, ROLES


@dataclass
class DrumRoleModel:
    """The seed's rules (all in the config) and, when enabled, the learned classifier."""

    cfg: DrumRolesConfig
    classifier: RoleClassifier | None = None


class RoleNamer:
    """Instrument or folder name -> role name, by the config's ordered regex rules."""

    def __init__(self, rules: list[NameRule]) -> None:
        self.rules = [(re.compile(r.pattern, re.IGNORECASE), r.role.value) for r in rules]

    def __call__(self, name: str) -> str | None:
        if name.strip().upper() in ROLE_NAMES:
            return name.strip().upper()
        return next((role for rx, role in self.rules if rx.search(name)), None)


class DrumRolePrediction(BaseModel):
    """A served drum-role assignment."""

    id: str
    model: str = Field(description="The registered model that answered, drum_roles:<version>.")
    role: str = Field(description="CORE, ACCENT, MOTION, FILL or TEXTURE.")
    confidence: float = Field(description="Margin between the top two role probabilities.")
    scores: dict[str, float] = Field(description="Final probability per role (after fusion and guards).")
    guards: list[str] = Field(description="Guards that changed the scores.")
    features: dict[str, float] = Field(description="The DSP descriptors, each in [0, 1].")


@register_task
class DrumRolesTask(Task):
    name = "drum_roles"
    config_cls = DrumRolesConfig
    prediction_column = "role"
    response_model = DrumRolePrediction

    def label_names(self, cfg: DrumRolesConfig) -> list[str]:
        return list(ROLE_NAMES)

    def importers(self) -> dict[str, Importer]:
        def folder(source: Path, cfg: DrumRolesConfig) -> Manifest:
            return import_folder(source, AUDIO_EXTENSIONS, RoleNamer(cfg.labels.name_to_role))

        def hydrogen(source: Path, cfg: DrumRolesConfig) -> Manifest:
            return import_hydrogen(source, RoleNamer(cfg.labels.name_to_role))

        def library(name: str) -> Importer:
            return lambda source, cfg: import_library(name, Path(source))

        return {"folder": folder, "hydrogen": hydrogen, "lmms": library("lmms"), "sonicpi": library("sonicpi")}

    def generate(self, out_dir: Path, n: int, seed: int, cfg: DrumRolesConfig) -> Manifest:
        namer = RoleNamer(cfg.labels.name_to_role)
        g = cfg.generator
        source = None
        if g.augment_from:
            source = self.importers()[g.augment_format](Path(g.augment_from), cfg)
        return generate_corpus(out_dir, n, seed, namer, augment_from=source, variants=g.variants)

    def preflight(self, cfg: DrumRolesConfig) -> None:
        from rayscore.encoders._hf import model_available

        if cfg.uses_clap and not model_available(cfg.clap.model_id):
            raise ConfigError(
                f"clap.model_id '{cfg.clap.model_id}' is neither a local model folder nor in the "
                f"Hugging Face cache, and fusion.alpha={cfg.fusion.alpha} needs it. Download it, "
                "point clap.model_id at a local copy, or --set fusion.alpha=1.0 to score with "
                "the DSP rules alone."
            )

    def _classifier(self, cfg: DrumRolesConfig, model: Any) -> dict | None:
        """The trained classifier's arrays (from a registered version or a fitted model), if the config uses one."""
        if not cfg.classifier.enabled:
            return None
        tensors = model.tensors() if hasattr(model, "tensors") else self.model_tensors(model) if model else {}
        if not tensors:
            raise ConfigError(
                "classifier.enabled needs a trained classifier: `rayscore train drum_roles --input <labelled "
                "samples>` (or --sweep) registers one; then pass --model drum_roles:<version|alias>")
        return tensors

    def stages(self, cfg: DrumRolesConfig, model: Any = None) -> list[Stage]:
        res = cfg.resources
        clf = self._classifier(cfg, model)
        if not cfg.uses_clap:
            return [Stage("dsp", stages.prepare_and_assign, {"cfg": cfg, "classifier": clf}, res.dsp)]
        return [
            Stage("decode", stages.prepare, {"cfg": cfg, "keep_audio": True}, res.dsp),
            self._clap_stage(cfg),
            Stage("assign", stages.assign, {"cfg": cfg, "classifier": clf}, res.dsp),
        ]

    def _clap_stage(self, cfg: DrumRolesConfig) -> Stage:
        kwargs = {"cfg": cfg.clap, "sr": cfg.audio.target_sr}
        return Stage("clap", stages.ClapStage, kwargs, cfg.resources.clap)

    def encoders(self, cfg: DrumRolesConfig) -> list[EncoderSpec]:
        # Keys hold everything that shapes each encoder's output, plus a code version
        # to bump when the extraction code changes what it computes.
        audio = cfg.audio.model_dump(mode="json")
        dsp = EncoderSpec(
            name="dsp",
            key={"version": 1, "audio": audio, "dsp": cfg.dsp.model_dump(mode="json")},
            stages=[Stage("dsp", stages.prepare, {"cfg": cfg}, cfg.resources.dsp)],
            columns=list(stages.FEATURES),
        )
        specs = [dsp]
        if cfg.classifier.enabled:
            specs.append(EncoderSpec(
                name="descriptors",
                key={"version": 1, "audio": audio},
                stages=[Stage("describe", stages.describe_only, {"cfg": cfg}, cfg.resources.dsp)],
                columns=[DESCRIPTORS],
            ))
        if not cfg.uses_clap:
            return specs
        from rayscore.encoders._hf import model_fingerprint

        prompts = {r.value: cfg.clap.prompts[r] for r in ROLES}
        clap = EncoderSpec(
            name="clap",
            key={"version": 1, "audio": audio, "model": model_fingerprint(cfg.clap.model_id),
                 "prompts": prompts},
            stages=[Stage("decode", stages.prepare, {"cfg": cfg, "keep_audio": True}, cfg.resources.dsp),
                    self._clap_stage(cfg)],
            columns=list(stages.CLAP_COLUMNS),
        )
        return [*specs, clap]

    def fit(self, cfg: DrumRolesConfig, train: pd.DataFrame, valid: pd.DataFrame | None = None):
        # Rules, weights and guards are all in the config; only the optional classifier learns.
        if not cfg.classifier.enabled:
            yield DrumRoleModel(cfg)
            return
        rows = train[train["label"].isin(ROLE_NAMES)]
        yield DrumRoleModel(cfg, RoleClassifier.fit(inputs(rows, cfg.classifier), rows["label"].to_numpy(),
                                                    cfg.classifier))

    def predict(self, model: DrumRoleModel, cfg: DrumRolesConfig, features: pd.DataFrame) -> pd.DataFrame:
        stage = Stage("assign", stages.assign, {"cfg": model.cfg, "classifier": model.classifier})
        return run_stages(features, [stage], engine="local")

    def model_tensors(self, model: DrumRoleModel) -> dict[str, Any]:
        return model.classifier.tensors() if model.classifier is not None else {}

    def load_model(self, cfg: DrumRolesConfig, tensors: dict[str, Any], model_args: dict[str, Any] | None = None
                   ) -> DrumRoleModel:
        return DrumRoleModel(cfg, RoleClassifier.from_tensors(tensors))

    def model_notes(self, model: DrumRoleModel) -> dict[str, str]:
        if model.classifier is None:
            return {"model": "the seed's rules, guards and pools (nothing learned)"}
        c = model.cfg.classifier
        return {"model": f"rules + a class-balanced logistic regression on the {c.features} features "
                         f"(C={c.c:g}), mixed with weight {c.weight:g} before fusion and guards"}

    def response(self, row: dict, cfg: DrumRolesConfig) -> dict:
        return {
            "role": row["role"],
            "confidence": float(row["confidence"]),
            "scores": {r: float(row[f"p_{r}"]) for r in ROLE_NAMES},
            "guards": [g for g in (row.get("guards") or "").split(",") if g],
            "features": {f: float(row[f]) for f in stages.FEATURES},
        }

    def finalize(self, predictions: pd.DataFrame, cfg: DrumRolesConfig, out_dir: Path) -> dict[str, Path]:
        groups = build_group_pools(predictions, cfg)
        path = Path(out_dir) / "role_pools.json"
        doc = {"per_group": cfg.pool.per_group, "groups": {g: p.as_dict() for g, p in groups.items()}}
        path.write_text(json.dumps(doc, indent=2))
        return {"role_pools": path}

    def demo_corpus(self, out_dir: Path, cfg: DrumRolesConfig) -> tuple[Manifest, str]:
        if DEBIAN_DRUMKITS.is_dir():
            m = import_hydrogen(DEBIAN_DRUMKITS, RoleNamer(cfg.labels.name_to_role))
            kits = m.df["group"].nunique()
            return m, f"the Hydrogen drumkits in {DEBIAN_DRUMKITS} ({len(m)} samples, {kits} kits)"
        m = self.generate(out_dir / "corpus", n=400, seed=0, cfg=cfg)
        return m, (
            f"generated drums ({len(m)} samples): the Hydrogen drumkits are not installed "
            "(apt-get install hydrogen-data hydrogen-drumkits)"
        )

    def demo_after(self, out_dir: Path, cfg: DrumRolesConfig, echo) -> None:
        demo_side_by_side(self, Path(out_dir), cfg, echo)

    def demo_overrides(self, cfg: DrumRolesConfig) -> tuple[list[str], str | None]:
        from rayscore.encoders._hf import model_available

        if cfg.uses_clap and not model_available(cfg.clap.model_id):
            return ["fusion.alpha=1.0"], (
                f"CLAP weights '{cfg.clap.model_id}' are not available offline, so the demo "
                "scores with the DSP rules alone (fusion.alpha=1.0)"
            )
        return [], None


def _tuned_config() -> Path | None:
    """The shipped winner of the offline sweep (configs/tuned/drum_roles.yaml), if present."""
    for folder in (Path.cwd(), *Path(__file__).resolve().parents):
        path = folder / "configs" / "tuned" / "drum_roles.yaml"
        if path.is_file():
            return path
    return None


def demo_side_by_side(task: DrumRolesTask, out: Path, cfg: DrumRolesConfig, echo) -> None:
    """Train the tuned model on Hydrogen + generated audio and judge it beside the seed's defaults
    on a library neither has seen (LMMS or Sonic Pi from Debian, else generated hits of another seed)."""
    from rayscore.corpus.manifest import concat
    from rayscore.pipeline.evaluate import evaluate
    from rayscore.pipeline.train import train
    from rayscore.registry import ModelRegistry

    tuned_path = _tuned_config()
    tuned = task.load_config(tuned_path, ["fusion.alpha=1.0", "classifier.enabled=true"])
    sources = [task.generate(out / "generated", n=400, seed=0, cfg=tuned.model_copy(update={
        "generator": tuned.generator.model_copy(update={
            "augment_from": str(DEBIAN_DRUMKITS) if DEBIAN_DRUMKITS.is_dir() else None, "variants": 1})}))]
    if DEBIAN_DRUMKITS.is_dir():
        sources.insert(0, import_hydrogen(DEBIAN_DRUMKITS, RoleNamer(cfg.labels.name_to_role)))
    echo(f"\ntraining the tuned model ({tuned_path or 'defaults + classifier'}) on "
         f"{'the Hydrogen kits + ' if len(sources) > 1 else ''}generated audio ...")
    version = train(task, config=tuned_path, overrides=["fusion.alpha=1.0", "classifier.enabled=true"],
                    source=concat(sources), registry=ModelRegistry(out / "models"))
    judged = None
    for name in ("lmms", "sonicpi"):
        try:
            judged, what = import_library(name), f"{name} one-shots (never trained or tuned on)"
            break
        except Exception:  # noqa: BLE001 - not installed: try the next
            continue
    if judged is None:
        judged, what = task.generate(out / "unseen", n=200, seed=99, cfg=cfg), "generated hits of an unseen seed"
    echo(f"seed defaults vs the tuned model ({version.ref}) on {what}:")
    rows = []
    for label, c, model in (("seed defaults", cfg, None), ("tuned model", task.load_config(version.config_path), version)):
        metrics, _ = evaluate(task, c, judged, out / "side_by_side" / label.replace(" ", "_"), model=model)
        rows.append((label, metrics["macro_f1"], metrics["accuracy"]))
    for label, f1, acc in rows:
        echo(f"  {label:<14} macro-F1 {f1:.3f}  accuracy {acc:.3f}")
    echo(f"  reports: {out / 'side_by_side'}/*/report.html")
