"""Can an author update only their own unit's catalogs (python -m autograder.catalogs --unit),
leaving every other catalog as it is?"""

from __future__ import annotations

import nbformat
import pytest

from autograder.catalogs import catalog_path, main, update_catalogs
from autograder.errors import JazariError
from tests.conftest import TOY_SYLLABUS, toy_notebook

SECOND = """\
  - id: t02_other
    title: Add two
    track: explorers
    ages: "8-12"
    big_ideas: [2]
    objectives: [Write another function.]
    minutes: 45
    notebooks: [age_8_12/t02_other/toy.ipynb]
    guide: curriculum/guides/t02_other.md
"""


@pytest.fixture
def two_units(toy_repo):
    root = toy_repo.parent.parent
    (root / "age_8_12" / "t02_other").mkdir()
    nbformat.write(toy_notebook(), root / "age_8_12" / "t02_other" / "toy.ipynb")
    (root / "curriculum" / "guides" / "t02_other.md").write_text("# Add two\n")
    toy_repo.write_text(TOY_SYLLABUS + SECOND)
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    return toy_repo


def _edit_both(root):
    for unit in ("t01_toy", "t02_other"):
        (root / "curriculum" / "guides" / f"{unit}.md").write_text(f"# Add one\n\nNew in {unit}.\n")


@pytest.mark.parametrize("way", ["function", "command"])
def test_update_of_one_unit_writes_only_its_catalogs(two_units, way, capsys):
    """With --unit t01_toy, do t01_toy's catalogs (notebook and guide) take the new texts
    while t02_other's and the widgets/course/feedback catalogs stay byte for byte the same?"""
    root = two_units.parent.parent
    _edit_both(root)
    others = [catalog_path(root, name, lang) for name in ("guide_t02_other", "t02_other",
                                                          "widgets", "course", "feedback")
              for lang in (None, "fr")]
    before = {path: path.read_bytes() for path in others}
    if way == "function":
        update_catalogs(syllabus=two_units, languages=("fr",), units=["t01_toy"])
    else:
        assert main(["--syllabus", str(two_units), "--unit", "t01_toy"]) == 0
        assert "fr:" in capsys.readouterr().out
    assert "New in t01_toy." in catalog_path(root, "guide_t01_toy", "fr").read_text()
    assert {path: path.read_bytes() for path in others} == before


def test_unknown_unit_is_one_clear_line_and_writes_nothing(two_units, capsys):
    """Does --unit with a name not in the syllabus say so in one line, exit non-zero, and
    leave every catalog as it was?"""
    root = two_units.parent.parent
    files = sorted((root / "curriculum" / "locales").rglob("*.po*"))
    before = [path.read_bytes() for path in files]
    assert main(["--syllabus", str(two_units), "--unit", "t09_nope"]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "t09_nope" in error[0] and "t01_toy" in error[0]
    assert [path.read_bytes() for path in files] == before
    with pytest.raises(JazariError, match="t09_nope"):
        update_catalogs(syllabus=two_units, units=["t09_nope"])
