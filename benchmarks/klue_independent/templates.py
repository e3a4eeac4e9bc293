# -*- coding: utf-8 -*-
"""Sentence templates.

Each entry: (kind, split, rel, text, facts, skip)
  kind  : 'P' positive phrasing of `rel`, 'N' negated/denied/rumoured/hypothetical
          (no fact between its slots), 'C' co-mention without a stated relation.
  split : 'tr' (used in train and test) or 'te' (test only).
  text  : slots  {name:KIND} declare, {name} reuse, {name|josa} with particle,
          {@name|josa} particle only (after a parenthesis), {#a-b} random int,
          [x|y|z] random alternative.
  facts : "s o lab; ..." every relation that holds between slots (directed).
          Reverse directions are derived (see INVERSE in gen.py).
  skip  : "a b; ..." ordered/unordered pairs that must never be sampled
          (ambiguous).
Every pair of slots that is neither a fact, a derived fact nor skipped is a
valid no_relation pair.
"""

AB = {
    "top": "org:top_members/employees", "mem": "org:members", "oprod": "org:product",
    "title": "per:title", "oalt": "org:alternate_names", "emp": "per:employee_of",
    "hq": "org:place_of_headquarters", "pprod": "per:product",
    "nemp": "org:number_of_employees/members", "chi": "per:children",
    "res": "per:place_of_residence", "palt": "per:alternate_names", "ofam": "per:other_family",
    "coll": "per:colleagues", "origin": "per:origin", "sib": "per:siblings", "spouse": "per:spouse",
    "fnd": "org:founded", "aff": "org:political/religious_affiliation", "mof": "org:member_of",
    "par": "per:parents", "diss": "org:dissolved", "sch": "per:schools_attended",
    "dod": "per:date_of_death", "dob": "per:date_of_birth", "pob": "per:place_of_birth",
    "pod": "per:place_of_death", "fby": "org:founded_by", "rel": "per:religion",
}

T = [
    # ------------------------------------------------------------------ org:top_members/employees
    ("P", "tr", "top", "{o:COMP}의 {t:TITLE(o)} {p:PER}{@p|은} {x:DATE} 열린 기자간담회에서 [올해 경영 목표를|중장기 사업 계획을|새 투자 전략을] 발표했다.", "o p top; p t title", ""),
    ("P", "tr", "top", '{p:PER} {o:COMP} {t:TITLE(o)}{@t|은} "[위기를 기회로 삼겠다|고객 신뢰를 최우선으로 하겠다|연구개발 투자를 두 배로 늘리겠다]"고 말했다.', "o p top; p t title", ""),
    ("P", "tr", "top", "{o:UNIV}{@o|은} {x:DATE} 제{#5-21}대 {t:TITLE(o)|으로} {p:PER} 교수를 선임했다.", "o p top; p t title", ""),
    ("P", "tr", "top", "{o:CLUB}{@o|은} 새 {t:TITLE(o)|으로} {p:PER}{@p|을} 선임했다고 {x:DATE} 밝혔다.", "o p top; p t title", ""),
    ("P", "tr", "top", "{o:PARTY} {p:PER} {t:TITLE(o)}{@t|은} 이날 국회에서 열린 회의에서 [정부 예산안을 강하게 비판했다|민생 법안의 조속한 처리를 촉구했다].", "o p top; p t title", ""),
    ("P", "tr", "top", "{p:PER}{@p|은} {x:DATE}부터 {o:ASSOC}의 {t:TITLE(o)|을} 맡고 있다.", "o p top; p t title", ""),
    ("P", "tr", "top", "{o:GROUP}의 멤버 {p:PER}{@p|이} [첫 솔로 앨범을 발표했다|단독 콘서트를 개최한다|예능 프로그램에 출연했다].", "o p top", ""),
    ("P", "tr", "top", "{o:GOV}{@o|은} {p:PER} {t:TITLE(o)|이} 주재하는 [긴급 대책회의를|확대 간부회의를] 열었다.", "o p top; p t title", ""),
    ("P", "tr", "top", "{o:COMP}{@o|을} 이끌고 있는 {p:PER} {t:TITLE(o)}{@t|은} 업계에서 [원칙주의자로|승부사로|전략가로] 통한다.", "o p top; p t title", ""),
    ("P", "tr", "top", "{o:AGENCY} {p:PER} {t:TITLE(o)}{@t|은} {x:DATE} [취임 1주년을 맞아|신년사를 통해] 기관의 혁신을 강조했다.", "o p top; p t title", ""),
    ("P", "tr", "top", "{o:COMP}{@o|은} {x:DATE} 이사회를 열고 {p:PER} 내정자를 신임 {t:TITLE(o)|으로} 선임했다.", "o p top; p t title", ""),
    ("P", "tr", "top", "{p:PER}{@p|은} {a:COMP}{@a|이} 아니라 {o:COMP}의 {t:TITLE(o)|이다}.", "o p top; p t title", ""),
    ("P", "tr", "top", '{o:COMP} 관계자는 "{p:PER} {t:TITLE(o)|이} 직접 이번 인수 작업을 챙기고 있다"고 전했다.', "o p top; p t title", ""),
    ("P", "tr", "top", "{x:DATE} {l:CITY}에서 열린 산업 포럼에는 {o:COMP} {p:PER} {t:TITLE(o)|과} {q:COMP} {r:PER} {u:TITLE(q)} 등 업계 인사 200여 명이 참석했다.", "o p top; p t title; q r top; r u title", ""),
    ("P", "te", "top", "{p:PER}{@p|이} {o:COMP}의 새 수장으로 낙점됐다.", "o p top", ""),
    ("P", "te", "top", "{o:CLUB}의 지휘봉을 잡은 {p:PER}{@p|은} 부임 첫 시즌부터 팀을 정상에 올려놓았다.", "o p top", ""),
    ("P", "te", "top", "{o:UNIV} 이사회는 {p:PER} 교수를 차기 {t:TITLE(o)|으로} 임명하는 안건을 의결했다.", "o p top; p t title", ""),
    ("P", "te", "top", "{o:GROUP}에서 [리드보컬을|랩을|안무를] 담당하는 {p:PER}{@p|은} 이번 앨범의 작사에도 참여했다.", "o p top", ""),
    ("P", "te", "top", "{o:COMP}의 경영을 총괄해 온 {p:PER} {t:TITLE(o)}{@t|이} {x:DATE} 물러났다.", "o p top; p t title", ""),

    # ------------------------------------------------------------------ per:employee_of
    ("P", "tr", "emp", "{p:PER}{@p|은} {x:DATE} {o:COMP}에 입사해 [마케팅|재무|인사|해외영업] 업무를 담당했다.", "p o emp", ""),
    ("P", "tr", "emp", '{o:COMP}에 근무하는 {p:PER} 씨는 "[회사 분위기가 많이 달라졌다|야근이 크게 줄었다]"고 말했다.', "p o emp", ""),
    ("P", "tr", "emp", "{o:UNIV} {t:ACAD} {p:PER}{@p|은} 이번 연구 결과가 [국제 학술지에 게재됐다|학계의 주목을 받고 있다]고 설명했다.", "p o emp; p t title", ""),
    ("P", "tr", "emp", "{p:PER}{@p|은} {o:COMP} 소속 [연구원으로|엔지니어로|디자이너로] 일하고 있다.", "p o emp", ""),
    ("P", "tr", "emp", "{o:GOV} 소속 공무원 {p:PER} 씨가 [올해의 우수 공무원으로 선정됐다|대통령 표창을 받았다].", "p o emp", ""),
    ("P", "tr", "emp", "{p:PER}{@p|은} {x:DATE} {o:COMP}에서 퇴사한 뒤 창업에 나섰다.", "p o emp", ""),
    ("P", "tr", "emp", "{o:CLUB}에서 뛰고 있는 {p:PER}{@p|은} 이번 시즌 [{#5-25}골을|{#5-18}승을] 기록했다.", "p o emp", ""),
    ("P", "tr", "emp", "{p:PER}{@p|은} {o:PARTY} 소속 {t:OCCPOL|이다}.", "p o emp; p t title", ""),
    ("P", "tr", "emp", "{o:COMP} {t:EMPT} {p:PER} 씨는 [신제품 개발 과정을 소개했다|고객 응대 노하우를 공개했다].", "p o emp; p t title", ""),
    ("P", "tr", "emp", "{p:PER}{@p|은} {o:AGENCY}에서 [정책 연구를|국제 협력 업무를] 맡고 있다.", "p o emp", ""),
    ("P", "tr", "emp", "{p:PER}{@p|은} {s:UNIV|을} 졸업한 뒤 {x:DATE} {o:COMP}에 입사해 현재 {t:EMPT|으로} 일하고 있다.", "p s sch; p o emp; p t title", ""),
    ("P", "te", "emp", "{p:PER}{@p|은} {o:COMP}에서 [20년간|10년 넘게|30년 가까이] 몸담았다.", "p o emp", ""),
    ("P", "te", "emp", "{o:COMP}의 [연구소|개발팀|전략기획실]에 재직 중인 {p:PER} 박사는 [새로운 배터리 기술을 개발했다|관련 특허를 출원했다].", "p o emp", ""),
    ("P", "te", "emp", "{p:PER}{@p|은} {x:DATE} {o:AGENCY} 신입 직원으로 채용됐다.", "p o emp", ""),
    ("P", "te", "emp", "{o:CLUB} 유니폼을 입은 {p:PER}{@p|은} 데뷔전에서 결승골을 터뜨렸다.", "p o emp", ""),
    ("P", "te", "emp", "{o:GOV}에서 공직 생활을 해 온 {p:PER}{@p|은} [내년 정년퇴임을 앞두고 있다|후배들의 존경을 받는다].", "p o emp", ""),

    # ------------------------------------------------------------------ per:title
    ("P", "tr", "title", "{p:PER}({b:BDATEF} ~ ){@p|은} {c:COUNTRY}의 {t:OCC|이다}.", "p t title; p b dob; p c origin", ""),
    ("P", "tr", "title", "{t:OCC} {p:PER}{@p|이} {x:DATE} 자신의 SNS를 통해 근황을 전했다.", "p t title", ""),
    ("P", "tr", "title", "{p:PER}{@p|은} {x:DATE}부터 {t:OCC|으로} 활동하고 있다.", "p t title", ""),
    ("P", "tr", "title", "{t:OCC|으로} 활동 중인 {p:PER}{@p|이} 한 방송에 출연해 [어린 시절|데뷔 과정|슬럼프 극복기]에 대해 이야기했다.", "p t title", ""),
    ("P", "tr", "title", "{p:PER} 씨는 [경력 10년 차|데뷔 20년 차|올해로 15년 차] {t:OCC|이다}.", "p t title", ""),
    ("P", "tr", "title", "{p:PER}{@p|은} {t:OCC|으로} 이름을 알린 뒤 [방송 활동을 이어가고 있다|후진 양성에 힘쓰고 있다].", "p t title", ""),
    ("P", "te", "title", "{p:PER}{@p|은} 자신의 직업을 {t:OCC|이라고} 소개했다.", "p t title", ""),
    ("P", "te", "title", "{t:OCC} 출신인 {p:PER}{@p|은} [최근 정계에 입문했다|지난해 사업에 뛰어들었다].", "p t title", ""),
    ("P", "te", "title", "{p:PER}{@p|은} 본업인 {t:OCC} 외에도 다양한 분야에서 재능을 뽐내고 있다.", "p t title", ""),
    ("P", "te", "title", "{t:OCC}의 길을 걸어온 {p:PER}{@p|은} 올해로 [데뷔 30주년을|활동 20주년을] 맞았다.", "p t title", ""),

    # ------------------------------------------------------------------ org:member_of
    ("P", "tr", "mof", "{a:COMP}{@a|은} {x:DATE} {b:UMBC}에 회원사로 가입했다.", "a b mof", ""),
    ("P", "tr", "mof", "{a:CLUB}{@a|은} {b:UMBS} 소속으로 이번 시즌을 치른다.", "a b mof", ""),
    ("P", "tr", "mof", "{b:COMP}의 자회사인 {a:COMP}{@a|은} [올해 흑자 전환에 성공했다|해외 시장 진출을 추진하고 있다].", "a b mof", ""),
    ("P", "tr", "mof", "{a:COMP}{@a|은} {b:GRP} 계열사로, [반도체 장비를 생산한다|물류 사업을 담당한다].", "a b mof", ""),
    ("P", "tr", "mof", "{a:UNIV}{@a|은} {b:UMBU}의 회원 대학이다.", "a b mof", ""),
    ("P", "tr", "mof", "{b:GOV} 산하 {a:AGENCY}{@a|은} {x:DATE} [새 비전을 선포했다|조직 개편을 단행했다].", "a b mof", ""),
    ("P", "tr", "mof", "{a:AGENCY}{@a|은} {b:GOV} 소속 기관으로 [관련 정책 연구를 수행한다|현장 지원 업무를 맡는다].", "a b mof", ""),
    ("P", "te", "mof", "{a:COMP}{@a|은} {b:UMBC}의 일원으로 [이름을 올렸다|활동하고 있다].", "a b mof", ""),
    ("P", "te", "mof", "{a:AGENCY}{@a|은} {b:GOV}{@b|이} 관할하는 공공기관이다.", "a b mof", ""),
    ("P", "te", "mof", "{b:COMP}{@b|이} 지분 100%를 보유한 {a:COMP}{@a|은} [이번 인수 작업을 주도했다|내년 상장을 추진한다].", "a b mof", ""),
    ("P", "te", "mof", "{a:CLUB}{@a|은} {x:DATE} {b:UMBS}에 정식으로 합류했다.", "a b mof", ""),

    # ------------------------------------------------------------------ org:members
    ("P", "tr", "mem", "{b:UMBC}{@b|은} {a:COMP}, {c:COMP} 등 [30여|50여|100여] 개 회원사로 구성돼 있다.", "b a mem; b c mem", ""),
    ("P", "tr", "mem", "{b:GRP}{@b|은} 계열사 {a:COMP}{@a|을} 통해 [바이오 사업에 진출했다|해외 시장을 공략하고 있다].", "b a mem", ""),
    ("P", "tr", "mem", "{b:GOV}{@b|은} 산하 기관인 {a:AGENCY}{@a|와} 함께 [현장 점검에 나섰다|대책을 마련했다].", "b a mem", ""),
    ("P", "tr", "mem", "{b:UMBS}에는 {a:CLUB}, {c:CLUB} 등 [10개|12개|8개] 구단이 참가하고 있다.", "b a mem; b c mem", ""),
    ("P", "tr", "mem", "{b:UMBU}에는 {a:UNIV}{@a|를} 비롯한 [40여|20여] 개 대학이 회원으로 참여하고 있다.", "b a mem", ""),
    ("P", "tr", "mem", "{b:GRP}의 주력 계열사는 {a:COMP|이다}.", "b a mem", ""),
    ("P", "te", "mem", "{b:UMBC}{@b|은} {x:DATE} {a:COMP}{@a|을} 새 회원사로 받아들였다.", "b a mem", ""),
    ("P", "te", "mem", "{b:UMBS}에 속한 {a:CLUB}{@a|와} {c:CLUB}{@c|이} 개막전에서 맞붙는다.", "b a mem; b c mem", ""),
    ("P", "te", "mem", "{b:GRP}{@b|은} {a:COMP}, {c:COMP} 등 [10여|20여] 개 계열사를 거느리고 있다.", "b a mem; b c mem", ""),

    # ------------------------------------------------------------------ org:alternate_names
    ("P", "tr", "oalt", "{o:ORGALT}({a:ALT(o)}){@o|은} {x:DATE} [사상 최대 실적을 기록했다|새 비전을 발표했다|대규모 채용 계획을 밝혔다].", "o a oalt", ""),
    ("P", "tr", "oalt", "{o:ORGALT}(이하 {a:ALT(o)}){@o|은} [관련 지침을 개정했다고|새 중장기 전략을 확정했다고] {x:DATE} 밝혔다.", "o a oalt", ""),
    ("P", "tr", "oalt", "{o:ORGALT}{@o|은} 흔히 {a:ALT(o)|으로} 불린다.", "o a oalt", ""),
    ("P", "tr", "oalt", "{a:ALT(o)|으로} 잘 알려진 {o:ORGALT}{@o|은} [대규모 투자를 단행했다|새 로고를 발표했다].", "o a oalt", ""),
    ("P", "tr", "oalt", "{o:COMP}{@o|은} {x:DATE} 사명을 {a:ALT(o)|으로} 변경했다.", "o a oalt", ""),
    ("P", "tr", "oalt", "{o:ORGALT}의 약칭은 {a:ALT(o)|이다}.", "o a oalt", ""),
    ("P", "te", "oalt", "{o:ORGALT}{@o|을} 줄여 {a:ALT(o)|이라고} 부르기도 한다.", "o a oalt", ""),
    ("P", "te", "oalt", "{a:ALT(o)|이라는} 이름으로 더 익숙한 {o:ORGALT}{@o|은} [올해 창립 50주년을 맞았다|새 슬로건을 공개했다].", "o a oalt", ""),
    ("P", "te", "oalt", "{o:COMP}의 영문 표기는 {a:ALTEN(o)|이다}.", "o a oalt", ""),

    # ------------------------------------------------------------------ per:origin
    ("P", "tr", "origin", "{c:COUNTRY} 출신의 {t:OCC} {p:PER}{@p|은} [이번 대회에서 우승을 차지했다|내한 공연을 앞두고 있다].", "p c origin; p t title", ""),
    ("P", "tr", "origin", "{p:PER}{@p|은} {c:CITY} 출신으로, [어린 시절부터 두각을 나타냈다|지역에서 유명 인사였다].", "p c origin", ""),
    ("P", "tr", "origin", "{p:PER}({c:COUNTRY}){@p|이} 결승에서 [금메달을 목에 걸었다|대회 신기록을 세웠다].", "p c origin", ""),
    ("P", "tr", "origin", "{c:COUNTRY}의 {t:OCC}인 {p:PER}{@p|은} {x:DATE} 처음으로 내한했다.", "p c origin; p t title", ""),
    ("P", "tr", "origin", "{c:COUNTRY}계 {t:OCC} {p:PER}{@p|이} [화제를 모으고 있다|국내 팬들과 만났다].", "p c origin; p t title", ""),
    ("P", "tr", "origin", "{c:CITY} 출신 {t:OCC} {p:PER}{@p|은} 고향을 찾아 [장학금을 전달했다|무료 공연을 열었다].", "p c origin; p t title", ""),
    ("P", "te", "origin", "{p:PER}의 국적은 {c:COUNTRY|이다}.", "p c origin", ""),
    ("P", "te", "origin", "{c:COUNTRY}{@c|을} 대표하는 {t:OCC} {p:PER}{@p|이} [국제 무대에 섰다|세계 선수권에 출전했다].", "p c origin; p t title", ""),
    ("P", "te", "origin", "{c:COUNTRY} 국적의 {p:PER}{@p|은} [국내 무대에 처음 섰다|팬들의 환영을 받았다].", "p c origin", ""),

    # ------------------------------------------------------------------ org:place_of_headquarters
    ("P", "tr", "hq", "{o:COMP}{@o|은} {l:DIST}에 본사를 두고 있다.", "o l hq", ""),
    ("P", "tr", "hq", "{l:CITY}에 본사를 둔 {o:COMP}{@o|은} [지역 인재 채용을 확대하기로 했다|올해 매출 목표를 상향 조정했다].", "o l hq", ""),
    ("P", "tr", "hq", "{l:DIST}에 위치한 {o:COMP} 본사에서 [창립 기념식이|신제품 발표회가] 열렸다.", "o l hq", ""),
    ("P", "tr", "hq", "{o:COMP}({l:CITY} 소재){@o|은} [직원 복지 제도를 개편했다|신규 공장 건설에 착수했다].", "o l hq", ""),
    ("P", "tr", "hq", "{o:UNIV}{@o|은} {l:CITY}에 있는 사립대학이다.", "o l hq", ""),
    ("P", "tr", "hq", "{l:CITYOF(o)}{@l|을} 연고지로 하는 {o:CLUB}{@o|은} [홈 개막전을 치렀다|새 외국인 선수를 영입했다].", "o l hq", ""),
    ("P", "tr", "hq", "{o:AGENCY}{@o|은} {l:DIST}에 있는 본원에서 [기자회견을 열었다|워크숍을 개최했다].", "o l hq", ""),
    ("P", "te", "hq", "{o:COMP}{@o|은} {x:DATE} 본사를 {l:DIST|으로} 이전했다.", "o l hq", ""),
    ("P", "te", "hq", "{l:CITY}에 둥지를 튼 {o:COMP}{@o|은} [지역 경제 활성화에 기여하고 있다|현지 채용을 늘렸다].", "o l hq", ""),
    ("P", "te", "hq", "{o:COMP}의 본거지인 {l:CITY}에서는 [대규모 축제가 열렸다|관련 산업이 발달했다].", "o l hq", ""),

    # ------------------------------------------------------------------ per:date_of_birth
    ("P", "tr", "dob", "{p:PER}({b:BDATEF} ~ ){@p|은} {c:COUNTRY}의 {t:OCC}이자 {u:OCC|이다}.", "p b dob; p c origin; p t title; p u title", ""),
    ("P", "tr", "dob", "{b:BDATE} {l:CITY}에서 태어난 {p:PER}{@p|은} [어려서부터 음악에 재능을 보였다|대학을 수석으로 졸업했다].", "p b dob; p l pob", ""),
    ("P", "tr", "dob", "{p:PER}{@p|은} {b:BDATE}에 태어났다.", "p b dob", ""),
    ("P", "tr", "dob", "{b:BYEAR}생인 {p:PER}{@p|은} [아직 현역으로 활동하고 있다|지난해 은퇴를 선언했다].", "p b dob", ""),
    ("P", "tr", "dob", "{p:PER}{@p|은} {b:BDATEF} {l:CITY}에서 {f:KIN(p)}의 [장남으로|장녀로|막내로] 태어났다.", "p b dob; p l pob; p f par", ""),
    ("P", "tr", "dob", "{t:OCC} {p:PER}{@p|은} {b:BDATE} [충청도의 한 시골 마을에서|가난한 농가에서] 태어났다.", "p b dob; p t title", ""),
    ("P", "te", "dob", "{p:PER}의 생년월일은 {b:BDATEF|이다}.", "p b dob", ""),
    ("P", "te", "dob", "{p:PER}{@p|은} {b:BDATE} 출생으로, [대학에서 법학을 공부했다|일찍부터 음악을 시작했다].", "p b dob", ""),
    ("P", "te", "dob", "{p:PER}의 생일인 {b:DMD}에 맞춰 [팬들이 축하 광고를 냈다|기념 음반이 발매됐다].", "p b dob", ""),

    # ------------------------------------------------------------------ per:date_of_death
    ("P", "tr", "dod", "{p:PER}({b:BDATEF_OLD} ~ {d:DDATEF}){@p|은} {c:COUNTRY}의 {t:OCC|이었다}.", "p b dob; p d dod; p c origin; p t title", ""),
    ("P", "tr", "dod", "{p:PER}{@p|은} {d:DDATE} [지병으로|노환으로|향년 {#70-98}세로] 세상을 떠났다.", "p d dod", ""),
    ("P", "tr", "dod", "{d:DDATE} 별세한 {p:PER}의 빈소는 [시내의 한 병원 장례식장에|고인의 자택 인근에] 마련됐다.", "p d dod", ""),
    ("P", "tr", "dod", "{p:PER}{@p|은} {d:DDATE} {l:CITY}의 자택에서 숨을 거뒀다.", "p d dod; p l pod", ""),
    ("P", "tr", "dod", "{p:PER}{@p|은} {d:DDATE} 세상을 떠날 때까지 [창작 활동을 멈추지 않았다|후학 양성에 힘썼다].", "p d dod", ""),
    ("P", "tr", "dod", "{t:OCC} {p:PER}{@p|이} {d:DDATE} 별세했다.", "p d dod; p t title", ""),
    ("P", "te", "dod", "{p:PER}{@p|은} {d:DDATE}에 타계했다.", "p d dod", ""),
    ("P", "te", "dod", "{p:PER}{@p|은} {d:DDATE} [교통사고로|심장마비로] 사망했다.", "p d dod", ""),
    ("P", "te", "dod", "{d:DDATE} 영면에 든 {p:PER}의 [추모식이 열렸다|유작이 공개됐다].", "p d dod", ""),

    # ------------------------------------------------------------------ per:place_of_birth
    ("P", "tr", "pob", "{p:PER}{@p|은} {l:CITY}에서 태어나 {o:UNIV}{@o|을} 졸업했다.", "p l pob; p o sch", ""),
    ("P", "tr", "pob", "{l:FCITY}에서 태어난 {p:PER}{@p|은} [어린 시절 가족을 따라 귀국했다|유년 시절을 그곳에서 보냈다].", "p l pob", ""),
    ("P", "tr", "pob", "{p:PER}{@p|은} {l:CITY}에서 {f:KIN(p)}의 [아들로|딸로] 태어났다.", "p l pob; p f par", ""),
    ("P", "tr", "pob", "{l:CITY}{@l|은} {t:OCC} {p:PER}{@p|이} 태어난 곳이다.", "p l pob; p t title", ""),
    ("P", "te", "pob", "{p:PER}{@p|은} {b:BDATE} {l:CITY}에서 출생했다.", "p l pob; p b dob", ""),
    ("P", "te", "pob", "{p:PER}의 출생지인 {l:CITY}에는 [그의 기념관이 세워졌다|생가가 복원돼 있다].", "p l pob", ""),

    # ------------------------------------------------------------------ per:place_of_death
    ("P", "tr", "pod", "{p:PER}{@p|은} {l:FCITY}의 한 병원에서 [세상을 떠났다|숨을 거뒀다].", "p l pod", ""),
    ("P", "tr", "pod", "{p:PER}{@p|은} {l:CITY}에서 요양하던 중 눈을 감았다.", "p l pod", ""),
    ("P", "te", "pod", "{p:PER}{@p|은} {l:FCITY} 방문 중 갑작스럽게 생을 마감했다.", "p l pod", ""),
    ("P", "te", "pod", "{l:CITY}에서 사망한 {p:PER}의 [유해는 고향으로 옮겨졌다|장례는 가족장으로 치러졌다].", "p l pod", ""),

    # ------------------------------------------------------------------ per:place_of_residence
    ("P", "tr", "res", "{l:DIST}에 거주하는 {p:PER} 씨는 [최근 이웃을 위해 장학금을 기탁했다|지역 봉사 활동에 꾸준히 참여하고 있다].", "p l res", ""),
    ("P", "tr", "res", "{p:PER}{@p|은} 현재 {l:FCITY}에서 가족과 함께 살고 있다.", "p l res", ""),
    ("P", "tr", "res", "{l:CITY}에 사는 {p:PER} 씨는 [매일 아침 산책을 한다|주말마다 텃밭을 가꾼다].", "p l res", ""),
    ("P", "tr", "res", "{p:PER}{@p|은} 은퇴 후 {l:CITY|으로} 이주해 [조용한 삶을 보내고 있다|농사를 짓고 있다].", "p l res", ""),
    ("P", "te", "res", "{p:PER}{@p|은} {x:DATE}부터 {l:CITY}에 터전을 잡고 [작품 활동을 하고 있다|카페를 운영하고 있다].", "p l res", ""),
    ("P", "te", "res", "{p:PER}{@p|은} {l:DIST}에 정착해 [제2의 인생을 시작했다|지역 주민들과 어울려 지낸다].", "p l res", ""),

    # ------------------------------------------------------------------ per:spouse
    ("P", "tr", "spouse", "{a:PER}{@a|은} {x:DATE} {b:PER}{@b|와} 결혼했다.", "a b spouse", ""),
    ("P", "tr", "spouse", "{a:PER}의 아내 {b:PER}{@b|은} [남편의 선거 유세에 동행했다|자선 바자회를 열었다].", "a b spouse", ""),
    ("P", "tr", "spouse", "{a:PER}{@a|와} 부인 {b:PER} 씨는 [결혼 30주년을 맞아 봉사 활동에 나섰다|함께 기부금을 전달했다].", "a b spouse", ""),
    ("P", "tr", "spouse", "{b:PER}{@b|은} 남편 {a:PER}{@a|와} 함께 [카페를 운영하고 있다|방송에 출연했다].", "b a spouse", ""),
    ("P", "tr", "spouse", "{a:PER}·{b:PER} 부부는 [슬하에 두 딸을 두고 있다|결혼 10년 만에 첫 아이를 얻었다].", "a b spouse", ""),
    ("P", "tr", "spouse", "{a:PER}{@a|은} 배우자 {b:PER}{@b|와} {x:DATE} 이혼했다.", "a b spouse", ""),
    ("P", "tr", "spouse", '{a:PER}{@a|은} 수상 소감에서 "아내 {b:PER}에게 이 영광을 돌리고 싶다"고 말했다.', "a b spouse", ""),
    ("P", "te", "spouse", "{a:PER}{@a|은} {x:DATE} {b:PER}{@b|와} 백년가약을 맺었다.", "a b spouse", ""),
    ("P", "te", "spouse", "{a:PER}{@a|와} {b:PER}{@b|이} {x:DATE} 화촉을 밝혔다.", "a b spouse", ""),
    ("P", "te", "spouse", "{a:PER}의 반려자인 {b:PER}{@b|은} [늘 곁에서 힘이 되어 줬다|내조의 여왕으로 불린다].", "a b spouse", ""),

    # ------------------------------------------------------------------ per:children
    ("P", "tr", "chi", "{a:PER}의 아들 {b:KIN(a)}{@b|은} [아버지의 뒤를 이어 정계에 입문했다|대를 이어 가업을 잇고 있다].", "a b chi", ""),
    ("P", "tr", "chi", "{a:PER}{@a|은} 슬하에 {b:KIN(a)}{@b|와} {c:KIN(a)} 두 자녀를 두었다.", "a b chi; a c chi; b c sib", ""),
    ("P", "tr", "chi", "{b:PER}{@b|은} {a:KIN(b)}의 [장남이다|막내딸이다|둘째 아들이다].", "a b chi", ""),
    ("P", "tr", "chi", "{a:PER}{@a|은} 딸 {b:PER}{@b|와} 함께 [무대에 올랐다|여행 예능에 출연했다].", "a b chi", ""),
    ("P", "tr", "chi", "{a:PER}{@a|은} 아들 {b:KIN(a)}에게 [경영권을 물려줬다|회사를 넘겨줬다].", "a b chi", ""),
    ("P", "tr", "chi", "{t:OCC} {a:PER}의 딸 {b:PER}{@b|도} 어머니를 따라 같은 길을 걷고 있다.", "a b chi; a t title", "b t"),
    ("P", "te", "chi", "{a:PER}{@a|은} {b:PER}{@b|을} 입양해 친자식처럼 키웠다.", "a b chi", ""),
    ("P", "te", "chi", "{a:PER}의 자제인 {b:KIN(a)}{@b|은} [현재 유학 중이다|가업을 돕고 있다].", "a b chi", ""),
    ("P", "te", "chi", "{a:PER}의 자녀로는 {b:KIN(a)}{@b|와} {c:KIN(a)}{@c|이} 있다.", "a b chi; a c chi; b c sib", ""),

    # ------------------------------------------------------------------ per:parents
    ("P", "tr", "par", "{b:PER}{@b|은} 아버지 {a:KIN(b)}의 [권유로 음악을 시작했다|영향을 받아 법조인의 길을 걸었다].", "b a par", ""),
    ("P", "tr", "par", "{b:PER}의 어머니 {a:PER} 씨는 [아들의 수상 소식에 눈물을 흘렸다|자녀 교육에 헌신했다].", "b a par", ""),
    ("P", "tr", "par", "{b:PER}{@b|은} 부친 {a:KIN(b)}의 뒤를 이어 [회사를 이끌고 있다|가업을 이어받았다].", "b a par", ""),
    ("P", "tr", "par", "{b:PER}{@b|은} {x:BDATE} {a:KIN(b)}의 [셋째 아들로|외동딸로] 태어났다.", "b a par; b x dob", ""),
    ("P", "tr", "par", "{b:PER}의 부모는 {a:KIN(b)}{@a|와} {c:PER|이다}.", "b a par; b c par; a c spouse", ""),
    ("P", "tr", "par", '{b:PER}{@b|은} "어머니 {a:PER} 씨가 늘 저의 가장 큰 버팀목이었다"고 밝혔다.', "b a par", ""),
    ("P", "te", "par", "{b:PER}의 생모인 {a:PER}{@a|은} [오랜 투병 끝에 세상을 떠났다|아들의 성공을 지켜봤다].", "b a par", ""),
    ("P", "te", "par", "{b:PER}{@b|은} 선친 {a:KIN(b)}의 유지를 받들어 [장학재단을 세웠다|회사를 운영하고 있다].", "b a par", ""),
    ("P", "te", "par", "{a:PER}{@a|은} {b:PER}{@b|을} 낳아 홀로 키웠다.", "b a par", ""),

    # ------------------------------------------------------------------ per:siblings
    ("P", "tr", "sib", "{a:PER}의 동생 {b:KIN(a)}{@b|은} [형과 같은 팀에서 뛰고 있다|언니의 뒤를 이어 연예계에 데뷔했다].", "a b sib", ""),
    ("P", "tr", "sib", "{a:PER}{@a|와} {b:KIN(a)}{@b|은} 친형제로 알려져 있다.", "a b sib", ""),
    ("P", "tr", "sib", "{a:PER}{@a|은} 형 {b:KIN(a)}{@b|와} 함께 [밴드를 결성했다|회사를 공동 창업했다].", "a b sib", ""),
    ("P", "tr", "sib", "{a:PER}의 누나 {b:KIN(a)}{@b|은} [동생의 매니저로 일하고 있다|동생의 공연장을 찾았다].", "a b sib", ""),
    ("P", "te", "sib", "{a:PER}{@a|와} {b:KIN(a)}{@b|은} 쌍둥이 [형제로|자매로] [같은 학교를 다녔다|나란히 국가대표에 뽑혔다].", "a b sib", ""),
    ("P", "te", "sib", "{a:PER}의 친오빠인 {b:KIN(a)}{@b|은} [여동생의 결혼식에서 축가를 불렀다|동생의 든든한 후원자가 됐다].", "a b sib", ""),

    # ------------------------------------------------------------------ per:other_family
    ("P", "tr", "ofam", "{a:PER}의 조카 {b:PER}{@b|이} [삼촌의 회사에 입사했다|정계에 진출했다].", "a b ofam", ""),
    ("P", "tr", "ofam", "{a:PER}의 사위인 {b:PER}{@b|은} [장인의 사업을 물려받았다|그룹의 핵심 인물로 떠올랐다].", "a b ofam", ""),
    ("P", "tr", "ofam", "{a:PER}의 손자 {b:KIN(a)}{@b|은} [할아버지의 유품을 기증했다|조부의 이름을 딴 재단을 이끌고 있다].", "a b ofam", ""),
    ("P", "tr", "ofam", "{b:PER}{@b|은} 외삼촌 {a:PER}의 영향으로 [연기를 시작했다|정치에 관심을 갖게 됐다].", "b a ofam", ""),
    ("P", "te", "ofam", "{a:PER}의 며느리 {b:PER}{@b|은} [시아버지의 병간호를 맡았다|가족 회사의 경영에 참여했다].", "a b ofam", ""),
    ("P", "te", "ofam", "{a:PER}{@a|와} 사촌지간인 {b:PER}{@b|은} [같은 무대에 섰다|함께 사업을 시작했다].", "a b ofam", ""),

    # ------------------------------------------------------------------ per:colleagues
    ("P", "tr", "coll", "{o:CLUB}에서 함께 뛰었던 {a:PER}{@a|와} {b:PER}{@b|이} [다시 한 팀에서 만났다|나란히 은퇴를 선언했다].", "a b coll; a o emp; b o emp", ""),
    ("P", "tr", "coll", "{a:PER}{@a|은} 같은 팀 동료 {b:PER}{@b|와} [완벽한 호흡을 맞췄다|우승을 합작했다].", "a b coll", ""),
    ("P", "tr", "coll", "{a:PER}{@a|은} 수상 소감에서 동료 {b:PER}에게 공을 돌렸다.", "a b coll", ""),
    ("P", "tr", "coll", "{o:GROUP} 멤버 {a:PER}{@a|와} {b:PER}{@b|이} [유닛을 결성했다|함께 화보를 촬영했다].", "a b coll; o a top; o b top", ""),
    ("P", "tr", "coll", "{a:PER}{@a|와} {b:PER}{@b|은} {o:COMP}에서 [함께 근무한|같은 부서에 있었던] 인연이 있다.", "a b coll; a o emp; b o emp", ""),
    ("P", "tr", "coll", "{o:PARTY}의 {a:PER} 의원과 {b:PER} 의원은 당내에서 [같은 계파로 분류된다|손발을 맞춰 왔다].", "a b coll; a o emp; b o emp", ""),
    ("P", "te", "coll", "{a:PER}{@a|와} 한솥밥을 먹던 {b:PER}{@b|은} [상대 팀으로 이적했다|코치로 새 출발을 했다].", "a b coll", ""),
    ("P", "te", "coll", "{a:PER}{@a|와} 입사 동기인 {b:PER}{@b|은} [나란히 임원으로 승진했다|같은 프로젝트를 맡았다].", "a b coll", ""),
    ("P", "te", "coll", "{a:PER}{@a|와} {b:PER}{@b|은} 같은 연구실에서 동고동락했다.", "a b coll", ""),

    # ------------------------------------------------------------------ org:founded
    ("P", "tr", "fnd", "{o:COMP}{@o|은} {d:ODATE}에 설립됐다.", "o d fnd", ""),
    ("P", "tr", "fnd", "{d:ODATE} 창립한 {o:ASSOC}{@o|은} [올해로 창립 {#10-80}주년을 맞았다|회원 수 증가세를 이어가고 있다].", "o d fnd", ""),
    ("P", "tr", "fnd", "{o:UNIV}{@o|은} {d:ODATE} 개교했다.", "o d fnd", ""),
    ("P", "tr", "fnd", "{d:ODATE}에 창단한 {o:CLUB}{@o|은} [통산 {#2-9}차례 우승을 차지했다|리그 최고 명문 구단으로 꼽힌다].", "o d fnd", ""),
    ("P", "tr", "fnd", "{o:PARTY}{@o|은} {d:ODATE} 창당됐다.", "o d fnd", ""),
    ("P", "tr", "fnd", "{o:COMP}({d:OYEAR} 설립){@o|은} [코스닥 상장을 앞두고 있다|해외 진출을 선언했다].", "o d fnd", ""),
    ("P", "tr", "fnd", "{o:GROUP}{@o|은} {d:ODATE} 결성된 [5인조|4인조] 그룹이다.", "o d fnd", ""),
    ("P", "te", "fnd", "{o:AGENCY}{@o|은} {d:ODATE} 출범했다.", "o d fnd", ""),
    ("P", "te", "fnd", "{o:COMP}{@o|은} {d:ODATE} 첫발을 내디딘 뒤 [꾸준히 성장해 왔다|업계 선두로 올라섰다].", "o d fnd", ""),
    ("P", "te", "fnd", "{o:COMP}의 창업 연도는 {d:OYEAR|이다}.", "o d fnd", ""),

    # ------------------------------------------------------------------ org:founded_by
    ("P", "tr", "fby", "{p:PER}{@p|이} {d:ODATE} 설립한 {o:COMP}{@o|은} [현재 업계 3위 기업으로 성장했다|올해 상장을 추진하고 있다].", "o p fby; o d fnd", ""),
    ("P", "tr", "fby", "{o:COMP}의 창업자 {p:PER}{@p|은} [경영 일선에서 물러났다|자서전을 출간했다].", "o p fby", ""),
    ("P", "tr", "fby", "{o:UNIV}{@o|을} 세운 {p:PER}{@p|은} [평생을 교육에 바쳤다|전 재산을 학교에 기부했다].", "o p fby", ""),
    ("P", "tr", "fby", "{o:PARTY}{@o|은} {p:PER}{@p|이} 주도해 창당한 정당이다.", "o p fby", ""),
    ("P", "tr", "fby", "{p:PER}{@p|은} {d:ODATE} {o:COMP}{@o|을} 창업했다.", "o p fby; o d fnd", ""),
    ("P", "te", "fby", "{p:PER}{@p|이} 맨손으로 일궈낸 {o:COMP}{@o|은} [재계 순위 10위권에 올랐다|매출 1조 원을 돌파했다].", "o p fby", ""),
    ("P", "te", "fby", "{o:COMP}{@o|은} {p:PER}{@p|이} 차린 회사로, [지금은 중견기업으로 성장했다|직원 수가 크게 늘었다].", "o p fby", ""),

    # ------------------------------------------------------------------ org:dissolved
    ("P", "tr", "diss", "{o:GROUP}{@o|은} {d:DDATE} 해체됐다.", "o d diss", ""),
    ("P", "tr", "diss", "{o:COMP}{@o|은} {d:DDATE} 문을 닫았다.", "o d diss", ""),
    ("P", "tr", "diss", "{d:DDATE} 해산한 {o:PARTY}의 [당원들은 뿔뿔이 흩어졌다|잔류 세력은 신당을 만들었다].", "o d diss", ""),
    ("P", "tr", "diss", "{o:CLUB}{@o|은} {d:DDATE} 재정난으로 해체되며 역사 속으로 사라졌다.", "o d diss", ""),
    ("P", "te", "diss", "{o:UNIV}{@o|은} {d:DDATE} 폐교됐다.", "o d diss", ""),
    ("P", "te", "diss", "{o:COMP}{@o|은} {d:DDATE} 파산 선고를 받고 청산됐다.", "o d diss", ""),
    ("P", "te", "diss", "{o:CLUB}{@o|은} {d:DDATE} 공식 해단식을 갖고 활동을 마무리했다.", "o d diss", ""),

    # ------------------------------------------------------------------ org:number_of_employees/members
    ("P", "tr", "nemp", "{o:COMP}{@o|은} 임직원 수가 {n:NUMP}에 달한다.", "o n nemp", ""),
    ("P", "tr", "nemp", "직원 {n:NUMP}{@n|을} 둔 {o:COMP}{@o|은} [올해 신규 채용을 늘리기로 했다|노사 협상을 마무리했다].", "o n nemp", ""),
    ("P", "tr", "nemp", "{o:PARTY}의 당원은 {n:NUMP|이다}.", "o n nemp", ""),
    ("P", "tr", "nemp", "{o:ASSOC}{@o|은} 회원 {n:NUMP}{@n|을} 보유하고 있다.", "o n nemp", ""),
    ("P", "te", "nemp", "{o:COMP}의 인력 규모는 {n:NUMP} 수준이다.", "o n nemp", ""),
    ("P", "te", "nemp", "{o:ASSOC}{@o|은} {n:NUMP}의 회원을 거느린 단체이다.", "o n nemp", ""),

    # ------------------------------------------------------------------ org:product
    ("P", "tr", "oprod", "{o:COMP}{@o|은} {x:DATE} 신제품 {r:PROD}{@r|을} 출시했다.", "o r oprod", ""),
    ("P", "tr", "oprod", "{o:COMP}의 대표 제품인 {r:PROD}{@r|은} [국내 시장 점유율 1위를 지키고 있다|해외에서도 인기를 끌고 있다].", "o r oprod", ""),
    ("P", "tr", "oprod", "{r:PROD}{@r|을} 만든 {o:COMP}{@o|은} [후속 제품 개발에 착수했다|생산 라인을 증설했다].", "o r oprod", ""),
    ("P", "tr", "oprod", "{o:COMP}{@o|이} 개발한 {r:PROD}{@r|이} [해외 시장에서 돌풍을 일으키고 있다|출시 한 달 만에 판매 10만 대를 돌파했다].", "o r oprod", ""),
    ("P", "tr", "oprod", "{o:COMP}{@o|은} {r:PROD}의 판매량이 [전년 대비 두 배로 늘었다고|100만 대를 돌파했다고] 밝혔다.", "o r oprod", ""),
    ("P", "tr", "oprod", '{o:COMP} 관계자는 "{r:PROD}{@r|은} 당사가 3년간 공들여 개발한 제품"이라고 설명했다.', "o r oprod", ""),
    ("P", "te", "oprod", "{o:COMP}{@o|은} 야심작 {r:PROD}{@r|을} 선보였다.", "o r oprod", ""),
    ("P", "te", "oprod", "{r:PROD}의 제조사인 {o:COMP}{@o|은} [리콜을 결정했다|후속 모델을 준비 중이다].", "o r oprod", ""),

    # ------------------------------------------------------------------ per:product
    ("P", "tr", "pprod", "{p:PER}{@p|은} 소설 《{w:WORK}》{@w|으로} 등단했다.", "p w pprod", ""),
    ("P", "tr", "pprod", "{p:PER}{@p|이} 쓴 장편소설 《{w:WORK}》{@w|이} 영화로 제작된다.", "p w pprod", ""),
    ("P", "tr", "pprod", "{p:PER} 감독의 영화 〈{w:WORK}〉{@w|이} 개봉 첫 주 흥행 1위에 올랐다.", "p w pprod", ""),
    ("P", "tr", "pprod", "{p:PER}{@p|이} 작곡한 '{w:WORK}'{@w|은} [음원 차트 정상에 올랐다|오랫동안 사랑받고 있다].", "p w pprod", ""),
    ("P", "tr", "pprod", "{p:PER}{@p|은} 대표작 《{w:WORK}》{@w|으로} 문학상을 받았다.", "p w pprod", ""),
    ("P", "te", "pprod", "{p:PER}{@p|이} 집필한 《{w:WORK}》{@w|은} [베스트셀러에 올랐다|10개 언어로 번역됐다].", "p w pprod", ""),
    ("P", "te", "pprod", "{p:PER}{@p|이} 연출을 맡은 연극 〈{w:WORK}〉{@w|이} 다음 달 무대에 오른다.", "p w pprod", ""),

    # ------------------------------------------------------------------ per:schools_attended
    ("P", "tr", "sch", "{p:PER}{@p|은} {o:UNIV} 경영학과를 졸업했다.", "p o sch", ""),
    ("P", "tr", "sch", "{o:UNIV} 출신의 {p:PER}{@p|은} [사법시험에 합격했다|대기업에 입사했다].", "p o sch", ""),
    ("P", "tr", "sch", "{p:PER}{@p|은} {o:UNIV}에서 [경제학을|물리학을|국문학을] 전공했다.", "p o sch", ""),
    ("P", "tr", "sch", "{o:SCHOOL}{@o|를} 나온 {p:PER}{@p|은} [곧바로 프로에 입단했다|명문대에 합격했다].", "p o sch", ""),
    ("P", "te", "sch", "{p:PER}{@p|은} {o:UNIV}에서 박사 학위를 취득했다.", "p o sch", ""),
    ("P", "te", "sch", "{o:UNIV} 동문인 {a:PER}{@a|와} {b:PER}{@b|은} [같은 로펌에서 일하고 있다|공동으로 책을 펴냈다].", "a o sch; b o sch", "a b"),
    ("P", "te", "sch", "{p:PER}{@p|은} {x:DATE} {o:SCHOOL}에 진학해 [학생회장을 지냈다|축구부에서 활약했다].", "p o sch", ""),

    # ------------------------------------------------------------------ per:religion
    ("P", "tr", "rel", "{p:PER}{@p|은} 독실한 {r:RELIG} 신자이다.", "p r rel", ""),
    ("P", "tr", "rel", "{r:RELIG} 신자인 {p:PER}{@p|은} [매주 예배에 빠지지 않는다|종교 행사에 꾸준히 참석한다].", "p r rel", ""),
    ("P", "tr", "rel", "{p:PER}{@p|은} {x:DATE} {r:RELIG|으로} 개종했다.", "p r rel", ""),
    ("P", "te", "rel", "{p:PER}{@p|은} 평생 {r:RELIG}의 가르침을 따랐다.", "p r rel", ""),
    ("P", "te", "rel", "{p:PER}의 종교는 {r:RELIG|이다}.", "p r rel", ""),

    # ------------------------------------------------------------------ org:political/religious_affiliation
    ("P", "tr", "aff", "{o:UNIV}{@o|은} {r:RELIG} 계열의 사립대학이다.", "o r aff", ""),
    ("P", "tr", "aff", "{o:PARTY}{@o|은} {i:IDEO|을} 표방하는 정당이다.", "o i aff", ""),
    ("P", "tr", "aff", "{r:RELIG} 재단이 운영하는 {o:SCHOOL}{@o|은} [올해 개교 기념식을 열었다|신입생 모집을 시작했다].", "o r aff", ""),
    ("P", "te", "aff", "{o:PARTY}{@o|은} {i:IDEO|을} 이념으로 내세우고 있다.", "o i aff", ""),
    ("P", "te", "aff", "{o:UNIV}{@o|은} {r:RELIG} 정신을 건학 이념으로 삼고 있다.", "o r aff", ""),

    # ------------------------------------------------------------------ per:alternate_names
    ("P", "tr", "palt", "{g:GROUP}의 멤버 {s:NICK}(본명 {p:PER}){@s|이} [첫 주연 드라마를 마쳤다|팬미팅을 열었다].", "s p palt; g s top; g p top", ""),
    ("P", "tr", "palt", "{p:PER}{@p|은} {s:NICK|이라는} 예명으로 활동하고 있다.", "p s palt", ""),
    ("P", "tr", "palt", "{p:PER}의 호는 {s:HO|이다}.", "p s palt", ""),
    ("P", "tr", "palt", "{s:NICK}의 본명은 {p:PER|이다}.", "s p palt", ""),
    ("P", "tr", "palt", "{t:OCC} {s:NICK}(본명 {p:PER}){@s|이} {x:DATE} [새 앨범을 발표했다|결혼 소식을 전했다].", "s p palt; s t title; p t title", ""),
    ("P", "tr", "palt", '{p:PER}{@p|은} "{s:NICK|이라는} 이름은 데뷔 당시 소속사 대표가 지어 준 예명"이라고 말했다.', "p s palt", ""),
    ("P", "te", "palt", "{p:PER}{@p|은} {s:HO|이라는} 필명으로 [작품을 발표했다|칼럼을 연재했다].", "p s palt", ""),
    ("P", "te", "palt", "{s:NICK|이라는} 애칭으로 불리는 {p:PER}{@p|은} [팬들과 소통을 즐긴다|예능에서도 활약하고 있다].", "p s palt", ""),
    ("P", "te", "palt", "{p:PER}의 아명은 {s:HO|이다}.", "p s palt", ""),

    # ================================================================== negated / denied / hypothetical
    ("N", "tr", "emp", "{p:PER}{@p|은} {o:COMP}에 근무한 적이 없다고 해명했다.", "", ""),
    ("N", "tr", "top", "{p:PER}{@p|은} 자신이 {o:COMP}의 대표가 아니라고 선을 그었다.", "", ""),
    ("N", "tr", "top", "{p:PER}{@p|이} {o:COMP}의 차기 사장으로 내정됐다는 소문은 사실이 아닌 것으로 확인됐다.", "", ""),
    ("N", "tr", "spouse", '{a:PER}{@a|와} {b:PER}{@b|이} 결혼한다는 보도에 대해 양측은 "사실무근"이라고 밝혔다.', "", ""),
    ("N", "tr", "sch", "{p:PER}{@p|은} {o:UNIV}에 입학 원서를 냈지만 불합격했다.", "", ""),
    ("N", "tr", "hq", "{o:COMP}{@o|이} {l:CITY|으로} 본사를 옮길 것이라는 관측이 나왔지만 회사 측은 이를 부인했다.", "", ""),
    ("N", "tr", "fby", "{p:PER}{@p|이} {o:COMP}{@o|을} 설립했다는 주장은 근거가 없는 것으로 드러났다.", "", ""),
    ("N", "tr", "emp", "만약 {p:PER}{@p|이} {o:CLUB}에 입단했다면 팀의 운명은 달라졌을 것이다.", "", ""),
    ("N", "tr", "pob", "{p:PER}{@p|은} {l:CITY}에서 태어났다고 알려졌으나, 이는 잘못된 정보로 밝혀졌다.", "", ""),
    ("N", "tr", "ofam", "{a:PER}{@a|은} {b:PER}{@b|와} 친척 관계가 전혀 아니라고 말했다.", "", ""),
    ("N", "tr", "emp", "{p:PER}{@p|은} {o:PARTY}에 입당하지 않겠다는 뜻을 분명히 했다.", "", ""),
    ("N", "tr", "mof", "{o:UMBC}{@o|은} {a:COMP}의 가입 신청을 거부했다.", "", ""),
    ("N", "tr", "rel", "{p:PER}{@p|은} {r:RELIG} 신자라는 소문에 대해 종교가 없다고 밝혔다.", "", ""),
    ("N", "tr", "dod", "{p:PER}{@p|이} {d:DATE}에 사망했다는 가짜 뉴스가 온라인에 퍼졌다.", "", ""),
    ("N", "tr", "top", "{p:PER}{@p|은} {o:COMP}의 회장직 제안을 거절했다.", "", ""),
    ("N", "tr", "oprod", "{o:COMP}{@o|은} {r:PROD}{@r|이} 자사 제품이 아니라고 해명했다.", "", ""),
    ("N", "tr", "pprod", "{p:PER}{@p|은} 《{w:WORK}》의 작가로 잘못 알려져 왔다.", "", ""),
    ("N", "tr", "par", "{a:PER}{@a|은} {b:PER}의 친아버지가 아닌 것으로 확인됐다.", "", ""),
    ("N", "tr", "title", "{p:PER}{@p|은} 한때 {t:OCC} 지망생이었지만 꿈을 이루지 못했다.", "", ""),
    ("N", "tr", "fnd", "{o:COMP}{@o|은} 당초 {d:DATE}에 설립될 예정이었으나 계획이 무산됐다.", "", ""),
    ("N", "tr", "res", "{p:PER}{@p|은} {l:FCITY}에 살고 있다는 보도를 부인했다.", "", ""),
    ("N", "tr", "mof", "{a:CLUB}{@a|은} {b:UMBS} 가입을 추진했으나 끝내 승인을 받지 못했다.", "", ""),
    ("N", "te", "emp", "{p:PER}{@p|이} {o:COMP}에 몸담았다는 보도는 오보로 밝혀졌다.", "", ""),
    ("N", "te", "emp", "{p:PER}{@p|은} {o:COMP}{@o|와}는 아무런 관련이 없다고 강조했다.", "", ""),
    ("N", "te", "spouse", "{a:PER}{@a|와} {b:PER}의 열애설은 근거 없는 루머로 드러났다.", "", ""),
    ("N", "te", "diss", "{o:COMP}{@o|이} {x:DATE} 문을 닫는다는 풍문이 돌았지만 회사 측은 정상 영업 중이라고 반박했다.", "", ""),
    ("N", "te", "sch", "{p:PER}{@p|은} {o:UNIV} 졸업생이라고 속여 온 것으로 드러났다.", "", ""),
    ("N", "te", "res", "{p:PER}{@p|이} {l:FCITY|으로} 이주할 계획이라는 관측은 사실과 다른 것으로 나타났다.", "", ""),
    ("N", "te", "top", "{o:COMP}{@o|은} {p:PER}{@p|을} 새 대표로 영입하려 했지만 협상이 결렬됐다.", "", ""),

    # ================================================================== co-mention without relation
    ("C", "tr", "", "{a:PER}{@a|와} {b:PER}{@b|은} {x:DATE} 열린 시상식에 나란히 참석했다.", "", ""),
    ("C", "tr", "", "{a:COMP}{@a|와} {b:COMP}{@b|은} {x:DATE} 업무협약을 체결했다.", "", ""),
    ("C", "tr", "", "{o:COMP}{@o|은} {l:CITY}에서 신제품 발표회를 열었다.", "", ""),
    ("C", "tr", "", "{p:PER}{@p|은} {x:DATE} {l:CITY}{@l|을} 방문해 [현장을 점검했다|주민들과 간담회를 가졌다].", "", ""),
    ("C", "tr", "", "{p:PER}{@p|은} {o:UNIV}에서 [특강을 했다|청년 창업을 주제로 강연했다].", "", ""),
    ("C", "tr", "", "{a:PER}{@a|은} {b:PER}{@b|을} 상대로 [명예훼손 소송을 제기했다|손해배상 청구 소송을 냈다].", "", ""),
    ("C", "tr", "", "{o:COMP}{@o|은} {p:PER}{@p|을} 새 광고 모델로 발탁했다.", "", ""),
    ("C", "tr", "", "{a:CLUB}{@a|은} 홈 경기에서 {b:CLUB}{@b|을} [3대 1로|2대 0으로|4대 2로] 꺾었다.", "", ""),
    ("C", "tr", "", "{p:PER}{@p|은} {x:DATE} {o:GOV}{@o|을} 상대로 행정소송을 냈다.", "", ""),
    ("C", "tr", "", "{a:PER}{@a|은} 인터뷰에서 {b:PER}{@b|을} 가장 존경하는 인물로 꼽았다.", "", ""),
    ("C", "tr", "", "{o:COMP}{@o|은} {d:DATE} 창립 기념식을 열고 [새 비전을 선포했다|우수 직원을 포상했다].", "", ""),
    ("C", "tr", "", "{p:PER}{@p|은} {d:DATE} {o:COMP} 주주총회에 참석했다.", "", ""),
    ("C", "tr", "", "{p:PER}{@p|은} {l:FCITY}에서 열린 국제회의에 [참석했다|연사로 나섰다].", "", ""),
    ("C", "tr", "", "{o:COMP}{@o|은} {l:COUNTRY}에 [첫 해외 법인을 세웠다|제품 수출을 시작했다].", "", ""),
    ("C", "tr", "", "{a:PER}{@a|은} {x:DATE} 열린 토론회에서 {b:PER}{@b|와} 설전을 벌였다.", "", ""),
    ("C", "tr", "", "{p:PER}{@p|은} {r:PROD}{@r|을} 직접 사용해 본 소감을 밝혔다.", "", ""),
    ("C", "tr", "", "{o:GOV}{@o|은} {x:DATE} {a:COMP} 등 {#3-9}개 기업에 과징금을 부과했다.", "", ""),
    ("C", "te", "", "{a:PER}{@a|와} {b:PER}{@b|이} 같은 날 [신곡을 발표해 화제가 됐다|각각 기자회견을 열었다].", "", ""),
    ("C", "te", "", "{a:COMP}{@a|은} {b:COMP}{@b|을} 상대로 특허 침해 소송을 제기했다.", "", ""),
    ("C", "te", "", "{p:PER}{@p|은} {x:DATE} {l:CITY|으로} 출장을 떠났다.", "", ""),
    ("C", "te", "", "{p:PER}{@p|은} {o:UNIV} 학생들을 대상으로 강연했다.", "", ""),
    ("C", "te", "", "{o:CLUB}{@o|은} {x:DATE} {l:FCITY}에서 전지훈련을 시작했다.", "", ""),
    ("C", "te", "", "{a:PER}{@a|은} {x:DATE} {b:PER}{@b|와} 만나 [협력 방안을 논의했다|공동 성명을 발표했다].", "", ""),
]
