# -*- coding: utf-8 -*-
"""Renderers for the independent document-type generator (17 classes).

Written apart from the project's own generator: nothing here is imported from or
modelled on `rayscore`.  Every renderer takes a `random.Random` (r) and a numpy
Generator (g) and returns an RGB PIL image that already looks like a scan or a
phone photo (paper tint, tilt, background, light).  `RENDERERS[k]` renders class k.

Layout of this file:
  1. fonts and style          4. page / card / scene photo effects
  2. fake data (names, ...)   5. document classes (forms, receipts, cards, ...)
  3. drawing primitives       6. photo-like scenes (dashboard, plate)
"""
from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# --------------------------------------------------------------------------- 1. fonts
_NANUM = "/usr/share/fonts/truetype/nanum/"
_NOTO = "/usr/share/fonts/opentype/noto/"
# (path, ttc index); index 1 of the Noto CJK collections is the Korean face
SANS_PAIRS = [((_NANUM + "NanumGothic.ttf", 0), (_NANUM + "NanumGothicBold.ttf", 0)),
              ((_NANUM + "NanumBarunGothic.ttf", 0), (_NANUM + "NanumBarunGothicBold.ttf", 0)),
              ((_NANUM + "NanumSquareR.ttf", 0), (_NANUM + "NanumSquareB.ttf", 0)),
              ((_NANUM + "NanumSquareRoundR.ttf", 0), (_NANUM + "NanumSquareRoundB.ttf", 0)),
              ((_NOTO + "NotoSansCJK-Regular.ttc", 1), (_NOTO + "NotoSansCJK-Bold.ttc", 1))]
SERIF_PAIRS = [((_NANUM + "NanumMyeongjo.ttf", 0), (_NANUM + "NanumMyeongjoBold.ttf", 0)),
               ((_NOTO + "NotoSerifCJK-Regular.ttc", 1), (_NOTO + "NotoSerifCJK-Bold.ttc", 1))]
MONO_PAIR = ((_NANUM + "NanumGothicCoding.ttf", 0), (_NANUM + "NanumGothicCodingBold.ttf", 0))
HANJA_FONT = (_NOTO + "NotoSansCJK-Regular.ttc", 1)   # Nanum Myeongjo/Coding lack some hanja


def _fc_korean_fonts():
    """Fallback: any Korean-capable font fontconfig knows about."""
    try:
        out = subprocess.run(["fc-list", ":lang=ko", "file"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({ln.split(":")[0].strip() for ln in out.splitlines() if ln.strip()})


def _init_fonts():
    global SANS_PAIRS, SERIF_PAIRS, MONO_PAIR, HANJA_FONT
    ok = lambda pair: all(os.path.exists(p) for p, _ in pair)  # noqa: E731
    SANS_PAIRS = [p for p in SANS_PAIRS if ok(p)]
    SERIF_PAIRS = [p for p in SERIF_PAIRS if ok(p)]
    if not SANS_PAIRS:
        found = _fc_korean_fonts()
        if not found:
            raise RuntimeError("no Korean font found: install fonts-nanum or fonts-noto-cjk")
        SANS_PAIRS = [((f, 1 if f.endswith(".ttc") else 0),) * 2 for f in found]
    SERIF_PAIRS = SERIF_PAIRS or SANS_PAIRS
    if not ok(MONO_PAIR):
        MONO_PAIR = SANS_PAIRS[0]
    if not os.path.exists(HANJA_FONT[0]):
        HANJA_FONT = SANS_PAIRS[0][0]


_init_fonts()


@lru_cache(maxsize=128)   # a Noto CJK face costs ~2 MB per size
def font(spec, size):
    path, idx = spec
    return ImageFont.truetype(path, max(6, int(size)), index=idx)


class Style:
    """Per-document typography and colours."""

    def __init__(self, r, serif=None, size=None):
        serif = r.random() < 0.35 if serif is None else serif
        self.reg, self.bold = r.choice(SERIF_PAIRS if serif else SANS_PAIRS)
        self.size = size or r.randint(12, 15)
        v = r.randint(10, 45)
        self.ink = (v, v, v + r.randint(0, 10))
        v = r.randint(30, 110)
        self.line = (v, v, v)
        self.lw = 1 if r.random() < 0.8 else 2
        self.shade = r.choice([None, (235, 235, 235), (242, 242, 242), (228, 235, 245), (238, 245, 232), (250, 240, 228)])

    def font(self, size=None, bold=False):
        return font(self.bold if bold else self.reg, size or self.size)


# --------------------------------------------------------------------------- 2. fake data
SUR = {"김": "KIM", "이": "LEE", "박": "PARK", "최": "CHOI", "정": "JUNG", "강": "KANG", "조": "CHO",
       "윤": "YOON", "장": "JANG", "임": "LIM", "한": "HAN", "오": "OH", "서": "SEO", "신": "SHIN",
       "권": "KWON", "황": "HWANG", "안": "AHN", "송": "SONG", "류": "RYU", "홍": "HONG", "전": "JEON",
       "고": "KO", "문": "MOON", "손": "SON", "양": "YANG", "배": "BAE", "백": "BAEK", "허": "HEO",
       "남": "NAM", "심": "SIM", "노": "NOH", "하": "HA", "곽": "KWAK", "성": "SUNG", "차": "CHA"}
SUR_HANJA = dict(zip("김이박최정강조윤장임한오서신권황안송류홍", "金李朴崔鄭姜趙尹張林韓吳徐申權黃安宋柳洪", strict=True))
GIV = {"민": "MIN", "서": "SEO", "준": "JUN", "지": "JI", "현": "HYUN", "우": "WOO", "수": "SU",
       "영": "YOUNG", "하": "HA", "은": "EUN", "도": "DO", "재": "JAE", "성": "SEONG", "진": "JIN",
       "희": "HEE", "경": "KYUNG", "태": "TAE", "윤": "YUN", "예": "YE", "주": "JU", "혁": "HYEOK",
       "유": "YU", "승": "SEUNG", "아": "A", "연": "YEON", "호": "HO", "채": "CHAE", "규": "GYU",
       "소": "SO", "훈": "HOON", "혜": "HYE", "석": "SEOK", "빈": "BIN", "율": "YUL", "원": "WON",
       "나": "NA", "건": "GEON", "찬": "CHAN", "미": "MI", "인": "IN", "선": "SUN", "동": "DONG"}
GIV_HANJA = "民瑞俊智賢宇秀英河恩道在成振熙京泰允藝周赫有承娥延浩采圭素勳惠錫彬律元娜建燦美仁善東"
SIDO = [("서울특별시", ["강남구", "서초구", "송파구", "마포구", "종로구", "노원구", "관악구", "영등포구", "강서구"]),
        ("부산광역시", ["해운대구", "수영구", "부산진구", "동래구"]), ("대구광역시", ["수성구", "달서구"]),
        ("인천광역시", ["연수구", "남동구", "부평구"]), ("광주광역시", ["서구", "북구"]), ("대전광역시", ["유성구", "서구"]),
        ("경기도", ["수원시 영통구", "성남시 분당구", "고양시 일산동구", "용인시 수지구", "화성시", "부천시", "안양시 동안구"]),
        ("경상남도", ["창원시 성산구", "김해시"]), ("충청남도", ["천안시 서북구", "아산시"]),
        ("강원특별자치도", ["춘천시", "원주시"]), ("전북특별자치도", ["전주시 완산구"]), ("제주특별자치도", ["제주시"])]
ROADS = ["테헤란로", "세종대로", "중앙로", "해운대로", "월드컵로", "봉은사로", "도산대로", "올림픽로", "동탄대로",
         "판교역로", "신촌로", "한강대로", "수성로", "충장로", "둔산로", "시청로", "학동로", "구의로", "광교중앙로"]
APTS = ["래미안", "자이", "힐스테이트", "푸르지오", "e편한세상", "롯데캐슬", "아이파크", "더샵", "현대아파트"]
HOSP_PRE = ["서울", "연세", "한마음", "새봄", "튼튼", "바른", "365", "우리", "밝은", "참좋은", "미소", "하늘", "사랑",
            "제일", "중앙", "성모", "강남", "행복한", "온누리", "청담", "맑은", "365열린", "미래", "드림"]
DEPTS = {"내과": "내과의원", "정형외과": "정형외과의원", "산부인과": "여성의원", "이비인후과": "이비인후과의원",
         "소아청소년과": "소아청소년과의원", "가정의학과": "가정의학과의원", "신경외과": "병원", "재활의학과": "재활의학과의원",
         "피부과": "피부과의원", "안과": "안과의원", "외과": "외과의원", "비뇨의학과": "비뇨의학과의원"}
BIG_HOSP = ["병원", "대학교병원", "의료원", "종합병원", "기독병원", "메디컬센터"]
DISEASES = [("급성 기관지염", "J20.9"), ("요추의 염좌 및 긴장", "S33.5"), ("위-식도역류병", "K21.9"),
            ("본태성(원발성) 고혈압", "I10"), ("합병증을 동반하지 않은 2형 당뇨병", "E11.9"), ("발목의 염좌 및 긴장", "S93.4"),
            ("급성 비인두염[감기]", "J00"), ("알레르기성 비염", "J30.4"), ("단일 자연분만", "O80"),
            ("제왕절개에 의한 단일분만", "O82"), ("무릎의 전방십자인대 파열", "S83.5"), ("요골 원위부의 골절", "S52.5"),
            ("급성 충수염", "K35.8"), ("경추통", "M54.2"), ("어깨의 유착성 관절낭염", "M75.0"), ("편두통", "G43.9"),
            ("아토피성 피부염", "L20.9"), ("감염성 위장염 및 결장염", "A09.9"), ("요로감염", "N39.0"),
            ("상세불명의 폐렴", "J18.9"), ("요추 추간판 장애", "M51.2"), ("급성 편도염", "J03.9"), ("결막염", "H10.9")]
DRUGS = ["타이레놀정500밀리그램", "아모잘탄정5/50mg", "뮤코펙트정", "알마겔정", "세레브렉스캡슐200mg", "록소닌정",
         "슈다페드정", "씨잘정5mg", "에소메졸캡슐20mg", "오구멘틴정375mg", "무코스타정100mg", "가스모틴정5mg",
         "코대원정", "소론도정5mg", "리피토정10mg", "아목시실린캡슐500mg", "레바미피드정", "트라스트패취",
         "베아제정", "듀오웰정", "콜킨정", "페니라민정", "시네츄라시럽", "지르텍정", "에어탈정"]
BANKS = [("KB국민은행", (255, 188, 0)), ("신한은행", (0, 70, 160)), ("우리은행", (0, 114, 188)),
         ("하나은행", (0, 133, 119)), ("NH농협은행", (0, 150, 70)), ("IBK기업은행", (0, 90, 170)),
         ("카카오뱅크", (254, 229, 0)), ("토스뱅크", (0, 100, 255)), ("새마을금고", (0, 100, 180)),
         ("우체국", (230, 40, 40)), ("SC제일은행", (0, 120, 60)), ("부산은행", (210, 20, 60)), ("케이뱅크", (30, 30, 90))]
INSURERS = ["삼성생명", "한화생명", "교보생명", "DB손해보험", "현대해상", "KB손해보험", "메리츠화재", "신한라이프"]
CARS = [("쏘나타", "현대"), ("아반떼", "현대"), ("그랜저", "현대"), ("K5", "기아"), ("스포티지", "기아"), ("투싼", "현대"),
        ("카니발", "기아"), ("모닝", "기아"), ("레이", "기아"), ("QM6", "르노코리아"), ("티볼리", "KG모빌리티"),
        ("G80", "제네시스"), ("팰리세이드", "현대"), ("쏘렌토", "기아"), ("코나", "현대"), ("스타리아", "현대")]
PLATE_HANGUL = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주하허호"
PURPOSES = ["보험회사 제출용", "회사 제출용", "학교 제출용", "보험청구용", "관공서 제출용", "본인 확인용", "실손보험 청구용"]
MED_NOTES = ["※ 이 서류는 보험회사 제출용으로만 사용할 수 있습니다.", "※ 본 확인서는 진료 사실 확인 목적 외에는 사용할 수 없습니다.",
             "※ 의료법 시행규칙에 따라 발급합니다.", "발급일로부터 3개월 이내에 제출하시기 바랍니다.",
             "상세 내용은 진료비 세부산정내역을 참고하시기 바랍니다.", "※ 수정 또는 훼손된 서류는 효력이 없습니다.",
             "※ 본 서류의 위·변조 시 관련 법령에 따라 처벌받을 수 있습니다.", "문의: 원무과 (내선 1234)",
             "※ 진료비 관련 문의는 수납창구로 하시기 바랍니다.", "본 문서는 전자서명되어 원본과 동일한 효력을 가집니다."]
OPINIONS = ["상기 환자는 {dz}(으)로 본원 외래에서 약물치료 및 물리치료를 시행 중임.",
            "향후 약 {n}주간의 안정 가료 및 경과 관찰이 필요할 것으로 사료됨.",
            "상기 환자는 {date}경부터 증상을 호소하여 내원하였으며 검사상 {dz} 소견 보임.",
            "추가적인 정밀 검사가 필요할 수 있으며 증상 악화 시 재내원 요함.",
            "현재 일상생활은 가능하나 무리한 활동은 삼가는 것이 좋겠음.", "수술적 치료 후 재활 치료가 필요한 상태임.",
            "MRI 검사상 요추 제4-5번 추간판 탈출 소견 관찰됨.", "약물 복용 및 주기적인 혈압 측정이 필요함.",
            "{n}주 후 외래 추적 관찰 예정임.", "단순 방사선 검사상 특이 소견 없음.", "통증 지속 시 주사치료 고려 요함.",
            "상기 환자는 {date} 내원하여 {dz} 진단 하 치료 받았음."]
INTRO = ["저는 맡은 일에 책임감을 가지고 끝까지 최선을 다하는 사람입니다.", "대학 시절 다양한 동아리 활동을 통해 협업 능력을 길렀습니다.",
         "고객의 입장에서 생각하는 자세로 업무에 임해 왔습니다.", "새로운 기술을 배우는 것을 즐기며 꾸준히 자기계발을 하고 있습니다.",
         "이전 직장에서 업무 프로세스를 개선하여 처리 시간을 단축한 경험이 있습니다.", "귀사의 발전에 기여할 수 있는 인재가 되겠습니다.",
         "성실함과 꼼꼼함을 바탕으로 정확한 업무 처리를 해 왔습니다.", "팀원들과의 소통을 중요하게 생각합니다.",
         "입사 후에는 전문성을 키워 회사와 함께 성장하고 싶습니다.", "어려운 상황에서도 긍정적인 태도를 잃지 않습니다."]
FILLER = ("가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호구누두루무부수우주추"
          "쿠투푸후그느드르므브스으즈츠크트프흐기니디리미비시이지치키티피히한국의료보험진료확인발급기관성명번호")


def name_parts(r):
    sur = r.choice(list(SUR))
    giv = "".join(r.choice(list(GIV)) for _ in range(1 if r.random() < 0.08 else 2))
    return sur, giv


def rand_date(r, y0=2017, y1=2024):
    return dt.date(y0, 1, 1) + dt.timedelta(days=r.randrange((dt.date(y1, 12, 31) - dt.date(y0, 1, 1)).days))


def fdate(d, style):
    return [f"{d.year}년 {d.month:02d}월 {d.day:02d}일", f"{d.year}. {d.month}. {d.day}.", f"{d:%Y-%m-%d}",
            f"{d:%Y.%m.%d}", f"{d.year}년 {d.month}월 {d.day}일"][style % 5]


def person(r, female=None):
    sur, giv = name_parts(r)
    female = r.random() < 0.5 if female is None else female
    birth = rand_date(r, 1950, 2005)
    g = (2 if female else 1) + (2 if birth.year >= 2000 else 0)
    rrn = f"{birth:%y%m%d}-{g}{r.randrange(10**6):06d}"
    sido, gus = r.choice(SIDO)
    addr = f"{sido} {r.choice(gus)} {r.choice(ROADS)} {r.randint(1, 400)}"
    if r.random() < 0.6:
        addr += f", {r.randint(101, 130)}동 {r.randint(1, 25)}{r.randint(1, 4):02d}호 ({r.choice(APTS)})"
    return dict(sur=sur, giv=giv, name=sur + giv, female=female, birth=birth, rrn=rrn,
                rrn_m=rrn[:8] + "******", sex="여" if female else "남", age=2024 - birth.year, addr=addr,
                tel=f"010-{r.randint(2000, 9999)}-{r.randint(0, 9999):04d}", chart=f"{r.randrange(10**8):08d}")


def hospital(r, dept=None):
    dept = dept or r.choice(list(DEPTS))
    pre = r.choice(HOSP_PRE)
    name = pre + (r.choice(BIG_HOSP) if r.random() < 0.35 else DEPTS[dept])
    sido, gus = r.choice(SIDO)
    return dict(name=name, dept=dept, code=f"{r.randrange(10**8):08d}",
                addr=f"{sido} {r.choice(gus)} {r.choice(ROADS)} {r.randint(1, 400)}",
                tel=f"0{r.choice([2, 31, 32, 51, 53, 42, 62])}-{r.randint(200, 999)}-{r.randint(0, 9999):04d}",
                fax=f"0{r.choice([2, 31, 51])}-{r.randint(200, 999)}-{r.randint(0, 9999):04d}",
                biz=f"{r.randint(100, 899)}-{r.randint(10, 99)}-{r.randint(10000, 99999)}",
                doctor="".join(name_parts(r)), lic=f"{r.randint(10000, 139999)}")


def won(v):
    return f"{v:,}"


def amount(r, lo=1000, hi=300000):
    return int(round(r.randint(lo, hi), -1))


def filler_words(r, n):
    return " ".join("".join(r.choice(FILLER) for _ in range(r.randint(1, 4))) for _ in range(n))


# --------------------------------------------------------------------------- 3. drawing primitives
PEN = [(20, 40, 140), (30, 30, 40), (10, 60, 170), (40, 40, 90)]


def wrap(text, fnt, width):
    """Wrap Korean text by characters to fit `width` pixels."""
    lines, cur = [], ""
    for ch in text:
        if fnt.getlength(cur + ch) > width and cur:
            lines.append(cur)
            cur = ch.lstrip()
        else:
            cur += ch
    return lines + ([cur] if cur else [])


def fit(spec, s, width, size, minsize=7):
    """Largest font <= size whose longest line of `s` fits in `width`."""
    lines = s.split("\n")
    while size > minsize and max(font(spec, size).getlength(x) for x in lines) > width:
        size -= 1
    return font(spec, size)


def hand_text(d, r, xy, s, fnt, color=None):
    """Handwriting-like text: pen-coloured glyphs with jittered baseline and spacing."""
    color = color or r.choice(PEN)
    x, y = xy
    slope = r.uniform(-0.06, 0.06)
    for ch in s:
        d.text((x, y + r.uniform(-1.5, 1.5) + slope * (x - xy[0])), ch, font=fnt, fill=color)
        x += fnt.getlength(ch) * r.uniform(0.95, 1.15)
    return x


def scribble(d, r, box, color=None, width=None):
    """Signature-like scribble inside box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    color = color or r.choice(PEN)
    n = r.randint(40, 90)
    f1, f2, ph = r.uniform(8, 22), r.uniform(3, 9), r.uniform(0, 6.3)
    amp = r.uniform(0.25, 0.5)
    pts = []
    for i in range(n):
        t = i / (n - 1)
        x = x0 + (x1 - x0) * (t + 0.06 * math.sin(f1 * t * 6.283))
        y = (y0 + y1) / 2 + (y1 - y0) * amp * math.sin(f2 * t * 6.283 + ph) * (1 - 0.6 * t)
        pts.append((x, y))
    d.line(pts, fill=color, width=width or r.choice([1, 2, 2, 3]), joint="curve")
    if r.random() < 0.6:   # underline / flourish
        d.line([(x0 + (x1 - x0) * 0.1, y1 - 2), (x1, y1 - (y1 - y0) * 0.3)], fill=color, width=2)


def stamp(im, r, center, size, text="", shape=None, color=None):
    """Red seal with blotchy ink, composited onto im (in place)."""
    shape = shape or r.choice(["circle", "square", "circle"])
    color = color or (r.randint(190, 230), r.randint(20, 60), r.randint(30, 60))
    s = int(size)
    m = Image.new("L", (s + 8, s + 8), 0)
    d = ImageDraw.Draw(m)
    w = max(2, s // 18)
    if shape == "circle":
        d.ellipse([4, 4, s + 4, s + 4], outline=255, width=w)
        if r.random() < 0.5:
            d.ellipse([4 + 2 * w, 4 + 2 * w, s + 4 - 2 * w, s + 4 - 2 * w], outline=255, width=max(1, w // 2))
    else:
        d.rectangle([4, 4, s + 4, s + 4], outline=255, width=w)
    text = text or r.choice(["직인", "원장", "인", "확인"])
    chars = list(text.replace(" ", ""))[:4]
    k = 2 if len(chars) > 1 else 1
    cs = s * (0.32 if k == 2 else 0.5)
    f = font(r.choice(SANS_PAIRS)[1], cs)
    for i, ch in enumerate(chars):
        cx = 4 + s / 2 + (0 if k == 1 else (cs * 0.55 if i < 2 else -cs * 0.55))
        cy = 4 + s / 2 + (0 if k == 1 else (-cs * 0.55 if i % 2 == 0 else cs * 0.55))
        if len(chars) == 2:
            cx, cy = 4 + s / 2, 4 + s / 2 + (-cs * 0.55 if i == 0 else cs * 0.55)
        d.text((cx, cy), ch, font=f, fill=255, anchor="mm")
    m = m.rotate(r.uniform(-25, 25), resample=Image.BILINEAR)
    a = np.asarray(m, np.float32) / 255.0
    noise = np.asarray(Image.fromarray((np.random.default_rng(r.getrandbits(32)).random((8, 8)) * 255).astype(np.uint8))
                       .resize(m.size, Image.BICUBIC), np.float32) / 255.0
    a = a * np.clip(0.45 + noise, 0, 1) * r.uniform(0.6, 0.95)
    mask = Image.fromarray((a * 255).astype(np.uint8))
    im.paste(Image.new("RGB", m.size, color), (int(center[0] - m.size[0] / 2), int(center[1] - m.size[1] / 2)), mask)


def barcode(d, r, box, color=(20, 20, 20)):
    x0, y0, x1, y1 = box
    x = x0
    while x < x1:
        w = r.choice([1, 1, 2, 3])
        if r.random() < 0.55:
            d.rectangle([x, y0, min(x1, x + w - 1), y1], fill=color)
        x += w


def logo(d, r, x, y, s, color):
    """Small institutional logo drawn from shapes."""
    kind = r.randrange(4)
    if kind == 0:        # medical cross in a circle
        d.ellipse([x, y, x + s, y + s], fill=color)
        t = s // 5
        d.rectangle([x + s / 2 - t / 2, y + t, x + s / 2 + t / 2, y + s - t], fill="white")
        d.rectangle([x + t, y + s / 2 - t / 2, x + s - t, y + s / 2 + t / 2], fill="white")
    elif kind == 1:      # rings
        for i in range(3):
            d.ellipse([x + i * s / 8, y + i * s / 8, x + s - i * s / 8, y + s - i * s / 8], outline=color, width=max(2, s // 12))
    elif kind == 2:      # leaf
        d.ellipse([x, y + s / 4, x + s, y + s * 3 / 4], fill=color)
        d.line([(x, y + s), (x + s, y)], fill="white", width=max(2, s // 10))
    else:                # square badge
        d.rounded_rectangle([x, y, x + s, y + s], radius=s // 4, fill=color)
        d.ellipse([x + s / 4, y + s / 4, x + s * 3 / 4, y + s * 3 / 4], fill="white")


def face_photo(r, w, h):
    """ID-style portrait: plain background, shoulders, head, hair."""
    bg = r.choice([(225, 232, 240), (245, 245, 245), (200, 215, 235), (235, 230, 220)])
    im = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(im)
    skin = r.choice([(238, 205, 180), (225, 190, 160), (210, 170, 140), (244, 215, 195)])
    hair = r.choice([(20, 18, 18), (45, 35, 30), (70, 50, 35), (30, 30, 35)])
    cloth = r.choice([(30, 40, 70), (20, 20, 20), (230, 230, 230), (90, 90, 100), (60, 80, 60)])
    cx = w / 2 + r.uniform(-w * 0.04, w * 0.04)
    d.ellipse([cx - w * 0.55, h * 0.78, cx + w * 0.55, h * 1.5], fill=cloth)
    d.rectangle([cx - w * 0.1, h * 0.55, cx + w * 0.1, h * 0.82], fill=skin)
    hw, hh = w * r.uniform(0.26, 0.32), h * r.uniform(0.25, 0.3)
    top = h * 0.17
    d.ellipse([cx - hw - 3, top - 6, cx + hw + 3, top + hh * 1.3], fill=hair)
    d.ellipse([cx - hw, top + 4, cx + hw, top + 2 * hh], fill=skin)
    if r.random() < 0.6:
        d.chord([cx - hw - 2, top - 6, cx + hw + 2, top + hh * 0.9], 180, 360, fill=hair)
    ey = top + hh * 0.95
    for sx in (-1, 1):
        d.ellipse([cx + sx * hw * 0.4 - 2, ey - 2, cx + sx * hw * 0.4 + 2, ey + 2], fill=(30, 30, 30))
    d.line([(cx - hw * 0.25, top + hh * 1.55), (cx + hw * 0.25, top + hh * 1.55)], fill=(150, 80, 80), width=2)
    return im


def guilloche(d, r, box, color, n=None):
    """Security-print wavy line pattern."""
    x0, y0, x1, y1 = box
    n = n or r.randint(10, 25)
    f, a = r.uniform(20, 60), r.uniform(4, 14)
    for k in range(n):
        base = y0 + (y1 - y0) * k / n
        pts = [(x, base + a * math.sin(x / f + k * 0.7) + a * 0.5 * math.sin(x / (f * 0.37) + k))
               for x in range(int(x0), int(x1) + 6, 6)]
        d.line(pts, fill=color, width=1)


class Page:
    """A white page with a vertical layout cursor and form-drawing helpers."""

    def __init__(self, r, w, h, st, bg=(255, 255, 255), margin=None):
        self.r, self.w, self.h, self.st = r, w, h, st
        self.bg = bg
        self.im = Image.new("RGB", (w, h), bg)
        self.d = ImageDraw.Draw(self.im)
        m = margin if margin is not None else int(w * r.uniform(0.06, 0.1))
        self.x0, self.x1 = m, w - m
        self.y = int(h * r.uniform(0.035, 0.07))
        self.fs = st.size
        self.hand = r.random() < 0.25          # values filled in by pen
        self.pen = r.choice(PEN)

    def gap(self, k=1.0):
        self.y += int(self.fs * k)

    def text(self, xy, s, size=None, bold=False, fill=None, anchor="la"):
        f = self.st.font(size or self.fs, bold)
        self.d.text(xy, s, font=f, fill=fill or self.st.ink, anchor=anchor)
        return f.getlength(s)

    def small(self, s, align="l", size=None, fill=None):
        size = size or max(8, self.fs - 3)
        f = self.st.font(size)
        s = (wrap(s, f, self.x1 - self.x0) or [""])[0]
        x = {"l": self.x0, "r": self.x1 - f.getlength(s), "c": (self.x0 + self.x1 - f.getlength(s)) / 2}[align]
        self.d.text((x, self.y), s, font=f, fill=fill or self.st.ink)
        self.y += int(size * 1.5)

    def title(self, s, size=None, align=None, spaced=None, under=None, boxed=False, color=None):
        r = self.r
        size = size or int(self.fs * r.uniform(1.7, 2.6))
        align = align or ("c" if r.random() < 0.85 else "l")
        if spaced is None:
            spaced = r.random() < 0.4 and len(s) <= 8
        if spaced:
            s = (" " * r.randint(1, 3)).join(s.replace(" ", ""))
        f = fit(self.st.bold, s, (self.x1 - self.x0) * 0.95, size)
        tw = f.getlength(s)
        x = {"c": (self.x0 + self.x1 - tw) / 2, "l": self.x0, "r": self.x1 - tw}[align]
        pad = size * 0.4
        if boxed:
            self.d.rectangle([x - pad * 2, self.y - pad, x + tw + pad * 2, self.y + f.size + pad * 1.4],
                             outline=self.st.line, width=2)
            self.y += int(pad)
        self.d.text((x, self.y), s, font=f, fill=color or self.st.ink)
        self.y += int(f.size * 1.35)
        if under if under is not None else r.random() < 0.25:
            self.d.line([(x, self.y), (x + tw, self.y)], fill=color or self.st.ink, width=2)
            if r.random() < 0.5:
                self.d.line([(x, self.y + 3), (x + tw, self.y + 3)], fill=color or self.st.ink, width=1)
        self.y += int(pad + (pad if boxed else 0))

    def cell(self, box, s, size, kind):
        """Draw text in a cell. kind: L label, V value, C centred, R right, H pen."""
        if not s:
            return
        x0, y0, x1, y1 = box
        pad = 4
        bold = kind == "L" and self.r.random() < 0.3
        hand = kind == "H" or (kind == "V" and self.hand)
        spec = self.st.bold if bold else self.st.reg
        f = fit(spec, s, (x1 - x0 - 2 * pad) * (0.85 if hand else 1), size)
        lines = s.split("\n")
        lh = f.size * 1.2
        y = (y0 + y1) / 2 - lh * len(lines) / 2 + f.size * 0.1
        for ln in lines:
            tw = f.getlength(ln)
            x = {"L": (x0 + x1 - tw) / 2, "C": (x0 + x1 - tw) / 2, "R": x1 - pad - tw}.get(kind, x0 + pad)
            if hand:
                hand_text(self.d, self.r, (x, y), ln, f, self.pen)
            else:
                self.d.text((x, y), ln, font=f, fill=self.st.ink)
            y += lh

    def grid(self, rows, rh=None, size=None, heights=None, x0=None, x1=None, shade="auto"):
        """rows: list of rows, each a list of (text, width_weight, kind). Returns bottom y."""
        rh = rh or int(self.fs * self.r.uniform(2.0, 2.5))
        size = size or self.fs
        x0 = self.x0 if x0 is None else x0
        x1 = self.x1 if x1 is None else x1
        shade = self.st.shade if shade == "auto" else shade
        y = self.y
        for i, row in enumerate(rows):
            h = int(rh * (heights[i] if heights else 1))
            tot = sum(c[1] for c in row)
            acc = 0
            for s, wgt, kind in row:
                bx0 = int(x0 + (x1 - x0) * acc / tot)
                acc += wgt
                bx1 = int(x0 + (x1 - x0) * acc / tot)
                box = [bx0, y, bx1, y + h]
                if kind == "L" and shade:
                    self.d.rectangle(box, fill=shade)
                self.d.rectangle(box, outline=self.st.line, width=self.st.lw)
                if s == "^":      # merged with the cell above: erase the shared border
                    lw = self.st.lw
                    self.d.rectangle([bx0 + lw, y - lw, bx1 - lw, y + lw], fill=shade if kind == "L" and shade else self.bg)
                    continue
                self.cell(box, s, size, kind)
            y += h
        self.y = y
        return y

    def pairs_grid(self, pairs, per_row=None, **kw):
        """Label/value pairs as a grid, 1 or 2 pairs a row (long values get a whole row)."""
        per_row = per_row or self.r.choice([1, 2, 2])
        lw = self.r.uniform(0.16, 0.24)
        rows, cur = [], []
        for lab, val in pairs:
            long = len(str(val)) > 22
            if long and cur:
                rows.append(cur)
                cur = []
            cur += [(lab, lw, "L"), (str(val), (1 - lw * per_row) / per_row if not long else 1 - lw, "V")]
            if long or len(cur) >= 2 * per_row:
                rows.append(cur)
                cur = []
        if cur:
            if per_row == 2 and len(cur) == 2:
                cur[1] = (cur[1][0], 1 - lw, cur[1][2])
            rows.append(cur)
        return self.grid(rows, **kw)

    def kv_lines(self, pairs, size=None, underline=None, colon=None):
        size = size or self.fs
        f = self.st.font(size)
        underline = self.r.random() < 0.4 if underline is None else underline
        colon = self.r.choice([":", " :", "", "："]) if colon is None else colon
        lw = max(f.getlength(k) for k, _ in pairs) + size * 1.5
        for k, v in pairs:
            self.d.text((self.x0, self.y), k + colon, font=f, fill=self.st.ink)
            for i, ln in enumerate(wrap(str(v), f, (self.x1 - self.x0 - lw) * (0.85 if self.hand else 1))[:3]):
                if i:
                    self.y += int(size * 1.6)
                if self.hand:
                    hand_text(self.d, self.r, (self.x0 + lw, self.y), ln, f, self.pen)
                else:
                    self.d.text((self.x0 + lw, self.y), ln, font=f, fill=self.st.ink)
            if underline:
                self.d.line([(self.x0 + lw - 4, self.y + size * 1.3), (self.x1, self.y + size * 1.3)], fill=self.st.line)
            self.y += int(size * self.r.uniform(1.8, 2.3))

    def para(self, text, size=None, align="l", indent=0):
        size = size or self.fs
        f = self.st.font(size)
        for ln in wrap(text, f, self.x1 - self.x0 - indent):
            tw = f.getlength(ln)
            x = {"l": self.x0 + indent, "c": (self.x0 + self.x1 - tw) / 2, "r": self.x1 - tw}[align]
            self.d.text((x, self.y), ln, font=f, fill=self.st.ink)
            self.y += int(size * 1.55)

    def box_text(self, label, lines, height, hand=None):
        """A tall bordered box with a label (left column or top) and free text lines."""
        hand = self.hand if hand is None else hand
        y0, y1 = self.y, self.y + height
        f = self.st.font(self.fs)
        if self.r.random() < 0.5:      # label column on the left
            lx = self.x0 + (self.x1 - self.x0) * 0.18
            if self.st.shade:
                self.d.rectangle([self.x0, y0, lx, y1], fill=self.st.shade)
            self.d.rectangle([self.x0, y0, lx, y1], outline=self.st.line, width=self.st.lw)
            self.cell([self.x0, y0, lx, y1], "\n".join(wrap(label, f, lx - self.x0 - 8)), self.fs, "L")
            tx, ty = lx + 8, y0 + 8
        else:                          # label on top
            self.d.text((self.x0 + 6, y0 + 6), label, font=self.st.font(self.fs, True), fill=self.st.ink)
            tx, ty = self.x0 + 12, y0 + self.fs * 2.2
        self.d.rectangle([self.x0, y0, self.x1, y1], outline=self.st.line, width=self.st.lw)
        for ln in lines:
            for sub in wrap(ln, f, (self.x1 - tx - 8) * (0.85 if hand else 1)):
                if ty + self.fs * 1.6 > y1:
                    break
                if hand:
                    hand_text(self.d, self.r, (tx, ty), sub, f, self.pen)
                else:
                    self.d.text((tx, ty), sub, font=f, fill=self.st.ink)
                ty += self.fs * 1.7
        self.y = y1

    def footer_sign(self, org, person_label, person_name, date_s, stamp_text=None, extra=()):
        """Date, issuing organisation lines, signature scribble and red seal."""
        r = self.r
        self.gap(r.uniform(0.8, 2.0))
        self.small(date_s, align=r.choice(["c", "r"]), size=self.fs + 1)
        self.gap(0.5)
        xs = self.x0 + (self.x1 - self.x0) * r.uniform(0.35, 0.5)
        for ln in extra:
            self.text((xs, self.y), ln, size=self.fs - 1)
            self.y += int(self.fs * 1.6)
        w1 = self.text((xs, self.y), org, size=self.fs + 2, bold=True)
        if r.random() < 0.75:
            stamp(self.im, r, (xs + w1 + self.fs * 2.2, self.y + self.fs * 0.6), self.fs * r.uniform(3.0, 4.5),
                  stamp_text or org[:4])
        self.y += int(self.fs * 2.0)
        if person_label is None:
            return
        w2 = self.text((xs, self.y), f"{person_label}  {person_name}", size=self.fs + 1)
        self.text((xs + w2 + 10, self.y), "(서명 또는 인)" if r.random() < 0.6 else "(인)", size=self.fs - 2)
        if r.random() < 0.7:
            scribble(self.d, r, (xs + w2 - 20, self.y - self.fs * 0.6, xs + w2 + self.fs * 5, self.y + self.fs * 1.4))
        self.y += int(self.fs * 2.2)

    def notes(self, k=None):
        r = self.r
        for s in r.sample(MED_NOTES, k if k is not None else r.randint(0, 3)):
            if self.y > self.h - self.fs * 2:
                break
            self.small(s)

    def border(self, y0, y1, double=None):
        double = self.r.random() < 0.4 if double is None else double
        pad = 8
        self.d.rectangle([self.x0 - pad, y0 - pad, self.x1 + pad, y1 + pad], outline=self.st.line, width=2)
        if double:
            self.d.rectangle([self.x0 - pad - 4, y0 - pad - 4, self.x1 + pad + 4, y1 + pad + 4], outline=self.st.line)


def new_page(r, w=None, ratio=None, st=None, bg=(255, 255, 255)):
    w = w or r.randint(600, 760)
    return Page(r, w, int(w * (ratio or r.uniform(1.36, 1.45))), st or Style(r), bg=bg)


def letterhead(pg, org, sub, color):
    """Organisation header: logo, coloured name, address line, rule."""
    r = pg.r
    s = int(pg.fs * 2.6)
    logo(pg.d, r, pg.x0, pg.y, s, color)
    pg.text((pg.x0 + s + 10, pg.y + 2), org, size=int(pg.fs * 1.7), bold=True, fill=color)
    pg.text((pg.x0 + s + 10, pg.y + pg.fs * 2.1), sub, size=max(8, pg.fs - 3), fill=(90, 90, 90))
    pg.y += s + 8
    pg.d.line([(pg.x0, pg.y), (pg.x1, pg.y)], fill=color, width=r.choice([2, 3, 4]))
    pg.y += int(pg.fs * 1.6)


# --------------------------------------------------------------------------- 4. photo effects
def smooth_noise(g, w, h, cell):
    a = (g.random((max(2, h // cell + 2), max(2, w // cell + 2))) * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(a).resize((w, h), Image.BICUBIC), np.float32) / 255.0


def background(r, g, w, h, kind=None):
    """Desk/table/fabric-like backdrop (computed at half resolution, then upscaled)."""
    full = (w, h)
    w, h = max(8, w // 2), max(8, h // 2)
    kind = kind or r.choice(["wood", "wood", "desk", "fabric", "marble", "dark", "mat"])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    n = smooth_noise(g, w, h, 50)
    if kind == "wood":
        base = np.array(r.choice([(150, 100, 60), (181, 136, 90), (110, 70, 40), (200, 160, 110), (90, 60, 40)]), np.float32)
        ang = r.uniform(-0.3, 0.3)
        coord = yy * math.cos(ang) + xx * math.sin(ang)
        stripes = np.sin((coord + r.uniform(8, 30) * n) / r.uniform(2, 5)) * 0.5 + 0.5
        fac = 0.82 + 0.2 * stripes + 0.15 * (smooth_noise(g, w, h, 12) - 0.5)
    elif kind == "fabric":
        base = np.array([r.randint(40, 220) for _ in range(3)], np.float32)
        p = r.uniform(1.2, 2.5)
        fac = 0.9 + 0.06 * np.sin(xx * p) * np.sin(yy * p) + 0.15 * (n - 0.5)
    elif kind == "marble":
        base = np.array([r.randint(200, 240)] * 3, np.float32)
        v = np.abs(np.sin((xx + yy) / r.uniform(40, 90) + 6 * smooth_noise(g, w, h, 70)))
        fac = 0.82 + 0.18 * v ** 0.3
    elif kind == "dark":
        base = np.array([r.randint(20, 70)] * 3, np.float32) + np.array([r.randint(0, 15) for _ in range(3)])
        fac = 0.8 + 0.4 * n
    elif kind == "mat":   # green cutting mat with grid
        base = np.array(r.choice([(40, 110, 80), (30, 80, 120), (200, 200, 195)]), np.float32)
        step = r.randint(20, 40)
        fac = 0.95 + 0.08 * (n - 0.5) - 0.12 * (((xx % step) < 1.5) | ((yy % step) < 1.5))
    else:                 # desk / plain
        base = np.array(r.choice([(235, 235, 230), (205, 205, 200), (225, 215, 195), (190, 200, 210), (245, 240, 235)]), np.float32)
        fac = 0.85 + 0.2 * (xx / w) * r.uniform(-1, 1) + 0.1 * n + 0.1
    arr = base[None, None, :] * fac[..., None] + g.normal(0, 3, (h, w, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).resize(full, Image.BILINEAR)


def _persp_coeffs(src, dst):
    """Coefficients for Image.transform(PERSPECTIVE) sending output points dst to input points src."""
    a, b = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.append(v)
    return np.linalg.solve(np.array(a, float), np.array(b, float)).tolist()


def place(canvas, r, obj, center, width, rot=0.0, persp=0.0, mask=None, shadow=True):
    """Warp obj (scaled to `width`, rotated, perspective-jittered) onto canvas at center."""
    W, H = canvas.size
    sc = width / obj.width
    w, h = width, obj.height * sc
    ca, sa = math.cos(math.radians(rot)), math.sin(math.radians(rot))
    dst = []
    for px, py in [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]:
        px += r.uniform(-persp, persp) * w
        py += r.uniform(-persp, persp) * h
        dst.append((center[0] + px * ca - py * sa, center[1] + px * sa + py * ca))
    src = [(0, 0), (obj.width, 0), (obj.width, obj.height), (0, obj.height)]
    co = _persp_coeffs(src, dst)
    warped = obj.transform((W, H), Image.PERSPECTIVE, co, Image.BILINEAR)
    m = (mask or Image.new("L", obj.size, 255)).transform((W, H), Image.PERSPECTIVE, co, Image.BILINEAR)
    if shadow:
        sm = m.filter(ImageFilter.GaussianBlur(r.uniform(4, 14)))
        off = (r.randint(-4, 10), r.randint(2, 14))
        sh = Image.new("L", (W, H), 0)
        sh.paste(sm, off)
        a = np.asarray(sh, np.float32)[..., None] / 255.0 * r.uniform(0.3, 0.6)
        canvas = Image.fromarray((np.asarray(canvas, np.float32) * (1 - a)).astype(np.uint8))
    canvas.paste(warped, (0, 0), m)
    return canvas


def lighting(r, g, im, strength=1.0):
    """Uneven light: linear gradient + vignette, sometimes a soft hard-edged shadow, warm/cool cast."""
    w, h = im.size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = r.uniform(-0.25, 0.25) * strength, r.uniform(-0.25, 0.25) * strength
    field = 1 + gx * (xx / w - 0.5) + gy * (yy / h - 0.5)
    rr = ((xx / w - 0.5) ** 2 + (yy / h - 0.5) ** 2)
    field -= r.uniform(0, 0.35) * strength * rr
    if r.random() < 0.25 * strength:
        sh = Image.new("L", (w, h), 0)
        d = ImageDraw.Draw(sh)
        x = r.uniform(0.3, 1.0) * w
        d.polygon([(x, -10), (w + 10, -10), (w + 10, h + 10), (x + r.uniform(-0.4, 0.4) * w, h + 10)], fill=255)
        if r.random() < 0.5:
            sh = sh.transpose(Image.FLIP_LEFT_RIGHT)
        sh = sh.filter(ImageFilter.GaussianBlur(r.uniform(8, 30)))
        field *= 1 - np.asarray(sh, np.float32) / 255.0 * r.uniform(0.15, 0.4)
    cast = np.array([r.uniform(0.97, 1.03), 1.0, r.uniform(0.95, 1.03)], np.float32) if r.random() < 0.6 else 1.0
    arr = np.asarray(im, np.float32) * field[..., None] * cast
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def finish(r, g, im, noise=2.5, blur=0.6):
    if r.random() < 0.5:
        im = im.filter(ImageFilter.GaussianBlur(r.uniform(0.2, blur)))
    arr = np.asarray(im, np.float32) + g.normal(0, r.uniform(0.5, noise), (im.height, im.width, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def tint(r, g, im):
    """Paper colour and faint fibre texture."""
    c = np.array(r.choice([(255, 255, 255), (250, 248, 240), (245, 245, 240), (252, 250, 235), (240, 240, 238)]), np.float32)
    fib = 1 - 0.04 * smooth_noise(g, im.width, im.height, 6) * r.random()
    return Image.fromarray(np.clip(np.asarray(im, np.float32) * (c / 255)[None, None] * fib[..., None], 0, 255).astype(np.uint8))


def out_long(r):
    return r.randint(480, 880)


def photo_of_page(r, g, im, zoom=None):
    """A flat document as a scan (fills the frame) or as a phone photo on a desk."""
    im = tint(r, g, im)
    L = out_long(r)
    zoom = r.random() < 0.1 if zoom is None else zoom
    if r.random() < 0.5 and not zoom:                       # scan / flat capture
        sc = L / max(im.size)
        im = im.resize((max(1, int(im.width * sc)), max(1, int(im.height * sc))), Image.LANCZOS)
        fill = tuple(int(v) for v in np.asarray(im)[2, 2])
        im = im.rotate(r.uniform(-1.5, 1.5), resample=Image.BICUBIC, fillcolor=fill)
        if r.random() < 0.3:                               # off-centre crop: title may be partly cut
            dx, dy = int(im.width * r.uniform(0, 0.05)), int(im.height * r.uniform(0, 0.05))
            im = im.crop((dx, dy, im.width - int(im.width * r.uniform(0, 0.05)), im.height))
        return finish(r, g, lighting(r, g, im, 0.5))
    portrait = im.height >= im.width
    if portrait:
        ch, cw = L, int(L * r.uniform(0.68, 0.8)) if r.random() < 0.85 else int(L * r.uniform(1.2, 1.4))
    else:
        cw, ch = L, int(L * r.uniform(0.68, 0.8))
    canvas = background(r, g, cw, ch)
    fillw = r.uniform(0.7, 0.98) * min(cw, ch * im.width / im.height)
    cy = ch / 2
    if zoom:                                                # close-up: page larger than the frame
        fillw = cw * r.uniform(1.15, 1.5)
        cy = ch / 2 + fillw * im.height / im.width * r.uniform(0.1, 0.3)
    canvas = place(canvas, r, im, (cw / 2 + r.uniform(-0.04, 0.04) * cw, cy), fillw,
                   rot=r.uniform(-6, 6), persp=r.uniform(0, 0.04))
    return finish(r, g, lighting(r, g, canvas))


def rounded_mask(size, rad):
    m = Image.new("L", size, 0)
    ImageDraw.Draw(m).rounded_rectangle([0, 0, size[0] - 1, size[1] - 1], radius=rad, fill=255)
    return m


def photo_of_object(r, g, obj, frac=(0.4, 0.85), rot=14, mask=None, glare=0.4, bg=None):
    """A card/booklet/receipt lying on a textured background, shot from above."""
    L = out_long(r)
    land = obj.width > obj.height
    if r.random() < (0.7 if land else 0.25):
        cw, ch = L, int(L * r.uniform(0.65, 0.8))
    else:
        cw, ch = int(L * r.uniform(0.65, 0.8)), L
    canvas = background(r, g, cw, ch, bg)
    width = r.uniform(*frac) * min(cw, ch * obj.width / obj.height)
    canvas = place(canvas, r, obj, (cw / 2 + r.uniform(-0.1, 0.1) * cw, ch / 2 + r.uniform(-0.1, 0.1) * ch),
                   width, rot=r.uniform(-rot, rot), persp=r.uniform(0, 0.06), mask=mask)
    if r.random() < glare:     # specular glare on laminated cards
        gl = Image.new("L", (cw, ch), 0)
        x, y = r.uniform(0.2, 0.8) * cw, r.uniform(0.2, 0.8) * ch
        s = r.uniform(0.05, 0.2) * cw
        ImageDraw.Draw(gl).ellipse([x - s, y - s * 0.5, x + s, y + s * 0.5], fill=255)
        gl = np.asarray(gl.filter(ImageFilter.GaussianBlur(s * 0.4)), np.float32)[..., None] / 255.0
        arr = np.asarray(canvas, np.float32)
        canvas = Image.fromarray(np.clip(arr + (255 - arr) * gl * r.uniform(0.4, 0.8), 0, 255).astype(np.uint8))
    return finish(r, g, lighting(r, g, canvas))


# --------------------------------------------------------------------------- 5. documents
def patient_pairs(r, P, H, ds, extra_chance=0.5):
    """Patient identification fields shared by every medical form (subset, shuffled a little)."""
    pairs = [("성명" if r.random() < 0.5 else r.choice(["환자성명", "환자 성명", "성 명"]), P["name"]),
             (r.choice(["주민등록번호", "주민번호", "생년월일"]), P["rrn_m"] if r.random() < 0.6 else P["rrn"]),
             ("성별", P["sex"]), ("연령", f"만 {P['age']}세"), (r.choice(["주소", "주 소"]), P["addr"]),
             (r.choice(["등록번호", "환자번호", "병록번호"]), P["chart"]), ("연락처", P["tel"])]
    keep = pairs[:2] + [p for p in pairs[2:] if r.random() < extra_chance]
    if r.random() < 0.3:
        keep[0], keep[1] = keep[1], keep[0]
    return keep


def med_spec(r, k, P, H, ds):
    """Title options, class fields, a class-specific section and the closing statement for
    the four look-alike medical certificates (3 admission, 4 diagnosis, 7 outpatient, 14 opinion)."""
    dz, code = r.choice(DISEASES)
    d0 = rand_date(r, 2019, 2024)
    d1 = d0 + dt.timedelta(days=r.randint(2, 40))
    purpose = r.choice(PURPOSES)
    ops = [o.format(dz=dz, n=r.randint(2, 8), date=fdate(d0, ds)) for o in r.sample(OPINIONS, r.randint(2, 5))]
    if k == 3:
        titles = ["입퇴원 확인서", "입·퇴원 확인서", "입퇴원확인서", "입원 사실 확인서", "입·퇴원 사실 확인서", "입원확인서"]
        n = (d1 - d0).days + 1
        fields = [("입원일", fdate(d0, ds)), ("퇴원일", fdate(d1, ds) if r.random() < 0.85 else "재원 중"),
                  ("입원기간", f"{fdate(d0, ds)} ~ {fdate(d1, ds)} ({n}일간)"), ("진료과", H["dept"]),
                  (r.choice(["병명", "상병명", "진단명"]), dz), ("질병분류기호", code),
                  ("병실", f"{r.randint(3, 12)}병동 {r.randint(1, 30):02d}호"), ("용도", purpose)]

        def section(pg):
            if r.random() < 0.5:
                pg.gap(0.6)
                rows = [[(h, 1, "L") for h in ["입원일자", "퇴원일자", "입원일수", "진료과", "비고"]]]
                rows.append([(fdate(d0, ds), 1, "C"), (fdate(d1, ds), 1, "C"), (f"{n}일", 1, "C"), (H["dept"], 1, "C"), ("", 1, "C")])
                pg.grid(rows)
        st = ["위 환자는 상기 기간 동안 본원에 입원하여 치료받았음을 확인합니다.", "위와 같이 입·퇴원하였음을 확인합니다.",
              "상기인은 위와 같이 입원 치료하였음을 확인함."]
    elif k == 4:
        titles = ["진 단 서", "진단서", "일반진단서", "상해진단서", "진단서(보험청구용)", "진단서 (일반)"]
        fields = [(r.choice(["병명", "진단명", "상병명"]), dz),
                  ("진단구분", r.choice(["■ 임상적 추정  □ 최종 진단", "□ 임상적 추정  ■ 최종 진단"])),
                  (r.choice(["질병분류기호", "한국질병분류번호"]), code), ("발병일", fdate(d0, ds)),
                  ("진단일", fdate(d1, ds)), ("용도", purpose), ("비고", "")]

        def section(pg):
            pg.gap(0.4)
            pg.box_text(r.choice(["치료 내용 및 향후 치료에 대한 소견", "향후 치료 의견", "치료 및 소견"]), ops,
                        int(pg.fs * r.uniform(6, 11)))
        st = ["위와 같이 진단합니다.", "상기와 같이 진단함.", "위와 같이 진단하였음을 증명합니다."]
    elif k == 7:
        titles = ["통원 확인서", "통원확인서", "진료확인서", "통원 진료 확인서", "진료 사실 확인서", "외래 진료 확인서"]
        visits = sorted(r.sample(range((d1 - d0).days + 1), min((d1 - d0).days + 1, r.randint(3, 14))))
        vd = [d0 + dt.timedelta(days=v) for v in visits]
        fields = [("진료기간", f"{fdate(d0, ds)} ~ {fdate(d1, ds)}"), ("통원횟수", f"총 {len(vd)}회"),
                  ("진료과", H["dept"]), (r.choice(["병명", "상병명", "진단명"]), dz), ("질병코드", code),
                  ("입원·외래", "외래"), ("용도", purpose)]

        def section(pg):
            pg.gap(0.6)
            if r.random() < 0.6:
                per = r.choice([4, 5, 6])
                rows = [[("통 원 일 자", 1, "L")]]
                cells = [f"{x:%Y-%m-%d}" for x in vd] + [""] * (-len(vd) % per)
                rows += [[(c, 1, "C") for c in cells[i:i + per]] for i in range(0, len(cells), per)]
                pg.grid(rows, size=pg.fs - 1)
            else:
                pg.para("통원일자: " + ", ".join(f"{x:%m/%d}" for x in vd), indent=4)
        st = ["위 환자는 상기 기간 중 본원에서 통원 치료를 받았음을 확인합니다.", "위와 같이 진료받았음을 확인합니다.",
              "상기 환자는 위 기간 동안 외래 통원하였음을 확인함."]
    else:
        titles = ["소 견 서", "소견서", "진료소견서", "의사 소견서", "소견서 (Medical Opinion)", "진 료 소 견 서"]
        fields = [(r.choice(["병명", "진단명", "상병명"]), dz), ("질병분류기호", code), ("발병일", fdate(d0, ds)),
                  ("초진일", fdate(d1, ds)), ("진료과", H["dept"]), ("용도", purpose)]

        def section(pg):
            pg.gap(0.4)
            pg.box_text(r.choice(["소 견", "의사 소견", "진료 소견 및 향후 치료 계획", "소견 내용"]),
                        ops + ops[:r.randint(0, 2)], int(pg.fs * r.uniform(12, 20)), hand=r.random() < 0.35)
        st = ["상기 환자에 대한 소견은 위와 같음.", "위와 같이 소견함.", "위와 같이 소견서를 발급합니다."]
    keep = [f for f in fields if r.random() < 0.75] or fields[:2]
    return r.choice(titles), keep, section, r.choice(st)


def med_certificate(r, g, k):
    """Classes 3/4/7/14: same skeleton, three layouts, shared patient + hospital blocks."""
    P, H = person(r), hospital(r)
    ds = r.randrange(5)
    title, fields, section, statement = med_spec(r, k, P, H, ds)
    pg = new_page(r, st=Style(r, size=r.randint(12, 17)))
    layout = r.choice(["form", "letter", "boxed"])
    rh = int(pg.fs * r.uniform(1.9, 3.0))
    color = tuple(r.randint(0, 150) for _ in range(3))
    if layout == "letter":
        letterhead(pg, H["name"], f"{H['addr']}  TEL {H['tel']}", color)
    elif r.random() < 0.5:
        pg.small(r.choice(["[별지 제5호서식]", "■ 의료법 시행규칙 [별지 제5호의2서식]", f"발급번호 제 {r.randint(1, 99999)} 호",
                           f"등록번호: {P['chart']}", f"No. {r.randint(2019, 2024)}-{r.randint(1, 99999):05d}"]),
                 align=r.choice("lr"))
    small_title = r.random() < 0.12
    y0 = pg.y
    pg.title(title, size=int(pg.fs * 1.3) if small_title else None, boxed=layout == "boxed" and r.random() < 0.5)
    pairs = patient_pairs(r, P, H, ds)
    if layout == "letter" and r.random() < 0.6:
        pg.kv_lines(pairs + fields)
    else:
        if r.random() < 0.5:
            pg.pairs_grid(pairs + fields, rh=rh)
        else:
            pg.pairs_grid(pairs, rh=rh)
            pg.gap(r.uniform(0, 0.8))
            pg.pairs_grid(fields, rh=rh)
    section(pg)
    pg.gap(1.2)
    pg.para(statement, align=r.choice("lc"))
    pg.footer_sign(H["name"], r.choice(["의사", "담당의", "원장", "진료의"]), H["doctor"], fdate(rand_date(r, 2019, 2024), ds),
                   extra=[f"주소: {H['addr']}", f"전화: {H['tel']}"][:r.randint(0, 2)] +
                   ([f"면허번호 제 {H['lic']} 호"] if r.random() < 0.5 else []))
    if layout == "boxed":
        pg.border(y0 - 6, pg.y)
    pg.notes()
    return photo_of_page(r, g, pg.im)


def pregnancy_form(r, g):
    """Class 1: government application form for pregnancy/childbirth medical expenses."""
    P, H = person(r, female=True), hospital(r, "산부인과")
    ds = r.randrange(5)
    pg = new_page(r, st=Style(r, size=r.randint(11, 13)))
    pg.hand = r.random() < 0.55
    pg.small(r.choice(["■ 국민건강보험법 시행규칙 [별지 제24호서식]", "[별지 제24호서식] <개정 2021. 6. 30.>",
                       "■ 국민건강보험 요양급여의 기준에 관한 규칙 [별지 제5호서식]"]), size=pg.fs - 2)
    pg.title(r.choice(["임신·출산 진료비 지급 신청서", "임신·출산 진료비 지원 신청서", "임신 출산 진료비 지급 신청서",
                       "임신·출산 진료비 지급 신청서(국민행복카드)", "임신·출산 진료비 지급신청서"]),
             size=int(pg.fs * r.uniform(1.4, 2.0)), spaced=False)
    if r.random() < 0.5:
        pg.small("※ 뒤쪽의 신청 안내 및 작성방법을 읽고 작성하시기 바랍니다. [ ]에는 해당되는 곳에 √표시를 합니다.", size=pg.fs - 2)
    pg.grid([[("접수번호", 1, "L"), ("", 1.2, "V"), ("접수일", 0.8, "L"), ("", 1.2, "V"), ("처리기간", 0.8, "L"), ("즉시", 1, "C")]],
            size=pg.fs - 1)
    pg.gap(0.3)
    due = rand_date(r, 2020, 2025)
    conf = due - dt.timedelta(days=r.randint(150, 250))
    card = r.choice(["BC카드", "삼성카드", "롯데카드", "KB국민카드", "신한카드"])
    rows = [[("신청인\n(임신부)", 0.7, "L"), ("성명", 0.7, "L"), (P["name"], 1.4, "V"), ("주민등록번호", 0.9, "L"), (P["rrn"], 1.6, "V")],
            [("^", 0.7, "L"), ("주소", 0.7, "L"), (P["addr"], 3.9, "V")],
            [("^", 0.7, "L"), ("전화번호", 0.7, "L"), (P["tel"], 1.4, "V"), ("휴대전화", 0.9, "L"), (P["tel"], 1.6, "V")],
            [("임신\n정보", 0.7, "L"), ("임신확인일", 0.7, "L"), (fdate(conf, ds), 1.4, "V"), ("출산(예정)일", 0.9, "L"), (fdate(due, ds), 1.6, "V")],
            [("^", 0.7, "L"), ("태아 수", 0.7, "L"), (r.choice(["[√] 단태아  [ ] 다태아", "[ ] 단태아  [√] 다태아 (2명)"]), 3.9, "V")],
            [("신청\n카드", 0.7, "L"), ("카드 종류", 0.7, "L"), (f"[√] 국민행복카드 ({card})  [ ] 기타", 3.9, "V")],
            [("^", 0.7, "L"), ("수령 방법", 0.7, "L"), (r.choice(["[√] 우편  [ ] 방문  [ ] 기타", "[ ] 우편  [√] 방문"]), 3.9, "V")]]
    pg.grid(rows, heights=[1.2, 1, 1, 1.2, 1, 1, 1])
    pg.gap(0.5)
    pg.small(r.choice(["임신 확인 (의료기관 기재란)", "■ 의료기관 확인란", "요양기관 확인"]), size=pg.fs)
    pg.grid([[("요양기관기호", 1, "L"), (H["code"], 1.3, "C"), ("요양기관명", 1, "L"), (H["name"], 1.7, "C")],
             [("의사 성명", 1, "L"), (H["doctor"], 1.3, "C"), ("면허번호", 1, "L"), (H["lic"], 1.7, "C")],
             [("임신 주수", 1, "L"), (f"{r.randint(5, 14)}주 {r.randint(0, 6)}일", 1.3, "C"), ("확인일", 1, "L"), (fdate(conf, ds), 1.7, "C")]])
    pg.gap(0.8)
    pg.para("「국민건강보험법」 제50조 및 같은 법 시행령 제23조에 따라 위와 같이 임신·출산 진료비 지급을 신청합니다.")
    pg.footer_sign("신청인", "", P["name"], fdate(conf + dt.timedelta(days=r.randint(0, 20)), ds), stamp_text=P["name"][:2])
    pg.text((pg.x0, pg.y), "국민건강보험공단 이사장 귀하", size=pg.fs + 2, bold=True)
    pg.y += int(pg.fs * 2.5)
    if r.random() < 0.7:
        pg.grid([[("첨부서류", 1, "L"), ("임신확인서 1부 (의료기관에서 임신 사실을 확인한 경우 생략 가능)", 5, "V"), ("수수료\n없음", 1, "C")]],
                size=pg.fs - 2)
        pg.notes(r.randint(0, 2))
    return photo_of_page(r, g, pg.im)


def medical_bill(r, g):
    """Class 6: hospital bill/receipt: big form with item x payer table, or a thermal slip."""
    P, H = person(r), hospital(r)
    ds = r.randrange(5)
    items = ["진찰료", "입원료", "식대", "투약 및 조제료", "주사료", "마취료", "처치 및 수술료", "검사료", "영상진단료",
             "방사선치료료", "치료재료대", "재활 및 물리치료료", "정신요법료", "CT 진단료", "MRI 진단료", "초음파 진단료"]
    if r.random() < 0.3:
        return thermal_receipt(r, g, H["name"], "진료비 영수증", P, [(it, amount(r, 500, 90000)) for it in r.sample(items, r.randint(3, 7))],
                               ["진료비 총액", "공단부담금", "본인부담금", "비급여"], ds)
    pg = new_page(r, st=Style(r, size=r.randint(10, 13)))
    pg.small(r.choice(["■ 국민건강보험 요양급여의 기준에 관한 규칙 [별지 제6호서식]", "[별지 제1호서식]", "(외래·입원 공용)"]), size=pg.fs - 2)
    if r.random() < 0.6:
        pg.small(r.choice(["[ ] 외래  [√] 입원 ( [ ] 퇴원  [ ] 중간 )", "[√] 외래  [ ] 입원", "■ 외래 □ 입원 ( □ 퇴원 □ 중간)"]), align="c")
    pg.title(r.choice(["진료비 계산서·영수증", "진료비 계산서 · 영수증", "진료비 영수증", "진료비 계산서/영수증"]),
             size=int(pg.fs * r.uniform(1.5, 2.2)), spaced=False)
    d0 = rand_date(r, 2019, 2024)
    pg.grid([[("환자등록번호", 1, "L"), ("환자 성명", 1, "L"), ("진료기간", 1.6, "L"), ("야간(공휴일)진료", 1, "L")],
             [(P["chart"], 1, "C"), (P["name"], 1, "C"), (f"{fdate(d0, 3)} ~ {fdate(d0 + dt.timedelta(days=r.randint(0, 9)), 3)}", 1.6, "C"), ("[ ] 야간 [ ] 공휴일", 1, "C")],
             [("진료과목", 1, "L"), ("질병군(DRG)번호", 1, "L"), ("병실", 0.8, "L"), ("환자구분", 0.8, "L"), ("영수증번호", 1, "L")],
             [(H["dept"], 1, "C"), ("", 1, "C"), ("", 0.8, "C"), (r.choice(["건강보험", "의료급여", "일반"]), 0.8, "C"), (f"{r.randrange(10**7):07d}", 1, "C")]],
            size=pg.fs - 1)
    cols = ["항목", "본인부담금", "공단부담금", "전액본인부담", "선택진료료", "선택진료료\n이외"]
    rows = [[(c, 1.4 if i == 0 else 1, "L") for i, c in enumerate(cols)]]
    tot = [0] * 5
    for it in items[:r.randint(9, len(items))]:
        vals = [amount(r, 0, 60000) if r.random() < 0.55 else 0 for _ in range(5)]
        tot = [a + b for a, b in zip(tot, vals, strict=True)]
        rows.append([(it, 1.4, "V")] + [(won(v) if v else "", 1, "R") for v in vals])
    rows.append([("합계", 1.4, "L")] + [(won(v), 1, "R") for v in tot])
    pg.gap(0.3)
    pg.grid(rows, rh=int(pg.fs * r.uniform(1.7, 2.1)), size=pg.fs - 1, heights=[1.6] + [1] * (len(rows) - 1))
    total = sum(tot)
    pay = tot[0] + sum(tot[2:])
    pg.gap(0.3)
    pg.grid([[("진료비 총액", 1, "L"), (won(total), 1, "R"), ("환자부담 총액", 1, "L"), (won(pay), 1, "R")],
             [("이미 납부한 금액", 1, "L"), ("0", 1, "R"), ("납부할 금액", 1, "L"), (won(pay), 1, "R")],
             [("카드", 1, "L"), (won(pay) if r.random() < 0.7 else "", 1, "R"), ("현금영수증", 1, "L"), ("", 1, "R")]], size=pg.fs - 1)
    pg.gap(0.5)
    pg.grid([[("사업자등록번호", 1, "L"), (H["biz"], 1.3, "C"), ("상호", 0.6, "L"), (H["name"], 1.6, "C")],
             [("사업장 소재지", 1, "L"), (H["addr"], 2.3, "V"), ("대표자", 0.6, "L"), (H["doctor"], 0.6, "C")]], size=pg.fs - 1)
    pg.footer_sign(H["name"], "대표자", H["doctor"], fdate(d0, ds))
    pg.notes(r.randint(0, 2))
    return photo_of_page(r, g, pg.im)


def thermal_receipt(r, g, org, title, P, items, totals, ds):
    """Narrow printed slip (used by medical bill and pharmacy receipt)."""
    w = r.randint(300, 380)
    st = Style(r, serif=False, size=r.randint(12, 14))
    if r.random() < 0.5:
        st.reg, st.bold = MONO_PAIR
    pg = Page(r, w, int(w * r.uniform(2.0, 2.8)), st, margin=int(w * 0.07))
    pg.hand = False
    pg.title(org, size=int(pg.fs * 1.5), align="c", spaced=False, under=False)
    for ln in [f"사업자번호 {r.randint(100, 899)}-{r.randint(10, 99)}-{r.randint(10000, 99999)}",
               f"대표 {''.join(name_parts(r))}  TEL 02-{r.randint(200, 999)}-{r.randint(1000, 9999)}"]:
        pg.small(ln, align="c")
    dash = "-" * 60
    pg.small(dash)
    pg.title(title, size=int(pg.fs * 1.3), align="c", spaced=False, under=False)
    d = rand_date(r, 2019, 2024)
    pg.kv_lines([("일시", f"{fdate(d, 3)} {r.randint(9, 18):02d}:{r.randint(0, 59):02d}"), ("환자명", P["name"]),
                 ("번호", f"{r.randrange(10**6):06d}")], size=pg.fs - 1, underline=False, colon=":")
    pg.small(dash)
    tot = 0
    f = st.font(pg.fs - 1)
    for name, v in items:
        pg.d.text((pg.x0, pg.y), name, font=f, fill=st.ink)
        pg.d.text((pg.x1, pg.y), won(v), font=f, fill=st.ink, anchor="ra")
        pg.y += int(pg.fs * 1.7)
        tot += v
    pg.small(dash)
    part = int(round(tot * r.uniform(0.2, 0.4), -1))
    vals = [tot, tot - part, part, amount(r, 0, 20000)]
    for lab, v in zip(totals, vals, strict=False):
        pg.d.text((pg.x0, pg.y), lab, font=st.font(pg.fs, True), fill=st.ink)
        pg.d.text((pg.x1, pg.y), won(v), font=st.font(pg.fs, True), fill=st.ink, anchor="ra")
        pg.y += int(pg.fs * 1.8)
    pg.small(dash)
    pg.small(f"카드번호 {r.randint(1000, 9999)}-****-****-{r.randint(1000, 9999)}")
    pg.small(f"승인번호 {r.randrange(10**8):08d}")
    barcode(pg.d, r, (pg.x0 + 10, pg.y + 6, pg.x1 - 10, pg.y + 40))
    pg.y += 50
    pg.small(r.choice(["감사합니다.", "이용해 주셔서 감사합니다.", "* 영수증을 지참하세요 *"]), align="c")
    im = pg.im.crop((0, 0, w, min(pg.h, pg.y + 20)))
    return photo_of_object(r, g, tint(r, g, im), frac=(0.3, 0.6), rot=10, glare=0.1)


def pharmacy_receipt(r, g):
    """Class 11: pharmacy fee statement: official form or thermal slip listing drugs."""
    P = person(r)
    ph = r.choice(HOSP_PRE) + r.choice(["약국", "온누리약국", "메디약국", "건강약국"])
    ds = r.randrange(5)
    if r.random() < 0.35:
        return thermal_receipt(r, g, ph, r.choice(["약제비 영수증", "영수증", "약국 영수증"]), P,
                               [(dr, amount(r, 300, 15000)) for dr in r.sample(DRUGS, r.randint(2, 6))],
                               ["총 약제비", "보험자부담금", "본인부담금", "비급여"], ds)
    pg = new_page(r, st=Style(r, size=r.randint(11, 14)))
    pg.small(r.choice(["■ 국민건강보험 요양급여의 기준에 관한 규칙 [별지 제11호의2서식]", "[별지 제11호서식]", ""]), size=pg.fs - 2)
    pg.title(r.choice(["약제비 계산서·영수증", "약제비 계산서 · 영수증", "약제비 영수증", "조제비 영수증", "약제비 계산서/영수증"]),
             size=int(pg.fs * r.uniform(1.5, 2.3)), spaced=False)
    d0 = rand_date(r, 2019, 2024)
    pg.grid([[("환자 성명", 1, "L"), (P["name"], 1.2, "C"), ("조제일자", 1, "L"), (fdate(d0, 3), 1.2, "C"), ("영수증번호", 1, "L"), (f"{r.randrange(10**6):06d}", 1, "C")]],
            size=pg.fs - 1)
    pg.gap(0.4)
    rows = [[("항목", 2, "L"), ("본인부담금", 1, "L"), ("보험자부담금", 1, "L"), ("비급여", 1, "L")]]
    tot = [0, 0, 0]
    for it in ["약국관리료", "조제기본료", "복약지도료", "조제료", "의약품관리료", "가산금", "약품비"]:
        v = [amount(r, 100, 9000), amount(r, 300, 20000), amount(r, 0, 5000) if r.random() < 0.3 else 0]
        tot = [a + b for a, b in zip(tot, v, strict=True)]
        rows.append([(it, 2, "V")] + [(won(x) if x else "", 1, "R") for x in v])
    rows.append([("약제비 총액", 2, "L")] + [(won(x), 1, "R") for x in tot])
    rows.append([("총수납금액", 2, "L"), (won(tot[0] + tot[2]), 3, "R")])
    pg.grid(rows, size=pg.fs - 1)
    if r.random() < 0.5:
        pg.gap(0.4)
        rows = [[("약품명", 2.4, "L"), ("1회량", 0.8, "L"), ("횟수", 0.6, "L"), ("일수", 0.6, "L"), ("금액", 1, "L")]]
        for dr in r.sample(DRUGS, r.randint(2, 5)):
            rows.append([(dr, 2.4, "V"), (str(r.choice([1, 1, 2, 0.5])), 0.8, "C"), (str(r.randint(1, 3)), 0.6, "C"),
                         (str(r.randint(3, 14)), 0.6, "C"), (won(amount(r, 200, 9000)), 1, "R")])
        pg.grid(rows, size=pg.fs - 1)
    pg.gap(0.4)
    pg.grid([[("사업자등록번호", 1, "L"), (f"{r.randint(100, 899)}-{r.randint(10, 99)}-{r.randint(10000, 99999)}", 1.4, "C"), ("상호", 0.6, "L"), (ph, 1.4, "C")],
             [("사업장 소재지", 1, "L"), (person(r)["addr"], 2.4, "V"), ("대표자", 0.6, "L"), ("".join(name_parts(r)), 0.8, "C")]], size=pg.fs - 1)
    pg.footer_sign(ph, "약사", "".join(name_parts(r)), fdate(d0, ds))
    pg.notes(r.randint(0, 2))
    return photo_of_page(r, g, pg.im)


def prescription(r, g):
    """Class 12: standard prescription form, or EMR print with barcode."""
    P, H = person(r), hospital(r)
    ds = r.randrange(5)
    d0 = rand_date(r, 2019, 2024)
    pg = new_page(r, st=Style(r, size=r.randint(10, 13)))
    if r.random() < 0.6:
        pg.small("■ 의료법 시행규칙 [별지 제9호서식] <개정 2018. 9. 27.>", size=pg.fs - 2)
        pg.small(r.choice(["[√]건강보험 [ ]의료급여 [ ]산업재해보험 [ ]자동차보험 [ ]기타( )",
                           "[ ]건강보험 [√]의료급여 [ ]산업재해보험 [ ]자동차보험"]) + f"  요양기관기호: {H['code']}", size=pg.fs - 1)
        pg.title(r.choice(["처 방 전", "처방전", "처  방  전"]), spaced=False)
    else:
        letterhead(pg, H["name"], f"{H['addr']}  TEL {H['tel']}", tuple(r.randint(0, 140) for _ in range(3)))
        barcode(pg.d, r, (pg.x1 - 160, pg.y - 10, pg.x1, pg.y + 25))
        pg.title(r.choice(["원외처방전", "처방전", "원외 처방전"]), align="l", spaced=False)
        pg.small(r.choice(["[약국 보관용]", "[환자 보관용]", ""]) + f"  발행일 {fdate(d0, ds)}", align="r")
    codes = ", ".join(c for _, c in r.sample(DISEASES, r.randint(1, 3)))
    pg.grid([[("교부번호", 0.9, "L"), (f"{fdate(d0, 3)} 제 {r.randint(1, 99999):05d} 호", 1.6, "V"), ("의료\n기관", 0.5, "L"), ("명칭", 0.6, "L"), (H["name"], 1.4, "V")],
             [("환자 성명", 0.9, "L"), (P["name"], 1.6, "V"), ("^", 0.5, "L"), ("전화번호", 0.6, "L"), (H["tel"], 1.4, "V")],
             [("주민등록번호", 0.9, "L"), (P["rrn"], 1.6, "V"), ("^", 0.5, "L"), ("팩스번호", 0.6, "L"), (H["fax"], 1.4, "V")],
             [("질병분류기호", 0.9, "L"), (codes, 1.6, "V"), ("처방 의료인의\n성명", 1.1, "L"), (f"{H['doctor']}  (서명 또는 날인)", 1.4, "V")],
             [("면허종류", 0.9, "L"), ("의사", 1.6, "V"), ("면허번호", 1.1, "L"), (H["lic"], 1.4, "V")]], size=pg.fs - 1)
    if r.random() < 0.6:
        stamp(pg.im, r, (pg.x1 - 40, pg.y - pg.fs * 4), pg.fs * 3.5, H["doctor"][:2] + "인")
    pg.gap(0.3)
    rows = [[("처방 의약품의 명칭", 2.6, "L"), ("1회\n투약량", 0.7, "L"), ("1일\n투여횟수", 0.7, "L"), ("총\n투약일수", 0.7, "L"), ("용법", 1.2, "L")]]
    for dr in r.sample(DRUGS, r.randint(2, 7)):
        rows.append([(dr, 2.6, "V"), (r.choice(["1", "1", "0.5", "2"]), 0.7, "C"), (str(r.randint(1, 3)), 0.7, "C"),
                     (str(r.randint(3, 30)), 0.7, "C"), (r.choice(["식후 30분", "식전", "취침 전", "필요시", "아침 식후"]), 1.2, "C")])
    rows += [[("", 2.6, "V"), ("", 0.7, "C"), ("", 0.7, "C"), ("", 0.7, "C"), ("", 1.2, "C")]] * r.randint(1, 4)
    pg.grid(rows, size=pg.fs - 1, heights=[1.5] + [1] * (len(rows) - 1))
    pg.grid([[("주사제 처방내역 (원내조제 [ ], 원외처방 [ ])", 3, "V"), ("조제시 참고사항", 2, "V")]], heights=[2])
    pg.grid([[("사용기간", 1, "L"), (f"교부일부터 ( {r.choice([3, 3, 7])} )일간", 1.6, "C"), ("사용기간 내에 약국에 제출하여야 합니다.", 2.4, "C")]],
            size=pg.fs - 1)
    if r.random() < 0.7:
        pg.gap(0.4)
        pg.small("의약품 조제내역", align="c", size=pg.fs)
        pg.grid([[("조제기관의 명칭", 1, "L"), ("", 1.5, "V"), ("처방의 변경·수정·\n확인·대체시 그 내용 등", 1.4, "L"), ("", 1.1, "V")],
                 [("조제약사 성명", 1, "L"), ("(서명 또는 날인)", 1.5, "R"), ("", 1.4, "V"), ("", 1.1, "V")],
                 [("조제량(조제일수)", 1, "L"), ("", 1.5, "V"), ("", 1.4, "V"), ("", 1.1, "V")],
                 [("조제연월일", 1, "L"), ("", 1.5, "V"), ("", 1.4, "V"), ("", 1.1, "V")]], size=pg.fs - 2)
    return photo_of_page(r, g, pg.im)


def payment_confirmation(r, g):
    """Class 10: confirmation of payments: medical (tax-deduction) statement, insurance premiums,
    or a short payment notice that quotes a bank account (borrowed from the account class)."""
    P = person(r)
    ds = r.randrange(5)
    pg = new_page(r)
    kind = r.choice(["medical", "insurance", "transfer"])
    if kind == "medical":
        H = hospital(r)
        if r.random() < 0.4:
            letterhead(pg, H["name"], H["addr"], tuple(r.randint(0, 140) for _ in range(3)))
        pg.title(r.choice(["진료비 납입 확인서", "납입 확인서", "진료비 납입확인서", "진료비 납입 확인서(소득공제용)", "의료비 납입 확인서"]))
        pg.pairs_grid(patient_pairs(r, P, H, ds, 0.3))
        pg.gap(0.6)
        pg.small(r.choice(["■ 납입 내역", "1. 진료비 납입 내역", "<납입내역>"]), size=pg.fs)
        rows = [[(h, w, "L") for h, w in [("진료일자", 1.3), ("구분", 0.7), ("진료과", 1), ("본인부담금", 1), ("비급여", 1), ("납입액", 1.1)]]]
        tot = 0
        d = rand_date(r, 2019, 2023)
        for _ in range(r.randint(4, 14)):
            d += dt.timedelta(days=r.randint(1, 30))
            a, b = amount(r, 1000, 60000), amount(r, 0, 30000) if r.random() < 0.4 else 0
            tot += a + b
            rows.append([(fdate(d, 3), 1.3, "C"), (r.choice(["외래", "외래", "입원"]), 0.7, "C"), (H["dept"], 1, "C"),
                         (won(a), 1, "R"), (won(b) if b else "", 1, "R"), (won(a + b), 1.1, "R")])
        rows.append([("합 계", 4.0, "L"), (won(tot), 2.1, "R")])
        pg.grid(rows, rh=int(pg.fs * 1.9), size=pg.fs - 1)
        pg.gap(1)
        pg.para(r.choice(["위와 같이 진료비를 납입하였음을 확인합니다.", "상기 금액을 납입하였음을 확인함."]), align="c")
        pg.footer_sign(H["name"], "대표자", H["doctor"], fdate(d, ds), extra=[f"사업자등록번호: {H['biz']}"])
    elif kind == "insurance":
        ins = r.choice(INSURERS)
        letterhead(pg, ins, "고객센터 1588-" + f"{r.randint(1000, 9999)}", tuple(r.randint(0, 160) for _ in range(3)))
        pg.title(r.choice(["보험료 납입 확인서", "보험료 납입증명서", "납입 증명서", "납입 확인서"]))
        pg.pairs_grid([("계약자", P["name"]), ("피보험자", P["name"] if r.random() < 0.6 else "".join(name_parts(r))),
                       ("증권번호", f"{r.randrange(10**10):010d}"), ("상품명", r.choice(["무배당 실손의료보험", "(무)건강보험", "종신보험", "자동차보험"])),
                       ("계약일", fdate(rand_date(r, 2010, 2020), ds)), ("납입방법", r.choice(["자동이체", "카드납", "직접납입"]))])
        pg.gap(0.6)
        rows = [[(h, 1, "L") for h in ["납입년월", "납입일자", "회차", "납입보험료", "비고"]]]
        d = rand_date(r, 2020, 2023)
        prem = amount(r, 20000, 200000)
        tot = 0
        for i in range(r.randint(6, 12)):
            d += dt.timedelta(days=30)
            tot += prem
            rows.append([(f"{d:%Y.%m}", 1, "C"), (fdate(d, 3), 1, "C"), (str(i + r.randint(1, 40)), 1, "C"), (won(prem), 1, "R"), ("", 1, "C")])
        rows.append([("합계", 3, "L"), (won(tot), 1, "R"), ("", 1, "C")])
        pg.grid(rows, rh=int(pg.fs * 1.8), size=pg.fs - 1)
        pg.gap(1)
        pg.para("위와 같이 보험료를 납입하였음을 확인합니다.", align="c")
        pg.footer_sign(f"{ins} 주식회사", "대표이사", "".join(name_parts(r)), fdate(d, ds))
    else:
        bank, _ = r.choice(BANKS)
        pg.title(r.choice(["납입 확인서", "납부 확인서", "입금(납입) 확인서", "납입확인서"]))
        pg.gap(0.5)
        pg.kv_lines([("납입자", P["name"]), ("생년월일", f"{P['birth']:%Y.%m.%d}"), ("납입일자", fdate(rand_date(r), ds)),
                     ("납입금액", f"금 {won(amount(r, 10000, 3000000))} 원"), ("납입항목", r.choice(["등록금", "관리비", "진료비", "회비", "교육비"])),
                     ("납입방법", "계좌이체"), ("입금은행", bank), ("계좌번호", account_no(r)), ("수납기관", r.choice(HOSP_PRE) + r.choice(["학원", "재단", "협회", "센터"]))])
        pg.gap(1)
        pg.para("위 금액이 정상적으로 납입되었음을 확인합니다.", align="c")
        pg.footer_sign(r.choice(HOSP_PRE) + "재단", "담당자", "".join(name_parts(r)), fdate(rand_date(r), ds))
    return photo_of_page(r, g, pg.im)


def account_no(r):
    fmt = r.choice([(3, 3, 6), (4, 3, 6), (3, 2, 6), (4, 2, 7), (3, 6, 2, 3)])
    return "-".join(f"{r.randrange(10 ** n):0{n}d}" for n in fmt)


def account_doc(r, g):
    """Class 0: bank account evidence: passbook page, bank confirmation form, or app screen."""
    P = person(r)
    bank, color = r.choice(BANKS)
    acc = account_no(r)
    kind = r.choice(["passbook", "form", "app"])
    if kind == "passbook":
        w = r.randint(560, 700)
        st = Style(r, serif=False)
        pg = Page(r, w, int(w * r.uniform(0.62, 0.75)), st, margin=int(w * 0.06))
        pg.d.rectangle([0, 0, w, int(pg.h * 0.17)], fill=color)
        logo(pg.d, r, pg.x0, int(pg.h * 0.03), int(pg.h * 0.11), (255, 255, 255))
        pg.text((pg.x0 + pg.h * 0.14, pg.h * 0.045), bank, size=int(pg.fs * 1.7), bold=True, fill=(255, 255, 255))
        pg.y = int(pg.h * 0.24)
        pg.title(r.choice(["보통예금 통장", "저축예금", "입출금이 자유로운 예금", "통장 사본", "종합통장"]), align="l",
                 size=int(pg.fs * 1.6), spaced=False, under=False)
        pg.kv_lines([("계좌번호", acc), ("예금주", P["name"] + r.choice([" 님", "", " 귀하"])),
                     ("신규일", fdate(rand_date(r, 2010, 2024), r.randrange(5))), ("취급점", r.choice(SIDO)[1][0][:-1] + "지점")],
                    size=pg.fs + 1, underline=r.random() < 0.5)
        barcode(pg.d, r, (pg.x1 - 170, pg.h - 45, pg.x1, pg.h - 18))
        pg.d.rectangle([pg.x1 - 90, pg.h * 0.24, pg.x1, pg.h * 0.24 + 90], outline=(200, 60, 60), width=2)
        pg.text((pg.x1 - 45, pg.h * 0.24 + 100), "인감", size=pg.fs - 2, anchor="ma", fill=(200, 60, 60))
        if r.random() < 0.6:
            stamp(pg.im, r, (pg.x1 - 45, pg.h * 0.24 + 45), 70, P["name"][:2])
        return photo_of_object(r, g, tint(r, g, pg.im), frac=(0.5, 0.92), rot=10, glare=0.15)
    if kind == "form":
        pg = new_page(r)
        letterhead(pg, bank, r.choice(["www." + r.choice(["bank", "kbstar", "banking"]) + ".co.kr", "고객센터 1588-9999"]), color)
        pg.title(r.choice(["계좌개설 확인서", "통장 사본", "예금계좌 확인서", "계좌 정보 확인서", "통장사본 확인서"]))
        pg.pairs_grid([("예금주", P["name"]), ("생년월일", f"{P['birth']:%Y.%m.%d}"), ("은행명", bank), ("계좌번호", acc),
                       ("예금종류", r.choice(["보통예금", "저축예금", "자유적립식"])), ("신규일자", fdate(rand_date(r, 2010, 2024), 3)),
                       ("관리점", r.choice(ROADS)[:-1] + "지점"), ("발급일", fdate(rand_date(r), 3))], per_row=1)
        pg.gap(1.5)
        pg.para("위 계좌가 당행에 개설되어 있음을 확인합니다.", align="c")
        pg.footer_sign(f"{bank} {r.choice(ROADS)[:-1]}지점", "지점장", "".join(name_parts(r)), fdate(rand_date(r), 0))
        pg.notes(r.randint(0, 1))
        return photo_of_page(r, g, pg.im)
    # mobile banking screen (sometimes a phone photographed on a desk)
    w = r.randint(360, 440)
    st = Style(r, serif=False, size=r.randint(14, 17))
    pg = Page(r, w, int(w * r.uniform(1.9, 2.1)), st, bg=r.choice([(255, 255, 255), (246, 247, 250)]), margin=int(w * 0.07))
    pg.d.rectangle([0, 0, w, 30], fill=(245, 245, 245))
    pg.text((12, 7), f"{r.randint(9, 23)}:{r.randint(0, 59):02d}", size=13, bold=True)
    pg.y = 60
    pg.text((pg.x0, pg.y), bank, size=int(pg.fs * 1.3), bold=True, fill=color if sum(color) < 600 else (40, 40, 40))
    pg.y += int(pg.fs * 3)
    pg.small(r.choice(["입출금통장", "내 계좌", "자유입출금 통장"]), size=pg.fs)
    pg.text((pg.x0, pg.y), acc, size=int(pg.fs * 1.5), bold=True)
    pg.y += int(pg.fs * 2.5)
    pg.text((pg.x0, pg.y), f"{won(amount(r, 0, 9_999_999))}원", size=int(pg.fs * 2.0), bold=True)
    pg.y += int(pg.fs * 3.5)
    bw = (pg.x1 - pg.x0 - 12) / 2
    for i, lab in enumerate(["계좌번호 복사", "이체"]):
        x = pg.x0 + i * (bw + 12)
        pg.d.rounded_rectangle([x, pg.y, x + bw, pg.y + 44], radius=10, fill=color if i else (232, 235, 240))
        pg.text((x + bw / 2, pg.y + 22), lab, anchor="mm", fill=(255, 255, 255) if i else (40, 40, 40))
    pg.y += 70
    pg.kv_lines([("예금주", P["name"]), ("은행", bank), ("계좌번호", acc)], underline=False, colon="")
    for _ in range(r.randint(2, 5)):
        pg.d.line([(pg.x0, pg.y), (pg.x1, pg.y)], fill=(225, 225, 225))
        pg.y += 10
        pg.text((pg.x0, pg.y), f"{r.randint(1, 12):02d}.{r.randint(1, 28):02d}  {''.join(name_parts(r))}", size=pg.fs - 2)
        pg.text((pg.x1, pg.y), f"{r.choice(['+', '-'])}{won(amount(r, 1000, 500000))}", size=pg.fs - 2, anchor="ra")
        pg.y += int(pg.fs * 2.2)
    if r.random() < 0.5:
        sc = out_long(r) / pg.h
        return finish(r, g, pg.im.resize((int(w * sc), int(pg.h * sc)), Image.LANCZOS))
    phone = Image.new("RGB", (w + 30, pg.h + 90), (20, 20, 22))
    phone.paste(pg.im, (15, 45))
    return photo_of_object(r, g, phone, frac=(0.45, 0.8), rot=12, mask=rounded_mask(phone.size, 40), glare=0.5)


def resume(r, g):
    """Class 13: resume: classic boxed Korean form, or modern template with a coloured header."""
    P = person(r)
    ds = r.randrange(5)
    pg = new_page(r)
    schools = [r.choice(HOSP_PRE) + s for s in ["고등학교", "대학교", "대학교 대학원"]]
    majors = ["경영학", "컴퓨터공학", "간호학", "국어국문학", "기계공학", "회계학", "디자인", "전자공학"]
    corps = [r.choice(HOSP_PRE) + s for s in ["전자(주)", "물산", "소프트", "건설(주)", "유통", "병원", "테크"]]
    y = r.randint(1998, 2012)
    edu = [(f"{y - 3}.03 ~ {y}.02", schools[0], "", "졸업"), (f"{y}.03 ~ {y + 4}.02", schools[1], r.choice(majors), "졸업")]
    jobs = [(f"{y + 4 + i * 2}.0{r.randint(1, 9)} ~ {y + 6 + i * 2}.12", corps[i], r.choice(["사원", "주임", "대리", "과장"]),
             r.choice(["영업관리", "회계", "개발", "고객상담", "마케팅", "간호"])) for i in range(r.randint(1, 4))]
    certs = [(f"{y + r.randint(0, 8)}.{r.randint(1, 12):02d}", c, o) for c, o in
             r.sample([("정보처리기사", "한국산업인력공단"), ("운전면허 1종보통", "경찰청"), ("TOEIC 850", "YBM"),
                       ("컴퓨터활용능력 1급", "대한상공회의소"), ("간호사 면허", "보건복지부")], r.randint(1, 3))]
    if r.random() < 0.55:   # classic form
        pg.title(r.choice(["이 력 서", "이력서", "이  력  서"]), spaced=False, size=int(pg.fs * r.uniform(2.0, 2.8)))
        ph_w = int((pg.x1 - pg.x0) * 0.2)
        top = pg.y
        x_info = pg.x0 + ph_w
        if r.random() < 0.6:
            pg.im.paste(face_photo(r, ph_w - 6, int(ph_w * 1.33) - 6), (pg.x0 + 3, top + 3))
        else:
            pg.text((pg.x0 + ph_w / 2, top + ph_w * 0.6), "사 진", anchor="mm")
            pg.small("")
        pg.d.rectangle([pg.x0, top, x_info, top + int(ph_w * 1.33)], outline=pg.st.line)
        rh = int(ph_w * 1.33 / 4)
        pg.grid([[("성명", 1, "L"), (P["name"], 1.5, "V"), ("한자", 0.7, "L"), (SUR_HANJA.get(P["sur"], "") + "".join(r.choice(GIV_HANJA) for _ in P["giv"]), 1.3, "V")],
                 [("생년월일", 1, "L"), (f"{P['birth']:%Y년 %m월 %d일}", 1.5, "V"), ("성별", 0.7, "L"), (P["sex"], 1.3, "V")],
                 [("주소", 1, "L"), (P["addr"], 3.5, "V")],
                 [("연락처", 1, "L"), (P["tel"], 1.5, "V"), ("E-mail", 0.7, "L"), (f"{GIV.get(P['giv'][0], 'kim').lower()}{r.randint(1, 999)}@mail.com", 1.3, "V")]],
                rh=rh, x0=x_info)
        pg.gap(0.8)
        sections = [("학 력 사 항", ["기간", "학교명", "전공", "구분"], edu), ("경 력 사 항", ["기간", "근무처", "직위", "담당업무"], jobs),
                    ("자격 및 면허", ["취득일", "자격/면허", "발행처"], certs)]
        for name, head, data in sections:
            rows = [[(name, 1, "L")]]
            rows += [[(h, 1.5 if i == 0 else 1, "L") for i, h in enumerate(head)]]
            rows += [[(v, 1.5 if i == 0 else 1, "V") for i, v in enumerate(rw)] for rw in data]
            rows += [[("", 1.5 if i == 0 else 1, "V") for i in range(len(head))]] * r.randint(0, 2)
            pg.grid(rows)
            pg.gap(0.4)
        pg.gap(0.8)
        pg.para("위의 기재사항은 사실과 틀림이 없습니다.", align="c")
        pg.footer_sign("", "성명", P["name"], fdate(rand_date(r, 2019, 2024), ds), stamp_text=P["name"])
    else:                    # modern
        color = tuple(r.randint(0, 140) for _ in range(3))
        band = int(pg.h * r.uniform(0.12, 0.17))
        pg.d.rectangle([0, 0, pg.w, band], fill=color)
        phs = int(band * 0.8)
        pg.im.paste(face_photo(r, phs, int(phs * 1.25))
                    .resize((phs, phs)), (pg.x1 - phs, int(band * 0.1)))
        pg.text((pg.x0, band * 0.2), P["name"], size=int(pg.fs * 2.3), bold=True, fill=(255, 255, 255))
        pg.text((pg.x0, band * 0.62), r.choice(["이력서 | RESUME", "RESUME", "이력서", "지원분야: " + r.choice(["마케팅", "개발", "회계"])]),
                size=pg.fs, fill=(235, 235, 235))
        pg.y = band + int(pg.fs * 1.5)
        pg.kv_lines([("생년월일", f"{P['birth']:%Y.%m.%d}"), ("연락처", P["tel"]), ("주소", P["addr"])], underline=False)
        for name, data in [("학력", edu), ("경력", jobs), ("자격증", certs)]:
            pg.text((pg.x0, pg.y), name, size=int(pg.fs * 1.3), bold=True, fill=color)
            pg.y += int(pg.fs * 1.8)
            pg.d.line([(pg.x0, pg.y), (pg.x1, pg.y)], fill=color, width=2)
            pg.y += int(pg.fs * 0.6)
            for rw in data:
                pg.text((pg.x0, pg.y), rw[0], size=pg.fs - 1, fill=(90, 90, 90))
                pg.text((pg.x0 + (pg.x1 - pg.x0) * 0.3, pg.y), "  ".join(x for x in rw[1:] if x), size=pg.fs)
                pg.y += int(pg.fs * 1.8)
            pg.gap(0.8)
        pg.text((pg.x0, pg.y), "자기소개", size=int(pg.fs * 1.3), bold=True, fill=color)
        pg.y += int(pg.fs * 2)
        pg.para(" ".join(r.sample(INTRO, r.randint(3, 6))) + " " + filler_words(r, r.randint(0, 8)))
    return photo_of_page(r, g, pg.im)


def vehicle_cert(r, g):
    """Class 15: vehicle registration certificate, tinted security paper, numbered fields."""
    P = person(r)
    ds = r.randrange(5)
    car, maker = r.choice(CARS)
    tint_c = r.choice([(236, 246, 236), (238, 242, 250), (248, 244, 232), (255, 255, 255)])
    pg = new_page(r, bg=tint_c, st=Style(r, size=r.randint(10, 13)))
    if tint_c != (255, 255, 255):
        guilloche(pg.d, r, (0, 0, pg.w, pg.h), tuple(max(0, c - 18) for c in tint_c), n=r.randint(30, 60))
    pg.small(r.choice(["■ 자동차등록규칙 [별지 제1호서식] <개정 2021. 8. 27.>", "[별지 제1호서식]"]), size=pg.fs - 2)
    pg.grid([[("제", 0.3, "C"), (f"{r.randint(1, 99999)}", 1.2, "C"), ("호", 0.3, "C"), ("최초등록일:", 1, "L"), (fdate(rand_date(r, 2010, 2024), 0), 1.6, "V")]],
            shade=None, size=pg.fs - 1)
    pg.title(r.choice(["자동차등록증", "자 동 차 등 록 증", "자동차 등록증"]), size=int(pg.fs * r.uniform(1.8, 2.6)), spaced=False)
    plate = plate_number(r)
    year = r.randint(2010, 2024)
    vin = "KM" + "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(15))
    pg.grid([[("① 자동차등록번호", 1.2, "L"), (plate, 1.3, "V"), ("② 차종", 0.7, "L"), (r.choice(["중형 승용", "소형 승용", "대형 승용", "경형 승용", "중형 승합"]), 1, "V"), ("③ 용도", 0.6, "L"), (r.choice(["자가용", "영업용"]), 0.8, "V")],
             [("④ 차명", 1.2, "L"), (car, 1.3, "V"), ("⑤ 형식 및 모델연도", 1.3, "L"), (f"{maker[:2]}{r.randint(10, 99)}-{r.randint(1, 9)}  {year}", 1.8, "V")],
             [("⑥ 차대번호", 1.2, "L"), (vin, 4.4, "V")],
             [("⑦ 원동기형식", 1.2, "L"), (f"G4{r.choice('FKN')}{r.choice('ABCDJ')}", 4.4, "V")],
             [("⑧ 사용본거지", 1.2, "L"), (P["addr"], 4.4, "V")],
             [("소유자", 0.5, "L"), ("⑨ 성명(명칭)", 0.9, "L"), (P["name"], 1.4, "V"), ("⑩ 생년월일\n(법인등록번호)", 1.2, "L"), (P["rrn_m"], 1.6, "V")]],
            size=pg.fs - 1)
    pg.gap(0.6)
    pg.para("「자동차관리법」 제8조에 따라 위와 같이 등록하였음을 증명합니다.", align="c")
    sido, gus = r.choice(SIDO)
    pg.footer_sign(f"{sido} {r.choice(gus)}청장" if r.random() < 0.7 else f"{sido}지사", None, "", fdate(rand_date(r), ds),
                   stamp_text=r.choice(["청장인", "등록인", "직인"]))
    pg.gap(0.3)
    pg.small("1. 제원", size=pg.fs)
    pg.grid([[("⑪ 형식승인번호", 1.3, "L"), (f"A{r.randint(10, 99)}-{r.randint(1, 9)}-{r.randint(10000, 99999)}-{r.randint(1, 99):04d}", 2.5, "V")],
             [("⑫ 길이", 1, "L"), (f"{r.randint(3500, 5200)} mm", 1, "C"), ("⑬ 너비", 1, "L"), (f"{r.randint(1590, 1990)} mm", 1, "C")],
             [("⑭ 높이", 1, "L"), (f"{r.randint(1400, 1990)} mm", 1, "C"), ("⑮ 총중량", 1, "L"), (f"{r.randint(1100, 2600)} kg", 1, "C")],
             [("⑯ 배기량", 1, "L"), (f"{r.choice([998, 1598, 1999, 2497, 3342])} cc", 1, "C"), ("⑰ 정격출력", 1, "L"), (f"{r.randint(70, 300)}/{r.choice([5500, 6000, 6300])}", 1, "C")],
             [("⑱ 승차정원", 1, "L"), (f"{r.choice([4, 5, 5, 7, 9, 11])} 명", 1, "C"), ("⑲ 최대적재량", 1, "L"), ("0 kg", 1, "C")],
             [("⑳ 기통수", 1, "L"), (f"{r.choice([3, 4, 4, 6])} 기통", 1, "C"), ("연료의 종류", 1, "L"), (r.choice(["휘발유", "경유", "LPG", "하이브리드", "전기"]), 1, "C")]],
            size=pg.fs - 1, rh=int(pg.fs * 1.9))
    pg.gap(0.5)
    pg.small("2. 검사유효기간", size=pg.fs)
    pg.grid([[(h, 1, "L") for h in ["연월일부터", "연월일까지", "검사시행장소", "주행거리", "검사책임자 확인"]]] +
            [[(fdate(rand_date(r), 3), 1, "C"), (fdate(rand_date(r), 3), 1, "C"), (r.choice(["", "교통안전공단", "OO검사소"]), 1, "C"),
              (f"{r.randint(1000, 180000):,}km", 1, "C"), ("", 1, "C")] for _ in range(r.randint(1, 3))], size=pg.fs - 2)
    im = pg.im
    if r.random() < 0.25:     # photocopy: grey, contrasty
        im = Image.fromarray(np.clip((np.asarray(im.convert("L"), np.float32) - 40) * 1.3, 0, 255).astype(np.uint8)).convert("RGB")
    if r.random() < 0.3:      # fold crease
        d = ImageDraw.Draw(im)
        y = int(im.height * r.uniform(0.3, 0.6))
        d.line([(0, y), (im.width, y + r.randint(-5, 5))], fill=(205, 205, 205), width=2)
    return photo_of_page(r, g, im)


def plate_number(r):
    return f"{r.randint(10, 999) if r.random() < 0.5 else r.randint(10, 99)}{r.choice(PLATE_HANGUL)} {r.randint(1000, 9999)}"


def id_card(r, g, kind):
    """Classes 8 (resident registration card) and 5 (driver's licence): laminated cards."""
    P = person(r)
    w = r.randint(520, 640)
    h = int(w / 1.586)
    st = Style(r, serif=kind == "id" and r.random() < 0.5, size=int(w / 36))
    if kind == "id":
        bg = r.choice([(232, 240, 246), (240, 244, 236), (245, 240, 235), (228, 236, 244)])
    else:
        bg = r.choice([(250, 236, 238), (236, 244, 250), (242, 248, 236), (250, 244, 226)])
    pg = Page(r, w, h, st, bg=bg, margin=int(w * 0.05))
    guilloche(pg.d, r, (0, 0, w, h), tuple(max(0, c - 22) for c in bg))
    if r.random() < 0.6:   # faint emblem
        cx, cy, s = w * r.uniform(0.3, 0.6), h * 0.55, h * 0.3
        pg.d.ellipse([cx - s, cy - s, cx + s, cy + s], outline=tuple(max(0, c - 30) for c in bg), width=3)
    ph_w = int(w * 0.26)
    ph_h = int(ph_w * 1.3)
    left_photo = kind == "licence" or r.random() < 0.15
    px = pg.x0 if left_photo else w - pg.x0 - ph_w
    py = int(h * 0.2) if kind == "licence" else int(h * 0.13)
    tx0 = px + ph_w + int(w * 0.04) if left_photo else pg.x0
    hanja = SUR_HANJA.get(P["sur"], "金") + "".join(r.choice(GIV_HANJA) for _ in P["giv"])
    if kind == "id":
        pg.text((tx0, int(h * 0.07)), r.choice(["주민등록증", "주 민 등 록 증"]), size=int(st.size * 2.0), bold=True)
        y = int(h * 0.3)
        pg.text((tx0, y), f"{P['name']}", size=int(st.size * 1.5), bold=True)
        pg.d.text((tx0 + st.font(int(st.size * 1.5), True).getlength(P["name"]) + 8, y + 2), f"({hanja})",
                  font=font(HANJA_FONT, int(st.size * 1.3)), fill=st.ink)
        y += int(st.size * 2.4)
        pg.text((tx0, y), P["rrn"], size=int(st.size * 1.3))
        y += int(st.size * 2.2)
        for ln in wrap(P["addr"], st.font(), w * 0.58)[:3]:
            pg.text((tx0, y), ln)
            y += int(st.size * 1.5)
        issue = rand_date(r, 2005, 2024)
        sido, gus = r.choice(SIDO)
        org = f"{sido} {r.choice(gus)}청장" if r.random() < 0.7 else f"{r.choice(gus)[:2]}동장"
        pg.text((w * 0.5, h * 0.8), f"{issue.year}. {issue.month}. {issue.day}.", anchor="ma")
        ow = pg.text((w * 0.5, h * 0.88), org, size=int(st.size * 1.2), bold=True, anchor="ma")
        stamp(pg.im, r, (w * 0.5 + ow / 2 + st.size * 1.5, h * 0.9), st.size * 3, "청장인", shape="square")
    else:
        band = int(h * 0.16)
        if r.random() < 0.5:
            pg.d.rectangle([0, 0, w, band], fill=tuple(max(0, c - 45) for c in bg))
        pg.text((w * 0.5, band * 0.18), r.choice(["자동차운전면허증", "자동차운전면허증 (Driver's License)", "자 동 차 운 전 면 허 증"]),
                size=int(st.size * 1.6), bold=True, anchor="ma")
        y = int(h * 0.22)
        lic = f"{r.randint(11, 28)}-{r.randint(0, 24):02d}-{r.randrange(10**6):06d}-{r.randint(10, 99)}"
        cls = r.choice(["1종보통", "2종보통", "1종대형", "2종소형"])
        pg.text((tx0, y), f"{cls}   {lic}", size=int(st.size * 1.15), bold=True)
        y += int(st.size * 2)
        pg.text((tx0, y), P["name"], size=int(st.size * 1.4), bold=True)
        y += int(st.size * 2)
        pg.text((tx0, y), P["rrn"], size=int(st.size * 1.1))
        y += int(st.size * 1.8)
        for ln in wrap(P["addr"], st.font(), w - tx0 - pg.x0)[:2]:
            pg.text((tx0, y), ln)
            y += int(st.size * 1.5)
        d0 = rand_date(r, 2015, 2024)
        pg.text((tx0, y + 4), f"적성검사 {d0:%Y.%m.%d} ~ {d0.year + 10}.12.31", size=st.size)
        pg.text((tx0, y + 4 + st.size * 1.6), "조건 : A  " + r.choice(["", "(안경)", "기어"]), size=st.size - 1)
        org = f"{r.choice(SIDO)[0][:2]}경찰청장" if r.random() < 0.7 else "경찰청장"
        pg.text((w - pg.x0, h * 0.86), f"{d0:%Y.%m.%d}  {org}", size=st.size, anchor="ra", bold=True)
        stamp(pg.im, r, (w - pg.x0 - st.size * 1.5, h * 0.83), st.size * 2.6, "경찰청장", shape="square")
        if r.random() < 0.7:   # small ghost photo
            gh = face_photo(r, int(ph_w * 0.45), int(ph_h * 0.45)).convert("L").convert("RGB")
            pg.im.paste(Image.blend(gh, Image.new("RGB", gh.size, bg), 0.55), (int(w * 0.78), int(h * 0.45)))
    pg.im.paste(face_photo(r, ph_w, ph_h), (px, py))
    mask = rounded_mask(pg.im.size, int(w * 0.04))
    return photo_of_object(r, g, pg.im, frac=(0.35, 0.85), rot=15, mask=mask, glare=0.5)


def mrz_check(s):
    val = {**{str(i): i for i in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
    return str(sum(val[c] * (7, 3, 1)[i % 3] for i, c in enumerate(s)) % 10)


def passport(r, g):
    """Class 9: passport data page (alone, as an open booklet, or as a photocopy on A4)."""
    P = person(r)
    w = r.randint(600, 720)
    h = int(w / 1.42)
    bg = r.choice([(236, 242, 238), (244, 236, 240), (234, 240, 248), (246, 242, 230)])
    st = Style(r, serif=False, size=int(w / 48))
    pg = Page(r, w, h, st, bg=bg, margin=int(w * 0.04))
    guilloche(pg.d, r, (0, 0, w, h), tuple(max(0, c - 25) for c in bg), n=r.randint(25, 45))
    mono = font(MONO_PAIR[0], int(w / 30))
    pg.text((pg.x0, h * 0.04), "대한민국  REPUBLIC OF KOREA", size=int(st.size * 1.4), bold=True, fill=(40, 50, 90))
    pg.text((w - pg.x0, h * 0.04), "여권  PASSPORT", size=int(st.size * 1.4), bold=True, fill=(40, 50, 90), anchor="ra")
    ph_w = int(w * 0.25)
    pg.im.paste(face_photo(r, ph_w, int(ph_w * 1.3)), (pg.x0, int(h * 0.16)))
    sur, giv = SUR[P["sur"]], "".join(GIV[c] for c in P["giv"])
    no = r.choice("MSR") + f"{r.randrange(10**8):08d}"
    issue = rand_date(r, 2015, 2024)
    exp = issue.replace(year=issue.year + 10) - dt.timedelta(days=1)
    mon = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    fd = lambda d: f"{d.day:02d} {mon[d.month - 1]} {d.year}"  # noqa: E731
    fields = [("종류/Type", "PM"), ("발행국/Issuing country", "KOR"), ("여권번호/Passport No.", no), ("성/Surname", sur),
              ("이름/Given names", giv), ("한글성명", P["name"]), ("국적/Nationality", "REPUBLIC OF KOREA"),
              ("생년월일/Date of birth", fd(P["birth"])), ("성별/Sex", "F" if P["female"] else "M"),
              ("발급일/Date of issue", fd(issue)), ("기간만료일/Date of expiry", fd(exp)),
              ("발행관청/Authority", "MINISTRY OF FOREIGN AFFAIRS")]
    x0, y = pg.x0 + ph_w + int(w * 0.03), int(h * 0.15)
    colw = (w - x0 - pg.x0) / 3
    for i, (lab, val) in enumerate(fields):
        cx = x0 + colw * (i % 3) if i < 3 else x0 + (colw * 1.5) * ((i - 3) % 2)
        if i >= 3 and (i - 3) % 2 == 0:
            y += int(st.size * 3.1)
        elif i == 3:
            y += int(st.size * 3.1)
        pg.text((cx, y), lab, size=max(7, st.size - 3), fill=(90, 90, 110))
        pg.text((cx, y + st.size * 1.1), val, size=int(st.size * 1.15), bold=True)
    dob = f"{P['birth']:%y%m%d}"
    exd = f"{exp:%y%m%d}"
    l1 = f"PMKOR{sur}<<{giv}".ljust(44, "<")[:44]
    l2 = f"{no}{mrz_check(no)}KOR{dob}{mrz_check(dob)}{'F' if P['female'] else 'M'}{exd}{mrz_check(exd)}"
    l2 = (l2 + "V" + f"{r.randrange(10**6):06d}").ljust(42, "<")
    l2 += mrz_check(l2[28:42]) + mrz_check(l2[:10] + l2[13:20] + l2[21:43])
    for i, ln in enumerate([l1, l2]):
        pg.d.text((pg.x0, h * 0.8 + i * mono.size * 1.35), ln, font=mono, fill=(25, 25, 25))
    im = pg.im
    mode = r.random()
    if mode < 0.3:            # open booklet: upper page above the data page
        up = Image.new("RGB", (w, h), tuple(min(255, c + 6) for c in bg))
        d = ImageDraw.Draw(up)
        guilloche(d, r, (0, 0, w, h), tuple(max(0, c - 15) for c in bg))
        d.text((w / 2, h * 0.5), r.choice(["소지인 서명 / Signature of bearer", "사증 VISAS", "대한민국 외교부장관은 ..."]),
               font=st.font(st.size + 2), fill=(90, 90, 110), anchor="mm")
        book = Image.new("RGB", (w, 2 * h + 6), (120, 120, 120))
        book.paste(up, (0, 0))
        book.paste(im, (0, h + 6))
        return photo_of_object(r, g, book, frac=(0.5, 0.9), rot=10, glare=0.4)
    if mode < 0.5:            # photocopy on A4
        pgw = r.randint(600, 720)
        a4 = Image.new("RGB", (pgw, int(pgw * 1.414)), (255, 255, 255))
        gcopy = Image.fromarray(np.clip((np.asarray(im.convert("L"), np.float32) - 60) * 1.4, 0, 255).astype(np.uint8)).convert("RGB")
        cw = int(pgw * r.uniform(0.6, 0.85))
        a4.paste(gcopy.resize((cw, int(cw / 1.42))), (int((pgw - cw) / 2), int(pgw * r.uniform(0.08, 0.3))))
        return photo_of_page(r, g, a4)
    return photo_of_object(r, g, im, frac=(0.45, 0.9), rot=12, mask=rounded_mask(im.size, 14), glare=0.4)


# --------------------------------------------------------------------------- 6. scenes
def dashboard(r, g):
    """Class 2: car instrument cluster photo: dials with ticks and needles, or a digital cluster."""
    L = out_long(r)
    W, H = L, int(L * r.uniform(0.56, 0.78))
    base = r.randint(5, 35)
    im = background(r, g, W, H, "dark")
    arr = np.asarray(im, np.float32) * (base / 45)
    im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    glow = r.choice([(240, 240, 255), (120, 190, 255), (255, 80, 60), (255, 180, 60), (255, 255, 255)])
    needle = r.choice([(255, 60, 30), (255, 130, 0), (255, 255, 255)])
    # binnacle hood
    d.ellipse([-W * 0.1, -H * 0.45, W * 1.1, H * 0.35], fill=(8, 8, 10))
    fnt = font(r.choice(SANS_PAIRS)[1], max(9, H // 28))
    digital = r.random() < 0.25

    def dial(cx, cy, rad, vmax, step, label, red=None):
        d.ellipse([cx - rad, cy - rad, cx + rad, cy + rad], fill=(12, 12, 16), outline=(70, 70, 80), width=max(2, rad // 25))
        a0, a1 = 225, -45
        n = vmax // step
        for i in range(n * 2 + 1):
            a = math.radians(a0 - (a0 - a1) * i / (n * 2))
            major = i % 2 == 0
            r1 = rad * (0.78 if major else 0.84)
            col = (230, 40, 40) if red and i / 2 * step >= red else glow
            d.line([(cx + r1 * math.cos(a), cy - r1 * math.sin(a)), (cx + rad * 0.92 * math.cos(a), cy - rad * 0.92 * math.sin(a))],
                   fill=col, width=3 if major else 1)
            if major:
                d.text((cx + rad * 0.62 * math.cos(a), cy - rad * 0.62 * math.sin(a)), str(i // 2 * step), font=fnt, fill=col, anchor="mm")
        d.text((cx, cy + rad * 0.35), label, font=fnt, fill=glow, anchor="mm")
        a = math.radians(a0 - (a0 - a1) * r.uniform(0, 0.7))
        d.line([(cx - rad * 0.15 * math.cos(a), cy + rad * 0.15 * math.sin(a)), (cx + rad * 0.85 * math.cos(a), cy - rad * 0.85 * math.sin(a))],
               fill=needle, width=max(3, rad // 22))
        d.ellipse([cx - rad * 0.08, cy - rad * 0.08, cx + rad * 0.08, cy + rad * 0.08], fill=(40, 40, 45))

    cy = H * r.uniform(0.42, 0.55)
    if digital:
        d.rounded_rectangle([W * 0.08, H * 0.15, W * 0.92, H * 0.85], radius=30, fill=(10, 12, 20), outline=(60, 60, 70), width=3)
        for k, cx in enumerate([W * 0.3, W * 0.7]):
            rad = H * 0.3
            d.arc([cx - rad, cy - rad, cx + rad, cy + rad], 135, 405, fill=(50, 50, 60), width=10)
            d.arc([cx - rad, cy - rad, cx + rad, cy + rad], 135, 135 + r.randint(20, 200), fill=glow, width=10)
            d.text((cx, cy), str(r.randint(0, 120)) if k else f"{r.uniform(0.7, 3):.1f}", font=font(r.choice(SANS_PAIRS)[1], int(H * 0.14)), fill=(255, 255, 255), anchor="mm")
            d.text((cx, cy + H * 0.12), "km/h" if k else "x1000rpm", font=fnt, fill=glow, anchor="mm")
    elif r.random() < 0.6:     # two big dials
        rad = int(min(W * 0.22, H * 0.4))
        dial(W * 0.28, cy, rad, 8, 1, "x1000r/min", red=6)
        dial(W * 0.72, cy, rad, 260, 20, "km/h")
    else:                     # central speedometer and small gauges
        rad = int(H * 0.4)
        dial(W * 0.5, cy, rad, 220, 20, "km/h")
        for sx, lab in [(0.2, "E    F"), (0.8, "C    H")]:
            rr = int(rad * 0.5)
            d.arc([W * sx - rr, cy - rr, W * sx + rr, cy + rr], 200, 340, fill=glow, width=3)
            d.text((W * sx, cy + rr * 0.2), lab, font=fnt, fill=glow, anchor="mm")
            a = math.radians(r.uniform(200, 340))
            d.line([(W * sx, cy), (W * sx + rr * math.cos(a), cy + rr * math.sin(a))], fill=needle, width=3)
    # odometer / clock / warning lights
    d.rectangle([W * 0.42, H * 0.72, W * 0.58, H * 0.8], fill=(20, 25, 30))
    d.text((W * 0.5, H * 0.76), f"ODO {r.randint(1000, 199999)} km", font=fnt, fill=glow, anchor="mm")
    for _ in range(r.randint(2, 6)):
        x, y = r.uniform(0.1, 0.9) * W, r.uniform(0.82, 0.92) * H
        c = r.choice([(255, 60, 40), (255, 180, 0), (40, 220, 80), (60, 140, 255)])
        s = H * 0.025
        shape = r.randrange(3)
        if shape == 0:
            d.ellipse([x - s, y - s, x + s, y + s], outline=c, width=2)
        elif shape == 1:
            d.polygon([(x, y - s), (x + s, y + s), (x - s, y + s)], outline=c)
        else:
            d.rectangle([x - s, y - s * 0.6, x + s, y + s * 0.6], outline=c, width=2)
    if r.random() < 0.5:      # steering wheel rim in the foreground
        d.arc([-W * 0.1, H * 0.55, W * 1.1, H * 2.2], 190, 350, fill=(15, 15, 15), width=int(H * 0.08))
    im = im.filter(ImageFilter.GaussianBlur(r.uniform(0.3, 1.2)))
    if r.random() < 0.5:      # screen-like glare
        canvas = Image.new("RGB", im.size, (0, 0, 0))
        im = place(canvas, r, im, (W / 2, H / 2), W * r.uniform(1.0, 1.2), rot=r.uniform(-8, 8), persp=0.05, shadow=False)
    return finish(r, g, lighting(r, g, im), noise=5)


def car_rear(r, g):
    """RGBA drawing of the back of a car (800 px wide) with its number plate."""
    cw, ch = 800, 560
    car = Image.new("RGBA", (cw, ch), (0, 0, 0, 0))
    d = ImageDraw.Draw(car)
    body = r.choice([(235, 235, 235), (30, 30, 35), (160, 160, 165), (130, 20, 25), (30, 55, 120), (205, 200, 185),
                     (60, 65, 70), (110, 120, 80)])
    dark = tuple(int(c * 0.55) for c in body)
    roof_w = r.uniform(0.62, 0.75)
    for sx in (0.1, 0.9):                                    # tyres
        d.rounded_rectangle([cw * sx - 60, ch * 0.78, cw * sx + 60, ch * 0.99], radius=16, fill=(18, 18, 18))
    d.polygon([(cw * (0.5 - roof_w / 2), ch * 0.08), (cw * (0.5 + roof_w / 2), ch * 0.08), (cw * 0.97, ch * 0.36), (cw * 0.03, ch * 0.36)],
              fill=body)
    d.polygon([(cw * (0.5 - roof_w / 2) + 18, ch * 0.11), (cw * (0.5 + roof_w / 2) - 18, ch * 0.11), (cw * 0.9, ch * 0.33), (cw * 0.1, ch * 0.33)],
              fill=(35, 40, 50))                             # rear window
    d.rounded_rectangle([0, ch * 0.32, cw, ch * 0.86], radius=50, fill=body)
    d.line([(cw * 0.08, ch * 0.45), (cw * 0.92, ch * 0.45)], fill=dark, width=3)   # trunk lid
    lamp = r.choice([(200, 20, 25), (170, 10, 20), (220, 60, 40)])
    if r.random() < 0.4:                                     # light bar across the trunk
        d.rounded_rectangle([cw * 0.04, ch * 0.38, cw * 0.96, ch * 0.43], radius=8, fill=lamp)
    for x0 in (0.02, 0.76):
        d.rounded_rectangle([cw * x0, ch * 0.36, cw * (x0 + 0.22), ch * 0.48], radius=14, fill=lamp)
        d.rectangle([cw * (x0 + 0.03), ch * 0.43, cw * (x0 + 0.19), ch * 0.46], fill=(235, 220, 220))
    d.rectangle([cw * 0.02, ch * 0.74, cw * 0.98, ch * 0.86], fill=dark)            # bumper
    for x0 in (0.05, 0.88):
        d.rectangle([cw * x0, ch * 0.77, cw * (x0 + 0.07), ch * 0.8], fill=(150, 20, 20))
    style = r.choices(["long", "yellow", "ev", "short"], [6, 1.2, 1, 1])[0]
    pw, ph = (cw * 0.34, cw * 0.34 / 4.7) if style in ("long", "ev") else (cw * 0.23, cw * 0.23 / 2.2)
    px0, py0 = cw / 2 - pw / 2, ch * 0.68 - ph / 2
    d.rounded_rectangle([px0 - 12, py0 - 10, px0 + pw + 12, py0 + ph + 10], radius=10, fill=dark)   # recess
    pc = {"long": (246, 246, 246), "short": (246, 246, 246), "yellow": (246, 200, 30), "ev": (90, 150, 215)}[style]
    tc = (15, 15, 15) if style != "ev" else (10, 10, 40)
    d.rounded_rectangle([px0, py0, px0 + pw, py0 + ph], radius=6, fill=pc, outline=(25, 25, 25), width=3)
    spec = r.choice(SANS_PAIRS)[1]
    if style in ("long", "ev"):
        num = plate_number(r)
        if r.random() < 0.5:                                 # EU-style blue strip
            d.rectangle([px0 + 3, py0 + 3, px0 + pw * 0.07, py0 + ph - 3], fill=(25, 60, 160))
            d.text((px0 + pw * 0.035, py0 + ph * 0.75), "KOR", font=font(spec, int(ph * 0.18)), fill="white", anchor="mm")
        d.text((px0 + pw * 0.54, py0 + ph * 0.52), num, font=fit(spec, num, pw * 0.84, int(ph * 0.85)), fill=tc, anchor="mm")
    else:                                                    # two-row plate
        top = f"{r.choice(SIDO)[0][:2]} {r.randint(10, 99)}" if style == "yellow" else f"{r.randint(10, 99)}"
        bot = f"{r.choice('바사아자배' if style == 'yellow' else PLATE_HANGUL)} {r.randint(1000, 9999)}"
        d.text((px0 + pw / 2, py0 + ph * 0.27), top, font=fit(spec, top, pw * 0.5, int(ph * 0.4)), fill=tc, anchor="mm")
        d.text((px0 + pw / 2, py0 + ph * 0.68), bot, font=fit(spec, bot, pw * 0.88, int(ph * 0.55)), fill=tc, anchor="mm")
    if r.random() < 0.7:                                     # badge and model name
        d.ellipse([cw / 2 - 22, ch * 0.5 - 14, cw / 2 + 22, ch * 0.5 + 14], outline=(205, 205, 205), width=3)
        d.text((cw * 0.8, ch * 0.55), r.choice(CARS)[0], font=font(spec, 26), fill=(200, 200, 200), anchor="mm")
    # vertical shading + specular band, kept inside the car's alpha
    arr = np.asarray(car, np.float32)
    yy = np.linspace(0, 1, ch, dtype=np.float32)[:, None]
    shade = 1.1 - 0.35 * yy + 0.25 * np.exp(-((yy - r.uniform(0.3, 0.4)) / 0.03) ** 2)
    arr[..., :3] = np.clip(arr[..., :3] * shade[..., None], 0, 255)
    return Image.fromarray(arr.astype(np.uint8))


def plate_scene(r, g):
    """Class 16: rear of a car with a Korean number plate, at varying distance and angle."""
    L = out_long(r)
    W, H = L, int(L * r.uniform(0.6, 0.8))
    if r.random() < 0.25:
        W, H = H, W
    im = background(r, g, W, H, r.choice(["desk", "dark", "marble", "fabric"]))   # wall / building
    horizon = int(H * r.uniform(0.45, 0.7))
    ground = background(r, g, W, H - horizon, "dark" if r.random() < 0.5 else "desk")
    im.paste(Image.fromarray((np.asarray(ground, np.float32) * 0.7).astype(np.uint8)), (0, horizon))
    car = car_rear(r, g)
    cw = W * r.uniform(0.55, 1.5)            # > 1: close-up, the car is cut by the frame
    chh = car.height * cw / car.width
    cx = W / 2 + r.uniform(-0.12, 0.12) * W
    bottom = max(horizon + (H - horizon) * r.uniform(0.3, 0.9), chh * 0.6)
    sh = Image.new("L", (W, H), 0)             # contact shadow
    ImageDraw.Draw(sh).ellipse([cx - cw * 0.55, bottom - chh * 0.06, cx + cw * 0.55, bottom + chh * 0.06], fill=200)
    a = np.asarray(sh.filter(ImageFilter.GaussianBlur(12)), np.float32)[..., None] / 255.0
    im = Image.fromarray((np.asarray(im, np.float32) * (1 - 0.7 * a)).astype(np.uint8))
    im = place(im, r, car.convert("RGB"), (cx, bottom - chh / 2), cw, rot=r.uniform(-3, 3), persp=r.uniform(0, 0.05),
               mask=car.getchannel("A"), shadow=False)
    return finish(r, g, lighting(r, g, im), noise=4, blur=1.2)


# class index -> renderer(r, g) -> RGB image
RENDERERS = {
    0: account_doc, 1: pregnancy_form, 2: dashboard,
    3: lambda r, g: med_certificate(r, g, 3), 4: lambda r, g: med_certificate(r, g, 4),
    5: lambda r, g: id_card(r, g, "licence"), 6: medical_bill,
    7: lambda r, g: med_certificate(r, g, 7), 8: lambda r, g: id_card(r, g, "id"), 9: passport,
    10: payment_confirmation, 11: pharmacy_receipt, 12: prescription, 13: resume,
    14: lambda r, g: med_certificate(r, g, 14), 15: vehicle_cert, 16: plate_scene,
}
