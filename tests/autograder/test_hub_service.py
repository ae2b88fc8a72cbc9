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


def test_a_submission_under_another_childs_id_is_set_aside(tmp_path):
    """Is a submission whose folder was made by another account than the one of the id it
    carries (a child handing in as someone else) moved aside, with a line saying who sent
    it, while the real owner's submission stays to be collected?"""
    import os
    import pwd

    from autograder.hub.service import set_aside_forged

    nobody = pwd.getpwnam("nobody")
    inbound = tmp_path / "inbound"
    genuine = inbound / "nobody+e01+2026-11-29 10:00:00.000000 UTC+abc"
    forged = inbound / "nobody+e01+2026-11-29 10:01:00.000000 UTC+def"
    genuine.mkdir(parents=True)
    forged.mkdir()
    os.chown(genuine, nobody.pw_uid, nobody.pw_gid)  # made by nobody; forged by root
    (inbound / "not a submission").mkdir()
    said = []
    moved = set_aside_forged(inbound, prefix="", aside=tmp_path / "aside",
                             say=lambda *args, **kwargs: said.append(args[0]))
    assert moved == [forged.name]
    assert sorted(p.name for p in inbound.iterdir()) == sorted([genuine.name,
                                                                "not a submission"])
    assert (tmp_path / "aside" / forged.name).is_dir()
    assert said == [f"jazari: set aside {forged.name}: handed in by {pwd.getpwuid(0).pw_name}, "
                    f"not by nobody (in {tmp_path / 'aside'})"]


def test_a_submission_of_an_id_without_an_account_is_set_aside(tmp_path):
    """Is a submission under an id that has no account on the hub set aside?"""
    from autograder.hub.service import set_aside_forged

    inbound = tmp_path / "inbound"
    (inbound / "ghost+e01+2026-11-29 10:00:00.000000 UTC+abc").mkdir(parents=True)
    moved = set_aside_forged(inbound, prefix="jz-never-", aside=tmp_path / "aside",
                             say=lambda *args, **kwargs: None)
    assert len(moved) == 1 and not any(inbound.iterdir())
