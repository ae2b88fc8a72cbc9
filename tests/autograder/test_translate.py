"""Tests for finding texts (autograder.texts), the catalogs (autograder.catalogs) and the
build in another language (autograder.translate, jazari build --lang)."""

from __future__ import annotations

import ast

import nbformat
import pytest
from babel.messages.pofile import read_po, write_po

from autograder.build import build_course
from autograder.catalogs import catalog_path, catalog_problems, update_catalogs
from autograder.errors import JazariError
from autograder.texts import code_texts, markdown_texts
from autograder.translate import _rtl


def _collect(function, source):
    found = []
    out = function(source, lambda text: found.append(text) or text)
    return found, out


MARKDOWN = """\
## Idea 1: The map

The robot lives on a **grid**.
Each square has `(x, y)` and $x^2$.

- Use `robot.forward()` to move.
- Press **Start again**,
  then try once more.

| command | what it does |
|---|---|
| `robot.left()` | turns left |

```python
robot.run(program)  # runs the whole list
```
`robot.forward()`"""


def test_markdown_texts_are_headings_paragraphs_items_and_cells_not_code():
    """Are headings, paragraphs, list items and table cells texts, while code spans alone,
    table rules and fenced code (but its comments) are not, and is nothing else changed?"""
    found, out = _collect(markdown_texts, MARKDOWN)
    assert found == ["Idea 1: The map",
                     "The robot lives on a **grid**.\nEach square has `(x, y)` and $x^2$.",
                     "Use `robot.forward()` to move.",
                     "Press **Start again**,\nthen try once more.",
                     "command", "what it does", "turns left", "runs the whole list"]
    assert out == MARKDOWN


def test_markdown_translation_keeps_the_shape():
    """Does a translated list item keep its marker and indent its second line?"""
    french = {"Press **Start again**,\nthen try once more.":
              "Appuie sur **Recommencer**,\npuis essaie encore.",
              "turns left": "tourne à gauche", "runs the whole list": "exécute toute la liste"}
    out = markdown_texts(MARKDOWN, lambda t: french.get(t, t))
    assert "- Appuie sur **Recommencer**,\n  puis essaie encore." in out
    assert "| `robot.left()` | tourne à gauche |" in out
    assert "robot.run(program)  # exécute toute la liste" in out


CODE = '''\
# Test cell: run it.
from widgets.checks import check, expect_equal, well_done
### BEGIN HIDDEN TESTS
expect_equal(robot.bumps, 0, "The number of bumps", hint="Go around the wall.")
check(len(program) <= 12,
      f"Your program has {len(program)} commands. "
      "Use 12 or fewer.")
expect_equal(f(1), 2, "f(1)")
robot.run(["forward", "left"])
### END HIDDEN TESTS
well_done("Well done, Salma!")  # a kind word
'''


def test_code_texts_are_comments_and_messages_of_checks_only():
    """Are comments and the strings given to checks found, and never code, data, expressions
    or nbgrader's markers?"""
    found, out = _collect(code_texts, CODE)
    assert sorted(found) == sorted([
        "Test cell: run it.", "The number of bumps", "Go around the wall.",
        "Your program has {len(program)} commands. Use 12 or fewer.",
        "Well done, Salma!", "a kind word"])
    assert out == CODE


def test_translated_code_runs_the_same_logic_with_french_messages():
    """Is translated code still valid Python, with the f-string's field still computed and
    the logic, data and hidden-test markers unchanged?"""
    french = {"Your program has {len(program)} commands. Use 12 or fewer.":
              "Ton programme a {len(program)} commandes. Utilise-en 12 ou moins, \"promis\".",
              "Test cell: run it.": "Cellule de test : exécute-la."}
    out = code_texts(CODE, lambda t: french.get(t, t))
    tree = ast.parse(out)
    message = next(node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr))
    assert eval(compile(ast.Expression(message), "<test>", "eval"), {"program": [1, 2, 3]}) == (
        'Ton programme a 3 commandes. Utilise-en 12 ou moins, "promis".')
    assert "# Cellule de test : exécute-la." in out
    assert '["forward", "left"]' in out and "### BEGIN HIDDEN TESTS" in out
    assert 'expect_equal(f(1), 2, "f(1)")' in out


def test_rtl_wraps_text_and_leaves_fenced_code_left_to_right():
    """In Arabic, is the text of a cell inside <div dir="rtl"> and its fenced code outside?"""
    out = _rtl("## عنوان\n\nنص\n\n```python\nx = 1\n```\nنص آخر")
    assert out == ('<div dir="rtl">\n\n## عنوان\n\nنص\n\n</div>\n\n```python\nx = 1\n```\n\n'
                   '<div dir="rtl">\n\nنص آخر\n\n</div>')


# --- the toy unit, through the catalogs and the build ----------------------------------------

FRENCH = {"Add one": "Ajouter un", "Write a function.": "Écris une fonction.",
          "Glossary": "Glossaire", "Word": "Mot", "What it means": "Ce que cela veut dire",
          "YOUR CODE HERE": "ÉCRIS TON CODE ICI", "YOUR ANSWER HERE": "ÉCRIS TA RÉPONSE ICI",
          "Run this cell first.": "Exécute d'abord cette cellule.",
          "function": "fonction", "A name for a group of commands.":
          "Un nom pour un groupe de commandes."}


def _add_setup_and_glossary(toy_repo):
    root = toy_repo.parent.parent
    path = root / "age_8_12" / "t01_toy" / "toy.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(1, nbformat.v4.new_code_cell(
        '# Run this cell first.\nfrom widgets import setup\nsetup(lang="en")'))
    nbformat.write(notebook, path)
    (path.parent / "glossary.yaml").write_text(
        "- term: function\n  meaning: A name for a group of commands.\n")
    return root


def _translate(root, lang, table):
    for path in (root / "curriculum" / "locales" / lang / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id:
                message.string = table.get(message.id, "")
                message.flags.discard("fuzzy")
        with path.open("wb") as handle:
            write_po(handle, catalog)


def test_a_unit_without_translations_is_named_with_its_missing_texts(toy_repo):
    """Does a unit added without translations make the check fail, naming the texts?"""
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    reports = catalog_problems(syllabus=toy_repo, languages=("fr",), child_side=False)
    lines = [line for report in reports for line in report.lines()]
    assert any("t01_toy.po" in line and "'Add one'" in line and "'Write a function.'" in line
               for line in lines), lines


def test_build_refuses_missing_translations_and_writes_nothing(toy_repo, tmp_path):
    """Does `build --lang fr` refuse a unit with untranslated texts, name them, and leave
    no course behind?"""
    with pytest.raises(JazariError, match=r"catalog 't01_toy'.*'Add one'"):
        build_course(out=tmp_path / "course", lang="fr", syllabus=toy_repo)
    assert not (tmp_path / "course").exists()


def test_changed_english_text_needs_review(toy_repo):
    """After `make i18n`, is the translation of a changed English text marked fuzzy, and
    does the check say it needs review?"""
    root = _add_setup_and_glossary(toy_repo)
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    _translate(root, "fr", FRENCH)
    assert not [line for r in catalog_problems(syllabus=toy_repo, languages=("fr",))
                for line in r.lines()]
    path = root / "age_8_12" / "t01_toy" / "toy.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source = "# Add 1"
    nbformat.write(notebook, path)
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    with catalog_path(root, "t01_toy", "fr").open("rb") as handle:
        message = read_po(handle).get("Add 1")
    assert message.fuzzy and message.string == "Ajouter un"
    lines = [line for r in catalog_problems(syllabus=toy_repo, languages=("fr",))
             for line in r.lines()]
    assert lines and "need review (fuzzy)" in lines[0] and "'Add 1'" in lines[0]


def test_a_lost_field_or_code_span_is_a_wrong_translation(toy_repo):
    """Is a translation that drops a code span reported as wrong, not as done?"""
    root = toy_repo.parent.parent
    (root / "curriculum" / "guides" / "t01_toy.md").write_text("Call `add_one(1)` first.\n")
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    _translate(root, "fr", {**FRENCH, "Call `add_one(1)` first.": "Appelle d'abord add_one."})
    reports = catalog_problems(syllabus=toy_repo, languages=("fr",))
    assert [r.wrong for r in reports if r.name == "guide_t01_toy"] == [
        ["Call `add_one(1)` first."]]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_build_in_another_language_translates_texts_not_code(toy_repo, tmp_path, lang):
    """Does `build --lang` translate the texts, set the setup cell's language, add the
    glossary, translate the guide and nbgrader's stub, and keep code and grade ids?"""
    root = _add_setup_and_glossary(toy_repo)
    update_catalogs(syllabus=toy_repo, languages=(lang,))
    _translate(root, lang, FRENCH)  # the same words serve for both: only the mechanics matter
    course = tmp_path / "course"
    build_course(out=course, lang=lang, syllabus=toy_repo)
    source = nbformat.read(root / "age_8_12" / "t01_toy" / "toy.ipynb", as_version=4)
    built = nbformat.read(course / "source" / "t01_toy" / "toy.ipynb", as_version=4)
    assert len(built.cells) == len(source.cells) + 1
    first = built.cells[0].source
    assert "# Ajouter un" in first and (first.startswith('<div dir="rtl">') == (lang == "ar"))
    assert built.cells[1].source == ("# Exécute d'abord cette cellule.\nfrom widgets import setup\n"
                                     f'setup(lang="{lang}")')
    for before, after in zip(source.cells[2:], built.cells[2:], strict=False):
        assert after.source == before.source and after.metadata == before.metadata
    glossary = built.cells[-1].source
    assert "## Glossaire" in glossary and "| **fonction** | Un nom pour un groupe de commandes. |" in glossary
    guide = (course / "guides" / "t01_toy.md").read_text(encoding="utf-8")
    assert "# Ajouter un" in guide and "Glossaire" in guide
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "# ÉCRIS TON CODE ICI\\nraise NotImplementedError()" in config


def test_english_build_keeps_the_notebook_and_adds_the_glossary(toy_repo, tmp_path):
    """Does the English build keep every cell as written and add the glossary at the end?"""
    root = _add_setup_and_glossary(toy_repo)
    build_course(out=tmp_path / "course", syllabus=toy_repo)
    source = nbformat.read(root / "age_8_12" / "t01_toy" / "toy.ipynb", as_version=4)
    built = nbformat.read(tmp_path / "course" / "source" / "t01_toy" / "toy.ipynb", as_version=4)
    assert [c.source for c in built.cells[:-1]] == [c.source for c in source.cells]
    assert built.cells[-1].source.startswith("## Glossary")
    assert "YOUR CODE HERE" not in (tmp_path / "course" / "nbgrader_config.py").read_text()


def test_rules_a_translation_must_keep():
    """Is a translation refused when it loses a {field}, a %(name)s, a code span or LaTeX, or
    uses Arabic-Indic digits, while a comment code span may be translated?"""
    from autograder.catalogs import _well_translated

    assert _well_translated("Hello {name}!", "Bonjour {name} !", "fr")
    assert not _well_translated("Hello {name}!", "Bonjour !", "fr")
    assert not _well_translated("Score: %(score)s", "Score : %(total)s", "fr")
    assert not _well_translated("Use `robot.left()` and $x^2$.", "Utilise robot.left() et $x^2$.", "fr")
    assert _well_translated("Write where it says `# YOUR CODE HERE`.",
                            "Écris là où il est écrit `# ÉCRIS TON CODE ICI`.", "fr")
    assert not _well_translated("3 squares", "٣ مربعات", "ar")
    assert _well_translated("3 squares", "3 مربعات", "ar")


def test_a_cell_that_is_not_python_keeps_its_code_and_gets_its_comments_translated():
    """Does a cell showing a mistake on purpose (not valid Python) keep its code as it is,
    with its whole-line comments still found and translated?"""
    broken = "# This line forgets its colon:\nfor step in range(3)\n    robot.forward()  # move"
    found, out = _collect(code_texts, broken)
    assert found == ["This line forgets its colon:"] and out == broken
    french = code_texts(broken, lambda t: "Il manque les deux-points :")
    assert french == broken.replace("This line forgets its colon:", "Il manque les deux-points :")


def test_wrong_language_is_refused():
    """Is a French text in the Arabic catalog, Arabic in the French one, or the English copied
    into the Arabic one a wrong translation, while code and names may stay as they are?"""
    from autograder.catalogs import _well_translated

    assert not _well_translated("Turn right at the bakery.", "Tourne à droite.", "ar")
    assert not _well_translated("Turn right at the bakery.", "استدر يمينًا عند المخبزة.", "fr")
    assert not _well_translated("Turn right at the bakery.", "Turn right at the bakery.", "ar")
    assert _well_translated("{label} (robot.{command}())", "{label} (robot.{command}())", "ar")
    assert _well_translated("Use `robot.left()` now.", "استعمل `robot.left()` الآن.", "ar")


def test_the_same_english_text_in_a_new_unit_reuses_its_translation(toy_repo):
    """Does `make i18n` give a new catalog the translation that the very same English text
    already has in another catalog of that language, and nothing for a new text?"""
    root = _add_setup_and_glossary(toy_repo)
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    _translate(root, "fr", FRENCH)
    guide = root / "curriculum" / "guides" / "t01_toy.md"
    guide.write_text("# Add one\n\nA brand new sentence.\n")
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    with catalog_path(root, "guide_t01_toy", "fr").open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.get("Add one").string == "Ajouter un" and not catalog.get("Add one").fuzzy
    assert catalog.get("A brand new sentence.").string == ""


def _add_data_words(toy_repo, words="- apple\n- pear\n"):
    """The toy unit, its answer and checks comparing fruit names, with ``words.yaml``."""
    root = _add_setup_and_glossary(toy_repo)
    path = root / "age_8_12" / "t01_toy" / "toy.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source = '# Add one\n\nWrite `"apple"` or "pear", not "apples".'
    notebook.cells[2].source = ("def add_one(n):\n    ### BEGIN SOLUTION\n    return n + 1\n"
                                '    ### END SOLUTION\nfruit = "apple"  # or \'pear\'')
    notebook.cells[3].source = notebook.cells[3].source.replace(
        "### END HIDDEN TESTS",
        'expect_equal(fruit in ("apple", \'pear\'), True, "fruit", hint="Pick \\"pear\\".")\n'
        '### END HIDDEN TESTS')
    nbformat.write(notebook, path)
    (path.parent / "words.yaml").write_text(words)
    return root


WORDS_FR = {**FRENCH, "Add one": "Ajouter un",
            'Write `"apple"` or "pear", not "apples".':
            'Écris `"apple"` ou "pear", pas "apples".',
            "or 'pear'": "ou 'pear'", 'Pick "pear".': 'Choisis "pear".', "apple": "pomme",
            "pear": "poire"}


def test_data_words_take_one_translation_in_code_checks_and_texts(toy_repo, tmp_path):
    """Does a data word of words.yaml become a catalog entry of its own, and does the build
    put its one translation wherever it stands between quotes: the answer, the hidden
    tests, a comment, a code span, a quoted word in the text or (escaped) in a check's
    message, but not a longer word?"""
    root = _add_data_words(toy_repo)
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    with catalog_path(root, "t01_toy", "fr").open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.get("apple", "data word") is not None
    _translate(root, "fr", WORDS_FR)
    assert not [line for r in catalog_problems(syllabus=toy_repo, languages=("fr",))
                for line in r.lines()]
    build_course(out=tmp_path / "course", lang="fr", syllabus=toy_repo)
    built = nbformat.read(tmp_path / "course" / "source" / "t01_toy" / "toy.ipynb",
                          as_version=4)
    assert built.cells[0].source == '# Ajouter un\n\nÉcris `"pomme"` ou "poire", pas "apples".'
    assert 'fruit = "pomme"  # ou \'poire\'' in built.cells[2].source
    assert ('expect_equal(fruit in ("pomme", \'poire\'), True, "fruit", '
            'hint="Choisis \\"poire\\".")') in built.cells[3].source
    build_course(out=tmp_path / "english", syllabus=toy_repo)
    kept = nbformat.read(tmp_path / "english" / "source" / "t01_toy" / "toy.ipynb", as_version=4)
    assert 'fruit = "apple"' in kept.cells[2].source


def test_two_data_words_with_one_translation_are_refused(toy_repo, tmp_path):
    """Are two data words given the same translation (the checks could not tell them
    apart) a wrong translation for the catalog check, and does the build stop on them
    with one line, leaving no course?"""
    root = _add_data_words(toy_repo)
    update_catalogs(syllabus=toy_repo, languages=("fr",))
    _translate(root, "fr", {**WORDS_FR, "pear": "pomme"})
    wrong = [r.wrong for r in catalog_problems(syllabus=toy_repo, languages=("fr",))
             if r.name == "t01_toy"]
    assert wrong == [["apple", "pear"]]
    with pytest.raises(JazariError, match=r"t01_toy: the data words 'apple' and 'pear' have "
                                          r"the same translation 'pomme'"):
        build_course(out=tmp_path / "course", lang="fr", syllabus=toy_repo)
    assert not (tmp_path / "course").exists()


@pytest.mark.parametrize("words", ["apple: pomme\n", "- 'two words '\n", "- 'it''s'\n", "[\n"])
def test_a_malformed_words_file_gets_one_line(toy_repo, words):
    """Is a words.yaml that is not a list of plain words refused with one line naming it?"""
    _add_data_words(toy_repo, words)
    with pytest.raises(JazariError, match=r"words\.yaml: (must be a list|not valid YAML)"):
        update_catalogs(syllabus=toy_repo, languages=("fr",))


def test_every_text_the_widgets_translate_is_in_the_widgets_catalog():
    """Is every literal text the child's side hands to ``_``, ``N_``, ``C_`` or ``NC_`` (even
    inside an f-string, where the extractor does not look) in the widgets catalog, so a
    French or Arabic child never meets it in English?"""
    from pathlib import Path

    from autograder.catalogs import _widgets_template

    root = Path(__file__).resolve().parents[2]
    catalog = _widgets_template(root)
    missing = []
    for path in sorted((root / "widgets").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [arg.value for arg in node.args[:2] if isinstance(arg, ast.Constant)]
            if node.func.id in ("_", "N_") and texts:
                found = catalog.get(texts[0])
            elif node.func.id in ("C_", "NC_") and len(texts) == 2:
                found = catalog.get(texts[1], texts[0])
            else:
                continue
            if found is None:
                missing.append(f"{path.name}:{node.lineno}: {texts[-1]!r}")
    assert not missing, missing
