# -*- coding: utf-8 -*-
"""Independent synthetic generator for the 17-class Korean document-type competition.

    python -m benchmarks.doc_independent.generate --out DIR --per-class 40 --seed 7 [--workers 1]

Writes the competition's public layout:
    DIR/meta.csv               target,class_name (0..16)
    DIR/train.csv, DIR/train/  ID,target  (~per-class images a class, 3 classes at ~half, ~2% wrong labels)
    DIR/sample_submission.csv  ID,target  (target all 0) naming DIR/test/*
    DIR/test_answers.csv       ID,target  true test labels, same order as sample_submission
Test images get the competition-style corruptions (90/180/270 rotations, flips, tilt, blur, noise,
low JPEG quality, brightness/contrast, crops); training images only light photo effects.
Output is a deterministic function of --seed (and --per-class), whatever --workers is.
Designed and written without reading the project's own doc_type generator.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from benchmarks.doc_independent.render import RENDERERS

CLASSES = ["account_number", "application_for_payment_of_pregnancy_medical_expenses", "car_dashboard",
           "confirmation_of_admission_and_discharge", "diagnosis", "driver_lisence", "medical_bill_receipts",
           "medical_outpatient_certificate", "national_id_card", "passport", "payment_confirmation",
           "pharmaceutical_receipt", "prescription", "resume", "statement_of_opinion",
           "vehicle_registration_certificate", "vehicle_registration_plate"]
HALF_CLASSES = (1, 13, 14)      # under-represented in training, as in the real competition
NOISE_RATE = 0.02               # share of training labels replaced by a wrong class
# wrong labels land in a look-alike group 60% of the time (annotators confuse similar documents)
GROUPS = [(1, 3, 4, 6, 7, 10, 11, 12, 14), (5, 8, 9), (0, 10), (2, 15, 16)]
LONG_MIN, LONG_MAX = 400, 900


def clamp_size(im):
    """Keep the long side inside [LONG_MIN, LONG_MAX]."""
    long = max(im.size)
    if LONG_MIN <= long <= LONG_MAX:
        return im
    s = min(max(long, LONG_MIN), LONG_MAX) / long
    return im.resize((max(1, round(im.width * s)), max(1, round(im.height * s))), Image.LANCZOS)


def light_effects(r, im):
    """Training images: at most a mild brightness/contrast change; JPEG 75-95."""
    if r.random() < 0.3:
        im = ImageEnhance.Brightness(im).enhance(r.uniform(0.9, 1.1))
        im = ImageEnhance.Contrast(im).enhance(r.uniform(0.9, 1.1))
    return im, r.randint(75, 95)


def corrupt(r, g, im):
    """Test images: a random mix of the real test set's corruptions; ~20% are heavy."""
    heavy = r.random() < 0.2
    w, h = im.size
    if r.random() < (0.6 if heavy else 0.35):                    # random crop
        keep = r.uniform(0.6, 0.85) if heavy else r.uniform(0.78, 0.97)
        cw, ch = int(w * r.uniform(keep, 1)), int(h * r.uniform(keep, 1))
        x, y = r.randint(0, w - cw), r.randint(0, h - ch)
        im = im.crop((x, y, x + cw, y + ch))
    if r.random() < (0.8 if heavy else 0.45):                    # arbitrary small-angle rotation
        a = r.uniform(-45, 45) if heavy else r.uniform(-20, 20)
        fill = r.choice([(0, 0, 0), (255, 255, 255), tuple(int(v) for v in np.asarray(im).reshape(-1, 3).mean(0))])
        im = im.rotate(a, resample=Image.BICUBIC, expand=r.random() < 0.5, fillcolor=fill)
    if r.random() < 0.25:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
    if r.random() < 0.15:
        im = im.transpose(Image.FLIP_TOP_BOTTOM)
    k = r.randrange(4)                                           # 0/90/180/270: 3 in 4 rotated
    if k:
        im = im.transpose([Image.ROTATE_90, Image.ROTATE_180, Image.ROTATE_270][k - 1])
    if r.random() < 0.6:                                         # brightness / contrast
        lo, hi = (0.4, 1.7) if heavy else (0.65, 1.35)
        im = ImageEnhance.Brightness(im).enhance(r.uniform(lo, hi))
        im = ImageEnhance.Contrast(im).enhance(r.uniform(lo, hi))
    if r.random() < (0.8 if heavy else 0.45):                    # Gaussian blur
        im = im.filter(ImageFilter.GaussianBlur(r.uniform(1.5, 4.5) if heavy else r.uniform(0.4, 2.0)))
    if r.random() < 0.2:                                         # low resolution
        s = r.uniform(0.35, 0.7)
        small = im.resize((max(8, int(im.width * s)), max(8, int(im.height * s))), Image.BILINEAR)
        im = small.resize(im.size, Image.BILINEAR)
    if r.random() < (0.85 if heavy else 0.5):                    # Gaussian noise (grey or colour)
        sigma = r.uniform(20, 60) if heavy else r.uniform(4, 22)
        shape = (im.height, im.width, 3 if r.random() < 0.5 else 1)
        arr = np.asarray(im, np.float32) + g.normal(0, sigma, shape)
        im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    q = r.randint(20, 35) if heavy else (r.randint(20, 60) if r.random() < 0.75 else r.randint(65, 90))
    return im, q


def render_one(job):
    """job = (seed, split, cls, k, out_path). Renders, post-processes and saves one JPEG."""
    seed, split, cls, k, path = job
    r = random.Random(f"doc-independent:{seed}:{split}:{cls}:{k}")
    g = np.random.default_rng(r.getrandbits(63))
    im = clamp_size(RENDERERS[cls](r, g).convert("RGB"))
    im, q = corrupt(r, g, im) if split == "test" else light_effects(r, im)
    clamp_size(im).save(path, "JPEG", quality=q)
    return path


def plan(seed, per_class):
    """Lists (split, cls, k, ID) in CSV order and the noisy training labels."""
    master = random.Random(f"doc-independent-plan:{seed}")
    jobs = {"train": [], "test": []}
    for c in range(len(CLASSES)):
        n_tr = max(1, round(per_class / 2)) if c in HALF_CLASSES else per_class
        n_te = max(1, round(per_class / 2))
        jobs["train"] += [(c, k) for k in range(n_tr)]
        jobs["test"] += [(c, k) for k in range(n_te)]
    seen, rows = set(), {}
    for split in ("train", "test"):
        master.shuffle(jobs[split])
        rows[split] = []
        for c, k in jobs[split]:
            while True:
                name = f"{master.getrandbits(64):016x}.jpg"
                if name not in seen:
                    seen.add(name)
                    break
            rows[split].append((split, c, k, name))
    labels = [c for _, c, _, _ in rows["train"]]
    n_noise = round(NOISE_RATE * len(labels)) if len(labels) >= 25 else 0
    for i in master.sample(range(len(labels)), n_noise):
        true = labels[i]
        group = next((gr for gr in GROUPS if true in gr), None)
        if group and master.random() < 0.6:
            labels[i] = master.choice([c for c in group if c != true])
        else:
            labels[i] = master.choice([c for c in range(len(CLASSES)) if c != true])
    return rows, labels


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-class", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=1, help="processes (output does not depend on it)")
    a = ap.parse_args(argv)
    t0 = time.time()
    for sub in ("train", "test"):
        os.makedirs(os.path.join(a.out, sub), exist_ok=True)
    rows, noisy = plan(a.seed, a.per_class)
    jobs = [(a.seed, s, c, k, os.path.join(a.out, s, name)) for s in ("train", "test") for s, c, k, name in rows[s]]
    if a.workers > 1:
        import multiprocessing as mp
        with mp.Pool(a.workers) as pool:
            for _ in pool.imap_unordered(render_one, jobs, chunksize=4):
                pass
    else:
        for j in jobs:
            render_one(j)
    write_csv(os.path.join(a.out, "meta.csv"), ["target", "class_name"], list(enumerate(CLASSES)))
    write_csv(os.path.join(a.out, "train.csv"), ["ID", "target"], [(n, y) for (_, _, _, n), y in zip(rows["train"], noisy, strict=True)])
    write_csv(os.path.join(a.out, "sample_submission.csv"), ["ID", "target"], [(n, 0) for _, _, _, n in rows["test"]])
    write_csv(os.path.join(a.out, "test_answers.csv"), ["ID", "target"], [(n, c) for _, c, _, n in rows["test"]])
    wrong = sum(c != y for (_, c, _, _), y in zip(rows["train"], noisy, strict=True))
    print(f"wrote {len(rows['train'])} train ({wrong} noisy labels) + {len(rows['test'])} test images to {a.out} "
          f"in {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
