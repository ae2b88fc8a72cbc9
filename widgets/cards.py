"""Command cards: build a robot program by clicking cards, see the Python it makes, run it.

For ages 8-10, as block programming on Code.org, but the program is real Python: a list of
command words (``program = ["forward", "left"]``) the child can copy into an answer cell. The
words are the class's (``["avance", "gauche"]`` in a French class, see
:mod:`widgets.robot_words`), as the translated answer cells and checks expect them.
Every card is a button (Tab, then Enter or Space). ``add(command)``, ``remove_last()``,
``clear()`` and ``run()`` do what the cards do, so tests drive the widget without a browser;
``on_change(callback, remove=False)`` hears every change of the program and
``on_run(callback, remove=False)`` every run.
"""

from __future__ import annotations

import html

import ipywidgets as ipw
from traitlets import List, Unicode

from widgets.i18n import N_, _
from widgets.robot import Robot, RobotGrid, unknown_command
from widgets.robot_words import command_of, command_word

__all__ = ["CommandCards"]

_CARDS = (("forward", N_("Forward"), "arrow-up"), ("left", N_("Turn left"), "rotate-left"),
          ("right", N_("Turn right"), "rotate-right"), ("pick", N_("Pick"), "hand-paper-o"))


def python_of(program) -> str:
    """The Python line that makes ``program``."""
    return "program = [" + ", ".join(f'"{command}"' for command in program) + "]"


class CommandCards(ipw.VBox):
    """Cards that build a program for ``robot``, the Python it makes, and the robot's grid."""

    program = List(Unicode(), help="The command words chosen so far, in order, in the class's "
                   "words.")

    def __init__(self, robot: Robot | None = None, **kwargs):
        self.robot = robot if robot is not None else Robot()
        self.grid = RobotGrid(self.robot, buttons=False)
        self._code = ipw.HTML()
        self._changed = ipw.CallbackDispatcher()
        self._ran = ipw.CallbackDispatcher()
        cards = []
        for command, label, icon in _CARDS:
            if command == "pick" and not self.robot.world.items:
                continue
            card = ipw.Button(description=_(label), icon=icon, button_style="info",
                              tooltip=_("Add the card {label} to the program", label=_(label)))
            card.on_click(lambda _button, command=command: self.add(command))
            cards.append(card)
        tools = []
        for name, label, icon, action, tip in (
                ("remove", N_("Remove last"), "backspace", self.remove_last,
                 N_("Take away the last card")),
                ("clear", N_("Clear"), "trash", self.clear, N_("Take away every card")),
                ("run", N_("Run"), "play", self.run,
                 N_("Put the robot back at the start and run the program"))):
            button = ipw.Button(description=_(label), icon=icon, tooltip=_(tip),
                                button_style="success" if name == "run" else "")
            button.on_click(lambda _button, action=action: action())
            tools.append(button)
        self._cards = ipw.HBox(cards)
        self._tools = ipw.HBox(tools)
        super().__init__(children=[self.grid, ipw.Label(_("Cards:")), self._cards, self._tools,
                                   self._code], **kwargs)
        self._show()

    @property
    def code(self) -> str:
        """The Python the cards wrote."""
        return python_of(self.program)

    def on_change(self, callback, remove: bool = False) -> None:
        """Call ``callback(program)`` after each change of the program (or stop calling it)."""
        self._changed.register_callback(callback, remove=remove)

    def on_run(self, callback, remove: bool = False) -> None:
        """Call ``callback(program)`` after each run (or stop calling it)."""
        self._ran.register_callback(callback, remove=remove)

    def add(self, command: str) -> None:
        """Add the card ``command`` (a command word, the class's or the English one) at the end
        of the program, which gets the class's word."""
        english = command_of(command)
        if english is None:
            raise unknown_command(command)
        self.program = [*self.program, command_word(english)]
        self._after_change()

    def remove_last(self) -> None:
        """Take away the last card (nothing happens when there is none)."""
        if self.program:
            self.program = self.program[:-1]
            self._after_change()

    def clear(self) -> None:
        """Take away every card."""
        self.program = []
        self._after_change()

    def run(self) -> None:
        """Put the robot back at the start and run the program."""
        self.grid.press("reset")
        self.grid.play(list(self.program), delay=0)
        self._show()
        self._ran(list(self.program))

    def _after_change(self) -> None:
        self._show()
        self._changed(list(self.program))

    def _show(self) -> None:
        count = len(self.program)
        title = _("The Python your cards wrote ({count} commands):", count=count)
        self._code.value = (
            f"<div>{html.escape(title)}"
            f"</div><pre style='direction:ltr;text-align:left;font-size:1.1em'>"
            f"{html.escape(self.code)}</pre>")
