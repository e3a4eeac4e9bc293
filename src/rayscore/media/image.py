"""Image decoding and model-input preparation shared by every image workload.

:func:`load_image` turns JPEG / PNG / WebP / TIFF / BMP (a path or uploaded bytes)
into an RGB ``uint8`` array the right way up (EXIF orientation applied), or raises
:class:`ImageError` with a reason a user can act on: empty, not an image,
truncated, zero-size, or so large it looks like a decompression bomb.

:func:`resolve_data_config` resolves input size, mean/std, interpolation and crop
the way timm's ``resolve_data_config`` does (explicit arguments > the model's
pretrained config > defaults), without building the model; :func:`prepare` applies
timm's evaluation transform (resize the shorter side to ``size / crop_pct``,
centre-crop, normalise) in numpy, so batch scoring and serving share it.

Example:
    >>> dc = resolve_data_config("convnext_tiny", input_size=224)
    >>> dc.input_size, dc.interpolation
    ((3, 224, 224), 'bicubic')
"""

from __future__ import annotations

import io
import math
import os
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field

from rayscore.config import StrictModel
from rayscore.errors import RowError

ImageSource = str | os.PathLike | bytes
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class ImageError(RowError):
    """The image cannot be used; the message says why."""


class ImageLoadConfig(StrictModel):
    max_pixels: int = Field(80_000_000, ge=1, description="Images with more pixels are refused (decompression "
                                                          "bombs; a 10k x 8k scan is 80 Mpx).")


class DataConfig(StrictModel):
    """What a model expects (timm's data config)."""

    input_size: tuple[int, int, int] = (3, 224, 224)
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    interpolation: Literal["bicubic", "bilinear", "nearest", "lanczos"] = "bicubic"
    crop_pct: float = Field(0.875, gt=0, le=1)
    crop_mode: Literal["center", "squash"] = "center"


def load_image(source: ImageSource, cfg: ImageLoadConfig | None = None) -> np.ndarray:
    """Decode to an (H, W, 3) uint8 RGB array, EXIF orientation applied."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    cfg = cfg or ImageLoadConfig()
    if isinstance(source, (bytes, bytearray)):
        if not source:
            raise ImageError("empty upload (0 bytes)")
        handle: object = io.BytesIO(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise ImageError(f"file not found: {path}")
        if path.stat().st_size == 0:
            raise ImageError("empty file (0 bytes)")
        handle = str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(handle) as img:
                w, h = img.size
                if w == 0 or h == 0:
                    raise ImageError(f"zero-size image ({w}x{h})")
                if w * h > cfg.max_pixels:
                    raise ImageError(f"image too large: {w}x{h} = {w * h} pixels > max_pixels {cfg.max_pixels} "
                                     "(a decompression bomb, or raise image.max_pixels)")
                img.load()  # decode now: a truncated file fails here, not later
                img = ImageOps.exif_transpose(img)
                return np.asarray(_rgb(img), dtype=np.uint8)
    except ImageError:
        raise
    except UnidentifiedImageError:
        raise ImageError("not an image (no decoder recognises it)", kind="unsupported") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"image too large (decompression bomb guard): {exc}") from None
    except OSError as exc:
        raise ImageError(f"cannot decode image: {' '.join(str(exc).split())}") from None


def _rgb(img):
    """RGB whatever came in: palettes and greyscale converted, transparency over white, 16-bit scaled."""
    from PIL import Image

    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if img.mode in ("I;16", "I;16B", "I"):
        arr = np.asarray(img, dtype=np.float64)
        arr = (arr - arr.min()) / max(arr.max() - arr.min(), 1e-9) * 255
        return Image.fromarray(arr.astype(np.uint8)).convert("RGB")
    return img.convert("RGB")


def resolve_data_config(model_name: str | None = None, input_size: int | str = "auto",
                        pretrained_cfg: dict | None = None, **overrides) -> DataConfig:
    """timm's resolution order: explicit ``overrides`` > the model's pretrained config > defaults.

    ``input_size``: an int (square), ``"auto"`` (the pretrained config's ``input_size``) or
    ``"auto-long"`` (its ``test_input_size`` when larger: the size it was evaluated at).
    """
    cfg = dict(pretrained_cfg or {})
    if not cfg and model_name:
        import timm

        pc = timm.models.get_pretrained_cfg(model_name.split(":", 1)[-1].removeprefix("hf-hub:"))
        cfg = pc.to_dict() if pc is not None else {}
    out = DataConfig().model_dump()
    for key in ("mean", "std", "interpolation", "crop_pct", "crop_mode"):
        if cfg.get(key) is not None:
            out[key] = tuple(cfg[key]) if isinstance(cfg[key], (list, tuple)) else cfg[key]
    size = tuple(cfg.get("input_size") or out["input_size"])
    if input_size == "auto-long" and cfg.get("test_input_size"):
        test = tuple(cfg["test_input_size"])
        size = test if test[-1] > size[-1] else size
    elif isinstance(input_size, int) or (isinstance(input_size, str) and input_size.isdigit()):
        size = (3, int(input_size), int(input_size))
    out["input_size"] = size
    if out["crop_mode"] not in ("center", "squash"):
        out["crop_mode"] = "center"
    if out["interpolation"] not in ("bicubic", "bilinear", "nearest", "lanczos"):
        out["interpolation"] = "bicubic"
    out.update(overrides)
    return DataConfig.model_validate(out)


def resampling(interpolation: str):
    """PIL's resampling filter for timm's interpolation name."""
    from PIL import Image

    return {"bicubic": Image.Resampling.BICUBIC, "bilinear": Image.Resampling.BILINEAR,
            "nearest": Image.Resampling.NEAREST, "lanczos": Image.Resampling.LANCZOS}[interpolation]


def prepare(rgb: np.ndarray, dc: DataConfig) -> np.ndarray:
    """timm's evaluation transform in numpy: (3, H, W) float32, normalised."""
    from PIL import Image

    _, h, w = dc.input_size
    img = Image.fromarray(rgb)
    method = resampling(dc.interpolation)
    if dc.crop_mode == "squash":
        img = img.resize((int(math.floor(w / dc.crop_pct)), int(math.floor(h / dc.crop_pct))), method)
    else:  # the shorter side to size / crop_pct, keeping the aspect ratio
        scale = math.floor(min(h, w) / dc.crop_pct)
        iw, ih = img.size
        if iw <= ih:
            img = img.resize((scale, int(scale * ih / iw)), method)
        else:
            img = img.resize((int(scale * iw / ih), scale), method)
    iw, ih = img.size
    left, top = int(round((iw - w) / 2.0)), int(round((ih - h) / 2.0))
    arr = np.asarray(img.crop((left, top, left + w, top + h)), dtype=np.float32) / 255.0
    arr = (arr - np.asarray(dc.mean, np.float32)) / np.asarray(dc.std, np.float32)
    return np.ascontiguousarray(arr.transpose(2, 0, 1))


def decode_stage(batch, load: ImageLoadConfig, data: DataConfig, column: str = "_pixels"):
    """Ray Data stage: decode + prepare each row's image (tasks); failures are error rows with reasons."""
    from rayscore.pipeline.stage import map_rows, media_of

    empty = np.zeros((0,), np.float32)
    return map_rows(batch, "decode", lambda row: {column: prepare(load_image(media_of(row), load), data)},
                    {column: empty})
