"""Tesseract reads a page the tests draw, whichever way up it comes (real tesseract-ocr-kor)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont, ImageOps

from rayscore.tasks.doc_type.ocr import deskew_angle, read_page
from tests.tasks.doc_type.layout import FONT


def _form() -> Image.Image:
    img = Image.new("RGB", (620, 800), "white")
    d = ImageDraw.Draw(img)
    d.text((310, 40), "진단서", font=ImageFont.truetype(FONT, 48), fill="black", anchor="ma")
    small = ImageFont.truetype(FONT, 22)
    fields = ["환자 성명", "주민등록번호", "주소", "병명", "상병코드", "발병일", "진단일", "치료 내용",
              "향후 소견", "발행일", "의료기관 명칭", "의사 성명", "면허번호"]
    for i, field in enumerate(fields):  # a form's table: a row per field, ruled
        y = 140 + 48 * i
        d.line([40, y - 8, 580, y - 8], fill="black", width=1)
        d.text((60, y), field, font=small, fill="black")
        d.text((300, y), "상기와 같음 (별첨 참조)", font=small, fill="black")
    return img


def test_deskew_finds_the_tilt_and_the_quarter_turn():
    page = ImageOps.grayscale(_form())
    for tilt in (0, 9, -13, 96):
        turned = page.rotate(tilt, expand=True, fillcolor=0)
        angle = deskew_angle(np.asarray(turned.resize((turned.size[0] // 2, turned.size[1] // 2)), np.float32))
        assert min(abs(((angle + tilt) % 180) - d) for d in (0, 180)) <= 2, (tilt, angle)


def test_the_title_is_read_on_a_page_turned_tilted_and_mirrored():
    for turn, mirror in ((0, False), (180, False), (90, True), (277, False)):
        img = _form().rotate(turn, expand=True, fillcolor="white")
        img = ImageOps.mirror(img) if mirror else img
        page = read_page(np.asarray(img))
        assert "진단" in page.text.replace(" ", ""), (turn, mirror, page.text[:80])
        assert len(page.readings) == page.tried == 4


def _noisy_boxed_title(seed: int) -> np.ndarray:
    """An admission form whose title is letter-spaced in a box, under heavy sensor noise (as test pages come)."""
    img = Image.new("RGB", (620, 800), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([170, 30, 450, 95], outline="black", width=2)
    d.text((310, 45), "입 퇴 원 확 인 서", font=ImageFont.truetype(FONT, 34), fill="black", anchor="ma")
    small = ImageFont.truetype(FONT, 20)
    for i, field in enumerate(["성명", "주민등록번호", "입원일", "퇴원일", "병명", "진료과", "발행일", "의료기관"]):
        d.line([40, 132 + 48 * i, 580, 132 + 48 * i], fill="black", width=1)
        d.text((60, 140 + 48 * i), field, font=small, fill="black")
        d.text((300, 140 + 48 * i), "2019년 11월 10일", font=small, fill="black")
    noisy = np.asarray(img, np.float32) + np.random.default_rng(seed).normal(0, 40, (800, 620, 1))
    return np.clip(noisy, 0, 255).astype(np.uint8)


def test_the_title_band_is_read_again_as_a_block():
    """On these pages the whole-page (sparse text) reading loses the spaced title in the noise; the
    top of the kept view, read again as one block, finds it, and it joins the kept reading."""
    for seed in (0, 1):
        rgb = np.asarray(ImageOps.flip(Image.fromarray(_noisy_boxed_title(seed))))  # upside down and mirrored
        page = read_page(rgb)
        assert "퇴원확인" in page.title.replace(" ", ""), page.title
        assert page.mirrored and page.text.endswith(page.title) and page.text in page.readings
        assert read_page(rgb, title=0).title == ""
        # title_views all: every orientation's reading ends with its own band's reading, not the kept one's alone
        every = read_page(rgb, title_views="all")
        assert every.text == page.text and every.text in every.readings
        grown = [a != b and a.startswith(b) for a, b in zip(every.readings, page.readings, strict=True)]
        assert sum(grown) >= 3, grown


def test_a_small_page_photographed_on_a_desk_at_any_tilt_is_levelled_cropped_and_read():
    """A form a third of the photo's width, tilted 35 (beyond the 20 degrees a whole frame is
    levelled by) or 130 degrees and mirrored: focus levels it, crops the desk away and reads the title."""
    from rayscore.tasks.doc_type.ocr import page_views

    form = _form().resize((310, 400))
    for tilt, mirror in ((35, False), (130, True)):
        turned = form.rotate(tilt, expand=True, fillcolor=(90, 60, 40))
        desk = Image.new("RGB", (1000, 800), (90, 60, 40))
        desk.paste(ImageOps.mirror(turned) if mirror else turned, (300, 150))
        rgb = np.asarray(desk)
        candidates, views = page_views(rgb, page="focus")
        w, h = views[0].size
        assert 0.6 < w / h < 0.95, views[0].size  # the upright portrait page, not the landscape photo
        assert len({round(a % 180) for a, _ in candidates}) == 1 and len(candidates) == len(views) == 4
        page = read_page(rgb, page="focus")
        assert "진단" in page.text.replace(" ", ""), (tilt, mirror, page.text[:80])
        assert page.mirrored == mirror, (tilt, page.rotation, page.mirrored)


def _on_a_grid_desk(form: Image.Image, tilt: float, at: tuple[int, int]) -> np.ndarray:
    """A photo of ``form`` turned by ``tilt`` on a blue desk ruled every 36 px (its lines are ink too)."""
    desk = Image.new("RGB", (1000, 800), (40, 70, 120))
    d = ImageDraw.Draw(desk)
    for x in range(0, 1000, 36):
        d.line([x, 0, x, 800], fill=(15, 30, 60), width=2)
    for y in range(0, 800, 36):
        d.line([0, y, 1000, y], fill=(15, 30, 60), width=2)
    turned = form.convert("RGBA").rotate(tilt, expand=True, resample=Image.Resampling.BICUBIC)
    desk.paste(turned, at, turned)
    return np.asarray(desk)


def test_on_a_ruled_desk_only_the_sheet_is_levelled_and_read():
    """A desk's own lines level and frame the desk, not the page, unless the sheet is found first:
    the bright, paper-shaped region is levelled and cropped to its print, and its title is read."""
    from rayscore.tasks.doc_type.ocr import _small, page_region, page_views

    form = _form().resize((372, 480))
    for tilt in (12, -25):
        rgb = _on_a_grid_desk(form, tilt, (300, 120))
        sheet = page_region(_small(Image.fromarray(rgb).convert("L")))
        assert sheet is not None and 0.12 < sheet.mean() < 0.35, None if sheet is None else sheet.mean()
        candidates, views = page_views(rgb, page="focus")
        off = (candidates[0][0] + tilt) % 180  # levelled: turned back by the tilt, or by it and 180
        assert min(off, 180 - off) <= 3, (tilt, candidates[0])
        w, h = views[0].size
        assert 0.6 < w / h < 0.95, views[0].size  # the portrait sheet, not the desk
        page = read_page(rgb, page="focus")
        assert "진단" in page.text.replace(" ", ""), (tilt, page.text[:80])
    assert page_region(_small(ImageOps.grayscale(_form()))) is None  # a scan that fills the frame: read whole
    for grey in (255, 0):  # a blank or black page has no sheet, and is still read (as nothing)
        assert page_region(np.full((200, 150), grey, np.float32)) is None
        assert len(page_views(np.full((400, 300, 3), grey, np.uint8), page="focus")[1]) == 4


def test_the_image_half_also_frames_the_sheet_not_the_ruled_desk():
    """vision.focus (the descriptors' page) finds the same sheet: levelled and cropped to the
    portrait form, not to the landscape desk whose grid is ink everywhere."""
    from rayscore.tasks.doc_type.vision import focus

    form = _form().resize((372, 480))
    for tilt in (12, -25):
        h, w = focus(_on_a_grid_desk(form, tilt, (300, 120))).shape[:2]
        assert 0.6 < w / h < 0.95 and h < 600, (tilt, w, h)  # the sheet is ~490 px tall once levelled
    h, w = focus(np.asarray(_form())).shape[:2]  # a scan that fills the frame: cropped to its print as before
    assert 0.6 < w / h < 0.9, (w, h)


def test_a_batch_of_pages_read_two_at_a_time_keeps_each_failure_with_its_page(monkeypatch, tmp_path):
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type import ocr
    from rayscore.tasks.doc_type.stages import ocr_stage

    paths = [tmp_path / "form.png", tmp_path / "broken.png", tmp_path / "mirror.png", tmp_path / "crash.png"]
    _form().save(paths[0])
    paths[1].write_bytes(b"\x89PNG not really")
    ImageOps.mirror(_form()).save(paths[2])
    Image.new("RGB", (400, 300), "white").save(paths[3])
    cfg = get_task("doc_type").load_config(overrides=["ocr.workers=2", "ocr.orientations=none"])
    real = ocr.run_tesseract

    def watched(views, *args):  # the blank page's tesseract dies
        if np.asarray(views[0]).min() == 255:
            raise ocr.RowError("tesseract crashed", stage="ocr")
        return real(views, *args)

    monkeypatch.setattr(ocr, "run_tesseract", watched)
    batch = ocr_stage({"id": np.arange(4), "path": np.array([str(p) for p in paths], dtype=object)}, cfg)
    assert "진단" in batch["text"][0].replace(" ", "") and batch["text"][0] != batch["text"][2]
    assert [bool(e) for e in batch["error"]] == [False, True, False, True]
    assert "crashed" in batch["error"][3] and batch["error_stage"][3] == "ocr"


def test_pages_read_several_to_a_process_get_their_own_readings(tmp_path):
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.stages import ocr_stage

    forms = [_form(), ImageOps.mirror(_form()), _form().rotate(180), ImageOps.flip(_form()), _form()]
    paths = []
    for i, img in enumerate(forms):
        paths.append(tmp_path / f"{i}.png")
        img.save(paths[-1])
    cfg = get_task("doc_type").load_config(overrides=["ocr.workers=1", "ocr.orientations=none"])
    batch = ocr_stage({"id": np.arange(5), "path": np.array([str(p) for p in paths], dtype=object)}, cfg)
    alone = [read_page(np.asarray(img), orientations="none").text for img in forms]  # runs of 4 and 1 pages
    assert list(batch["text"]) == alone and alone[0] != alone[1]


def test_the_scoring_page_stage_gives_what_the_two_encoder_stages_give(tmp_path):
    """Scoring decodes each page once and describes it while tesseract reads it; training caches
    descriptors and readings apart. Both must give a model the same features, and a broken file
    is one error row, the rest read."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.stages import describe_stage, ocr_stage, page_stage

    paths = [tmp_path / "form.png", tmp_path / "broken.png", tmp_path / "mirror.png"]
    _form().save(paths[0])
    paths[1].write_bytes(b"\x89PNG not really")
    ImageOps.mirror(_form()).save(paths[2])
    cfg = get_task("doc_type").load_config(overrides=["ocr.workers=2", "ocr.orientations=none"])

    def batch() -> dict:
        return {"id": np.arange(3), "path": np.array([str(p) for p in paths], dtype=object)}

    merged = page_stage(batch(), cfg)
    apart = ocr_stage(describe_stage(batch(), cfg), cfg)
    assert [bool(e) for e in merged["error"]] == [bool(e) for e in apart["error"]] == [False, True, False]
    assert "cannot decode" in merged["error"][1] or "not an image" in merged["error"][1]
    for col in ("text", "ocr_readings"):
        assert list(merged[col]) == list(apart[col]), col
    assert all(np.array_equal(a, b) for a, b in zip(merged["emb_thumb"], apart["emb_thumb"], strict=True))
    for a, b in zip(merged["emb_vision"], apart["emb_vision"], strict=True):  # scoring: the page's own views
        assert np.array_equal(a, b[:len(a)]) and len(b) == len(a) * (1 + cfg.vision.corrupted_copies)


def test_training_pages_are_also_read_as_corrupted_copies(tmp_path):
    """Only a page a model may train on (labelled, not of the test split) pays for the extra reading."""
    from rayscore.tasks import get_task
    from rayscore.tasks.doc_type.model import degraded_readings
    from rayscore.tasks.doc_type.stages import READING_SEP, ocr_stage

    path = tmp_path / "form.png"
    _form().save(path)
    cfg = get_task("doc_type").load_config(overrides=["ocr.workers=1", "ocr.training_copies=2"])
    batch = ocr_stage({"id": np.arange(3), "path": np.array([str(path)] * 3, dtype=object),
                       "label": np.array(["diagnosis", "diagnosis", None], dtype=object),
                       "split": np.array(["train", "test", "train"], dtype=object)}, cfg)
    texts, owner = degraded_readings(pd.DataFrame({"ocr_degraded": batch["ocr_degraded"]}))
    assert list(owner) == [0, 0] and all(t != batch["text"][0] for t in texts)  # two copies, read differently
    assert batch["ocr_degraded"][1] == batch["ocr_degraded"][2] == ""
    # the first copy's reading of every orientation tried, its kept one among them
    assert texts[0] in batch["ocr_degraded_readings"][0].split(READING_SEP)
    assert batch["ocr_degraded_readings"][1] == batch["ocr_degraded_readings"][2] == ""
    assert batch["text"][0] == batch["text"][1] == batch["text"][2]  # the page itself reads the same


def test_a_blank_bright_stretch_of_a_scan_is_not_taken_for_the_sheet():
    """A scan that fills the frame, printed on its top third (greyer paper) with a brighter blank
    stretch below: that stretch looks like a sheet on a desk but holds none of the ink. Levelled on
    it, the page was turned by whatever angle came first (45 degrees); the whole frame's ink levels it."""
    from rayscore.tasks.doc_type.ocr import _small, page_region, page_views, sheet_ink
    from rayscore.tasks.doc_type.vision import focus

    printed = np.asarray(_form().crop((0, 0, 620, 500)), np.float32) * (215 / 255)
    scan = np.full((1400, 620, 3), 248, np.uint8)
    scan[:500] = printed.astype(np.uint8)
    for turn in (90, 0):
        img = Image.fromarray(scan).rotate(turn, expand=True)
        small = _small(img.convert("L"))
        assert page_region(small) is not None  # the blank stretch is found as a "sheet" ...
        assert np.count_nonzero(sheet_ink(small)) > 1000  # ... but the ink counted is the page's
        assert page_views(np.asarray(img))[0][0] == (float(turn), False)
        h, w = focus(np.asarray(img)).shape[:2]
        # the image half frames the printed part, quarter turn kept (the views see every turn)
        assert max(h, w) < 700 and (w > h) == (turn == 0), (turn, w, h)
