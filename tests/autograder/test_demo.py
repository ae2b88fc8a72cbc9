"""Tests for autograder/demo.py: the simulated class of 30."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from autograder.demo import CLASS, KIND_MIX, demo, kinds_for


def test_the_class_and_the_mix_of_work():
    """Are there 30 distinct learners, each unit with every kind of work, varied per unit?"""
    assert len({student for student, _first, _last in CLASS}) == 30
    assert all("+" not in student and " " not in student for student, _f, _l in CLASS)
    first, second = kinds_for(0), kinds_for(1)
    assert Counter(first) == Counter(second) == Counter(KIND_MIX)
    assert first != second


@pytest.mark.slow
def test_demo_grades_30_learners_and_scores_fit_the_work(tmp_path):
    """Does the demo grade 30 learners × 2 units, with scores that fit each kind of work,
    and write the CSV and the chart?"""
    lines = []
    result = demo(out=tmp_path / "demo", say=lines.append)
    assert result.mismatches == []
    assert len(result.report.rows) == 30 and len(result.report.assignments) == 2
    rows = {row.student: row for row in result.report.rows}
    for unit, by_learner in result.kinds.items():
        possible = result.report.max_scores[unit]
        for student, kind in by_learner.items():
            score = rows[student].scores[unit]
            if kind == "complete":
                assert score == possible
            elif kind == "empty":
                assert score == 0
            else:
                assert 0 <= score < possible, (student, kind, score)
    exported = list(csv.DictReader(result.csv.open()))
    assert len(exported) == 30
    assert result.chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = "\n".join(lines)
    assert "Class gradebook: 30 learners x 2 units" in text and str(result.csv) in text
