"""No import cycles in serving/ or tune/ (module-level imports; function-level ones are deliberate
late imports), and importing the package starts nothing (no Ray, no torch at import time)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _module(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in tree.body:  # module level only; `if TYPE_CHECKING:` blocks do not run
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if isinstance(node, (ast.Import, ast.ImportFrom, ast.Try, ast.If)) else []:
            if isinstance(sub, ast.Import):
                found |= {a.name for a in sub.names}
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                found.add(sub.module)
                found |= {f"{sub.module}.{a.name}" for a in sub.names}
    return {m for m in found if m.startswith("rayscore")}


def test_no_import_cycles_in_serving_or_tune():
    modules = {_module(p): p for p in SRC.rglob("*.py")}
    graph = {m: {i for i in _top_level_imports(p) if i in modules and i != m} for m, p in modules.items()}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        for nxt in graph[node]:
            if nxt in stack:
                cycle = stack[stack.index(nxt):] + [nxt]
                if any(".serving" in c or ".tune" in c for c in cycle):
                    cycles.append(" -> ".join(cycle))
            elif len(stack) < 40:
                visit(nxt, [*stack, nxt])

    for start in [m for m in graph if ".serving" in m or ".tune" in m]:
        visit(start, [start])
    assert not cycles, "\n".join(sorted(set(cycles))[:10])


def test_importing_the_library_starts_nothing_heavy():
    code = ("import sys, rayscore, rayscore.cli, rayscore.tasks; from rayscore.tasks import list_tasks; list_tasks();"
            "print(sorted(m for m in ('ray', 'ray.serve') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"  # no Ray at import time: tasks register without starting anything
