"""The import rules, as a test: apps depend one way, no module imports itself in a loop, and
none uses another module's private (underscored) names.

`clinic_site` (configuration) may import any app. Below it, each app may import only the apps
listed here; tests and migrations are not scanned. The rules are in docs/ARCHITECTURE.md.
The tools beside the apps (benchmarks, the loopback cluster) may import any app, no app imports
them, and they are held to the same rule against loops.
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
    "staff_security": {"core"},
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


def _imports_outside(graph, package, allowed):
    """Each import in `graph` by a module of `package` of one outside it and the `allowed` packages."""
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if module.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in {package, *allowed}
    )


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_each_app_imports_only_the_apps_below_it(app):
    wrong = _imports_outside(GRAPH, app, ALLOWED[app])
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


# Each tool and the other tools it may import: the cluster borrows the benchmarks' loopback helpers.
TOOLS = {"bench": set(), "cluster": {"bench"}}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_each_tool_imports_only_the_tools_it_builds_on(tool):
    wrong = _imports_outside(TOOL_GRAPH, tool, TOOLS[tool])
    assert not wrong, "\n".join(wrong)


def test_no_app_imports_a_tool():
    everything = {**MODULES, **TOOL_MODULES}
    wrong = sorted(
        f"{name} imports {target}"
        for name, path in MODULES.items()
        for target in _imports(name, path, everything)
        if target.split(".")[0] in TOOLS
    )
    assert not wrong, "\n".join(wrong)


def test_the_scan_sees_the_tools():
    """Guards the test itself: the benchmark and cluster scripts are read too."""
    assert "bench.run" in TOOL_MODULES and "cluster.clustertest" in TOOL_MODULES
    assert "cluster.harness" in TOOL_GRAPH["cluster.clustertest"]


NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def test_the_architecture_notes_count_and_name_every_app():
    """docs/ARCHITECTURE.md counts the apps beside the configuration package and has a rule for each."""
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} - {"clinic_site"}
    notes = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    assert f"`clinic_site/`, and {NUMBERS[len(apps)]} apps beside it" in notes
    table = notes.split("| app | may import |", 1)[1].split("\n\n", 1)[0]
    rules = {name for line in table.splitlines() if line.startswith("| `") for name in _backticked(line.split("|")[1])}
    assert rules == apps | {"clinic_site"}
    assert set(ALLOWED) == apps


def _backticked(cell):
    return [part for index, part in enumerate(cell.split("`")) if index % 2]


def _is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _dotted(node):
    """`a.b.c` for a chain of attribute lookups on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


def _private_uses(name, path):
    """Private names (one leading underscore) of other project modules that `name` imports or reads."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(), str(path))
    modules, found = {}, []  # local name -> project module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in PROJECT:
                    continue
                if any(_is_private(part) for part in alias.name.split(".")):
                    found.append(f"{name} imports {alias.name}")
                if alias.asname:
                    modules[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    modules[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] not in PROJECT or base == name:
                continue
            for alias in node.names:
                if _is_private(alias.name) or any(_is_private(part) for part in base.split(".")):
                    found.append(f"{name} imports {alias.name} from {base}")
                if f"{base}.{alias.name}" in MODULES:
                    modules[alias.asname or alias.name] = f"{base}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            owner = _dotted(node.value)
            if owner is None or owner.split(".")[0] not in modules:
                continue
            head, _dot, rest = owner.partition(".")
            target = ".".join([modules[head], rest] if rest else [modules[head]])
            if target in MODULES and target != name:
                found.append(f"{name} reads {target}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    """A leading underscore means "only this module relies on it": reaching past it from elsewhere
    ties two modules together where neither says so."""
    used = sorted(use for name, path in MODULES.items() for use in _private_uses(name, path))
    assert not used, "\n".join(used)


def test_the_private_name_scan_sees_both_kinds_of_use(tmp_path):
    """Guards the scan itself on a module written for it."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from articles.review import _when, State\n"
        "from articles import review\n"
        "import articles.models\n"
        "review._helper()\n"
        "articles.models._cache\n"
        "review.__doc__\n"
        "other._thing\n"
    )
    assert sorted(_private_uses("core.sample", sample)) == [
        "core.sample imports _when from articles.review",
        "core.sample reads articles.models._cache",
        "core.sample reads articles.review._helper",
    ]


def test_admin_pieces_are_wired_in_admin_modules_not_in_app_configs():
    """An app adds to another app's admin from its own admin.py, which the admin's autodiscovery
    imports: a ready() that imports admin modules loads the admin (and its forms) wherever the
    app runs, and hides the wiring from the file an admin reader opens."""
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if name.endswith(".apps")
        for target in targets
        if "admin" in target.split(".")[1:]
    )
    assert not wrong, "\n".join(wrong)
