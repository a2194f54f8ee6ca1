"""A new process answers a figure question without what only other questions need: the Chroma index and its
embedder open on first use, and jieba is not loaded to find words a question cannot hold (issue 21)."""

from __future__ import annotations

import json
from pathlib import Path

from core.text import to_simplified
from core.vocabulary import PERSON_AFTER, PERSON_BEFORE
from qa.agencies import _ORGAN_ENDS, _organ_cut, _organ_word
from qa.match import MASK
from qa.parse import _person, _person_cut
from qa.scope import _ENDINGS, _unknown_words, unknown_places
from store import Store

ROOT = Path(__file__).resolve().parent.parent


def _turns() -> list[str]:
    """Every turn of the question sets (tests/*.jsonl), as typed and simplified, with a stored name masked."""
    out = []
    for path in sorted((ROOT / "tests").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for turn in json.loads(line).get("conversation", ()):
                out += [turn, to_simplified(turn), MASK + turn[3:]]
    return out


def test_the_shortcuts_before_jieba_find_nothing_it_would_have_found():
    """`unknown_places` and `_organ_word` skip jieba when the text holds no place or organ ending: over every
    question of the sets, jieba finds nothing there either — and it does find words where an ending is said."""
    turns = _turns()
    skipped = [t for t in turns if not any(e in t for e in _ENDINGS)]
    assert len(skipped) > 100  # the shortcut is taken by many questions (most figure questions)
    assert all(unknown_places(t, named=True) == [] for t in skipped)
    assert [t for t in skipped if _unknown_words(t, True)] == []
    windows = {t[at:at + 10] for t in turns[::3] for at in range(len(t))}  # (the turns as typed: seconds less)
    bare = sorted(w for w in windows if not any(e in w for e in _ORGAN_ENDS))[::3]  # a third: the test stays quick
    assert len(bare) > 1000
    assert [w for w in bare if _organ_cut(w)] == []
    # where an ending is said, jieba is asked and finds the unknown place or department
    assert unknown_places("□北京市教委2023年收到多少件申请？", named=True) == ["北京市教委"]
    assert _organ_word("平潭海洋与渔业局2022年收到多少件", 2) == "海洋与渔业局"


def test_no_person_looked_for_where_no_word_beside_one_is_said():
    """`qa.parse._person` skips jieba when the question holds none of the words a name must stand beside (申请人,
    向, 先生 …): over every question of the sets, jieba finds no name there either — and finds one beside them."""
    skipped = [t for t in _turns()[::3] if not any(w in t for w in PERSON_BEFORE + PERSON_AFTER)]  # (as typed)
    assert len(skipped) > 100
    assert [t for t in skipped if _person_cut(t) or _person(t)] == []
    assert _person("申请人李四2023年提出了多少件申请？") == "李四"
    assert _person("张三向□□□□申请公开的答复是什么？") == "张三"


def test_the_app_opens_the_index_on_first_use(tmp_path: Path):
    """ui.resources.Resources: the store at once, the Chroma index and embedder when something first needs them,
    once."""
    from ingest.index.vectors import NarrativeIndex
    from ui import resources

    res = resources.Resources(str(tmp_path), Store(tmp_path))
    assert res.opened is None
    index = res.index
    assert isinstance(index, NarrativeIndex) and res.index is index and res.opened is index
    assert (tmp_path / "chroma").is_dir()
