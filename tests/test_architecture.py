"""The package keeps its shape: the layers contract (pyproject.toml, run by lint-imports in
`make test`) holds, no module reaches up to the package root, no Maestro import hides inside a
function, and training and evaluation stay outside the run-time package."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parents[1] / "maestro_ai"


def test_the_layers_contract_holds():
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], capture_output=True, text=True,
                          cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stdout[-3000:]


def test_no_module_imports_the_package_root():
    graph = grimp.build_graph("maestro_ai")
    assert graph.find_modules_that_directly_import("maestro_ai") == set()


# The deliberate exceptions: the console script's entry defers the command line's import so that
# a Ctrl-C during it is caught (the package root defers its names with __getattr__); and
# `maestro serve` and `maestro worker` alone load the server's FastAPI, Celery and boto3 stacks
# (a second no other command pays).
DEFERRED = {"maestro_ai/cli/__init__.py maestro_ai.cli.main"} | {
    f"maestro_ai/cli/serve.py maestro_ai.server.{m}" for m in ("app", "queue", "s3")}


def test_maestro_imports_are_at_the_top_of_each_module():
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                hidden += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {n}" for n in names
                           if n.startswith("maestro_ai") and f"{path.relative_to(PACKAGE.parent)} {n}" not in DEFERRED]
    assert hidden == []


def test_training_and_evaluation_are_not_in_the_package():
    graph = grimp.build_graph("maestro_ai")
    assert not {m for m in graph.modules if m.split(".")[-1] in ("train", "dataset", "corpus", "evaluate", "card")}
    assert not list(PACKAGE.rglob("evaluate*.py"))
