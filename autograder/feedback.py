"""Feedback pages for children: one self-contained HTML page per graded notebook.

:func:`write_feedback` reads ``autograded/<student>/<unit>/*.ipynb`` and the gradebook, and
writes ``feedback/<student>/<unit>/<notebook>.html`` in the class's language: the score,
which exercises passed, the message the check gave, what the exercise asked (a hint) for
each one not passed yet, a word of encouragement, and the pictures the notebook drew
(widgets included, from their saved state). nbgrader's exchange returns the folder to the
child (``ReleaseFeedback``), who sees it in the Assignments tab.

What never appears: the code of any test cell. A check's message is shown only when it
says nothing that only the hidden tests know (one of their texts or numbers); otherwise the
child reads that a hidden check, with other examples, did not pass yet. The page loads
nothing from elsewhere (no CDN, no MathJax): inline CSS, pictures as data URIs, HTML drawn by
the notebook inside a sandboxed frame (no scripts).

Texts go through gettext (catalog ``feedback`` under ``curriculum/locales/<lang>/``);
a text without a translation stays English.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from autograder.errors import JazariError

__all__ = ["CATALOG", "Exercise", "FeedbackPage", "feedback_page", "render_feedback",
           "write_feedback"]

#: The gettext catalog of the feedback pages' texts.
CATALOG = "feedback"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_RTL = {"ar"}
#: Files of the autograded folder copied beside the pages (the exchange needs them).
_KEPT = ("timestamp.txt", "submission_secret.txt")
_HIDDEN = re.compile(r"^\s*#+\s*BEGIN HIDDEN TESTS.*?^\s*#+\s*END HIDDEN TESTS[^\n]*$",
                     re.M | re.S)
_STRING = re.compile(r"""(?:[rbuf]{0,2})("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?!\w|\.\d)")


@dataclass
class Picture:
    """Something the notebook drew: an image (data URI), HTML (sandboxed) or a description."""

    kind: str  #: "image", "html" or "text"
    content: str


@dataclass
class Exercise:
    """One graded check of the notebook, as the child sees it."""

    title: str
    points: float
    max_points: float
    passed: bool
    message: str = ""  #: what the check said (or that a hidden check did not pass)
    hint: str = ""  #: what the exercise asked, when not passed
    hidden: bool = False  #: the message was withheld because it came from hidden tests
    #: why the check could not judge, in the child's words on the page: "" (it judged),
    #: "name" (a name the check needs was never made), "error" (the code stopped with an
    #: error) or "not run" (the notebook stopped before the check)
    problem: str = ""
    detail: str = ""  #: the missing name, or the kind of error


@dataclass
class FeedbackPage:
    """Everything one feedback page shows."""

    student: str
    name: str
    assignment: str
    notebook: str
    lang: str
    score: float
    max_score: float
    exercises: list[Exercise] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(exercise.passed for exercise in self.exercises)


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _literals(code: str) -> tuple[set[str], set[str]]:
    strings = {m.group(1)[1:-1] for m in _STRING.finditer(code)}
    numbers = set(_NUMBER.findall(_STRING.sub(" ", code)))
    return {s for s in strings if len(s.strip()) >= 2}, numbers


def _reveals_hidden(message: str, source: str) -> bool:
    """Does ``message`` contain a text or number that only the hidden tests of ``source`` have?"""
    hidden_code = "\n".join(m.group(0) for m in _HIDDEN.finditer(source))
    if not hidden_code:
        return False
    visible_code = _HIDDEN.sub("", source)
    hidden_strings, hidden_numbers = _literals(hidden_code)
    visible_strings, visible_numbers = _literals(visible_code)
    if any(text in message for text in hidden_strings - visible_strings):
        return True
    said = set(_NUMBER.findall(message))
    return bool(said & (hidden_numbers - visible_numbers))


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _check_message(cell) -> tuple[str, str]:
    """(error name, message) of a test cell's outputs: its error, else what it printed."""
    printed = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", ""), output.get("evalue", "")
        if output.get("output_type") == "stream":
            printed.append(_text(output.get("text")))
    return "", "".join(printed).strip()


#: Errors by which a check says "not yet" (its message is meant for the child).
_CHECK_ERRORS = {"TryAgain", "AssertionError"}
_MISSING_NAME = re.compile(r"name '([^']+)' is not defined")
_CODE_SPAN = re.compile(r"(`+[^`]+`+)")
_MARKDOWN = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # pictures: their description
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # italics
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+"), ""),  # list marks
    (re.compile(r"^\s*>\s?"), ""),  # quotes
]
#: The longest hint, in characters (cut at a space, never inside a word).
HINT_LENGTH = 400


def _plain(markdown_line: str) -> str:
    """One line of Markdown as the plain words a child reads (no ``**``, backticks, links);
    what code spans hold stays as written."""
    parts = _CODE_SPAN.split(re.sub(r"<[^>]+>", "", markdown_line))
    for at in range(0, len(parts), 2):  # the words between code spans
        for pattern, replacement in _MARKDOWN:
            if at and pattern.pattern.startswith("^"):
                continue
            parts[at] = pattern.sub(replacement, parts[at])
        parts[at] = parts[at].replace("**", "")
    for at in range(1, len(parts), 2):
        parts[at] = parts[at].strip("`")
    return "".join(parts).strip()


def _shortened(text: str, length: int = HINT_LENGTH) -> str:
    if len(text) <= length:
        return text
    cut = text[:length + 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > length // 2 else text[:length]).rstrip(" ,;:") + " …"


def _problem(ename: str, message: str) -> tuple[str, str]:
    """(problem, detail) of a test cell's error that is not a check's "not yet"."""
    if not ename or ename in _CHECK_ERRORS:
        return "", ""
    if ename == "NotRun":
        return "not run", ""
    if ename == "NameError":
        found = _MISSING_NAME.search(message)
        return "name", found.group(1) if found else ""
    return "error", ename


def _exercise_text(cells, index: int) -> tuple[str, str]:
    """(title, what it asks) from the Markdown just before the answer the test at ``index`` checks."""
    answer = index
    while answer > 0 and not _meta(cells[answer]).get("solution"):
        answer -= 1
    for i in range(answer - 1, -1, -1):
        if cells[i].get("cell_type") == "markdown":
            lines = [line.strip() for line in _source(cells[i]).splitlines() if line.strip()]
            title = next((_plain(line.lstrip("#")) for line in lines if line.startswith("#")),
                         "")
            body = " ".join(_plain(line) for line in lines if not line.startswith("#"))
            return title, _shortened(" ".join(body.split()))
        if _meta(cells[i]).get("grade") or _meta(cells[i]).get("solution"):
            break
    return "", ""


def _widget_html(state: dict, model_id: str, depth: int = 0) -> list[str]:
    """The HTML a saved widget shows (HTML, Label, Image and the boxes holding them)."""
    model = state.get(model_id)
    if model is None or depth > 20:
        return []
    name, values = model.get("model_name", ""), model.get("state", {})
    if name in ("HTMLModel", "HTMLMathModel"):
        return [str(values.get("value", ""))]
    if name == "LabelModel":
        return [jinja2.utils.markupsafe.escape(str(values.get("value", "")))]
    if name == "ImageModel" and values.get("value"):
        return []  # binary buffers are not kept in the saved state
    html = []
    for child in values.get("children", []) or []:
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            html += _widget_html(state, child[len("IPY_MODEL_"):], depth + 1)
    return html


def _pictures(notebook: dict, test_cells: set[int]) -> list[Picture]:
    state = (notebook.get("metadata", {}).get("widgets", {})
             .get("application/vnd.jupyter.widget-state+json", {}).get("state", {}))
    pictures: list[Picture] = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code" or index in test_cells:
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                pictures.append(Picture("image", "data:image/png;base64,"
                                        + _text(data["image/png"]).replace("\n", "")))
            elif "image/svg+xml" in data:
                svg = _text(data["image/svg+xml"]).encode("utf-8")
                pictures.append(Picture("image", "data:image/svg+xml;base64,"
                                        + base64.b64encode(svg).decode("ascii")))
            elif "application/vnd.jupyter.widget-view+json" in data:
                # A widget: its saved state (if the grader kept it), else its HTML or text form.
                view = data["application/vnd.jupyter.widget-view+json"]
                html = _widget_html(state, view.get("model_id", ""))
                if html:
                    pictures.append(Picture("html", "".join(str(part) for part in html)))
                elif "text/html" in data:
                    pictures.append(Picture("html", _text(data["text/html"])))
                elif "text/plain" in data:
                    pictures.append(Picture("text", _text(data["text/plain"])))
            elif "text/html" in data:
                pictures.append(Picture("html", _text(data["text/html"])))
    return pictures


def feedback_page(*, notebook_path: Path, student: str, name: str, assignment: str, lang: str,
                  scores: dict[str, float] | None) -> FeedbackPage:
    """Read one autograded notebook (and its cell scores from the gradebook) into a page."""
    try:
        notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise JazariError(f"{notebook_path}: cannot be read ({error})") from None
    page = FeedbackPage(student, name, assignment, notebook_path.stem, lang, 0.0, 0.0)
    tests: set[int] = set()
    for index, cell in enumerate(cells):
        meta = _meta(cell)
        if not meta.get("grade") or meta.get("solution"):
            continue
        tests.add(index)
        grade_id = meta.get("grade_id", f"cell {index}")
        max_points = float(meta.get("points", 0) or 0)
        ename, message = _check_message(cell)
        if scores is not None and grade_id in scores:
            points = scores[grade_id]
        else:  # no gradebook entry: a cell passes when it raised nothing
            points = 0.0 if ename else max_points
        passed = points >= max_points
        title, asked = _exercise_text(cells, index)
        exercise = Exercise(title=title, points=points, max_points=max_points, passed=passed)
        if message and _reveals_hidden(message, _source(cell)):
            exercise.hidden = True
        elif ename == "NotImplementedError" or "NotImplementedError" in message:
            exercise.message = "__not_answered__"
        elif not passed and _problem(ename, message)[0]:
            # Python's own words ("name 'program' is not defined") are not for the page.
            exercise.problem, exercise.detail = _problem(ename, message)
        else:
            exercise.message = message
        if not passed:
            exercise.hint = asked
        page.exercises.append(exercise)
        page.score += points
        page.max_score += max_points
    page.pictures = _pictures(notebook, tests)
    return page


def _translations(lang: str):
    """A gettext-like object for ``lang`` from the ``feedback`` catalog (English if none)."""
    from curriculum import REPO_ROOT

    found: dict = {}
    if lang != "en":
        try:
            from autograder.catalogs import load_translations

            found = load_translations(REPO_ROOT, CATALOG, lang)
        except (ImportError, OSError, ValueError):
            found = {}

    class _Catalog:
        def gettext(self, text):
            return found.get((text, None), text)

        def ngettext(self, singular, plural, n):
            return self.gettext(singular if n == 1 else plural)

        def pgettext(self, context, text):
            return found.get((text, context), text)

        def npgettext(self, context, singular, plural, n):
            return self.pgettext(context, singular if n == 1 else plural)

    return _Catalog()


def render_feedback(page: FeedbackPage) -> str:
    """The page's HTML, in its language."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(_translations(page.lang), newstyle=True)
    env.filters["pts"] = lambda value: f"{value:g}"
    ratio = page.score / page.max_score if page.max_score else 0.0
    mood = "all" if page.exercises and page.passed == len(page.exercises) else (
        "half" if ratio >= 0.5 else "start")
    return env.get_template("feedback.html.j2").render(
        page=page, mood=mood, direction="rtl" if page.lang in _RTL else "ltr")


def _write(path: Path, text: str) -> None:
    from autograder.reports.exports import atomic_write

    atomic_write(path, text.encode("utf-8"))


def write_feedback(*, course, assignment: str, students: list[str],
                   lang: str | None = None) -> list[Path]:
    """Write ``feedback/<student>/<assignment>/<notebook>.html`` for each graded notebook.

    ``course`` is a course folder (or an opened :class:`~autograder.course.Course`);
    ``lang`` defaults to the language the course was built in. Returns the pages written.
    A learner without an autograded copy gets no page.
    """
    from autograder.course import Course, open_course
    from autograder.manifest import course_manifest
    from autograder.reports.gradebook import read_cell_scores, read_gradebook

    opened = course if isinstance(course, Course) else open_course(course)
    lang = lang or course_manifest(opened.root).lang
    data = read_gradebook(opened.db_url, where=str(opened.root))
    scores = read_cell_scores(opened.db_url, assignment)
    written = []
    for student in students:
        folder = opened.root / "autograded" / student / assignment
        first, last, _email = data.students.get(student, ("", "", ""))
        name = first or student
        for notebook_path in sorted(folder.glob("*.ipynb")):
            try:
                page = feedback_page(notebook_path=notebook_path, student=student, name=name,
                                     assignment=assignment, lang=lang,
                                     scores=scores.get((student, assignment)))
            except JazariError:
                continue  # an unreadable graded copy: no page, the others still get theirs
            target = opened.root / "feedback" / student / assignment / f"{notebook_path.stem}.html"
            _write(target, render_feedback(page))
            written.append(target)
        for name in _KEPT:  # what nbgrader's ReleaseFeedback needs to return the page
            if (folder / name).is_file() and written and written[-1].parent.is_dir():
                shutil.copy2(folder / name, written[-1].parent / name)
    return written
