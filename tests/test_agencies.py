"""Agency mentions → stored agencies by the structure of the name: place chain + organ; no report guessed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.records import Report
from core.text import norm
from core.vocabulary import DEPARTMENTS
from qa.agencies import GOVERNMENT, OFFICE, structure, surface_forms
from qa.answer import Answerer, Session
from qa.scope import Catalog, agency_keys
from store import Store

# Invented agencies (no real report is needed to resolve names): governments at every level, a general office,
# departments in standard and short forms, a zone, two cities whose departments share a short form.
SYNTHETIC = (
    "江南省人民政府", "江南省临川市人民政府", "临川市人民政府办公室", "临川市发展和改革委员会",
    "临川市人力资源和社会保障局", "临川市市场监督管理局", "临川市住房和城乡建设局", "临川市卫生健康委员会",
    "江南省临川市东湖区人民政府", "临川市东湖区教育局", "东湖区发展和改革局", "江南省青石县人民政府",
    "青石县人民政府办公室", "青石县自然资源和规划局", "青石县水务局", "青石县退役军人事务局", "临川市科学技术委员会",
    "白沙综合实验区管理委员会", "白沙综合实验区财政局", "杭州市人民政府", "徐州市公安局",
    "江南省临川市青石县双河镇人民政府", "临川市乐平经济开发区管委会", "临川市文化广电和旅游局", "临川市医疗保障局",
    "临川市应急管理局",
)


def _catalog(names) -> Catalog:
    return Catalog([Report(f"r{i}", n, 2023, "", None, f"{i}.txt", str(i), "text") for i, n in enumerate(names)])


CATALOG = _catalog(SYNTHETIC)


def _resolve(question: str, catalog: Catalog = CATALOG) -> list:
    mentions, _ = catalog.find(norm(question))
    return [m.candidates for m in mentions]


def test_names_read_by_structure():
    keys = agency_keys(["淮安市洪泽区人民政府", "洪泽区人民政府", "江苏省淮安市洪泽区人民政府"])
    assert len(set(keys.values())) == 1  # leading places left out: one agency
    assert structure("淮安市洪泽区人民政府").places == ("淮安市", "洪泽区")
    assert structure("苏州市住房和城乡建设局").places == ("苏州市",)  # 州 and 乡 inside names are no places
    assert structure("上海市科委").organ == structure("上海市科学技术委员会").organ
    assert structure("临川市人民政府办公室").organ == OFFICE
    assert structure("平潭综合实验区").organ == GOVERNMENT
    assert structure("平潭综合实验区管委会").key == structure("平潭综合实验区").key


def test_same_named_places_of_different_parents_are_different_agencies():
    """Two 鼓楼区 (福州市, 南京市): each answers only for itself; 鼓楼区 alone is asked back, never guessed; a
    鼓楼区 printed without its city is one agency beside one city's, an agency of its own beside two."""
    names = ["福建省福州市鼓楼区人民政府", "南京市鼓楼区人民政府", "福州市鼓楼区发展和改革局",
             "南京市鼓楼区发展和改革局"]
    catalog = _catalog(names)
    assert len(catalog.agencies) == 4
    for said, want in (("福州鼓楼区", names[0]), ("南京市鼓楼区", names[1]), ("福州市鼓楼区发改局", names[2]),
                       ("南京鼓楼区发展改革局", names[3]), ("福建福州鼓楼", names[0])):
        found = _resolve(f"{said}2023年收到多少申请", catalog)
        assert [tuple(catalog.agencies[k].name for k in ks) for ks in found] == [(want,)], said
    assert sorted(catalog.agencies[k].name for k in _resolve("鼓楼区2023年收到多少申请", catalog)[0]) == sorted(
        names[:2])
    assert len(_resolve("鼓楼区发改局", catalog)[0]) == 2
    keys = agency_keys(["福州市鼓楼区人民政府", "鼓楼区人民政府"])
    assert keys["鼓楼区人民政府"] == keys["福州市鼓楼区人民政府"]
    keys = agency_keys(["福州市鼓楼区人民政府", "南京市鼓楼区人民政府", "鼓楼区人民政府"])
    assert len(set(keys.values())) == 3
    catalog = _catalog(["福州市鼓楼区人民政府", "南京市鼓楼区人民政府", "鼓楼区人民政府"])
    assert len(_resolve("南京鼓楼区", catalog)[0]) == 2  # 南京市's, or the one that never says its city
    assert len({norm(f) for forms in DEPARTMENTS for f in forms}) >= 100 and len(DEPARTMENTS) >= 40


@pytest.mark.parametrize(("question", "agency"), [
    ("青石县发改局2023年收到多少申请？", None),  # the county's department is not stored: never its government
    ("东湖区发改局", "东湖区发展和改革局"),
    ("临川发改委", "临川市发展和改革委员会"),
    ("临川市政府办公厅", "临川市人民政府办公室"),
    ("临川市府办", "临川市人民政府办公室"),
    ("临川市政府", "江南省临川市人民政府"),
    ("临川", "江南省临川市人民政府"),
    ("临川市市监局", "临川市市场监督管理局"),
    ("临川科技局", "临川市科学技术委员会"),
    ("江南临川东湖区", "江南省临川市东湖区人民政府"),
    ("白沙管委会", "白沙综合实验区管理委员会"),
    ("白沙综合实验区财政局", "白沙综合实验区财政局"),
    ("乐平开发区管委会", "临川市乐平经济开发区管委会"),
    ("青石县水利局", "青石县水务局"),
    ("双河镇政府", "江南省临川市青石县双河镇人民政府"),
    ("临川文旅局", "临川市文化广电和旅游局"),
    ("徐州公安局", "徐州市公安局"),
    ("临川市的发改委", "临川市发展和改革委员会"),
    ("青石县的发改局", None),  # the county's, not 临川's or 东湖区's
])
def test_mention_names_one_agency_or_none(question, agency):
    found = _resolve(question)
    assert len(found) == 1, found
    want = () if agency is None else (CATALOG.find(norm(agency))[0][0].candidates[0],)
    assert found[0] == want
    if agency is not None:
        assert CATALOG.agencies[want[0]].name == agency


def test_a_government_is_never_its_department_nor_office():
    only_departments = _catalog(["临川市发展和改革委员会", "临川市人民政府办公室"])
    assert _resolve("临川市2023年收到多少申请", only_departments) == [()]
    assert _resolve("临川市政府", only_departments) == [()]


def test_a_level_alone_names_every_agency_of_that_level():
    cities = _resolve("市政府2023年收到多少申请？")[0]
    assert {CATALOG.agencies[k].name for k in cities} == {"江南省临川市人民政府", "杭州市人民政府"}
    assert _resolve("本市政府信息公开工作") == []  # not a mention
    assert _resolve("北京市发改委") == [()]  # a place no report is from: not 临川's 发改委
    assert _resolve("宿迁市政府2023年收到多少") == [()]  # jieba tags 宿迁 as a name: still a place, not 临川
    assert _resolve("张家港市人社局") == [()]
    assert _resolve("临川区2023年") == [()] and _resolve("东湖高新区") == [()]  # other places than 临川市, 东湖区
    assert _resolve("通过县政府门户网站")[0] == _resolve("县政府")[0] != ()  # a verb before a level: no place


def test_a_zone_is_a_district_to_a_level_word():
    """"区公安局" (as 平潭综合实验区公安局's own page signs itself): a 综合实验区 is a 区 to a level said before an
    organ; it was refused as no stored agency."""
    zone = _catalog(["平潭综合实验区公安局", "平潭综合实验区", "淮安市洪泽区人民政府", "平潭综合实验区金井片区管理局"])
    assert [{zone.agencies[k].name for k in c} for c in _resolve("区公安局2024年收到几件申请", zone)] == [
        {"平潭综合实验区公安局"}]
    assert [{zone.agencies[k].name for k in c} for c in _resolve("区政府收到几件申请", zone)] == [
        {"平潭综合实验区", "淮安市洪泽区人民政府"}]  # a 片区 is no 区


def test_ocr_slips_name_the_report():
    catalog = _catalog(["沐阳县人民政府"])
    assert _resolve("沭阳县", catalog) == _resolve("沐阳", catalog) != [()]


_FORMS = [(n, f) for n in SYNTHETIC for f in sorted(surface_forms(n))]
_FRAMES = ("{}2023年新收了多少件申请？", "请问{}去年的报告", "{}", "2023年{}的行政复议有几件", "{}的报告里说了什么")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_FORMS), st.sampled_from(_FRAMES))
def test_every_surface_form_names_its_agency_alone(form, frame):
    name, said = form
    found = _resolve(frame.format(said))
    assert found == [(structure(name).key,)], (said, found)


def test_every_stored_agency_by_every_form(sample_db):
    store = Store(sample_db)
    catalog = _catalog([r.agency for r in store.reports()])
    store.close()
    for key, agency in catalog.agencies.items():
        for report in agency.reports:
            for said in surface_forms(report.agency):
                assert _resolve(f"{said}2023年收到多少申请", catalog) == [(key,)], said


@pytest.fixture(scope="module")
def answerer(sample_db):
    store = Store(sample_db)
    yield Answerer(store, today=date(2026, 11, 25))
    store.close()


def test_unstored_department_is_refused_naming_the_nearest(answerer):
    answer = Session(answerer).ask("洪泽区发改局2023年收到多少申请？")
    assert not answer.answered and "洪泽区人民政府" in answer.text and not answer.citations


def test_several_cities_asks_which_unless_the_conversation_says(answerer):
    answer = Session(answerer).ask("市政府2024年新收了多少件申请？")
    assert not answer.answered and "淮安市人民政府" in answer.text and "浏阳市人民政府" in answer.text
    session = Session(answerer)
    session.ask("淮安市2024年新收了多少件申请？")
    again = session.ask("市政府2024年的部分公开有几件？")
    assert again.answered and again.reports == ("huaian_2024",)


def test_parents_a_stored_name_does_not_print_qualify_it():
    from qa.answer import intent_of as resolve
    from qa.conversation import Conversation
    from qa.parse import parse

    catalog = _catalog(["青石县教育局", "东湖区人民政府"])
    for question, name in (("临川市青石县教育局2023年收到多少申请", "青石县教育局"),
                           ("江南省临川市东湖区2023年收到多少申请", "东湖区人民政府")):
        intent = resolve(parse(question, catalog, date(2026, 1, 1)), Conversation(), catalog)
        assert [catalog.reports[r].agency for r in intent.reports] == [name], question
    alone = resolve(parse("北京市2023年东湖区收到多少申请", catalog, date(2026, 1, 1)), Conversation(), catalog)
    assert alone.kind == "unanswerable"  # a place said apart from the agency is another place


def test_a_lexicon_finds_what_testing_every_word_finds():
    """Place names are looked up by the question's pieces (qa.match.Lexicon), not tested one by one: the same
    matches, longest first, each character used once."""
    from qa.match import Lexicon, find

    words = [(w, i) for i, w in enumerate(["淮安", "淮安市", "洪泽区", "洪泽", "安市", "市洪", "区", "浏阳市", "阳市",
                                           "鼓楼区", "福州鼓楼区", "福州"])]
    for text in ["淮安市洪泽区人民政府", "浏阳市和淮安市", "洪泽区区", "福州鼓楼区和鼓楼区", "无关文字", "", "区"]:
        assert find(text, Lexicon(words)) == find(text, words), text


def test_a_question_back_among_hundreds_lists_ten_and_the_count():
    """"市政府" in a national store fits hundreds of cities: the question back names ten and says how many (it
    listed them all, a page of names)."""
    from datetime import date

    from qa.parse import parse
    from qa.resolve import CHOICES_SHOWN, resolve

    cities = _catalog([f"{c}市人民政府" for c in "临杭苏锡常通扬镇泰宿徐连盐淮宁合芜蚌马铜庆黄滁阜六亳池宣"])
    asked = resolve(parse("市政府2023年收到多少申请", cities, date(2026, 12, 3)), (), cities).refusal
    assert asked.count("市人民政府") == CHOICES_SHOWN + 1 and f"等{len(cities.agencies)}个机关" in asked, asked


def test_a_question_back_offers_the_agencies_with_the_year_named():
    """"片区管理局2024年…": the 片区 with a 2024 report are offered, not every 片区 stored; one alone is no choice,
    so then every candidate is offered."""
    from datetime import date

    from qa.parse import parse
    from qa.resolve import resolve

    reports = [Report(f"r{i}", f"平潭综合实验区{n}片区管理局", y, "", None, f"{i}.txt", str(i), "text")
               for i, (n, y) in enumerate((("君山", 2021), ("海坛", 2024), ("金井", 2024), ("苏平", 2025)))]
    zone = Catalog(reports)
    asked = resolve(parse("片区管理局2024年收到多少申请", zone, date(2026, 12, 3)), (), zone).refusal
    assert "海坛" in asked and "金井" in asked and "君山" not in asked and "苏平" not in asked, asked
    asked = resolve(parse("片区管理局2021年收到多少申请", zone, date(2026, 12, 3)), (), zone).refusal
    assert all(n in asked for n in ("君山", "海坛", "金井", "苏平")), asked
