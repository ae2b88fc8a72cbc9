"""The libraries' warm-ups that a warm runner runs once before any notebook."""

from __future__ import annotations

import json
import subprocess
import sys

from autograder.grading.warmups import WARM_UPS, choose_warm_ups

#: runs every warm-up as the runner does, and says which failed and what they left open
PROBE = """
import json, os, sys, warnings
os.environ["MPLBACKEND"] = "agg"
sources = json.loads(sys.stdin.read())
failed = {}
for name, source in sources.items():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, "<warm-up>", "exec"), {"__name__": "__warm_up__"})
    except Exception as error:
        failed[name] = f"{type(error).__name__}: {error}"
import matplotlib.pyplot as plt
print(json.dumps({"failed": failed, "figures": plt.get_fignums()}))
"""


def test_every_warm_up_runs_and_leaves_no_figure_open():
    """Does each library's warm-up run without an error (one that fails only wastes the
    runner's time, silently), and leave no figure open for the first notebook to find?"""
    done = subprocess.run([sys.executable, "-c", PROBE], input=json.dumps(WARM_UPS),
                          capture_output=True, text=True, timeout=300, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"failed": {}, "figures": []}


def test_warm_ups_follow_what_the_unit_loads():
    """Are only the warm-ups of the libraries a unit loads (or of the packages they belong
    to) chosen?"""
    chosen = choose_warm_ups(["numpy", "sklearn.neighbors", "widgets"])
    assert chosen == [WARM_UPS["sklearn"], WARM_UPS["sklearn.neighbors"]]
    assert choose_warm_ups(["numpy", "widgets"]) == []
    assert WARM_UPS["matplotlib.pyplot"] in choose_warm_ups(["matplotlib.pyplot"])


#: in a fresh home: build matplotlib's font list (or take the one seeded), say what it holds
FONTS = """
import json, os, sys
sys.path.insert(0, os.environ["JAZARI_ROOT"])
seed = json.loads(sys.stdin.read())
if seed:
    from autograder.grading.runner import _seed_font_lists
    _seed_font_lists(seed)
from matplotlib import font_manager
print(json.dumps(sorted({font.name for font in font_manager.fontManager.ttflist})))
"""


def _fonts_in(home, seed: dict) -> list[str]:
    from pathlib import Path

    env = {"HOME": str(home), "PATH": "/usr/bin:/bin",
           "JAZARI_ROOT": str(Path(__file__).resolve().parents[2])}
    found = subprocess.run([sys.executable, "-c", FONTS], input=json.dumps(seed), env=env,
                           capture_output=True, text=True, check=True, timeout=120)
    return json.loads(found.stdout)


def test_a_runner_takes_the_font_list_matplotlib_keeps_instead_of_building_one(tmp_path):
    """Does a runner in a new, empty home use the font list the coordinator's matplotlib
    keeps (so it does not spend time building one), and does font_lists find that list
    where matplotlib keeps it?"""
    from autograder.grading.warmups import font_lists, matplotlib_cache

    first = tmp_path / "first"
    built = _fonts_in(first, {})  # matplotlib builds and keeps its list there
    kept = font_lists({"HOME": str(first)})
    assert kept and all(name.startswith("fontlist-v") for name in kept)
    assert matplotlib_cache({"HOME": str(first)}) == first / ".cache" / "matplotlib"
    assert matplotlib_cache({"HOME": "/x", "MPLCONFIGDIR": "/y"}).as_posix() == "/y"
    assert font_lists({"HOME": str(tmp_path / "nobody")}) == {}

    # A list with one more font than the machine has: found in the runner's matplotlib
    # only if it read the seeded list rather than building its own.
    name, text = next(iter(kept.items()))
    listed = json.loads(text)
    marker = dict(listed["ttflist"][0], name="Jazari Marker Font")
    listed["ttflist"].append(marker)
    seeded = _fonts_in(tmp_path / "runner", {name: json.dumps(listed)})
    assert "Jazari Marker Font" in seeded and "Jazari Marker Font" not in built
    assert set(built) <= set(seeded)
    # A name that is not a font list, or that leaves the folder, is not written.
    _fonts_in(tmp_path / "odd", {"../escape.json": "{}", "matplotlibrc": "backend: agg"})
    assert not (tmp_path / "odd" / ".cache" / "escape.json").exists()
    assert not (tmp_path / "odd" / ".cache" / "matplotlib" / "matplotlibrc").exists()
