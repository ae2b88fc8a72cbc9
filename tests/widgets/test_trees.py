"""Tests for widgets/trees.py: the decision tree model and the TreeBuilder widget, headless."""

from __future__ import annotations

import ipywidgets as ipw
import pytest
from traitlets import TraitError

from tests.widgets.fake_catalog import fake_catalog
from widgets.trees import DecisionTree, TreeBuilder, path_words

ANIMALS = [
    {"name": "cat", "flies": False, "legs": 4, "label": "mammal"},
    {"name": "dog", "flies": False, "legs": 4, "label": "mammal"},
    {"name": "bat", "flies": True, "legs": 2, "label": "mammal"},
    {"name": "eagle", "flies": True, "legs": 2, "label": "bird"},
    {"name": "penguin", "flies": False, "legs": 2, "label": "bird"},
]
QUESTIONS = {"Can it fly?": "flies", "Has it four legs?": lambda animal: animal["legs"] == 4}


def built() -> TreeBuilder:
    """Fly? yes: bird. no: four legs? yes: mammal, no: bird (the bat is the one mistake)."""
    builder = TreeBuilder(ANIMALS, QUESTIONS)
    builder.ask("", "Can it fly?")
    builder.set_leaf("y", "bird")
    builder.ask("n", "Has it four legs?")
    builder.set_leaf("ny", "mammal")
    builder.set_leaf("nn", "bird")
    return builder


def test_questions_split_examples_and_classify_follows_the_answers():
    """Does classify() walk down the tree by each question's answer to the right leaf?"""
    builder = built()
    assert [builder.classify(a) for a in ANIMALS] == ["mammal", "mammal", "bird", "bird", "bird"]
    assert builder.tree.route(ANIMALS[0]) == "ny" and builder.tree.route(ANIMALS[4]) == "nn"
    assert builder.tree.answers() == ["y", "ny", "nn"]
    assert builder.questions_asked == 2


def test_examples_landing_mistakes_and_unsorted_are_counted():
    """Are the examples on each leaf counted, with mistakes and examples on a leaf with no answer?"""
    builder = TreeBuilder(ANIMALS, QUESTIONS)
    assert (builder.mistakes, builder.unsorted) == (0, 5)
    builder.ask("", "Can it fly?")
    builder.set_leaf("y", "bird")
    landing = builder.tree.landing()
    assert landing["y"] == {"bird": 1, "mammal": 1} and landing["n"] == {"mammal": 2, "bird": 1}
    assert (builder.mistakes, builder.unsorted) == (1, 3)
    builder.set_leaf("n", "mammal")
    assert (builder.mistakes, builder.unsorted) == (2, 0)
    assert "Place start, yes: answer bird; examples here: 1 bird, 1 mammal." in builder.text


def test_making_a_question_an_answer_forgets_the_branch_below():
    """Does set_leaf() on a question cut the branches below it, and asking again change the question only?"""
    builder = built()
    builder.ask("n", "Can it fly?")  # a new question at a question: branches kept
    assert builder.tree.node("n").question == "Can it fly?" and builder.tree.node("ny").label == "mammal"
    builder.set_leaf("n", "mammal")
    assert builder.tree.paths() == ["", "y", "n"] and builder.mistakes == 2  # the bat and the penguin


def test_unknown_questions_and_places_are_refused_kindly():
    """Is a question not in the list, a path through an answer or a bad path letter refused clearly?"""
    builder = built()
    with pytest.raises(ValueError, match="is not one of the questions you can ask"):
        builder.ask("y", "Is it green?")
    with pytest.raises(ValueError, match="There is no place 'yy' in the tree: start, yes gives an answer"):
        builder.ask("yy", "Can it fly?")
    with pytest.raises(ValueError, match="made of y \\(yes\\) and n \\(no\\)"):
        builder.set_leaf("x", "bird")
    with pytest.raises(ValueError, match="needs a 'label'"):
        DecisionTree([{"name": "cat"}], QUESTIONS)


def test_play_twenty_questions_walks_down_to_a_guess():
    """Does play() start at the first question and each yes/no answer walk down to the tree's guess?"""
    builder = built()
    heard = []
    builder.on_answer(lambda path, yes: heard.append((path, yes)))
    builder._buttons["play"].click()
    assert builder.playing and builder.here == "" and "The tree asks: Can it fly?" in builder._game.value
    builder._buttons["no"].click()
    assert builder.answer(True) == "ny"
    assert "The tree thinks it is: mammal!" in builder._game.value
    assert heard == [("n", False), ("ny", True)]
    assert builder._buttons["yes"].disabled and builder._buttons["no"].disabled
    with pytest.raises(ValueError, match="press Play"):
        builder.answer(True)


def test_editing_the_tree_ends_the_game_and_calls_on_change():
    """Does a change of the tree stop a game and call on_change, until the callback is removed?"""
    builder = built()
    changes = []

    def listen(b):
        changes.append(b.mistakes)

    builder.on_change(listen)
    builder.play()
    builder.set_leaf("y", "mammal")
    assert not builder.playing and changes == [1]
    builder.on_change(listen, remove=True)
    builder.set_leaf("y", "bird")
    assert changes == [1]


def test_controls_build_the_tree_like_the_methods():
    """Do the place, question and answer lists with their buttons build the same tree as the methods?"""
    builder = TreeBuilder(ANIMALS, QUESTIONS)
    builder._place.value = ""
    builder._question.value = "Can it fly?"
    builder._buttons["ask"].click()
    assert [label for label, _path in builder._place.options] == ["start", "start, yes", "start, no"]
    builder._place.value = "y"
    builder._label.value = "bird"
    builder._buttons["leaf"].click()
    assert builder.tree.node("y").label == "bird" and builder._place.value == "y"


def test_counters_cannot_be_written():
    """Can a child's code write the mistakes or the game's place? (It must not.)"""
    builder = built()
    for name, value in (("mistakes", 0), ("unsorted", 0), ("questions_asked", 9), ("here", "y"),
                        ("playing", True)):
        with pytest.raises(TraitError, match="read-only"):
            setattr(builder, name, value)
    assert builder.mistakes == 1


def test_picture_says_yes_and_no_in_words_and_marks_mistakes_by_shape():
    """Are branches named yes/no in words (and dashed for no), and leaves with mistakes marked by a shape?"""
    picture = built()._picture.value
    assert picture.count(">yes</text>") == 2 and picture.count(">no</text>") == 2
    assert "stroke-dasharray='5 3'" in picture
    assert "mistakes: 1" in picture and "mistakes: 0" in picture
    assert "<polygon" in picture and "<circle" in picture  # cross for mistakes, circle for none
    assert "aria-label='The decision tree: each box is a question or an answer" in picture
    assert "Questions in the tree" not in picture, "the counts are said once, in the words under the picture"


def test_state_round_trip_of_what_the_browser_shows():
    """Do the picture, the place list and the game line survive a get_state()/set_state() round trip?"""
    builder = built()
    builder.play()
    for part, fresh in ((builder._picture, ipw.HTML()), (builder._game, ipw.HTML()),
                        (builder._place, ipw.Dropdown(options=builder._place.options))):
        fresh.set_state(part.get_state())
        assert fresh.get_state() == part.get_state()
    assert "The game is here" in builder._picture.value


def test_controls_are_named_and_texts_are_translated():
    """Has every control a name and a tooltip, and do texts come through the translation function?"""
    with fake_catalog() as mark:
        builder = built()
        for control in (builder._place, builder._question, builder._label, *builder._buttons.values()):
            assert control.description.startswith(mark) and control.tooltip.startswith(mark)
        assert not any(b.icon for b in builder._buttons.values()), "an icon glyph would join the name"
        assert builder.text.startswith(mark) and path_words("y") == f"{mark}start, {mark}yes"
    assert path_words("yn") == "start, yes, no"


def test_with_no_data_the_zoo_can_be_sorted_without_mistakes():
    """Does TreeBuilder() start with a small zoo in the class's language, which two questions
    sort with one mistake (the whale)?"""
    builder = TreeBuilder()
    assert builder.unsorted == 9 and builder.tree.labels == ["bird", "fish", "mammal"]
    builder.ask("", "Does it have feathers?")
    builder.set_leaf("y", "bird")
    builder.ask("n", "Does it live in water?")
    builder.set_leaf("nn", "mammal")
    builder.set_leaf("ny", "fish")
    assert builder.mistakes == 1  # the whale lives in water but is a mammal
    with pytest.raises(ValueError, match="both examples and questions, or neither"):
        TreeBuilder(ANIMALS)
    with fake_catalog() as mark:
        zoo = TreeBuilder().tree
        assert zoo.labels == [mark + "bird", mark + "fish", mark + "mammal"]
        assert mark + "Can it fly?" in zoo.questions


def test_a_lessons_questions_and_answers_are_shown_in_the_class_language():
    """When a lesson gives its questions and animals in English, does the builder show them
    through the class's catalog (menus, picture, words, game) while the tree keeps the
    English keys, so the lesson's code and checks stay the same in every language?"""
    animals = [{"name": "camel", "hump": True, "label": "camel"},
               {"name": "goat", "hump": False, "label": "goat"}]
    with fake_catalog() as mark:
        builder = TreeBuilder(animals, {"Does it have a hump?": "hump"})
        assert builder._question.options == ((mark + "Does it have a hump?", "Does it have a hump?"),)
        assert [label for label, _value in builder._label.options] == [mark + "camel", mark + "goat"]
        builder.ask("", "Does it have a hump?")
        builder.set_leaf("y", "camel")
        builder.set_leaf("n", "goat")
        assert builder.tree.node("").question == "Does it have a hump?"
        assert builder.classify(animals[0]) == "camel" and builder.mistakes == 0
        assert mark + "Does it have a hump?" in builder._picture.value
        assert f"{mark}camel" in builder.text and f"1 {mark}goat" in builder.text
        builder.play()
        assert mark + "Does it have a hump?" in builder.text
        builder.answer(True)
        assert f"{mark}camel" in builder._game.value
