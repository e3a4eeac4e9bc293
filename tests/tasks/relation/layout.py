"""KLUE-RE files as the official release ships them, built by the tests (not by the task's
generator): JSON lists with inclusive end indices, the JSON-lines variant, an unlabelled test
file (KLUE marks its labels 100), and the mess real exports have (a span that does not match its
word, an unknown label or entity type, a record without its object)."""

from __future__ import annotations

import json
from pathlib import Path

# The first record of KLUE-RE v1.1 train, as published.
OFFICIAL = {"guid": "klue-re-v1_train_00000",
            "sentence": "〈Something〉는 조지 해리슨이 쓰고 비틀즈가 1969년 앨범 《Abbey Road》에 담은 노래다.",
            "subject_entity": {"word": "비틀즈", "start_idx": 24, "end_idx": 26, "type": "ORG"},
            "object_entity": {"word": "조지 해리슨", "start_idx": 13, "end_idx": 18, "type": "PER"},
            "label": "no_relation", "source": "wikipedia"}

PEOPLE = ["김철수", "박영희", "이민호", "최지우", "정우성", "한가인", "윤여정", "송강호", "전도연", "유재석",
          "강호동", "신동엽", "이효리", "장나라", "문근영", "고수", "조인성", "하정우"]
ORGS = ["삼성전자", "현대자동차", "LG화학", "네이버", "카카오", "서울대학교", "연세대학교", "한국은행", "SK텔레콤",
        "포스코", "대한항공", "KBS"]
PLACES = ["서울", "부산", "대구", "광주", "대전", "제주"]
# (label, subject kind, object kind, sentence) with {s} and {o}: phrasings of this file, not the generator's
FACTS = [
    ("per:employee_of", "PER", "ORG", "{s}은 {o}에서 엔지니어로 일하고 있다."),
    ("per:employee_of", "PER", "ORG", "{o} 소속 연구원 {s}은 이번 발표를 맡았다."),
    ("per:employee_of", "PER", "ORG", "{s}은 2015년부터 {o}에 다니고 있다."),
    ("org:top_members/employees", "ORG", "PER", "{o}은 {s}의 사장으로 취임했다."),
    ("org:top_members/employees", "ORG", "PER", "{s} 대표 {o}은 신제품을 소개했다."),
    ("per:origin", "PER", "LOC", "{s}은 {o} 태생의 배우이다."),
    ("per:origin", "PER", "LOC", "{o} 출신인 {s}은 데뷔 20년을 맞았다."),
    ("per:spouse", "PER", "PER", "{s}은 2010년 {o}와 결혼식을 올렸다."),
    ("per:spouse", "PER", "PER", "{s}의 배우자 {o}도 행사에 참석했다."),
    ("per:schools_attended", "PER", "ORG", "{s}은 {o} 경영학과를 졸업했다."),
    ("per:schools_attended", "PER", "ORG", "{o}에서 공부한 {s}은 귀국 후 교수가 되었다."),
    ("no_relation", "PER", "ORG", "{s}은 {o}의 광고를 보고 웃었다."),
    ("no_relation", "PER", "ORG", "{s}은 {o}에 입사하지 않았다."),
    ("no_relation", "PER", "PER", "{s}과 {o}은 같은 날 시상식에 참석했지만 대화하지 않았다."),
    ("no_relation", "ORG", "PER", "{s}의 주가는 {o}의 발언 이후 올랐다."),
    ("no_relation", "PER", "LOC", "{s}은 휴가 중 {o}를 잠시 들렀다."),
]
POOL = {"PER": PEOPLE, "ORG": ORGS, "LOC": PLACES}
TYPE = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


def record(guid: str, sentence: str, subj: str, stype: str, obj: str, otype: str, label: str | None) -> dict:
    """A KLUE record; indices found in the sentence here, end inclusive."""
    s0 = sentence.index(subj)
    o0 = sentence.index(obj, s0 + len(subj)) if sentence.count(obj) > 1 and obj in subj else sentence.index(obj)
    rec = {"guid": guid, "sentence": sentence,
           "subject_entity": {"word": subj, "start_idx": s0, "end_idx": s0 + len(subj) - 1, "type": stype},
           "object_entity": {"word": obj, "start_idx": o0, "end_idx": o0 + len(obj) - 1, "type": otype},
           "source": "wikitree"}
    if label is not None:
        rec["label"] = label
    return rec


def facts(n: int, offset: int, split: str) -> list[dict]:
    out = []
    for i in range(n):
        label, sk, ok, text = FACTS[i % len(FACTS)]
        s = POOL[sk][(i * 7 + offset) % len(POOL[sk])]
        o = POOL[ok][(i * 5 + offset + 1) % len(POOL[ok])]
        if s == o:
            o = POOL[ok][(i * 5 + offset + 2) % len(POOL[ok])]
        out.append(record(f"klue-re-v1_{split}_{i + 1:05d}", text.format(s=s, o=o), s, TYPE[sk], o, TYPE[ok], label))
    return out


def write_klue_files(root: Path, n_train: int = 96, n_dev: int = 32) -> dict:
    """train (a JSON list, with broken records), dev (JSON lines), test (labels 100); what was written."""
    root.mkdir(parents=True, exist_ok=True)
    train = [OFFICIAL, *facts(n_train, 0, "train")]
    broken = [
        record("bad-span", "홍길동은 율도국의 왕이다.", "홍길동", "PER", "율도국", "LOC", "no_relation"),
        record("bad-label", "홍길동은 율도국의 왕이다.", "홍길동", "PER", "율도국", "LOC", "per:king_of"),
        record("bad-type", "홍길동은 율도국의 왕이다.", "홍길동", "PER", "율도국", "XYZ", "no_relation"),
        {"guid": "no-object", "sentence": "홍길동은 율도국의 왕이다.", "label": "no_relation",
         "subject_entity": {"word": "홍길동", "start_idx": 0, "end_idx": 2, "type": "PER"}},
    ]
    broken[0]["subject_entity"]["end_idx"] = 3  # exclusive end written by mistake: "홍길동은"
    (root / "klue-re-v1.1_train.json").write_text(json.dumps(train + broken, ensure_ascii=False, indent=2),
                                                  encoding="utf-8")
    dev = facts(n_dev, 3, "dev")
    (root / "klue-re-v1.1_dev.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in dev) + "\n",
                                                 encoding="utf-8")
    test = [dict(r, label=100) for r in facts(8, 11, "test")]
    (root / "klue-re-v1.1_test.json").write_text(json.dumps(test, ensure_ascii=False), encoding="utf-8")
    (root / "README.md").write_text("KLUE-RE v1.1 (CC BY-SA 4.0)\n", encoding="utf-8")  # other files beside
    return {"train": len(train), "broken": len(broken), "dev": len(dev), "test": len(test),
            "broken_ids": [b["guid"] for b in broken]}
