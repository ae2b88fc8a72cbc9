"""Library warm-ups: a few lines per library that a warm runner runs once, after its imports.

Importing a library is not all a notebook pays for on first use. scikit-learn builds its
thread-pool controller, its distance-reduction dispatch and its dataframe checks the first
time a model is fitted; matplotlib lays out its first axes and loads its fonts when it first
draws a picture; reading a bundled dataset imports the readers of ``importlib.resources``.
A runner that forks a fresh child per notebook can pay these once, before the first fork,
instead of once per learner.

Each warm-up is trusted code of this module, never a unit's: it runs in the runner before
the harness takes its pristine copies and before any learner's code, and leaves nothing a
notebook can see (no open figure, no changed setting, no random state it relies on: every
child reseeds). Nothing here may start a thread pool that a forked child cannot use: GNU
OpenMP, which scikit-learn's neighbour searches and k-means run on, hangs in a child forked
after the parent used it, so no warm-up predicts with a neighbours model or clusters.
:func:`choose_warm_ups` keeps the warm-ups of the libraries a unit loads.

matplotlib also builds a list of the machine's fonts on its first import (about 0.3 s),
which it keeps in its cache folder. The sandbox's home is a new, empty folder each run, so
the runners would build that list every time: :func:`font_lists` reads the lists this
user's matplotlib already keeps, and the runner puts them in its own cache folder before
importing matplotlib (the fonts are the machine's, which the sandbox sees read-only).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["WARM_UPS", "choose_warm_ups", "font_lists", "matplotlib_cache"]

#: module a unit loads -> lines run once in the runner (in their own namespace)
WARM_UPS: dict[str, str] = {
    "matplotlib.pyplot": """
import io
import matplotlib.pyplot as plt
figure, axes = plt.subplots(1, 2)
axes[0].plot([0, 1], [0, 1], "o-", label="a")
axes[0].scatter([0, 1], [1, 0], c=[0, 1], marker="s")
axes[0].legend(); axes[0].set_title("t"); axes[0].set_xlabel("x"); axes[0].grid(True)
axes[1].imshow([[0, 1], [1, 0]], cmap="gray"); axes[1].bar([0, 1], [1, 2])
figure.colorbar(axes[1].images[0], ax=axes[1])
figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")
plt.close("all")
""",
    "sklearn": """
import numpy as np
from sklearn.utils.validation import check_array, check_X_y
check_X_y(check_array(np.zeros((4, 2))), [0, 1, 0, 1])
try:
    from sklearn.utils.parallel import _get_threadpool_controller
    _get_threadpool_controller()
except ImportError:
    pass
from joblib import cpu_count
cpu_count()
""",
    "sklearn.neighbors": """
from sklearn.neighbors import KNeighborsClassifier
KNeighborsClassifier(n_neighbors=1).fit([[0.0, 0.0], [1.0, 1.0]], [0, 1])
""",
    "sklearn.model_selection": """
import numpy as np
from sklearn.model_selection import train_test_split
train_test_split(np.zeros((10, 2)), np.arange(10) % 2, test_size=0.2, random_state=0,
                 stratify=np.arange(10) % 2)
""",
    "sklearn.datasets": """
from sklearn.datasets import load_iris
load_iris()
""",
    "sklearn.tree": """
from sklearn.tree import DecisionTreeClassifier, export_text
tree = DecisionTreeClassifier(max_depth=1).fit([[0.0], [1.0]], [0, 1])
tree.predict([[0.4]]); export_text(tree)
""",
    "sklearn.linear_model": """
from sklearn.linear_model import LinearRegression
LinearRegression().fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]).predict([[3.0]])
""",
    "sklearn.metrics": """
from sklearn.metrics import accuracy_score, confusion_matrix, mean_squared_error
accuracy_score([0, 1], [0, 1]); confusion_matrix([0, 1], [0, 1])
mean_squared_error([0.0, 1.0], [0.0, 1.0])
""",
}


def _used(name: str, loaded: list[str]) -> bool:
    return any(name == module or module.startswith(name + ".") for module in loaded)


def choose_warm_ups(loaded: list[str], table: dict[str, str] | None = None) -> list[str]:
    """The warm-ups, in the table's order, of the modules in ``loaded`` (or their parts)."""
    table = WARM_UPS if table is None else table
    return [source for name, source in table.items() if _used(name, loaded)]


#: The largest font list passed to the runners (a list of tens of thousands of fonts).
FONT_LIST_BYTES = 8 << 20


def matplotlib_cache(environ=None) -> Path:
    """The folder matplotlib keeps its cache in, for the environment ``environ``, worked
    out as matplotlib does (without importing it): ``MPLCONFIGDIR``, else
    ``$XDG_CACHE_HOME/matplotlib``, else ``~/.cache/matplotlib``."""
    environ = os.environ if environ is None else environ
    if environ.get("MPLCONFIGDIR"):
        return Path(environ["MPLCONFIGDIR"])
    cache = environ.get("XDG_CACHE_HOME") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".cache")
    return Path(cache) / "matplotlib"


def font_lists(environ=None) -> dict[str, str]:
    """The font lists (``fontlist-v*.json``, file name -> text) in this user's matplotlib
    cache folder; empty if there are none (the runners then build theirs)."""
    found = {}
    try:
        paths = sorted(matplotlib_cache(environ).glob("fontlist-v*.json"))
    except OSError:
        return found
    for path in paths:
        try:
            if path.is_file() and path.stat().st_size <= FONT_LIST_BYTES:
                found[path.name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return found
