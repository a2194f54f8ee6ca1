"""The docs are tested: every setting documented, every command has --help, the quick start exists."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from core.settings import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_in_the_readme(setting):
    assert f"`{setting.name}`" in README


def test_quick_start_is_two_make_targets_and_ci_calls_the_test_one():
    block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["ingest"], ["ingest", "export"], ["ingest", "remove"], ["ingest", "password"],
                                     ["ingest", "warm"], ["qa", "ask"], ["qa.evaluate"]])
def test_every_command_has_help(command):
    done = subprocess.run([sys.executable, "-m", *command, "--help"], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert done.returncode == 0 and "usage" in done.stdout.lower()


def test_documented_commands_exist():
    for module in set(re.findall(r"python -m ([\w.]+)", README)):
        assert (ROOT / module.replace(".", "/")).with_suffix(".py").exists() or (ROOT / module / "__main__.py").exists()
