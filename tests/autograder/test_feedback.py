"""Tests for autograder/feedback.py: the children's feedback pages."""

from __future__ import annotations

import re
import textwrap

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from autograder.build import build_course
from autograder.course import open_course
from autograder.feedback import (
    Exercise,
    FeedbackPage,
    _reveals_hidden,
    render_feedback,
    write_feedback,
)
from autograder.grade import grade
from autograder.release import release
from tests.conftest import _meta, submit_notebook, toy_notebook

MARKER = "ZQX-HIDDEN-MARKER-7"


def _notebook_with_pictures():
    """The toy notebook, whose hidden test carries a unique marker, plus two drawings."""
    notebook = toy_notebook()
    tests = notebook.cells[2]
    tests.source = textwrap.dedent(f"""\
        from widgets.checks import expect_equal, well_done
        expect_equal(add_one(1), 2, "add_one(1)")
        ### BEGIN HIDDEN TESTS
        expect_equal(add_one(41), 42, "add_one(41) {MARKER}")
        ### END HIDDEN TESTS
        well_done()""")
    drawing = new_code_cell(textwrap.dedent("""\
        from IPython.display import SVG, display
        import ipywidgets
        display(SVG("<svg xmlns='http://www.w3.org/2000/svg' width='20' height='20'>"
                    "<rect id='SVG-PICTURE' width='20' height='20'/></svg>"))
        ipywidgets.VBox([ipywidgets.HTML("<b>ROBOT-MAP-PICTURE</b>")])"""),
        metadata=_meta("drawing", locked=True))
    notebook.cells[1:1] = [new_markdown_cell("## Add one\nWrite `add_one(n)`: it gives back n plus one.")]
    notebook.cells.append(drawing)
    return notebook


@pytest.fixture
def graded(tmp_path, toy_repo):
    nbformat.write(_notebook_with_pictures(), toy_repo.parent.parent / "age_8_12" / "t01_toy" / "toy.ipynb")
    course = tmp_path / "course"
    build_course(out=course, syllabus=toy_repo)
    release(course=course, assignment="t01_toy")
    released = nbformat.read(course / "release" / "t01_toy" / "toy.ipynb", as_version=4)
    answers = {"yasmine": "def add_one(n):\n    return n + 1",
               "amine": "def add_one(n):\n    return 2 if n == 1 else n",  # fails only hidden
               "salma": "def add_one(n):\n    return n",  # fails the visible check
               "omar": None}  # left blank
    with open_course(course).gradebook() as gb:
        gb.update_or_create_student("yasmine", first_name="Yasmine", last_name="Alaoui")
    for student, code in answers.items():
        copy = nbformat.from_dict(released)
        if code is not None:
            copy.cells[2].source = code
        submit_notebook(course, student, nbformat.writes(copy))
    grade(course=course, assignment="t01_toy", steps=["check", "autograde"])
    pages = write_feedback(course=course, assignment="t01_toy", students=sorted(answers))
    return course, {page.parent.parent.name: page.read_text() for page in pages}


@pytest.mark.slow
def test_feedback_pages_say_what_passed_and_never_show_hidden_tests(graded):
    """Does each child get a page with their score, messages and hints, and no hidden test?"""
    course, pages = graded
    assert sorted(pages) == ["amine", "omar", "salma", "yasmine"]
    for student, page in pages.items():
        assert (course / "feedback" / student / "t01_toy" / "toy.html").is_file()
        assert MARKER not in page, student
        assert "add_one(41)" not in page and "expect_equal" not in page, student
        assert "BEGIN HIDDEN TESTS" not in page and "return n" not in page, student
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), student
        assert "<script" not in page.lower() and "mathjax" not in page.lower(), student
    yasmine = pages["yasmine"]
    assert "Hello Yasmine!" in yasmine and "Your score: 2 out of 2" in yasmine
    assert "Bravo! Every exercise passed." in yasmine and "Not yet" not in yasmine
    amine = pages["amine"]
    assert "Your score: 0 out of 2" in amine and "A hidden check, with other examples" in amine
    assert "Hint: read the exercise again.</span> Write add_one(n): it gives back n plus one." in amine
    salma = pages["salma"]
    assert "The check said: add_one(1) should be 2, but it is 1." in salma
    assert "not answered yet" in pages["omar"]


@pytest.mark.slow
def test_feedback_pages_show_what_the_notebook_drew(graded):
    """Are the notebook's SVG picture and its widget's HTML in the page, offline?"""
    _course, pages = graded
    page = pages["yasmine"]
    assert "What your notebook drew" in page
    assert "data:image/svg+xml;base64," in page
    assert "ROBOT-MAP-PICTURE" in page  # the widget, in the form the grader kept


def test_arabic_pages_are_right_to_left_and_translated():
    """Is a page in Arabic marked lang="ar" and dir="rtl", with its texts from the catalog?"""
    from autograder.catalogs import load_translations
    from curriculum import REPO_ROOT

    english = "Good work! More than half is done. Look at the exercises below that are not passed yet."
    page = FeedbackPage("imane", "Imane", "e01", "robot", "ar", 1.0, 2.0,
                        exercises=[Exercise("Walk", 1.0, 1.0, True), Exercise("Loop", 0.0, 1.0, False)])
    html = render_feedback(page)
    assert '<html lang="ar" dir="rtl">' in html
    arabic = load_translations(REPO_ROOT, "feedback", "ar").get((english, None))
    assert arabic and arabic in html and english not in html
    assert english in render_feedback(FeedbackPage("imane", "Imane", "e01", "robot", "en", 1.0, 2.0,
                                                   exercises=page.exercises))


def test_hidden_detection_uses_only_what_the_hidden_tests_alone_contain():
    """Is a message withheld only when it holds a text or number that only hidden tests have?"""
    source = ('expect_equal(f(3), 9, "f(3)")\n### BEGIN HIDDEN TESTS\n'
              'expect_equal(f(12), 144, "f(12)")\n### END HIDDEN TESTS\n')
    assert _reveals_hidden("f(12) should be 144, but it is 24.", source)
    assert _reveals_hidden("It should be 144.", source)
    assert not _reveals_hidden("f(3) should be 9, but it is 6.", source)
    assert not _reveals_hidden("f(3) should be 9.", 'expect_equal(f(3), 9, "f(3)")')


def test_a_saved_widget_state_is_drawn_in_a_sandboxed_frame(tmp_path):
    """Is a widget whose state the notebook saved drawn from that state, without scripts?"""
    from autograder.feedback import feedback_page

    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "box", "version_major": 2},
            "text/plain": "RobotGrid(...)"}
    state = {"box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_map"]}},
             "map": {"model_name": "HTMLModel", "state": {"value": "<svg id='MAP'></svg>"}}}
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "source": "robot",
                           "outputs": [{"output_type": "display_data", "data": view, "metadata": {}}]}],
                "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": state}}},
                "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "robot.ipynb"
    path.write_text(__import__("json").dumps(notebook))
    page = feedback_page(notebook_path=path, student="s", name="S", assignment="e01", lang="en",
                         scores=None)
    assert [(p.kind, p.content) for p in page.pictures] == [("html", "<svg id='MAP'></svg>")]
    html = render_feedback(page)
    assert ('<iframe sandbox="" title="A picture your notebook drew" '
            'srcdoc="&lt;svg id=&#39;MAP&#39;&gt;') in html


def _checked_notebook(tmp_path, ask: str, error: dict | None):
    """A notebook of one exercise (what it asks, the answer cell, its test cell), whose
    test cell ended with ``error`` (an nbformat error output) or passed."""
    import json

    def meta(**nbgrader):
        return {"nbgrader": {"grade": False, "solution": False, "locked": False,
                             "schema_version": 3, **nbgrader}}

    cells = [{"cell_type": "markdown", "metadata": {}, "source": ask},
             {"cell_type": "code", "metadata": meta(solution=True, grade_id="answer"),
              "source": "program = []", "outputs": [], "execution_count": 1},
             {"cell_type": "code", "metadata": meta(grade=True, grade_id="check", points=2,
                                                     locked=True),
              "source": "expect_equal(len(program), 3, 'len(program)')",
              "outputs": [dict(error, output_type="error")] if error else [],
              "execution_count": 2}]
    path = tmp_path / "robot.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    return path


@pytest.mark.parametrize("error, says, never", [
    ({"ename": "NameError", "evalue": "name 'program' is not defined", "traceback": []},
     "Python did not know the name program", "is not defined"),
    ({"ename": "TypeError", "evalue": "unsupported operand type(s) for +: 'int' and 'str'",
      "traceback": []}, "Your code stopped with an error (TypeError)", "unsupported operand"),
    ({"ename": "NotRun", "evalue": "this cell did not run: the notebook took too long",
      "traceback": []}, "This check did not run", "this cell did not run"),
    ({"ename": "TryAgain", "evalue": "len(program) should be 3, but it is 0.", "traceback": []},
     "The check said: len(program) should be 3, but it is 0.", "Python"),
])
def test_python_errors_are_told_in_plain_words(tmp_path, error, says, never):
    """When a check could not judge because the child's code broke (a name never made, an
    error, a notebook that stopped early), does the page say so in plain words rather than
    show Python's own message, while a check's own "not yet" message is shown as it is?"""
    from autograder.feedback import feedback_page

    page = feedback_page(notebook_path=_checked_notebook(tmp_path, "Make a program.", error),
                         student="s", name="S", assignment="e01", lang="en", scores=None)
    html = render_feedback(page)
    assert says in html and never not in html
    assert not page.exercises[0].passed


def test_hints_are_plain_words_cut_between_words(tmp_path):
    """Is an exercise's text shown as a hint without Markdown marks (bold, code, links), and
    is a long one cut at a space, never in the middle of a word?"""
    from autograder.feedback import HINT_LENGTH, feedback_page

    ask = ("## Exercise 1\n\nMove the robot to **(0, 0)** with `robot.forward()`; "
           "see [the map](map.png) and *count* the steps in `my_list`.\n\n"
           + " ".join(["**Lancer**"] * 80))
    page = feedback_page(notebook_path=_checked_notebook(tmp_path, ask, {
        "ename": "TryAgain", "evalue": "Not yet.", "traceback": []}),
        student="s", name="S", assignment="e01", lang="en", scores=None)
    hint = page.exercises[0].hint
    assert hint.startswith("Move the robot to (0, 0) with robot.forward(); see the map and "
                           "count the steps in my_list.")
    assert "*" not in hint and "`" not in hint and "](" not in hint
    assert hint.endswith("Lancer …") and len(hint) <= HINT_LENGTH + 2
    assert page.exercises[0].title == "Exercise 1"


def test_points_read_the_same_for_one_point_or_many():
    """Does the page show an exercise's points as "points: 1 / 1" (no "1 points"), in French
    too?"""
    exercises = [Exercise("Walk", 1.0, 1.0, True), Exercise("Loop", 0.0, 2.0, False)]
    english = render_feedback(FeedbackPage("s", "S", "e01", "robot", "en", 1.0, 3.0,
                                           exercises=exercises))
    french = render_feedback(FeedbackPage("s", "S", "e01", "robot", "fr", 1.0, 3.0,
                                          exercises=exercises))
    assert "points: 1 / 1" in english and "points: 0 / 2" in english
    assert "points : 1 / 1" in french and "1 points" not in french
