"""Korean relation cue words: what the offline model knows without weights.

A phrasing training never saw still says its relation with words a Korean reader knows
(설립자 / 창업주 / 세운 사람: who founded it). Each relation lists word stems that commonly
state it in news and encyclopaedia text (KLUE-RE's sources), matched as substrings so the
conjugated and derived forms count (설립 -> 설립했다, 설립된, 설립자). The model does not
trust a cue blindly: the cue's relation becomes a feature beside the entity types, the
direction and which entity the cue is attached to ("A의 아들" vs "A는 ...의 아들"), and the
logistic regression learns from the training rows how far each of those decides the label.

The stems are general Korean, written for the relation, not copied from any corpus; a stem
that is part of a longer unrelated word (장 in 시장) is avoided by keeping stems of two or
more syllables unless a one-syllable word is unambiguous with its particle (딸).
"""

from __future__ import annotations

import re
from functools import lru_cache

CUES: dict[str, tuple[str, ...]] = {
    "org:top_members/employees": (
        "대표", "회장", "사장", "최고경영자", "경영자", "CEO", "수장", "이끄", "이끌", "총재", "총장", "의장",
        "위원장", "이사장", "단장", "원장", "소장", "당수", "당대표", "총수", "오너", "경영진", "임원", "이사",
        "부회장", "부사장", "창업주", "책임자", "감독", "지휘", "사령관", "총리", "장관", "지도자", "우두머리",
        "회장직", "대표직", "맡고", "맡은", "맡아", "취임", "임명", "선임", "선출", "재임", "리더", "주장"),
    "per:employee_of": (
        "근무", "재직", "소속", "입사", "직원", "사원", "근로", "일하", "일했", "일한", "몸담", "종사", "고용",
        "채용", "연구원", "기자", "선수", "직장", "출근", "회사원", "임직원", "취직", "취업", "몸을 담",
        "활약", "뛰고", "뛰었", "뛴", "이적", "입단", "계약", "발령", "파견", "봉직", "복무"),
    "per:title": (
        "직업", "직함", "직책", "직위", "활동", "배우", "가수", "작가", "교수", "선수", "감독", "의원", "변호사",
        "기자", "화가", "시인", "소설가", "피아니스트", "작곡가", "정치인", "기업인", "언론인", "학자", "의사",
        "출신의", "유명한", "알려진", "데뷔", "역임", "지낸", "지냈", "로서", "으로서", "인 ", "직을"),
    "org:members": (
        "회원", "가맹", "산하", "소속 단체", "소속 기관", "구성원", "참여", "포함", "거느", "계열사", "자회사",
        "가입 기관", "회원국", "회원사", "참가", "구단", "팀들", "단체들"),
    "org:member_of": (
        "가입", "정회원", "회원", "일원", "소속", "가맹", "산하", "참여", "속한", "속해", "속하", "편입",
        "합류", "계열", "자회사", "회원국", "회원사", "리그", "연맹", "연합"),
    "org:product": (
        "출시", "생산", "제조", "판매", "개발", "제품", "선보", "내놓", "만든", "만들", "공개", "발매",
        "브랜드", "서비스", "공급", "제작", "양산", "론칭", "출품", "주력"),
    "per:product": (
        "개발", "설계", "발명", "고안", "제작", "만든", "만들", "대표작", "작품", "저서", "집필", "작곡",
        "발표", "출간", "펴낸", "펴냈", "썼", "쓴", "연출", "그린", "그렸", "디자인", "창작", "앨범", "노래"),
    "org:alternate_names": (
        "약칭", "줄임말", "약어", "별칭", "별명", "옛 이름", "옛이름", "이전 이름", "구 명칭", "구명칭", "전신",
        "개명", "개칭", "명칭", "이름을 바꾼", "불린", "불리", "부르", "일컫", "영문명", "정식 명칭", "약자",
        "애칭", "통칭", "로 알려"),
    "per:alternate_names": (
        "본명", "예명", "필명", "별명", "별칭", "아명", "호는", "아호", "닉네임", "애칭", "개명", "이름은",
        "불린", "불리", "부르", "활동명", "법명", "세례명", "가명", "원래 이름", "로 알려"),
    "org:place_of_headquarters": (
        "본사", "본부", "본점", "본거지", "소재", "위치", "자리", "두고", "둔", "거점", "연고", "사옥",
        "청사", "캠퍼스", "홈구장", "있는", "이전"),
    "org:number_of_employees/members": (
        "직원 수", "직원수", "임직원", "회원 수", "회원수", "구성원", "인원", "명의", "명이", "명을", "명에",
        "거느", "고용", "규모", "당원", "조합원", "재학생", "소속 선수", "달하", "달한"),
    "per:children": (
        "아들", "딸", "자녀", "자식", "장남", "차남", "삼남", "장녀", "차녀", "막내", "외아들", "외동딸",
        "외동", "슬하", "아들을", "낳", "둔", "아들로", "딸로", "후손", "2세"),
    "per:parents": (
        "아버지", "어머니", "부친", "모친", "부모", "아빠", "엄마", "선친", "양친", "부왕", "모후", "생모",
        "생부", "낳은", "낳아"),
    "per:siblings": (
        "형제", "자매", "남매", "형", "누나", "오빠", "언니", "동생", "친형", "친동생", "쌍둥이", "누이",
        "여동생", "남동생", "맏형", "형님", "동기간"),
    "per:spouse": (
        "결혼", "아내", "남편", "부인", "배우자", "부부", "혼인", "신랑", "신부", "와이프", "왕비", "왕후",
        "처", "내조", "재혼", "약혼", "백년가약", "웨딩", "결혼식"),
    "per:other_family": (
        "사촌", "삼촌", "조카", "이모", "고모", "외삼촌", "숙부", "숙모", "할아버지", "할머니", "조부", "조모",
        "손자", "손녀", "외손", "친척", "친인척", "사위", "며느리", "장인", "장모", "시아버지", "시어머니",
        "처남", "매형", "매부", "형수", "제수", "올케", "시누이", "당숙", "종손", "증조", "외조부", "인척"),
    "per:colleagues": (
        "동료", "함께", "같은 팀", "팀 동료", "팀원", "동기", "동업", "공동", "파트너", "짝", "콤비", "듀오",
        "멤버", "밴드", "그룹", "호흡", "협업", "같이", "입사 동기", "선후배", "선배", "후배"),
    "per:place_of_residence": (
        "거주", "살고", "살았", "사는", "생활", "머물", "정착", "이주", "이사", "자택", "집", "거처", "주소",
        "터전", "망명", "체류", "지내", "은거"),
    "per:origin": (
        "출신", "고향", "국적", "태생", "자란", "자랐", "성장", "연고", "뿌리", "사람", "본관", "계 ", "국민"),
    "per:place_of_birth": (
        "출생", "태어", "출생지", "탄생", "고향", "나고", "난 ", "생가"),
    "per:place_of_death": (
        "사망", "숨진", "숨졌", "숨을 거", "별세", "타계", "서거", "순직", "생을 마감", "눈을 감", "세상을 떠",
        "임종", "객사", "전사", "영면", "사망지", "죽", "운명"),
    "per:date_of_birth": (
        "출생", "태어", "생일", "탄생", "생년", "출생일", "생으로", "년생", "생)", "생 ", "나서"),
    "per:date_of_death": (
        "사망", "숨진", "숨졌", "숨을 거", "별세", "타계", "서거", "기일", "생을 마감", "눈을 감", "세상을 떠",
        "임종", "영면", "사망일", "작고", "죽", "몰)", "운명", "순직"),
    "org:founded": (
        "설립", "창립", "창업", "창설", "개교", "개원", "개관", "출범", "발족", "세워", "세운", "세웠", "문을 연",
        "문을 열", "창단", "결성", "건립", "창간", "개국", "개설", "설치", "출발", "시작", "첫발"),
    "org:founded_by": (
        "설립", "창립", "창업", "창설", "세운", "세웠", "세워", "창업주", "창업자", "설립자", "창립자",
        "창시", "창간", "창단", "결성", "만든", "만들", "일군", "일으", "시작한", "공동 창업"),
    "org:dissolved": (
        "해산", "해체", "폐업", "폐쇄", "파산", "해단", "폐교", "폐간", "폐지", "문을 닫", "사라", "소멸", "청산",
        "합병", "흡수", "해소", "정리", "도산", "부도", "없어"),
    "per:schools_attended": (
        "졸업", "모교", "학위", "입학", "재학", "다녔", "다니", "수학", "유학", "전공", "학사", "석사", "박사",
        "동문", "출신", "수료", "중퇴", "학번", "공부", "나온", "나왔"),
    "per:religion": (
        "신자", "종교", "믿", "신앙", "신도", "교인", "개종", "귀의", "세례", "불자", "신봉", "독실", "승려",
        "목사", "신부", "수녀", "스님", "출가", "교도", "무슬림", "크리스천"),
    "org:political/religious_affiliation": (
        "지지", "계열", "연대", "성향", "소속", "지향", "노선", "정당", "교단", "종단", "교파", "산하", "표방",
        "친", "우호", "협력", "뿌리", "기반", "이념", "연계", "손잡"),
}

# Negation and hedging around a cue: the fact is denied, not stated.
NEGATION = re.compile(r"않|없|아니|아닌|못|부인|사실무근|오보|거짓|루머|소문|의혹|추정|추측")


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """One alternation of every stem (longest first, so 창업주 is read before 창업); stem -> relations."""
    owners: dict[str, list[str]] = {}
    for rel, stems in CUES.items():
        for s in stems:
            owners.setdefault(s, []).append(rel)
    alt = "|".join(re.escape(s) for s in sorted(owners, key=len, reverse=True))
    return re.compile(alt), {s: tuple(r) for s, r in owners.items()}


def find_cues(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """(position, stem, relations it may state) of every cue in ``text``, left to right, not overlapping."""
    pattern, owners = _pattern()
    return [(m.start(), m.group(0), owners[m.group(0)]) for m in pattern.finditer(text)]
