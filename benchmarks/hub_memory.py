"""Memory of one child on a hub: a JupyterLab server and a kernel running a real unit notebook.

For each unit (default: ``e08_neuron_with_sliders`` for the Explorers, ``m06_nearest_neighbour``
and ``m09_neural_networks`` for the Makers), the course is built into a temporary folder
(``jazari build``) and the unit's notebook, with its solutions so that every cell runs, is
copied to a child's folder. Then, as on a hub:

1. a JupyterLab server starts on loopback in that folder, with Jupyter folders of its own
   (the single-user server of a hub is this server plus the hub's login);
2. its JupyterLab page, settings, translations and file list are requested, as a browser does
   when a child opens JupyterLab;
3. a kernel is started through the server's sessions API, and every code cell of the notebook
   is sent through the server's kernel websocket, one after the other, as "Run all" does
   (widgets and plots included; every output goes back through the server).

The server and the kernel (with any process the kernel starts) are sampled every 50 ms; the
script prints the kernel's CPU time and their peak resident memory (RSS) and proportional
memory (PSS: shared library pages divided among the processes sharing them, the fairer share
when many children run on one machine), then the sum per child, and how many children fit on
servers of 8, 16 and 32 GB after 1.5 GB kept for the system and the hub. Nothing is written to the user's own
Jupyter data.

    python benchmarks/hub_memory.py [--units UNIT ...] [--markdown]

deploy/README.md's sizing table comes from this script's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_UNITS = ["e08_neuron_with_sliders", "m06_nearest_neighbour", "m09_neural_networks"]
TOKEN = "hub-memory"
MB = 2**20
#: memory kept for the system, the container runtime and the hub on a server (GB)
RESERVED_GB = 1.5


@dataclass
class Peaks:
    """Peak and last memory of one process family, in MB."""

    rss: float = 0.0
    pss: float = 0.0
    last_rss: float = 0.0
    last_pss: float = 0.0

    def add(self, rss: float, pss: float) -> None:
        self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
        self.last_rss, self.last_pss = rss, pss


@dataclass
class Measure:
    """What one unit cost: the server's and the kernel's memory, and the run time."""

    unit: str
    server: Peaks = field(default_factory=Peaks)
    kernel: Peaks = field(default_factory=Peaks)
    seconds: float = 0.0
    cells: int = 0
    kernel_cpu: float = 0.0  #: CPU seconds (user + system) of the kernel and its children


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _family_memory(processes) -> tuple[float, float]:
    """RSS and PSS (MB) summed over ``processes`` (those that ended are skipped)."""
    import psutil

    rss = pss = 0
    for process in processes:
        try:
            info = process.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss / MB, pss / MB


def _sample(server_pid: int, measure: Measure, stop: threading.Event) -> None:
    """Every 50 ms: the server alone, and its children (the kernel and what it started)."""
    import psutil

    server = psutil.Process(server_pid)
    while not stop.is_set():
        try:
            children = server.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        measure.server.add(*_family_memory([server]))
        if children:
            measure.kernel.add(*_family_memory(children))
            cpu = 0.0
            for child in children:
                try:
                    times = child.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                cpu += times.user + times.system + times.children_user + times.children_system
            measure.kernel_cpu = max(measure.kernel_cpu, cpu)
        stop.wait(0.05)


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read()


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"token {TOKEN}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.load(answer)


def _wait_until_up(server: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab stopped while starting:\n{log.read_text()[-2000:]}")
        try:
            _get(f"{base}/api/status")
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("JupyterLab did not answer within 120 s")


def _open_lab_as_a_browser_does(base: str) -> None:
    """The requests JupyterLab's page makes when it opens (the page, its settings and
    translations, the kernel specs, the file list)."""
    import urllib.error

    for path in ("/lab", "/lab/api/settings", "/lab/api/translations/", "/api/kernelspecs",
                 "/api/contents", "/api/sessions", "/lab/api/workspaces"):
        try:
            _get(base + path)
        except urllib.error.HTTPError:  # an endpoint this JupyterLab lacks: the others count
            continue


async def _run_cells(base: str, kernel_id: str, cells: list[str]) -> None:
    """Send each cell through the server's kernel websocket and wait for its reply."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels?session_id={session}"
    socket_ = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {TOKEN}"}),
                                      max_message_size=512 * MB)
    try:
        for number, code in enumerate(cells, start=1):
            msg_id = uuid.uuid4().hex
            socket_.write_message(json.dumps({
                "header": {"msg_id": msg_id, "username": "child", "session": session,
                           "msg_type": "execute_request", "version": "5.3",
                           "date": datetime.now(UTC).isoformat()},
                "parent_header": {}, "metadata": {}, "buffers": [], "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            }))
            while True:
                raw = await asyncio.wait_for(socket_.read_message(), timeout=300)
                if raw is None:
                    raise RuntimeError("the kernel's websocket closed")
                if isinstance(raw, bytes):  # a binary message (widget buffers): not a reply
                    continue
                message = json.loads(raw)
                if (message.get("channel") == "shell"
                        and message.get("parent_header", {}).get("msg_id") == msg_id):
                    content = message["content"]
                    if content.get("status") != "ok":
                        raise RuntimeError(f"cell {number} failed: {content.get('ename')}: "
                                           f"{content.get('evalue')}")
                    break
    finally:
        socket_.close()


def measure_unit(unit, source: Path, scratch: Path) -> Measure:
    """Start a JupyterLab server in a child's folder holding ``source`` (the unit's folder of
    the built course), open it, run the notebook through it, and sample the memory."""
    import shutil

    import nbformat

    from autograder.config import child_env
    from autograder.homes import jupyter_env

    child = scratch / unit.id / "child"
    shutil.copytree(source, child)
    notebooks = sorted(child.glob("*.ipynb"))
    notebook = nbformat.read(notebooks[0], as_version=4)
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip()]
    env = child_env()
    env.update(jupyter_env(scratch / unit.id / "jupyter"))
    env["HOME"] = str(child)
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = scratch / unit.id / "server.log"
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
               f"--ServerApp.root_dir={child}", "--LabApp.news_url=None",
               *(["--allow-root"] if os.geteuid() == 0 else [])]
    measure = Measure(unit=unit.id, cells=len(cells))
    with log.open("w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env,
                                  cwd=child)
    stop = threading.Event()
    sampler = threading.Thread(target=_sample, args=(server.pid, measure, stop), daemon=True)
    try:
        _wait_until_up(server, base, log)
        sampler.start()
        _open_lab_as_a_browser_does(base)
        started = time.perf_counter()
        session = _post(f"{base}/api/sessions", {"path": notebooks[0].name, "type": "notebook",
                                                 "name": notebooks[0].name,
                                                 "kernel": {"name": "python3"}})
        asyncio.run(_run_cells(base, session["kernel"]["id"], cells))
        measure.seconds = time.perf_counter() - started
        time.sleep(1.0)  # a last sample or two after the last cell
    finally:
        stop.set()
        if sampler.is_alive():
            sampler.join()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return measure


def children_per_server(per_child_mb: float, server_gb: float) -> int:
    """How many children's servers fit in ``server_gb`` after :data:`RESERVED_GB`."""
    return int((server_gb - RESERVED_GB) * 1024 // per_child_mb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", nargs="+", default=DEFAULT_UNITS, metavar="UNIT",
                        help=f"units to run (default: {' '.join(DEFAULT_UNITS)})")
    parser.add_argument("--markdown", action="store_true",
                        help="also print the figures as deploy/README.md's sizing tables")
    args = parser.parse_args(argv)

    import psutil

    from autograder.build import build_course
    from autograder.homes import private_jupyter
    from curriculum import load_syllabus

    syllabus = load_syllabus()
    known = {unit.id: unit for unit in syllabus.units}
    unknown = [name for name in args.units if name not in known]
    if unknown:
        print(f"unknown unit(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    heading = (f"on {datetime.now(UTC):%Y-%m-%d} on {platform.node()} ({os.cpu_count()} cores, "
               f"{psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.system()} "
               f"{platform.release()}, Python {platform.python_version()}, load average "
               f"{os.getloadavg()[0]:.1f} at the start)")
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}: "
          f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    measures = []
    with tempfile.TemporaryDirectory(prefix="jazari-bench-hub-") as folder:
        scratch = Path(folder)
        with private_jupyter(scratch / "jupyter"):
            course = scratch / "course"
            build_course(out=course, units=args.units, exchange=scratch / "exchange")
            for name in args.units:
                try:
                    measures.append(measure_unit(known[name], course / "source" / name, scratch))
                except Exception as error:  # report it and go on with the others
                    print(f"{name}: FAILED: {type(error).__name__}: {error}")
    if not measures:
        return 1
    print(f"\n{'unit':28} {'cells':>5} {'run':>6} {'CPU':>6}   {'server peak':>17}   "
          f"{'kernel peak':>17}   {'child peak':>17}")
    print(f"{'':28} {'':>5} {'':>6} {'':>6}   {'RSS MB':>8} {'PSS MB':>8}   {'RSS MB':>8} "
          f"{'PSS MB':>8}   {'RSS MB':>8} {'PSS MB':>8}")
    for m in measures:
        print(f"{m.unit:28} {m.cells:5d} {m.seconds:5.1f}s {m.kernel_cpu:5.1f}s   "
              f"{m.server.rss:8.0f} {m.server.pss:8.0f}   "
              f"{m.kernel.rss:8.0f} {m.kernel.pss:8.0f}   {m.server.rss + m.kernel.rss:8.0f} "
              f"{m.server.pss + m.kernel.pss:8.0f}")
    worst_rss = max(m.server.rss + m.kernel.rss for m in measures)
    worst_pss = max(m.server.pss + m.kernel.pss for m in measures)
    print(f"\nheaviest child: {worst_rss:.0f} MB RSS, {worst_pss:.0f} MB PSS "
          "(server and kernel at their peaks, added)")
    for gigabytes in (8, 16, 32):
        print(f"  {gigabytes:2d} GB server ({RESERVED_GB} GB kept for the system): "
              f"{children_per_server(worst_rss, gigabytes)} children by RSS, "
              f"{children_per_server(worst_pss, gigabytes)} by PSS")
    if args.markdown:
        print("\n" + markdown_tables(measures, heading=heading))
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: run times "
              "are inflated (memory figures are not)")
    return 0


def markdown_tables(measures: list[Measure], *, heading: str) -> str:
    """The figures as the two tables of deploy/README.md's "Sizing"."""
    lines = [f"Measured {heading}.", "",
             "| unit | cells | kernel CPU | JupyterLab server, peak RSS / PSS "
             "| kernel, peak RSS / PSS | one child, peak RSS / PSS |", "|---|---|---|---|---|---|"]
    for m in measures:
        lines.append(f"| {m.unit} | {m.cells} | {m.kernel_cpu:.1f} s "
                     f"| {m.server.rss:.0f} / {m.server.pss:.0f} MB "
                     f"| {m.kernel.rss:.0f} / {m.kernel.pss:.0f} MB "
                     f"| {m.server.rss + m.kernel.rss:.0f} / {m.server.pss + m.kernel.pss:.0f} MB |")
    worst = max(m.server.rss + m.kernel.rss for m in measures)
    lines += ["", "| server memory | children, measured (heaviest unit, RSS) |", "|---|---|"]
    for gigabytes in (8, 16, 32):
        lines.append(f"| {gigabytes} GB | {children_per_server(worst, gigabytes)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
