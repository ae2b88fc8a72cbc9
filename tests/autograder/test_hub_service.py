"""The hub's grading service: which units it watches."""

from __future__ import annotations

from autograder.course import open_course
from autograder.hub.service import main, released_units


def _course(tmp_path):
    course = tmp_path / "course"
    (course / "source" / "e01").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'hubtest'\n"
        f"c.Exchange.root = {str(tmp_path / 'exchange')!r}\n", encoding="utf-8")
    return course


def test_the_service_watches_the_released_units_only(tmp_path):
    """Does the service watch exactly the units in the exchange's outbound folder (released),
    not those only in source/, and none before the exchange exists?"""
    course = open_course(_course(tmp_path))
    assert released_units(course) == []
    outbound = tmp_path / "exchange" / "hubtest" / "outbound"
    (outbound / "e02").mkdir(parents=True)
    (outbound / "e01").mkdir()
    (outbound / "notes.txt").write_text("not a unit")
    assert released_units(course) == ["e01", "e02"]


def test_one_look_with_nothing_submitted_grades_nobody(tmp_path, capsys):
    """Does one round of the service on a course with a released unit but no submission
    end quietly, with status 0?"""
    course = _course(tmp_path)
    (tmp_path / "exchange" / "hubtest" / "outbound" / "e01").mkdir(parents=True)
    (tmp_path / "exchange" / "hubtest" / "inbound").mkdir(parents=True)
    assert main(["--course", str(course), "--rounds", "1"]) == 0
    out, err = capsys.readouterr()
    assert "Grading new submissions" in out
    assert err == ""
