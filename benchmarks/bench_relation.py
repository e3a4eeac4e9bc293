"""W5: the offline relation model on generated KLUE-RE files of seeds it was never tuned on.

Each seed writes a train file (3 % label noise) and a test file whose names come from other
syllables and half of whose facts use phrasings the train file never has (KLUE layout), imported
as they come; the model is fitted on the train file and judged on the test file with KLUE's
micro-F1 (no_relation left out) and AUPRC, beside the seed's baselines (majority, uniform
random, prior-weighted random) and char n-gram TF-IDF + LR on the sentence, fitted on the same
rows. Also the time per sentence of fit and predict.

    python benchmarks/bench_relation.py [--n 3000] [--seeds 1 2] [--set model.offline.c=10]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="sentences per seed (30 %% of them in the test file)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    ap.add_argument("--out", type=Path, default=Path("runs/bench/relation"))
    args = ap.parse_args()

    import pandas as pd

    from rayscore.references import fit_references, score_references
    from rayscore.tasks import get_task
    from rayscore.tasks.relation.klue import record_row
    from rayscore.tasks.relation.offline import OfflineRelationModel
    from rayscore.tasks.relation.synth import generate_relations, relation_records

    task = get_task("relation")
    cfg = task.load_config(overrides=args.overrides)
    report: dict = {"config": cfg.model.offline.model_dump(), "per_seed": {}}

    def marked(df):  # the TF-IDF reference reads the marked sentence, as the pipeline's prepare stage writes it
        from rayscore.tasks.relation.markers import Pair, mark

        return df.assign(marked=[mark(Pair.of_row(r)) for r in df.to_dict("records")])

    for seed in args.seeds:
        df = generate_relations(args.out / f"seed{seed}_{args.n}", n=args.n, seed=seed).df
        train, test = marked(df[df["split"] == "train"]), marked(df[df["split"] == "test"])
        # the same test facts' worlds with every phrasing seen, and with every phrasing unseen
        extra = {share: marked(pd.DataFrame([record_row(r, r["guid"]) for r in relation_records(
            len(test), seed + 7919, held_out=True, prefix="test", unseen_phrasing=share)]))
            for share in (0.0, 1.0)}
        t = time.perf_counter()
        model = OfflineRelationModel.fit(train, cfg.model.offline)
        fit_s = time.perf_counter() - t
        refs = fit_references(task, cfg, train)
        entry: dict = {"train": len(train), "test": len(test), "fit_sec_per_sentence": fit_s / len(train)}
        for name, rows in (("test file (30 % unseen phrasings)", test), ("unseen names, seen phrasings", extra[0.0]),
                           ("unseen names, unseen phrasings", extra[1.0])):
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
    (args.out / "relation.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
