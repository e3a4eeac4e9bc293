# -*- coding: utf-8 -*-
"""Validate generated KLUE-RE style files and print label distributions.

usage: python validate.py DIR [DIR ...]
"""
import collections
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen import LABELS, TYPES  # noqa: E402

KEYS = {"guid", "sentence", "subject_entity", "object_entity", "label", "source"}
EKEYS = {"word", "start_idx", "end_idx", "type"}


def check(recs, name):
    bad = 0
    for r in recs:
        ok = set(r) == KEYS and r["label"] in LABELS and isinstance(r["guid"], str)
        for k in ("subject_entity", "object_entity"):
            e = r[k]
            ok &= set(e) == EKEYS and e["type"] in TYPES
            ok &= r["sentence"][e["start_idx"]:e["end_idx"] + 1] == e["word"]
        ok &= r["subject_entity"]["type"] in ("PER", "ORG")
        s, o = r["subject_entity"], r["object_entity"]
        ok &= not (s["start_idx"] <= o["end_idx"] and o["start_idx"] <= s["end_idx"])  # no overlap
        if not ok:
            bad += 1
            print("BAD", name, r)
    return bad


def main():
    total_bad = 0
    for d in sys.argv[1:]:
        files = {n: json.load(open(os.path.join(d, n + ".json"), encoding="utf-8"))
                 for n in ("train", "test", "test_unseen_only")}
        for n, recs in files.items():
            total_bad += check(recs, f"{d}/{n}")
        tr_labels = collections.Counter(r["label"] for r in files["train"])
        missing = set(LABELS) - set(tr_labels)
        print(f"== {d}: sizes " + " ".join(f"{n}={len(v)}" for n, v in files.items()),
              "| train missing labels:", missing or "none")
        cnt = {n: collections.Counter(r["label"] for r in v) for n, v in files.items()}
        print(f"{'label':40s} {'train':>6s} {'test':>6s} {'unseen':>6s}")
        for L in sorted(LABELS, key=lambda x: -cnt["train"][x]):
            print(f"{L:40s} {cnt['train'][L]:6d} {cnt['test'][L]:6d} {cnt['test_unseen_only'][L]:6d}")
        # entity-name leakage train -> test (dates/numbers excluded)
        tr_words = {r[k]["word"] for r in files["train"] for k in ("subject_entity", "object_entity")
                    if r[k]["type"] not in ("DAT", "NOH")}
        te_words = {r[k]["word"] for r in files["test"] for k in ("subject_entity", "object_entity")
                    if r[k]["type"] not in ("DAT", "NOH")}
        print("test entity names also in train:", sorted(tr_words & te_words) or "none")
        tr_sent = {r["sentence"] for r in files["train"]}
        print("test sentences identical to a train sentence:",
              sum(r["sentence"] in tr_sent for r in files["test"]))
        meta = json.load(open(os.path.join(d, "test_meta.json"), encoding="utf-8"))
        npos = sum(m["label"] != "no_relation" for m in meta)
        nun = sum(m["unseen"] for m in meta)
        print(f"test positives={npos}, with test-only phrasing={nun} ({nun / npos:.1%}); "
              f"no_relation categories:",
              dict(collections.Counter(m["cat"] for m in meta if m["label"] == "no_relation")))
        srcs = collections.Counter(r["source"] for r in files["test"])
        print("sources:", dict(srcs))
        rng = random.Random(0)
        print("-- 10 random test records")
        for r in rng.sample(files["test"], 10):
            print(f"  [{r['label']}] {r['sentence']}  (S={r['subject_entity']['word']}/"
                  f"{r['subject_entity']['type']}, O={r['object_entity']['word']}/{r['object_entity']['type']})")
    print("TOTAL BAD RECORDS:", total_bad)
    sys.exit(1 if total_bad else 0)


if __name__ == "__main__":
    main()
