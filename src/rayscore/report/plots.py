"""Plots for reports, rendered headless to PNG."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

#: Fonts with Hangul (labels of the Korean workloads), used as fallbacks when installed
#: (Debian: fonts-nanum, fonts-noto-cjk; `make demo` installs fonts-nanum).
CJK_FONTS = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "UnDotum")


@cache  # the font scan reads every system font file: once per process is enough
def pyplot():
    """matplotlib.pyplot, headless, with a Hangul-capable font fallback when one is installed."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and CI
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed & set(CJK_FONTS):  # installed after matplotlib cached its font list
        for path in font_manager.findSystemFonts():
            if any(key in Path(path).name for key in ("NanumGothic", "NotoSansCJK", "NotoSansKR", "UnDotum")):
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
    fallbacks = [f for f in CJK_FONTS if f in installed]
    if fallbacks:  # matplotlib falls back glyph by glyph through this list
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", *fallbacks]
    return plt


def save_figure(fig, path: str | Path, title: str = "", ax=None) -> Path:
    """Title (on ``ax``, else the figure's first axes), lay out, write the PNG and free the figure."""
    if title:
        (ax or fig.axes[0]).set_title(title)
    fig.tight_layout()
    p = Path(path)
    fig.savefig(p, dpi=110)
    pyplot().close(fig)
    return p


def confusion_matrix_png(
    matrix: Sequence[Sequence[int]], labels: Sequence[str], path: str | Path, title: str = ""
) -> Path:
    """A counts heat map with row-normalised colours (true rows, predicted columns)."""
    plt = pyplot()
    cm = np.asarray(matrix, dtype=float)
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    size = 1.0 + 0.9 * len(labels)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    im = ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, int(cm[i, j]), ha="center", va="center",
                    color="white" if norm[i, j] > 0.5 else "black", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.046, label="share of true row")
    return save_figure(fig, path, title, ax)


def roc_curves_png(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: str | Path, title: str = "",
                   max_fpr: float | None = None) -> Path:
    """ROC curves, one per named (labels, scores) pair; a shaded band marks the pAUC region."""
    from sklearn.metrics import roc_auc_score, roc_curve

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 5))
    for name, (y, s) in curves.items():
        if len(set(y)) < 2:
            continue
        fpr, tpr, _ = roc_curve(y, s)
        ax.plot(fpr, tpr, lw=1.5, label=f"{name} (AUC {roc_auc_score(y, s):.3f})")
    ax.plot([0, 1], [0, 1], color="gray", lw=0.8, ls="--")
    if max_fpr:
        ax.axvspan(0, max_fpr, color="tab:orange", alpha=0.08, label=f"pAUC region (FPR <= {max_fpr})")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.legend(fontsize=7, loc="lower right")
    return save_figure(fig, path, title, ax)
