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
