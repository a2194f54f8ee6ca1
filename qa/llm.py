"""Optional chat model (LangChain): rephrases a deterministic answer from its evidence only, behind a number guard."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from core.records import Answer, Citation
from core.settings import ROOT, setting
from core.text import to_simplified

PROMPTS = ROOT / "prompts"
# Sentences in report text that address a model rather than a reader: never shown to the model, never trusted.
INJECTION = re.compile(
    r"忽略(?:以上|上述|之前|前面|此前|所有|全部)|无视(?:以上|上述|之前)|(?:系统|system)\s*(?:提示|prompt|[:：])|你现在是|"
    r"(?:ignore|disregard)\s+(?:all\s+|the\s+)?(?:previous|above|prior)|you\s+are\s+now|指令|instruction",
    re.IGNORECASE)
_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]?")
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_CN = "零〇一二两三四五六七八九十百千万亿"
_CN_UNITS = "件|个|项|条|次|名|家|份|倍|万元|元|%|％"
_CN_NUMBER = re.compile(rf"(?<![\d.])([{_CN}]*[零〇一二两三四五六七八九十][{_CN}]*)(?={_CN_UNITS})")
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def clean_sentences(text: str) -> str:
    """The longest run of sentences with no instruction-like sentence in it: a verbatim part of the text."""
    runs, current = [], ""
    for sentence in _SENTENCE.findall(text):
        if INJECTION.search(sentence):
            runs.append(current)
            current = ""
        else:
            current += sentence
    runs.append(current)
    return max(runs, key=len).strip()


def _chinese(numeral: str) -> int:
    """"二百二十四" → 224, "两" → 2, "一万零五" → 10005."""
    total = section = digit = 0
    for ch in numeral:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (digit or 1) * _CN_UNIT[ch]
            digit = 0
        elif ch in "万亿":
            total += (section + digit) * (10_000 if ch == "万" else 100_000_000)
            section = digit = 0
    return total + section + digit


def numbers(text: str) -> set[Decimal]:
    """Every number written in the text, Arabic (with or without thousands separators) or Chinese before a unit."""
    out = set()
    for m in _ARABIC.findall(text):
        try:
            out.add(Decimal(m.replace(",", "")).normalize())
        except InvalidOperation:
            continue
    out |= {Decimal(_chinese(m)).normalize() for m in _CN_NUMBER.findall(text)}
    return out


def _unquoted(text: str) -> str:
    """Answer text without the report sentences it quotes (those are checked as citations, sanitised)."""
    return re.sub(r"“[^”]*”", "", text)


def allowed(answer: Answer) -> set[Decimal]:
    """Numbers a rephrased answer may contain: cited cells, sanitised quotes, and the deterministic answer's own."""
    out = numbers(_unquoted(answer.text)) | numbers(answer.arithmetic)
    for c in answer.citations:
        if c.type == "cell" and c.value is not None:
            out.add(Decimal(str(c.value)).normalize())
        elif c.type == "paragraph":
            out |= numbers(clean_sentences(c.quote or c.text))
    return out


def unsupported(text: str, answer: Answer) -> list[str]:
    """Numbers in a model's text that no citation or computed figure holds (empty = the text passes)."""
    ok = allowed(answer)
    return sorted(str(n) for n in numbers(text) - ok)


def _evidence_item(i: int, c: Citation) -> dict:
    if c.type == "cell":
        return {"编号": i, "报告": c.report, "表": c.table, "行": c.row, "列": c.column,
                "数值": c.value if c.value is not None else "无法确定", "单位": c.unit, "说明": c.note}
    return {"编号": i, "报告": c.report, "章节": c.section, "引文": clean_sentences(c.quote or c.text)}


def _data(text: str) -> str:
    """Report text as inert data: no tag can be closed from inside it."""
    return text.replace("<", "＜").replace(">", "＞")


@lru_cache(maxsize=1)
def prompt():
    from langchain_core.prompts import ChatPromptTemplate

    read = lambda name: (PROMPTS / name).read_text(encoding="utf-8")
    return ChatPromptTemplate.from_messages([("system", read("answer_system.md")), ("human", read("answer_user.md"))])


def messages(answer: Answer) -> list:
    """The chat messages for one answer: instructions, then the question, draft and evidence as data."""
    items = [_evidence_item(i, c) for i, c in enumerate(answer.citations, 1)]
    draft = "\n".join(clean_sentences(line) if INJECTION.search(line) else line for line in answer.text.split("\n"))
    return prompt().format_messages(question=_data(answer.question), draft=_data(draft),
                                    evidence=_data(json.dumps(items, ensure_ascii=False, indent=1)))


class Phraser:
    """Lets a chat model word an answer; any figure it adds, or any failure, keeps the deterministic answer."""

    def __init__(self, model, name: str = "") -> None:
        self.model = model  # a LangChain chat model
        self.name = name or type(model).__name__
        self.down = ""  # set after the model failed once: later answers do not wait for it again

    def phrase(self, answer: Answer) -> Answer:
        if not answer.answered:
            return answer  # "not in the reports" is said plainly, never reworded
        if self.down:
            return replace(answer, notice=self.down)
        try:
            reply = self.model.invoke(messages(answer))
        except Exception as e:  # unreachable server, bad key, timeout: the deterministic answer stands
            self.down = f"LLM（{self.name}）不可用：{type(e).__name__}；已显示确定性答案。"
            return replace(answer, notice=self.down)
        content = reply.content if isinstance(reply.content, str) else "".join(
            part.get("text", "") if isinstance(part, dict) else str(part) for part in reply.content)
        text = to_simplified(content.strip())
        if not text:
            return replace(answer, notice="LLM 返回了空回答；已显示确定性答案。")
        extra = unsupported(text, answer)
        if extra:
            return replace(answer, notice=f"LLM 回答含有引用中没有的数字（{'、'.join(extra[:5])}）；已显示确定性答案。")
        return replace(answer, text=text)


def from_settings() -> tuple[Phraser | None, str]:
    """The configured chat model (LLM_PROVIDER, LLM_MODEL …), or None and why (empty when the LLM is off)."""
    provider = setting("LLM_PROVIDER").strip().lower()
    if not provider:
        return None, ""
    model = setting("LLM_MODEL")
    try:
        if provider == "openai":
            from langchain_openai import ChatOpenAI

            if not model:
                return None, "LLM off: set LLM_MODEL (and OPENAI_BASE_URL, OPENAI_API_KEY) for LLM_PROVIDER=openai"
            chat = ChatOpenAI(model=model, base_url=setting("OPENAI_BASE_URL") or None,
                              api_key=setting("OPENAI_API_KEY") or "not-set", timeout=30, max_retries=0, temperature=0)
            return Phraser(chat, f"openai:{model}"), ""
        if provider == "ollama":
            from langchain_ollama import ChatOllama

            if not model:
                return None, "LLM off: set LLM_MODEL (e.g. qwen2.5) for LLM_PROVIDER=ollama"
            chat = ChatOllama(model=model, base_url=setting("OLLAMA_BASE_URL"), temperature=0)
            return Phraser(chat, f"ollama:{model}"), ""
    except Exception as e:  # a library refusing the settings: say so, keep answering without it
        return None, f"LLM off: {provider} could not start ({type(e).__name__}: {e})"
    return None, f"LLM off: unknown LLM_PROVIDER={provider!r}; use openai or ollama, or leave it empty"
