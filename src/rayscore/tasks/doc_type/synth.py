"""Korean document images of the 17 types, written in the competition's layout.

What makes it hard in the ways the real set is: the medical forms share almost every
field and differ mostly by title (and a title's spacing varies by issuer); fields
that hint at another class appear on purpose (a diagnosis has an "opinion" line);
pages are photographed (tilt, shadow, a background around the page, uneven
light); a few training labels are wrong; and the test copies are corrupted as the
competition's were (rotations 90/180/270, flips, blur, noise, JPEG, brightness,
crops) while the training copies stay mostly clean.

Example:
    >>> write_competition("corpus/", n_train=170, n_test=170, seed=0)   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np

from rayscore.tasks.doc_type.classes import CLASSES, FIELDS, GROUP, MEDICAL_FIELDS, TITLES

FONT_DIRS = ("/usr/share/fonts/truetype/nanum", "/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
_GIVEN = "민서지현우준하윤도연수아예진성호영태은혜경"
_BANKS = ("국민은행", "신한은행", "우리은행", "하나은행", "농협은행", "기업은행", "카카오뱅크", "우체국")
_HOSPITALS = ("서울", "한빛", "연세", "성모", "중앙", "새봄", "미래", "행복", "바른", "열린")
_DISEASES = ("급성 기관지염", "요추 염좌", "위염", "고혈압", "당뇨병", "골절", "알레르기 비염", "편도염")


def korean_fonts() -> list[str]:
    """TrueType/OpenType fonts with Hangul (fonts-nanum, fonts-noto-cjk)."""
    found = []
    for d in FONT_DIRS:
        p = Path(d)
        if p.is_dir():
            found += sorted(str(f) for f in p.rglob("*") if f.suffix.lower() in (".ttf", ".otf", ".ttc")
                            and ("Nanum" in f.name or "CJK" in f.name) and "Coding" not in f.name)
    if not found:
        raise RuntimeError("no Korean font found: install fonts-nanum (make debs-test does)")
    return found


class _Ink:
    """Drawing helpers bound to one page and one random stream."""

    def __init__(self, img, rng: np.random.Generator, fonts: list[str]) -> None:
        from PIL import ImageDraw

        self.img, self.rng, self.fonts = img, rng, fonts
        self.draw = ImageDraw.Draw(img)
        self.font_path = fonts[rng.integers(len(fonts))]

    def font(self, size: int):
        from PIL import ImageFont

        return ImageFont.truetype(self.font_path, max(8, int(size)))

    def text(self, xy, s: str, size: int, fill=(20, 20, 20), anchor="la") -> None:
        self.draw.text(xy, s, font=self.font(size), fill=fill, anchor=anchor)

    def name(self) -> str:
        r = self.rng
        return _SURNAMES[r.integers(len(_SURNAMES))] + "".join(_GIVEN[i] for i in r.integers(len(_GIVEN), size=2))

    def digits(self, n: int) -> str:
        return "".join(str(d) for d in self.rng.integers(10, size=n))

    def date(self) -> str:
        r = self.rng
        return f"{r.integers(2015, 2025)}. {r.integers(1, 13):02d}. {r.integers(1, 29):02d}."

    def value(self, label: str) -> str:
        r = self.rng
        if "번호" in label:
            return f"{self.digits(6)}-{self.digits(7)}" if "주민" in label else self.digits(int(r.integers(6, 12)))
        if "일" in label or "기간" in label:
            return self.date()
        if "성명" in label or label in ("예금주", "신청인", "소유자", "납입자", "약사", "담당의", "처방 의료인"):
            return self.name()
        if "금액" in label or "부담" in label or "비" in label[-1:] or "료" in label[-1:] or "총액" in label:
            return f"{int(r.integers(1, 900)) * 100:,}원"
        if "병명" in label or "진단" in label:
            return _DISEASES[r.integers(len(_DISEASES))]
        if "은행" in label:
            return _BANKS[r.integers(len(_BANKS))]
        return ["해당 없음", "상기와 같음", "별첨 참조", "-", self.name(), self.date()][r.integers(6)]


def _page(rng: np.random.Generator):
    from PIL import Image

    w = int(rng.integers(520, 700))
    h = int(w * rng.uniform(1.25, 1.45))
    tone = int(rng.integers(232, 256))
    return Image.new("RGB", (w, h), (tone, tone, max(0, tone - int(rng.integers(0, 12)))))


def _document(label: str, rng: np.random.Generator, fonts: list[str]):
    """A form: title, issuer, a table of fields (shared medical fields + the type's own), stamp."""
    img = _page(rng)
    ink = _Ink(img, rng, fonts)
    w, h = img.size
    title = TITLES[label][rng.integers(len(TITLES[label]))]
    tsize = int(w * rng.uniform(0.045, 0.075))
    ink.text((w // 2 + int(rng.integers(-w // 10, w // 10)), int(h * rng.uniform(0.04, 0.09))), title, tsize,
             anchor="ma")
    if rng.random() < 0.5:
        ink.text((int(w * 0.06), int(h * 0.02)), f"[별지 제{rng.integers(1, 40)}호 서식]", int(w * 0.02))
    own = list(FIELDS.get(label, ()))
    shared = list(MEDICAL_FIELDS) if label not in ("account_number", "resume", "vehicle_registration_certificate") \
        else ["성명", "주소", "연락처", "발행일", "비고"]
    # Borrowed fields: forms of other types print some of the same words.
    other = CLASSES[rng.integers(len(CLASSES))]
    borrowed = list(FIELDS.get(other, ()))
    rows = (list(rng.choice(own, size=min(len(own), int(rng.integers(3, len(own) + 1))), replace=False)) if own else [])
    rows += list(rng.choice(shared, size=min(len(shared), int(rng.integers(3, 7))), replace=False))
    if borrowed and rng.random() < 0.35:
        rows.append(borrowed[rng.integers(len(borrowed))])
    rng.shuffle(rows)
    top, bottom = int(h * 0.17), int(h * rng.uniform(0.72, 0.85))
    left, right = int(w * 0.06), int(w * 0.94)
    rh = (bottom - top) / max(len(rows), 1)
    split = int(left + (right - left) * rng.uniform(0.25, 0.38))
    line = tuple(int(v) for v in rng.integers(0, 90, size=3))
    ink.draw.rectangle([left, top, right, bottom], outline=line, width=2)
    fs = int(min(rh * 0.42, w * 0.03))
    for i, field in enumerate(rows):
        y = int(top + i * rh)
        if i:
            ink.draw.line([left, y, right, y], fill=line, width=1)
        ink.text((left + 6, y + rh / 2), field, fs, anchor="lm")
        ink.text((split + 8, y + rh / 2), ink.value(field), fs, anchor="lm", fill=(30, 30, 60))
    ink.draw.line([split, top, split, bottom], fill=line, width=1)
    if GROUP[label] == "DOC" and label == "resume" and rng.random() < 0.8:  # photo box
        ink.draw.rectangle([right - w // 5, int(h * 0.02) + tsize, right, int(h * 0.02) + tsize + w // 4],
                           outline=line, width=2)
    hosp = f"{_HOSPITALS[rng.integers(len(_HOSPITALS))]}{['병원', '의원', '약국', '은행', '주식회사'][rng.integers(5)]}"
    ink.text((w // 2, int(h * 0.9)), f"{ink.date()}  {hosp}", int(w * 0.028), anchor="ma")
    if rng.random() < 0.7:  # a red seal
        cx, cy, r = int(w * rng.uniform(0.65, 0.85)), int(h * rng.uniform(0.86, 0.94)), int(w * 0.045)
        ink.draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(200, 30, 30), width=3)
        ink.text((cx, cy), "인", int(r * 0.9), fill=(200, 30, 30), anchor="mm")
    return img


def _card(label: str, rng: np.random.Generator, fonts: list[str]):
    """An ID card, driver's licence or passport page, photographed on a desk."""
    from PIL import Image

    passport = label == "passport"
    cw = int(rng.integers(420, 560))
    ch = int(cw * (1.42 if passport else 0.63))
    tint = {"national_id_card": (225, 235, 245), "driver_lisence": (235, 228, 215),
            "passport": (232, 226, 238)}[label]
    card = Image.new("RGB", (cw, ch), tuple(int(c + rng.integers(-10, 10)) for c in tint))
    ink = _Ink(card, rng, fonts)
    title = TITLES[label][rng.integers(len(TITLES[label]))]
    ink.text((int(cw * 0.05), int(ch * 0.05)), title, int(cw * 0.065), fill=(20, 30, 90))
    ph = (int(cw * 0.06), int(ch * (0.3 if passport else 0.28)), int(cw * 0.33), int(ch * (0.6 if passport else 0.85)))
    ink.draw.rectangle(ph, fill=tuple(int(v) for v in rng.integers(150, 210, size=3)))
    fx, fy = (ph[0] + ph[2]) // 2, (ph[1] + ph[3]) // 2
    fr = (ph[2] - ph[0]) // 3
    ink.draw.ellipse([fx - fr, fy - fr - fr // 2, fx + fr, fy + fr], fill=(224, 190, 160))
    x0 = int(cw * 0.4)
    lines = [ink.name(), f"{ink.digits(6)}-{ink.digits(7)}", ink.date()]
    if label == "driver_lisence":
        lines = [f"{ink.digits(2)}-{ink.digits(2)}-{ink.digits(6)}-{ink.digits(2)}", "1종 보통", *lines, "적성검사기간"]
    if passport:
        lines = ["Type / 종류  PM", f"Passport No. M{ink.digits(8)}", "Surname / 성  " + "KIM", *lines[:1], ink.date()]
    for i, s in enumerate(lines):
        ink.text((x0, int(ch * (0.25 + 0.13 * i) if not passport else ch * (0.12 + 0.07 * i))), s, int(cw * 0.045))
    if passport:
        mrz = f"PMKOR{ink.name()}<<<<<<<<<<<<<<<<<<<<<<"[:44]
        for i, s in enumerate((mrz, f"M{ink.digits(8)}<KOR{ink.digits(7)}M{ink.digits(7)}<<<<<<<<<<<")):
            ink.text((int(cw * 0.04), int(ch * (0.8 + 0.07 * i))), s, int(cw * 0.038), fill=(10, 10, 10))
    else:
        ink.text((int(cw * 0.45), int(ch * 0.88)), f"{ink.date()} {['서울특별시', '경기도', '부산광역시'][rng.integers(3)]}"
                 f"{'경찰청장' if label == 'driver_lisence' else '청장'}", int(cw * 0.038))
    return _on_desk(card, rng)


def _on_desk(item, rng: np.random.Generator):
    """The item photographed: a background around it, a small tilt."""
    from PIL import Image

    pad = int(max(item.size) * rng.uniform(0.08, 0.3))
    bg = tuple(int(v) for v in rng.integers(40, 200, size=3))
    canvas = Image.new("RGB", (item.size[0] + 2 * pad, item.size[1] + 2 * pad), bg)
    canvas.paste(item, (pad, pad))
    return canvas.rotate(float(rng.uniform(-6, 6)), fillcolor=bg, expand=False)


def _car(label: str, rng: np.random.Generator, fonts: list[str]):
    """A dashboard (gauges, needles, digits, warning lamps) or a number plate on a bumper."""
    from PIL import Image

    w = int(rng.integers(560, 720))
    h = int(w * rng.uniform(0.6, 0.8))
    if label == "car_dashboard":
        img = Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(5, 45, size=3)))
        ink = _Ink(img, rng, fonts)
        for cx in (w * 0.3, w * 0.7):
            r = int(h * rng.uniform(0.22, 0.3))
            cy = int(h * 0.45)
            ink.draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(200, 200, 220), width=3)
            for k in range(9):
                a = np.deg2rad(225 - k * 33.75)
                ink.text((cx + 0.78 * r * np.cos(a), cy - 0.78 * r * np.sin(a)), str(k * 20), int(r * 0.14),
                         fill=(230, 230, 240), anchor="mm")
            a = np.deg2rad(rng.uniform(-30, 210))
            ink.draw.line([cx, cy, cx + 0.85 * r * np.cos(a), cy - 0.85 * r * np.sin(a)], fill=(255, 60, 30), width=4)
        ink.text((w // 2, int(h * 0.82)), f"{ink.digits(5)} km", int(h * 0.06), fill=(120, 220, 255), anchor="mm")
        for _ in range(int(rng.integers(1, 5))):
            x, y = rng.integers(0, w - 20), rng.integers(int(h * 0.75), h - 20)
            ink.draw.rectangle([x, y, x + 16, y + 12], fill=(255, 170, 0))
        return img
    img = Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(30, 220, size=3)))
    ink = _Ink(img, rng, fonts)
    ink.draw.rectangle([0, int(h * 0.55), w, h], fill=tuple(int(v) for v in rng.integers(10, 90, size=3)))
    pw, ph = int(w * rng.uniform(0.5, 0.75)), int(w * 0.14)
    x0, y0 = (w - pw) // 2, int(h * rng.uniform(0.4, 0.6))
    yellow = rng.random() < 0.2
    ink.draw.rectangle([x0, y0, x0 + pw, y0 + ph], fill=(245, 200, 30) if yellow else (245, 245, 245),
                       outline=(20, 20, 20), width=3)
    plate = f"{ink.digits(2 + int(rng.random() < 0.5))}{'가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주하허호'[rng.integers(34)]} {ink.digits(4)}"
    ink.text((x0 + pw // 2, y0 + ph // 2), plate, int(ph * 0.7), anchor="mm")
    return img


def render(label: str, rng: np.random.Generator, fonts: list[str]):
    """One clean image of ``label`` (a PIL image)."""
    kind = GROUP[label]
    if kind == "CAR":
        return _car(label, rng, fonts)
    if kind == "ID":
        return _card(label, rng, fonts)
    page = _document(label, rng, fonts)
    return _on_desk(page, rng) if rng.random() < 0.3 else page


def photograph(img, rng: np.random.Generator, strength: float):
    """Capture effects every copy may have: uneven light, a little blur and noise."""
    from PIL import ImageFilter

    arr = np.asarray(img, dtype=np.float32)
    h, w = arr.shape[:2]
    grad = np.linspace(1 - 0.25 * strength * rng.random(), 1, w)[None, :, None]
    arr = arr * grad * rng.uniform(1 - 0.15 * strength, 1 + 0.1 * strength)
    arr += rng.normal(0, 3 + 6 * strength, arr.shape)
    from PIL import Image

    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(0.3 + strength * rng.random())) if rng.random() < 0.5 else out


def corrupt(img, rng: np.random.Generator):
    """A test copy as the competition made them: rotation, flip, blur, noise, JPEG, light, crop."""
    from PIL import Image, ImageEnhance, ImageFilter

    if rng.random() < 0.75:
        img = img.rotate(int(rng.choice([90, 180, 270])), expand=True)
    if rng.random() < 0.3:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT if rng.random() < 0.5 else Image.Transpose.FLIP_TOP_BOTTOM)
    if rng.random() < 0.4:
        w, h = img.size
        dx, dy = int(w * rng.uniform(0, 0.12)), int(h * rng.uniform(0, 0.12))
        img = img.crop((dx, dy, w - int(w * rng.uniform(0, 0.12)), h - int(h * rng.uniform(0, 0.12))))
    if rng.random() < 0.3:
        img = img.rotate(float(rng.uniform(-15, 15)), expand=True, fillcolor=(0, 0, 0))
    img = ImageEnhance.Brightness(img).enhance(float(rng.uniform(0.6, 1.4)))
    if rng.random() < 0.5:
        img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 2.0))))
    if rng.random() < 0.6:
        arr = np.asarray(img, dtype=np.float32) + rng.normal(0, rng.uniform(5, 25), (img.size[1], img.size[0], 3))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return img


def _image_id(seed: int, split: str, i: int) -> str:
    return hashlib.sha1(f"{seed}/{split}/{i}".encode()).hexdigest()[:16] + ".jpg"


def write_competition(out_dir: str | Path, n_train: int, n_test: int, seed: int, label_noise: float = 0.02,
                      minority: tuple[str, ...] = ("application_for_payment_of_pregnancy_medical_expenses", "resume",
                                                   "statement_of_opinion")) -> Path:
    """Write ``train/``, ``test/``, ``train.csv``, ``meta.csv``, ``sample_submission.csv`` and the
    test answers (``test_answers.csv``, not part of the competition layout) under ``out_dir``.

    Classes are balanced except ``minority`` (half as many, as in the competition's 1, 13, 14).
    """
    fonts = korean_fonts()
    out = Path(out_dir)
    rng = np.random.default_rng(seed)
    weights = np.array([0.5 if c in minority else 1.0 for c in CLASSES])
    weights /= weights.sum()
    for split, n in (("train", n_train), ("test", n_test)):
        (out / split).mkdir(parents=True, exist_ok=True)
        drawn = rng.choice(len(CLASSES), size=max(0, n - len(CLASSES)), p=weights)
        labels = [*CLASSES[:min(n, len(CLASSES))], *(CLASSES[i] for i in drawn)]
        rows = []
        for i, label in enumerate(labels):
            img = photograph(render(label, rng, fonts), rng, 0.3 if split == "train" else 0.8)
            if split == "test":
                img = corrupt(img, rng)
            elif rng.random() < 0.1:  # a few training copies are rotated too, as in the real set
                img = img.rotate(int(rng.choice([90, 180, 270])), expand=True)
            image_id = _image_id(seed, split, i)
            img.save(out / split / image_id, quality=int(rng.integers(55, 95)) if split == "test" else 90)
            shown = label
            if split == "train" and rng.random() < label_noise:
                shown = CLASSES[rng.integers(len(CLASSES))]
            rows.append((image_id, CLASSES.index(shown)))
        order = rng.permutation(len(rows))
        rows = [rows[i] for i in order]
        if split == "train":
            _write_csv(out / "train.csv", ["ID", "target"], rows)
        else:
            _write_csv(out / "test_answers.csv", ["ID", "target"], rows)
            _write_csv(out / "sample_submission.csv", ["ID", "target"], [(r[0], 0) for r in rows])
    _write_csv(out / "meta.csv", ["target", "class_name"], list(enumerate(CLASSES)))
    return out


def _write_csv(path: Path, header: list[str], rows: list) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
