"""Tesseract reads a page the tests draw, whichever way up it comes (real tesseract-ocr-kor)."""

from __future__ import annotations

import numpy as np
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


def test_a_batch_of_pages_is_shared_by_processes_and_a_failure_stays_with_its_pages(monkeypatch):
    from rayscore.tasks.doc_type import ocr

    form = np.asarray(_form())
    pages = [ocr.page_views(form, orientations="none"), ([(0.0, False)], []),
             ocr.page_views(np.asarray(ImageOps.mirror(_form())), orientations="none")]
    out = ocr.read_views(pages, "kor", 11, 60.0, workers=2)
    assert "진단" in out[0][0][0].replace(" ", "") and out[1] == [] and len(out[2]) == 1
    assert out[0][0][0] != out[2][0][0]  # each page its own reading, in order

    real = ocr._run

    def flaky(views, *args):  # the second process dies
        if any(v.size == pages[2][1][0].size and np.array_equal(np.asarray(v), np.asarray(pages[2][1][0]))
               for v in views):
            raise ocr.RowError("tesseract crashed", stage="ocr")
        return real(views, *args)

    monkeypatch.setattr(ocr, "_run", flaky)
    out = ocr.read_views(pages, "kor", 11, 60.0, workers=2)
    assert isinstance(out[2], Exception) and not isinstance(out[0], Exception)
