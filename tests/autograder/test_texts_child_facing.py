"""Which strings of a code cell does the build translate (autograder.texts), beyond comments
and checks' messages: docstrings, plot labels, widgets' texts, printed words and the sentences
a program says? And which does it leave alone, because a check compares them?"""

from __future__ import annotations

import ast

from autograder.texts import cell_texts, code_texts, is_sentence

CODE = '''\
def tiny_bot(message):
    """Answer a message with one sentence."""
    if "salam" in message:
        return "Salam! I am a tiny chatbot."
    return "Sorry, I do not understand."


answers = {"tea": "I love mint tea.", "football": "Football is my game. Do you play?"}
text = "Quel beau but!"
ax.set_xlabel("temperature at noon (°C)")
ax.set_ylabel("accuracy")
ax.set_xlabel("max_depth")
ax.set(title="Amine's ten days")
ax.legend(["train accuracy", "test accuracy"])
fitter = LineFitter(x, y, x_name="altitude (km)", y_name="temperature (C)")
stepper = KMeansStepper(survey, feature_names=("sport (h/week)", "reading (h/week)"))
chat = ChatBox(bot=tiny_bot, bot_name="Bigram bot")
print("step", step, ": slope", slope, "loss", loss)
print("  mean  ", 3)
print("Winner:", winner or "nobody, it is a draw")
print(prices["mint"])
expect_equal(result, ["soil is dry", "Yes it is."], "forward_chain(facts, rules)")
'''


def _found(source, **options):
    found = []
    out = code_texts(source, lambda text: found.append(text) or text, **options)
    return found, out


def test_docstrings_labels_widget_texts_printed_words_and_sentences_are_texts():
    """Are a docstring, a plot's labels, a widget's texts, the words print shows and the
    sentences a program says (a reply returned, a dictionary's values) found as texts?"""
    found, out = _found(CODE, sentences=True)
    for text in ["Answer a message with one sentence.", "Salam! I am a tiny chatbot.",
                 "Sorry, I do not understand.", "I love mint tea.",
                 "Football is my game. Do you play?", "temperature at noon (°C)", "accuracy",
                 "Amine's ten days", "train accuracy", "test accuracy", "altitude (km)",
                 "temperature (C)", "sport (h/week)", "reading (h/week)", "Bigram bot", "step",
                 "loss", "mean", "Winner:", "nobody, it is a draw"]:
        assert text in found, text
    assert out == CODE


def test_data_code_names_and_examples_with_a_name_are_not_texts():
    """Are a dictionary's keys, code names (max_depth), a sentence given a name of its own
    (an example the lesson talks about), a subscript and a check's expected value left alone?"""
    found, _out = _found(CODE, sentences=True)
    for data in ["salam", "tea", "football", "max_depth", "Quel beau but!", "mint",
                 "soil is dry", "Yes it is.", "forward_chain(facts, rules)"]:
        assert data not in found, data


def test_test_cells_keep_their_sentences_as_data():
    """Does a test cell (nbgrader grade) keep the sentences it compares, while the same code
    in another cell has them translated?"""
    source = ('answers = {"tea": "I love mint tea."}\n'
              'expect_equal(reply("tea", answers), answers["tea"], "reply")')
    test_cell = {"cell_type": "code", "source": source,
                 "metadata": {"nbgrader": {"grade": True, "grade_id": "t", "points": 1}}}
    found = []
    cell_texts(test_cell, lambda text: found.append(text) or text)
    assert found == []
    other = {"cell_type": "code", "source": source, "metadata": {}}
    cell_texts(other, lambda text: found.append(text) or text)
    assert found == ["I love mint tea."]


def test_translated_strings_keep_the_code_valid_and_docstrings_triple_quoted():
    """Is the translated code still valid Python with the same logic, a docstring still
    triple-quoted, a padded printed word still padded, and quotes inside escaped?"""
    french = {"Answer a message with one sentence.": 'Réponds par une phrase "courte".',
              "mean": "moyenne", "Sorry, I do not understand.": "Pardon, je ne comprends pas.",
              "accuracy": "précision"}
    out = code_texts(CODE, lambda text: french.get(text, text), sentences=True)
    tree = ast.parse(out)
    function = tree.body[0]
    assert ast.get_docstring(function) == 'Réponds par une phrase "courte".'
    assert '    """Réponds par une phrase \\"courte\\"."""' in out
    assert 'print("  moyenne  ", 3)' in out
    assert 'return "Pardon, je ne comprends pas."' in out
    assert 'ax.set_ylabel("précision")' in out and 'ax.set_xlabel("max_depth")' in out
    assert 'if "salam" in message:' in out


def test_what_reads_as_a_sentence():
    """Is a sentence several words, a capital first and an end mark last, never code?"""
    assert is_sentence("Salam! How are you today?")
    assert is_sentence("Does it fly?")
    assert not is_sentence("mint tea")
    assert not is_sentence("Salam")
    assert not is_sentence("soil is dry")
    assert not is_sentence("Quel beau but")
