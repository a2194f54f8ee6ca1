"""A question → the stored paragraphs that answer it: the store's BM25 over bigrams fused with the dense index (RRF)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from core.records import Paragraph, Report
from core.text import norm
from core.vocabulary import LIST_WORDS, NARRATIVE_CUES, NARRATIVE_SYNONYMS, PHONE_NUMBER, PHONE_WORDS
from ingest.parse.chunks import chunks
from qa.match import Lexicon
from qa.parse import asked_unit, nameless_organ
from qa.scope import Catalog, catalog_of
from qa.sentences import at_mark, best_quote, bigrams, item_heading, query_terms, whole_list
from store import FEW_REPORTS, Store, bm25_idf
from store.lexical import citable, document

RRF_K = 5  # reciprocal-rank fusion constant: small, so that the first ranks count
POOL = 30  # candidates taken from each ranking before fusion
DENSE_WEIGHT = 0.25  # the dense ranking breaks near-ties of BM25 (bigrams decide topic better than USE vectors)
ON_TOPIC = 0.5  # idf-weighted share of the key words a paragraph must hold for `answers`
ON_TOPIC_AGREED = 0.3  # … when BM25 and the dense index both rank it first (calibrated on tests/questions.jsonl)
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
# A paragraph that states a number in the unit asked for ("多少条" → "26077条"), or holds the cue words of what is
# asked (NARRATIVE_CUES: "下一步打算" → "我们将…"), gets this much on top of its fused score.
UNIT_BONUS = 0.1
_HEADING = re.compile(r"[。；;！？!?]")


def asked_figure(question: str) -> re.Pattern | None:
    """For "发布了多少条信息": a pattern for a number stated in that unit ("26077条", "5500 余条"); else None."""
    unit = asked_unit(question)
    if not unit and any(w in question for w in PHONE_WORDS):
        return re.compile(PHONE_NUMBER)  # "联系电话是多少": a sentence printing a telephone number
    return re.compile(rf"\d[\d,.]*\s*[余多]?\s*{unit}") if unit else None  # exact: "13个专栏" is no 条 of 信息


def alternatives(word: str) -> tuple[str, ...]:
    """The word and the words of core.vocabulary.NARRATIVE_SYNONYMS a report may say instead."""
    out = [word]
    for group in NARRATIVE_SYNONYMS:
        if any(len(g) > 1 and g in word for g in group):
            out += [g for g in group if len(g) > 1]
    return tuple(dict.fromkeys(out))


def heading(p: Paragraph) -> bool:
    """A short line without a sentence end ("本年度信息公开处理费收费情况"): it titles the paragraph after it."""
    return len(p.plain.strip()) <= 30 and not _HEADING.search(p.plain)


@dataclass(frozen=True)
class Hit:
    """A paragraph found for a question."""

    paragraph: Paragraph
    score: float  # fused RRF score, higher is better
    quote: str  # the sentence(s) of paragraph.text that best match the question, verbatim (original script)
    answers: bool  # the paragraph holds the question's key words: the question is on topic for it
    items: tuple[Paragraph, ...] = ()  # a list asked for whose items are sections of their own ("…/一是加强培训"):
    # every item after the paragraph quoted, in order


Key = tuple[str, str, int]  # (report, section, number): a paragraph


def _key(p: Paragraph) -> Key:
    return (p.report, p.section, p.number)


class Retriever:
    """Hybrid paragraph search over one store (its lexical index) and its NarrativeIndex; nothing per process but
    the agency-name table, re-read only when the store's generation changed."""

    def __init__(self, store: Store, index) -> None:
        self.store = store
        self.index = index  # ingest.index.vectors.NarrativeIndex (or None: lexical only)
        # the catalog and its names (normalised name → keys of the agencies it names), set together
        self._held: tuple[Catalog, Lexicon] | None = None

    def refresh(self) -> None:
        """Follow the store: its catalog, brought forward after a write with the names of the agencies touched."""
        catalog = catalog_of(self.store)
        if self._held is None or catalog is not self._held[0]:
            self._held = (catalog, catalog.alias_names())

    def names_in(self, question: str) -> tuple[list[Report], tuple[str, ...]]:
        """Reports whose agency the question names, and the names said (longest first, each span used once)."""
        if self._held is None:
            self.refresh()
        catalog, names = self._held
        text, found, said = norm(question), [], []
        for name, keys in sorted(names.within(text), key=lambda nk: (-len(nk[0]), nk[0])):
            if name in text:
                found.extend(r for k in keys for r in catalog.of_key(k).reports)
                said.append(name)
                text = text.replace(name, "\0")
        return found, tuple(said)

    def named_reports(self, question: str) -> list[str] | None:
        """Reports whose agency the question names (narrowed by a year it names); None when it names none."""
        self.refresh()
        return self._dated(self.names_in(question)[0], question)

    @staticmethod
    def _dated(found: list[Report], question: str) -> list[str] | None:
        if not found:
            return None
        years = {int(y) for y in _YEAR.findall(norm(question))}
        dated = [r for r in found if r.year in years]
        return sorted({r.id for r in (dated or found)})

    def search(self, question: str, reports: list[str] | None = None, k: int = 5) -> list[Hit]:
        """The k paragraphs that best answer the question, best first; `reports` limits the search to those ids."""
        self.refresh()
        found, names = self.names_in(question)
        if reports is None:
            reports = self._dated(found, question)
        # and the short forms the resolver reads ("经发局"): they choose reports, no paragraph need say them
        mentions = self._held[0].find(norm(question))[0]
        said = tuple(m.text for m in mentions if m.text not in names)
        if not mentions and (organ := nameless_organ(norm(question))):  # "该局存在什么问题": no word to look for
            said += (organ,)
        rank_terms, key_words = query_terms(question, drop=names + said)
        literal = tuple(dict.fromkeys(rank_terms))
        rank_terms += [g for w in key_words for a in alternatives(w)[1:] for g in bigrams(a)]
        lexical = [p for p, _ in self.store.lexical_search(rank_terms, POOL, reports)]
        dense = self._dense(question, reports)
        fused: dict[Key, float] = {}
        found_at = {_key(p): p for p in lexical + dense}
        for weight, ranking in ((1.0, lexical), (DENSE_WEIGHT, dense)):
            for rank, p in enumerate(ranking):
                fused[_key(p)] = fused.get(_key(p), 0.0) + weight / (RRF_K + rank)
        agreed = _key(lexical[0]) if lexical and dense and _key(lexical[0]) == _key(dense[0]) else None
        figure = asked_figure(question)
        folded = norm(question)
        listing = figure is None and any(w in folded for w in LIST_WORDS)
        cues = [marks for asks, marks in NARRATIVE_CUES if any(a in folded for a in asks)]
        for key in fused:
            plain = found_at[key].plain
            if figure is not None and figure.search(plain):
                fused[key] += UNIT_BONUS
            # said in the paragraph or its own heading ("（一）存在问题"), not its part's ("五、…问题及改进情况")
            where = found_at[key].section.rsplit("/", 1)[-1] + "\n" + plain
            if any(any(m in where for m in marks) for marks in cues):
                fused[key] += UNIT_BONUS
        best = sorted(fused.items(), key=lambda x: (-x[1], x[0]))[:k]
        idf = self._idf([g for w in key_words for g in bigrams(w)])
        hits = []
        for key, score in best:
            p = found_at[key]
            share = self._coverage(key_words, p, idf)
            after = self.store.paragraph(p.report, p.section, p.number + 1) if heading(p) else None
            if after is not None and citable(after):  # a heading answers through the paragraph it titles
                share = max(share, self._coverage(key_words, p, idf, after))
                p = after
            quote = best_quote(p.text, rank_terms or bigrams(question), p.plain, p.section.rsplit("/", 1)[-1],
                               prefer=figure, literal=literal)
            marks = tuple(m for ms in cues for m in ms)
            heading_says = any(m in p.section.rsplit("/", 1)[-1] for m in marks)
            if marks and not heading_says and not any(m in quote for m in marks) and (said := at_mark(p.text, marks)):
                quote = said  # "下一步打算怎么做" in a paragraph of problems then plans: the plans ("我们将…")
            if listing or marks:  # "存在什么问题": every problem listed, not the one item nearest the words
                quote = whole_list(p.text, quote)
            # a list's lead paragraph found ("（二）改进措施", its items sections of their own): the items follow.
            # An item found is what the question names ("专栏做了哪些优化": 三是…专栏), quoted alone, unless the
            # question names the list's heading ("改进措施有哪些" finding 一是…): then the list, from its first item
            items: tuple[Paragraph, ...] = ()
            if listing and not item_heading(p.section):
                items = self._items(p)
            elif listing and (up := p.section.rsplit("/", 1)[0]) and self._names(up, key_words, marks) and (
                    every := self._items(replace(p, section=up))):
                p, items, quote = every[0], every[1:], every[0].text.strip()
            hits.append(Hit(p, score, quote, share >= ON_TOPIC or (key == agreed and share >= ON_TOPIC_AGREED),
                            items))
        return hits

    @staticmethod
    def _names(section: str, key_words: list[str], marks: tuple[str, ...]) -> bool:
        """Whether a section's own heading says what the question asks for (its key words, or a cue's marks)."""
        title = norm(section.rsplit("/", 1)[-1])
        return any(w in title for w in (*key_words, *marks))

    def _items(self, p: Paragraph) -> tuple[Paragraph, ...]:
        """The items of the list `p` leads, when they are sections of their own ("（二）改进措施" then "…/一是加强业务
        学习培训", "…/二是…"): each item's paragraphs in order; () when fewer than two."""
        found = tuple(q for q in self.store.paragraphs(report=p.report)
                      if q.section.rsplit("/", 1)[0] == p.section and "/" in q.section and item_heading(q.section))
        return found if len({q.section for q in found}) >= 2 else ()

    def _dense(self, question: str, reports: list[str] | None) -> list[Paragraph]:
        """The stored, citable paragraphs the dense index finds, best first (a paragraph once, at its best chunk)."""
        if self.index is None or (reports is not None and not reports):
            return []
        if reports is not None and len(reports) <= FEW_REPORTS:  # their chunks' ids follow from their paragraphs
            ids = [c.id for r in reports for c in chunks(self.store.paragraphs(report=r))]
            found = self.index.nearest(question, ids, POOL)
        else:
            found = self.index.search(question, POOL, reports)
        keys = [(c.report, c.section, c.paragraph) for c, _ in found]
        stored = self.store.paragraphs_at(keys)  # a chunk whose paragraph is no longer stored is dropped
        return [stored[k] for k in dict.fromkeys(keys) if k in stored and citable(stored[k])]

    def _idf(self, grams: list[str]) -> dict[str, float]:
        """BM25's idf of each bigram from the store's term statistics (a bigram no paragraph holds: the largest)."""
        n, df = self.store.term_stats(grams)
        return {g: bm25_idf(n, df.get(g, 0)) for g in grams}

    @staticmethod
    def _coverage(key_words: list[str], p: Paragraph, idf: dict[str, float], then: Paragraph | None = None) -> float:
        """The idf-weighted share of the question's key words the paragraph (and `then`, the one it titles) holds.

        A key word counts as held when the paragraph says it or a word of its NARRATIVE_SYNONYMS group; 1.0 with no
        key words."""
        if not key_words:
            return 1.0
        text = unicodedata.normalize("NFKC", document(p) + ("\n" + then.plain if then else "")).lower()
        have = set(bigrams(text, simplified=True))
        got = total = 0.0
        for w in key_words:
            grams = bigrams(w)
            weight = sum(idf[g] for g in grams) / max(len(grams), 1)
            held = any(a in text for a in alternatives(w))
            share = 1.0 if held else 0.5 * sum(g in have for g in grams) / max(len(grams), 1)
            got, total = got + weight * share, total + weight
        return got / total
