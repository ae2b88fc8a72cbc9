"""The robot's words in the class's language: its commands, directions and items.

The robot thinks in English words (``"forward"``, ``"east"``, ``"date"``): its log, its
replayed walk and the checks use them, in every class. A child writes and reads the class's
words: in a French class ``["avance", "gauche"]`` and ``"est"``, in an Arabic one
``["تقدم", "يسار"]`` and ``"شرق"``. They come from the widgets catalog (contexts
:data:`COMMAND`, :data:`DIRECTION` and :data:`ITEM`), in the language :func:`widgets.setup`
chose. A unit that quotes robot words lists them in its ``words.yaml`` with these very
translations (a test checks it), so the checks the build translates compare the class's
words. The English words are always understood too.

This module's names cannot be reassigned from the child's code (the checks read directions
and items through it).
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from widgets.errors import seal
from widgets.i18n import C_, NC_, _

__all__ = ["COMMAND", "COMMANDS", "DIRECTION", "DIRECTION_NAMES", "ITEM", "ITEM_NAMES",
           "command_of", "command_word", "direction_of", "direction_word", "item_of",
           "item_word", "nearest_command"]

#: The catalog contexts of the robot's words.
COMMAND, DIRECTION, ITEM = "robot command", "robot direction", "robot item"

#: The words a robot program may use (English; the class's words are their translations).
COMMANDS = (
    # Translators: a command word a child types between quotes in a robot program
    # (["forward", "left"]): one short word, no quotes; the units' words.yaml use the same.
    NC_("robot command", "forward"),
    # Translators: the robot's command "turn left", one word a child types between quotes.
    NC_("robot command", "left"),
    # Translators: the robot's command "turn right", one word a child types between quotes.
    NC_("robot command", "right"),
    # Translators: the robot's command "pick up", one word a child types between quotes.
    NC_("robot command", "pick"),
)
#: The four directions, clockwise from north (English).
DIRECTION_NAMES = (
    # Translators: a direction a child types between quotes (Robot(direction="north")) and
    # reads in robot.direction: one word, no article; the units' words.yaml use the same.
    NC_("robot direction", "north"),
    # Translators: a direction a child types and reads, one word, no article.
    NC_("robot direction", "east"),
    # Translators: a direction a child types and reads, one word, no article.
    NC_("robot direction", "south"),
    # Translators: a direction a child types and reads, one word, no article.
    NC_("robot direction", "west"),
)
#: The items a lesson may put on the grid (other names are kept as they are).
ITEM_NAMES = (
    # Translators: an item on the robot's grid (a date fruit), one word a child may type.
    NC_("robot item", "date"),
    # Translators: an item on the robot's grid (mint leaves), one word a child may type.
    NC_("robot item", "mint"),
)
# Arabic short vowels, shadda, sukun and the tatweel: "تقدّم" is "تقدم".
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def _key(word: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFC", word)).strip().casefold()


def command_word(command: str) -> str:
    """The class's word for the English ``command``."""
    return C_(COMMAND, command)


def direction_word(direction: str) -> str:
    """The class's word for the English ``direction``."""
    return C_(DIRECTION, direction)


def item_word(name: str) -> str:
    """The class's word for an item on the grid (a name it does not know stays as it is)."""
    return C_(ITEM, name) if name in ITEM_NAMES else name


def _english(context: str, known: tuple, word) -> str | None:
    if not isinstance(word, str):
        return None
    key = _key(str.__str__(word))  # the plain text of a str subclass (NumPy's str_ too)
    for english in known:
        if key in (english, _key(C_(context, english))):
            return english
    return None


def command_of(word) -> str | None:
    """The English command ``word`` stands for (the class's word or the English one, any
    case, spaces around ignored), or None when it is no command."""
    return _english(COMMAND, COMMANDS, word)


def direction_of(word) -> str | None:
    """The English direction ``word`` stands for, or None when it is no direction."""
    return _english(DIRECTION, DIRECTION_NAMES, word)


def item_of(name: str) -> str:
    """The English name of an item given in the class's words or in English (other names
    are kept as they are)."""
    return _english(ITEM, ITEM_NAMES, name) or name


def nearest_command(word: str) -> str | None:
    """The class's word for the command nearest to the typo ``word`` (an English command
    near it counts too), or None when no command is near."""
    choices = {_key(command_word(command)): command for command in COMMANDS}
    choices.update({english: english for english in COMMANDS if english not in choices})
    close = difflib.get_close_matches(_key(str.__str__(word)), list(choices), n=1, cutoff=0.5)
    return command_word(choices[close[0]]) if close else None


# The checks read directions and items through these functions: nothing here may be replaced.
seal(__name__, lambda: _("The robot's rules cannot be changed. Only the robot's commands "
                         "move it."))
