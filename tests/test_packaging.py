"""What `pip install crosswire` installs is what the code imports: every third-party module that
src/ imports comes from a distribution pyproject.toml declares (a dependency or an extra)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from conftest import ROOT

# Imported by a dependency that does not declare it, so ours must: trafilatura and jusText import
# lxml.html.clean, which lxml 5.2 moved out into lxml_html_clean (lxml 6 dropped the extra).
UNDECLARED_BY_DEPENDENCIES = {"lxml-html-clean"}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [req for group in project["optional-dependencies"].values() for req in group]
    return {_name(req) for req in [*project["dependencies"], *extras]}


def _imported() -> set[str]:
    found = set()
    for path in (ROOT / "src" / "crosswire").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"crosswire"}


def test_every_imported_module_is_declared() -> None:
    declared = _declared()
    owners = packages_distributions()
    for module in sorted(_imported()):
        assert module in owners, f"{module} is imported but no installed distribution provides it"
        assert {_name(owner) for owner in owners[module]} & declared, f"{module}: declare {owners[module]}"
    assert declared >= UNDECLARED_BY_DEPENDENCIES
