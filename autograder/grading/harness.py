"""Run one notebook's cells in this process, as a Jupyter kernel would, and judge test cells.

This module runs inside the sandbox, in a child forked for one submission (see
:mod:`autograder.grading.runner`). It imports nothing else from ``autograder``.

Cells run in an IPython ``InteractiveShell`` (no kernel is started). Outputs are captured
into nbformat outputs the way ipykernel and nbclient make them (``stream``,
``execute_result``, ``display_data``, ``error``; writes to file descriptors 1 and 2 become
stream outputs too), so nbgrader's own scoring gives the same points as after a kernel run.

Threat model (what the harness defends, and what it does not)
-------------------------------------------------------------
The child's code runs in the same process as this harness, so nothing here is secret from
it. The harness therefore never *decides* a score; it reports, cell by cell, what happened,
and the coordinator (outside the sandbox) decides:

* **Before each test cell** (a locked grade cell) the harness puts back what child code
  may have bent, and says so as a flag: IPython input and AST transformers, custom
  exception handlers and instance-level overrides of the shell's methods, the methods of
  IPython's shell classes, the builtins, signal handlers, ``sys.settrace`` hooks,
  ``sys.displayhook``/``excepthook``, and the functions and classes of the trusted helper
  modules (the checks, ``widgets``, ``numpy.testing``…), from copies taken before any
  child code ran.
* **Pass or fail comes from the exception**, caught around the cell by the harness's own
  copy of ``run_cell``, not from outputs the child's code can print or hide: a cell whose
  traceback was hidden (``showtraceback`` replaced, an exception handler that prints
  nothing) still fails, and the coordinator adds the missing error output.
* **Equality in test cells** (``a == b`` written in a test cell) goes through a trusted
  comparison: an object of a class defined by the child's own code that claims to equal a
  plain value (number, string, list…) is not believed, and is flagged.
* **Early exits** (``sys.exit``, ``os._exit``, a crash) end the stream of cell reports:
  the coordinator scores every cell without a report as failed.
* **Verdicts travel in order**, one report per cell over a pipe the runner reads; a report
  out of order, twice, or for a cell not yet run (forged by child code writing to the
  pipe) makes the runner stop trusting the child: the rest of the notebook scores 0 and is
  flagged.

Not defended: code that searches this process's memory for the harness itself and rewrites
it (for example replacing the function that sends reports), or that writes well-formed
reports for every remaining cell straight to the report pipe (its descriptor is listed in
``/proc/self/fd``) and then ends its process, can forge the reports of its own submission.
The sandbox still keeps such code away from the course, the gradebook and other learners,
and the coordinator never takes a cell's source back from the sandbox (only outputs), so
such a forgery can only change the forger's own score, the way copying the solution could.
Stronger isolation would run every test cell in a second process fed only
plain values, which nbgrader's test cells (that call the child's functions) do not allow.
"""

from __future__ import annotations

import ast
import builtins
import os
import pkgutil
import signal
import sys
import tempfile
import types

__all__ = ["CellTimeoutError", "Harness"]

_MISSING = object()
_PLAIN = (int, float, complex, str, bytes, bool, type(None), list, tuple, dict, set, frozenset)


class CellTimeoutError(BaseException):
    """A cell ran longer than its time limit (BaseException: a bare ``except`` in child code
    that swallows it only delays the submission's own hard limit)."""


def _trusted_eq(left, right):
    """``left == right``, not believing child-made objects that claim to equal plain values."""
    for mine, other in ((left, right), (right, left)):
        kind = type(mine)
        if (getattr(kind, "__module__", "") == "__main__" and isinstance(other, _PLAIN)
                and "__eq__" in _own_attributes(kind)):
            _Flags.add("a test compared a value made by an object that says it equals "
                       "anything (a class with its own ==)")
            return False
    return left == right


def _trusted_ne(left, right):
    return not _trusted_eq(left, right)


def _child_made(value) -> bool:
    """Was ``value`` (a function, method or class) defined by code run in the cells?"""
    function = getattr(value, "__func__", value)
    return getattr(function, "__module__", None) == "__main__"


class _Distrusted:
    """Stands in, in a test cell, for a child-made value that lies about its equality."""

    def __eq__(self, other):
        return False

    def __ne__(self, other):
        return True

    __hash__ = object.__hash__

    def __repr__(self):
        return "<a value that says it equals anything>"


def _vet(value):
    """``value``, unless it is a child-made subclass of a plain type with its own ``==``."""
    kind = type(value)
    if (getattr(kind, "__module__", "") == "__main__" and isinstance(value, _PLAIN)
            and {"__eq__", "__ne__"} & _own_attributes(kind)):
        _Flags.add("a test was given a value that says it equals anything (a subclass of a "
                   "plain type with its own ==)")
        return _Distrusted()
    return value


def _own_attributes(kind) -> set[str]:
    names = set()
    for klass in kind.__mro__:
        if getattr(klass, "__module__", "") == "__main__":
            names.update(vars(klass))
    return names


class _Flags:
    """Flags raised while the current cell runs (a module-level list the harness owns)."""

    current: list[str] = []

    @classmethod
    def add(cls, text: str) -> None:
        if text not in cls.current:
            cls.current.append(text)


class _TrustedCompare(ast.NodeTransformer):
    """Rewrite ``a == b`` and ``a != b`` in test cells into trusted comparisons, and vet the
    values a test cell passes to a function (such as a check)."""

    def visit_Call(self, node):
        self.generic_visit(node)

        def vetted(value):
            call = ast.Call(func=ast.Name(id="_jazari_vet", ctx=ast.Load()), args=[value],
                            keywords=[])
            return ast.copy_location(call, value)

        node.args = [arg if isinstance(arg, ast.Starred) else vetted(arg) for arg in node.args]
        for keyword in node.keywords:
            if keyword.arg is not None:
                keyword.value = vetted(keyword.value)
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
            return node
        name = "_jazari_trusted_eq" if isinstance(node.ops[0], ast.Eq) else "_jazari_trusted_ne"
        call = ast.Call(func=ast.Name(id=name, ctx=ast.Load()),
                        args=[node.left, node.comparators[0]], keywords=[])
        return ast.copy_location(call, node)


class _Capture:
    """Collects one cell's outputs as nbformat output dicts."""

    def __init__(self, limit: int):
        self.outputs: list[dict] = []
        self.limit = limit
        self.size = 0
        self.truncated = False
        self.wait_clear = False

    def _room(self, size: int) -> bool:
        if self.size + size > self.limit:
            self.truncated = True
            return False
        self.size += size
        return True

    def _before_output(self) -> None:
        if self.wait_clear:
            self.outputs.clear()
            self.wait_clear = False

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        self._before_output()
        if not self._room(len(text.encode("utf-8", "replace"))):
            text = text[:max(0, self.limit - self.size)]
            self.size = self.limit
            if not text:
                return
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def mime(self, output_type: str, data: dict, metadata: dict, **extra) -> None:
        self._before_output()
        data = {key: value for key, value in data.items()}
        size = sum(len(str(value)) for value in data.values())
        if not self._room(size):
            data = {"text/plain": "[output too large: not kept]"}
        self.outputs.append({"output_type": output_type, "data": data,
                             "metadata": metadata or {}, **extra})

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self._before_output()
        size = sum(len(line) for line in traceback)
        if not self._room(size):
            traceback = traceback[-3:]
        self.outputs.append({"output_type": "error", "ename": ename, "evalue": evalue,
                             "traceback": list(traceback)})

    def clear(self, wait: bool) -> None:
        if wait:
            self.wait_clear = True
        else:
            self.outputs.clear()


class _Stream:
    """``sys.stdout`` / ``sys.stderr`` for the cells."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, harness: Harness, name: str):
        self._harness = harness
        self.name = name

    def write(self, text) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._harness.capture.stream(self.name, text)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1 if self.name == "stdout" else 2

    @property
    def closed(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


class Harness:
    """One shell per forked child; :meth:`run_cell` runs a cell and reports on it."""

    def __init__(self, *, trusted_modules: list[str], cell_output_limit: int):
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell

        harness = self
        self.cell_output_limit = cell_output_limit
        self.capture = _Capture(cell_output_limit)

        class Hook(DisplayHook):
            def write_output_prompt(self):
                pass

            def write_format_data(self, format_dict, md_dict=None):
                harness.capture.mime("execute_result", format_dict, md_dict or {},
                                     execution_count=self.shell.execution_count)

            def finish_displayhook(self):
                sys.stdout.flush()

        class Publisher(DisplayPublisher):
            def publish(self, data, metadata=None, source=None, *, transient=None,
                        update=False, **kwargs):
                harness.capture.mime("display_data", data, metadata or {})

            def clear_output(self, wait=False):
                harness.capture.clear(wait)

        class Shell(InteractiveShell):
            def _showtraceback(self, etype, evalue, stb):
                harness.capture.error(etype.__name__, str(evalue), stb)

            def init_io(self):
                pass

        self.shell = Shell.instance(displayhook_class=Hook, display_pub_class=Publisher,
                                    colors="Linux")
        self.shell.history_manager.enabled = False
        # Plain tracebacks: the same exceptions and scores, without the seconds that
        # IPython's default (syntax-highlighted, with context) tracebacks cost per error.
        self.shell.InteractiveTB.set_mode("Plain")
        self.shell.user_ns["_jazari_trusted_eq"] = _trusted_eq
        self.shell.user_ns["_jazari_trusted_ne"] = _trusted_ne
        self.shell.user_ns["_jazari_vet"] = _vet
        self._run_cell = InteractiveShell.run_cell
        self._trusted_modules = trusted_modules
        self._pristine: dict = {}

    # -- pristine copies, taken before any child code runs ---------------------------------

    def warm_up(self) -> None:
        """Run a few cells of the harness's own (an output, an error, a display), then forget
        them, so the first learner's cells do not pay for the lazy imports they trigger."""
        for source in ("print('warm')", "1 / 0", "from IPython.display import display\n"
                       "display('warm')", "import sys; sys.stderr.write('warm')"):
            self.run_cell(source, is_test=False, timeout=None)
        self.shell.reset(new_session=False)
        self.shell.execution_count = 1
        self.shell.user_ns["_jazari_trusted_eq"] = _trusted_eq
        self.shell.user_ns["_jazari_trusted_ne"] = _trusted_ne
        self.shell.user_ns["_jazari_vet"] = _vet

    def snapshot(self) -> None:
        """Remember what test cells must find unchanged (call before the first cell)."""
        import importlib

        from IPython.core import interactiveshell

        shell = self.shell
        for name in self._trusted_modules:
            try:
                package = importlib.import_module(name)
            except Exception:  # a helper that cannot load here is simply not guarded
                continue
            for found in pkgutil.iter_modules(getattr(package, "__path__", []),
                                              prefix=f"{name}."):
                try:
                    importlib.import_module(found.name)
                except Exception:
                    continue
        modules = {name: module for name, module in sys.modules.items()
                   if any(name == root or name.startswith(root + ".")
                          for root in self._trusted_modules) and module is not None}
        classes = {}
        for module in modules.values():
            for value in list(vars(module).values()):
                if isinstance(value, type) and value.__module__ == module.__name__:
                    classes[value] = dict(vars(value))
        shell_classes = [k for k in type(shell).__mro__
                         if k.__module__.startswith(("IPython.", __name__))]
        functions = {id(v) for saved in [*(vars(m) for m in modules.values()),
                                         *classes.values()]
                     for v in saved.values() if isinstance(v, types.FunctionType)}
        saved = shell.custom_exceptions, shell.CustomTB
        shell.set_custom_exc((LookupError,), lambda *args, **kwargs: None)
        wrapper = shell.CustomTB.__func__.__code__
        shell.custom_exceptions, shell.CustomTB = saved
        self._pristine = {
            "custom_exc_wrapper": wrapper,
            "functions": functions,
            "builtins": dict(vars(builtins)),
            "modules": {module: dict(vars(module)) for module in modules.values()},
            "classes": classes,
            "shell_classes": {k: dict(vars(k)) for k in shell_classes},
            "shell_dict": set(vars(shell)),
            "input_transformers_cleanup": list(shell.input_transformers_cleanup),
            "input_transformers_post": list(shell.input_transformers_post),
            "ast_transformers": list(shell.ast_transformers),
            "custom_exceptions": shell.custom_exceptions,
            "CustomTB": shell.CustomTB,
            "signals": {sig: signal.getsignal(sig) for sig in (signal.SIGALRM, signal.SIGINT)},
            "sys": {name: getattr(sys, name) for name in
                    ("displayhook", "excepthook", "stdout", "stderr")},
            "interactiveshell_module": dict(vars(interactiveshell)),
        }

    def _restore_dict(self, target, pristine: dict, what: str, flags: list[str],
                      *, setter=setattr) -> None:
        current = vars(target)
        for key, value in pristine.items():
            if key in current and current[key] is value:
                continue
            if key.startswith("__") and key not in ("__eq__", "__ne__", "__import__"):
                continue  # __doc__, __dict__ descriptors... never child-made
            try:
                setter(target, key, value)
            except (AttributeError, TypeError):
                continue
            flags.append(f"changed {what}.{key}")

    def _trusted(self, value) -> bool:
        """Is ``value`` one of the trusted modules' own functions, methods or objects?

        Decided by identity with what those modules held before any child code ran (a
        function's ``__module__`` could be forged; its identity cannot)."""
        function = getattr(value, "__func__", value)
        if isinstance(function, types.FunctionType):
            if id(function) in self._pristine["functions"]:
                return True
            if function.__code__ is self._pristine["custom_exc_wrapper"] and function.__closure__:
                # IPython's set_custom_exc wraps the handler: judge the handler it wraps
                return any(self._trusted(cell.cell_contents) for cell in function.__closure__
                           if isinstance(getattr(cell, "cell_contents", None),
                                         types.FunctionType))
            return False
        return type(value) in self._pristine["classes"]

    def restore_builtins(self) -> list[str]:
        """Put back the builtins (after every cell: the harness's own code needs them)."""
        flags = []
        current = vars(builtins)
        for key, value in self._pristine["builtins"].items():
            if current.get(key, _MISSING) is not value:
                current[key] = value
                if key not in ("_", "__", "___"):
                    flags.append(f"changed the builtin {key}")
        return flags

    def restore(self) -> list[str]:
        """Put back everything a test cell relies on; returns what had been changed."""
        pristine = self._pristine
        shell = self.shell
        flags = self.restore_builtins()
        for module, saved in pristine["modules"].items():
            changed = [key for key, value in saved.items()
                       if not key.startswith("__") and vars(module).get(key, object()) is not value]
            for key in changed:
                vars(module)[key] = saved[key]
                flags.append(f"changed {module.__name__}.{key}")
        for klass, saved in {**pristine["classes"], **pristine["shell_classes"]}.items():
            for key, value in saved.items():
                if key in ("__dict__", "__weakref__", "__doc__"):
                    continue
                if vars(klass).get(key, object()) is not value:
                    try:
                        setattr(klass, key, value)
                    except (AttributeError, TypeError):
                        continue
                    flags.append(f"changed {klass.__name__}.{key}")
            for key in set(vars(klass)) - set(saved):
                if _child_made(vars(klass)[key]):
                    try:
                        delattr(klass, key)
                    except (AttributeError, TypeError):
                        continue
                    flags.append(f"added {klass.__name__}.{key}")
        for key in set(vars(shell)) - pristine["shell_dict"]:
            value = vars(shell)[key]
            if callable(value) and hasattr(type(shell), key) and not self._trusted(value):
                del vars(shell)[key]
                flags.append(f"replaced the shell's {key}")
        for name, what in (("input_transformers_cleanup", "an IPython input transformer"),
                           ("input_transformers_post", "an IPython input transformer"),
                           ("ast_transformers", "an IPython AST transformer")):
            current = list(getattr(shell, name))
            kept = [t for t in current if any(t is p for p in pristine[name]) or self._trusted(t)]
            if len(kept) != len(current):
                getattr(shell, name)[:] = kept
                flags.append(f"added {what}")
        if (shell.custom_exceptions != pristine["custom_exceptions"]
                or shell.CustomTB != pristine["CustomTB"]) and not self._trusted(shell.CustomTB):
            shell.custom_exceptions = pristine["custom_exceptions"]
            shell.CustomTB = pristine["CustomTB"]
            flags.append("set its own exception handler")
        for name, value in pristine["sys"].items():
            if name in ("stdout", "stderr"):
                continue  # set per cell below
            if getattr(sys, name) is not value:
                setattr(sys, name, value)
                flags.append(f"replaced sys.{name}")
        if sys.gettrace() is not None or sys.getprofile() is not None:
            sys.settrace(None)
            sys.setprofile(None)
            flags.append("set a trace or profile hook")
        for sig, handler in pristine["signals"].items():
            if signal.getsignal(sig) is not handler:
                signal.signal(sig, handler)
                flags.append(f"changed the handler of signal {signal.Signals(sig).name}")
        return flags

    # -- running ------------------------------------------------------------------------

    def run_cell(self, source: str, *, is_test: bool, timeout: float | None) -> dict:
        """Run one cell; returns ``{"outputs", "execution_count", "raised", "ename", "flags"}``."""
        shell = self.shell
        flags = self.restore() if is_test else []
        _Flags.current = []
        self.capture = _Capture(self.cell_output_limit)
        transformer = None
        if is_test:
            transformer = _TrustedCompare()
            shell.ast_transformers.append(transformer)
            shell.user_ns["_jazari_trusted_eq"] = _trusted_eq
            shell.user_ns["_jazari_trusted_ne"] = _trusted_ne
            shell.user_ns["_jazari_vet"] = _vet
        saved_out, saved_err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream(self, "stdout"), _Stream(self, "stderr")
        fd_out = tempfile.TemporaryFile()
        fd_err = tempfile.TemporaryFile()
        kept = os.dup(1), os.dup(2)
        os.dup2(fd_out.fileno(), 1)
        os.dup2(fd_err.fileno(), 2)

        def on_alarm(signum, frame):
            raise CellTimeoutError(f"the cell ran longer than {timeout:g} s")

        previous = signal.signal(signal.SIGALRM, on_alarm)
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        raised, ename = False, ""
        try:
            result = self._run_cell(shell, source, store_history=True, silent=False)
            error = result.error_before_exec or result.error_in_exec
            if error is not None:
                raised, ename = True, type(error).__name__
        except CellTimeoutError as error:  # raised outside the cell's own code
            raised, ename = True, type(error).__name__
            self.capture.error(ename, str(error), [f"CellTimeoutError: {error}"])
        finally:
            builtin_flags = self.restore_builtins()
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            try:
                sys.stdout.flush()
            except Exception:
                pass
            os.dup2(kept[0], 1)
            os.dup2(kept[1], 2)
            os.close(kept[0])
            os.close(kept[1])
            sys.stdout, sys.stderr = saved_out, saved_err
            if transformer is not None and transformer in shell.ast_transformers:
                shell.ast_transformers.remove(transformer)
        flags.extend(flag for flag in builtin_flags if flag not in flags)
        for name, handle in (("stdout", fd_out), ("stderr", fd_err)):
            handle.seek(0)
            text = handle.read(self.cell_output_limit + 1).decode("utf-8", "replace")
            handle.close()
            self.capture.stream(name, text)
        if raised and not any(o["output_type"] == "error" for o in self.capture.outputs):
            flags.append("hid the error of a failing cell")
        if self.capture.truncated:
            self.capture.stream("stderr", "\n[output cut: more than the limit for one cell]\n")
        flags.extend(_Flags.current)
        return {"outputs": self.capture.outputs, "execution_count": shell.execution_count - 1,
                "raised": raised, "ename": ename, "flags": flags}


def fresh_module(name: str) -> types.ModuleType | None:
    """The module ``name`` if it is loaded (for tests of the harness)."""
    return sys.modules.get(name)
