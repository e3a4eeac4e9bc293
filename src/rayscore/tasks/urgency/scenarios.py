"""Scripts of generated 119 calls whose urgency follows from facts, not from keywords.

A call states a few facts about one situation (is the patient breathing, conscious,
bleeding; is anyone inside the fire; is the child alone behind the locked door). The
same words appear at every level, and what decides the level is how a fact is said:
negated (``숨을 안 쉬어요`` vs ``숨은 잘 쉬어요``), qualified (``피가 조금`` vs ``피가 많이``)
or changed over time (``아까는 숨을 안 쉬었는데 지금은 쉬어요``). The level is the most
severe fact that holds now; closings ("빨리 와주세요") are drawn independently of it,
as real callers ask for speed at every level.

Example:
    >>> kind, utterances, level = script(np.random.default_rng(0))
    >>> kind in ("구급", "구조", "화재") and level in (0, 1, 2)
    True
"""

from __future__ import annotations

import numpy as np

#: Share of each level (하, 중, 상): imbalanced like real call logs.
LEVEL_SHARE = (0.3, 0.5, 0.2)
# Facts per call type: (topic, severity, phrasing). Severity 2 = 상, 1 = 중, 0 = 하. Topics repeat
# across severities on purpose: the wording around the shared words carries the level.
FACTS: dict[str, list[tuple[str, int, str]]] = {
    "구급": [
        ("breath", 2, "{who} 숨을 안 쉬어요"), ("breath", 2, "{who} 숨을 못 쉬어요"),
        ("breath", 2, "숨소리가 안 들려요"), ("breath", 1, "{who} 숨쉬기가 좀 힘들대요"),
        ("breath", 1, "숨이 많이 가빠요"), ("breath", 0, "숨은 잘 쉬어요"), ("breath", 0, "숨은 쉬고 있어요"),
        ("conscious", 2, "의식이 없어요"), ("conscious", 2, "불러도 대답을 안 해요"), ("conscious", 2, "눈을 안 떠요"),
        ("conscious", 1, "정신이 좀 흐릿해요"), ("conscious", 1, "어지럽다고 계속 그래요"),
        ("conscious", 0, "의식은 있어요"), ("conscious", 0, "말은 잘 해요"), ("conscious", 0, "대답은 잘 해요"),
        ("blood", 2, "피가 멈추지 않아요"), ("blood", 2, "피가 많이 나요"), ("blood", 1, "피가 조금 나요"),
        ("blood", 0, "피는 안 나요"), ("blood", 0, "피는 멈췄어요"),
        ("pain", 2, "{who} 가슴을 움켜쥐고 쓰러졌어요"), ("pain", 1, "다리가 부러진 것 같아요"),
        ("pain", 1, "열이 사십 도까지 올라요"), ("pain", 1, "계속 토해요"), ("pain", 0, "배가 조금 아파요"),
        ("pain", 0, "발목을 살짝 삐었어요"), ("pain", 0, "어느 병원으로 가야 하는지 궁금해서요"),
    ],
    "구조": [
        ("trapped", 2, "엘리베이터에 갇혔는데 안에 사람이 크게 다쳤어요"),
        ("trapped", 1, "엘리베이터에 갇혔어요 다친 사람은 없어요"), ("trapped", 0, "엘리베이터가 멈췄다가 문은 열렸어요"),
        ("water", 2, "아이가 물에 빠졌어요 안 보여요"), ("water", 1, "물에 빠졌다가 나왔는데 계속 기침을 해요"),
        ("water", 0, "물에 빠졌다가 금방 나왔어요 괜찮아요"),
        ("door", 2, "문이 잠겼는데 안에 아기가 혼자 있고 가스불이 켜져 있어요"),
        ("door", 1, "문이 잠겼는데 안에 아이가 있어요"), ("door", 0, "문이 잠겨서 집에 못 들어가요"),
        ("animal", 2, "벌에 쏘였는데 숨을 못 쉬어요"), ("animal", 1, "벌에 쏘였는데 많이 부었어요"),
        ("animal", 0, "베란다에 벌집이 생겼어요"), ("animal", 0, "고양이가 나무에서 못 내려와요"),
        ("road", 2, "차 밑에 사람이 깔렸어요"), ("road", 1, "교통사고가 났는데 목이 좀 아파요"),
        ("road", 0, "교통사고가 났는데 다친 사람은 없어요"),
    ],
    "화재": [
        ("fire", 2, "불이 났는데 안에 사람이 있어요"), ("fire", 2, "연기가 가득 차서 나갈 수가 없어요"),
        ("fire", 1, "불이 났는데 다들 밖으로 나왔어요"), ("fire", 1, "부엌에서 불이 났는데 아직 안 꺼졌어요"),
        ("fire", 0, "불은 다 꺼졌어요"), ("fire", 0, "불은 아니고 타는 냄새만 조금 나요"),
        ("smoke", 2, "연기를 마시고 쓰러졌어요"), ("smoke", 1, "연기가 계속 나요"),
        ("smoke", 0, "연기는 안 나요"), ("smoke", 0, "옆집 화재경보기가 계속 울려요"),
    ],
}
WHO = ["아버지", "어머니", "남편", "아내", "아이", "할머니", "할아버지", "친구", "동생", "옆집 아저씨"]
OPENINGS = ["여보세요", "저기요", "119죠", "신고하려고요", "네 여보세요", "저기 도와주세요"]
LOCATIONS = ["여기 {dong} {n}번지예요", "주소는 {dong} 아파트 {n}동이에요", "{dong} 사거리 근처예요",
             "{dong} 주민센터 옆이에요"]
DONGS = ["풍암동", "쌍촌동", "역삼동", "상무동", "신림동", "치평동", "문흥동", "합정동"]
#: Closings at every level: asking for speed says how the caller feels, not how urgent it is.
CLOSINGS = ["빨리 와주세요", "제발 빨리요", "와주실 수 있나요", "좀 빨리 부탁드려요", "어떻게 해야 돼요",
            "확인 좀 부탁드려요", "천천히 오셔도 돼요"]
#: "It was X, now it is Y": the earlier, more severe fact no longer holds.
WAS = {"숨을 안 쉬어요": "아까는 숨을 안 쉬었는데 지금은 쉬어요", "의식이 없어요": "아까는 의식이 없었는데 지금은 깼어요",
       "피가 많이 나요": "아까는 피가 많이 났는데 지금은 멈췄어요"}


def _subject(noun: str) -> str:
    """The noun with its subject particle: 이 after a final consonant, else 가."""
    last = ord(noun[-1]) - 0xAC00
    return noun + ("이" if 0 <= last < 11172 and last % 28 else "가")


def _with_who(text: str, rng: np.random.Generator) -> str:
    return text.format(who=_subject(WHO[rng.integers(len(WHO))]))


def script(rng: np.random.Generator) -> tuple[str, list[str], int]:
    """(call type, utterances, level): one decisive fact, one to two others, and clutter."""
    kind = ("구급", "구조", "화재")[rng.choice(3, p=[0.5, 0.3, 0.2])]
    facts = FACTS[kind]
    level = int(rng.choice(3, p=LEVEL_SHARE))
    decisive = [f for f in facts if f[1] == level]
    topic, _, text = decisive[rng.integers(len(decisive))]
    said = [_with_who(text, rng)]
    # Other facts of the same scene, never more severe than the decisive one: a rescue or a fire
    # call may add how the people are (breathing, conscious, bleeding); one scene per call.
    pool = facts if kind != "구조" else [f for f in FACTS["구급"] if f[0] in ("breath", "conscious", "blood")]
    for _ in range(int(rng.integers(1, 3))):
        others = [f for f in pool if f[1] <= level and f[0] != topic and f[2] not in said]
        if others:
            said.append(_with_who(others[rng.integers(len(others))][2], rng))
    if level < 2 and rng.random() < 0.25:  # a past crisis that no longer holds
        was = list(WAS.values())
        said.append(was[rng.integers(len(was))])
    order = rng.permutation(len(said))
    location = LOCATIONS[rng.integers(len(LOCATIONS))].format(dong=DONGS[rng.integers(len(DONGS))],
                                                              n=int(rng.integers(1, 300)))
    utterances = [OPENINGS[rng.integers(len(OPENINGS))], *(said[i] for i in order), location,
                  CLOSINGS[rng.integers(len(CLOSINGS))]]
    return kind, utterances, level
