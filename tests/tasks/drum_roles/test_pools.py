"""Pool rules: required roles are promoted into, caps are rebalanced, confident members stay."""

from __future__ import annotations

import pandas as pd

from rayscore.tasks.drum_roles.config import DrumRolesConfig
from rayscore.tasks.drum_roles.pools import build_group_pools, build_pools
from rayscore.tasks.drum_roles.types import ROLES, Role

HAT = dict(energy=0.2, sharpness=0.7, attack_time=0.05, decay_time=0.1, low_ratio=0.0,
           mid_ratio=0.1, high_ratio=0.9, spectral_flatness=0.4, zero_crossing_rate=0.5)
DULL = {**HAT, "high_ratio": 0.1, "mid_ratio": 0.9}  # fails the MOTION condition


def row(id_: str, probs: dict[str, float], feats: dict = HAT, group: str | None = None) -> dict:
    p = {r.value: probs.get(r.value, 0.0) for r in ROLES}
    total = sum(p.values())
    p = {k: v / total for k, v in p.items()}
    ranked = sorted(p.values(), reverse=True)
    role = max(p, key=p.get)
    return {"id": id_, "path": f"/x/{id_}.wav", "group": group, "role": role,
            "confidence": ranked[0] - ranked[1], **{f"p_{k}": v for k, v in p.items()}, **feats}


def test_missing_required_role_is_promoted_from_the_best_eligible_candidate():
    df = pd.DataFrame([
        row("k", {"CORE": 0.9, "MOTION": 0.1}),
        row("s", {"ACCENT": 0.9, "MOTION": 0.1}),
        row("dull", {"FILL": 0.5, "MOTION": 0.45}, DULL),  # best p_MOTION, fails the condition
        row("tom", {"FILL": 0.6, "MOTION": 0.4}),
        row("tom2", {"FILL": 0.7, "MOTION": 0.2}),
    ])
    pools = build_pools(df, DrumRolesConfig())
    assert [e.id for e in pools.motion] == ["tom"]
    assert pools.motion[0].moved == "promoted" and pools.motion[0].assigned_role is Role.FILL
    assert any("promoted tom from FILL to MOTION" in n for n in pools.notes)


def test_promotion_never_empties_another_required_pool():
    df = pd.DataFrame([
        row("k", {"CORE": 0.5, "MOTION": 0.45}),  # the only CORE: must stay
        row("s", {"ACCENT": 0.9, "MOTION": 0.05}),
        row("s2", {"ACCENT": 0.8, "MOTION": 0.2}),
    ])
    pools = build_pools(df, DrumRolesConfig())
    assert [e.id for e in pools.core] == ["k"]
    assert [e.id for e in pools.motion] == ["s2"]  # taken from ACCENT, which keeps "s"


def test_min_prob_blocks_weak_promotions_and_says_so():
    df = pd.DataFrame([row("k", {"CORE": 0.9, "MOTION": 0.05}), row("s", {"ACCENT": 0.95, "MOTION": 0.05})])
    cfg = DrumRolesConfig(pool={"promote_when_missing": {"min_prob": 0.2}})
    pools = build_pools(df, cfg)
    assert pools.motion == []
    assert any("MOTION is empty" in n for n in pools.notes)


def test_excess_low_margin_members_move_to_their_next_role():
    probs = [0.9, 0.85, 0.8, 0.75, 0.52, 0.51]  # last two: margins 0.04 and 0.02
    df = pd.DataFrame([row(f"k{i}", {"CORE": p, "FILL": 1 - p}) for i, p in enumerate(probs)]
                      + [row("s", {"ACCENT": 1.0}), row("h", {"MOTION": 1.0})])
    pools = build_pools(df, DrumRolesConfig())
    assert sorted(e.id for e in pools.core) == ["k0", "k1", "k2", "k3"]
    assert sorted(e.id for e in pools.fill) == ["k4", "k5"]
    assert all(e.moved == "rebalanced" for e in pools.fill)


def test_confident_members_stay_above_the_cap():
    df = pd.DataFrame([row(f"k{i}", {"CORE": 0.9, "FILL": 0.1}) for i in range(6)]
                      + [row("s", {"ACCENT": 1.0}), row("h", {"MOTION": 1.0})])
    pools = build_pools(df, DrumRolesConfig())
    assert len(pools.core) == 6
    assert any("CORE holds 6 > 4" in n for n in pools.notes)


def test_rules_can_be_switched_off():
    df = pd.DataFrame([row(f"k{i}", {"CORE": 0.52, "FILL": 0.48}) for i in range(6)])
    cfg = DrumRolesConfig(pool={"promote_when_missing": {"enabled": False},
                                "rebalance_when_excess": {"enabled": False}})
    pools = build_pools(df, cfg)
    assert len(pools.core) == 6 and pools.accent == [] and pools.notes == []


def test_pools_per_group_and_json_shape():
    df = pd.DataFrame([row("a1", {"CORE": 1.0}, group="kitA"), row("b1", {"ACCENT": 1.0}, group="kitB")])
    groups = build_group_pools(df, DrumRolesConfig(pool={"promote_when_missing": {"enabled": False}}))
    assert set(groups) == {"kitA", "kitB"}
    d = groups["kitA"].as_dict()
    assert d["sizes"]["CORE"] == 1 and d["pools"]["CORE"][0]["id"] == "a1"
    assert set(d["pools"]) == {r.value for r in ROLES}
    merged = build_group_pools(df, DrumRolesConfig(pool={"per_group": False}))
    assert list(merged) == ["all"]
