"""Tests for autograder/demo.py: the simulated class of 30."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from autograder.demo import CLASS, KIND_MIX, default_units, demo, kinds_for, tracks_for
from autograder.errors import JazariError
from curriculum import load_syllabus


def test_the_class_and_the_mix_of_work():
    """Are there 30 distinct learners, each unit with every kind of work, varied per unit?"""
    assert len({student for student, _first, _last in CLASS}) == 30
    assert all("+" not in student and " " not in student for student, _f, _l in CLASS)
    first, second = kinds_for(0), kinds_for(1)
    assert Counter(first) == Counter(second) == Counter(KIND_MIX)
    assert first != second


def test_the_class_is_split_between_the_tracks_of_the_units():
    """Does each track get half of 30 learners, and is the default one unit per track?"""
    tracks = tracks_for(CLASS, ["explorers", "makers"])
    assert Counter(tracks.values()) == {"explorers": 15, "makers": 15}
    syllabus = load_syllabus()
    units = default_units(syllabus)
    assert [syllabus.unit(unit).track for unit in units] == ["explorers", "makers"]


def test_an_unknown_unit_is_refused_before_anything_is_made(tmp_path):
    """Does `--units` with a typo give one clear line and make no folder?"""
    with pytest.raises(JazariError, match="unknown unit"):
        demo(out=tmp_path / "demo", units=["e99_nothing"], say=lambda line: None)
    assert not (tmp_path / "demo").exists()


@pytest.mark.slow
def test_demo_grades_30_learners_and_scores_fit_the_work(tmp_path):
    """Does the demo grade 30 learners split between two tracks, each track's unit handed in
    by its 15 learners, with scores that fit each kind of work, and write the CSV, the chart
    and the HTML report?"""
    lines = []
    result = demo(out=tmp_path / "demo", say=lines.append)
    assert result.mismatches == []
    assert len(result.report.rows) == 30 and len(result.report.assignments) == 2
    assert sorted(len(by_learner) for by_learner in result.kinds.values()) == [15, 15]
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
    assert "Class gradebook: 30 learners, 2 units" in text and str(result.csv) in text
    assert "15 learners x 1 units" in text  # one table per track, counting its own unit
    assert "report.html" in text
