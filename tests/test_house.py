"""The layout's rules, as tests that fail when broken: the pure layers load without Streamlit, the loaders never
reach into the dashboard, and no module grows into a junk drawer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PURE_PACKAGES = ("dashboard.figures", "dashboard.words", "dashboard.charts", "dashboard.outputs")
LARGEST_MODULE_LINES = 600


def python_files(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_figures_words_charts_and_outputs_load_without_streamlit():
    script = (
        "import importlib, pkgutil, sys\n"
        f"for name in {PURE_PACKAGES!r}:\n"
        "    package = importlib.import_module(name)\n"
        "    for module in pkgutil.walk_packages(package.__path__, name + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "from dashboard.charts import catalogue\n"
        "catalogue.load_all()\n"
        "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_a_pure_module_that_imported_streamlit_would_be_caught():
    """The rule above can fail: the sidebar filters do load Streamlit."""
    script = "import sys\nimport dashboard.ui.filters\nprint('streamlit' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "True"


def test_no_loader_module_imports_the_dashboard_or_the_command_line():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] in {"dashboard", "pcc_cli"}
        )
        for path in python_files("data_loaders")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_pure_modules_never_import_streamlit_directly():
    offenders = []
    for package in PURE_PACKAGES:
        for path in python_files(package.replace(".", "/")):
            if any(name.split(".")[0] == "streamlit" for name in imported_modules(path)):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_chart_module_is_listed_and_every_listed_module_registers_charts():
    from dashboard.charts import catalogue

    modules = {
        f"dashboard.charts.{p.stem}"
        for p in python_files("dashboard/charts")
        if p.stem not in {"__init__", "catalogue"}
    }
    builders = {name for name in modules if "@register(" in (ROOT / (name.replace(".", "/") + ".py")).read_text()}
    assert builders == set(catalogue.CHART_MODULES)
    entries = catalogue.load_all()
    assert {entry.build.__module__ for entry in entries.values()} == set(catalogue.CHART_MODULES)


def test_no_module_is_a_junk_drawer():
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for folder in ("dashboard", "data_loaders")
        for path in python_files(folder)
    }
    assert {path: lines for path, lines in sizes.items() if lines > LARGEST_MODULE_LINES} == {}
