"""Text → matching terms (character bigrams), and a paragraph → the sentence(s) that best answer a question."""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache

from core.text import fold
from store.lexical import WORDS, bigrams

# A sentence: up to and including its end mark (and a closing quote or bracket), or a trailing piece.
_SENTENCE = re.compile(r"[^。！？；;!?\n]*[。！？；;!?\n]+[”’」』）)]*|[^。！？；;!?\n]+$")

# Words that ask rather than say: never matched, never key terms.
QUESTION_WORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 么 是 有 在 和 与 及 或 都 也 还 就 又 "
    "把 被 对 从 向 给 让 请 请问 问 一下 告诉 我 我们 你 你们 想 "
    "想要 知道 了解 查 查询 查查 看 看看 帮 帮忙 麻烦 多少 什么 哪些 "
    "哪个 哪 怎么 怎么样 怎样 如何 是否 有没有 有无 几 几个 几件 几条 "
    "几次 个 件 条 项 次 年 年度 今年 去年 前年 明年 后年 来年 当年 该 这 那 这个 那个 其 "
    "些 里 中 上 下 方面 具体 一共 共 总共 总 到底 究竟 呢 为 为了 以 "
    "按 按照 可以 能 能否 会 要 说 讲 提到 提及 报告 年报 内容 啥 咋 咋样 啥样 哪儿 多大 时候 什么时候".split()
)
# Words of the report genre itself: they match every report, so they never decide that a question is on topic.
GENERIC_WORDS = frozenset(
    "政府 信息 公开 政府信息 信息公开 政府信息公开 工作 情况 政务 政务公开 "
    "人民政府 人民 主要 开展 进行 推进 加强 相关 有关 全年 本年 本年度 做 "
    "做了 做好 采取 措施 哪些 举措 怎么 办 做法 怎么办 出 多 少 数量 数 "
    "人数 总数 一是 二是 三是 全市 全区 全县 我市 我区 我县 存在 "
    "下一步 下阶段 今后 打算 准备 计划 "
    "报告 年报 年度报告 工作年度报告".split()  # the document asked about, not a topic in it
)


_YEARS = re.compile(r"(?<!\d)(?:(?:19|20)\d{2}|\d{2})\s*年度?")  # "2024年", "24年": a year chooses reports
# Words that open a question about a quantity or a way: 几期, 多少条, 哪几个, 怎么样.
_ASKING = re.compile(r"^(?:几|多少|哪|什么|怎|如何|是否|有没有|有无)")


def asking(word: str) -> bool:
    return word in QUESTION_WORDS or bool(_ASKING.match(word))


# Words of the field that jieba's dictionary splits ("抖/音上"): added so a question keeps them whole.
DOMAIN_WORDS = (
    "抖音 抖音号 快手号 头条号 视频号 公众号 微信公众号 小程序 短视频 新媒体 政务新媒体 好差评 一网通办 "
    "依申请公开 信息处理费 处理费 政务服务网 门户网站 政府公报 专栏 专窗 催办 爆款 下一步 下阶段 "
    "统计期限 统计期间 统计时段".split()
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for word in DOMAIN_WORDS:
        jieba.add_word(word)
    return jieba


def query_terms(question: str, drop: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(bigrams to rank by, key words that must match for the question to be on topic).

    `drop` are names (agencies, folded) removed first: they choose reports, they are not what is asked about.
    Question words split the question: no bigram spans one.
    """
    text = _YEARS.sub(" ", fold(question).lower())
    for name in drop:
        text = text.replace(name, " ")
    spans: list[list[str]] = [[]]
    key: list[str] = []
    for w in _jieba().lcut(text):
        if not w.strip() or asking(w) or not WORDS.search(w):
            spans.append([])
            continue
        spans[-1].append(w)
        w = w.rstrip("了过着")  # "编了" says no more than "编"
        if w not in GENERIC_WORDS and len(w) > 1:
            key.append(w)
    rank = [t for span in spans if span for t in bigrams("".join(span))]
    return rank, list(dict.fromkeys(key))


def sentences(text: str) -> list[str]:
    """The text cut into sentences, verbatim: "".join(sentences(t)) == t."""
    return _SENTENCE.findall(text)


_CLAUSE = re.compile(r"[，,；;。：:！？!?]")
_ORDINALS = "一二三四五六七八九十"
_ITEM = re.compile(rf"(?:^|[：:，,；;。\s])([{_ORDINALS}]{{1,2}})是")  # "一是", "：二是": an item of a list
LIST_HEADING_MAX = 20  # an item's first sentence this short is its heading ("三是加强公开平台功能建设。")


def item_heading(section: str) -> bool:
    """A section titled by an item of a list ("一是加强业务学习培训"): the list's items are sections of their own."""
    return bool(_ITEM.match(section.rsplit("/", 1)[-1]))


def at_mark(text: str, marks: tuple[str, ...]) -> str:
    """The sentence of text where the first of `marks` is said ("2024年，我们将…：一是…"), "" when none is."""
    found = [i for i in (text.find(m) for m in marks) if i >= 0]
    if not found:
        return ""
    at, seen = min(found), 0
    for p in sentences(text):
        if seen <= at < seen + len(p):
            return p.strip()
        seen += len(p)
    return ""


def whole_list(text: str, quote: str) -> str:
    """The whole 一是…二是… list of `text` that the quoted item belongs to, from the sentence opening it (with its
    lead-in, "存在的问题主要有以下几个方面：一是…") to its last item (with the sentence after it when the item's
    own is a mere heading); a quote of the sentence right before a list ("…但仍存在一定不足。") is that list's
    lead-in, quoted with it; `quote` itself when it quotes no item of a list of two or more, nor its lead-in."""
    parts = sentences(text)
    marks = [(i, _ORDINALS.index(m.group(1)) + 1 if len(m.group(1)) == 1 else 10)
             for i, p in enumerate(parts) for m in [_ITEM.search(p)] if m]
    runs: list[list[int]] = []  # the lists of the text: items numbered 1, 2, 3 …, a new 一是 opening the next
    for i, n in marks:
        if n == 1 or not runs or n != len(runs[-1]) + 1:
            runs.append([])
        if n == len(runs[-1]) + 1:
            runs[-1].append(i)
    start = text.find(quote) if quote else -1
    if start < 0:
        return quote
    offsets = [0]
    for p in parts:
        offsets.append(offsets[-1] + len(p))
    at = next((i for i in range(len(parts)) if offsets[i] <= start < offsets[i + 1]), None)
    for run in runs:
        if len(run) < 2 or at is None:
            continue
        nxt = next((r[0] for r in runs if r and r[0] > run[-1]), len(parts))
        end = run[-1] + 1
        if end < nxt and len(parts[run[-1]].strip()) <= LIST_HEADING_MAX:
            end += 1
        while end < nxt and parts[end - 1].rstrip().endswith(("；", ";")):  # the last item goes on to its full stop
            end += 1
        if run[0] <= at < end:
            return "".join(parts[run[0]:end]).strip()
        if at == run[0] - 1:  # the list's lead-in sentence ("…但仍存在一定不足。" then "一是…"): it and the list
            return "".join(parts[at:end]).strip()
    return quote


def figure_fit(sentence: str, figure: re.Pattern, wanted: Counter) -> float:
    """How well the words printed right before a stated figure ("全年主动公开信息数161条") fit the question: its
    bigrams the question says, less half of those it does not ("其他应主动公开的…32条" adds 其他). The best figure of
    the sentence counts; -inf when it states none."""
    best = float("-inf")
    for m in figure.finditer(sentence):
        said = set(bigrams(_CLAUSE.split(sentence[: m.start()])[-1], simplified=True))
        best = max(best, sum(g in wanted for g in said) - 0.5 * sum(g not in wanted for g in said))
    return best


def best_quote(text: str, question_terms: list[str], plain: str = "", lead: str = "", span: int = 2,
               prefer: re.Pattern | None = None, literal: tuple[str, ...] = ()) -> str:
    """The sentence, or run of up to `span` sentences, of text that shares most bigrams with the question.

    Cut from the original text (original script), so it can be highlighted in it; `plain` is the same text in
    simplified script (scored instead, when it splits alike). A sentence that is only the paragraph's lead
    (`lead`, e.g. "二是开展过期信息清理") is quoted with the sentence after it. Ties go to the shorter, then
    the earlier quote. `prefer` (e.g. "a number of 条" for "多少条") counts as many hits as the question has terms.
    Of quotes with as many hits, one with more `literal` terms (the question's own words, not a synonym a report
    may say instead) is better: "有什么不足" quotes "存在一些不足之处", not a plan that "发现问题的予以通报整改".
    """
    parts = sentences(text)
    if not parts:
        return ""
    simple = sentences(plain) if plain else []
    if len(simple) != len(parts):  # no simplified copy that splits alike: convert each sentence
        simple = [fold(p) for p in parts]
    wanted = Counter(question_terms)
    scored = [Counter(bigrams(p, simplified=True)) for p in simple]
    heads = {i for i, p in enumerate(simple) if lead and p.strip().rstrip("。．.，,；;:：") == lead}
    best, best_key = (0, 1), None
    for i in range(len(parts)):
        for j in range(i + 1, min(i + span, len(parts)) + 1):
            stop = j + 1 if j - 1 in heads and j < len(parts) else j
            have = sum(scored[i:stop], Counter())
            hits = sum(min(n, have[t]) for t, n in wanted.items())
            own = sum(1 for t in literal if have[t])
            fit = 0.0
            if prefer is not None and any(prefer.search(p) for p in simple[i:stop]):
                hits += len(wanted)
                fit = max(figure_fit(p, prefer, wanted) for p in simple[i:stop])
            key = (hits, own, fit, -sum(len(p) for p in parts[i:stop]), -i)
            if best_key is None or key > best_key:
                best, best_key = (i, stop), key
    return "".join(parts[best[0] : best[1]]).strip()
