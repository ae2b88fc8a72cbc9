"""Tests for autograder/mistakes.py: the plausible wrong answers kept beside each unit."""

from __future__ import annotations

import pytest

from autograder.errors import JazariError
from autograder.mistakes import load_mistakes
from curriculum import load_syllabus


def test_every_unit_has_readable_mistakes():
    """Does every unit of the syllabus keep a readable mistakes.yaml?"""
    syllabus = load_syllabus()
    for unit in syllabus.units:
        mistakes = load_mistakes(syllabus.root / unit.folder / "mistakes.yaml")
        assert mistakes and all(m.code.strip() and m.why for m in mistakes)
        assert all((m.passes and not m.fails) if m.kind == "correct" else (m.fails and not m.passes)
                   for m in mistakes)


@pytest.mark.parametrize("text, expected", [
    ("- answer: [", "not valid YAML"),
    ("answer: a", "must be a list of mistakes"),
    ("- answer: a\n  kind: wrong\n  why: w\n  code: x\n", "mistake #1 needs answer, kind, why, fails"),
    ("- {answer: a, kind: silly, why: w, fails: [t], code: x}\n", "kind must be one of wrong, raises"),
    ("- {answer: a, kind: correct, why: w, fails: [t], code: x}\n", "lists the cells it passes"),
])
def test_malformed_files_are_named(tmp_path, text, expected):
    """Is a malformed mistakes file reported in one line naming it?"""
    path = tmp_path / "mistakes.yaml"
    path.write_text(text)
    with pytest.raises(JazariError) as caught:
        load_mistakes(path)
    assert str(caught.value).startswith(f"{path}: ") and expected in str(caught.value)
