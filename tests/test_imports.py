"""The import structure of builder/: layers that only look down, and no borrowed privates.

Every import statement counts, wherever it is: at the top of a module, inside a function
(a lazy import is still a dependency) or under ``if TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "builder"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


MODULES = _modules()


def _module_of(name: str) -> str:
    """The builder module an imported dotted name lives in (``a.b.c`` → ``a.b`` for a name c);
    "" for a module from outside builder."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports(module: str) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of a builder module."""
    found = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(_module_of(a.name), [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative: resolved against this module's package
                package = module.split(".")
                if MODULES[module].name != "__init__.py":
                    package = package[:-1]
                base = ".".join([*package[: len(package) - node.level + 1], node.module])
            else:
                base = node.module
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in MODULES:
                    found.append((target, [], node.lineno))
                else:
                    found.append((_module_of(base), [alias.name], node.lineno))
    return [(target, names, line) for target, names, line in found if target.startswith("builder")]


def _graph() -> dict[str, set[str]]:
    return {
        module: {target for target, _, _ in _imports(module) if target not in (module, "builder")}
        for module in MODULES
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of graph, as the modules along it, or None."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        trail.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[module] = "done"
        trail.pop()
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_module_of_builder_imports_itself_back_through_others():
    cycle = _cycle(_graph())
    assert cycle is None, "import circle: " + " → ".join(cycle or [])


def test_the_circle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_walk_sees_lazy_and_type_only_imports():
    # pipeline imports the loader inside build_lesson and LoadedLesson for types only.
    targets = {target for target, _, _ in _imports("builder.pipeline")}
    assert {"builder.source", "builder.sourcemap"} <= targets


def test_renderers_do_not_import_the_checks_above_them():
    wrong = [
        f"{module} imports {target} (line {line})"
        for module in MODULES
        if module.startswith("builder.render")
        for target, _, line in _imports(module)
        if target.startswith("builder.check")
    ]
    assert wrong == []


PUBLIC_UNDERSCORES = {"_", "ngettext"}
"""gettext's conventional names (``builder.i18n``), public though they begin with one."""


def test_no_module_borrows_another_modules_private_names():
    borrowed = [
        f"{module} takes {name} from {target} (line {line})"
        for module in MODULES
        for target, names, line in _imports(module)
        for name in names
        if target != module
        and name.startswith("_")
        and not name.startswith("__")
        and name not in PUBLIC_UNDERSCORES
    ]
    assert borrowed == [], "\n".join(borrowed)
