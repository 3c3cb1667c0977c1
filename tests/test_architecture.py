"""The import rules, as a test: apps depend one way, and no module imports itself in a loop.

`clinic_site` (configuration) may import any app. Below it, each app may import only the apps
listed here; tests and migrations are not scanned. The rules are in docs/ARCHITECTURE.md.
"""

import ast
import os
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {
    "pagecache": set(),
    "backups": set(),
    "revisions": set(),
    "core": {"pagecache"},
    "submissions": {"core", "pagecache"},
    "articles": {"core", "pagecache", "revisions"},
    "shop": {"core", "pagecache", "revisions"},
    "comments": {"articles", "submissions", "core", "pagecache"},
    "topics": {"articles", "submissions", "core", "pagecache"},
}
PROJECT = {*ALLOWED, "clinic_site"}


def _modules():
    for package in sorted(PROJECT):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            name = ".".join(part for part in parts if part != "__init__")
            yield name, path


MODULES = dict(_modules())


def _resolve(target, modules):
    """The module of `modules` that `target` (a module, or a name inside one) is, or ''."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target


def _imports(name, path, modules=MODULES, *, scripts=False):
    """Modules of `modules` that `name` imports, at any depth of its code (functions included).

    In a folder of `scripts`, run as `python folder/script.py`, the folder itself is first on
    sys.path, so a bare name may also be a sibling module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    folder = name.split(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            module = _resolve(target, modules) or (scripts and _resolve(f"{folder}.{target}", modules))
            if module and module != name:
                found.add(module)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_each_app_imports_only_the_apps_below_it(app):
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.split(".")[0] == app
        for target in targets
        if target.split(".")[0] not in {app, *ALLOWED[app]}
    )
    assert not wrong, "\n".join(wrong)


def test_no_app_depends_on_another_in_a_loop():
    app_graph = {app: set() for app in PROJECT}
    for module, targets in GRAPH.items():
        for target in targets:
            if target.split(".")[0] != module.split(".")[0]:
                app_graph[module.split(".")[0]].add(target.split(".")[0])
    assert not _cycles(app_graph)


def test_no_module_imports_itself_through_others():
    assert not _cycles(GRAPH)


def _cycles(graph):
    """Every cycle found by a depth-first walk, as 'a -> b -> a' strings."""
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_the_scan_sees_the_apps_and_their_imports():
    """Guards the test itself: it reads real modules and finds known edges."""
    assert "comments.views" in MODULES and "articles.views" in MODULES
    assert "articles.views" in GRAPH["comments.views"]
    assert "core.models" in GRAPH["articles.views"]


# Folders of scripts beside the apps (benchmarks, the multi-instance harness): not apps, so the rules
# above do not apply, but a loop between two scripts still makes each one hard to change alone.
TOOL_FOLDERS = ["bench", "cluster"]


def _tool_modules():
    for folder in TOOL_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(part for part in parts if part != "__init__"), path


TOOL_MODULES = dict(_tool_modules())
TOOL_GRAPH = {name: _imports(name, path, TOOL_MODULES, scripts=True) for name, path in TOOL_MODULES.items()}


@pytest.mark.parametrize("folder", TOOL_FOLDERS)
def test_no_script_imports_itself_through_others(folder):
    if not (ROOT / folder).is_dir():
        pytest.skip(f"there is no {folder}/ folder")
    cycles = [cycle for cycle in _cycles(TOOL_GRAPH) if cycle.split(".")[0] == folder or f" {folder}." in cycle]
    assert not cycles, "\n".join(cycles)


def test_the_script_scan_sees_their_imports(tmp_path):
    """Guards the test above: it reads the real scripts, and finds a loop spelt with bare sibling names."""
    assert "bench.wrk_runner" in TOOL_GRAPH["bench.run"]
    (tmp_path / "report.py").write_text("import chart\n")
    (tmp_path / "chart.py").write_text("def draw():\n    from report import totals\n")
    modules = {"tools.report": tmp_path / "report.py", "tools.chart": tmp_path / "chart.py"}
    graph = {name: _imports(name, path, modules, scripts=True) for name, path in modules.items()}
    assert _cycles(graph) == ["tools.chart -> tools.report -> tools.chart"]


# pytest collects only its `testpaths`: a test module outside them never runs, and nothing says so.
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
NOT_SOURCE = {"node_modules", "staticfiles", "media", "artifacts", "__pycache__"}
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def _source_files():
    """The repository's own files, without hidden, installed or generated folders."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name not in NOT_SOURCE]
        for name in files:
            yield (Path(folder) / name).relative_to(ROOT)


def _test_modules_on_disk(patterns):
    return [path for path in _source_files() if any(fnmatch(path.name, pattern) for pattern in patterns)]


def test_pytest_collects_every_test_module_on_disk(pytestconfig):
    testpaths = pytestconfig.getini("testpaths")
    left_out = [
        str(path)
        for path in _test_modules_on_disk(pytestconfig.getini("python_files"))
        if not any(path.is_relative_to(testpath) for testpath in testpaths)
    ]
    assert not left_out, f"add their folders to testpaths in pyproject.toml: {left_out}"


@pytest.mark.parametrize("app", APPS)
def test_every_app_is_tested_linted_and_scanned(app, pytestconfig):
    assert app in pytestconfig.getini("testpaths")
    assert app in PYPROJECT["tool"]["ruff"]["lint"]["isort"]["known-first-party"]
    assert app in PROJECT, "add the app and the apps it may import to ALLOWED above"


def _test_code():
    """Every conftest.py and every module of a tests/ folder, by the name Python imports it as."""
    for path in _source_files():
        parts = path.with_suffix("").parts
        if path.suffix == ".py" and ("tests" in parts or path.name == "conftest.py"):
            yield ".".join(part for part in parts if part != "__init__"), ROOT / path


TEST_CODE = dict(_test_code())
TEST_GRAPH = {name: _imports(name, path, TEST_CODE) for name, path in TEST_CODE.items()}


def test_no_module_imports_a_conftest():
    """pytest loads conftest.py files itself; helpers live in importable modules (tests/support/, factories)."""
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in TEST_GRAPH.items()
        for target in targets
        if target.rpartition(".")[2] == "conftest"
    )
    assert "conftest" in TEST_CODE and "tests.hostile.corpus" in TEST_GRAPH["tests.test_hostile_forms"]
    assert not wrong, "\n".join(wrong)


def test_no_test_helper_imports_itself_through_others():
    cycles = _cycles(TEST_GRAPH)
    assert not cycles, "\n".join(cycles)
