"""Tests for autograder/report.py and autograder/reports/: the class gradebook per track."""

from __future__ import annotations

import csv
import re
import shutil

import pytest

from autograder.cli import main
from autograder.errors import JazariError
from autograder.reports import (
    class_report,
    format_table,
    render_html,
    write_csv,
    write_long_csv,
    write_moodle_csv,
)
from tests.autograder.report_helpers import make_course

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

NAMES = {"yasmine": ("Yasmine", "Alaoui"), "omar": ("Omar", "Tazi"), "salma": ("Salma", "Chraibi"),
         "amine": ("Amine", "Benali"), "imane": ("Imane", "Bennani")}


@pytest.fixture(scope="module")
def made_course(tmp_path_factory):
    """Explorers Yasmine (7/8), Omar (timed out); Makers Amine (4/10), Salma (nothing);
    Imane has no stored track and did only the Makers unit."""
    return make_course(tmp_path_factory.mktemp("made") / "class_a", {
        "yasmine": {"e_robot": {"e1": 2, "e2": 2, "e3": 3}},
        "omar": {"e_robot": {"e1": 0, "e2": 0, "e3": 0}},
        "amine": {"m_knn": {"m1": 4, "m2": 0}},
        "imane": {"m_knn": {"m1": 5, "m2": 5}},
    }, names=NAMES, tracks={"yasmine": "explorers", "omar": "explorers", "amine": "makers",
                            "salma": "makers"},
        outcome_status={("omar", "e_robot"): ("timed out", "took longer than 300 s")})


@pytest.fixture
def course(made_course, tmp_path):
    """A fresh copy of the made course for each test (making one takes seconds)."""
    copy = tmp_path / "class_a"
    shutil.copytree(made_course, copy)
    return copy


def _row(report, student):
    return next(row for row in report.rows if row.student == student)


def test_an_explorer_is_counted_only_on_the_explorers_units(course):
    """Does an Explorer with 7 of 8 on the robot unit show 88 %, not 35 % with the Makers unit?"""
    report = class_report(course=course)
    titles = [track.title for track in report.tracks]
    assert titles == ["Explorers", "Makers"]
    explorers, makers = report.tracks
    yasmine = _row(report, "yasmine")
    assert explorers.unit_ids == ["e_robot"] and list(yasmine.marks) == ["e_robot"]
    assert explorers.total(yasmine) == (7.0, 8.0) and round(explorers.percent(yasmine)) == 88
    assert yasmine not in explorers.needs_help()
    assert makers.unit_ids == ["m_knn"]
    assert {row.student for row in makers.rows} == {"amine", "salma", "imane"}
    assert (_row(report, "imane").track, _row(report, "imane").track_source) == ("makers", "inferred")
    assert _row(report, "salma").marks["m_knn"].status == "not submitted"


def test_the_table_shows_statuses_and_stored_reasons(course):
    """Does the table say 'timed out' with the stored reason, and '-' for nothing submitted?"""
    table = format_table(class_report(course=course))
    lines = table.splitlines()
    assert any(re.match(r"Omar Tazi\s+T\s+0/8\s+0$", line) for line in lines)
    assert "  Omar Tazi, e_robot: timed out: took longer than 300 s" in lines
    assert any(re.match(r"Salma Chraibi\s+-\s+0/10\s+0$", line) for line in lines)
    assert any(re.match(r"Yasmine Alaoui\s+7/8\s+7/8\s+88$", line) for line in lines)
    assert "Track: Explorers — 2 learners x 1 units" in table


def test_mastery_per_objective_and_big_idea_and_who_needs_help(course):
    """Are objectives and big ideas scored from the mapped cells, and the missed cells named?"""
    report = class_report(course=course)
    explorers, makers = report.tracks
    loop = explorers.objectives()[1]
    assert (loop.text, loop.cells) == ("Repeat with a loop.", ["e2", "e3"])
    # Yasmine 5 of 6 on the loop cells; Omar timed out, so he is not scored on it.
    assert explorers.class_objective(loop) == (pytest.approx(500 / 6), 1)
    distance, vote = makers.objectives()
    assert makers.class_objective(distance) == (pytest.approx(90.0), 2)  # 80 % and 100 %
    assert makers.class_idea(3) == (pytest.approx(70.0), 2)  # (4 + 10) / 20
    help_rows = dict((o.label, below) for o, below in makers.help_by_objective())
    assert [(row.student, value, missed) for row, value, missed in help_rows["m_knn #2"]] == [
        ("amine", 0.0, ["m2"])]
    table = format_table(report)
    assert "Below 50% on m_knn #2 (Vote with k neighbours.):\n  Amine Benali 0%: missed m2" in table
    assert "  3 Learning: 70% (2 learners)" in table


def test_wide_long_and_moodle_csv(course, tmp_path):
    """Do the CSV files hold one row per learner, one per cell, and Moodle's columns?"""
    report = class_report(course=course)
    tmp_path = tmp_path / "exports"
    wide = list(csv.DictReader(write_csv(report, tmp_path / "out" / "wide.csv").open()))
    assert [row["student_id"] for row in wide] == ["amine", "imane", "omar", "salma", "yasmine"]
    yasmine = wide[-1]
    assert (yasmine["e_robot_score"], yasmine["e_robot_max"], yasmine["percent"]) == ("7", "8", "87.5")
    assert (yasmine["m_knn_status"], yasmine["m_knn_score"]) == ("not in track", "")
    assert (wide[2]["e_robot_status"], wide[2]["e_robot_reason"]) == (
        "timed out", "took longer than 300 s")
    long = list(csv.DictReader(write_long_csv(report, tmp_path / "long.csv").open()))
    assert len(long) == 3 * 2 + 2 * 3  # Explorers: 2 learners x 3 cells; Makers: 3 x 2
    e3 = next(r for r in long if r["student_id"] == "yasmine" and r["cell"] == "e3")
    assert (e3["score"], e3["max_score"], e3["objective"], e3["objective_text"]) == (
        "3", "4", "2", "Repeat with a loop.")
    moodle = list(csv.reader(write_moodle_csv(report, tmp_path / "moodle.csv").open()))
    assert moodle[0] == ["ID number", "Email address", "First name", "Last name", "e_robot",
                         "e_robot feedback", "m_knn", "m_knn feedback"]
    assert ["yasmine", "", "Yasmine", "Alaoui", "7", "graded", "", ""] in moodle
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "long.csv", "moodle.csv", "wide.csv"]  # no temporary files left behind


def test_pseudonyms_are_stable_keyed_and_hide_names(course, tmp_path):
    """Do pseudonymised exports hide ids and names, and give each learner the same pseudonym?"""
    report = class_report(course=course)
    first = (write_csv(report, tmp_path / "a.csv", pseudonymise=True)).read_text()
    again = (write_long_csv(class_report(course=course), tmp_path / "b.csv",
                            pseudonymise=True)).read_text()
    for text in (first, again, render_html(report, pseudonymise=True)):
        for student, (first_name, last_name) in NAMES.items():
            assert student not in text and first_name not in text and last_name not in text
    pseudonyms = [row["pseudonym"] for row in csv.DictReader(first.splitlines())]
    assert len(set(pseudonyms)) == 5 and all(re.fullmatch(r"L-[0-9a-f]{12}", p) for p in pseudonyms)
    assert set(pseudonyms) == {row["pseudonym"] for row in csv.DictReader(again.splitlines())}
    key = course / ".jazari_pseudonym_key"
    assert key.stat().st_mode & 0o077 == 0  # only the course's owner can read the key
    key.write_text("another secret of at least thirty-two characters")
    changed = write_csv(class_report(course=course), tmp_path / "c.csv", pseudonymise=True)
    assert not set(pseudonyms) & {row["pseudonym"] for row in csv.DictReader(changed.open())}


def test_html_report_is_self_contained(course):
    """Does the HTML page show the tables, reasons and charts, loading nothing from elsewhere?"""
    page = render_html(class_report(course=course))
    assert "took longer than 300 s" in page and "Yasmine Alaoui" in page
    assert "Mastery by AI4K12 big idea" in page and "Repeat with a loop." in page
    assert page.count("data:image/png;base64,") >= 5  # 2 charts per track + mastery
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in page


def test_several_classes_merge_into_one_report(course, tmp_path):
    """Are two centres' gradebooks merged, with the same id kept apart by course?"""
    other = make_course(tmp_path / "class_b", {
        "yasmine": {"e_robot": {"e1": 0, "e2": 0, "e3": 0}},
        "hamza": {"e_robot": {"e1": 2, "e2": 2, "e3": 4}}},
        names={"yasmine": ("Yasmine", "Idrissi")}, tracks={"yasmine": "explorers"})
    report = class_report(courses=[course, other])
    explorers = report.tracks[0]
    keys = {row.key: explorers.total(row)[0] for row in explorers.rows}
    assert keys == {"class_a/yasmine": 7.0, "class_a/omar": 0.0, "class_b/yasmine": 0.0,
                    "class_b/hamza": 8.0}
    assert explorers.average("e_robot") == pytest.approx(5.0)  # Omar timed out: 7, 0, 8
    table = format_table(report)
    assert "Yasmine Idrissi [class_b]" in table and "Yasmine Alaoui [class_a]" in table


def test_a_course_without_manifest_falls_back_with_a_note(tmp_path):
    """Does a course built before manifests use the repository's syllabus and say so?"""
    course = make_course(tmp_path / "old", {"yasmine": {"e_robot": {"e1": 2}}}, manifest=False)
    report = class_report(course=course)
    assert any("no jazari_course.yaml" in note for note in report.notes)
    assert "Note: " in format_table(report)
    # e_robot is not in the repository's syllabus: its units are kept apart, not guessed.
    assert [(track.id, track.title) for track in report.tracks] == [("", "units not in the syllabus")]


def test_cli_writes_every_export(course, tmp_path, capsys):
    """Does `jazari report` write the HTML, CSV and Moodle files and name them?"""
    out = tmp_path / "out"
    status = main(["report", "--course", str(course), "--html", str(out / "r.html"),
                   "--csv", str(out / "w.csv"), "--long-csv", str(out / "l.csv"),
                   "--moodle", str(out / "m.csv"), "--chart", str(out / "c.png")])
    printed = capsys.readouterr().out
    assert status == 0
    assert f"HTML report: {out / 'r.html'}" in printed and "Track: Makers" in printed
    assert sorted(p.name for p in out.iterdir()) == ["c.png", "l.csv", "m.csv", "r.html", "w.csv"]
    assert (out / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("problem", ["missing", "corrupt", "not nbgrader", "unknown unit",
                                     "unwritable", "moodle pseudonyms"])
def test_bad_input_is_one_line_and_writes_nothing(course, tmp_path, capsys, problem):
    """Does each bad input give one 'jazari:' line, exit 2, and leave no file behind?"""
    import sqlite3

    out = tmp_path / "out"
    args = ["report", "--course", str(course), "--csv", str(out / "w.csv")]
    if problem == "missing":
        (course / "gradebook.db").unlink()
    elif problem == "corrupt":
        (course / "gradebook.db").write_bytes(b"this is not a database" * 100)
    elif problem == "not nbgrader":
        (course / "gradebook.db").unlink()
        sqlite3.connect(course / "gradebook.db").execute("create table x (y int)").connection.commit()
    elif problem == "unknown unit":
        args += ["--unit", "e_nope"]
    elif problem == "unwritable":
        out.write_text("a file where the folder should be")
        args[-1] = str(out / "sub" / "w.csv")
    elif problem == "moodle pseudonyms":
        args += ["--moodle", str(out / "m.csv"), "--pseudonymise"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("jazari: "), err
    expected = {"missing": "no gradebook", "corrupt": "cannot be read",
                "not nbgrader": "not an nbgrader gradebook", "unknown unit": "unknown unit(s) e_nope",
                "unwritable": "cannot write", "moodle pseudonyms": "--moodle needs"}[problem]
    assert expected in err[0]
    assert not out.is_dir() or not any(out.iterdir())


def test_report_function_raises_jazari_error_for_a_missing_course(tmp_path):
    """Is a course folder that does not exist one clear error?"""
    with pytest.raises(JazariError, match="no such course folder"):
        class_report(course=tmp_path / "nowhere")
