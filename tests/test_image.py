"""Image decoding as photos and scans come (formats, EXIF orientation, odd modes), every way a file
can be unusable, and timm's data config and evaluation transform reproduced without timm at run time."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from rayscore.media.image import (
    DataConfig,
    ImageError,
    ImageLoadConfig,
    load_image,
    prepare,
    resolve_data_config,
)


def _photo(w: int = 64, h: int = 48) -> Image.Image:
    x = np.linspace(0, 255, w, dtype=np.uint8)[None, :].repeat(h, 0)
    return Image.fromarray(np.stack([x, x[::-1], np.full_like(x, 90)], -1))


@pytest.mark.parametrize("fmt,ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("TIFF", "tif"), ("BMP", "bmp")])
def test_formats_decode_to_rgb(tmp_path: Path, fmt, ext):
    path = tmp_path / f"a.{ext}"
    _photo().save(path, fmt)
    arr = load_image(path)
    assert arr.shape == (48, 64, 3) and arr.dtype == np.uint8
    assert np.array_equal(load_image(path.read_bytes()), arr)  # an upload decodes like the file


def test_exif_orientation_is_applied(tmp_path: Path):
    img = _photo(64, 48)
    exif = img.getexif()
    exif[0x0112] = 6  # "rotate 90 CW to display": a phone photo taken upright
    img.save(tmp_path / "phone.jpg", exif=exif)
    assert load_image(tmp_path / "phone.jpg").shape == (64, 48, 3)


def test_odd_modes_become_rgb(tmp_path: Path):
    rgba = Image.new("RGBA", (10, 10), (255, 0, 0, 0))  # fully transparent red: white after compositing
    rgba.save(tmp_path / "t.png")
    assert (load_image(tmp_path / "t.png") == 255).all()
    Image.new("L", (10, 10), 7).save(tmp_path / "g.png")
    assert load_image(tmp_path / "g.png").shape == (10, 10, 3)
    Image.fromarray(np.arange(100, dtype=np.uint16).reshape(10, 10) * 600).save(tmp_path / "d16.png")
    assert load_image(tmp_path / "d16.png").max() == 255
    _photo().convert("P").save(tmp_path / "p.gif")
    assert load_image(tmp_path / "p.gif").shape == (48, 64, 3)


def test_every_unusable_image_says_why(tmp_path: Path):
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "text.png").write_text("not an image at all\n" * 10)
    buf = io.BytesIO()
    _photo(200, 200).save(buf, "JPEG")
    (tmp_path / "cut.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 3])
    Image.new("1", (4000, 3000)).save(tmp_path / "huge.png")  # tiny file, 12 Mpx
    cases = {"empty.jpg": "empty file", "text.png": "not an image", "cut.jpg": "truncated",
             "huge.png": "image too large", "missing.png": "file not found"}
    for name, reason in cases.items():
        with pytest.raises(ImageError, match=reason):
            load_image(tmp_path / name, ImageLoadConfig(max_pixels=10_000_000))
    with pytest.raises(ImageError, match="empty upload"):
        load_image(b"")


def test_data_config_resolves_like_timm():
    import timm
    from timm.data import resolve_data_config as timm_resolve

    for name in ("convnext_tiny", "vit_base_patch14_dinov2", "efficientnet_b0"):
        ours = resolve_data_config(name)
        theirs = timm_resolve(pretrained_cfg=timm.models.get_pretrained_cfg(name).to_dict())
        assert ours.input_size == tuple(theirs["input_size"]) and ours.interpolation == theirs["interpolation"]
        assert np.allclose(ours.mean, theirs["mean"]) and ours.crop_pct == pytest.approx(theirs["crop_pct"])
    assert resolve_data_config("convnext_tiny", input_size=288).input_size == (3, 288, 288)
    long = resolve_data_config("convnext_tiny", input_size="auto-long")  # evaluated at 288
    assert long.input_size[-1] >= resolve_data_config("convnext_tiny").input_size[-1]


def test_prepare_matches_timms_eval_transform():
    from timm.data import create_transform

    rgb = np.asarray(_photo(300, 200))
    dc = DataConfig(input_size=(3, 96, 96), crop_pct=0.9, interpolation="bilinear")
    theirs = create_transform(input_size=dc.input_size, interpolation=dc.interpolation, mean=dc.mean, std=dc.std,
                              crop_pct=dc.crop_pct, crop_mode=dc.crop_mode)(Image.fromarray(rgb)).numpy()
    ours = prepare(rgb, dc)
    assert ours.shape == theirs.shape == (3, 96, 96)
    assert np.abs(ours - theirs).mean() < 0.02  # Pillow vs torchvision resampling: the same picture


def test_the_ray_data_stage_keeps_every_row(tmp_path: Path):
    import pandas as pd

    from rayscore.media.image import decode_stage
    from rayscore.pipeline.runner import run_stages
    from rayscore.pipeline.stage import Stage

    _photo().save(tmp_path / "ok.png")
    (tmp_path / "bad.png").write_text("nope")
    frame = pd.DataFrame({"id": ["ok", "bad"], "path": [str(tmp_path / "ok.png"), str(tmp_path / "bad.png")]})
    dc = DataConfig(input_size=(3, 32, 32))
    out = run_stages(frame, [Stage("decode", decode_stage, {"load": ImageLoadConfig(), "data": dc})], "local")
    ok, bad = out.set_index("id").loc["ok"], out.set_index("id").loc["bad"]
    assert ok["_pixels"].reshape(dc.input_size).shape == (3, 32, 32) and not isinstance(ok["error"], str)
    assert "not an image" in bad["error"]
