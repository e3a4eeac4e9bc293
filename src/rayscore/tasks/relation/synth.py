"""Synthetic Korean KLUE-RE files, for tests, the demo and held-out evaluation.

Made hard in the ways real relation data is:

- several entities per sentence, most sentences two facts joined into one; the label is
  decided by *which* pair is marked and in which direction: the pair of another fact in
  the same sentence, or a subject and object from different facts, is ``no_relation``;
- swapped pairs: the inverse relation where KLUE has one (parents <-> children), else
  ``no_relation``; symmetric relations (spouse, siblings, colleagues) keep their label;
- negated facts ("...에서 근무하지 않는다", "...의 대표가 아니다") are ``no_relation``, but a
  fact stated in a modifier stands when the main verb is negated ("{O} 출신 {S}는 출전하지 않았다");
- the object often comes first (apposition, relative clauses: "KBS 소속 기자 {S}"), so the
  order of the words is not the direction of the relation;
- hard negatives: pairs of the types a relation takes, co-mentioned by a predicate that states
  no relation ("{S}는 {O}의 광고를 보고 웃었다", "{S}는 {O}를 방문했다");
- one relation, many phrasings (possessive, apposition, clause, passive); one phrasing of
  each relation appears only in the test file (30 % of its facts use it), and the test
  file's names come from other syllables than the training file's, so a model must read
  the context, not memorise entities;
- ``no_relation`` dominant (about half), every relation present, the rare ones rare;
- label noise in the training file (3 %: another relation of the same entity types).

Written as the official release: ``DIR/klue-re-synth_train.json`` and
``DIR/klue-re-synth_test.json`` (JSON lists; ``end_idx`` inclusive).

Example:
    >>> manifest = generate_relations(Path("runs/re"), n=600, seed=0)   # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rayscore.corpus.manifest import Manifest
from rayscore.tasks.relation.labels import LABELS, NO_RELATION

# ---- entities -------------------------------------------------------------------------------------
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허남심노하곽성차주우구민진나엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
# Given-name syllables: training and test files draw names from different halves.
GIVEN = ("민서준지현우도윤하은수진영호성훈재혁태경동희정연석규상철미숙혜원승유나은경"
         "태린솔찬별빈슬율온겸람로해담아린결채건휘강산찬울온누리봄샘솜")
ORG_HEAD = ("한빛", "새누리", "대한", "미래", "동양", "서울", "태평양", "누리", "한결", "삼정", "청운", "백두", "금강",
            "한울", "다온", "푸른", "새벽", "은하", "한솔", "가람", "도담", "해오름", "별빛", "온누리", "바른", "큰빛")
ORG_TAIL = ("전자", "은행", "건설", "제약", "자동차", "중공업", "통신", "식품", "증권", "항공", "화학", "엔터테인먼트",
            "재단", "협회", "대학교", "병원", "신문", "방송", "연구소", "당", "교회", "오케스트라", "축구단", "출판사")
PLACES = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "수원", "전주", "청주", "춘천", "제주", "포항", "창원",
          "목포", "여수", "강릉", "안동", "경주", "평양", "도쿄", "오사카", "베이징", "상하이", "뉴욕", "런던", "파리",
          "베를린", "로마", "시드니", "토론토", "하노이", "방콕", "모스크바", "시카고", "보스턴", "밴쿠버", "나고야")
TITLES = ("피아니스트", "소설가", "배우", "가수", "국회의원", "교수", "변호사", "감독", "화가", "야구 선수",
          "축구 선수", "기자", "외교관", "건축가", "작곡가", "시인", "요리사", "검사", "아나운서", "바이올리니스트")
PRODUCTS = ("스마트폰", "전기차", "태블릿", "게임기", "노트북", "세탁기", "백신", "운영체제", "드론", "로봇청소기",
            "카메라", "이어폰", "냉장고", "반도체", "소프트웨어", "앱", "보일러", "자전거")
RELIGIONS = ("불교", "천주교", "개신교", "이슬람교", "원불교", "유교", "힌두교")
PARTIES = ("민주당", "국민당", "녹색당", "진보당", "자유당", "정의당", "공화당", "노동당")


def _josa(word: str, pair: str) -> str:
    """The particle form after ``word``: 은/는, 이/가, 을/를, 과/와, 이다/다, 으로/로."""
    last = word.rstrip()[-1]
    code = ord(last) - 0xAC00
    if 0 <= code < 11172:
        coda = code % 28
    else:
        coda = 1 if last.isdigit() and last in "013678" else 0  # 일, 삼, 육, 칠, 팔, 십/영: a final consonant
    a, b = pair.split("/")
    if pair == "으로/로":
        return b if coda in (0, 8) else a  # ㄹ takes 로
    return a if coda else b


@dataclass
class Entity:
    word: str
    type: str


class Names:
    """Entity makers for one file: ``held_out`` draws given names from the other half of the syllables."""

    def __init__(self, rng: np.random.Generator, held_out: bool) -> None:
        self.rng = rng
        half = len(GIVEN) // 2
        self.given = GIVEN[half:] if held_out else GIVEN[:half]
        self.held_out = held_out

    def pick(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def person(self) -> Entity:
        return Entity(self.pick(SURNAMES) + self.pick(self.given) + self.pick(self.given), "PER")

    def org(self) -> Entity:
        head = self.pick(ORG_HEAD)
        if self.held_out and self.rng.random() < 0.6:  # unseen organisation names: made-up heads
            head = self.pick(self.given) + self.pick(self.given)
        return Entity(head + self.pick(ORG_TAIL), "ORG")

    def place(self) -> Entity:
        return Entity(self.pick(PLACES), "LOC")

    def date(self) -> Entity:
        y, m, d = int(self.rng.integers(1890, 2024)), int(self.rng.integers(1, 13)), int(self.rng.integers(1, 29))
        form = int(self.rng.integers(3))
        return Entity(f"{y}년 {m}월 {d}일" if form == 0 else f"{y}년 {m}월" if form == 1 else f"{y}년", "DAT")

    def number(self) -> Entity:
        n = int(self.rng.integers(12, 90000))
        return Entity(f"{n:,}명" if self.rng.random() < 0.7 else f"약 {n // 100 * 100:,}명", "NOH")

    def thing(self, kind: str) -> Entity:
        if kind == "title":
            return Entity(self.pick(TITLES), "POH")
        if kind == "product":
            return Entity(self.pick(self.given) + self.pick(self.given) + " " + self.pick(PRODUCTS), "POH")
        if kind == "religion":
            return Entity(self.pick(RELIGIONS), "POH")
        if kind == "party":
            return Entity(self.pick(PARTIES), "ORG")
        if kind == "alias_person":
            return Entity(self.pick(self.given) + self.pick(self.given), "PER")
        raise ValueError(kind)

    def alias_org(self, org: Entity) -> Entity:
        head = org.word[:2]
        return Entity(head + ("사" if self.rng.random() < 0.5 else "그룹"), "ORG")

    def make(self, kind: str) -> Entity:
        return {"PER": self.person, "ORG": self.org, "LOC": self.place, "DAT": self.date,
                "NOH": self.number}.get(kind, lambda: self.thing(kind))()


# ---- facts ----------------------------------------------------------------------------------------
# (label, subject kind, object kind, phrasings). A phrasing is a body and a predicate class:
#   "하": the body ends in a 하다 verb stem ("근무"), "되": a 되다 stem ("설립"), "이": a noun ("대표");
#   "*" after it: the fact sits in a modifier ("{O} 출신 {S은} 대회에 출전"), so negating the main
#   verb leaves it standing (the label stays: negation is not a keyword for no_relation).
# In a body {S} / {O} are the entities, {S은} means the subject with 은/는, and so on.
# The last phrasing of each fact is held out: only the test file uses it.
FACTS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("per:employee_of", "PER", "ORG", [("{S은} {O}에서 근무", "하"), ("{S은} 현재 {O}에 재직", "하"),
                                       ("{S은} {O} 소속 직원", "이"), ("{O} 소속 {S은} 이번 행사에 참석", "하*"), ("{O}에 입사한 {S은} 그곳에서 일", "하")]),
    ("org:top_members/employees", "ORG", "PER", [("{O은} {S}의 대표이사", "이"), ("{S}의 최고경영자는 {O}", "이"),
                                                 ("{O은} {S}를 이끄는 회장", "이"), ("{O} 대표가 이끄는 {S은} 올해 흑자를 기록", "하*"), ("{S}의 수장은 바로 {O}", "이")]),
    ("per:title", "PER", "title", [("{S은} 유명한 {O}", "이"), ("{S은} 오랫동안 {O}로 활동", "하"),
                                   ("{O} {S은} 새 작품을 발표", "하*"), ("{S}의 직업은 {O}", "이")]),
    ("org:members", "ORG", "ORG", [("{O은} {S}의 회원 기관", "이"), ("{S}에는 {O}도 회원으로 참여", "하"),
                                   ("{O}를 회원으로 둔 {S은} 총회를 개최", "하*"), ("{O은} {S}에 속한 단체", "이")]),
    ("org:member_of", "ORG", "ORG", [("{S은} {O}에 가입", "하"), ("{S은} {O}의 정회원", "이"),
                                     ("{O}에 가입한 {S은} 첫 회의에 참석", "하*"), ("{S은} {O}의 일원으로 활동", "하")]),
    ("org:product", "ORG", "product", [("{S은} {O}를 출시", "하"), ("{O}는 {S}가 생산", "하"),
                                       ("{O}를 만드는 {S은} 올해 매출이 크게 증가", "하*"), ("{S}의 대표 제품은 {O}", "이")]),
    ("per:product", "PER", "product", [("{S은} {O}를 개발", "하"), ("{O}는 {S}가 직접 설계", "하"),
                                       ("{O}의 개발자인 {S은} 새 버전을 공개", "하*"), ("{S}의 대표작은 {O}", "이")]),
    ("org:alternate_names", "ORG", "alias_org", [("{S}의 약칭은 {O}", "이"), ("{S은} 흔히 {O}로 불린다는 점이 확인", "되"),
                                                 ("{O}라는 약칭으로 더 유명한 {S은} 창립 기념식을 개최", "하*"), ("{S}의 옛 이름은 {O}", "이")]),
    ("per:alternate_names", "PER", "alias_person", [("{S}의 본명은 {O}", "이"), ("{S은} {O}라는 예명으로 활동", "하"),
                                                    ("{O}라는 이름으로 더 알려진 {S은} 신곡을 발표", "하*"), ("{S}의 필명은 {O}", "이")]),
    ("org:place_of_headquarters", "ORG", "LOC", [("{S}의 본사는 {O}에 위치", "하"), ("{S은} {O}에 본부를 둔 기관", "이"),
                                                 ("{O}에 본사를 둔 {S은} 해외 진출을 추진", "하*"), ("{S}의 본점은 {O}에 소재", "하")]),
    ("org:number_of_employees/members", "ORG", "NOH", [("{S}의 직원 수는 {O}", "이"), ("{S}에는 {O}이 근무", "하"),
                                                       ("{O}의 직원을 거느린 {S은} 채용을 확대", "하*"), ("{S}의 회원은 모두 {O}", "이")]),
    ("per:children", "PER", "PER", [("{O은} {S}의 아들", "이"), ("{O은} {S}의 딸", "이"), ("{O}의 아버지인 {S은} 아들의 수상을 축하", "하*"), ("{S}의 자녀는 {O}", "이")]),
    ("per:parents", "PER", "PER", [("{O은} {S}의 아버지", "이"), ("{O은} {S}의 어머니", "이"), ("{O}의 딸 {S은} 어머니의 뒤를 이어 가게를 운영", "하*"), ("{S}를 낳은 사람은 {O}", "이")]),
    ("per:siblings", "PER", "PER", [("{S은} {O}의 형", "이"), ("{S}와 {O은} 친남매 사이", "이"),
                                    ("{O}의 누나인 {S은} 동생의 결혼식에 참석", "하*"), ("{S}의 동생은 {O}", "이")]),
    ("per:spouse", "PER", "PER", [("{S은} {O}와 결혼", "하"), ("{S}의 아내는 {O}", "이"), ("{S}의 남편은 {O}", "이"),
                                  ("{O}의 남편 {S은} 기자회견에 함께 참석", "하*"), ("{S}와 {O은} 부부 사이", "이")]),
    ("per:other_family", "PER", "PER", [("{O은} {S}의 사촌", "이"), ("{O은} {S}의 삼촌", "이"), ("{O}의 외삼촌인 {S은} 조카의 공연을 관람", "하*"), ("{S}의 조카는 {O}", "이")]),
    ("per:colleagues", "PER", "PER", [("{S은} {O}와 같은 팀에서 근무", "하"), ("{S}와 {O은} 오랜 동료", "이"),
                                      ("{O}와 한 팀인 {S은} 결승전에 출전", "하*"), ("{S은} {O}와 함께 밴드 활동", "하")]),
    ("per:place_of_residence", "PER", "LOC", [("{S은} {O}에 거주", "하"), ("{S은} 현재 {O}에서 생활", "하"),
                                              ("{O}에 사는 {S은} 매일 자전거로 출근", "하*"), ("{S}의 거주지는 {O}", "이")]),
    ("per:origin", "PER", "LOC", [("{S은} {O} 출신", "이"), ("{S}의 고향은 {O}", "이"), ("{O} 출신 {S은} 이번 대회에 출전", "하*"), ("{O}에서 자란 {S은} 그곳을 대표", "하*")]),
    ("per:place_of_birth", "PER", "LOC", [("{S은} {O}에서 출생", "하"), ("{S}의 출생지는 {O}", "이"),
                                          ("{O}에서 태어난 {S은} 그곳에서 유년기를 보낸 것으로 확인", "되*"), ("{S은} {O}의 한 병원에서 태어난 것으로 확인", "되")]),
    ("per:place_of_death", "PER", "LOC", [("{S은} {O}에서 사망", "하"), ("{S}의 사망 장소는 {O}", "이"),
                                          ("{O}에서 숨진 {S}의 장례식이 엄수", "되*"), ("{S은} {O}에서 생을 마감", "하")]),
    ("per:date_of_birth", "PER", "DAT", [("{S은} {O}에 출생", "하"), ("{S}의 생일은 {O}", "이"),
                                         ("{O}생인 {S은} 올해 은퇴를 선언", "하*"), ("{S은} {O}에 태어난 것으로 기록", "되")]),
    ("per:date_of_death", "PER", "DAT", [("{S은} {O}에 사망", "하"), ("{S}의 기일은 {O}", "이"), ("{O}에 세상을 떠난 {S}의 유작이 공개", "되*"), ("{S은} {O}에 별세", "하")]),
    ("org:founded", "ORG", "DAT", [("{S은} {O}에 설립", "되"), ("{S}의 창립일은 {O}", "이"), ("{O}에 창립된 {S은} 올해 창립 기념식을 개최", "하*"), ("{S은} {O}에 문을 연 곳", "이")]),
    ("org:founded_by", "ORG", "PER", [("{S은} {O}가 설립", "하"), ("{O은} {S}를 창립", "하"), ("{O}가 세운 {S은} 국내 최대 규모로 성장", "하*"), ("{S}의 창업자는 {O}", "이")]),
    ("org:dissolved", "ORG", "DAT", [("{S은} {O}에 해산", "하"), ("{S은} {O}에 해체", "되"), ("{O}에 해산된 {S}의 자산은 모두 매각", "되*"), ("{S}의 폐업일은 {O}", "이")]),
    ("per:schools_attended", "PER", "ORG", [("{S은} {O}를 졸업", "하"), ("{S은} {O}에서 학위를 취득", "하"),
                                            ("{O} 졸업생인 {S은} 모교에 장학금을 기부", "하*"), ("{S}의 모교는 {O}", "이")]),
    ("per:religion", "PER", "religion", [("{S은} 독실한 {O} 신자", "이"), ("{S}의 종교는 {O}", "이"),
                                         ("{O} 신자인 {S은} 매주 예배에 참석", "하*"), ("{S은} {O}를 믿는 사람", "이")]),
    ("org:political/religious_affiliation", "ORG", "party", [("{S은} {O}를 지지하는 단체", "이"),
                                                              ("{S은} {O} 계열 조직", "이"),
                                                              ("{O}를 지지하는 {S은} 이번 선거에서 후보를 지원", "하*"), ("{S은} {O}와 정치적으로 연대", "하")]),
]
#: Relative frequency of each fact (KLUE is skewed: titles and employers common, religion rare).
WEIGHTS = {"per:employee_of": 6, "org:top_members/employees": 6, "per:title": 4, "org:members": 3,
           "org:member_of": 3, "org:product": 3, "per:product": 2, "org:alternate_names": 3,
           "per:alternate_names": 2, "org:place_of_headquarters": 3, "org:number_of_employees/members": 1,
           "per:children": 2, "per:parents": 2, "per:siblings": 1.5, "per:spouse": 2, "per:other_family": 1.5,
           "per:colleagues": 2, "per:place_of_residence": 2, "per:origin": 3, "per:place_of_birth": 1.5,
           "per:place_of_death": 1, "per:date_of_birth": 2, "per:date_of_death": 1.5, "org:founded": 2,
           "org:founded_by": 1.5, "org:dissolved": 0.8, "per:schools_attended": 1.5, "per:religion": 0.8,
           "org:political/religious_affiliation": 1}
#: What the swapped pair is (KLUE labels only the pair as marked).
INVERSE = {"per:children": "per:parents", "per:parents": "per:children", "per:spouse": "per:spouse",
           "per:siblings": "per:siblings", "per:colleagues": "per:colleagues",
           "per:other_family": "per:other_family", "org:members": "org:member_of", "org:member_of": "org:members"}
# Hard negatives: pairs of the types relations take, co-mentioned by predicates that state no relation.
FACTS += [
    (NO_RELATION, "PER", "ORG", [("{S은} {O}의 신제품 발표회에 참석", "하"), ("{S은} {O}를 상대로 소송을 제기", "하"),
                                 ("{S은} {O}의 광고 모델 제안을 거절", "하"), ("{S은} {O}의 경영 방식을 비판", "하")]),
    (NO_RELATION, "ORG", "PER", [("{S은} {O}에게 감사패를 전달", "하"), ("{S}의 주가는 {O}의 발언 이후 급등", "하"),
                                 ("{S은} {O}의 주장을 반박", "하")]),
    (NO_RELATION, "PER", "PER", [("{S은} {O}와 같은 날 시상식에 참석", "하"), ("{S은} {O}를 공개적으로 비판", "하"),
                                 ("{S은} 인터뷰에서 {O}의 연기를 칭찬", "하"), ("{S은} {O}와 토론회에서 맞대결", "하")]),
    (NO_RELATION, "PER", "LOC", [("{S은} 휴가 중 {O}를 방문", "하"), ("{S은} {O}에서 열린 콘서트에 출연", "하"),
                                 ("{S은} {O}행 비행기에 탑승", "하")]),
    (NO_RELATION, "ORG", "LOC", [("{S은} {O}에서 신제품 설명회를 개최", "하"), ("{S은} {O} 지역에 성금을 기부", "하")]),
    (NO_RELATION, "ORG", "ORG", [("{S은} {O}와 치열하게 경쟁", "하"), ("{S은} 결승에서 {O}를 상대로 승리", "하"),
                                 ("{S은} {O}와의 협상을 중단", "하")]),
    (NO_RELATION, "PER", "DAT", [("{S은} {O}에 첫 앨범을 발표", "하"), ("{S은} {O}에 기자회견을 개최", "하")]),
    (NO_RELATION, "ORG", "DAT", [("{S은} {O}에 신제품을 출시", "하"), ("{S은} {O}에 본사를 이전", "하")]),
]
WEIGHTS[NO_RELATION] = 0.7  # each of the eight: about 8 % of the facts
assert {f[0] for f in FACTS} == set(LABELS)

_FORMS = {  # predicate endings: affirmed final, negated final, connective ("and ..."), negated connective
    "하": (("한다", "했다", "하고 있다", "해 왔다"), ("하지 않는다", "하지 않았다", "한 적이 없다"), ("하며", "했고", "하고"),
          ("하지 않았고", "하지 않으며", "한 적이 없으며")),
    "되": (("되었다", "됐다", "된다"), ("되지 않았다", "된 적이 없다"), ("되었으며", "됐고"), ("되지 않았고", "된 적이 없고")),
}
FILLERS = ("지난해", "당시", "최근 보도에 따르면", "업계에 따르면", "관계자에 따르면", "공식 자료에 의하면", "")
ENDINGS = ("고 밝혔다.", "고 전해졌다.", "는 사실이 알려졌다.", ".", ".", ".")


def _noun_forms(word_before: str) -> tuple[tuple[str, ...], ...]:
    coda = _josa(word_before, "이/가") == "이"
    ga = "이" if coda else "가"
    return ((("이다", "이었다") if coda else ("다", "였다")), (f"{ga} 아니다", f"{ga} 아니었다"),
            (("이며", "이고") if coda else ("이며", "고")), (f"{ga} 아니며", f"{ga} 아니었고"))


class _Builder:
    """A sentence built piece by piece, remembering where each entity went."""

    def __init__(self) -> None:
        self.text = ""
        self.spans: dict[str, tuple[int, int, Entity]] = {}

    def add(self, s: str) -> None:
        self.text += s

    def entity(self, key: str, ent: Entity) -> None:
        self.spans[key] = (len(self.text), len(self.text) + len(ent.word) - 1, ent)
        self.text += ent.word


def _render(b: _Builder, body: str, ents: dict[str, Entity], tag: str) -> None:
    """Write ``body`` with its {S}/{O} slots (and particles) into ``b``; entities keyed ``tag+S``."""
    i = 0
    while i < len(body):
        if body[i] == "{":
            j = body.index("}", i)
            slot = body[i + 1:j]
            key, particle = slot[0], slot[1:]
            b.entity(tag + key, ents[key])
            if particle:
                b.add(_josa(ents[key].word, {"은": "은/는", "이": "이/가", "을": "을/를", "과": "과/와"}[particle]))
            i = j + 1
            # particles written literally after a slot ({O}를, {S}와, {O}로) agree with the word
            for lit, pair in (("를", "을/를"), ("을", "을/를"), ("와", "과/와"), ("과", "과/와"), ("가", "이/가"),
                              ("는", "은/는"), ("로", "으로/로"), ("라는", "이라는/라는"), ("이 ", "이/가")):
                if body.startswith(lit, i) and not particle:
                    form = _josa(ents[key].word, pair) if pair != "이라는/라는" else (
                        "이라는" if _josa(ents[key].word, "이/가") == "이" else "라는")
                    if pair == "이/가" and lit == "이 ":
                        form = _josa(ents[key].word, pair) + " "
                    b.add(form)
                    i += len(lit)
                    break
        else:
            b.add(body[i])
            i += 1


@dataclass
class Fact:
    label: str
    ents: dict[str, Entity]
    body: str
    kind: str
    negated: bool  # the main verb is negated ...

    @property
    def denied(self) -> bool:
        """... which denies the fact unless the fact sits in a modifier (kind "하*")."""
        return self.negated and not self.kind.endswith("*")


def _fact(names: Names, rng: np.random.Generator, held_out: bool, neg_rate: float, unseen: float = 0.5) -> Fact:
    labels = [f[0] for f in FACTS]
    w = np.array([WEIGHTS[lab] for lab in labels], float)
    label, skind, okind, phrasings = FACTS[int(rng.choice(len(FACTS), p=w / w.sum()))]
    usable = phrasings[:-1]
    if held_out and rng.random() < unseen:
        usable = phrasings[-1:]  # the phrasing training never sees
    body, kind = usable[int(rng.integers(len(usable)))]
    s = names.make(skind)
    o = names.alias_org(s) if okind == "alias_org" else names.make(okind)
    while o.word == s.word:
        o = names.make(okind)
    return Fact(label, {"S": s, "O": o}, body, kind, negated=bool(rng.random() < neg_rate))


def _clause(b: _Builder, fact: Fact, tag: str, final: bool, rng: np.random.Generator) -> None:
    _render(b, fact.body, fact.ents, tag)
    kind = fact.kind.rstrip("*")
    if kind == "이":
        affirm, neg, conn, neg_conn = _noun_forms(b.text)
    else:
        affirm, neg, conn, neg_conn = _FORMS[kind]
    if not final:
        forms = neg_conn if fact.negated else conn
        b.add(forms[int(rng.integers(len(forms)))] + ", ")
        return
    forms = neg if fact.negated else affirm
    end = forms[int(rng.integers(len(forms)))]
    tail = ENDINGS[int(rng.integers(len(ENDINGS)))]
    if tail == ".":
        b.add(end + ".")
        return
    # quoted: the copula's 다 becomes 라 (대표이다 -> 대표이라고, 아니다 -> 아니라는), verbs keep it
    copula = kind == "이" and (end in ("다", "이다") or end.endswith("아니다"))
    b.add((end[:-1] + "라" if copula else end) + tail)


def _record(rng: np.random.Generator, names: Names, held_out: bool, guid: str, unseen: float = 0.5) -> dict:
    n_facts = 1 if rng.random() < 0.35 else 2
    facts = [_fact(names, rng, held_out, neg_rate=0.12, unseen=unseen) for _ in range(n_facts)]
    b = _Builder()
    filler = FILLERS[int(rng.integers(len(FILLERS)))]
    if filler:
        b.add(filler + " ")
    for k, f in enumerate(facts):
        _clause(b, f, f"{k}", final=k == len(facts) - 1, rng=rng)
    # which pair is marked: a fact's own pair (as stated or swapped), or a pair across facts
    r = rng.random()
    k = int(rng.integers(n_facts))
    f = facts[k]
    if n_facts == 2 and r < 0.3:
        a, c = (f"{k}{rng.choice(['S', 'O'])}", f"{1 - k}{rng.choice(['S', 'O'])}")
        subj, obj, label = a, c, NO_RELATION
    elif r < 0.45:
        subj, obj = f"{k}O", f"{k}S"
        label = NO_RELATION if f.denied else INVERSE.get(f.label, NO_RELATION)
    else:
        subj, obj = f"{k}S", f"{k}O"
        label = NO_RELATION if f.denied else f.label
    s0, s1, se = b.spans[subj]
    o0, o1, oe = b.spans[obj]
    return {"guid": guid, "sentence": b.text,
            "subject_entity": {"word": se.word, "start_idx": s0, "end_idx": s1, "type": se.type},
            "object_entity": {"word": oe.word, "start_idx": o0, "end_idx": o1, "type": oe.type},
            "label": label, "source": "synthetic"}


def _noisy(rec: dict, rng: np.random.Generator, rate: float) -> dict:
    """Another relation of the same entity types for ``rate`` of the rows (annotators disagree)."""
    if rng.random() >= rate:
        return rec
    types = (rec["subject_entity"]["type"], rec["object_entity"]["type"])
    kinds = {"title": "POH", "product": "POH", "religion": "POH", "party": "ORG", "alias_org": "ORG",
             "alias_person": "PER"}
    same = [lab for lab, s, o, _ in FACTS if (kinds.get(s, s), kinds.get(o, o)) == types and lab != rec["label"]]
    rec["label"] = same[int(rng.integers(len(same)))] if same else NO_RELATION
    return rec


def relation_records(n: int, seed: int, held_out: bool, label_noise: float = 0.0, prefix: str = "train",
                     unseen_phrasing: float = 0.3) -> list[dict]:
    """``n`` KLUE-RE records; ``held_out``: names from other syllables, and ``unseen_phrasing`` of the
    facts in the phrasing training never has."""
    rng = np.random.default_rng(seed)
    names = Names(rng, held_out)
    out = [_noisy(_record(rng, names, held_out, f"klue-re-synth_{prefix}_{i:05d}", unseen_phrasing), rng,
                  label_noise) for i in range(n)]
    # every relation at least once (small corpora): rows of missing relations are redrawn
    seen = {r["label"] for r in out}
    i = 0
    while len(seen) < len(LABELS) and i < 50 * n:
        rec = _record(rng, names, held_out, out[i % n]["guid"], unseen_phrasing)
        if rec["label"] not in seen and out[i % n]["label"] == NO_RELATION:
            out[i % n] = rec
            seen.add(rec["label"])
        i += 1
    return out


def write_klue(records: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def generate_relations(out_dir: Path, n: int, seed: int, test_share: float = 0.3) -> Manifest:
    """A train file (label noise) and a held-out test file in the official layout, imported."""
    from rayscore.tasks.relation.klue import import_klue

    out_dir = Path(out_dir)
    n_test = max(1, int(round(n * test_share)))
    write_klue(relation_records(n - n_test, seed, held_out=False, label_noise=0.03),
               out_dir / "klue-re-synth_train.json")
    write_klue(relation_records(n_test, seed + 7919, held_out=True, prefix="test"),
               out_dir / "klue-re-synth_test.json")
    return import_klue(out_dir)
