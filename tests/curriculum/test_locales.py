"""Are the curriculum's translation catalogs (curriculum/locales/) complete and usable?"""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from autograder.catalogs import (
    TARGETS,
    catalog_path,
    catalog_problems,
    compiled_path,
    load_glossary,
    mo_bytes,
)
from curriculum import load_syllabus

SYLLABUS = load_syllabus()


@pytest.fixture(scope="module")
def reports():
    return catalog_problems(syllabus=SYLLABUS)


@pytest.mark.parametrize("lang", TARGETS)
def test_every_catalog_is_fully_translated_with_nothing_to_review(reports, lang):
    """Is every text of every unit, guide, widget, check and feedback page translated in this
    language,
    with no entry marked fuzzy and no lost {field} or code span? (Run `make i18n` after
    changing an English text, then translate what it lists.)"""
    mine = [r for r in reports if r.lang == lang]
    names = {r.name for r in mine}
    assert {"widgets", "course", "feedback"} <= names
    assert {unit.id for unit in SYLLABUS.units} <= names
    lines = [line for report in mine for line in report.lines()]
    assert not lines, "\n".join(lines)
    assert all(report.total > 0 for report in mine if report.name != "widgets")


@pytest.mark.parametrize("lang", TARGETS)
def test_compiled_child_side_catalog_matches_its_po(lang):
    """Is widgets/locales/<lang>/LC_MESSAGES/jazari.mo what `make i18n` compiles from the
    committed widgets.po (so a fresh clone shows the same words)?"""
    with catalog_path(SYLLABUS.root, "widgets", lang).open("rb") as handle:
        expected = mo_bytes(read_po(handle, locale=lang))
    assert compiled_path(SYLLABUS.root, lang).read_bytes() == expected


@pytest.mark.parametrize("unit", SYLLABUS.units, ids=lambda unit: unit.id)
def test_every_unit_has_a_glossary(unit):
    """Does every unit list the words it introduces (its glossary.yaml)?"""
    entries = load_glossary(SYLLABUS.root, unit)
    assert len(entries) >= 3
    assert all(entry.term.strip() and entry.meaning.strip() for entry in entries)


def test_widgets_show_translated_labels():
    """After set_language("fr") or ("ar"), are the robot's buttons labelled in that language,
    and back in English after set_language("en")?"""
    from widgets import i18n
    from widgets.robot import Robot, RobotGrid

    try:
        labels = {}
        for lang in ("en", "fr", "ar"):
            i18n.set_language(lang)
            grid = RobotGrid(Robot())
            labels[lang] = [b.description for b in grid._buttons.children]
        assert labels["en"] != labels["fr"] and labels["en"] != labels["ar"]
        assert any("recommence" in label.lower() for label in labels["fr"]), labels["fr"]
        assert all(not any(c.isascii() and c.isalpha() for c in label) for label in labels["ar"])
    finally:
        i18n.set_language("en")
