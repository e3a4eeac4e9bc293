# -*- coding: utf-8 -*-
"""Independent generator of KLUE-RE v1.1 style relation-extraction data.

usage: python gen.py --seed S --n-train N --n-test M --out DIR

Writes DIR/train.json, DIR/test.json, DIR/test_unseen_only.json (test records whose
fact uses a test-only phrasing + all test no_relation records) and DIR/test_meta.json
(guid -> template id / category, for analysis only; not part of the KLUE format).
"""
import argparse
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pools as P  # noqa: E402
from templates import T, AB  # noqa: E402

LABELS = ["no_relation", "org:top_members/employees", "org:members", "org:product", "per:title",
          "org:alternate_names", "per:employee_of", "org:place_of_headquarters", "per:product",
          "org:number_of_employees/members", "per:children", "per:place_of_residence",
          "per:alternate_names", "per:other_family", "per:colleagues", "per:origin", "per:siblings",
          "per:spouse", "org:founded", "org:political/religious_affiliation", "org:member_of",
          "per:parents", "org:dissolved", "per:schools_attended", "per:date_of_death",
          "per:date_of_birth", "per:place_of_birth", "per:place_of_death", "org:founded_by",
          "per:religion"]
TYPES = {"PER", "ORG", "LOC", "DAT", "POH", "NOH"}

# approximate KLUE-RE v1.1 train label counts (used as relative weights)
KLUE_COUNTS = {
    "org:top_members/employees": 4284, "per:employee_of": 3573, "per:title": 2103,
    "org:member_of": 1866, "org:alternate_names": 1320, "per:origin": 1234,
    "org:place_of_headquarters": 1195, "per:date_of_birth": 1130, "per:alternate_names": 1001,
    "per:spouse": 795, "per:colleagues": 534, "per:parents": 520, "org:founded": 450,
    "org:members": 420, "per:date_of_death": 418, "org:product": 380, "per:children": 304,
    "per:place_of_residence": 193, "per:other_family": 190, "per:place_of_birth": 166,
    "org:founded_by": 155, "per:product": 139, "per:siblings": 136,
    "org:political/religious_affiliation": 98, "per:religion": 96, "per:schools_attended": 82,
    "org:dissolved": 66, "org:number_of_employees/members": 48, "per:place_of_death": 40,
}
# reverse direction of a fact (o, s): label, "NO" (-> no_relation) or "SKIP" (ambiguous)
INVERSE = {"per:children": "per:parents", "per:parents": "per:children",
           "org:members": "org:member_of", "org:member_of": "org:members",
           "org:top_members/employees": "per:employee_of", "per:employee_of": "SKIP",
           "org:founded_by": "NO", "per:schools_attended": "NO"}
SYMM = {"per:spouse", "per:siblings", "per:colleagues", "per:other_family",
        "per:alternate_names", "org:alternate_names"}

# ----------------------------------------------------------------------------- particles
DIGIT_FINAL = {"0": (True, False), "1": (True, True), "2": (False, False), "3": (True, False),
               "4": (False, False), "5": (False, False), "6": (True, False), "7": (True, True),
               "8": (True, True), "9": (False, False)}


def final_info(word):
    """(has final consonant, final is ㄹ) of the last pronounced syllable."""
    w = word.rstrip(" )》〉'\"」.")
    if not w:
        return (False, False)
    c = w[-1]
    if "가" <= c <= "힣":
        j = (ord(c) - 0xAC00) % 28
        return (j != 0, j == 8)
    if c in DIGIT_FINAL:
        return DIGIT_FINAL[c]
    if c.isalpha():
        if c.isupper() and (len(w) == 1 or w[-2].isupper()):
            return {"L": (True, True), "R": (True, True), "M": (True, False),
                    "N": (True, False)}.get(c, (False, False))
        lw = w.lower()
        if lw.endswith("group"):
            return (True, False)
        if lw.endswith("ng") or lw[-1] in "mn":
            return (True, False)
        if lw[-1] == "l":
            return (True, True)
        return (False, False)
    return (False, False)


JOSA = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"),
        "을": ("을", "를"), "를": ("을", "를"), "와": ("과", "와"), "과": ("과", "와"),
        "이다": ("이다", "이다"), "이었다": ("이었다", "였다"), "이라는": ("이라는", "라는"),
        "이라고": ("이라고", "라고"), "이며": ("이며", "이며"), "이자": ("이자", "이자"),
        "아": ("아", "야")}


def josa(word, j):
    has, rieul = final_info(word)
    if j in ("으로", "로"):
        return "으로" if (has and not rieul) else "로"
    if j in JOSA:
        return JOSA[j][0] if has else JOSA[j][1]
    return j  # invariant particle (의, 도, 에, ...)


def conj(sentence, rng):
    """'...했다.' -> '...했고,' / '...했으며,' (clause joining)."""
    assert sentence.endswith("다.")
    stem = sentence[:-2]
    last = stem[-1]
    if last == "는" and len(stem) > 1 and "가" <= stem[-2] <= "힣":
        stem = stem[:-1]                       # 맡는다 -> 맡
    elif "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 == 4:
        stem = stem[:-1] + chr(ord(last) - 4)  # 한다 -> 하
    if rng.random() < 0.5:
        return stem + "고,"
    has, rieul = final_info(stem)
    return stem + ("으며," if has and not rieul else "며,")


# ----------------------------------------------------------------------------- entities
KTYPE = {"PER": "PER", "NICK": "PER", "HO": "PER", "KIN": "PER"}
for k in ["COMP", "GRP", "UNIV", "SCHOOL", "PARTY", "CLUB", "GOV", "ASSOC", "AGENCY", "GROUP",
          "UMBC", "UMBS", "UMBU", "ORGALT", "ALT", "ALTEN"]:
    KTYPE[k] = "ORG"
for k in ["CITY", "DIST", "COUNTRY", "FCITY", "CITYOF"]:
    KTYPE[k] = "LOC"
for k in ["DATE", "BDATE", "BDATEF", "BDATEF_OLD", "BYEAR", "DDATE", "DDATEF", "ODATE", "OYEAR", "DMD"]:
    KTYPE[k] = "DAT"
KTYPE["NUMP"] = "NOH"
for k in ["OCC", "ACAD", "EMPT", "OCCPOL", "TITLE", "PROD", "WORK", "RELIG", "IDEO"]:
    KTYPE[k] = "POH"

TRAIN_INITIALS = {x[2] for x in P.PREFIX["tr"]}


class Ent:
    __slots__ = ("word", "type", "kind", "meta")

    def __init__(self, word, kind, meta=None):
        self.word, self.kind, self.type, self.meta = word, kind, KTYPE[kind], meta or {}


def _date(rng, y0, y1, fmt=None):
    y, m, d = rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28)
    if fmt is None:
        fmt = rng.choices(["full", "year", "ym"], [0.5, 0.3, 0.2])[0]
    if fmt == "full":
        return f"{y}년 {m}월 {d}일"
    if fmt == "year":
        return f"{y}년"
    return f"{y}년 {m}월"


def _prefix(rng, sp):
    return rng.choice(P.PREFIX[sp])


def _org(kind, rng, sp):
    if kind == "COMP":
        kr, en, ini = _prefix(rng, sp)
        sk, se = rng.choice(P.SECTORS)
        alts = [f"{en} {se}"]
        if sp == "tr" or ini not in TRAIN_INITIALS:
            alts.append(ini + sk)
        return Ent(kr + sk, "COMP", {"alts": alts, "en": f"{en} {se}", "tk": "COMP"})
    if kind == "GRP":
        kr, en, ini = _prefix(rng, sp)
        alts = [f"{en} Group"]
        if sp == "tr" or ini not in TRAIN_INITIALS:
            alts.append(ini + "그룹")
        return Ent(kr + "그룹", "GRP", {"alts": alts, "en": f"{en} Group", "tk": "COMP"})
    if kind == "UNIV":
        base = _prefix(rng, sp)[0] if rng.random() < 0.7 else rng.choice(P.CITY[sp])
        return Ent(base + "대학교", "UNIV", {"alts": [base + "대"], "tk": "UNIV"})
    if kind == "SCHOOL":
        base = _prefix(rng, sp)[0] if rng.random() < 0.6 else rng.choice(P.CITY[sp])
        return Ent(base + rng.choice(["고등학교", "여자고등학교", "중학교", "고등학교"]), "SCHOOL", {"tk": "SCHOOL"})
    if kind == "PARTY":
        return Ent(rng.choice(P.PARTY_A[sp]) + rng.choice(P.PARTY_B[sp]), "PARTY", {"tk": "PARTY"})
    if kind == "CLUB":
        city = rng.choice(P.CITY[sp])
        return Ent(city + " " + rng.choice(P.CLUB_NICK[sp]), "CLUB", {"tk": "CLUB", "city": city})
    if kind == "GOV":
        name, ab = rng.choice(P.GOV[sp])
        return Ent(name, "GOV", {"alts": [ab] if ab else [], "tk": "GOV_" + name[-1]})
    if kind == "ASSOC":
        if rng.random() < 0.6:
            w = "대한" + rng.choice(P.SPORT[sp]) + "협회"
        else:
            w = _prefix(rng, sp)[0] + rng.choice(["문화재단", "복지재단", "장학재단"])
        return Ent(w, "ASSOC", {"tk": "ASSOC"})
    if kind == "AGENCY":
        f = rng.choice(P.AGENCY_FIELD[sp])
        if rng.random() < 0.5:
            return Ent(f"한국{f}진흥원", "AGENCY", {"alts": [f"{f}진흥원"], "tk": "AGENCY"})
        return Ent(f"국립{f}연구원", "AGENCY", {"alts": [f"{f}연구원"], "tk": "AGENCY"})
    if kind == "GROUP":
        return Ent(rng.choice(P.GROUP[sp]), "GROUP", {"tk": "GROUP"})
    if kind == "UMBC":
        return Ent(_prefix(rng, sp)[0] + rng.choice(P.UMB_C), "UMBC", {"tk": "UMB"})
    if kind == "UMBS":
        return Ent(_prefix(rng, sp)[0] + rng.choice(P.UMB_S), "UMBS", {"tk": "UMB"})
    if kind == "UMBU":
        base = _prefix(rng, sp)[0] if rng.random() < 0.5 else rng.choice(P.CITY[sp]) + "지역"
        return Ent(base + rng.choice(P.UMB_U), "UMBU", {"tk": "UMB"})
    if kind == "ORGALT":
        while True:
            k = rng.choices(["COMP", "UNIV", "GOV", "AGENCY", "GRP"], [0.35, 0.25, 0.15, 0.15, 0.1])[0]
            e = _org(k, rng, sp)
            if e.meta.get("alts"):
                return e
    raise KeyError(kind)


def sample_entity(kind, ref, rng, sp):
    if kind in ("COMP", "GRP", "UNIV", "SCHOOL", "PARTY", "CLUB", "GOV", "ASSOC", "AGENCY", "GROUP",
                "UMBC", "UMBS", "UMBU", "ORGALT"):
        return _org(kind, rng, sp)
    if kind in ("PER", "KIN"):
        # KIN: relative of `ref`, shares the family name most of the time
        same = kind == "KIN" and ref is not None and rng.random() < 0.85
        if (same and "last" in ref.meta) or (not same and rng.random() < 0.07):
            last = ref.meta["last"] if same else rng.choice(P.FOREIGN_LAST[sp])
            return Ent(rng.choice(P.FOREIGN_FIRST[sp]) + " " + last, kind, {"last": last})
        g = rng.sample(P.GIVEN[sp], 2)
        sur = ref.meta["sur"] if same else rng.choices(P.SURNAMES, P.SURNAME_W)[0]
        return Ent(sur + g[0] + g[1], kind, {"sur": sur})
    if kind == "NICK":
        return Ent(rng.choice(P.NICK[sp]), "NICK")
    if kind == "HO":
        return Ent(rng.choice(P.HO[sp]), "HO")
    if kind == "ALT":
        return Ent(rng.choice(ref.meta["alts"]), "ALT")
    if kind == "CITYOF":
        return Ent(ref.meta["city"], "CITYOF")
    if kind == "ALTEN":
        return Ent(ref.meta["en"], "ALTEN")
    if kind == "TITLE":
        return Ent(rng.choice(P.EXEC[ref.meta["tk"]][sp]), "TITLE")
    if kind in ("CITY", "DIST", "COUNTRY", "FCITY"):
        return Ent(rng.choice(getattr(P, kind)[sp]), kind)
    if kind in ("OCC", "ACAD", "EMPT", "OCCPOL", "RELIG", "IDEO"):
        return Ent(rng.choice(getattr(P, kind)[sp]), kind)
    if kind == "DATE":
        return Ent(_date(rng, 1995, 2024), kind)
    if kind == "BDATE":
        return Ent(_date(rng, 1935, 2004), kind)
    if kind == "BDATEF":
        return Ent(_date(rng, 1935, 2004, "full"), kind)
    if kind == "BDATEF_OLD":
        return Ent(_date(rng, 1880, 1950, "full"), kind)
    if kind == "BYEAR":
        return Ent(_date(rng, 1950, 2004, "year"), kind)
    if kind == "DDATE":
        return Ent(_date(rng, 1960, 2024), kind)
    if kind == "DDATEF":
        return Ent(_date(rng, 1976, 2024, "full"), kind)
    if kind == "ODATE":
        return Ent(_date(rng, 1920, 2018), kind)
    if kind == "OYEAR":
        return Ent(_date(rng, 1920, 2018, "year"), kind)
    if kind == "DMD":
        return Ent(f"{rng.randint(1, 12)}월 {rng.randint(1, 28)}일", kind)
    if kind == "NUMP":
        f = rng.randrange(5)
        if f == 0:
            return Ent(f"{rng.randint(30, 9999):,}명", kind)
        if f == 1:
            return Ent(f"{rng.randint(2, 9)}천여 명", kind)
        if f == 2:
            return Ent(f"{rng.randint(1, 60)}만 명", kind)
        if f == 3:
            return Ent(f"{rng.randint(1, 30)}만여 명", kind)
        return Ent(f"{rng.randint(1, 50) * 100:,}여 명", kind)
    if kind == "PROD":
        suf = rng.choice(P.PROD_SUF).replace("{n}", str(rng.randint(2, 12)))
        return Ent(rng.choice(P.PROD_STEM[sp]) + suf, kind)
    if kind == "WORK":
        if rng.random() < 0.6:
            return Ent(rng.choice(P.WORK_ADJ[sp]) + " " + rng.choice(P.WORK_NOUN[sp]), kind)
        a, b = rng.sample(P.WORK_NOUN[sp], 2)
        return Ent(f"{a}의 {b}", kind)
    raise KeyError(kind)


# ----------------------------------------------------------------------------- templates
SLOT_RE = re.compile(r"\{(@?)([a-z][a-z0-9]*)(?::([A-Z_]+)(?:\(([a-z][a-z0-9]*)\))?)?(?:\|([^{}]+))?\}")
NUM_RE = re.compile(r"\{#(\d+)-(\d+)\}")


def expand_alternatives(text, rng):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "[":
            j = text.index("]", i)
            body, parts, depth, cur = text[i + 1:j], [], 0, ""
            for ch in body:
                if ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                if ch == "|" and depth == 0:
                    parts.append(cur)
                    cur = ""
                else:
                    cur += ch
            parts.append(cur)
            out.append(rng.choice(parts))
            i = j + 1
        else:
            out.append(c)
            i += 1
    text = "".join(out)
    return NUM_RE.sub(lambda m: str(rng.randint(int(m.group(1)), int(m.group(2)))), text)


class Tmpl:
    def __init__(self, idx, kind, split, rel, text, facts, skip):
        self.id = f"{kind}-{rel or 'co'}-{split}-{idx}"
        self.kind, self.split, self.text = kind, split, text
        self.rel = AB[rel] if rel in AB else rel
        self.slots = {}
        for m in SLOT_RE.finditer(text):
            if m.group(3):
                assert m.group(2) not in self.slots, (text, m.group(2))
                self.slots[m.group(2)] = (m.group(3), m.group(4))
        for m in SLOT_RE.finditer(text):
            assert m.group(2) in self.slots, (text, m.group(2))
        self.facts = {}
        for f in filter(None, [x.strip() for x in facts.split(";")]):
            s, o, lab = f.split()
            assert s in self.slots and o in self.slots, (text, f)
            self.facts[(s, o)] = AB[lab]
        self.skip = set()
        for f in filter(None, [x.strip() for x in skip.split(";")]):
            a, b = f.split()
            self.skip.add(frozenset((a, b)))
        self.wiki = bool(re.match(r"^\{[a-z]+:PER\}\(", text))
        self.combinable = (text.endswith("다.") and '"' not in text and not self.wiki
                           and not text.startswith("만약"))
        self.prefixable = (not self.wiki and not text.startswith('"') and not text.startswith("만약")
                           and not re.search(r"(이다|이었다)\}?\.$", text)
                           and not re.search(r"밝혔|말했|설명했|해명했|부인했|반박했|강조했", text))
        self.primary = set()
        if self.kind == "P":
            self.primary.add(self.rel)
            inv = INVERSE.get(self.rel)
            if inv in LABELS:
                self.primary.add(inv)
        # label of every ordered pair (subject must be PER/ORG)
        self.pairs = {}   # (s,o) -> (label, tag)
        names = list(self.slots)
        for s in names:
            if KTYPE[self.slots[s][0]] not in ("PER", "ORG"):
                continue
            for o in names:
                if o == s:
                    continue
                if (s, o) in self.facts:
                    self.pairs[(s, o)] = (self.facts[(s, o)], "fact")
                elif (o, s) in self.facts:
                    lab = self.facts[(o, s)]
                    if lab in SYMM:
                        self.pairs[(s, o)] = (lab, "fact")
                    elif INVERSE.get(lab) in LABELS:
                        self.pairs[(s, o)] = (INVERSE[lab], "fact")
                    elif INVERSE.get(lab) == "NO":
                        self.pairs[(s, o)] = ("no_relation", "reverse")
                    # SKIP or undefined -> not sampled
                elif frozenset((s, o)) in self.skip:
                    continue
                else:
                    self.pairs[(s, o)] = ("no_relation", "within" if self.kind == "P" else self.kind)

    def render(self, rng, sp, used):
        text = expand_alternatives(self.text, rng)
        ents = {}
        order = sorted(self.slots, key=lambda n: self.slots[n][1] is not None)
        for n in order:
            kind, ref = self.slots[n]
            for _ in range(50):
                e = sample_entity(kind, ents.get(ref), rng, sp)
                if e.word not in used or kind == "CITYOF":
                    break
            used.add(e.word)
            ents[n] = e
        out, spans, pos = [], {}, 0
        for m in SLOT_RE.finditer(text):
            out.append(text[pos:m.start()])
            at, name, j = m.group(1), m.group(2), m.group(5)
            e = ents[name]
            if not at:
                start = sum(len(x) for x in out)
                out.append(e.word)
                if name not in spans:
                    spans[name] = (start, start + len(e.word))
            if j:
                out.append(josa(e.word, j))
            pos = m.end()
        out.append(text[pos:])
        return "".join(out), spans, ents


TEMPLATES = [Tmpl(i, *t) for i, t in enumerate(T)]

PREFIXES = ["한편 ", "이에 앞서 ", "업계에 따르면 ", "관계자에 따르면 ", "보도에 따르면 ", "이와 함께 "]


# ----------------------------------------------------------------------------- sentence building
class Piece:
    """A rendered clause (text, spans, entities) with the template it came from."""

    def __init__(self, tmpl, rng, sp, used):
        self.t = tmpl
        self.text, self.spans, self.ents = tmpl.render(rng, sp, used)


def assemble(pieces, rng, prefix_ok):
    """Join one or two clauses; returns text and {(piece_idx, slot): (start, end)}."""
    texts = [p.text for p in pieces]
    if len(pieces) == 2:
        texts[0] = conj(texts[0], rng)
    pre = ""
    if prefix_ok and pieces[0].t.prefixable and rng.random() < (0.15 if len(pieces) == 1 else 0.08):
        pre = rng.choice(PREFIXES)
    spans, off, full = {}, len(pre), pre
    for i, (p, tx) in enumerate(zip(pieces, texts)):
        if i:
            full += " "
            off += 1
        for n, (a, b) in p.spans.items():
            spans[(i, n)] = (off + a, off + b)
        full += tx
        off += len(tx)
    return full, spans


def source_of(pieces, rng):
    if pieces[0].t.wiki:
        return "wikipedia"
    kinds = {e.kind for p in pieces for e in p.ents.values()}
    if kinds & {"GOV", "AGENCY"} and rng.random() < 0.6:
        return "policy_briefing"
    return "wikitree" if rng.random() < 0.55 else "wikipedia"


def make_record(text, spans, pieces, s, o, label, rng):
    (i, sn), (k, on) = s, o
    es, eo = pieces[i].ents[sn], pieces[k].ents[on]
    a, b = spans[s]
    c, d = spans[o]
    assert text[a:b] == es.word and text[c:d] == eo.word
    return {"guid": None, "sentence": text,
            "subject_entity": {"word": es.word, "start_idx": a, "end_idx": b - 1, "type": es.type},
            "object_entity": {"word": eo.word, "start_idx": c, "end_idx": d - 1, "type": eo.type},
            "label": label, "source": source_of(pieces, rng)}


# ----------------------------------------------------------------------------- file generation
def label_targets(n, floor):
    n_no = round(0.30 * n)
    pos = n - n_no
    tot = sum(KLUE_COUNTS.values())
    c = {L: max(floor, round(v / tot * pos)) for L, v in KLUE_COUNTS.items()}
    diff = pos - sum(c.values())
    big = ["org:top_members/employees", "per:employee_of", "per:title", "org:member_of"]
    i = 0
    while diff:
        L = big[i % len(big)]
        step = 1 if diff > 0 else -1
        c[L] += step
        diff -= step
        i += 1
    c["no_relation"] = n_no
    return c


def unseen_quota(counts, frac, avail):
    pos = {L: n for L, n in counts.items() if L != "no_relation"}
    target = frac * sum(pos.values())
    best = None
    for r in [x / 1000 for x in range(100, 600)]:
        q = {L: (min(n, max(5, round(r * n))) if L in avail else 0) for L, n in pos.items()}
        err = abs(sum(q.values()) - target)
        if best is None or err < best[0]:
            best = (err, q)
    return best[1]


def weighted_choice(rng, items):
    tot = sum(w for *_, w in items)
    x = rng.random() * tot
    for it in items:
        x -= it[-1]
        if x <= 0:
            return it
    return items[-1]


def generate_file(rng, n, sp_names, sp_entities, unseen_frac, floor):
    """sp_names: template splits allowed ('tr' or 'tr','te'); sp_entities: entity pool split."""
    allowed = [t for t in TEMPLATES if t.split in sp_names]
    posT = [t for t in allowed if t.kind == "P"]
    combT = [t for t in allowed if t.kind in ("P", "C") and t.combinable]
    negT = [t for t in allowed if t.kind == "N"]
    coT = [t for t in allowed if t.kind == "C"]

    def options(tmpls, label, primary_only=False):
        out = []
        for t in tmpls:
            for (s, o), (lab, tag) in t.pairs.items():
                if lab == label and tag == "fact" and (not primary_only or lab in t.primary):
                    out.append((t, s, o, 3.0 if lab in t.primary else 1.0))
        return out

    seen_tr = [t for t in posT if t.split == "tr"]
    seen_te = [t for t in posT if t.split == "te"]
    opt_seen = {L: options(seen_tr, L) for L in KLUE_COUNTS}
    opt_unseen = {L: options(seen_te, L, primary_only=True) for L in KLUE_COUNTS}
    for L in KLUE_COUNTS:
        assert opt_seen[L], f"no train phrasing for {L}"
        if "te" in sp_names:
            assert opt_unseen[L], f"no test-only phrasing for {L}"

    counts = label_targets(n, floor)
    quota = unseen_quota(counts, unseen_frac, {L for L in opt_unseen if opt_unseen[L]}) \
        if "te" in sp_names else {L: 0 for L in KLUE_COUNTS}

    recs, meta, seen_keys = [], [], set()

    def emit(rec, m):
        key = (rec["sentence"], rec["subject_entity"]["start_idx"], rec["object_entity"]["start_idx"])
        if key in seen_keys:
            return False
        seen_keys.add(key)
        recs.append(rec)
        meta.append(m)
        return True

    def positive(L, unseen):
        opts = opt_unseen[L] if unseen else opt_seen[L]
        t, s, o, _ = weighted_choice(rng, opts)
        used = set()
        main = Piece(t, rng, sp_entities, used)
        pieces, mi = [main], 0
        if t.combinable and rng.random() < 0.2:
            other = Piece(rng.choice([c for c in combT if c is not t]), rng, sp_entities, used)
            if rng.random() < 0.5:
                pieces, mi = [main, other], 0
            else:
                pieces, mi = [other, main], 1
        text, spans = assemble(pieces, rng, True)
        rec = make_record(text, spans, pieces, (mi, s), (mi, o), L, rng)
        return emit(rec, {"template": t.id, "phr": t.split, "unseen": bool(unseen), "cat": "positive"})

    for L in KLUE_COUNTS:
        i = 0
        while i < counts[L]:
            if positive(L, i < quota.get(L, 0)):
                i += 1

    # ---- no_relation
    n_no = counts["no_relation"]
    cats = ["negated", "within", "cross", "comention", "reverse"]
    shares = [0.28, 0.22, 0.22, 0.16, 0.12]
    per_cat = [round(n_no * s) for s in shares]
    per_cat[0] += n_no - sum(per_cat)
    rev_opts = [(t, s, o, 1.0) for t in posT for (s, o), (lab, tag) in t.pairs.items() if tag == "reverse"]
    within_opts = [(t, s, o, 0.6 if t.slots[o][0] == "TITLE" else 1.0)
                   for t in posT for (s, o), (lab, tag) in t.pairs.items() if tag == "within"]

    def pick_pair(t):
        cand = [(s, o, 0.3 if "x" in (s, o) else 1.0) for (s, o), (lab, tag) in t.pairs.items()]
        s, o, _ = weighted_choice(rng, cand)
        return s, o

    for cat, k in zip(cats, per_cat):
        done = 0
        while done < k:
            used = set()
            if cat in ("negated", "comention"):
                t = rng.choice(negT if cat == "negated" else coT)
                s, o = pick_pair(t)
                pieces = [Piece(t, rng, sp_entities, used)]
                text, spans = assemble(pieces, rng, True)
                rec = make_record(text, spans, pieces, (0, s), (0, o), "no_relation", rng)
                tid = t.id
            elif cat in ("within", "reverse"):
                t, s, o, _ = weighted_choice(rng, within_opts if cat == "within" else rev_opts)
                main = Piece(t, rng, sp_entities, used)
                pieces, mi = [main], 0
                if t.combinable and rng.random() < 0.2:
                    other = Piece(rng.choice([c for c in combT if c is not t]), rng, sp_entities, used)
                    pieces, mi = ([main, other], 0) if rng.random() < 0.5 else ([other, main], 1)
                text, spans = assemble(pieces, rng, True)
                rec = make_record(text, spans, pieces, (mi, s), (mi, o), "no_relation", rng)
                tid = t.id
            else:  # cross: pair spans two independent facts
                while True:
                    t1, t2 = rng.sample(combT, 2)
                    p1, p2 = Piece(t1, rng, sp_entities, used), Piece(t2, rng, sp_entities, used)
                    pieces = [p1, p2]
                    subj = [(i, n) for i, p in enumerate(pieces) for n in p.spans
                            if p.ents[n].type in ("PER", "ORG")]
                    if subj:
                        break
                    used = set()
                si = rng.choice(subj)
                objs = [(1 - si[0], n) for n in pieces[1 - si[0]].spans]
                # prefer PER/ORG/LOC/DAT objects that look like plausible arguments
                oi = rng.choice(objs)
                text, spans = assemble(pieces, rng, True)
                rec = make_record(text, spans, pieces, si, oi, "no_relation", rng)
                tid = t1.id + "+" + t2.id
            done += emit(rec, {"template": tid, "phr": "na", "unseen": False, "cat": cat})

    idx = list(range(len(recs)))
    rng.shuffle(idx)
    return [recs[i] for i in idx], [meta[i] for i in idx]


def validate(recs, name):
    for r in recs:
        s = r["sentence"]
        for k in ("subject_entity", "object_entity"):
            e = r[k]
            assert s[e["start_idx"]:e["end_idx"] + 1] == e["word"], (name, r)
            assert e["type"] in TYPES, r
        assert r["subject_entity"]["type"] in ("PER", "ORG"), r
        assert r["label"] in LABELS, r
        assert "  " not in s, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--n-train", type=int, required=True)
    ap.add_argument("--n-test", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--unseen-frac", type=float, default=0.35)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    train, _ = generate_file(rng, a.n_train, ("tr",), "tr", 0.0, 8)
    test, tmeta = generate_file(rng, a.n_test, ("tr", "te"), "te", a.unseen_frac, 8)
    for i, r in enumerate(train):
        r["guid"] = f"indep-train-{a.seed}-{i:05d}"
    for i, (r, m) in enumerate(zip(test, tmeta)):
        r["guid"] = f"indep-test-{a.seed}-{i:05d}"
        m["guid"] = r["guid"]
        m["label"] = r["label"]
    validate(train, "train")
    validate(test, "test")
    assert set(r["label"] for r in train) == set(LABELS), set(LABELS) - set(r["label"] for r in train)
    unseen = [r for r, m in zip(test, tmeta) if m["unseen"] or r["label"] == "no_relation"]
    for fn, data in [("train.json", train), ("test.json", test),
                     ("test_unseen_only.json", unseen), ("test_meta.json", tmeta)]:
        with open(os.path.join(a.out, fn), "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
    print(f"wrote {a.out}: train={len(train)} test={len(test)} test_unseen_only={len(unseen)} "
          f"(unseen positives={sum(m['unseen'] for m in tmeta)})")


if __name__ == "__main__":
    main()
