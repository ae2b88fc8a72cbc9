"""A multiple-choice self-check: choose, check, read why, go on (never graded).

:class:`Quiz` shows one :class:`Question` at a time: its options are radio buttons (Tab to
them, then the arrow keys choose), "Check" says at once, kindly, whether the choice is right
and why (each option has its own explanation), and "Next question" goes on. The score is
said in words: how many questions were right on the first try.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ipywidgets as ipw
from traitlets import Bool, Int, TraitError, validate

from widgets import draw
from widgets.i18n import _

__all__ = ["Question", "Quiz"]


@dataclass(frozen=True)
class Question:
    """One question: its ``prompt``, the ``options``, the index of the right ``answer``, and
    one ``explanations`` entry per option (why it is right or not; may be empty)."""

    prompt: str
    options: tuple
    answer: int
    explanations: tuple = field(default=())

    def __post_init__(self):
        object.__setattr__(self, "options", tuple(str(option) for option in self.options))
        explanations = tuple(str(why) for why in self.explanations) or ("",) * len(self.options)
        object.__setattr__(self, "explanations", explanations)
        if len(self.options) < 2:
            raise ValueError(f"the question {self.prompt!r} needs at least two options")
        if not 0 <= int(self.answer) < len(self.options):
            raise ValueError(f"the answer of {self.prompt!r} must be the index of one of its "
                             f"{len(self.options)} options (0 to {len(self.options) - 1})")
        if len(self.explanations) != len(self.options):
            raise ValueError(f"the question {self.prompt!r} needs one explanation per option")

    @classmethod
    def make(cls, value) -> Question:
        """A question from a :class:`Question` or a dict with the same keys."""
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls(**value)
        raise TypeError("a question is a Question or a dict with prompt, options, answer, explanations")


class Quiz(ipw.VBox):
    """Several questions in turn, each checked at once with a kind explanation.

    ``choose(index)``, ``check()`` and ``next()`` do what the radio buttons and the two
    buttons do; ``on_answer(callback, remove=False)`` calls ``callback(question, choice,
    right)`` after each check (``question`` and ``choice`` are indices). The counters are
    read-only.
    """

    position = Int(0, read_only=True, help="Which question is shown (0 is the first).")
    choice = Int(None, allow_none=True, help="The option chosen (its index), or None.")
    right_first_try = Int(0, read_only=True, help="Questions answered right on the first try.")
    checked = Int(0, read_only=True, help="Questions checked at least once.")
    finished = Bool(False, read_only=True, help="Has every question been seen and checked?")

    def __init__(self, questions, **kwargs):
        self.questions = tuple(Question.make(q) for q in questions)
        if not self.questions:
            raise ValueError("a quiz needs at least one question")
        self._tries: list[list[int]] = [[] for _q in self.questions]
        self._callbacks = ipw.CallbackDispatcher()
        self._header = ipw.HTML()
        self._prompt = ipw.HTML()
        self._options = ipw.RadioButtons(options=[], value=None, description=_("Your answer"),
                                         style={"description_width": "initial"},
                                         layout=ipw.Layout(width="auto"))
        self._check = ipw.Button(description=_("Check"),
                                 tooltip=_("See if your answer is right, and why"))
        self._next = ipw.Button(description=_("Next question"),
                                tooltip=_("Go on to the next question"))
        self._feedback = ipw.HTML()
        self._score = ipw.HTML()
        self._check.on_click(lambda _button: self.check())
        self._next.on_click(lambda _button: self.next())
        self._options.observe(self._picked, "index")
        super().__init__(children=[self._header, self._prompt, self._options,
                                   ipw.HBox([self._check, self._next]), self._feedback, self._score],
                         **kwargs)
        self._show()

    @validate("choice")
    def _valid_choice(self, proposal):
        value = proposal["value"]
        if value is None:
            return None
        options = self.question.options
        if not 0 <= value < len(options):
            raise TraitError(_("Choose an option from 0 to {last}.", last=len(options) - 1))
        return value

    # --- events --------------------------------------------------------------------------
    def on_answer(self, callback, remove: bool = False) -> None:
        """Call ``callback(question, choice, right)`` after each check (or stop calling it)."""
        self._callbacks.register_callback(callback, remove=remove)

    @property
    def question(self) -> Question:
        """The question shown now."""
        return self.questions[self.position]

    def choose(self, index: int) -> None:
        """Choose option ``index`` (0 is the first), as clicking its radio button does."""
        self.choice = index
        self._options.index = index

    def check(self) -> bool | None:
        """Check the chosen option (what "Check" does): True if right, False if not, None if none."""
        if self.choice is None:
            self._feedback.value = self._line(_("Choose an answer first, then press Check."))
            return None
        question, tries = self.question, self._tries[self.position]
        right = self.choice == question.answer
        if not tries:
            self.set_trait("checked", self.checked + 1)
            if right:
                self.set_trait("right_first_try", self.right_first_try + 1)
        tries.append(self.choice)
        why = question.explanations[self.choice]
        if right:
            said = _("Yes, that is right!")
        else:
            said = _("Not quite. Have another look and try again.")
        self._feedback.value = self._line(f"{said} {why}".strip())
        if self.position == len(self.questions) - 1:
            self.set_trait("finished", self.checked == len(self.questions))
        self._next.disabled = self.position == len(self.questions) - 1
        self._score.value = self._line(self.score_text)
        self._callbacks(self.position, self.choice, right)
        return right

    def next(self) -> None:
        """Go on to the next question (what "Next question" does); the last one stays."""
        if self.position < len(self.questions) - 1:
            self.set_trait("position", self.position + 1)
            self._show()

    @property
    def score_text(self) -> str:
        """The score in words."""
        if self.finished:
            return _("You finished the quiz! Right on the first try: {right} of {total}.",
                     right=self.right_first_try, total=len(self.questions))
        return _("Right on the first try: {right} of {checked} checked so far.",
                 right=self.right_first_try, checked=self.checked)

    @property
    def text(self) -> str:
        """What the quiz shows, in words."""
        options = "; ".join(f"{i + 1}. {option}" for i, option in enumerate(self.question.options))
        chosen = (_("Chosen: {option}.", option=self.question.options[self.choice])
                  if self.choice is not None else _("Nothing chosen yet."))
        return " ".join([self._where(), self.question.prompt, options, chosen, self.score_text])

    # --- inside --------------------------------------------------------------------------
    def _picked(self, change) -> None:
        self.choice = change["new"]

    def _where(self) -> str:
        return _("Question {number} of {total}.", number=self.position + 1, total=len(self.questions))

    @staticmethod
    def _line(words: str) -> str:
        return f"<div dir='auto' role='status' aria-live='polite'>{draw.escape(words)}</div>"

    def _show(self) -> None:
        question = self.question
        self.choice = None
        self._options.unobserve(self._picked, "index")
        self._options.options = list(question.options)
        self._options.index = None
        self._options.observe(self._picked, "index")
        self._header.value = f"<div dir='auto'><b>{draw.escape(self._where())}</b></div>"
        self._prompt.value = f"<div dir='auto' style='font-size:1.1em'>{draw.escape(question.prompt)}</div>"
        self._feedback.value = ""
        self._next.disabled = True
        self._score.value = self._line(self.score_text)
