"""The import rules, as a test: apps depend one way, and no module imports itself in a loop.

`clinic_site` (configuration) may import any app. Below it, each app may import only the apps
listed here; tests and migrations are not scanned. The rules are in docs/ARCHITECTURE.md.
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


def _modules():
    for package in sorted(PROJECT):
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
            if target and target.split(".")[0] in PROJECT and target != name:
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
