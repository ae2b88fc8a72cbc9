"""Is every track's English lesson text as easy to read as its children need?"""

from __future__ import annotations

import pytest

from curriculum import load_syllabus
from curriculum.readability import Readability, count_syllables, measure, sentences

#: Per track: (most words per sentence on average, lowest Flesch reading ease), from the
#: track issues: Explorers 12 and 80, Makers 20 and 55.
TARGETS = {"explorers": (12.0, 80.0), "makers": (20.0, 55.0)}


def test_sentences_join_wrapped_lines_and_leave_out_code_headings_and_tables():
    """Is a sentence wrapped over two lines one sentence, and are code and tables left out?"""
    text = ("# A heading\nThis sentence\nwraps over two lines. A short one!\n"
            "- a list item\n| cell | cell |\n|---|---|\n```python\nx = 1\n```\n"
            "Run `robot.forward()` now.")
    assert sentences(text) == ["This sentence wraps over two lines.", "A short one!",
                               "a list item", "Run code now."]


def test_syllables_follow_the_vowel_group_rule():
    """Are syllables of common words counted as a reader says them?"""
    counts = {word: count_syllables(word) for word in
              ("the", "robot", "make", "table", "beautiful", "notes", "star")}
    assert counts == {"the": 1, "robot": 2, "make": 1, "table": 2, "beautiful": 3,
                      "notes": 1, "star": 1}


def test_flesch_is_lower_for_long_sentences_of_long_words():
    """Does the measure tell easy text from hard text?"""
    easy = Readability(sentences=4, words=28, syllables=34)
    hard = Readability(sentences=1, words=28, syllables=56)
    assert easy.flesch > 80 > hard.flesch


@pytest.mark.parametrize("track", sorted(TARGETS))
def test_track_lesson_text_is_easy_enough(track):
    """Across the track's notebooks, are sentences short and plain enough for its ages?"""
    syllabus = load_syllabus()
    units = [unit for unit in syllabus.units if unit.track == track]
    assert units, f"no units in track {track}"
    figures = measure(syllabus.root / nb for unit in units for nb in unit.notebooks)
    most_words, lowest_flesch = TARGETS[track]
    per_unit = ", ".join(
        f"{unit.id}: {m.words_per_sentence:.1f} words, Flesch {m.flesch:.0f}"
        for unit in units for m in [measure(syllabus.root / nb for nb in unit.notebooks)])
    assert figures.words_per_sentence <= most_words, per_unit
    assert figures.flesch >= lowest_flesch, per_unit
