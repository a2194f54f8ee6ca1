"""End to end in a real browser: the app as `make run` starts it (ui.serve) on localhost, in headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
ARTIFACTS = ROOT / "artifacts"
README_SHOT = ROOT / "docs" / "screenshot.png"
QUESTION = "浏阳市2023年收到多少件政府信息公开申请？"
STAFF_PASSWORD = "browser staff password"

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver: `make browser`")


def _wait_healthy(url: str, server: subprocess.Popen, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer on {url}")


@pytest.fixture(scope="module")
def app_url(sample_db: Path, tmp_path_factory) -> Iterator[str]:
    """The app as `make run` serves it (ui.serve) on a free loopback port, over a copy of the ingested samples."""
    db = tmp_path_factory.mktemp("browserdb") / "db"
    shutil.copytree(sample_db, db)
    from ui.staff.passwords import hash_password

    env = {**os.environ, "REPORTS_DB": str(db), "LLM_PROVIDER": "", "PYTHONPATH": str(ROOT),
           "STAFF_PASSWORD_HASH": hash_password(STAFF_PASSWORD, n=2**10)}
    env.pop("DATABASE_URL", None)
    yield from served(env, tmp_path_factory.mktemp("browserlog"))


def served(env: dict, logs: Path) -> Iterator[str]:
    """The app as `make run` serves it (ui.serve) on a free loopback port with this environment: its URL while
    the server runs (stopped afterwards), its output in logs/streamlit.log."""
    port = free_port()
    log = (logs / "streamlit.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through the system chromedriver (Selenium Manager never downloads anything)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1000",
                "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_question_answer_and_highlighted_citation_in_a_browser(app_url: str, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 40)
    browser.get(app_url)
    box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=stChatInputTextArea]")))
    box.send_keys(QUESTION)
    box.send_keys(Keys.ENTER)
    cell = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".cite-cell td.hit mark")))
    answer = browser.find_element(By.CSS_SELECTOR, "[data-testid=stChatMessage] .answer").text
    assert cell.text == "224" and "224" in answer
    row = cell.find_element(By.XPATH, "ancestor::tr")
    assert "本年新收政府信息公开申请数量" in row.text  # the cited row, with its label, around the marked cell
    assert "自然人" in browser.find_element(By.CSS_SELECTOR, ".cite-cell thead").text

    time.sleep(0.5)  # let the last element settle before the picture
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "browser_answer.png"))
    if os.environ.get("UPDATE_SCREENSHOT") or not README_SHOT.exists():
        README_SHOT.parent.mkdir(exist_ok=True)
        browser.save_screenshot(str(README_SHOT))

    browser.set_window_size(390, 844)  # a phone: nothing wider than the screen, wide tables scroll inside
    time.sleep(1)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    browser.save_screenshot(str(ARTIFACTS / "browser_phone.png"))
    assert overflow <= 0
    # the cited cell itself stays on screen (the whole row scrolls sideways below it): issue #22
    narrow = browser.find_element(By.CSS_SELECTOR, ".cite-narrow td.hit mark")
    box = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", narrow)
    assert narrow.is_displayed() and narrow.text == "224" and 0 <= box[0] < box[1] <= 390


def _patient(browser, seconds: float = 90):
    """A wait that retries through Streamlit's reruns: an element redrawn, covered or not yet enabled is tried again."""
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        ElementNotInteractableException,
        NoSuchElementException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds, ignored_exceptions=(
        StaleElementReferenceException, ElementNotInteractableException, ElementClickInterceptedException,
        NoSuchElementException))


def _click_text(browser, wait, xpath_text: str, tag: str = "button"):
    """Click the element whose text holds xpath_text, retrying until a rerun has drawn it clickable."""
    from selenium.webdriver.common.by import By

    def click(b):
        found = b.find_element(By.XPATH, f"//{tag}[contains(normalize-space(.), '{xpath_text}')]")
        b.execute_script("arguments[0].scrollIntoView({block: 'center'})", found)  # not under the page header
        found.click()
        return found

    return _patient(browser).until(click)


def _sign_in(browser, wait, password: str) -> None:
    from selenium.webdriver.common.by import By

    def fill(b):
        name = b.find_element(By.CSS_SELECTOR, "input[aria-label='姓名或工号']")
        secret = b.find_element(By.CSS_SELECTOR, "input[type=password]")
        name.clear()
        name.send_keys("王芳")
        secret.clear()
        secret.send_keys(password)
        return True

    _patient(browser).until(fill)
    _click_text(browser, wait, "登录", "button[@kind='secondaryFormSubmit' or contains(@data-testid, 'FormSubmit')]")


def _open_change_panel(browser, report_id: str) -> None:
    """Open the replace-or-remove expander once it is the chosen report's (the choice reruns the page)."""
    from selenium.webdriver.common.by import By

    def opened(b):
        details = b.find_element(By.XPATH, "//details[.//summary[contains(normalize-space(.), '替换或移除当前报告')]]")
        if report_id in (details.get_attribute("textContent") or "") and details.get_attribute("open") is not None:
            return True
        if details.get_attribute("open") is None:
            summary = details.find_element(By.TAG_NAME, "summary")
            b.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
            summary.click()
        return False

    _patient(browser).until(opened)


def _ask(browser, question: str, nth: int, cited: bool) -> str:
    """Type the session's nth question in the chat; the HTML of its answer (with its citations when `cited`)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _click_text(browser, None, "问答", "*[@role='tab']")
    answers = "[data-testid=stChatMessage] .answer"

    def typed(b):
        box = b.find_element(By.CSS_SELECTOR, "[data-testid=stChatInputTextArea]")
        box.send_keys(question)
        box.send_keys(Keys.ENTER)
        return True

    def answered(b):
        found = b.find_elements(By.CSS_SELECTOR, answers)
        if len(found) < nth:
            return False
        message = found[nth - 1].find_element(By.XPATH, "ancestor::*[@data-testid='stChatMessage']")
        html = message.get_attribute("innerHTML")
        return html if not cited or "cite-prov" in html else False

    _patient(browser).until(typed)
    return _patient(browser).until(answered)


def test_staff_sign_in_upload_and_remove_in_a_browser(app_url: str, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec

    report = tmp_path / "qingshan_2024.txt"
    report.write_text((ROOT / "samples" / "hongze_2024.txt").read_text(encoding="utf-8")
                      .replace("淮安市洪泽区", "青山市绿水区"), encoding="utf-8")
    wait = _patient(browser)
    browser.set_window_size(1100, 1000)
    browser.get(app_url)
    _click_text(browser, wait, "报表与核对", "*[@role='tab']")
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "input[type=password]")))
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid=stFileUploader]")  # a visitor: no upload

    _sign_in(browser, wait, "not the password")
    wait.until(ec.visibility_of_element_located((By.XPATH, "//*[contains(text(), '密码不正确')]")))
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-testid=stFileUploader]")
    _sign_in(browser, wait, STAFF_PASSWORD)
    uploader = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=stFileUploader] input")))
    uploader.send_keys(str(report))
    wait.until(ec.visibility_of_element_located((By.XPATH, "//*[contains(text(), 'qingshan_2024.txt')]")))
    _click_text(browser, wait, "", "button[not(@disabled)][normalize-space(.)='导入']")  # enabled once the file is in
    wait.until(ec.visibility_of_element_located((By.XPATH, "//*[contains(text(), '已导入')]")))

    cited = _ask(browser, "青山市绿水区2024年收到多少件政府信息公开申请？", nth=1, cited=True)
    assert "cite-prov" in cited and "来源：qingshan_2024.txt" in cited and "导入" in cited

    _click_text(browser, wait, "报表与核对", "*[@role='tab']")

    def choose(b):
        picker = b.find_element(By.XPATH, "//div[@data-testid='stSelectbox'][.//*[contains(., '选择报告')]]//input")
        picker.click()
        picker.send_keys("qingshan_2024")
        picker.send_keys(Keys.ENTER)
        return True

    wait.until(choose)
    _open_change_panel(browser, "qingshan_2024")
    _click_text(browser, wait, "我确认要移除这份报告", "label")
    _click_text(browser, wait, "", "button[not(@disabled)][normalize-space(.)='移除']")
    wait.until(ec.visibility_of_element_located((By.XPATH, "//*[contains(text(), '已移除')]")))
    _click_text(browser, wait, "操作记录", "summary")
    wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "table.audit")))

    def logged(b) -> str:  # the table as the page holds it (a re-run may still be drawing it: wait for it whole)
        text = b.find_element(By.CSS_SELECTOR, "table.audit").get_attribute("textContent")
        return text if "移除" in text and "导入" in text else ""

    assert "王芳" in wait.until(logged)
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "browser_staff.png"))

    after = _ask(browser, "青山市绿水区2024年收到多少件政府信息公开申请？", nth=2, cited=False)
    assert "qingshan_2024" not in after and "青山市绿水区人民政府 2024年度报告" not in after


SERIES = "平潭这几年收到的申请是多了还是少了？"
CHART_SHOT = ROOT / "docs" / "chart.png"
CHART_PHONE_SHOT = ROOT / "docs" / "chart_phone.png"


def _fresh(browser, app_url: str, width: int):
    """A new session of the page at this window width, its chat input ready."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(width, 1000 if width > 600 else 844)
    browser.get(app_url)
    return WebDriverWait(browser, 40).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=stChatInputTextArea]")))


@pytest.mark.parametrize("width", [1100, 390])
def test_series_chart_renders_at_desktop_and_phone_width(app_url: str, browser, width: int):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = _fresh(browser, app_url, width)
    box.send_keys(SERIES + Keys.ENTER)
    wait = WebDriverWait(browser, 40, ignored_exceptions=(StaleElementReferenceException,))  # reruns redraw
    chart_css = "[data-testid=stVegaLiteChart]"
    points = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{chart_css} svg g.mark-symbol path"))
    assert len(points) == 2 and browser.find_elements(By.CSS_SELECTOR, f"{chart_css} svg g.mark-line path")
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=stChatMessage] .cite-cell"))

    def hover(d, n: int, year: str) -> str | bool:
        # found again, in view, away and back, until it holds: the page may still redraw or scroll, and only a
        # move shows a tooltip
        chart = d.find_element(By.CSS_SELECTOR, chart_css)
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
        point = chart.find_elements(By.CSS_SELECTOR, "svg g.mark-symbol path")[n]
        ActionChains(d).move_to_element_with_offset(chart, 1, 1).move_to_element(point).perform()
        tips = d.find_elements(By.CSS_SELECTOR, "#vg-tooltip-element.visible")
        return tips[0].text if tips and f"{year}年度报告" in tips[0].text else False

    for n, year in enumerate(("2021", "2022")):  # hover: the report and the cell of each point
        tip = wait.until(lambda d, n=n, y=year: hover(d, n, y))
        assert "平潭综合实验区" in tip and "表三 一、本年新收政府信息公开申请数量 | 总计" in tip
    chart = browser.find_element(By.CSS_SELECTOR, chart_css)
    cite = browser.find_element(By.CSS_SELECTOR, "[data-testid=stChatMessage] .cite-cell")
    assert 0 < chart.size["width"] <= browser.execute_script("return window.innerWidth")
    assert cite.location["y"] > chart.location["y"]  # the citations stay below the chart
    link = cite.find_element(By.CSS_SELECTOR, "a.card-link")
    assert link.get_attribute("target") == "_blank" and "card=pingtan_" in link.get_attribute("href")
    ActionChains(browser).move_to_element(box).perform()  # the tooltip away before the picture
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
    time.sleep(0.8)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    shot = CHART_SHOT if width > 600 else CHART_PHONE_SHOT
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / shot.name))
    if os.environ.get("UPDATE_SCREENSHOT") or not shot.exists():
        browser.save_screenshot(str(shot))
    assert overflow <= 0


def test_two_questions_typed_back_to_back_both_get_answers(app_url: str, browser):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    first, second = "浏阳市2023年政府信息公开工作存在哪些问题？", QUESTION
    box = _fresh(browser, app_url, 1100)
    box.send_keys(first + Keys.ENTER)
    box.send_keys(second + Keys.ENTER)  # typed at once, while the first is being answered
    WebDriverWait(browser, 60, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=stChatMessage] .answer")) == 2
        and not d.find_elements(By.CSS_SELECTOR, "[data-testid=stSpinner]"))
    time.sleep(1)  # nothing may vanish once both are there
    questions = [q.text for q in browser.find_elements(By.CSS_SELECTOR, "[data-testid=stChatMessage] .question")]
    answers = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "[data-testid=stChatMessage] .answer")]
    assert questions == [first, second]
    assert "224" in answers[1] and "224" not in answers[0] and answers[0] != "报告中没有找到相关信息。"
