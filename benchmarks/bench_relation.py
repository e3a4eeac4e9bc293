"""W5: the offline relation model on KLUE-RE files of seeds it was never tuned on.

Two corpora, each a train file and a test file imported as they come (KLUE layout), judged with
KLUE's micro-F1 (no_relation left out) and AUPRC beside the seed's baselines (majority, uniform
random, prior-weighted random) and char n-gram TF-IDF + LR on the marked sentence, fitted on the
same rows; also the time per sentence of fit and predict:

- ``--corpus ours``: our generator (``rayscore generate relation``; names from other syllables in
  the test file, 30 % of its facts in phrasings the train file never has), seeds 1 and 2;
- ``--corpus independent``: ``benchmarks/klue_independent/`` -- a generator written separately,
  without sight of this task's code (its own templates, names, negatives; 35 % of the test facts
  in phrasings its train file never has), seeds 12 and 13 (11 was the one looked at).

    python benchmarks/bench_relation.py [--corpus ours|independent] [--seeds ...] [--set model.offline.c=10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["ours", "independent"], default="ours")
    ap.add_argument("--n", type=int, default=3000, help="sentences per seed (ours: 30 %% of them in the test file; "
                                                        "independent: 3,000 train + 1,000 test)")
    ap.add_argument("--seeds", type=int, nargs="+", default=None, help="ours: 1 2; independent: 12 13")
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    ap.add_argument("--out", type=Path, default=Path("runs/bench/relation"))
    args = ap.parse_args()
    args.seeds = args.seeds or ([1, 2] if args.corpus == "ours" else [12, 13])

    import pandas as pd

    from rayscore.references import fit_references, score_references
    from rayscore.tasks import get_task
    from rayscore.tasks.relation.klue import import_klue, record_row
    from rayscore.tasks.relation.offline import OfflineRelationModel
    from rayscore.tasks.relation.synth import generate_relations, relation_records

    task = get_task("relation")
    cfg = task.load_config(overrides=args.overrides)
    report: dict = {"corpus": args.corpus, "config": cfg.model.offline.model_dump(), "per_seed": {}}

    def marked(df):  # the TF-IDF reference reads the marked sentence, as the pipeline's prepare stage writes it
        from rayscore.tasks.relation.markers import Pair, mark

        return df.assign(marked=[mark(Pair.of_row(r)) for r in df.to_dict("records")])

    def files(seed: int) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
        """(train rows, {test set name: rows}) of one seed, the files imported as they come."""
        if args.corpus == "ours":
            df = generate_relations(args.out / f"seed{seed}_{args.n}", n=args.n, seed=seed).df
            test = df[df["split"] == "test"]
            # the same test facts' worlds with every phrasing seen, and with every phrasing unseen
            extra = {share: pd.DataFrame([record_row(r, r["guid"]) for r in relation_records(
                len(test), seed + 7919, held_out=True, prefix="test", unseen_phrasing=share)])
                for share in (0.0, 1.0)}
            return df[df["split"] == "train"], {"test file (30 % unseen phrasings)": test,
                                                "unseen names, seen phrasings": extra[0.0],
                                                "unseen names, unseen phrasings": extra[1.0]}
        folder = (args.out / f"independent_seed{seed}").absolute()
        if not (folder / "test.json").is_file():
            gen = Path(__file__).parent / "klue_independent" / "gen.py"
            subprocess.run([sys.executable, str(gen), "--seed", str(seed), "--n-train", str(args.n),
                            "--n-test", str(args.n // 3), "--out", str(folder)], check=True, capture_output=True)
        return (import_klue(folder / "train.json").df,
                {"test file (35 % unseen phrasings)": import_klue(folder / "test.json").df,
                 "unseen phrasings + every no_relation": import_klue(folder / "test_unseen_only.json").df})

    for seed in args.seeds:
        train, tests = files(seed)
        train = marked(train)
        t = time.perf_counter()
        model = OfflineRelationModel.fit(train, cfg.model.offline)
        fit_s = time.perf_counter() - t
        refs = fit_references(task, cfg, train)
        entry: dict = {"train": len(train), "fit_sec_per_sentence": fit_s / len(train)}
        for name, rows in tests.items():
            rows = marked(rows.assign(split="test"))
            t = time.perf_counter()
            m = task.evaluate(task.predict(model, cfg, rows), cfg)
            entry.setdefault("predict_sec_per_sentence", (time.perf_counter() - t) / len(rows))
            r = score_references(task, cfg, refs, rows)
            entry[name] = {"model": {k: m[k] for k in ("micro_f1", "auprc", "accuracy", "macro_f1")},
                           "references": {k: {x: v.get(x) for x in ("micro_f1", "auprc")} for k, v in r.items()}}
            line = " | ".join(f"{k} {v['micro_f1']:.1f}/{v['auprc']:.1f}" for k, v in r.items())
            print(f"seed {seed}, {name}: offline {m['micro_f1']:.2f}/{m['auprc']:.2f} (micro-F1/AUPRC), acc "
                  f"{m['accuracy']:.3f} | references: {line}", flush=True)
        report["per_seed"][seed] = entry
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"relation_{args.corpus}.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
