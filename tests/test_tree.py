"""The tree shows the design: each package uses only the ones below it, and no two modules share a name.

core ← store ← ingest ← qa ← ui (app.py shows). A module importing upward, or a second module named like another,
makes the layout lie about where a change belongs.
"""

from __future__ import annotations

import ast
from collections import Counter

import pytest

from core.settings import ROOT

LAYERS = ("core", "store", "ingest", "qa", "ui")  # bottom first
# Deliberate exceptions, each with its reason: the `password` subcommand of `python -m ingest` prints the hash
# that staff sign-in checks (imported inside that command only).
ALLOWED = {("ingest/__main__.py", "ui.staff.passwords")}


def modules() -> list:
    return sorted(p for layer in LAYERS for p in (ROOT / layer).rglob("*.py"))


def imported(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_package_imports_only_the_packages_below_it(path):
    rel = path.relative_to(ROOT)
    layer = LAYERS.index(rel.parts[0])
    upward = [m for m in imported(path) if m.split(".")[0] in LAYERS[layer + 1:]
              and (rel.as_posix(), m) not in ALLOWED]
    assert upward == [], f"{rel} imports from a layer above it"


def test_no_two_modules_share_a_name():
    names = Counter(p.stem for p in modules() if p.stem not in ("__init__", "__main__"))
    assert [n for n, k in names.items() if k > 1] == []


def test_every_module_says_what_it_does():
    missing = [str(p.relative_to(ROOT)) for p in modules()
               if p.stat().st_size and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []
