"""The seed's augmentation, per class group, as batched torch ops (on the GPU when training there).

Three families (``classes.GROUP``): documents (affine, 90-degree turns, colour shift,
contrast, downscale, noise, and a faint page overlaid from the pool or from itself),
ID cards / passports (affine, colour jitter, noise: OCR-like damage) and car photos
(affine, contrast, blur, noise: glare). Rows of minority classes get the heavy variant
(stronger affine and noise, overlay more often) with probability ``heavy_prob``. Every
row may also turn by 90/180/270 degrees and flip, as the competition's test images do.

Beside them: the fixed "robust" validation copies (noise, JPEG, downscale; the same
copy for the same image every time) and the stage-2 restoration presets (deskew,
denoise, contrast) applied to decoded images before re-scoring uncertain ones.

Example:
    >>> import torch
    >>> x = torch.rand(4, 3, 32, 32)
    >>> from rayscore.tasks.doc_type.config import AugmentConfig
    >>> augment(x, torch.tensor([0, 1, 2, 0]), torch.tensor([0, 0, 1, 1]).bool(), AugmentConfig()).shape
    torch.Size([4, 3, 32, 32])
"""

from __future__ import annotations

import io
import math

import numpy as np
import torch
import torch.nn.functional as F

from rayscore.tasks.doc_type.config import AugmentConfig

GROUPS = ("DOC", "ID", "CAR")
# base magnitudes per group: rotation (deg), scale jitter, shift, colour, contrast, blur prob, noise sigma,
# downscale prob
_BASE = {"DOC": (6, 0.08, 0.04, 0.05, 0.15, 0.1, 0.03, 0.3),
         "ID": (10, 0.10, 0.06, 0.15, 0.20, 0.2, 0.04, 0.2),
         "CAR": (12, 0.12, 0.06, 0.10, 0.30, 0.3, 0.05, 0.2)}


def minority_classes(counts: np.ndarray, share: float) -> np.ndarray:
    present = counts[counts > 0]
    return (counts > 0) & (counts < share * (np.median(present) if len(present) else 0))


def _dihedral(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    ks = torch.randint(0, 8, (len(x),), generator=gen).tolist()
    out = [torch.rot90(img, k % 4, dims=(1, 2)) for img, k in zip(x, ks, strict=True)]
    out = [o.flip(2) if k >= 4 else o for o, k in zip(out, ks, strict=True)]
    if any(o.shape != x.shape[1:] for o in out):  # non-square inputs: squash quarter turns back
        out = [F.interpolate(o[None], size=x.shape[2:], mode="bilinear", align_corners=False)[0] for o in out]
    return torch.stack(out)


def augment(x: torch.Tensor, group: torch.Tensor, heavy: torch.Tensor, cfg: AugmentConfig,
            gen: torch.Generator | None = None) -> torch.Tensor:
    """Augmented copies of ``x`` ((B, 3, H, W) floats in [0, 1]); ``group`` indexes :data:`GROUPS`."""
    if cfg.strength == 0:
        return x
    gen = gen or torch.Generator().manual_seed(int(torch.randint(0, 2**31 - 1, (1,))))
    b, dev = len(x), x.device

    def u(lo: float = -1.0, hi: float = 1.0) -> torch.Tensor:
        return (lo + (hi - lo) * torch.rand(b, generator=gen)).to(dev)

    mags = torch.tensor([_BASE[g] for g in GROUPS], dtype=torch.float32)[group.cpu()].to(dev)
    mags = mags * cfg.strength * torch.where(heavy, 2.0, 1.0).to(dev)[:, None]
    rot, scale, shift, colour, contrast, blur_p, noise, down_p = mags.T
    # affine: rotation, scale, shift; the border is repeated (a page's margin, a desk)
    angle = u() * rot * math.pi / 180
    s = 1 + u() * scale
    theta = torch.zeros(b, 2, 3, device=dev)
    theta[:, 0, 0], theta[:, 0, 1] = torch.cos(angle) / s, -torch.sin(angle) / s
    theta[:, 1, 0], theta[:, 1, 1] = torch.sin(angle) / s, torch.cos(angle) / s
    theta[:, 0, 2], theta[:, 1, 2] = u() * shift * 2, u() * shift * 2
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    # colour (per-channel gain), brightness and contrast
    gain = 1 + (torch.rand(b, 3, generator=gen).to(dev) * 2 - 1) * colour[:, None]
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    c = (1 + u() * contrast)[:, None, None, None]
    x = ((x - mean) * c + mean) * gain[:, :, None, None] * (1 + u() * contrast / 2)[:, None, None, None]
    # overlay: a faint page from the pool (another document of the batch) or from the row itself
    is_doc = (group == 0).to(dev)
    over = is_doc & (u(0, 1) < cfg.overlay_prob * torch.where(heavy, 2.0, 1.0).to(dev))
    if over.any():
        pool = x[torch.randperm(b, generator=gen).to(dev)]
        own = x.flip(3)
        source = torch.where((u(0, 1) < cfg.overlay_self)[:, None, None, None], own, pool)
        alpha = (u(0.08, 0.3) * over)[:, None, None, None]
        x = (1 - alpha) * x + alpha * source
    # blur (3x3 Gaussian), downscale and back, noise
    blurred = F.avg_pool2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), 3, stride=1)
    x = torch.where((u(0, 1) < blur_p)[:, None, None, None], blurred, x)
    h, w = x.shape[2:]
    small = F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=False, antialias=True)
    x = torch.where((u(0, 1) < down_p)[:, None, None, None],
                    F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False), x)
    x = x + torch.randn(x.shape, generator=gen).to(dev) * (noise * u(0, 1))[:, None, None, None]
    x = x.clamp(0, 1)
    return _dihedral(x, gen) if cfg.dihedral else x


def robust_copy(rgb: np.ndarray, seed: int) -> np.ndarray:
    """The fixed degraded copy of an image: downscaled by half and back, noise, JPEG quality 40."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    img = Image.fromarray(rgb)
    w, h = img.size
    img = img.resize((max(1, w // 2), max(1, h // 2)), Image.Resampling.BILINEAR).resize((w, h), Image.Resampling.BILINEAR)
    arr = np.asarray(img, np.float32) + rng.normal(0, 8, (h, w, 3))
    buf = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(buf, format="JPEG", quality=40)
    return np.asarray(Image.open(buf).convert("RGB"))
