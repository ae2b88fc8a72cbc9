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
* Also in code cells: the docstring of a function or class (a Maker reads what to write),
  the labels of a plot (:data:`CHILD_CALLS` has ``set_xlabel``, ``set_title``, ``legend``…),
  the texts a widget shows (:data:`CHILD_KEYWORDS` has ``x_name``, ``bot_name``,
  ``feature_names``…; a list or tuple of strings given there is a list of texts), and, outside
  test cells (``sentences=True``), every literal that reads as a sentence
  (:func:`is_sentence`: several words, a capital first, a full stop, ``!`` or ``?`` last)
  and is not given a name of its own, such as a chatbot's replies (returned, a dictionary's
  values, an argument) or the questions a widget asks (a list's items). Test cells keep their data as it
  is, so a check compares what it always compared; a text that a check compares across
  cells must not be a sentence (or the build gives both cells the same translation).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable

__all__ = [
    "CHILD_CALLS",
    "cell_texts",
    "CHILD_KEYWORDS",
    "LABEL_CALLS",
    "LABEL_KEYWORDS",
    "WORD_CALLS",
    "code_spans",
    "code_texts",
    "fields",
    "is_sentence",
    "is_text",
    "markdown_texts",
    "swap_words",
]

Translate = Callable[[str], str]

#: Calls whose string arguments a child reads (by name, or by attribute name).
CHILD_CALLS = frozenset({"print", "check", "well_done", "hint", "say", "TryAgain", "display_message"})
#: Calls whose name starts with one of these are child-facing too (``expect_equal``…).
CHILD_CALL_PREFIXES = ("expect_",)
#: Calls whose strings are labels: one plain word is a text there (see :func:`_label_strings`).
#: (matplotlib's Axes methods and pyplot functions that write a plot's texts; ``text`` and
#: ``annotate`` take their text as an argument, their keywords are settings.)
LABEL_CALLS = frozenset({"set_xlabel", "set_ylabel", "set_title", "suptitle", "xlabel",
                         "ylabel", "title", "legend", "set_label", "set", "text", "annotate",
                         "figtext"})
#: Calls whose every string argument is words for people, one word too
#: (``print("step", step, "loss", loss)``); a check's arguments are not: they hold data.
WORD_CALLS = frozenset({"print"})
#: Keyword arguments whose strings are labels, in any call.
LABEL_KEYWORDS = frozenset({"label", "title", "xlabel", "ylabel", "x_name", "y_name", "bot_name",
                            "feature_names", "description", "placeholder", "tooltip"})
#: Keyword arguments that hold a text for the child, in any call.
CHILD_KEYWORDS = frozenset({
    "what", "hint", "message", "label", "description", "title", "text",
    "xlabel", "ylabel", "placeholder", "tooltip",
    # widgets' parameters that hold texts (widgets/: LineFitter, ChatBox, KMeansStepper,
    # NeuronPlayground, NeighbourExplorer, TeachableSorter, FairnessExplorer, Quiz)
    "x_name", "y_name", "bot_name", "feature_names", "prompt", "choices", "question",
    "explanation", "yes", "no",
})

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


_SENTENCE_END = re.compile(r"[.!?…:]\s*$")


def is_sentence(text: str) -> bool:
    """Does ``text`` read as a sentence for people: at least two words, a capital letter
    first, and a full stop, ``!``, ``?`` or ``:`` last (``"Salam! How are you today?"``),
    and it is not a Python expression?"""
    words = [word for word in re.split(r"\s+", text.strip()) if any(c.isalpha() for c in word)]
    first = next((c for c in text.strip() if c.isalpha()), "")
    return (len(words) >= 2 and first.isupper() and bool(_SENTENCE_END.search(text))
            and is_text(text) and not _is_expression(text))


def is_text(text: str) -> bool:
    """Is there a word for people in ``text`` (outside code spans, LaTeX, tags and links)?"""
    rest = _URL.sub(" ", _HTML.sub(" ", _LATEX.sub(" ", _CODE_SPAN.sub(" ", text))))
    return any(ch.isalpha() for ch in rest)


def cell_texts(cell, tr: Translate) -> str:
    """The source of a notebook cell with its texts replaced: what extraction and the build
    both call, so they agree. A test cell (nbgrader ``grade``) keeps its sentences as data."""
    if cell.get("cell_type") == "markdown":
        return markdown_texts(cell["source"], tr)
    if cell.get("cell_type") == "code":
        test = bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))
        return code_texts(cell["source"], tr, sentences=not test)
    return cell["source"]


def swap_words(text: str, words: dict[str, str]) -> str:
    """``text`` with every data word standing alone between quotes (``"forward"``,
    ``'forward'``, or escaped inside a string: ``\\"forward\\"``) replaced by its
    translation, quotes kept: in code that is each string
    literal equal to the word (and the word quoted inside a message or a comment), in
    Markdown each quoted word, in code spans and fenced code too. ``words``: word ->
    translation (see :func:`autograder.catalogs.load_data_words`)."""
    words = {word: translated for word, translated in words.items() if word != translated}
    if not words:
        return text
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"""(\\?["'])({alternatives})\1""")
    return pattern.sub(lambda m: m.group(1) + words[m.group(2)] + m.group(1), text)


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

def code_texts(source: str, tr: Translate, *, strings: bool = True,
               sentences: bool = False) -> str:
    """``source`` with its comments and child-facing strings replaced by ``tr(text)``.

    ``sentences``: also every string literal that :func:`is_sentence` (not in test cells).

    IPython ``%magic`` and ``!shell`` lines are left alone. A cell that is not valid Python
    (a lesson may show a mistake on purpose) gets only its whole-line comments translated.
    """
    try:
        return _code_texts(source, tr, strings=strings, sentences=sentences)
    except (SyntaxError, tokenize.TokenError):
        return "\n".join(_comment_line(line, tr) for line in source.split("\n"))


def _comment_line(line: str, tr: Translate) -> str:
    match = re.match(r"^(\s*#+\s*)(.*?)(\s*)$", line)
    if not match or _NBGRADER_MARKER.match(line.strip()) or _PRAGMA.match(line.strip()):
        return line
    if not is_text(match.group(2)):
        return line
    return match.group(1) + tr(match.group(2)) + match.group(3)


def _code_texts(source: str, tr: Translate, *, strings: bool, sentences: bool) -> str:
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
        literals: list[ast.expr] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                literals.extend(_child_strings(node))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                literals.extend(_docstring(node))
        if sentences:
            inside = {id(node) for literal in literals for node in ast.walk(literal)}
            # A sentence given a name of its own (``text = "Quel beau but!"``) is an example
            # the lesson talks about, kept as written; a reply returned, a dictionary's value,
            # an item of a list or an argument is a text the program says.
            named = {id(node.value) for node in ast.walk(tree)
                     if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign))}
            # What a check compares is data, wherever the check stands.
            named |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.Call)
                      and _call_name(node).startswith(CHILD_CALL_PREFIXES)
                      for arg in node.args for part in ast.walk(arg)}
            literals.extend(node for node in ast.walk(tree)
                            if isinstance(node, ast.Constant) and isinstance(node.value, str)
                            and id(node) not in inside and id(node) not in named
                            and is_sentence(node.value))
        words = {id(value) for node in ast.walk(tree) if isinstance(node, ast.Call)
                 for value in _label_strings(node)}
        seen: set[tuple[int, int]] = set()
        for literal in sorted(literals, key=lambda n: (n.lineno, n.col_offset)):
            if (literal.lineno, literal.col_offset) in seen:
                continue
            seen.add((literal.lineno, literal.col_offset))
            replaced = _string(literal, tr, word=id(literal) in words)
            if replaced is not None:
                start = offset(literal.lineno, _col(masked, literal.lineno, literal.col_offset))
                end = offset(literal.end_lineno,
                             _col(masked, literal.end_lineno, literal.end_col_offset))
                if source[start:start + 3] in ('"""', "'''") and replaced.startswith('"'):
                    replaced = '""' + replaced + '""'  # a docstring keeps its triple quotes
                edits.append((start, end, replaced))
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
    if name in WORD_CALLS:  # print(winner or "nobody, it is a draw"), print("yes" if ok else "no")
        found = [part for arg in found for part in _alternatives(arg)]
    found += [kw.value for kw in node.keywords if child_call and kw.arg not in CHILD_KEYWORDS]
    # Labels, and texts given by keyword: a list or tuple written in place holds one text per
    # item (``legend(["train", "test"])``, ``feature_names=("sport (h/week)", "reading")``).
    # (A check's positional list is the expected value, data: never taken apart.)
    labels = [arg for arg in node.args if name in LABEL_CALLS]
    labels += [kw.value for kw in node.keywords if kw.arg in CHILD_KEYWORDS]
    found += [item for value in labels
              for item in (value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value])]
    return [value for value in found if _is_string(value)]


def _alternatives(node: ast.expr) -> list[ast.expr]:
    """What an argument may print: itself, or each side of an ``or``/``and``/``if else``."""
    if isinstance(node, ast.BoolOp):
        return [part for value in node.values for part in _alternatives(value)]
    if isinstance(node, ast.IfExp):
        return _alternatives(node.body) + _alternatives(node.orelse)
    return [node]


def _label_strings(node: ast.Call) -> list[ast.expr]:
    """The strings of ``node`` that are labels, where one plain word is a text too
    (``set_ylabel("accuracy")``, ``x_name="altitude"``), unlike a ``print("mint")``'s data."""
    name = _call_name(node)
    found = list(node.args) if name in LABEL_CALLS else []
    found += [part for arg in node.args for part in _alternatives(arg)] if name in WORD_CALLS else []
    found += [kw.value for kw in node.keywords if kw.arg in LABEL_KEYWORDS
              or (name in LABEL_CALLS and kw.arg in CHILD_KEYWORDS)]
    found = [item for value in found
             for item in (value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value])]
    return [value for value in found if _is_string(value)]


def _is_string(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant)
                                               and isinstance(node.value, str))


def _docstring(node) -> list[ast.expr]:
    """The docstring of a function or class: the string its body starts with."""
    first = node.body[0] if node.body else None
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return [first.value]
    return []


def _is_expression(text: str) -> bool:
    try:
        ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return False
    return bool(text.strip())


_CODE_LIKE = re.compile(r"^[\w.()\[\]=]*[_.()\[\]=][\w.()\[\]=]*$")


def _string(node: ast.expr, tr: Translate, *, word: bool = False) -> str | None:
    """The replacement literal for a child-facing string, or None to leave it.

    ``word``: the string is a label, so plain words without code characters are a text even
    when Python could read them as a name (``"accuracy"``, but not ``"max_depth"``).
    """
    if isinstance(node, ast.Constant):
        label = (word and not _CODE_LIKE.match(node.value.strip())
                 and bool(re.search(r"[^\W\d_]{2}", node.value)))
        if not is_text(node.value) or (_is_expression(node.value) and not label):
            return None
        if label and _is_expression(node.value) and node.value.strip() != node.value:
            # A word padded to line up a printed table ("  mean  "): the word is the text.
            core = node.value.strip()
            before = node.value[:len(node.value) - len(node.value.lstrip())]
            after = node.value[len(node.value.rstrip()):]
            translated = before + tr(core) + after
        else:
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
