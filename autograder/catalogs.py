"""The translation catalogs: extract the English texts, update the ``.po`` files, compile.

Everything meant for people is written once, in English, and collected with Babel into
gettext catalogs under ``curriculum/locales/``:

=============================  ===============================================================
``templates/<name>.pot``       the English texts of one catalog (made by ``make i18n``)
``<lang>/LC_MESSAGES/<name>.po``  their translations, edited by translators (Poedit, Weblate…)
=============================  ===============================================================

The catalogs (``<name>``):

* ``widgets``: every ``_()``/``N_()`` text of the child's side (``widgets/*.py``). Compiled
  into ``widgets/locales/<lang>/LC_MESSAGES/jazari.mo``, committed, so the child's kernel finds
  it without the trainer's side and a fresh clone works (a test checks it is up to date).
* ``course``: the few texts the build itself writes (the glossary's heading, nbgrader's
  ``YOUR CODE HERE`` stub).
* ``feedback``: the children's feedback pages (:mod:`autograder.feedback`'s template).
* ``<unit id>``: one per unit: its notebooks' texts (see :mod:`autograder.texts`), its title
  and objectives from the syllabus, and its glossary (``<unit folder>/glossary.yaml``).
* ``guide_<unit id>``: one per teacher guide, so guides can be translated apart.

``make i18n`` (:func:`update_catalogs`) re-extracts the English texts, merges them into every
``.po`` (Babel marks a changed text's old translation *fuzzy*, "needs review"; a new text is
empty, or takes the translation the very same English text has in another catalog of that
language) and compiles the child's side. :func:`catalog_problems` says, catalog by catalog, which
texts are missing, empty, fuzzy or translated wrongly (a lost ``{field}`` or code span, an
Arabic-Indic digit); the tests and ``jazari build --lang`` refuse a course with any.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from autograder.texts import cell_texts, code_spans, fields, markdown_texts
from curriculum import Syllabus, Unit, load_syllabus

__all__ = [
    "COURSE_TEXTS",
    "DATA_WORD",
    "GLOSSARY",
    "SYLLABUS",
    "TARGETS",
    "CatalogReport",
    "Glossary",
    "catalog_problems",
    "catalog_path",
    "compile_widgets",
    "data_word_problem",
    "compiled_path",
    "guide_catalog_name",
    "load_data_words",
    "load_glossary",
    "load_translations",
    "main",
    "mo_bytes",
    "templates",
    "update_catalogs",
]

#: The languages translated from English.
TARGETS = ("fr", "ar")
#: Texts the build itself writes into a course.
COURSE_TEXTS = ("Glossary", "Word", "What it means", "YOUR CODE HERE", "YOUR ANSWER HERE")
#: The children's feedback page, whose texts make the ``feedback`` catalog.
FEEDBACK_TEMPLATE = "autograder/templates/feedback.html.j2"
#: msgctxt of the syllabus's and glossary's texts in a unit catalog.
SYLLABUS, GLOSSARY = "syllabus", "glossary"
#: msgctxt of a unit's data words (``words.yaml``): one translation used everywhere in its code.
DATA_WORD = "data word"
_ARABIC = re.compile("[\u0600-\u06ff]")
_WORD = re.compile(r"[^\W\d_]+")
_CODE_SPAN_ANY = re.compile(r"(`+).+?\1|\$\$.+?\$\$|\$[^$\n]+\$", re.S)
_FIELD = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]")
_TAG_OR_LINK = re.compile(r"<[^>\n]+>|https?://\S+")
_CODE_CHARS = re.compile(r"[()\[\]=_]")
_PERCENT = re.compile(r"%\(\w+\)[sd]")
_EASTERN_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_PROJECT = "Jazari"


def _locales(root: Path) -> Path:
    return root / "curriculum" / "locales"


def catalog_path(root: Path, name: str, lang: str | None = None) -> Path:
    """Where catalog ``name`` lives: the template (``lang=None``) or one language's ``.po``."""
    if lang is None:
        return _locales(root) / "templates" / f"{name}.pot"
    return _locales(root) / lang / "LC_MESSAGES" / f"{name}.po"


def compiled_path(root: Path, lang: str) -> Path:
    """The child's side compiled catalog: ``widgets.i18n.LOCALE_DIR`` in this checkout."""
    from widgets.i18n import DOMAIN

    return root / "widgets" / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def guide_catalog_name(unit: Unit) -> str:
    return f"guide_{unit.id}"


@dataclass(frozen=True)
class Glossary:
    """One word a unit introduces, and what it means (in English)."""

    term: str
    meaning: str


def _unit_list(root: Path, unit: Unit, name: str, fits, shape: str) -> tuple[Path, list]:
    """The list in the unit's YAML file ``name`` (empty when there is none); one line naming
    the file when it is not YAML or an item does not ``fits`` (``shape`` says what fits)."""
    import yaml

    from autograder.errors import JazariError

    path = root / unit.folder / name
    if not path.is_file():
        return path, []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        raise JazariError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(data, list) or not all(fits(item) for item in data):
        raise JazariError(f"{path}: must be a list of {shape}")
    return path, data


def load_glossary(root: Path, unit: Unit) -> list[Glossary]:
    """The unit's ``glossary.yaml`` (a list of ``{term, meaning}``); empty when it has none."""
    _path, data = _unit_list(root, unit, "glossary.yaml",
                             lambda e: isinstance(e, dict) and set(e) == {"term", "meaning"},
                             "entries with 'term' and 'meaning'")
    return [Glossary(term=str(e["term"]), meaning=str(e["meaning"])) for e in data]


def load_data_words(root: Path, unit: Unit) -> list[str]:
    """The unit's ``words.yaml``: the words its code uses as data and a child reads (robot
    commands, labels of examples, keys it compares). Empty when it has none.

    Each one is translated once, in the unit's catalog (context :data:`DATA_WORD`), and the
    build puts that translation in every place the word stands between quotes: string
    literals of every code cell (hidden tests too), quoted words in the texts, code spans
    and fenced code. So code and checks still agree, in the class's language.
    """
    _path, data = _unit_list(
        root, unit, "words.yaml",
        lambda word: (isinstance(word, str) and word.strip() == word and bool(word)
                      and not re.search(r"[\"'\\\n]", word)),
        "words (no quotes, no spaces around)")
    return list(dict.fromkeys(data))


# --- extraction ----------------------------------------------------------------------------

def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(locale=locale, project=_PROJECT, version="1", fuzzy=False,
                   msgid_bugs_address="", copyright_holder="", charset="utf-8")


def _add(catalog: Catalog, text: str, where: tuple[str, int], context: str | None = None):
    message = catalog.get(text, context)
    if message is None:
        catalog.add(text, locations=[where], context=context)
    elif where not in message.locations:
        message.locations.append(where)


def _unit_template(root: Path, unit: Unit) -> Catalog:
    catalog = _new_catalog()
    syllabus_file = "curriculum/syllabus.yaml"
    _add(catalog, unit.title, (syllabus_file, 0), SYLLABUS)
    for objective in unit.objectives:
        _add(catalog, objective, (syllabus_file, 0), SYLLABUS)
    for relative in unit.notebooks:
        try:
            notebook = nbformat.read(root / relative, as_version=4)
        except (OSError, ValueError) as error:
            from autograder.errors import JazariError

            raise JazariError(f"{relative}: cannot be read ({error})") from None
        for number, cell in enumerate(notebook.cells, start=1):
            def record(text, _where=(relative, number)):
                _add(catalog, text, _where)
                return text

            if cell.cell_type in ("markdown", "code"):
                try:
                    cell_texts(cell, record)
                except SyntaxError as error:
                    from autograder.errors import JazariError

                    raise JazariError(f"{relative}: cell {number} is not Python ({error.msg}, "
                                      f"line {error.lineno})") from None
    for entry in load_glossary(root, unit):
        glossary_file = f"{unit.folder}/glossary.yaml"
        _add(catalog, entry.term, (glossary_file, 0), GLOSSARY)
        _add(catalog, entry.meaning, (glossary_file, 0), GLOSSARY)
    for word in load_data_words(root, unit):
        _add(catalog, word, (f"{unit.folder}/words.yaml", 0), DATA_WORD)
    return catalog


def _guide_template(root: Path, unit: Unit) -> Catalog:
    catalog = _new_catalog()
    lines = (root / unit.guide).read_text(encoding="utf-8")

    def record(text):
        _add(catalog, text, (unit.guide, 0))
        return text

    markdown_texts(lines, record)
    return catalog


def _widgets_template(root: Path) -> Catalog:
    catalog = _new_catalog()
    folder = root / "widgets"
    if folder.is_dir():
        found = extract_from_dir(str(folder), method_map=[("**.py", "python")],
                                 keywords={"_": None, "N_": None, "C_": ((1, "c"), 2),
                                           "NC_": ((1, "c"), 2)},
                                 comment_tags=("Translators:",), strip_comment_tags=True)
        for filename, lineno, message, comments, context in found:
            if isinstance(message, tuple):  # a plural form: keep the singular
                message = message[0]
            if message:
                _add(catalog, message, (f"widgets/{filename}", lineno), context)
                if comments:
                    catalog.get(message, context).auto_comments = list(comments)
    return catalog


def _feedback_template(root: Path) -> Catalog:
    """The texts of the children's feedback pages (``autograder/templates/feedback.html.j2``)."""
    from babel.messages.extract import extract_from_file

    catalog = _new_catalog()
    template = root / FEEDBACK_TEMPLATE
    if template.is_file():
        found = extract_from_file("jinja2.ext:babel_extract", str(template),
                                  keywords={"_": None, "gettext": None, "ngettext": (1, 2)},
                                  options={"extensions": "jinja2.ext.i18n"})
        for lineno, message, _comments, context in found:
            if isinstance(message, tuple):
                message = message[0]
            if message:
                _add(catalog, message, (FEEDBACK_TEMPLATE, lineno), context)
    return catalog


def _course_template() -> Catalog:
    catalog = _new_catalog()
    for text in COURSE_TEXTS:
        _add(catalog, text, ("autograder/catalogs.py", 0))
    return catalog


def templates(syllabus: Syllabus, *, units: list[str] | None = None,
              child_side: bool = True) -> dict[str, Catalog]:
    """The English template of every catalog, by name (only ``units`` when given)."""
    found: dict[str, Catalog] = {}
    if child_side:
        found["widgets"] = _widgets_template(syllabus.root)
        found["course"] = _course_template()
        found["feedback"] = _feedback_template(syllabus.root)
    for unit in syllabus.units:
        if units is None or unit.id in units:
            found[unit.id] = _unit_template(syllabus.root, unit)
            found[guide_catalog_name(unit)] = _guide_template(syllabus.root, unit)
    return found


# --- writing -------------------------------------------------------------------------------

_DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def _write_if_changed(path: Path, catalog: Catalog, **options) -> bool:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, **options)
    text = buffer.getvalue().decode("utf-8")
    if path.is_file() and _DATES.sub("", path.read_text(encoding="utf-8")) == _DATES.sub("", text):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled ``.mo`` of ``catalog`` (fuzzy and empty entries left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_widgets(root: Path, languages=TARGETS) -> list[Path]:
    """Compile the child's side catalogs into ``widgets/locales``; returns the files written."""
    written = []
    for lang in languages:
        source = catalog_path(root, "widgets", lang)
        if not source.is_file():
            continue
        target = compiled_path(root, lang)
        data = mo_bytes(_read(source, lang))
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written


@dataclass
class CatalogReport:
    """How far one catalog in one language is translated."""

    name: str
    lang: str
    path: Path
    total: int = 0
    missing: list[str] = field(default_factory=list)  #: not in the .po, or empty
    fuzzy: list[str] = field(default_factory=list)  #: changed in English: needs review
    wrong: list[str] = field(default_factory=list)  #: a translation that breaks a rule

    @property
    def translated(self) -> int:
        return self.total - len(self.missing) - len(self.fuzzy) - len(self.wrong)

    def lines(self) -> list[str]:
        """One line per kind of problem, naming the texts (empty when complete)."""
        where = f"{self.lang}: {self.path}"
        out = []
        for label, texts in (("not translated", self.missing), ("need review (fuzzy)", self.fuzzy),
                             ("translated wrongly", self.wrong)):
            if texts:
                shown = "; ".join(repr(t[:70]) for t in texts[:5])
                more = f" and {len(texts) - 5} more" if len(texts) > 5 else ""
                out.append(f"{where}: {len(texts)} of {self.total} texts {label}: {shown}{more}")
        return out


def _known_units(syllabus: Syllabus, units: list[str] | None) -> None:
    unknown = [unit for unit in units or [] if unit not in {u.id for u in syllabus.units}]
    if unknown:
        from autograder.errors import JazariError

        raise JazariError(f"no unit {', '.join(map(repr, unknown))} in the syllabus "
                          f"(units: {', '.join(u.id for u in syllabus.units)})")


def update_catalogs(*, syllabus: Syllabus | str | Path | None = None, languages=TARGETS,
                    units: list[str] | None = None,
                    child_side: bool | None = None) -> list[CatalogReport]:
    """Extract the English texts, merge them into every language's ``.po``, compile.

    New texts come in empty, changed ones keep their old translation marked fuzzy, texts no
    longer used are kept as obsolete entries. Returns how far each catalog is translated.
    ``units``: only these units' catalogs (and their guides'); the ``widgets``, ``course``
    and ``feedback`` catalogs then stay as they are unless ``child_side`` is true, so authors
    working at the same time never rewrite each other's files.
    """
    if not isinstance(syllabus, Syllabus):
        syllabus = load_syllabus(syllabus)
    _known_units(syllabus, units)
    if child_side is None:
        child_side = units is None
    root = syllabus.root
    found = templates(syllabus, units=units, child_side=child_side)
    memories = {lang: _memory(root, lang) for lang in languages}
    for name, template in found.items():
        _write_if_changed(catalog_path(root, name), template)
        for lang in languages:
            path = catalog_path(root, name, lang)
            if path.is_file():
                catalog = _read(path, lang)
                catalog.update(template, update_header_comment=False)
            else:
                catalog = _new_catalog(lang)
                catalog.update(template)
            _recall(catalog, memories[lang], lang)
            _write_if_changed(path, catalog, include_previous=True)
    if child_side:
        compile_widgets(root, languages)
    return _reports(syllabus, found, languages)


def _memory(root: Path, lang: str) -> dict[tuple[str, str | None], str]:
    """Every usable translation of ``lang`` in any catalog: the translation memory."""
    memory = {}
    folder = _locales(root) / lang / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        for message in _read(path, lang):
            if (message.id and isinstance(message.id, str) and message.string
                    and not message.fuzzy
                    and _well_translated(message.id, message.string, lang)):
                memory.setdefault((message.id, message.context), message.string)
    return memory


def _recall(catalog: Catalog, memory: dict, lang: str) -> None:
    """Fill the entries with no usable translation from the same English text translated in
    another catalog (a new unit repeats "Run your cell, then the test cell")."""
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        usable = (message.string and not message.fuzzy
                  and _well_translated(message.id, message.string, lang))
        if not usable and (message.id, message.context) in memory:
            message.string = memory[(message.id, message.context)]
            message.flags.discard("fuzzy")
            message.previous_id = []


def _reports(syllabus, found, languages) -> list[CatalogReport]:
    reports = []
    for lang in languages:
        for name, template in found.items():
            path = catalog_path(syllabus.root, name, lang)
            catalog = _read(path, lang) if path.is_file() else _new_catalog(lang)
            report = CatalogReport(name=name, lang=lang, path=path.relative_to(syllabus.root))
            clashing = _clashing_words(template, catalog)
            for message in template:
                if not message.id:
                    continue
                report.total += 1
                have = catalog.get(message.id, message.context)
                if have is None or not have.string:
                    report.missing.append(message.id)
                elif have.fuzzy:
                    report.fuzzy.append(message.id)
                elif (not _well_translated(message.id, have.string, lang)
                      or message.id in clashing):
                    report.wrong.append(message.id)
            reports.append(report)
    return reports


def data_word_problem(word: str, translated: str, others: dict[str, str]) -> str | None:
    """Why ``translated`` cannot stand for data word ``word`` in code (None if it can): it
    must fit between quotes and differ from the other data words' translations
    (``others``: word -> translation), or the unit's checks would mix them up."""
    if not translated or translated.strip() != translated or re.search(r"[\"'\\\n]", translated):
        return f"the data word {word!r} must be translated without quotes or spaces around"
    same = [other for other, text in others.items() if other != word and text == translated]
    if same:
        return (f"the data words {word!r} and {same[0]!r} have the same translation "
                f"{translated!r}; each needs its own")
    return None


def _clashing_words(template: Catalog, catalog: Catalog) -> set[str]:
    """The data words of ``template`` whose translation in ``catalog`` cannot be used."""
    translations = {}
    for message in template:
        if message.id and message.context == DATA_WORD:
            have = catalog.get(message.id, DATA_WORD)
            if have is not None and have.string and not have.fuzzy:
                translations[message.id] = have.string
    return {word for word, text in translations.items()
            if data_word_problem(word, text, translations)}


def _well_translated(english: str, translated: str, lang: str) -> bool:
    """Keeps every ``{field}`` and code span (a ``# comment`` span may be translated), and
    uses Western digits in Arabic."""
    if fields(english) != fields(translated):
        return False
    if sorted(_PERCENT.findall(english)) != sorted(_PERCENT.findall(translated)):
        return False
    kept = [span for span in code_spans(english) if not span.strip("`").lstrip().startswith("#")]
    if any(span not in translated for span in kept):
        return False
    if lang == "ar" and _EASTERN_DIGITS.search(translated):
        return False
    return not _wrong_language(english, translated, lang)


def _words(text: str) -> list[str]:
    """The words of ``text`` outside code spans, LaTeX, tags, links and {fields}."""
    for pattern in (_CODE_SPAN_ANY, _FIELD, _TAG_OR_LINK):
        text = pattern.sub(" ", text)
    return _WORD.findall(text)


def _wrong_language(english: str, translated: str, lang: str) -> bool:
    """Is ``translated`` in another language than ``lang`` (a French text in the Arabic
    catalog, Arabic in the French one, or the English copied into the Arabic one)?"""
    words = _words(translated)
    arabic = any(_ARABIC.search(word) for word in words)
    if lang != "ar":
        return arabic
    if arabic:
        return False
    latin = [word for word in words if not _ARABIC.search(word) and len(word) > 1]
    known = {word.lower() for word in _words(english)}
    return any(word.lower() not in known for word in latin) or (
        len(latin) >= 3 and translated.strip() == english.strip()
        and not _CODE_CHARS.search(english))


def catalog_problems(*, syllabus: Syllabus | str | Path | None = None, languages=TARGETS,
                     units: list[str] | None = None,
                     child_side: bool = True) -> list[CatalogReport]:
    """Compare the texts in the sources now with the ``.po`` files, without writing anything.

    Returns a report per catalog and language; a complete one has no :meth:`lines`.
    """
    if not isinstance(syllabus, Syllabus):
        syllabus = load_syllabus(syllabus)
    _known_units(syllabus, units)
    found = templates(syllabus, units=units, child_side=child_side)
    return _reports(syllabus, found, languages)


def load_translations(root: Path, name: str, lang: str) -> dict[tuple[str, str | None], str]:
    """The usable translations of catalog ``name`` (not empty, not fuzzy), by (text, context)."""
    path = catalog_path(root, name, lang)
    if not path.is_file():
        return {}
    return {(m.id, m.context): m.string for m in _read(path, lang)
            if m.id and m.string and not m.fuzzy}


def main(argv: list[str] | None = None) -> int:
    """``python -m autograder.catalogs``: what ``make i18n`` runs."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m autograder.catalogs",
                                     description="Extract the English texts into the catalogs "
                                     "of curriculum/locales/, update every language, compile "
                                     "the child's side.")
    parser.add_argument("--syllabus", help="syllabus file (default: this checkout's)")
    parser.add_argument("--check", action="store_true",
                        help="only say what is missing; exit 1 if anything is")
    parser.add_argument("--unit", action="append", metavar="UNIT_ID", dest="units",
                        help="only this unit's catalogs and its guide's (repeat for several); "
                        "the widgets, course and feedback catalogs are left as they are")
    parser.add_argument("--child-side", action="store_true",
                        help="with --unit: update the widgets, course and feedback catalogs too")
    args = parser.parse_args(argv)
    from autograder.errors import JazariError
    from curriculum import SyllabusError

    try:
        child_side = True if (args.child_side or not args.units) else False
        if args.check:
            reports = catalog_problems(syllabus=args.syllabus, units=args.units,
                                       child_side=child_side)
        else:
            reports = update_catalogs(syllabus=args.syllabus, units=args.units,
                                      child_side=child_side)
    except (JazariError, SyllabusError) as error:
        for line in str(error).splitlines():
            print(f"i18n: {line}", file=sys.stderr)
        return 2
    incomplete = 0
    for lang in TARGETS:
        mine = [r for r in reports if r.lang == lang]
        done, total = sum(r.translated for r in mine), sum(r.total for r in mine)
        print(f"{lang}: {done} of {total} texts translated "
              f"({100 * done / max(total, 1):.0f} %) in {len(mine)} catalogs")
        for report in mine:
            for line in report.lines():
                print("  " + line)
                incomplete += 1
    return 1 if (incomplete and args.check) else 0


if __name__ == "__main__":
    raise SystemExit(main())
