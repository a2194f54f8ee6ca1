"""N synthetic annual reports (markdown) from the national template: invented agencies, true identities, real prose.

`python -m bench.synth N OUTDIR [--seed S]`. Tables follow the 2021 layout with every cross-footing identity
true; narrative paragraphs are recombined from the bundled samples (agency names swapped, paragraphs that quote
table figures left out) plus one paragraph quoting the synthetic figures, so the narrative checks pass too.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict
from pathlib import Path

from core.template import APPEAL_GROUPS, OUTCOMES, TABLE_3
from ingest.check.rules import narrative_figures
from ingest.parse.clean import clean_text
from ingest.parse.sections import paragraphs

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIRST = "青白金银玉翠碧丹紫云霞松柏桐枫梅兰竹菊桂"
SECOND = "溪岭峰川湾港塘坪岗坝堡屯庄集桥滩洲渡源垣"
SUFFIX = "市县区"
YEARS = (2022, 2023, 2024)
# Agency names printed in the samples: replaced by the synthetic agency's name.
SAMPLE_NAMES = re.compile(r"浏阳市|瀏陽市|淮安市洪泽区|洪泽区|淮安市|平潭综合实验区|沭阳县|沐阳县|上海市科委|市科委")
_YEAR = re.compile(r"20\d\d(?=\s*年)")
PARTS = ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")


def agency(i: int) -> str:
    """The i-th invented place, three reports (years) each: 1,200 two-character names (青溪市, 白溪市, …), then
    three-character ones (青溪岭市, …: 48,000 more), so that 100,000 reports never repeat an agency and year."""
    n = i // len(YEARS)
    a, b = FIRST[n % len(FIRST)], SECOND[(n // len(FIRST)) % len(SECOND)]
    short = len(FIRST) * len(SECOND) * len(SUFFIX)
    if n < short:
        return f"{a}{b}{SUFFIX[(n // (len(FIRST) * len(SECOND))) % len(SUFFIX)]}"
    m = n - short
    third = SECOND + FIRST  # a middle character from SECOND: no long name holds a short one
    c = third[(m // (len(FIRST) * len(SECOND))) % len(third)]
    return f"{a}{b}{c}{SUFFIX[(m // (len(FIRST) * len(SECOND) * len(third))) % len(SUFFIX)]}"


def prose_pool() -> dict[str, list[str]]:
    """Sample paragraphs by part and sub-heading ("一、总体情况/（二）依申请公开…"), without quoted figures."""
    pool: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SAMPLES.glob("*.txt")):
        for p in paragraphs(path.stem, clean_text(path.read_text(encoding="utf-8"))):
            top = p.section.split("/")[0]
            if top in PARTS and not narrative_figures([p]) and len(p.plain) >= 40:
                pool[top].append(p.plain)
    return pool


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` cut into `parts` non-negative whole numbers."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def table3(rng: random.Random) -> dict[str, list[int]]:
    """Row path → seven numbers (six applicant columns and 总计), every identity of FORMAT.md true."""
    leaves = [r.path for r in TABLE_3.value_rows() if r.path.startswith("三、") and not r.path.endswith("总计")]
    rows: dict[str, list[int]] = {r: [0] * 6 for r in leaves}
    scale = rng.choice((5, 20, 80, 400))
    for col, weight in enumerate((1.0, 0.15, 0.02, 0.02, 0.05, 0.03)):
        for r in leaves:
            rows[r][col] = int(rng.expovariate(1 / max(scale * weight / 4, 0.01))) if rng.random() < 0.7 else 0
    done = [sum(rows[r][c] for r in leaves) for c in range(6)]
    left = [rng.randint(0, max(d // 10, 1)) for d in done]
    carried = [rng.randint(0, min(d + n, max(d // 10, 1))) for d, n in zip(done, left, strict=True)]
    new = [d + n - c for d, n, c in zip(done, left, carried, strict=True)]  # 一 + 二 = 三（七） + 四
    out = {"一、本年新收政府信息公开申请数量": new, "二、上年结转政府信息公开申请数量": carried, **rows,
           "三、本年度办理结果/（七）总计": done, "四、结转下年度继续办理": left}
    return {r: [*v, sum(v)] for r, v in out.items()}


def table4(rng: random.Random) -> list[int]:
    out = []
    for _ in APPEAL_GROUPS:
        four = [rng.randint(0, 6) if rng.random() < 0.5 else 0 for _ in OUTCOMES[:-1]]
        out += [*four, sum(four)]
    return out


def render(name: str, year: int, rng: random.Random, pool: dict[str, list[str]]) -> str:
    """One report as markdown: title, narrative parts, the three tables."""
    t3, t4 = table3(rng), table4(rng)
    new, done, left = (t3[r][6] for r in ("一、本年新收政府信息公开申请数量", "三、本年度办理结果/（七）总计",
                                          "四、结转下年度继续办理"))
    swap = lambda text: _YEAR.sub(str(year), SAMPLE_NAMES.sub(name, text))
    pick = lambda part, k: [swap(t) for t in rng.sample(pool[part], min(k, len(pool[part])))]
    lines = [f"# {name}人民政府{year}年政府信息公开工作年度报告", "", "## 一、总体情况", ""]
    lines += pick("一、总体情况", 4)
    lines += ["", f"（二）依申请公开情况。{year}年全年共受理政府信息公开申请{new}件，办结{done}件，"
              f"结转下一年度办理{left}件，均在法定期限内予以答复。", ""]
    lines += table2_md(rng) + table3_md(t3) + table4_md(t4)
    lines += ["", "## 五、存在的主要问题及改进情况", "", *pick("五、存在的主要问题及改进情况", 2)]
    lines += ["", "## 六、其他需要报告的事项", "", *pick("六、其他需要报告的事项", 1), ""]
    return "\n".join(lines)


def table2_md(rng: random.Random) -> list[str]:
    made, repealed = rng.randint(0, 30), rng.randint(0, 20)
    return ["", "## 二、主动公开政府信息情况", "", "| 第二十条第（一）项 | | | |", "|---|---|---|---|",
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
            f"| 规章 | {rng.randint(0, 2)} | 0 | {rng.randint(0, 15)} |",
            f"| 行政规范性文件 | {made} | {repealed} | {made + rng.randint(0, 200)} |",
            "| 第二十条第（五）项 | | | |", "| 信息内容 | 本年处理决定数量 | | |",
            f"| 行政许可 | {rng.randint(0, 500000)} | | |", "| 第二十条第（六）项 | | | |",
            "| 信息内容 | 本年处理决定数量 | | |", f"| 行政处罚 | {rng.randint(0, 100000)} | | |",
            f"| 行政强制 | {rng.randint(0, 3000)} | | |", "| 第二十条第（八）项 | | | |",
            "| 信息内容 | 本年收费金额（单位：万元） | | |",
            f"| 行政事业性收费 | {round(rng.uniform(0, 20000), rng.choice((0, 2)))} | | |", ""]


def table3_md(t3: dict[str, list[int]]) -> list[str]:
    head = ["", "## 三、收到和处理政府信息公开申请情况", "",
            "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | | | | | | |",
            "|---|---|---|---|---|---|---|---|",
            "| | 自然人 | 法人或其他组织 | | | | | 总计 |",
            "| | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |"]
    body, said = [], set()
    for path, values in t3.items():
        parts = path.split("/")
        labels = [p for p in parts if p not in said]
        said.update(parts[:-1])
        body.append("| " + " ".join(labels) + " | " + " | ".join(map(str, values)) + " |")
    return head + body + [""]


def table4_md(t4: list[int]) -> list[str]:
    outcome = " | ".join(OUTCOMES)
    return ["", "## 四、政府信息公开行政复议、行政诉讼情况", "",
            "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |", "|" + "---|" * 15,
            "| | | | | | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
            f"| {outcome} | {outcome} | {outcome} |", "| " + " | ".join(map(str, t4)) + " |", ""]


def write(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write n reports as folder/synth_XXXX_<year>.md; the same seed gives the same files."""
    folder.mkdir(parents=True, exist_ok=True)
    rng, pool, out = random.Random(seed), prose_pool(), []
    for i in range(n):
        name, year = agency(i), YEARS[i % len(YEARS)]
        path = folder / f"synth_{i:04d}_{year}.md"
        path.write_text(render(name, year, rng, pool), encoding="utf-8")
        out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many reports")
    parser.add_argument("folder", type=Path, help="where to write them")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = write(args.n, args.folder, args.seed)
    print(f"wrote {len(paths)} reports to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
