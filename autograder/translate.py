"""A unit's notebooks and teacher guide in the class's language, made at build time.

:func:`translate_unit` reads the unit's catalogs (:mod:`autograder.catalogs`) and returns its
notebooks and guide with every text replaced (:mod:`autograder.texts` says which texts), the
setup cell's ``setup(lang="en")`` set to the class's language, and the unit's glossary
appended. In Arabic each Markdown cell's text is wrapped in ``<div dir="rtl">`` so JupyterLab
writes it right to left; code, and fenced code in Markdown, stay left to right. The logic of
code and tests, metadata and grade ids are never changed, so results compare across
languages; only the unit's data words (``words.yaml``) take their one translation wherever
they stand between quotes, in code and checks alike, so a French child writes ``"avance"``
and the checks expect ``"avance"``.

A text without a usable translation (missing, empty or fuzzy) is collected; the build refuses
the unit and names the texts, so no child meets half a translation.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.catalogs import (
    DATA_WORD,
    GLOSSARY,
    SYLLABUS,
    Glossary,
    data_word_problem,
    guide_catalog_name,
    load_data_words,
    load_glossary,
    load_translations,
)
from autograder.errors import JazariError
from autograder.texts import cell_texts, markdown_texts, swap_words
from curriculum import Unit

__all__ = ["RTL", "TranslatedUnit", "Translator", "code_stub", "translate_unit"]

#: Languages written right to left.
RTL = frozenset({"ar"})
_SETUP_LANG = re.compile(r"""(setup\s*\([^)]*?\blang\s*=\s*)(["'])en\2""")
_FENCE = re.compile(r"^\s*(```|~~~)")
GLOSSARY_CELL_ID = "jazari-glossary"


@dataclass
class Translator:
    """Looks texts up in one language's catalogs and remembers the ones it could not find."""

    root: Path
    lang: str
    missing: dict[str, list[str]] = field(default_factory=dict)  #: catalog -> texts
    _loaded: dict[str, dict] = field(default_factory=dict)

    def __call__(self, catalog: str, text: str, context: str | None = None) -> str:
        if self.lang == "en":
            return text
        if catalog not in self._loaded:
            self._loaded[catalog] = load_translations(self.root, catalog, self.lang)
        found = self._loaded[catalog].get((text, context))
        if found is None:
            texts = self.missing.setdefault(catalog, [])
            if text not in texts:
                texts.append(text)
            return text
        return found

    def of(self, catalog: str, context: str | None = None):
        """A one-argument ``tr(text)`` for catalog ``catalog``."""
        return lambda text: self(catalog, text, context)

    def problem(self) -> str | None:
        """One line per catalog with missing texts, or None."""
        if not self.missing:
            return None
        lines = []
        for catalog, texts in self.missing.items():
            shown = "; ".join(repr(t[:60]) for t in texts[:3])
            more = f" and {len(texts) - 3} more" if len(texts) > 3 else ""
            lines.append(f"--lang {self.lang}: {len(texts)} texts of catalog '{catalog}' are not "
                         f"translated yet ({shown}{more}); run 'make i18n', translate "
                         f"curriculum/locales/{self.lang}/LC_MESSAGES/{catalog}.po")
        return "\n".join(lines)


@dataclass
class TranslatedUnit:
    """A unit in one language: its notebooks (by file name) and its guide's text."""

    notebooks: dict[str, nbformat.NotebookNode]
    guide: str
    title: str


def _rtl(markdown: str) -> str:
    """Wrap the text of a Markdown cell for right-to-left, leaving fenced code outside."""
    parts: list[tuple[bool, list[str]]] = []  # (is code, lines)
    inside = False
    for line in markdown.split("\n"):
        fence = _FENCE.match(line)
        if fence and not inside:
            inside = True
            parts.append((True, [line]))
            continue
        if inside:
            parts[-1][1].append(line)
            if fence:
                inside = False
            continue
        if not parts or parts[-1][0]:
            parts.append((False, []))
        parts[-1][1].append(line)
    out = []
    for is_code, lines in parts:
        text = "\n".join(lines).strip("\n")
        if is_code:
            out.append(text)
        elif text.strip():
            out.append(f'<div dir="rtl">\n\n{text}\n\n</div>')
    return "\n\n".join(out)


def _glossary_markdown(entries: list[Glossary], tr, course_tr) -> str:
    lines = [f"## {course_tr('Glossary')}", "",
             f"| {course_tr('Word')} | {course_tr('What it means')} |", "|---|---|"]
    for entry in entries:
        lines.append(f"| **{tr(entry.term)}** | {tr(entry.meaning)} |")
    return "\n".join(lines)


def _translate_notebook(notebook, *, lang: str, tr, glossary: str | None,
                        words: dict[str, str]):
    notebook = copy.deepcopy(notebook)
    setup_done = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = swap_words(cell_texts(cell, tr), words)
            if lang in RTL:
                cell.source = _rtl(cell.source)
        elif cell.cell_type == "code":
            cell.source = swap_words(cell_texts(cell, tr), words)
            if not setup_done and "setup" in cell.source:
                cell.source, count = _SETUP_LANG.subn(rf'\g<1>"{lang}"', cell.source, count=1)
                setup_done = bool(count)
    if glossary:
        cell = nbformat.v4.new_markdown_cell(_rtl(glossary) if lang in RTL else glossary)
        cell.id = GLOSSARY_CELL_ID
        notebook.cells.append(cell)
    if lang != "en":
        notebook.metadata.setdefault("jazari", {})["lang"] = lang
    return notebook


def translate_unit(*, root: Path, unit: Unit, lang: str,
                   translator: Translator | None = None) -> TranslatedUnit:
    """The unit's notebooks and guide in ``lang`` (``en`` adds only the glossary).

    Missing translations are collected in ``translator.missing``; the caller decides
    (:meth:`Translator.problem`).
    """
    translator = translator or Translator(root=root, lang=lang)
    tr = translator.of(unit.id)
    glossary_tr = translator.of(unit.id, GLOSSARY)
    course_tr = translator.of("course")
    entries = load_glossary(root, unit)
    glossary = _glossary_markdown(entries, glossary_tr, course_tr) if entries else None
    words = _data_words(root, unit, translator)
    if glossary:
        glossary = swap_words(glossary, words)
    notebooks = {}
    for relative in unit.notebooks:
        source = nbformat.read(root / relative, as_version=4)
        try:
            notebooks[Path(relative).name] = _translate_notebook(source, lang=lang, tr=tr,
                                                                glossary=glossary, words=words)
        except SyntaxError as error:
            raise JazariError(f"{relative}: a code cell is not Python ({error.msg})") from None
    guide = swap_words(markdown_texts((root / unit.guide).read_text(encoding="utf-8"),
                                      translator.of(guide_catalog_name(unit))), words)
    if glossary:
        guide = guide.rstrip("\n") + "\n\n" + glossary + "\n"
    if lang in RTL:
        guide = _rtl(guide) + "\n"
    return TranslatedUnit(notebooks=notebooks, guide=guide,
                          title=translator(unit.id, unit.title, SYLLABUS))


def _data_words(root: Path, unit: Unit, translator: Translator) -> dict[str, str]:
    """The unit's data words and their translations (a missing one is left as it is and
    collected by the translator; one that cannot stand in code stops the build)."""
    words = {word: translator(unit.id, word, DATA_WORD) for word in load_data_words(root, unit)}
    for word, translated in words.items():
        problem = data_word_problem(word, translated, words)
        if problem:
            raise JazariError(f"{unit.id}: {problem} (curriculum/locales/{translator.lang}/"
                              f"LC_MESSAGES/{unit.id}.po)")
    return words


def code_stub(translator: Translator) -> dict[str, str]:
    """nbgrader's stubs for answer cells, in the translator's language."""
    return {"code": f"# {translator('course', 'YOUR CODE HERE')}\nraise NotImplementedError()",
            "text": translator("course", "YOUR ANSWER HERE")}
