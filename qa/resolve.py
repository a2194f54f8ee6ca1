"""Parsed question → Resolved: the stored agencies it names settled, or why no stored report can answer it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.vocabulary import POINTING_WORDS
from qa.parse import Parsed
from qa.scope import Catalog

EMPTY = "尚未收录任何报告，请先导入报告（python -m ingest PATH --db DIR）。"
PERSON = "年度报告只公布汇总的统计数字，不含具体申请人或个人（“{}”）的申请和办理情况。"
NAMELESS_EXAMPLES = 4  # stored names shown in the question back for an organ said with no name
CHOICES_SHOWN = 10  # agencies a question back lists one by one ("市政府" of a national store fits hundreds)
FUTURE = "年度报告只记录当年已经发生的情况，不含对今后数字的预测或计划。"


@dataclass(frozen=True)
class Resolved:
    """A parsed question whose agencies are settled against the stored ones."""

    parsed: Parsed  # agencies: the keys of every stored agency meant, in order
    note: str = ""  # a place alone read as the one agency stored there, said before the answer
    refusal: str = ""  # why no stored report can answer (a name no agency fits, a person, a forecast …); "" if none
    asked_about: str = ""  # the refusal asks which agency these words ("市政府", "管理局") mean


def resolve(p: Parsed, before: tuple[str, ...], catalog: Catalog) -> Resolved:
    """Settle the agencies the question names (`before`: the report ids the conversation covered, which say which
    of several it means), then refuse what no report holds: an individual's case, a forecast, another subject."""
    if not catalog.reports:
        return Resolved(p, refusal=EMPTY)
    p, asked, note, about = _agencies(p, before, catalog)
    if asked:
        return Resolved(p, refusal=asked, asked_about=about)
    if p.person:
        return Resolved(p, refusal=PERSON.format(p.person))
    if p.future and (p.quantity or p.focus is not None):
        return Resolved(p, refusal=FUTURE)
    if p.offtopic and (p.focus is None or not p.focus.first):  # "居民人均可支配收入": 居民 is no applicant here
        return Resolved(p, refusal=f"政府信息公开工作年度报告不包含“{p.offtopic}”这类数据。")
    return Resolved(p, note)


def _nameless(said: str, catalog: Catalog) -> str:
    """The question back for an organ said with no name ("管理局2024年…"): which one, with stored names ending in
    that organ for examples."""
    organ = _organ(said)
    like = sorted(k for k, a in catalog.agencies.items() if a.name.endswith(organ))
    shown = catalog.names(like[:NAMELESS_EXAMPLES]) + ("等" if len(like) > NAMELESS_EXAMPLES else "")
    return f"“{said}”没有说是哪个机关，请说出机关的名称" + (f"（已收录的如：{shown}）。" if like else "。")


def _organ(said: str) -> str:
    """"管理局" of "这个管理局": the organ words said, without their pointing word."""
    return said.removeprefix(next((w for w in POINTING_WORDS if said.startswith(w)), ""))


def _choices(keys: tuple[str, ...], catalog: Catalog) -> str:
    """The agencies a question back offers: all, or the first CHOICES_SHOWN and how many there are."""
    if len(keys) <= CHOICES_SHOWN:
        return catalog.names(keys)
    example = catalog.agencies[keys[0]].name
    return f"{catalog.names(keys[:CHOICES_SHOWN])}等{len(keys)}个机关（请说出地名，如“{example}”）"


def _agencies(p: Parsed, before: tuple[str, ...], catalog: Catalog) -> tuple[Parsed, str, str, str]:
    """Settle the agencies named: a refusal naming the nearest stored ones, or a question back among several (and
    the words it asks about); and a note when a place alone stands for the one agency stored there ("上海" of
    上海市科委, never for a figure)."""
    note = ""
    for m in p.unmatched:
        if p.level and not m.organ_said and m.place:
            continue  # "平潭各部门" with no 平潭 government stored: the place bounds the level (conversation._within)
        near = catalog.resolver.nearest(m)
        here = [k for k in near if catalog.resolver.names[k].places[-1:] == tuple(m.place.split("、"))]
        if not m.organ_said and here and set(here) & set(p.agencies):
            continue  # "上海市科委…上海科技": the place's agency is named as well
        if not m.organ_said and len(here) == 1 and p.focus is None:
            p = replace(p, agencies=tuple(dict.fromkeys((*p.agencies, here[0]))))
            note = f"未收录{m.text}本级政府的报告，以下为{catalog.agencies[here[0]].name}的报告。"
            continue
        hint = f"最接近的是：{catalog.names(near)}。" if near else f"已收录：{catalog.listing()}。"
        return p, f"已收录的报告中没有“{m.text}”的报告。{hint}", "", ""
    if p.unknown:
        return p, f"已收录的报告中没有“{p.unknown[0]}”的报告。已收录：{catalog.listing()}。", "", ""
    talked = {catalog.agencies[catalog.agency_of(r)].name for r in before if r in catalog.reports}
    if p.nameless and not p.agencies and not p.ambiguous and not any(n.endswith(_organ(p.nameless)) for n in talked):
        # no agency named, and none the conversation is about is such an organ ("管理局" after a 人民政府)
        return p, _nameless(p.nameless, catalog), "", p.nameless
    said = {catalog.agency_of(r) for r in before if r in catalog.reports}
    settled = list(p.agencies)
    for m in p.ambiguous:
        meant = [k for k in m.candidates if k in said or k in p.agencies]
        if len(meant) != 1:  # neither the question nor the conversation says which one
            # offered: those with a report of a year the question names, when several have ("片区管理局2024年…")
            dated = tuple(k for k in m.candidates if any(r.year in p.years for r in catalog.of_key(k).reports))
            offered = dated if len(dated) > 1 else m.candidates
            return p, f"“{m.text}”可能指多个机关，请问是哪一个：{_choices(offered, catalog)}？", "", m.text
        settled.append(meant[0])
    return replace(p, agencies=tuple(dict.fromkeys(settled))), "", note, ""
