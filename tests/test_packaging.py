"""Does the built wheel carry the whole curriculum, so a hub server that installs it (not an
editable checkout) can build a course?

The wheel is built from a copy of the working tree (so no ``build/`` folder is left in the
checkout and no stale one leaks in), offline with the installed setuptools. It is installed
into a fresh virtual environment that sees the already installed dependencies through a
``.pth`` line (nothing downloads), and that environment's ``jazari build`` runs from a folder
outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.homes import jupyter_env
from curriculum import REPO_ROOT, load_syllabus

pytestmark = pytest.mark.slow

#: The folders of the checkout whose files must all travel in the wheel.
SHIPPED = ("autograder", "widgets", "curriculum", "age_8_12", "age_13_18")
#: Top-level folders of the checkout that must never be in the wheel.
NOT_SHIPPED = ("tests", ".venv", "screenshots", "benchmarks", "build", ".git")
_SKIPPED = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                  ".ipynb_checkpoints", ".ruff_cache", "*.pyc", "jazari-demo")


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **options)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _source_files(root: Path) -> set[str]:
    """The files under the SHIPPED folders, as wheel names (no caches, nothing hidden)."""
    found = set()
    for top in SHIPPED:
        for path in (root / top).rglob("*"):
            relative = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                          for part in relative.parts):
                found.add(relative.as_posix())
    return found


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of the working tree, with a stand-in .venv that must not be packaged."""
    copy = tmp_path_factory.mktemp("packaging") / "src"
    shutil.copytree(REPO_ROOT, copy, ignore=_SKIPPED)
    stand_in = copy / ".venv" / "lib" / "python3.11" / "site-packages" / "stand_in"
    stand_in.mkdir(parents=True)
    (stand_in / "__init__.py").write_text("")
    return copy


@pytest.fixture(scope="module")
def wheel(source) -> Path:
    """The wheel built from ``source``, offline, with the setuptools already installed."""
    dist = source.parent / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--no-cache-dir", "--quiet", "--wheel-dir", str(dist), str(source)],
         cwd=source.parent)
    (found,) = dist.glob("jazari_classroom-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel) -> Path:
    """A fresh virtual environment with the wheel installed; returns its ``bin/`` folder."""
    venv = wheel.parent.parent / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
          "--no-index", "--no-cache-dir", "--quiet", str(wheel)])
    # The dependencies: the site folders of the environment running the tests, added after the
    # venv's own site-packages (a plain path line: their .pth files, such as the checkout's
    # editable install, are not run).
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
                   .stdout.strip())
    (purelib / "jazari_test_dependencies.pth").write_text(
        "".join(f"{folder}\n" for folder in site.getsitepackages()), encoding="utf-8")
    return venv / "bin"


def _grade_ids(notebook) -> list[str]:
    return [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("grade")]


def _env(bin_folder: Path, state: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    env.update(jupyter_env(state))
    # nbgrader runs `alembic` from PATH: the venv's bin/ first, then the dependencies' scripts
    env["PATH"] = os.pathsep.join([str(bin_folder), sysconfig.get_path("scripts"), env["PATH"]])
    return env


def test_wheel_holds_every_curriculum_file_and_no_tests(wheel, source):
    """Does the wheel hold every file of the packages and unit folders (notebooks,
    mistakes.yaml, glossary.yaml, words.yaml, data, guides, catalogs, compiled .mo files, templates,
    lab_config) and nothing of tests/, .venv/ or screenshots/?"""
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = _source_files(source)
    assert wanted - names == set()
    unit_files = {name for name in wanted if name.startswith(("age_8_12/", "age_13_18/"))}
    assert {Path(name).suffix for name in unit_files} >= {".ipynb", ".yaml"}
    assert {Path(name).name for name in unit_files} >= {"mistakes.yaml", "glossary.yaml",
                                                         "words.yaml"}
    for required in ("curriculum/syllabus.yaml", "widgets/locales/fr/LC_MESSAGES/jazari.mo",
                     "widgets/locales/ar/LC_MESSAGES/jazari.mo", "autograder/lab_config/nbgrader_config.py",
                     "autograder/templates/feedback.html.j2",
                     "curriculum/locales/fr/LC_MESSAGES/course.po"):
        assert required in names
    tops = {name.split("/")[0] for name in names}
    assert tops & set(NOT_SHIPPED) == set()
    assert [name for name in names if "__pycache__" in name or name.endswith(".pyc")] == []
    assert {top for top in tops if not top.endswith(".dist-info")} == set(SHIPPED)


def test_installed_wheel_builds_every_unit_in_english_and_french(installed, tmp_path):
    """Does ``jazari build`` from the installed wheel, run outside the checkout, make a course
    with every unit of the syllabus, its notebooks, files and guide, in English and French?"""
    env = _env(installed, tmp_path / "jupyter")
    where = tmp_path / "elsewhere"
    where.mkdir()
    found = _run([str(installed / "python"), "-c",
                  "import curriculum, autograder, widgets; "
                  "print(curriculum.REPO_ROOT); print(autograder.__file__); print(widgets.__file__)"],
                 cwd=where, env=env).stdout.split()
    for path in found:
        assert Path(path).resolve().is_relative_to(installed.parent.resolve())
        assert not Path(path).resolve().is_relative_to(REPO_ROOT)

    syllabus = load_syllabus()  # the checkout's: every unit in it must be in the course
    courses = {}
    for lang in ("en", "fr"):
        course = where / f"course-{lang}"
        result = _run([str(installed / "jazari"), "build", "--out", course.name, "--lang", lang],
                      cwd=where, env=env)
        assert f"Built {len(syllabus.units)} units" in result.stdout
        for unit in syllabus.units:
            folder = course / "source" / unit.id
            for notebook in unit.notebooks:
                built = nbformat.read(folder / Path(notebook).name, as_version=4)
                nbformat.validate(built)
                original = nbformat.read(REPO_ROOT / notebook, as_version=4)
                assert _grade_ids(built) == _grade_ids(original) != []
            for extra in unit.files:
                assert (folder / extra).read_bytes() == (REPO_ROOT / unit.folder / extra).read_bytes()
            assert (course / "guides" / f"{unit.id}.md").read_text(encoding="utf-8").strip()
        courses[lang] = course

    for unit in syllabus.units:  # the French course is translated, not a copy of the English
        english, french = ((courses[lang] / "guides" / f"{unit.id}.md").read_text(encoding="utf-8")
                           for lang in ("en", "fr"))
        assert english != french
    assert "c.ClearSolutions.code_stub" in (courses["fr"] / "nbgrader_config.py").read_text()
