"""Time from `make run` on a fresh database to a usable page, and the first and later answers, in headless Chromium.

`python -m bench.startup [--repeat N]`: starts the app as `make run` does (`python -m ui.serve`) over an empty
database folder, so the bundled samples are ingested on first start, then opens the page in Debian's Chromium.
Besides wall-clock seconds it reports the CPU seconds the server and its first-start ingest process (run in
parallel, on the other core) had used when the page became usable: on a shared machine the wall clock mostly
measures the other jobs, the CPU time does not. The first question is typed
`--read` seconds after the page is usable (a visitor reads the page first); the others right after each answer.
After the answers it reads the server process's resident memory now and at its peak (/proc, MiB).

`--db DIR` starts the app over an existing store instead (e.g. one grown by bench.latency --work): the page and
answers over 10,000+ reports, and the memory an app process holds for them. DATABASE_URL and CHROMA_URL in the
environment are passed on, as to any replica.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUT = "[data-testid=stChatInputTextArea]"
QUESTIONS = ("浏阳市2023年收到多少件政府信息公开申请？", "浏阳市2023年政府信息公开工作存在哪些问题？",
             "平潭这几年收到的申请是多了还是少了？", "淮安市2024年予以公开的申请有多少件？")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1000"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def ask(driver, question: str, answers_before: int) -> float:
    """Seconds from pressing Enter to the answer on the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = driver.find_element(By.CSS_SELECTOR, INPUT)
    box.send_keys(question)
    start = time.monotonic()
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 120, poll_frequency=0.05).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=stChatMessage] .answer")) > answers_before)
    return time.monotonic() - start


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User + system CPU seconds of a process so far, and of its finished children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def memory_mib(pid: int) -> tuple[float, float]:
    """Resident memory of a process now and at its peak, MiB (Linux /proc: VmRSS, VmHWM)."""
    lines = Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines()
    status = dict(line.split(":", 1) for line in lines if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def once(driver, read: float, command: list[str], db: str | None = None) -> dict[str, float]:
    """One cold start: seconds to a usable page (input and example questions shown), then each answer; `db`: an
    existing store folder (None: a fresh one, the samples ingested on first start)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    port = _port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "REPORTS_DB": db or str(Path(tmp) / "db"), "LLM_PROVIDER": "", "SAMPLES_DIR": "samples/"}
        start = time.monotonic()
        server = subprocess.Popen(
            [sys.executable, "-m", *command, "--server.headless", "true", "--server.port", str(port),
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            # the browser is pointed at the page once the server answers, as a visitor opens the address the
            # server prints; a browser retrying a closed port meanwhile draws error pages on the same two cores
            while not _healthy(url):
                time.sleep(0.05)
            driver.get(url)
            WebDriverWait(driver, 120, poll_frequency=0.05).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, INPUT) and d.find_elements(
                    By.CSS_SELECTOR, ".stButton button") and not d.find_elements(By.CSS_SELECTOR, ".stSpinner"))
            usable = time.monotonic() - start
            own, children = cpu_seconds(server.pid)
            out = {"page usable": usable, "server CPU": own, "ingest CPU": children, "load": os.getloadavg()[0]}
            time.sleep(read)
            for n, q in enumerate(QUESTIONS):
                out[f"answer {n + 1}"] = ask(driver, q, n)
            out["RSS MiB"], out["peak MiB"] = memory_mib(server.pid)
            return out
        finally:
            server.terminate()
            server.wait(timeout=20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold starts to measure (median shown)")
    parser.add_argument("--plain", action="store_true", help="`streamlit run app.py` (to compare with ui.serve)")
    parser.add_argument("--read", type=float, default=5.0, help="seconds between a usable page and the first question")
    parser.add_argument("--db", default=None, help="an existing store folder to serve (default: a fresh one)")
    args = parser.parse_args(argv)
    driver = browser()
    try:
        command = ["streamlit", "run", "app.py"] if args.plain else ["ui.serve"]
        runs = [once(driver, args.read, command, args.db) for _ in range(args.repeat)]
    finally:
        driver.quit()
    for key in runs[0]:
        values = [r[key] for r in runs]
        unit = "" if "MiB" in key else " s"
        print(f"{key:<12} median {statistics.median(values):8.2f}{unit}   runs " + " ".join(f"{v:.2f}" for v in values))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
