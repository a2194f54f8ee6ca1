"""A table cell answers only what it covers (issue #19, items 3, 5, 6): a question narrowed by a word no cell carries
(a channel, a programme, a kind of case, a line of work) is never answered with the broader cell; a narrative count is
matched by its measure word and the question's words; a question no report answers is refused.

Every wrong figure found on the department reports is a case here: the phrasings are people's, composed from each
qualifier kind × each 表三/表四 row family × agency forms."""

from __future__ import annotations

from datetime import date
from itertools import product
from pathlib import Path

import pytest

from core.settings import ROOT
from ingest.parse.clean import clean_text, drop_styles
from ingest.parse.sections import paragraphs
from qa.answer import Answerer, Session, gives_count, intent_of, states_count
from qa.conversation import Conversation
from qa.parse import parse
from qa.retrieve import Retriever
from store import Store

TODAY = date(2026, 11, 25)
FOLDER = ROOT / "tests" / "fixtures" / "departments"

# A word the tables do not split by, in people's words, by kind.
QUALIFIERS = {
    "channel": ("网上", "在网上", "通过网站", "当面", "用信函", "邮寄来的", "传真", "通过政务服务网", "线上"),
    "programme": ("12345热线", "市长热线", "便民服务热线", "市长信箱"),
    "line of work": ("环保领域", "安全生产方面", "涉及征地拆迁"),
}
# Row families of 表三 and 表四 as people ask them; {q} is where the qualifier goes.
FAMILIES = ("{a}{y}{q}收到的信息公开申请有多少件", "{a}{y}{q}申请信息公开的有几件",
            "{a}{y}{q}的申请办结了多少件", "{a}{y}{q}提出的申请有几件予以公开", "{a}{y}{q}申请被不予公开的有几件",
            "{a}{y}因{q}申请引起的行政复议有几件")
SAMPLE_AGENCIES = (("浏阳市", "2023年"), ("洪泽区", "2024年"), ("淮安市", "二〇二四年"))


@pytest.fixture(scope="module")
def sample_store(sample_db):
    store = Store(sample_db)
    yield store
    store.close()


def _intent(store: Store, question: str):
    catalog = Answerer(store, today=TODAY).catalog()
    return intent_of(parse(question, catalog, TODAY), Conversation(), catalog)


@pytest.mark.parametrize("kind", sorted(QUALIFIERS))
def test_a_qualifier_no_cell_carries_never_gets_the_broader_cell(sample_store, kind):
    wrong = []
    for q, family, (agency, year) in product(QUALIFIERS[kind], FAMILIES, SAMPLE_AGENCIES):
        question = family.format(a=agency, y=year, q=q)
        intent = _intent(sample_store, question)
        if intent.measures and intent.kind != "narrative":
            wrong.append(f"{question} → {intent.kind} {[m.label for m in intent.measures]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("question", [
    "浏阳市2023年收到的信息公开申请有多少件", "洪泽区2024年因不掌握相关信息无法提供的有几件",
    "淮安市2024年度申请人逾期未按收费通知要求缴纳费用的有几件", "洪泽区2024年行政复议被纠正了几件",
    "浏阳市2023年因信访举报投诉类申请被不予处理的有几件", "沭阳县2025年不予处理的投诉类申请有几件",
    "洪泽区2024年的申请最后办结了多少件", "浏阳市23年法人或其他组织申请的有几件",
])
def test_a_question_its_cell_covers_keeps_the_cell(sample_store, question):
    intent = _intent(sample_store, question)
    assert intent.kind in ("figure", "derived") and intent.measures and not intent.qualifiers, (question, intent)


@pytest.mark.parametrize("word", ["信访", "投诉", "举报"])
@pytest.mark.parametrize("frame", ["{a}{y}一共处理了多少件群众{w}？", "{a}{y}受理了多少件{w}",
                                   "{a}{y}办结的{w}件有几件", "{a}{y}收到{w}多少件"])
def test_petitions_of_the_agency_own_work_are_not_the_request_row(sample_store, word, frame):
    """信访举报投诉类申请 counts requests for information that are really petitions; a question about the petitions an
    agency handles ("处理了多少件群众信访") shares the word, not the thing (the wrong figure seen on 君山片区)."""
    for agency, year in SAMPLE_AGENCIES:
        question = frame.format(a=agency, y=year, w=word)
        intent = _intent(sample_store, question)
        assert not intent.measures or intent.kind == "narrative", (question, intent)


def test_what_a_narrative_count_must_say():
    assert not states_count("平潭综合实验区经济发展局2023年1月5日")  # a date is no count
    assert states_count("全年主动公开信息数161条", "条") and not states_count("全年主动公开信息数161条", "件")
    assert states_count("抽检农产品35批次", "批次") and states_count("联系电话：0591-12345678")
    assert not gives_count("报告全文由总体情况等共六个部分组成。", "件", ("12345", "热线"))
    assert not gives_count("2021年共受理政府信息公开申请8件。", "件", ("网上",))
    assert gives_count("其中网上申请5件，当面申请3件。", "件", ("网上",))


# ---- the department reports (one-line web pages) ----


@pytest.fixture(scope="module")
def departments(tmp_path_factory, embedder):
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("covers")
    store = Store(folder)
    names = ("pingtan_junshan_2021", "pingtan_lvyou_2024", "pingtan_jingjifazhan_2022")
    ingest_paths([FOLDER / f"{n}.txt" for n in names], store, NarrativeIndex(folder, embedder))
    answerer = Answerer(store, Retriever(store, NarrativeIndex(folder, embedder)), today=TODAY)
    yield answerer
    store.close()


def _cells(answer) -> list[str]:
    return [f"{c.row}/{c.column}={c.value}" for c in answer.citations if c.type == "cell"]


@pytest.mark.parametrize("question", [
    "君山片区管理局2021年一共处理了多少件群众信访？",  # was 办结 + 信访举报投诉类申请 summed (5)
    "君山片区管理局2021年网上申请有多少件？",  # was 新收 (8)
    "君山片区管理局2021年处理信访件多少件",  # was 信访举报投诉类申请 (0)
    "经济发展局2022年受理了多少件投诉",  # was 新收 (3) and 信访举报投诉类申请 (0)
    "经济发展局2022年线上申请的有几件",  # was 新收 (3)
    "君山片区管理局2021年当面申请多少件", "君山片区管理局2021年信函申请几件",  # were 新收 (8)
    "旅游与文化体育局2024年12345热线收到多少件诉求",  # quoted "共六个部分" as a count
    "经济发展局2022年市长热线转来的申请有几件",
    "君山片区管理局2021年线上收到几件申请",  # quoted "共受理政府信息公开申请8件", said of no channel
    "君山片区管理局2021年网上收到了几件申请",
])
def test_department_questions_no_cell_covers_are_refused(departments, question):
    answer = Session(departments).ask(question)
    assert not answer.answered and not _cells(answer), (question, answer.text, _cells(answer))


def test_a_follow_up_qualifier_leaves_the_cell(departments):
    session = Session(departments)
    assert session.ask("君山片区管理局2021年收到多少件申请").answered
    answer = session.ask("那网上的呢？")
    assert not answer.answered and not _cells(answer), answer.text


def test_a_plain_count_is_matched_by_its_measure_word_and_words(departments):
    """"主动公开了多少条" is the sentence's 161条, not "其他应主动公开的政府信息32条" (an answer given before)."""
    answer = Session(departments).ask("君山片区管理局2021年一共主动公开了多少条信息？")
    assert answer.answered and "161条" in answer.text, answer.text
    answer = Session(departments).ask("君山片区管理局2021年在微信公众号上发了多少条信息")
    assert answer.answered and "756条" in answer.text, answer.text


@pytest.mark.parametrize("question", ["君山片区管理局局长是谁？", "旅游与文化体育局的分管领导是谁",
                                      "经济发展局办公室主任姓什么", "君山片区管理局2021年的党工委书记是哪位"])
def test_who_holds_an_office_is_refused(departments, question):
    answer = Session(departments).ask(question)
    assert not answer.answered, answer.text


def test_one_line_pages_keep_their_later_parts_and_first_sentences():
    """旅游与文化体育局's page runs "一、总体情况今年我局共制作政务信息1527条" and "四、…行政诉讼情况行政复议…"
    together: the standard titles are the headings, the rest is text, and parts 五 and 六 are found."""
    text = clean_text((FOLDER / "pingtan_lvyou_2024.txt").read_text(encoding="utf-8"))
    found = {p.section: p.text for p in paragraphs("lvyou", text)}
    assert found["一、总体情况"].startswith("今年我局共制作政务信息1527条")
    assert "时效性有待进一步提高" in found["五、存在的主要问题及改进情况"]
    assert found["六、其他需要报告的事项"].startswith("本年度无收取信息处理费情况")


def test_word_style_sheets_are_dropped():
    page = ("相关链接： Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE /* Style Definitions */ "
            "table.MsoNormalTable {mso-style-name:普通表格; mso-style-parent:\"\"; font-family:\"Times New Roman\";} "
            "根据《条例》，编制本报告。")
    assert drop_styles(page).split() == ["相关链接：", "根据《条例》，编制本报告。"]
    raw = (FOLDER / "pingtan_junshan_2021.txt").read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    assert "mso-" not in cleaned and "Normal 0" not in cleaned and "161条" in cleaned
    assert Path(FOLDER / "pingtan_junshan_2021.txt").read_text(encoding="utf-8") == raw


@pytest.mark.parametrize(("question", "cell"), [
    ("经济发展局2022年行政许可办了多少", "第二十条第（五）项/行政许可/本年处理决定数量=0"),
    ("我想问下平潭经济发展局那年(2022)一共收到几个信息公开申请", "一、本年新收政府信息公开申请数量/总计=3"),
    ("君山片区管理局2021年的申请有几件是企业提的", "一、本年新收政府信息公开申请数量/法人或其他组织/商业企业=0"),
])
def test_a_single_character_left_over_is_the_frame_not_a_qualifier(departments, question, cell):
    """办 of "办了多少", 提 of "企业提的": verbs of the question's frame; courtesies (我想问下) too. The cell
    answers."""
    answer = Session(departments).ask(question)
    assert answer.answered and _cells(answer) == [cell], (answer.text, _cells(answer))


@pytest.mark.parametrize("question", ["沭阳县2025年政府信息公开申请有多少没有公开", "浏阳市2023年的申请有多少没办",
                                      "洪泽区2024年有多少申请未被受理"])
def test_a_negation_left_over_is_never_the_frame(sample_store, question):
    """没 of "有多少没有公开" narrows the question below 新收 (answered with it before): a negation no cell carries
    sends the question to the text, where only a sentence saying it answers."""
    intent = _intent(sample_store, question)
    assert not (intent.measures and intent.kind != "narrative"), (question, intent)
