"""Tests for widgets/quiz.py: the Quiz, driven by choose(), check() and next(), headless."""

from __future__ import annotations

import ipywidgets as ipw
import pytest
from traitlets import TraitError

from tests.widgets.fake_catalog import fake_catalog
from widgets.quiz import Question, Quiz

QUESTIONS = [
    {"prompt": "Which one is a robot command?", "options": ["forward", "jump", "fly"], "answer": 0,
     "explanations": ["forward moves one square.", "The robot cannot jump.", "The robot cannot fly."]},
    Question("What does k mean in k nearest neighbours?", ["a colour", "how many neighbours vote"], 1),
]


def test_right_and_wrong_answers_get_kind_feedback_with_the_option_s_explanation():
    """Does check() say kindly if the choice is right, with the explanation of that option?"""
    quiz = Quiz(QUESTIONS)
    quiz.choose(1)
    assert quiz.check() is False
    assert "Not quite" in quiz._feedback.value and "cannot jump" in quiz._feedback.value
    quiz.choose(0)
    assert quiz.check() is True
    assert "Yes, that is right!" in quiz._feedback.value and "one square" in quiz._feedback.value


def test_the_score_counts_right_on_the_first_try_and_is_said_in_words():
    """Is a question right only on a second try left out of the score, and the score said in words?"""
    quiz = Quiz(QUESTIONS)
    quiz.choose(2)
    quiz.check()
    quiz.choose(0)
    quiz.check()
    assert (quiz.checked, quiz.right_first_try) == (1, 0)
    assert "Right on the first try: 0 of 1 checked so far." in quiz._score.value
    quiz._next.click()
    assert quiz.position == 1 and quiz.choice is None and quiz._feedback.value == ""
    quiz.choose(1)
    quiz._check.click()
    assert quiz.finished and quiz.right_first_try == 1
    assert quiz.score_text == "You finished the quiz! Right on the first try: 1 of 2."


def test_checking_with_nothing_chosen_asks_for_a_choice():
    """Does Check with no choice ask kindly for one, and count nothing?"""
    quiz = Quiz(QUESTIONS)
    assert quiz.check() is None and "Choose an answer first" in quiz._feedback.value
    assert quiz.checked == 0


def test_radio_buttons_and_choose_agree():
    """Does picking a radio button (arrow keys in the browser) set the choice, and choose() the button?"""
    quiz = Quiz(QUESTIONS)
    quiz._options.index = 2
    assert quiz.choice == 2
    quiz.choose(0)
    assert quiz._options.value == "forward"
    with pytest.raises(TraitError, match="from 0 to 2"):
        quiz.choose(7)


def test_next_waits_for_a_check_and_stops_at_the_last_question():
    """Is Next greyed until a check, and does the last question stay the last?"""
    quiz = Quiz(QUESTIONS)
    assert quiz._next.disabled
    quiz.choose(0)
    quiz.check()
    assert not quiz._next.disabled
    quiz.next()
    quiz.next()
    assert quiz.position == 1 and quiz._options.options == ("a colour", "how many neighbours vote")


def test_on_answer_hears_each_check():
    """Is every check announced as (question, choice, right), until the callback is removed?"""
    quiz = Quiz(QUESTIONS)
    heard = []

    def listen(question, choice, right):
        heard.append((question, choice, right))

    quiz.on_answer(listen)
    quiz.choose(1)
    quiz.check()
    quiz.choose(0)
    quiz.check()
    quiz.on_answer(listen, remove=True)
    quiz.check()
    assert heard == [(0, 1, False), (0, 0, True)]


def test_counters_cannot_be_written():
    """Can a child's code write the score or the position? (It must not.)"""
    quiz = Quiz(QUESTIONS)
    for name in ("right_first_try", "checked", "position"):
        with pytest.raises(TraitError, match="read-only"):
            setattr(quiz, name, 1)
    with pytest.raises(TraitError, match="read-only"):
        quiz.finished = True


def test_bad_questions_are_refused():
    """Is a question with one option, a wrong answer index or too few explanations refused?"""
    with pytest.raises(ValueError, match="at least two options"):
        Question("?", ["only"], 0)
    with pytest.raises(ValueError, match="0 to 1"):
        Question("?", ["a", "b"], 2)
    with pytest.raises(ValueError, match="one explanation per option"):
        Question("?", ["a", "b"], 0, ["why"])
    with pytest.raises(ValueError, match="at least one question"):
        Quiz([])


def test_state_round_trip_of_what_the_browser_shows():
    """Do the options, the choice and the feedback survive a get_state()/set_state() round trip?"""
    quiz = Quiz(QUESTIONS)
    quiz.choose(1)
    quiz.check()
    state = quiz._options.get_state()
    assert list(state["_options_labels"]) == ["forward", "jump", "fly"] and state["index"] == 1
    radio = ipw.RadioButtons(options=quiz.question.options)
    radio.set_state(state)
    assert radio.get_state() == state and radio.value == "jump"
    feedback = ipw.HTML()
    feedback.set_state(quiz._feedback.get_state())
    assert feedback.value == quiz._feedback.value and "dir='auto'" in feedback.value


def test_controls_are_named_and_texts_are_translated():
    """Has every control a name, and do the quiz's own texts come through the translation function?"""
    with fake_catalog() as mark:
        quiz = Quiz(QUESTIONS)
        assert quiz._options.description == mark + "Your answer"
        for button in (quiz._check, quiz._next):
            assert button.description.startswith(mark) and button.tooltip.startswith(mark)
            assert not button.icon, "an icon glyph would join the button's name"
        quiz.choose(0)
        quiz.check()
        assert (mark + "Yes, that is right!") in quiz._feedback.value
        assert quiz.text.startswith(mark + "Question 1 of 2.")
    assert "Which one is a robot command? 1. forward; 2. jump; 3. fly" in Quiz(QUESTIONS).text
