"""The import rules, as a test: apps depend one way, no module imports itself in a loop, and
none uses another module's private (underscored) names.

`clinic_site` (configuration) may import any app. Below it, each app may import only the apps
listed here; tests and migrations are not scanned. The rules are in docs/ARCHITECTURE.md.
The tools beside the apps (benchmarks, the loopback cluster) may import any app, no app imports
them, and they are held to the same rule against loops.
"""

import ast
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
# Each tool and the other tools it may import: the cluster borrows the benchmarks' loopback helpers.
TOOLS = {"bench": set(), "cluster": {"bench"}}
SCANNED = {*PROJECT, *TOOLS}


def _modules():
    for package in sorted(SCANNED):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            name = ".".join(part for part in parts if part != "__init__")
            yield name, path


MODULES = dict(_modules())


def _imports(name, path):
    """Project modules `name` imports, at any depth of its code (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
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
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target.split(".")[0] in SCANNED and target != name:
                found.add(target)
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
    app_graph = {app: set() for app in SCANNED}
    for module, targets in GRAPH.items():
        for target in targets:
            if target.split(".")[0] != module.split(".")[0]:
                app_graph[module.split(".")[0]].add(target.split(".")[0])
    assert not _cycles(app_graph)


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_each_tool_imports_apps_and_only_the_tools_it_builds_on(tool):
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if module.split(".")[0] == tool
        for target in targets
        if target.split(".")[0] in TOOLS and target.split(".")[0] not in {tool, *TOOLS[tool]}
    )
    assert not wrong, "\n".join(wrong)


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


def test_the_scan_sees_the_tools():
    """Guards the test itself: the benchmark and cluster scripts are read too."""
    assert "bench.run" in MODULES and "cluster.clustertest" in MODULES
    assert "cluster.harness" in GRAPH["cluster.clustertest"]


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
