"""How easy a unit's English lesson text is to read: words per sentence and Flesch reading ease.

The Explorers (8-12) read sentences of about 8-12 words; the Makers (13-18) plain technical
prose. :func:`measure` takes the markdown cells of a unit's notebooks, drops what is not prose
(code blocks, maths, HTML tags, links' targets, and headings and tables, which are labels
rather than sentences), joins the lines of a paragraph, splits it into sentences at ``.``,
``!`` and ``?`` (a list item ends a sentence too) and counts words and syllables.

Flesch reading ease is ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words``; higher is
easier (80 and above: easy for children of about 11; 55-60: plain English for teenagers).
Syllables are counted with the usual vowel-group rule, which needs no dictionary download.

``python -m curriculum.readability`` prints the figures of every unit and track.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Readability", "count_syllables", "measure", "measure_text", "sentences"]

_CODE_BLOCK = re.compile(r"```.*?```", re.S)
_CODE_SPAN = re.compile(r"`[^`]*`")
_HTML = re.compile(r"<[^>]+>")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)
_BREAKS = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
_BLOCK_START = re.compile(r"^\s*([-*+]\s|\d+[.)]\s)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True)
class Readability:
    """Counts over some text, and the two figures made from them."""

    sentences: int
    words: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def flesch(self) -> float:
        if not self.words:
            return 0.0
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables / self.words

    def __add__(self, other: Readability) -> Readability:
        return Readability(self.sentences + other.sentences, self.words + other.words,
                           self.syllables + other.syllables)


def count_syllables(word: str) -> int:
    """Syllables of an English word by the vowel-group rule (at least one)."""
    word = word.lower().strip("'-")
    if not word:
        return 0
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "make", "code"
    if word.endswith("es") and not word.endswith(("ses", "zes", "ches", "shes", "ges", "ces")) \
            and count > 1:
        count -= 1  # "makes", "notes"
    return max(1, count)


def sentences(markdown: str) -> list[str]:
    """The prose sentences of a markdown text (code, maths, tags, headings, tables left out)."""
    text = _CODE_BLOCK.sub(" ", markdown)
    text = _MATH.sub(" ", text)
    text = _CODE_SPAN.sub("code", text)  # a code span reads as one short word
    text = _LINK.sub(r"\1", text)
    text = _HTML.sub(" ", text)
    text = "\n".join("" if line.lstrip().startswith(("#", "|")) else line  # labels, not prose
                     for line in text.splitlines())
    text = _join_wrapped_lines(text)
    text = re.sub(r"^\s*(#+|[-*+]|\d+[.)])\s+", "", text, flags=re.M)  # headings, list marks
    text = re.sub(r"[*_]{1,3}", "", text)
    found = []
    for part in _BREAKS.split(text):
        if _WORD.search(part):
            found.append(part.strip())
    return found


def _join_wrapped_lines(text: str) -> str:
    """One line per block: a sentence wrapped over several lines is one sentence."""
    blocks: list[str] = []
    joinable = False
    for line in text.splitlines():
        if not line.strip():
            joinable = False
            continue
        if joinable and not _BLOCK_START.match(line):
            blocks[-1] += " " + line.strip()
        else:
            blocks.append(line.rstrip())
            joinable = True
    return "\n".join(blocks)


def measure_text(markdown: str) -> Readability:
    """The readability of one markdown text."""
    parts = sentences(markdown)
    words = [w for part in parts for w in _WORD.findall(part)]
    return Readability(len(parts), len(words), sum(count_syllables(w) for w in words))


def measure(notebooks) -> Readability:
    """The readability of the markdown cells of ``notebooks`` (paths), together."""
    total = Readability(0, 0, 0)
    for path in notebooks:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") == "markdown":
                source = cell.get("source", "")
                total = total + measure_text("".join(source) if isinstance(source, list) else source)
    return total


def main() -> int:
    from curriculum import load_syllabus

    syllabus = load_syllabus()
    by_track: dict[str, Readability] = {}
    for unit in syllabus.units:
        figures = measure(syllabus.root / nb for nb in unit.notebooks)
        by_track[unit.track] = by_track.get(unit.track, Readability(0, 0, 0)) + figures
        print(f"{unit.id:32} {figures.words_per_sentence:5.1f} words/sentence  "
              f"Flesch {figures.flesch:5.1f}")
    for track, figures in by_track.items():
        print(f"{'track ' + track:32} {figures.words_per_sentence:5.1f} words/sentence  "
              f"Flesch {figures.flesch:5.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
