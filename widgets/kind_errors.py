"""Kind error messages: one or two plain lines naming the child's own line, with a hint.

:func:`install` (called by the unit's setup cell, never at import) gives an IPython shell an
exception handler for the errors children make: syntax and indentation errors, unknown
names and attributes (with "did you mean…"), a command word the robot does not know, a wrong
number of arguments, a place not in a list, a missing key, a division by zero, a function
that calls itself without end, an endless loop stopped by hand, and failed checks. The
child first reads the kind lines; the full traceback stays one click away, folded in an
HTML ``<details>``. The cell still fails (an ``error`` output), so nbgrader still counts it.

It also watches for a function used without brackets (``robot.forward`` alone does
nothing) and says so, and it remembers which cells failed, so a later "name not defined"
says to fix the error above rather than to run the cell again.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import html
import inspect
import linecache
import re

from widgets.errors import KindError
from widgets.i18n import _

__all__ = ["bare", "explain", "install", "uninstall"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_STATE: dict = {"failed": {}, "noted": set()}  # failed: name -> the failed cell's number
_OPENERS = ("if", "elif", "else", "for", "while", "def", "class", "try", "except", "finally",
            "with")


# --- where in the child's code ---------------------------------------------------------------
def _cell_number(shell, filename) -> int | None:
    names = getattr(getattr(shell, "compile", None), "_filename_map", {})
    return names.get(filename)


def _where(shell, number, lineno, text) -> str:
    text = (text or "").strip()
    names = getattr(getattr(shell, "compile", None), "_filename_map", {})
    current = max(names.values(), default=None)  # the cell running now was cached last
    if number is None or number == current:
        place = _("Line {line}", line=lineno)
    else:
        place = _("Line {line} of cell [{cell}]", line=lineno, cell=number)
    return f"{place}: {text}" if text else place


def _child_frame(shell, tb):
    """The innermost frame of the traceback that runs the child's own cells."""
    found = None
    while tb is not None:
        if _cell_number(shell, tb.tb_frame.f_code.co_filename) is not None:
            found = tb
        tb = tb.tb_next
    return found


def _suggest(word, candidates) -> str | None:
    close = difflib.get_close_matches(str(word), sorted(set(candidates)), n=1, cutoff=0.7)
    return close[0] if close else None


# --- what went wrong, in words ----------------------------------------------------------------
def _syntax(value) -> tuple[str, str]:
    line = (value.text or "").strip()
    msg = str(getattr(value, "msg", "") or "")
    if isinstance(value, IndentationError):
        if "expected an indented block" in msg:
            hint = _("The lines inside an if, a for or a def start with 4 more spaces.")
        elif "unexpected indent" in msg:
            hint = _("This line starts with spaces, but it should not. Line it up with the "
                     "line above.")
        else:
            hint = _("Line it up with the lines above it: use 4 spaces for each step in.")
        return _("The spaces at the start of a line are not right."), hint
    first = line.split(maxsplit=1)[0].rstrip(":") if line else ""
    if first in _OPENERS and not line.rstrip().endswith(":"):
        hint = _("Put a colon : at the end of the line that starts with {word}.", word=first)
    elif "never closed" in msg or "unexpected EOF" in msg or "'(' was" in msg:
        hint = _("A bracket is opened but never closed: count the ( and ) and the [ and ].")
    elif "unterminated string" in msg or "EOL while scanning" in msg:
        hint = _("A quote is missing: a text starts and ends with the same quote mark.")
    elif "unmatched" in msg:
        hint = _("There is a closing bracket with no opening bracket before it.")
    elif "forgot a comma" in msg:
        hint = _("Maybe a comma is missing between two things.")
    elif "'=' " in msg or "maybe you meant '=='" in msg:
        hint = _("To compare two things, write == (two equal signs).")
    else:
        hint = _("Check the brackets, quotes, colons and commas on this line.")
    return _("Python cannot read this line."), hint


def _name_error(shell, value, frame) -> tuple[str, str]:
    name = getattr(value, "name", None) or (re.findall(r"'(\w+)'", str(value)) or ["?"])[0]
    failed = _STATE["failed"].get(name)
    if failed is not None:
        return (_("{name} was not made, because the cell that makes it stopped with an error "
                  "(cell [{cell}]).", name=name, cell=failed),
                _("Fix the error in that cell and run it again, then run this one."))
    candidates = [n for n in getattr(shell, "user_ns", {}) if not n.startswith("_")]
    candidates += [n for n in dir(builtins) if not n.startswith("_")]
    if frame is not None:
        candidates += list(frame.tb_frame.f_locals) + list(frame.tb_frame.f_globals)
    close = _suggest(name, [c for c in candidates if c != name and not c.startswith("_")])
    message = _("Python does not know the name {name}.", name=name)
    if close:
        return message, _("Did you mean {word}?", word=close)
    return message, _("Did you run the cell that makes {name} first? Check the spelling too.",
                      name=name)


def _attribute_error(value) -> tuple[str, str]:
    name = getattr(value, "name", None)
    obj = getattr(value, "obj", None)
    if name is None:
        return _("Python stopped: {problem}", problem=value), _("Check the spelling.")
    kind = type(obj).__name__
    if kind == "Robot":
        message = _("The robot does not know {name}.", name=name)
    else:
        message = _("{kind} has nothing called {name}.", kind=kind, name=name)
    close = _suggest(name, [n for n in dir(obj) if not n.startswith("_")])
    return message, (_("Did you mean {word}?", word=close) if close
                     else _("Check the spelling."))


def _type_error(value) -> tuple[str, str]:
    text = str(value)
    hint = _("Look at the def line to see what the function needs between its brackets.")
    match = re.search(r"([\w.]+)\(\) takes (\d+) positional arguments? but (\d+) (?:was|were) "
                      r"given", text)
    if match:
        name, wanted, given = match.group(1), int(match.group(2)), int(match.group(3))
        if "." in name:  # a method: Python counts the object itself
            wanted, given = wanted - 1, given - 1
        short = name.rsplit(".", 1)[-1]
        if wanted == 0:
            return (_("{name}() takes nothing between its brackets, but it got {given} "
                      "values.", name=short, given=given), _("Write {name}() with empty "
                                                             "brackets.", name=short))
        return (_("{name}() needs {wanted} values between its brackets, but it got {given}.",
                  name=short, wanted=wanted, given=given), hint)
    match = re.search(r"([\w.]+)\(\) missing \d+ required positional arguments?: (.*)", text)
    if match:
        return (_("{name}() needs more values between its brackets: {missing} is missing.",
                  name=match.group(1).rsplit(".", 1)[-1], missing=match.group(2)), hint)
    match = re.search(r"'(\w+)' object is not callable", text)
    if match:
        return (_("This is {kind}, not a function, so it cannot take brackets ().",
                  kind=match.group(1)), _("Take away the brackets, or check the name."))
    return (_("Python cannot do this with these kinds of values ({problem}).", problem=text),
            _("Check what each value is, for example with print(type(value))."))


def explain(shell, etype, value, tb) -> list[str]:
    """The kind lines for an error: where (the child's line) and what, then a hint."""
    from widgets.checks import TryAgain

    if issubclass(etype, TryAgain):
        return [_("Not yet! {message}", message=value)]
    if issubclass(etype, NotImplementedError):
        return [_("This exercise is waiting for you: write your code where it says YOUR CODE "
                  "HERE, and take away the line 'raise NotImplementedError()'.")]
    frame = _child_frame(shell, tb)
    if issubclass(etype, SyntaxError):
        where = _where(shell, _cell_number(shell, value.filename), value.lineno, value.text)
        message, hint = _syntax(value)
        return [where, f"{message} {hint}"]
    if frame is not None:
        code = frame.tb_frame.f_code
        where = _where(shell, _cell_number(shell, code.co_filename), frame.tb_lineno,
                       linecache.getline(code.co_filename, frame.tb_lineno))
    else:
        where = ""
    if issubclass(etype, KindError):
        message, hint = str(value), value.hint
    elif issubclass(etype, NameError):
        message, hint = _name_error(shell, value, frame)
    elif issubclass(etype, AttributeError):
        message, hint = _attribute_error(value)
    elif issubclass(etype, TypeError):
        message, hint = _type_error(value)
    elif issubclass(etype, IndexError):
        message = _("You asked for a place that is not in the list.")
        hint = _("A list of 3 things has places 0, 1 and 2. Check your range() and len().")
    elif issubclass(etype, KeyError):
        message = _("The dictionary has no key {key}.", key=value)
        hint = _("Check the spelling of the key, or add it first.")
    elif issubclass(etype, ZeroDivisionError):
        message = _("You divided by zero.")
        hint = _("Check that the number you divide by is not 0, for example the length of an "
                 "empty list.")
    elif issubclass(etype, RecursionError):
        message = _("Your function calls itself again and again and never stops.")
        hint = _("Make sure there is a case where it gives an answer without calling itself.")
    elif issubclass(etype, KeyboardInterrupt):
        message = _("The cell was stopped before it finished.")
        hint = _("If it ran for a long time, a loop may never end: check that something "
                 "changes each time round the loop.")
    else:
        message = _("Python stopped with a {kind}: {problem}", kind=etype.__name__, problem=value)
        hint = ""
    lines = [where] if where else []
    lines.append(f"{message} {hint}".strip())
    return lines


# --- showing it ---------------------------------------------------------------------------------
def _full_traceback(shell, etype, value, tb, tb_offset=None) -> str:
    try:
        if issubclass(etype, SyntaxError):
            stb = shell.SyntaxTB.structured_traceback(etype, value, [])
        else:
            stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        return _ANSI.sub("", shell.InteractiveTB.stb2text(stb))
    except Exception:  # pragma: no cover - IPython's own formatter failed: say what we know
        return f"{etype.__name__}: {value}"


def _show(shell, etype, value, tb, tb_offset=None):
    """Publish the kind lines as the cell's error, then the full traceback folded."""
    lines = explain(shell, etype, value, tb)
    shell._showtraceback(etype, value, lines)
    from widgets.checks import TryAgain

    if issubclass(etype, (TryAgain, NotImplementedError)):
        return lines
    full = _full_traceback(shell, etype, value, tb, tb_offset)
    summary = _("Show the full error message")
    shell.display_pub.publish(
        data={"text/plain": _("(The full error message is folded away.)"),
              "text/html": (f"<details class='jazari-traceback'><summary>{html.escape(summary)}"
                            f"</summary><pre>{html.escape(full)}</pre></details>")},
        metadata={})
    return lines


def _handler(shell, etype, value, tb, tb_offset=None):
    return _show(shell, etype, value, tb, tb_offset)


def _show_syntax_error(shell, filename=None, running_compiled_code=False):
    etype, value, tb = shell._get_exc_info()
    if filename:
        try:
            value.filename = filename
        except AttributeError:  # pragma: no cover
            pass
    _show(shell, etype, value, tb)


# --- a function used without brackets ------------------------------------------------------------
def bare(value, code: str, line: int, cell: int | None = None):
    """Called for a statement that is only a name (``robot.forward``): a function named but
    not called does nothing, so say so (once per cell run); anything else is given back."""
    if not inspect.isroutine(value):
        return value
    from IPython import get_ipython

    shell = get_ipython()
    if (code, line, cell) in _STATE["noted"]:
        return None
    _STATE["noted"].add((code, line, cell))
    where = _where(shell, cell, line, "") if shell is not None else _("Line {line}", line=line)
    note = _("{where}: {code} does nothing without brackets. Write {code}() to make it "
             "happen.", where=where, code=code)
    if shell is not None:
        shell.display_pub.publish(data={"text/plain": note}, metadata={})
    else:
        print(note)
    return None


class _BareNames(ast.NodeTransformer):
    """Wraps every statement that is only a name or an attribute in a call to :func:`bare`."""

    def __init__(self, shell):
        super().__init__()
        self.shell = shell

    def cell(self) -> int | None:
        """The number of the cell being compiled (IPython cached it just before)."""
        names = getattr(getattr(self.shell, "compile", None), "_filename_map", {})
        return max(names.values(), default=None)

    def visit_Expr(self, node):
        if isinstance(node.value, (ast.Name, ast.Attribute)):
            helper = ast.Attribute(
                value=ast.Call(func=ast.Name(id="__import__", ctx=ast.Load()),
                               args=[ast.Constant("widgets.kind_errors")],
                               keywords=[ast.keyword(arg="fromlist",
                                                     value=ast.Constant(("bare",)))]),
                attr="bare", ctx=ast.Load())
            call = ast.Call(func=helper, args=[node.value, ast.Constant(ast.unparse(node.value)),
                                               ast.Constant(node.lineno),
                                               ast.Constant(self.cell())], keywords=[])
            node.value = ast.copy_location(call, node.value)
            ast.fix_missing_locations(node)
        return node


# --- remembering failed cells ---------------------------------------------------------------------
def _made_names(source: str) -> set[str]:
    """Names a cell would make (def, class, assignment, import), even if it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(re.findall(r"^(?:def|class)\s+(\w+)", source, re.M)) | set(
            re.findall(r"^(\w+)\s*=[^=]", source, re.M))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _tampered(shell) -> list[str]:
    """Names of the checks that the child's code rebound in the notebook's namespace."""
    import sys

    checks = _STATE.get("checks")
    if checks is None:
        return []
    changed = []
    if sys.modules.get("widgets.checks") is not checks:  # put the real checks back
        sys.modules["widgets.checks"] = checks
        changed.append("widgets.checks")
    genuine = {name: checks.__dict__[name] for name in checks.__all__}
    namespace = getattr(shell, "user_ns", {})
    return changed + sorted(name for name, value in genuine.items()
                            if name in namespace and namespace[name] is not value)


def _after_cell(result) -> None:
    _STATE["noted"].clear()
    source = getattr(getattr(result, "info", None), "raw_cell", "") or ""
    from IPython import get_ipython

    shell = get_ipython()
    changed = _tampered(shell) if shell is not None else []
    if changed:  # fail this cell: a check was replaced while it ran
        from widgets.errors import ReadOnly

        error = ReadOnly(_("The checks cannot be changed: {names} was replaced by your code.",
                           names=", ".join(changed)),
                         hint=_("Take that away from your answer, then run the cells again."))
        for name in changed:
            if name in shell.user_ns and name != "widgets.checks":
                shell.user_ns.pop(name)
        shell._showtraceback(ReadOnly, error, [str(error), error.hint])
    names = _made_names(source)
    if result.success:
        for name in names:
            _STATE["failed"].pop(name, None)
    else:
        for name in names:
            _STATE["failed"][name] = result.execution_count


# --- switching it on and off -----------------------------------------------------------------------
def install(shell) -> None:
    """Give ``shell`` the kind error handler, the bracket watcher and the failed-cell memory."""
    import widgets.checks

    uninstall(shell)
    _STATE["checks"] = widgets.checks
    shell.set_custom_exc((Exception, KeyboardInterrupt), _handler)
    shell.showsyntaxerror = _show_syntax_error.__get__(shell)
    shell.showindentationerror = _show_syntax_error.__get__(shell)
    shell.ast_transformers.append(_BareNames(shell))
    shell.events.register("post_run_cell", _after_cell)


def uninstall(shell) -> None:
    """Take it all away again (IPython's own tracebacks come back)."""
    shell.set_custom_exc((), None)
    for name in ("showsyntaxerror", "showindentationerror"):
        shell.__dict__.pop(name, None)
    shell.ast_transformers[:] = [t for t in shell.ast_transformers
                                 if not isinstance(t, _BareNames)]
    try:
        shell.events.unregister("post_run_cell", _after_cell)
    except ValueError:
        pass
    _STATE["failed"].clear()
