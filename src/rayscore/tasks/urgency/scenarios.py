"""Scripts of generated 119 calls whose urgency follows from facts, not from keywords.

A call states a few facts about one situation: is the patient breathing, conscious,
bleeding; is anyone inside the fire; is the child alone behind the locked door. Each
fact is composed from slots (who, what, how it is said), so the same words appear at
every level and phrasings combine into many more sentences than a training set holds.
What decides the level is how a fact is said: negated (``숨을 안 쉬어요`` / ``숨은 잘
쉬어요``), qualified (``피가 조금`` / ``피가 계속 쏟아져요``), changed over time (``아까는 숨을
안 쉬었는데 지금은 쉬어요``) or only feared (``숨을 안 쉴까 봐 무서워요``: a worry is not a
fact). The level is the most severe fact that holds now; closings ("빨리 와주세요") are drawn
independently of it, as real callers ask for speed at every level.

Example:
    >>> kind, utterances, level = script(np.random.default_rng(0))
    >>> kind in ("구급", "구조", "화재") and level in (0, 1, 2)
    True
"""

from __future__ import annotations

import numpy as np

#: Share of each level (하, 중, 상): imbalanced like real call logs.
LEVEL_SHARE = (0.3, 0.5, 0.2)

# topic -> severity -> phrasings; {who} is the person with a subject particle. Severity 2 = 상,
# 1 = 중, 0 = 하. The shared words (숨, 의식, 피, 불, 연기, 문) appear at every severity.
FACTS: dict[str, dict[str, dict[int, list[str]]]] = {
    "구급": {
        # Composed below from (phrase, severity) parts: an adverb changes what a negation means
        # ("못 쉬어요" 상, "잘 못 쉬어요" 중, "잘 쉬어요" 하), so no single word decides.
        "breath": {},
        "conscious": {},
        "blood": {},
        "body": {
            2: ["{who} 가슴을 움켜쥐고 쓰러졌어요", "{who} 경련을 멈추지 않아요", "{who} 한쪽이 마비됐어요"],
            1: ["다리가 부러진 것 같아요", "열이 사십 도까지 올라요", "{who} 계속 토해요", "{who} 배가 너무 아프대요"],
            0: ["배가 조금 아파요", "발목을 살짝 삐었어요", "어느 병원으로 가야 하는지 궁금해서요", "열이 조금 있어요"],
        },
    },
    "구조": {
        "trapped": {
            2: ["엘리베이터에 갇혔는데 안에 사람이 크게 다쳤어요", "무너진 곳 밑에 사람이 깔렸어요"],
            1: ["엘리베이터에 갇혔어요 다친 사람은 없어요", "산에서 길을 잃었는데 해가 지고 있어요"],
            0: ["엘리베이터가 멈췄다가 문은 열렸어요", "산에서 길을 잃었는데 이제 길을 찾았어요"],
        },
        "water": {
            2: ["아이가 물에 빠졌어요 안 보여요", "사람이 물에 빠졌는데 못 나와요"],
            1: ["물에 빠졌다가 나왔는데 계속 기침을 해요"],
            0: ["물에 빠졌다가 금방 나왔어요 괜찮아요"],
        },
        "door": {
            2: ["문이 잠겼는데 안에 아기가 혼자 있고 가스불이 켜져 있어요"],
            1: ["문이 잠겼는데 안에 아이가 있어요", "문이 잠겼는데 안에서 할머니가 대답을 안 하세요"],
            0: ["문이 잠겨서 집에 못 들어가요", "열쇠를 잃어버려서 문을 못 열어요"],
        },
        "animal": {
            2: ["벌에 쏘였는데 숨을 못 쉬어요"],
            1: ["벌에 쏘였는데 많이 부었어요", "개에 물려서 피가 좀 나요"],
            0: ["베란다에 벌집이 생겼어요", "고양이가 나무에서 못 내려와요", "멧돼지가 밭에 나타났어요"],
        },
    },
    "화재": {
        "fire": {
            2: ["불이 났는데 안에 사람이 있어요", "연기가 가득 차서 나갈 수가 없어요", "불이 옆 건물로 번지고 있어요"],
            1: ["불이 났는데 다들 밖으로 나왔어요", "부엌에서 불이 났는데 아직 안 꺼졌어요"],
            0: ["불은 다 꺼졌어요", "불은 아니고 타는 냄새만 조금 나요", "불은 안 났어요"],
        },
        "smoke": {
            2: ["{who} 연기를 마시고 쓰러졌어요"],
            1: ["연기가 계속 나요", "{who} 연기를 마셔서 기침을 해요"],
            0: ["연기는 안 나요", "옆집 화재경보기가 계속 울려요"],
        },
    },
}
#: (head, {predicate: severity}): every head is said at every severity.
COMPOSED = {
    "breath": [("{who} 숨을", {"안 쉬어요": 2, "못 쉬어요": 2, "전혀 못 쉬어요": 2, "거의 못 쉬어요": 2,
                               "쉬지 않아요": 2, "잘 못 쉬어요": 1, "제대로 못 쉬어요": 1, "힘들게 쉬어요": 1,
                               "가쁘게 쉬어요": 1, "겨우 쉬어요": 1, "잘 쉬어요": 0, "편하게 쉬어요": 0,
                               "쉬고는 있어요": 0, "제대로 쉬어요": 0})],
    "conscious": [("{who} 의식이", {"없어요": 2, "전혀 없어요": 2, "거의 없어요": 2, "조금 흐려요": 1,
                                    "왔다 갔다 해요": 1, "있어요": 0, "또렷해요": 0, "돌아왔어요": 0}),
                  ("{who} 눈을", {"안 떠요": 2, "못 떠요": 2, "떴다 감았다 해요": 1, "잘 떠요": 0, "뜨고 있어요": 0}),
                  ("{who} 대답을", {"안 해요": 2, "전혀 못 해요": 2, "잘 못 해요": 1, "겨우 해요": 1, "잘 해요": 0})],
    "blood": [("피가", {"멈추지 않아요": 2, "계속 나요": 2, "많이 나요": 2, "안 멈춰요": 2, "조금 나요": 1,
                        "조금씩 나요": 1, "나다가 거의 멈췄어요": 1, "살짝 나요": 1, "안 나요": 0, "다 멈췄어요": 0,
                        "거의 안 나요": 0, "전혀 안 나요": 0})],
}
for _topic, _parts in COMPOSED.items():
    for _head, _predicates in _parts:
        for _predicate, _severity in _predicates.items():
            FACTS["구급"][_topic].setdefault(_severity, []).append(f"{_head} {_predicate}")

WHO = ["아버지", "어머니", "남편", "아내", "아이", "할머니", "할아버지", "친구", "동생", "옆집 아저씨", "손님"]
#: Worries are not facts: the severe words without the severe state.
WORRIES = {"구급": ["숨을 안 쉴까 봐 무서워요", "혹시 의식을 잃으면 어떡해요", "피가 많이 날까 봐 걱정돼요",
                   "갑자기 쓰러질까 봐 걱정돼요"],
           "구조": ["혹시 다쳤을까 봐 걱정돼요", "숨을 못 쉴까 봐 무서워요"],
           "화재": ["불이 번질까 봐 무서워요", "연기가 들어올까 봐 걱정돼요"]}
#: "It was X, now it is Y": the earlier, more severe state no longer holds.
WAS = ["아까는 숨을 안 쉬었는데 지금은 쉬어요", "아까는 의식이 없었는데 지금은 깼어요",
       "아까는 피가 많이 났는데 지금은 멈췄어요", "아까는 불이 났었는데 지금은 다 꺼졌어요"]
OPENINGS = ["여보세요", "저기요", "119죠", "신고하려고요", "네 여보세요", "저기 도와주세요"]
LOCATIONS = ["여기 {dong} {n}번지예요", "주소는 {dong} 아파트 {n}동이에요", "{dong} 사거리 근처예요",
             "{dong} 주민센터 옆이에요"]
DONGS = ["풍암동", "쌍촌동", "역삼동", "상무동", "신림동", "치평동", "문흥동", "합정동"]
#: Closings at every level: asking for speed says how the caller feels, not how urgent it is.
CLOSINGS = ["빨리 와주세요", "제발 빨리요", "와주실 수 있나요", "좀 빨리 부탁드려요", "어떻게 해야 돼요",
            "확인 좀 부탁드려요", "천천히 오셔도 돼요"]


def _subject(noun: str) -> str:
    """The noun with its subject particle: 이 after a final consonant, else 가."""
    last = ord(noun[-1]) - 0xAC00
    return noun + ("이" if 0 <= last < 11172 and last % 28 else "가")


def _pick(options: list[str], rng: np.random.Generator) -> str:
    return options[rng.integers(len(options))]


def script(rng: np.random.Generator) -> tuple[str, list[str], int]:
    """(call type, utterances, level): one decisive fact, others no more severe, and clutter."""
    kind = ("구급", "구조", "화재")[rng.choice(3, p=[0.5, 0.3, 0.2])]
    scene = FACTS[kind]
    level = int(rng.choice(3, p=LEVEL_SHARE))
    who = _subject(_pick(WHO, rng))
    topic = _pick([t for t, by in scene.items() if level in by], rng)
    said = [_pick(scene[topic][level], rng)]
    # Other facts of the same scene, never more severe: a rescue or a fire call may add how the
    # people are (breathing, conscious, bleeding).
    people = {t: FACTS["구급"][t] for t in ("breath", "conscious")}
    pool = {"구급": scene, "구조": people, "화재": {**scene, **people}}[kind]
    for extra in rng.permutation([t for t in pool if t != topic])[: int(rng.integers(1, 3))]:
        severities = [s for s in pool[extra] if s <= level]
        if severities:
            said.append(_pick(pool[extra][int(rng.choice(severities))], rng))
    if rng.random() < 0.3:
        said.append(_pick(WORRIES[kind], rng))
    if level < 2 and rng.random() < 0.25:
        said.append(_pick(WAS, rng))
    said = [said[i].format(who=who) for i in rng.permutation(len(said))]
    location = _pick(LOCATIONS, rng).format(dong=_pick(DONGS, rng), n=int(rng.integers(1, 300)))
    return kind, [_pick(OPENINGS, rng), *said, location, _pick(CLOSINGS, rng)], level


def phrases(level: int | None = None) -> list[str]:
    """Every fact phrasing (of one severity), e.g. to build a test tokenizer's vocabulary."""
    return [p for scene in FACTS.values() for by in scene.values() for sev, ps in by.items()
            if level is None or sev == level for p in ps]
