"""Notebook run time and kernel memory: every unit notebook of the curriculum, beside its target.

Each notebook (the source version, with its solutions, so every cell runs) is copied to a
temporary folder and executed top to bottom in a fresh kernel, the way a child runs it in
class. The script prints, per notebook, the wall time from kernel start to the last cell and
the kernel's peak resident memory (RSS of the kernel and any process it started, sampled
every 20 ms), each beside its track's target with the ratio figure/target:

=================  ===========  ================
track              run time     kernel peak RSS
=================  ===========  ================
Explorers (8-12)   < 20 s       < 200 MB
Makers (13-18)     < 30 s       < 300 MB
=================  ===========  ================

so that 30 children fit on an 8 GB classroom server. Jupyter's folders are private to the
run (nothing is written to the user's own Jupyter data).

    python benchmarks/notebooks.py [--only UNIT ...]

Exit status 1 if a notebook fails to run; figures above target are marked but do not fail
(the machine may be shared and busy: read the ratio, rerun on a quiet machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Per track: (seconds, megabytes).
TARGETS = {"explorers": (20.0, 200.0), "makers": (30.0, 300.0)}


def _peak_rss(client, stop: threading.Event, peak: list[float]) -> None:
    """Sample the kernel's RSS (with its children) until ``stop``; keep the maximum in MB."""
    import psutil

    process = None
    while not stop.is_set():
        if process is None:
            provisioner = getattr(getattr(client, "km", None), "provisioner", None)
            popen = getattr(provisioner, "process", None)
            if popen is not None and popen.pid:
                try:
                    process = psutil.Process(popen.pid)
                except psutil.NoSuchProcess:
                    return
        if process is not None:
            try:
                family = [process, *process.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in family if p.is_running())
                peak[0] = max(peak[0], rss / 2**20)
            except psutil.NoSuchProcess:
                pass
        stop.wait(0.02)


def run_notebook(path: Path, folder: Path, workdir: Path) -> tuple[float, float]:
    """Run ``path`` (with the unit's files from ``folder``) in a fresh kernel: (seconds, MB)."""
    import nbformat
    from nbclient import NotebookClient

    shutil.copytree(folder, workdir, dirs_exist_ok=True)
    notebook = nbformat.read(workdir / path.name, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    stop, peak = threading.Event(), [0.0]
    sampler = threading.Thread(target=_peak_rss, args=(client, stop, peak), daemon=True)
    started = time.perf_counter()
    sampler.start()
    try:
        client.execute()
    finally:
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
    return seconds, peak[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, metavar="UNIT",
                        help="only these unit ids")
    args = parser.parse_args(argv)

    from autograder.homes import private_jupyter
    from curriculum import load_syllabus

    syllabus = load_syllabus()
    units = [u for u in syllabus.units if not args.only or u.id in args.only]
    if args.only and len(units) != len(set(args.only)):
        known = {u.id for u in syllabus.units}
        print(f"unknown unit(s): {', '.join(sorted(set(args.only) - known))}", file=sys.stderr)
        return 2
    print(f"{'notebook':44} {'time':>8} {'target':>7} {'ratio':>6}   "
          f"{'peak RSS':>9} {'target':>7} {'ratio':>6}")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="jazari-bench-nb-") as scratch:
        (Path(scratch) / "jupyter" / "ipython").mkdir(parents=True)
        with private_jupyter(Path(scratch) / "jupyter"):
            os.environ.setdefault("MPLBACKEND", "Agg")
            for unit in units:
                seconds_target, mb_target = TARGETS.get(unit.track, TARGETS["makers"])
                for number, notebook in enumerate(unit.notebooks):
                    path = syllabus.root / notebook
                    name = f"{unit.id}/{path.name}"
                    workdir = Path(scratch) / f"{unit.id}-{number}"
                    try:
                        seconds, megabytes = run_notebook(path, path.parent, workdir)
                    except Exception as error:  # report it and go on with the others
                        failed += 1
                        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
                        print(f"{name:44} FAILED: {type(error).__name__}: {first}")
                        continue
                    over = " *" if seconds > seconds_target or megabytes > mb_target else ""
                    print(f"{name:44} {seconds:7.1f}s {seconds_target:6.0f}s "
                          f"{seconds / seconds_target:6.2f}   {megabytes:7.0f}MB "
                          f"{mb_target:5.0f}MB {megabytes / mb_target:6.2f}{over}")
    print("ratio = figure / target (below 1 meets the target); * marks a figure above target")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: "
              "times are inflated; rerun on a quiet machine")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
