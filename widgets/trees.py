"""Build a yes/no decision tree by choosing questions, play it, see where examples land.

:class:`Node` and :class:`DecisionTree` are the model (plain Python, no display): a node asks
a question (its ``yes`` and ``no`` branches below it) or gives an answer (its ``label``).
:class:`TreeBuilder` is the widget: the child picks a place in the tree and a question from a
given list, or makes the place an answer; the picture shows every example sorted down the
tree (how many land on each answer and how many of them are mistakes), and "Play" turns the
tree into a game of twenty questions.

A place in the tree is a *path*: the answers that lead there from the first question, as a
string of ``y`` and ``n`` (``""`` is the first question, ``"yn"`` is "yes, then no").
Examples are dicts of features with a ``label``; a question is a feature whose value is true
or false, or a function of an example that says yes (True) or no (False)::

    animals = [{"name": "cat", "flies": False, "legs": 4, "label": "mammal"}, ...]
    questions = {"Can it fly?": "flies", "Has it four legs?": lambda a: a["legs"] == 4}
    TreeBuilder(animals, questions)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import ipywidgets as ipw
from traitlets import Bool, Int, Unicode

from widgets import draw
from widgets.i18n import N_, _

__all__ = ["DecisionTree", "Node", "TreeBuilder", "animals", "path_words"]

# name, flies, feathers, lives in water, four legs, label
_ZOO = (
    (N_("cat"), False, False, False, True, N_("mammal")),
    (N_("dog"), False, False, False, True, N_("mammal")),
    (N_("bat"), True, False, False, False, N_("mammal")),
    (N_("whale"), False, False, True, False, N_("mammal")),
    (N_("eagle"), True, True, False, False, N_("bird")),
    (N_("sparrow"), True, True, False, False, N_("bird")),
    (N_("penguin"), False, True, True, False, N_("bird")),
    (N_("shark"), False, False, True, False, N_("fish")),
    (N_("goldfish"), False, False, True, False, N_("fish")),
)
_ZOO_QUESTIONS = ((N_("Can it fly?"), "flies"), (N_("Does it have feathers?"), "feathers"),
                  (N_("Does it live in water?"), "water"), (N_("Has it four legs?"), "four_legs"))
# The questions and animals of the Explorers' "Twenty questions" lesson: a lesson gives them in
# English, and the builder shows them in the class's language.
_LESSON_WORDS = (N_("Does it fly?"), N_("Does it have a hump?"), N_("Does it have horns?"),
                 N_("Does it say miaow?"), N_("camel"), N_("stork"), N_("goat"), N_("donkey"),
                 N_("sardine"))


def animals() -> tuple[list[dict], dict[str, str]]:
    """A small zoo to sort into mammals, birds and fish: (examples, questions), in the class's
    language. ``TreeBuilder()`` starts with it."""
    examples = [{"name": _(name), "flies": flies, "feathers": feathers, "water": water,
                 "four_legs": legs, "label": _(label)}
                for name, flies, feathers, water, legs, label in _ZOO]
    return examples, {_(question): feature for question, feature in _ZOO_QUESTIONS}


@dataclass
class Node:
    """A question with a ``yes`` and a ``no`` branch, or an answer (a ``label``, maybe None)."""

    question: str | None = None
    yes: Node | None = None
    no: Node | None = None
    label: str | None = None

    @property
    def is_answer(self) -> bool:
        """True when this node gives an answer instead of asking a question."""
        return self.question is None


def _path(path) -> str:
    if isinstance(path, str):
        letters = path.strip().lower()
    else:
        letters = "".join("y" if step else "n" for step in path)
    if set(letters) - {"y", "n"}:
        raise ValueError(_("A path is made of y (yes) and n (no), like 'yn', not {path}.", path=repr(path)))
    return letters


def _word(text: str) -> str:
    """A question or label in the class's language when a catalog has it, else as it is."""
    return _(text) if text else text


def path_words(path: str) -> str:
    """A path in words: "start", "start, yes, no"."""
    steps = [_("start")] + [_("yes") if letter == "y" else _("no") for letter in path]
    return ", ".join(steps)


class DecisionTree:
    """A yes/no tree over ``examples`` (dicts with a ``label``) using the given ``questions``.

    ``questions`` maps a question's words to a feature name (its value read as true or
    false) or to a function of an example giving True (yes) or False (no).
    """

    def __init__(self, examples, questions, label_key: str = "label"):
        self.examples = [dict(example) for example in examples]
        self.label_key = label_key
        if any(label_key not in example for example in self.examples):
            raise ValueError(f"every example needs a {label_key!r}")
        self.questions = dict(questions)
        if not self.questions:
            raise ValueError("a decision tree needs at least one question to choose from")
        self.labels = sorted({str(example[label_key]) for example in self.examples})
        self.root = Node()

    def node(self, path="") -> Node:
        """The node at ``path``."""
        node = self.root
        for step, letter in enumerate(_path(path)):
            if node.is_answer:
                raise ValueError(_("There is no place {path} in the tree: {where} gives an answer.",
                                   path=repr(path), where=path_words(_path(path)[:step])))
            node = node.yes if letter == "y" else node.no
        return node

    def paths(self) -> list[str]:
        """Every place in the tree, first question first, each yes branch before its no branch."""
        found = []

        def walk(node, path):
            found.append(path)
            if not node.is_answer:
                walk(node.yes, path + "y")
                walk(node.no, path + "n")

        walk(self.root, "")
        return found

    def answers(self) -> list[str]:
        """The places that give an answer, left (yes) to right (no)."""
        return [path for path in self.paths() if self.node(path).is_answer]

    def test(self, question: str, example) -> bool:
        """What ``example`` answers to ``question``: True for yes, False for no."""
        feature = self.questions[question]
        return bool(feature(example) if callable(feature) else example[feature])

    def ask(self, path, question: str) -> None:
        """Ask ``question`` at ``path``: an answer there becomes a question with two new answers."""
        if question not in self.questions:
            raise ValueError(_("{question} is not one of the questions you can ask: {known}.",
                               question=repr(question), known="; ".join(self.questions)))
        node = self.node(path)
        if node.is_answer:
            node.yes, node.no, node.label = Node(), Node(), None
        node.question = question

    def set_leaf(self, path, label) -> None:
        """Make ``path`` an answer with ``label`` (it forgets any questions below it)."""
        node = self.node(path)
        node.question = node.yes = node.no = None
        node.label = None if label is None else str(label)

    def route(self, example) -> str:
        """The path ``example`` follows down to an answer."""
        node, path = self.root, ""
        while not node.is_answer:
            yes = self.test(node.question, example)
            node, path = (node.yes, path + "y") if yes else (node.no, path + "n")
        return path

    def classify(self, example) -> str | None:
        """The tree's answer for ``example`` (None if it lands on an answer not chosen yet)."""
        return self.node(self.route(example)).label

    def landing(self) -> dict[str, Counter]:
        """For each answer's path, how many examples of each label land there."""
        counts = {path: Counter() for path in self.answers()}
        for example in self.examples:
            counts[self.route(example)][str(example[self.label_key])] += 1
        return counts

    def mistakes(self) -> tuple[int, int]:
        """(examples sorted to a wrong answer, examples landing on an answer not chosen yet)."""
        wrong = unsorted = 0
        for path, counts in self.landing().items():
            label = self.node(path).label
            if label is None:
                unsorted += sum(counts.values())
            else:
                wrong += sum(n for name, n in counts.items() if name != label)
        return wrong, unsorted


_BOX_W, _BOX_H, _GAP, _ROW = 128, 44, 10, 84


class TreeBuilder(ipw.VBox):
    """Build a decision tree over ``examples`` with ``questions``, play it, see where examples land.

    With neither, it starts with :func:`animals`, a small zoo of mammals, birds and fish.

    ``ask(path, question)``, ``set_leaf(path, label)``, ``play()`` and ``answer(yes)`` do
    what the controls do. ``on_change(callback, remove=False)`` calls ``callback(builder)``
    after each change of the tree; ``on_answer(callback, remove=False)`` calls
    ``callback(path, yes)`` after each answer while playing. The counters are read-only.
    """

    mistakes = Int(0, read_only=True, help="Examples the tree sorts to a wrong answer.")
    unsorted = Int(0, read_only=True, help="Examples landing on an answer not chosen yet.")
    questions_asked = Int(0, read_only=True, help="How many questions the tree asks.")
    playing = Bool(False, read_only=True, help="Is a game of twenty questions going on?")
    here = Unicode("", read_only=True, help="Where the game is in the tree (a path of y and n).")

    def __init__(self, examples=None, questions=None, label_key: str = "label", **kwargs):
        if examples is None and questions is None:
            examples, questions = animals()
        elif examples is None or questions is None:
            raise ValueError("give TreeBuilder both examples and questions, or neither (a small zoo)")
        self.tree = DecisionTree(examples, questions, label_key=label_key)
        self._on_change = ipw.CallbackDispatcher()
        self._on_answer = ipw.CallbackDispatcher()
        self._picture = ipw.HTML()
        self._words = ipw.HTML()
        self._game = ipw.HTML()
        wide = {"description_width": "initial"}
        self._place = ipw.Dropdown(description=_("Place in the tree"), style=wide,
                                   tooltip=_("The place to give a question or an answer"))
        self._question = ipw.Dropdown(options=[(_word(q), q) for q in self.tree.questions],
                                      description=_("Question"),
                                      style=wide, tooltip=_("The question to ask at this place"))
        self._label = ipw.Dropdown(options=[(_word(name), name) for name in self.tree.labels],
                                   description=_("Answer"), style=wide,
                                   tooltip=_("The answer to give at this place"))
        self._buttons = {}
        for name, label, tip in (
                ("ask", N_("Ask this question"), N_("Ask the question at the chosen place")),
                ("leaf", N_("Give this answer"), N_("Make the chosen place an answer")),
                ("play", N_("Play"), N_("Play twenty questions with the tree")),
                ("yes", N_("Yes"), N_("Answer yes to the tree's question")),
                ("no", N_("No"), N_("Answer no to the tree's question"))):
            button = ipw.Button(description=_(label), tooltip=_(tip))
            self._buttons[name] = button
        self._buttons["ask"].on_click(lambda _b: self.ask(self._place.value, self._question.value))
        self._buttons["leaf"].on_click(lambda _b: self.set_leaf(self._place.value, self._label.value))
        self._buttons["play"].on_click(lambda _b: self.play())
        self._buttons["yes"].on_click(lambda _b: self.answer(True))
        self._buttons["no"].on_click(lambda _b: self.answer(False))
        build = ipw.VBox([self._place, ipw.HBox([self._question, self._buttons["ask"]]),
                          ipw.HBox([self._label, self._buttons["leaf"]])])
        game = ipw.VBox([ipw.HBox([self._buttons[n] for n in ("play", "yes", "no")]), self._game])
        super().__init__(children=[build, self._picture, self._words, game], **kwargs)
        self._update()

    # --- events --------------------------------------------------------------------------
    def on_change(self, callback, remove: bool = False) -> None:
        """Call ``callback(builder)`` after each change of the tree (or stop calling it)."""
        self._on_change.register_callback(callback, remove=remove)

    def on_answer(self, callback, remove: bool = False) -> None:
        """Call ``callback(path, yes)`` after each answer in the game (or stop calling it)."""
        self._on_answer.register_callback(callback, remove=remove)

    # --- building ------------------------------------------------------------------------
    def ask(self, node_path, question: str) -> None:
        """Ask ``question`` at ``node_path`` (what "Ask this question" does)."""
        self.tree.ask(node_path, question)
        self._changed()

    def set_leaf(self, path, label) -> None:
        """Make ``path`` an answer with ``label`` (what "Give this answer" does)."""
        self.tree.set_leaf(path, label)
        self._changed()

    def classify(self, example) -> str | None:
        """The tree's answer for ``example`` (None if it lands on an answer not chosen yet)."""
        return self.tree.classify(example)

    # --- playing -------------------------------------------------------------------------
    def play(self) -> None:
        """Start a game of twenty questions at the first question (what "Play" does)."""
        self.set_trait("playing", True)
        self.set_trait("here", "")
        self._update()

    def answer(self, yes: bool) -> str:
        """Answer the game's question (what "Yes" and "No" do); return the new place's path."""
        if not self.playing or self.tree.node(self.here).is_answer:
            raise ValueError(_("There is no question to answer now: press Play to start a game."))
        path = self.here + ("y" if yes else "n")
        self.set_trait("here", path)
        self._update()
        self._on_answer(path, bool(yes))
        return path

    @property
    def text(self) -> str:
        """What the widget shows, in words."""
        words = [_("Questions in the tree: {questions}. Answers: {answers}. Examples: {total}. "
                   "Sorted to a wrong answer: {wrong}. On an answer not chosen yet: {unsorted}.",
                   questions=self.questions_asked, answers=len(self.tree.answers()),
                   total=len(self.tree.examples), wrong=self.mistakes, unsorted=self.unsorted)]
        for path, counts in self.tree.landing().items():
            label = self.tree.node(path).label
            counted = ", ".join(f"{n} {_word(name)}" for name, n in sorted(counts.items())) or _("none")
            words.append(_("Place {place}: answer {label}; examples here: {counted}.",
                           place=path_words(path), label=_word(label) if label is not None else "?",
                           counted=counted))
        game = self._game_words()
        return " ".join(words + ([game] if game else []))

    # --- inside --------------------------------------------------------------------------
    def _game_words(self) -> str:
        if not self.playing:
            return ""
        node = self.tree.node(self.here)
        if not node.is_answer:
            return _("The tree asks: {question}", question=_word(node.question))
        if node.label is None:
            return _("The tree has no answer here yet. Give this place an answer, then play again.")
        return _("The tree thinks it is: {label}!", label=_word(node.label))

    def _changed(self) -> None:
        if self.playing:
            self.set_trait("playing", False)
            self.set_trait("here", "")
        self._update()
        self._on_change(self)

    def _update(self) -> None:
        wrong, unsorted = self.tree.mistakes()
        self.set_trait("mistakes", wrong)
        self.set_trait("unsorted", unsorted)
        self.set_trait("questions_asked", len(self.tree.paths()) - len(self.tree.answers()))
        chosen = self._place.value
        self._place.options = [(path_words(p), p) for p in self.tree.paths()]
        self._place.value = chosen if chosen in self.tree.paths() else ""
        asking = self.playing and not self.tree.node(self.here).is_answer
        self._buttons["yes"].disabled = self._buttons["no"].disabled = not asking
        game = draw.escape(self._game_words())
        self._game.value = f"<div dir='auto' role='status' aria-live='polite'>{game}</div>"
        self._words.value = f"<div dir='auto'>{draw.escape(self.text)}</div>"
        self._picture.value = self._draw()

    def _layout(self) -> dict[str, tuple[float, int]]:
        """Each path's (x centre in answer widths, depth)."""
        answers = self.tree.answers()
        where = {path: (float(i), len(path)) for i, path in enumerate(answers)}
        for path in sorted(set(self.tree.paths()) - set(answers), key=len, reverse=True):
            where[path] = ((where[path + "y"][0] + where[path + "n"][0]) / 2, len(path))
        return where

    def _draw(self) -> str:
        where, landing = self._layout(), self.tree.landing()
        step = _BOX_W + _GAP
        width = max(len(self.tree.answers()) * step + _GAP, 320)
        depth = max(d for _x, d in where.values())
        height = (depth + 1) * _ROW + 10

        def centre(path):
            x, d = where[path]
            return _GAP + x * step + _BOX_W / 2, 8 + d * _ROW

        parts = []
        for path in self.tree.paths():
            node = self.tree.node(path)
            if node.is_answer:
                continue
            x, y = centre(path)
            for letter, word in (("y", _("yes")), ("n", _("no"))):
                cx, cy = centre(path + letter)
                parts.append(draw.line(x, y + _BOX_H, cx, cy, colour="#555",
                                       dash="" if letter == "y" else "5 3"))
                parts.append(draw.text((x + cx) / 2 + (-8 if letter == "y" else 8), (y + _BOX_H + cy) / 2,
                                       word, size=11, anchor="end" if letter == "y" else "start",
                                       weight="bold"))
        for path in self.tree.paths():
            parts.extend(self._draw_node(path, *centre(path), landing.get(path)))
        # A short name: the words under the picture say what the tree does with the examples.
        label = _("The decision tree: each box is a question or an answer; lines lead to yes and no.")
        return draw.svg(width, height, parts, label=label)

    def _draw_node(self, path, x, y, counts) -> list[str]:
        node = self.tree.node(path)
        here = self.playing and path == self.here
        left = x - _BOX_W / 2
        if node.is_answer:
            label = _word(node.label) if node.label is not None else "?"
            total = sum(counts.values())
            wrong = total if node.label is None else total - counts.get(node.label, 0)
            fill = "#f3f3f3" if node.label is None else ("#fde0d0" if wrong else "#d9f2e6")
            lines = [label, _("examples: {n}", n=total),
                     _("mistakes: {n}", n=wrong) if node.label is not None else _("no answer yet")]
            tip = _("At {place}: answer {label}, examples {n}, mistakes {wrong}.", place=path_words(path),
                    label=label, n=total, wrong=wrong)
            shape = "rx='14'"
        else:
            fill = "#e4effa"
            lines = [_word(node.question)]
            tip = _("At {place} the tree asks: {question}", place=path_words(path),
                    question=_word(node.question))
            shape = "rx='3'"
        parts = [f"<rect x='{left:.1f}' y='{y:.1f}' width='{_BOX_W}' height='{_BOX_H}' {shape} fill='{fill}' "
                 f"stroke='#222' stroke-width='{3 if here else 1}'><title>{draw.escape(tip)}</title></rect>"]
        for i, words in enumerate(lines):
            short = words if len(words) <= 22 else words[:21] + "…"
            parts.append(draw.text(x, y + (14 + 13 * i if len(lines) > 1 else _BOX_H / 2 + 4), short,
                                   size=11, weight="bold" if i == 0 else "normal"))
        if node.is_answer and node.label is not None and counts is not None:
            mark = ("cross", draw.PALETTE[5]) if wrong else ("circle", draw.PALETTE[2])
            parts.append(draw.marker(mark[0], left + 10, y + 10, size=5, fill=mark[1]))
        if here:
            parts.append(draw.marker("star", left - 2, y + _BOX_H / 2, size=7, fill=draw.PALETTE[1],
                                     title=_("The game is here")))
        return parts
