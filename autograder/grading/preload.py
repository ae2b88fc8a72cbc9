"""Which modules the warm runners import before any notebook runs: those the unit uses.

A runner that imports NumPy, scikit-learn and matplotlib spends seconds doing so; for a unit
whose notebooks never use them that is time lost at every start. :func:`choose_preload`
reads the source notebooks' code cells (with Python's ``ast``, after IPython's own
transformation of magics) and keeps:

* the entries of ``c.JazariGrade.preload`` the notebooks import, that hold a module they
  import (``sklearn`` for ``sklearn.neighbors``) or that are part of one (``matplotlib.pyplot``
  for ``matplotlib``), with the companions a package needs to show its output
  (``matplotlib_inline`` for ``matplotlib``); a runner that cannot import one of these says
  so, and the run notes it;
* the modules the notebooks import themselves that are not in the standard library and not
  a file or folder of the unit's own (a preloaded site package of the same name would hide
  the unit's module from its notebooks); these are imported when they can be, silently.

``c.JazariGrade.preload_all = True`` keeps every entry of ``preload``, used or not.
"""

from __future__ import annotations

import ast
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["COMPANIONS", "Preload", "choose_preload", "notebook_imports"]

#: A preloaded package, and the top packages that make it needed although no notebook
#: imports it by name.
COMPANIONS = {"matplotlib_inline": ("matplotlib",)}


@dataclass
class Preload:
    """What the runners import when they start."""

    #: entries of the configured list: a runner that cannot import one says so
    modules: list[str] = field(default_factory=list)
    #: the notebooks' own imports: imported when they can be, without a word otherwise
    optional: list[str] = field(default_factory=list)


def _python(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # a cell IPython cannot read: no imports found in it
        return ""


def notebook_imports(paths: list[Path]) -> list[str]:
    """The absolute modules imported anywhere in the code cells of ``paths``, in order."""
    found: dict[str, None] = {}
    for path in paths:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        for cell in cells if isinstance(cells, list) else []:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            try:
                tree = ast.parse(_python(source))
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        found.setdefault(alias.name, None)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.setdefault(node.module, None)
    return list(found)


def _top(name: str) -> str:
    return name.split(".")[0]


def _used(name: str, imported: list[str]) -> bool:
    """Is ``name`` one of ``imported``, a package holding one, or a part of one?"""
    return any(name == module or module.startswith(name + ".") or name.startswith(module + ".")
               for module in imported)


def choose_preload(*, configured: list[str], notebooks: list[Path], folder: Path | None,
                   preload_all: bool = False) -> Preload:
    """The runners' preload for a unit whose source notebooks are ``notebooks``, in
    ``folder`` (whose own modules are never preloaded)."""
    imported = notebook_imports(notebooks)
    tops = {_top(name) for name in imported}
    kept = [name for name in configured
            if preload_all or _used(name, imported)
            or set(COMPANIONS.get(_top(name), ())) & tops]
    own = set()
    if folder is not None and folder.is_dir():
        own = {path.stem if path.suffix == ".py" else path.name for path in folder.iterdir()}
    optional = [name for name in imported
                if name not in kept and _top(name) not in sys.stdlib_module_names
                and _top(name) not in own and _top(name) != "__future__"]
    return Preload(modules=kept, optional=optional)
