"""The texts meant for people inside Markdown and Python source, found and replaced.

One walker serves both extraction and translation: :func:`markdown_texts` and
:func:`code_texts` call ``tr(text)`` for every text a person reads and put back what it
returns. Extraction passes a ``tr`` that records the text and returns it unchanged; the build
passes one that looks the text up in a catalog. So the texts a catalog holds are exactly the
texts the build replaces.

What counts as a text:

* **Markdown** (notebook cells, teacher guides): each heading, paragraph, list item and table
  cell is one text. Fenced code blocks are kept as they are, except the ``#`` comments of
  Python fences. A text that has no letter outside code spans, LaTeX and HTML tags (a bare
  ``robot.forward()``, "…") is not a text.
* **Python code cells**: every ``#`` comment (not nbgrader's ``### BEGIN SOLUTION``-style
  markers), and every string literal passed to a call a child reads the output of
  (:data:`CHILD_CALLS`: ``print``, ``check``, ``well_done``, ``expect_…``, ``hint``…) or
  given as a keyword in :data:`CHILD_KEYWORDS` (``what=``, ``hint=``, ``message=``…).
  A string that is itself a Python expression (``"knn_predict(basket, names, [1, 2], 1)"``,
  ``"orange"``) is code or data, not a text. F-strings are texts with their ``{fields}``
  kept: ``f"Your program has {len(program)} commands."``. The logic of the code, its names
  and every other string are never touched.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable

__all__ = [
    "CHILD_CALLS",
    "CHILD_KEYWORDS",
    "code_spans",
    "code_texts",
    "fields",
    "is_text",
    "markdown_texts",
]

Translate = Callable[[str], str]

#: Calls whose string arguments a child reads (by name, or by attribute name).
CHILD_CALLS = frozenset({"print", "check", "well_done", "hint", "say", "TryAgain", "display_message"})
#: Calls whose name starts with one of these are child-facing too (``expect_equal``…).
CHILD_CALL_PREFIXES = ("expect_",)
#: Keyword arguments that hold a text for the child, in any call.
CHILD_KEYWORDS = frozenset({"what", "hint", "message", "label", "description", "title", "text"})

_NBGRADER_MARKER = re.compile(r"^#+\s*(BEGIN|END)\s+(SOLUTION|HIDDEN TESTS)\b")
_PRAGMA = re.compile(r"^#\s*(noqa|type:|pragma|fmt:|ruff:)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_LATEX = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
_HTML = re.compile(r"<[^>\n]+>")
_URL = re.compile(r"https?://\S+")
_FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)")
_HEADING = re.compile(r"^(\s{0,3}#{1,6}\s+)(.*?)(\s*)$")
_ITEM = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)]|>)\s+)(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def code_spans(text: str) -> list[str]:
    """The code spans and LaTeX of a Markdown text (what a translation must keep)."""
    return [m.group(0) for m in _CODE_SPAN.finditer(text)] + _LATEX.findall(text)


def fields(text: str) -> list[str]:
    """The ``{fields}`` of a format or f-string text, sorted (``{{`` is not a field)."""
    found, i = [], 0
    while i < len(text):
        if text.startswith("{{", i) or text.startswith("}}", i):
            i += 2
        elif text[i] == "{":
            end = _closing(text, i)
            found.append(text[i:end + 1])
            i = end + 1
        else:
            i += 1
    return sorted(found)


def _closing(text: str, start: int) -> int:
    depth = 0
    for index in range(start, len(text)):
        if text[index] in "{[(":
            depth += 1
        elif text[index] in "}])":
            depth -= 1
            if depth == 0:
                return index
    return len(text) - 1


def is_text(text: str) -> bool:
    """Is there a word for people in ``text`` (outside code spans, LaTeX, tags and links)?"""
    rest = _URL.sub(" ", _HTML.sub(" ", _LATEX.sub(" ", _CODE_SPAN.sub(" ", text))))
    return any(ch.isalpha() for ch in rest)


# --- Markdown ------------------------------------------------------------------------------

def markdown_texts(source: str, tr: Translate) -> str:
    """``source`` with each of its texts replaced by ``tr(text)``."""
    lines = source.split("\n")
    out: list[str] = []
    block: list[str] = []
    fence: tuple[str, str] | None = None  # (marker, language) while inside a fence
    fenced: list[str] = []
    for line in lines:
        if fence is not None:
            if line.strip().startswith(fence[0]) and not line.strip().strip(fence[0][0]):
                out.append(_fenced(fenced, fence[1], tr))
                out.append(line)
                fence, fenced = None, []
            else:
                fenced.append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            out.extend(_block(block, tr))
            block = []
            out.append(line)
            fence = (opening.group(2), opening.group(3).lower())
        elif not line.strip():
            out.extend(_block(block, tr))
            block = []
            out.append(line)
        else:
            block.append(line)
    if fence is not None:  # an unclosed fence stays as it is
        out.append("\n".join(fenced))
    out.extend(_block(block, tr))
    return "\n".join(out)


def _fenced(lines: list[str], language: str, tr: Translate) -> str:
    text = "\n".join(lines)
    if language in ("python", "py", "python3", "ipython") and lines:
        try:
            return code_texts(text, tr, strings=False)
        except SyntaxError:
            return text
    return text


def _tr(text: str, tr: Translate) -> str:
    return tr(text) if is_text(text) else text


def _block(lines: list[str], tr: Translate) -> list[str]:
    """One block (no blank line inside): headings, table rows, list items, paragraphs."""
    out: list[str] = []
    paragraph: list[str] = []
    item: tuple[str, list[str]] | None = None

    def flush():
        nonlocal paragraph, item
        if paragraph:
            indent = paragraph[0][:len(paragraph[0]) - len(paragraph[0].lstrip())]
            lines = [line[len(indent):] if line.startswith(indent) else line.lstrip()
                     for line in paragraph]
            out.extend((indent + line) if line else line
                       for line in _tr("\n".join(lines), tr).split("\n"))
            paragraph = []
        if item is not None:
            prefix, item_lines = item
            translated = _tr("\n".join(item_lines), tr).split("\n")
            indent = " " * len(prefix) if not prefix.lstrip().startswith(">") else prefix
            out.append(prefix + translated[0])
            out.extend((indent + line) if line else line for line in translated[1:])
            item = None

    for line in lines:
        heading = _HEADING.match(line)
        listed = _ITEM.match(line)
        if heading:
            flush()
            out.append(heading.group(1) + _tr(heading.group(2), tr) + heading.group(3))
        elif line.lstrip().startswith("|"):
            flush()
            out.append(_row(line, tr))
        elif listed:
            flush()
            item = (listed.group(1), [listed.group(2)])
        elif item is not None:
            item[1].append(line.strip())
        else:
            paragraph.append(line.rstrip())
    flush()
    return out


def _row(line: str, tr: Translate) -> str:
    if _TABLE_RULE.match(line):
        return line
    cells = re.split(r"(?<!\\)\|", line)
    # cells[0] is what stands before the first '|', cells[-1] what follows the last one.
    inner = [f" {_tr(cell.strip(), tr)} " if cell.strip() else cell for cell in cells[1:-1]]
    return "|".join([cells[0], *inner, cells[-1]])


# --- Python code ---------------------------------------------------------------------------

def code_texts(source: str, tr: Translate, *, strings: bool = True) -> str:
    """``source`` with its comments and child-facing strings replaced by ``tr(text)``.

    IPython ``%magic`` and ``!shell`` lines are left alone. A cell that is not valid Python
    (a lesson may show a mistake on purpose) gets only its whole-line comments translated.
    """
    try:
        return _code_texts(source, tr, strings=strings)
    except (SyntaxError, tokenize.TokenError):
        return "\n".join(_comment_line(line, tr) for line in source.split("\n"))


def _comment_line(line: str, tr: Translate) -> str:
    match = re.match(r"^(\s*#+\s*)(.*?)(\s*)$", line)
    if not match or _NBGRADER_MARKER.match(line.strip()) or _PRAGMA.match(line.strip()):
        return line
    if not is_text(match.group(2)):
        return line
    return match.group(1) + tr(match.group(2)) + match.group(3)


def _code_texts(source: str, tr: Translate, *, strings: bool) -> str:
    masked = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                       for line in source.split("\n"))
    starts = [0]
    for line in source.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def offset(row: int, col: int) -> int:  # tokenize/ast rows start at 1, cols count chars
        return starts[row - 1] + col

    # Parse everything before asking for any translation, so a cell that is not Python
    # asks for the same texts in extraction and in the build.
    tokens = list(tokenize.generate_tokens(io.StringIO(masked).readline))
    tree = ast.parse(masked)
    edits: list[tuple[int, int, str]] = []
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        comment = token.string
        if _NBGRADER_MARKER.match(comment) or _PRAGMA.match(comment):
            continue
        hashes = re.match(r"^#+\s*", comment).group(0)
        body = comment[len(hashes):].rstrip()
        if is_text(body):
            start = offset(*token.start)
            translated = tr(body)
            if translated != body:
                edits.append((start + len(hashes), start + len(hashes) + len(body), translated))
    if strings:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for literal in _child_strings(node):
                    replaced = _string(literal, tr)
                    if replaced is not None:
                        edits.append((offset(literal.lineno, _col(masked, literal.lineno,
                                                                literal.col_offset)),
                                      offset(literal.end_lineno,
                                             _col(masked, literal.end_lineno,
                                                  literal.end_col_offset)),
                                      replaced))
    text = source
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _col(source: str, row: int, byte_col: int) -> int:
    """ast's column offsets count UTF-8 bytes; turn one into a count of characters."""
    line = source.split("\n")[row - 1]
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _child_strings(node: ast.Call) -> list[ast.expr]:
    name = _call_name(node)
    child_call = name in CHILD_CALLS or name.startswith(CHILD_CALL_PREFIXES)
    found = [arg for arg in node.args if child_call]
    found += [kw.value for kw in node.keywords if child_call or kw.arg in CHILD_KEYWORDS]
    return [value for value in found if isinstance(value, ast.JoinedStr)
            or (isinstance(value, ast.Constant) and isinstance(value.value, str))]


def _is_expression(text: str) -> bool:
    try:
        ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return False
    return bool(text.strip())


def _string(node: ast.expr, tr: Translate) -> str | None:
    """The replacement literal for a child-facing string, or None to leave it."""
    if isinstance(node, ast.Constant):
        if not is_text(node.value) or _is_expression(node.value):
            return None
        translated = tr(node.value)
        return None if translated == node.value else _literal(translated)
    template = _template(node)
    if template is None:
        return None
    plain = re.sub(r"\{[^{}]*\}", "x", template.replace("{{", "").replace("}}", ""))
    if not is_text(plain) or _is_expression(plain):
        return None
    translated = tr(template)
    return None if translated == template else _fliteral(translated)


def _template(node: ast.JoinedStr) -> str | None:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
        elif isinstance(value, ast.FormattedValue):
            field = ast.unparse(value.value)
            if value.conversion != -1:
                field += "!" + chr(value.conversion)
            if value.format_spec is not None:
                spec = value.format_spec
                if not all(isinstance(v, ast.Constant) for v in spec.values):
                    return None
                field += ":" + "".join(str(v.value) for v in spec.values)
            parts.append("{" + field + "}")
        else:  # pragma: no cover - a JoinedStr holds only these two
            return None
    return "".join(parts)


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _fliteral(template: str) -> str:
    out, i = [], 0
    while i < len(template):
        if template.startswith("{{", i) or template.startswith("}}", i):
            out.append(template[i:i + 2])
            i += 2
        elif template[i] == "{":
            end = _closing(template, i)
            out.append(template[i:end + 1].replace('"', "'"))
            i = end + 1
        else:
            out.append(template[i].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n"))
            i += 1
    return 'f"' + "".join(out) + '"'
