"""Every unit, built in French and in Arabic, runs and grades like the English one.

The courses are built with `jazari build --lang` in a temporary folder. Each built source
notebook runs from top to bottom (as nbval does); the released blank version scores 0 and
the solution full marks on every graded cell, graded by nbgrader; the code, the tests and
the grade ids are the English ones, with only texts for people translated.

What the run shows is then read as a child who knows no English would meet it: printed lines,
displayed values, the texts of the plots (drawn as SVG with their words kept as text) and the
state of every widget. No English text of the unit's code may be there, unless it is a word
of the class's language too, a name, or data the unit keeps as it is (:data:`KEPT`).
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import nbformat
import pytest

from autograder.build import build_course
from autograder.catalogs import load_data_words, load_translations
from autograder.course import open_course
from autograder.grade import grade
from autograder.homes import private_jupyter
from autograder.notebooks import graded_cells, nbgrader_meta, read_notebook
from curriculum import load_syllabus

SYLLABUS = load_syllabus()
UNITS = [unit.id for unit in SYLLABUS.units]
LANGS = ["fr", "ar"]
#: What the checks say when they pass, in each language (widgets' "Well done!").
WELL_DONE = {"fr": "Bravo", "ar": "أحسنت"}


@pytest.fixture(scope="module")
def courses(request, tmp_path_factory):
    """A course built in each language, of the units the selected tests ask for (``-k unit``
    builds one): ``{lang: course folder}``."""
    asked = {item.callspec.params["unit_id"] for item in request.session.items
             if hasattr(item, "callspec") and "unit_id" in item.callspec.params}
    built = {}
    for lang in LANGS:
        course = tmp_path_factory.mktemp(f"course_{lang}") / "course"
        build_course(out=course, lang=lang, syllabus=SYLLABUS,
                     units=[unit for unit in UNITS if unit in asked] or None)
        config = course / "nbgrader_config.py"
        config.write_text(config.read_text() + "\nc.Execute.timeout = 10\n")
        built[lang] = course
    return built


def _built(course: Path, unit) -> dict[str, nbformat.NotebookNode]:
    return {Path(nb).name: read_notebook(course / "source" / unit.id / Path(nb).name)
            for nb in unit.notebooks}


class _Shape(ast.NodeTransformer):
    """The code without its texts: every string constant emptied (comments are not in the AST)."""

    def visit_Constant(self, node):
        return ast.Constant("") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node):
        return ast.Constant("")


def _shape(source: str) -> str:
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")]
    return ast.dump(_Shape().visit(ast.parse("\n".join(lines))))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit_id", UNITS)
def test_only_texts_change_never_code_tests_or_grade_ids(courses, unit_id, lang):
    """In the built notebook, are the cells, their metadata and grade ids the English ones,
    the code (hidden tests included) the same once its texts are set aside, the setup cell
    in the class's language, and Arabic markdown written right to left?"""
    unit = SYLLABUS.unit(unit_id)
    for name, built in _built(courses[lang], unit).items():
        source = read_notebook(SYLLABUS.root / unit.folder / name)
        assert len(built.cells) == len(source.cells) + 1  # the glossary at the end
        for before, after in zip(source.cells, built.cells, strict=False):
            assert after.cell_type == before.cell_type and after.metadata == before.metadata
            if after.cell_type == "code":
                assert _shape(after.source) == _shape(before.source), before.source[:80]
            elif lang == "ar" and after.source.strip():
                assert after.source.startswith('<div dir="rtl">') or after.source.startswith("```")
        setup = next(cell.source for cell in built.cells if cell.cell_type == "code")
        assert f'setup(lang="{lang}")' in setup
        assert [nbgrader_meta(c)["grade_id"] for c in graded_cells(built)] == [
            nbgrader_meta(c)["grade_id"] for c in graded_cells(source)]
    assert (courses[lang] / "guides" / f"{unit_id}.md").is_file()


#: English a unit's run may still show, by unit: names of things that are names in every
#: language (species, algorithms). A word the code compares or uses as a key and a child
#: reads belongs in the unit's words.yaml instead (the build translates it in code and checks
#: alike); a text for people never belongs here.
KEPT = {
    "m02_data_and_plots": {"setosa", "versicolor", "virginica"},  # Latin species names
    "m04_search_and_games": {"bfs"},  # MazeSearch(algorithm="bfs"): the algorithm's name
}
#: Library names, which stay as they are in every language.
LIBRARIES = {"NumPy", "scikit-learn", "matplotlib", "Python", "Jupyter"}
_SVG_TEXT = ("import matplotlib\n"
             "matplotlib.rcParams['svg.fonttype'] = 'none'\n"
             "get_ipython().run_line_magic('config', \"InlineBackend.figure_formats = ['svg']\")\n")
_executed: dict = {}


@pytest.fixture(scope="module")
def jupyter_state(tmp_path_factory):
    """Private Jupyter folders whose IPython draws plots as SVG with their words as text."""
    state = tmp_path_factory.mktemp("jupyter")
    startup = state / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-svg-text.py").write_text(_SVG_TEXT)
    return state


def _run(courses, jupyter_state, unit, lang) -> dict[str, nbformat.NotebookNode]:
    """The unit's built notebooks in ``lang``, run from top to bottom (once per module)."""
    from nbclient import NotebookClient

    if (unit.id, lang) not in _executed:
        folder = courses[lang] / "source" / unit.id
        ran = {}
        for name, notebook in _built(courses[lang], unit).items():
            with private_jupyter(jupyter_state):
                NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                               resources={"metadata": {"path": str(folder)}}).execute()
            ran[name] = notebook
        _executed[(unit.id, lang)] = ran
    return _executed[(unit.id, lang)]


def _visible(html_text: str) -> str:
    """The words of HTML or SVG a child reads or hears: text between tags, aria-labels, titles."""
    said = re.findall(r"""(?:aria-label|title|alt|placeholder)=(["'])(.*?)\1""", html_text)
    return html.unescape(re.sub(r"<[^>]*>", " ", html_text) + "\n"
                         + "\n".join(value for _quote, value in said))


def shown_text(notebook) -> str:
    """Everything the run of ``notebook`` shows: its outputs and its widgets' states."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                parts.append(output.text)
            elif output.output_type == "error":
                parts.append(f"{output.ename}: {output.evalue}")
            else:
                data = output.get("data", {})
                # A widget is drawn from its state (below), not from its text/plain repr.
                plain = () if "application/vnd.jupyter.widget-view+json" in data else (
                    "text/plain",)
                parts += [data[mime] for mime in (*plain, "text/markdown") if mime in data]
                parts += [_visible(data[mime]) for mime in ("text/html", "image/svg+xml")
                          if mime in data]
    widgets = notebook.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})

    def strings(value):
        if isinstance(value, str):
            parts.append(_visible(value) if "<" in value else value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    for model in widgets.values():
        state = model.get("state", {})
        # (an icon's name, such as "rotate-left", is drawn as a picture, not read)
        strings({key: value for key, value in state.items()
                 if not key.startswith("_") and key != "icon"})
        strings(state.get("_options_labels", []))
    return "\n".join(parts)


def english_strings(notebook) -> set[str]:
    """The string literals of a notebook's code that a run may show (hidden tests left out)."""
    found = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                           for line in source.split("\n"))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        found |= {node.value.strip() for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return {text for text in found if re.search(r"[a-z]{2}", text)}


def english_shown(english: set[str], shown: str, *, allowed: set[str], words: set[str]):
    """The English strings found, as whole words, in what a run showed."""
    found = []
    for text in sorted(english):
        if (text in allowed or text.lower() in words or re.fullmatch(r"[A-Z][a-z]+", text)
                or re.fullmatch(r"\w+_\w+", text)
                or set(re.findall(r"[^\W\d_][\w-]*", text)) <= LIBRARIES):
            continue  # data kept, a word of the class's language too, a name, code, a library
        if re.search(r"(?<!\w)" + re.escape(text) + r"(?!\w)", shown):
            found.append(text)
    return found


def _words_of(translations, data_words=()) -> set[str]:
    """The words of the class's language: those of the unit's translations, outside their
    code spans (which keep English code) and quoted data words (which the build replaces)."""
    quoted = (re.compile("([\"'])(?:" + "|".join(map(re.escape, data_words)) + ")\\1")
              if data_words else None)
    texts = []
    for text in translations:
        text = re.sub(r"(`+).+?\1", " ", text, flags=re.S)
        texts.append(quoted.sub(" ", text) if quoted else text)
    return {word.lower() for text in texts for word in re.findall(r"[^\W\d_]+", text)} | {
        text.strip().lower() for text in texts}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit_id", UNITS)
def test_built_notebook_runs_from_top_to_bottom(courses, jupyter_state, unit_id, lang):
    """Does every cell of the built source notebook run without an error (as nbval checks),
    and do its checks praise the child in the class's language?"""
    unit = SYLLABUS.unit(unit_id)
    for name, notebook in _run(courses, jupyter_state, unit, lang).items():
        errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
                  if output.output_type == "error"]
        assert not errors, f"{name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
        printed = "".join(output.get("text", "") for cell in notebook.cells
                          for output in cell.get("outputs", []) if output.output_type == "stream")
        assert WELL_DONE[lang] in printed


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit_id", UNITS)
def test_a_child_meets_no_english_in_what_the_notebook_shows(courses, jupyter_state, unit_id,
                                                             lang):
    """Run in this language, does the notebook show (printed, displayed, in a plot's labels
    or a widget) none of the English strings of its code: no chatbot reply, axis label,
    printed word or docstring left in English? (Data the unit keeps is listed in KEPT.)"""
    unit = SYLLABUS.unit(unit_id)
    words = _words_of(load_translations(SYLLABUS.root, unit_id, lang).values(),
                      load_data_words(SYLLABUS.root, unit))
    for name, notebook in _run(courses, jupyter_state, unit, lang).items():
        english = english_strings(read_notebook(SYLLABUS.root / unit.folder / name))
        found = english_shown(english, shown_text(notebook), allowed=KEPT.get(unit_id, set()),
                              words=words)
        assert not found, (f"{name} in {lang} shows English: {found[:12]}; translate them "
                           f"(autograder/texts.py says which strings the build translates)")


@pytest.fixture(scope="module")
def graded(courses):
    """Hand in the blank and the solution version of a unit in a language and grade them
    with nbgrader, once per module and only for the units asked for (so ``-k unit`` grades
    one unit). ``graded(lang, unit_id)`` returns ``{student: {grade_id: (score, max)}}``."""
    scores: dict = {}

    def grade_unit(lang: str, unit_id: str) -> dict:
        if (lang, unit_id) in scores:
            return scores[(lang, unit_id)]
        course, unit = courses[lang], SYLLABUS.unit(unit_id)
        opened = open_course(course)
        result = opened.api().generate_assignment(unit.id, force=True, create=True)
        assert result["success"], result.get("error")
        for student in ("blank", "solution"):
            folder = course / "submitted" / student / unit.id
            folder.mkdir(parents=True)
            for name in _built(course, unit):
                chosen = "release" if student == "blank" else "source"
                nbformat.write(read_notebook(course / chosen / unit.id / name), folder / name)
        run = grade(course=course, assignment=unit.id, steps=["check", "autograde"])
        assert not run.problems, [f"{r.student}: {r.problem}" for r in run.problems]
        with opened.gradebook() as gradebook:
            for student in ("blank", "solution"):
                cells = {}
                for name, notebook in _built(course, unit).items():
                    for cell in graded_cells(notebook):
                        grade_id = nbgrader_meta(cell)["grade_id"]
                        found = gradebook.find_grade(grade_id, Path(name).stem, unit.id, student)
                        cells[grade_id] = (found.score, found.max_score)
                scores.setdefault((lang, unit.id), {})[student] = cells
        return scores[(lang, unit.id)]

    return grade_unit


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("unit_id", UNITS)
def test_blank_scores_zero_and_solution_full_marks_in_every_language(graded, unit_id, lang):
    """Built in this language, does the blank notebook score 0 and the solution full marks
    on every graded cell?"""
    cells = graded(lang, unit_id)
    assert cells["blank"] and all(score == 0 for score, _max in cells["blank"].values())
    assert all(score == maximum > 0 for score, maximum in cells["solution"].values())
    assert cells["blank"].keys() == cells["solution"].keys()
