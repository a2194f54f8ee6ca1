"""An answer + what a test question expects → right or wrong (and why), and the figures no citation supports."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from itertools import permutations

from core.records import Answer, Citation
from core.text import to_simplified

_NUMBER = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?(?!\d)")
# Years: "2023年", and each year of a list that ends in 年 ("2021、2022年").
_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?=(?:\s*[、，,和与及至到—–-]\s*(?:19|20)\d{2})*\s*年)")
_MARKER = re.compile(r"^\s*\d{1,2}[.、]\s*(?!\d)", re.M)  # "1. 淮安市…": a list marker, not a figure
# "a + b + c = s", "a − b = d", "a ÷ b = 42.4%": the result of arithmetic over allowed numbers is allowed.
_SUM = re.compile(r"(\d[\d.,]*(?:\s*[+＋\-−－×÷/]\s*\d[\d.,]*)+)\s*[=＝]\s*(\d[\d.,]*)\s*(%?)")
UNKNOWN_WORDS = ("无法确定", "不能确定", "无法判断", "不详", "未知", "无法拆分")
FAIL_WORDS = ("不成立", "不一致", "不符", "不相等", "对不上")
PASS_WORDS = ("成立", "一致", "相符", "对得上")


def squash(text: str) -> str:
    """Simplified script without whitespace: how expected substrings are compared."""
    return re.sub(r"\s+", "", to_simplified(text))


def numbers(text: str) -> list[Decimal]:
    """Arabic numbers in text (thousands separators allowed), years (“2023年”) left out."""
    text = _YEAR.sub(" ", text)
    out = []
    for m in _NUMBER.findall(text):
        try:
            out.append(Decimal(m.replace(",", "")))
        except InvalidOperation:
            continue
    return out


def _dec(value: float | int) -> Decimal:
    return Decimal(str(value)).normalize()


def _close(x: Decimal, value: float | int) -> bool:
    """Equal, or for a non-whole value (a share) equal after rounding to one decimal."""
    v = _dec(value)
    if v == v.to_integral_value():
        return x == v
    return abs(x - v) <= Decimal("0.051")


# ---- which cells and paragraphs an answer cites ----


def cell_citations(answer: Answer) -> dict[str, Citation]:
    return {f"{c.report}/{c.table}/{c.row}/{c.column}": c for c in answer.citations if c.type == "cell"}


def _cell_ok(answer: Answer, e: Mapping) -> tuple[bool, str]:
    address = f"{e['report']}/{e['table']}/{e['row']}/{e['column']}"
    c = cell_citations(answer).get(address)
    if c is None:
        return False, f"cell not cited: {address}"
    if e["value"] is None:
        if c.value is not None:
            return False, f"{address} should be unknown, cited as {c.value}"
        if not any(w in answer.text for w in UNKNOWN_WORDS):
            return False, "an undecidable value is not said to be unknown"
        return True, ""
    if c.value is None or _dec(c.value) != _dec(e["value"]):
        return False, f"{address} cited as {c.value}, expected {e['value']}"
    if not any(_close(x, e["value"]) for x in numbers(answer.text)):
        return False, f"value {e['value']} not in the answer text"
    return True, ""


def _paragraph_ok(answer: Answer, e: Mapping) -> tuple[bool, str]:
    first = answer.citations[0] if answer.citations else None
    if first is None or first.type != "paragraph":
        return False, "first citation is not a paragraph"
    where = f"{first.report}/{first.section}/{first.paragraph}"
    if first.report != e["report"] or not first.section.startswith(e["section"]):
        return False, f"first paragraph cited is {where}"
    if squash(e["contains"]) not in squash(first.text):
        return False, f"{where} does not contain {e['contains']!r}"
    return True, ""


def _derived_ok(answer: Answer, e: Mapping) -> tuple[bool, str]:
    cited = cell_citations(answer)
    missing = [a for a in e["cells"] if a not in cited]
    if missing:
        return False, f"cells not cited: {missing[:3]}{' …' if len(missing) > 3 else ''}"
    if not any(_close(x, e["value"]) for x in numbers(answer.text + "\n" + answer.arithmetic)):
        return False, f"value {e['value']} not in the answer"
    return True, ""


def _multi_ok(answer: Answer, e: Mapping) -> tuple[bool, str]:
    for cell in e["cells"]:
        ok, why = _cell_ok(answer, cell)
        if not ok:
            return ok, why
    if "value" in e and not any(_close(x, e["value"]) for x in numbers(answer.text + "\n" + answer.arithmetic)):
        return False, f"value {e['value']} not in the answer"
    if "contains" in e and e["contains"] not in to_simplified(answer.text):
        return False, f"answer does not say {e['contains']!r}"
    return True, ""


def _check_ok(answer: Answer, e: Mapping) -> tuple[bool, str]:
    if e["report"] not in answer.reports:
        return False, f"answer covers {list(answer.reports)}, not {e['report']}"
    failed = any(w in answer.text for w in FAIL_WORDS)
    if e["status"] == "fail" and not failed:
        return False, "a failing check is not reported as failing"
    if e["status"] == "pass" and (failed or not any(w in answer.text for w in PASS_WORDS)):
        return False, "a passing check is not reported as passing"
    return True, ""


def expectation(kind: str, e: Mapping) -> str:
    """What an expectation asks for, by its shape (follow-ups use the shape of the kind they end in)."""
    if kind != "followup":
        return kind
    if "row" in e:
        return "figure"
    if "section" in e:
        return "narrative"
    return "derived" if "value" in e else "multi"


def judge(kind: str, expect: Mapping, answer: Answer) -> tuple[bool, str]:
    """(right, why not) for one answer."""
    shape = expectation(kind, expect)
    if shape == "unanswerable":
        return (not answer.answered), ("answered: " + answer.text[:60] if answer.answered else "")
    if not answer.answered:
        return False, "refused: " + answer.text[:60]
    checks = {"figure": _cell_ok, "derived": _derived_ok, "narrative": _paragraph_ok, "check": _check_ok,
              "multi": _multi_ok}
    return checks[shape](answer, expect)


# ---- figures no citation supports ----


def _allowed(answer: Answer) -> set[Decimal]:
    """Numbers an answer may state: cited values, numbers in cited text, and arithmetic over cited values."""
    values = [_dec(c.value) for c in answer.citations if c.type == "cell" and c.value is not None]
    out = set(values)
    for c in answer.citations:
        out |= set(numbers(f"{c.text} {c.quote} {c.row} {c.column} {c.note}"))
    out.add(Decimal(len(answer.reports)))  # "涵盖2份报告"
    out |= _derived(values)
    for text in (answer.text, answer.arithmetic):
        for expression, result, _ in _SUM.findall(text):
            operands = numbers(expression)
            if operands and all(x in out for x in operands):
                out |= set(numbers(result))
    return {x.normalize() for x in out}


def _derived(values: list[Decimal]) -> set[Decimal]:
    """The sum of all cited values, and every difference, share and change (1 or 2 decimals) of two of them."""
    out = {sum(values, Decimal(0))}
    for a, b in permutations(set(values), 2):
        out |= {a - b, abs(a - b)}
        if b:
            for share in (a / b * 100, abs(a - b) / b * 100):
                out |= {share.quantize(Decimal("0.1")), share.quantize(Decimal("0.01"))}
    return out


def unsupported(answer: Answer) -> list[str]:
    """Numbers in the answer text that no citation supports (years excepted)."""
    allowed = _allowed(answer)
    said = numbers(_MARKER.sub("", answer.text))
    return [str(x) for x in dict.fromkeys(said) if x.normalize() not in allowed]
