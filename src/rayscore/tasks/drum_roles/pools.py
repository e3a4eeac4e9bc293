"""Role pools (seed 001, ``pool/build_pools.py``): required roles, caps, promotion, rebalancing.

Example:
    >>> pools = build_pools(predictions, cfg)           # doctest: +SKIP
    >>> pools.as_dict()["sizes"]                         # doctest: +SKIP
    {'CORE': 4, 'ACCENT': 4, 'MOTION': 7, 'FILL': 3, 'TEXTURE': 1}
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rayscore.tasks.drum_roles.config import DrumRolesConfig
from rayscore.tasks.drum_roles.fusion import motion_condition_met, sustained_noise
from rayscore.tasks.drum_roles.types import ROLES, DSPFeatures, PoolEntry, Role, RolePools


@dataclass
class _Candidate:
    entry: PoolEntry
    probs: dict[Role, float]
    features: DSPFeatures


def _eligible(role: Role, c: _Candidate, cfg: DrumRolesConfig) -> bool:
    """Would this sample pass the guard that watches ``role``? Promotion must not undo a guard."""
    if role is Role.MOTION:
        return motion_condition_met(c.features, cfg.guards)
    if role in (Role.CORE, Role.ACCENT):
        return not sustained_noise(c.features, cfg.guards)
    return True


def _move(c: _Candidate, src: Role, dst: Role, how: str, pools: dict[Role, list[_Candidate]]) -> None:
    pools[src].remove(c)
    c.entry.moved = how
    c.entry.probability = c.probs[dst]
    pools[dst].append(c)


def _promote(pools: dict[Role, list[_Candidate]], cfg: DrumRolesConfig, notes: list[str]) -> None:
    rule = cfg.pool.promote_when_missing
    for role in cfg.pool.required_roles:
        if pools[role]:
            continue
        ranked = sorted(
            ((r, c) for r in ROLES if r is not role for c in pools[r]),
            key=lambda rc: rc[1].probs[role],
            reverse=True,
        )
        promoted = None
        for src, c in ranked:
            if c.probs[role] < rule.min_prob:
                break  # ranked by p(role): no later candidate qualifies either
            if src in cfg.pool.required_roles and len(pools[src]) <= 1:
                continue  # never empty another required pool to fill this one
            if _eligible(role, c, cfg):
                promoted = (src, c)
                break
        if promoted is None:
            notes.append(f"required role {role.value} is empty: no eligible candidate")
            continue
        src, c = promoted
        _move(c, src, role, "promoted", pools)
        notes.append(f"promoted {c.entry.id} from {src.value} to {role.value} (p={c.probs[role]:.3f})")


def _rebalance(pools: dict[Role, list[_Candidate]], cfg: DrumRolesConfig, notes: list[str]) -> None:
    keep = cfg.pool.rebalance_when_excess.min_margin_keep
    caps = cfg.pool.max_sizes
    for role, cap in caps.items():
        while len(pools[role]) > cap:
            movable = [c for c in pools[role] if c.entry.confidence < keep]
            if not movable:
                notes.append(
                    f"{role.value} holds {len(pools[role])} > {cap}: the rest are confident "
                    f"(margin >= {keep}) and stay"
                )
                break
            c = min(movable, key=lambda c: c.entry.confidence)
            alternatives = sorted((r for r in ROLES if r is not role), key=lambda r: -c.probs[r])
            dst = next((r for r in alternatives if len(pools[r]) < caps.get(r, 1 << 30)), None)
            if dst is None:
                notes.append(f"{role.value} over its cap and every other pool is full")
                break
            _move(c, role, dst, "rebalanced", pools)
            notes.append(f"rebalanced {c.entry.id} from {role.value} to {dst.value}")


def build_pools(predictions: pd.DataFrame, cfg: DrumRolesConfig) -> RolePools:
    """Pools from scored rows (columns id, path, role, confidence, p_<ROLE>, features)."""
    pools: dict[Role, list[_Candidate]] = {r: [] for r in ROLES}
    for row in predictions.to_dict("records"):
        role = Role(row["role"])
        probs = {r: float(row[f"p_{r.value}"]) for r in ROLES}
        entry = PoolEntry(
            id=str(row["id"]),
            path=row.get("path"),
            confidence=float(row["confidence"]),
            probability=probs[role],
            assigned_role=role,
        )
        pools[role].append(_Candidate(entry, probs, DSPFeatures.from_mapping(row)))
    notes: list[str] = []
    if cfg.pool.promote_when_missing.enabled:
        _promote(pools, cfg, notes)
    if cfg.pool.rebalance_when_excess.enabled:
        _rebalance(pools, cfg, notes)
    ordered = {r: sorted((c.entry for c in pools[r]), key=lambda e: -e.probability) for r in ROLES}
    return RolePools(pools=ordered, notes=notes)


def build_group_pools(predictions: pd.DataFrame, cfg: DrumRolesConfig) -> dict[str, RolePools]:
    """One :class:`RolePools` per group (drum kit) when ``pool.per_group``, else one for all."""
    if not cfg.pool.per_group or "group" not in predictions or predictions["group"].isna().all():
        return {"all": build_pools(predictions, cfg)}
    groups = predictions["group"].fillna("<no group>").astype(str)
    return {g: build_pools(df, cfg) for g, df in predictions.groupby(groups, sort=True)}
