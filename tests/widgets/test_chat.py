"""Tests for widgets/chat.py: the ChatBox, driven by send(), Enter and the Send button, headless."""

from __future__ import annotations

import ipywidgets as ipw
import pytest
from traitlets import TraitError

from tests.widgets.fake_catalog import fake_catalog
from widgets import i18n
from widgets.chat import ChatBox


def echo(message: str) -> str:
    return "You said " + message


def test_send_asks_the_bot_and_the_transcript_names_speakers_in_words():
    """Does send() pass the message to the bot and show both, each after its speaker's name?"""
    chat = ChatBox(bot=echo)
    assert chat.send("  hello  ") == "You said hello"
    assert chat.messages == (("you", "hello"), ("bot", "You said hello"))
    assert chat.text == "You: hello\nBot: You said hello"
    assert "<b>You:</b>" in chat._transcript.value and "<b>Bot:</b>" in chat._transcript.value
    assert chat.send("   ") is None and chat.turns == 1, "an empty message is not sent"


def test_enter_and_the_send_button_send_what_was_typed():
    """Does pressing Enter in the box (its value arriving) or clicking Send send it and empty the box?"""
    chat = ChatBox(bot=echo, bot_name="Robo")
    chat._input.value = "one"  # what Enter does: continuous_update is off
    assert chat._input.value == "" and chat.messages[-1] == ("bot", "You said one")
    chat._input.value = "two"
    chat._send.click()
    assert chat.turns == 2 and "Robo: You said two" in chat.text


@pytest.mark.parametrize("bot, words", [
    (lambda m: 1 / 0, "The bot had a problem with that message: ZeroDivisionError"),
    (lambda m: 42, "gave 42, which is of type int"),
    (lambda m: None, "gave back nothing. Does your function end with return"),
    (lambda: "no argument", "TypeError"),
    (None, "There is no bot yet"),
])
def test_a_broken_bot_gets_a_kind_note_not_a_traceback(bot, words):
    """Does a bot that raises, gives a non-str or is missing give a kind note in the chat?"""
    chat = ChatBox(bot=bot)
    heard = []
    chat.on_message(lambda message, reply: heard.append((message, reply)))
    note = chat.send("hi")
    assert words in note and chat.messages[-1] == ("note", note)
    assert "Traceback" not in chat._transcript.value and "Note:" in chat.text
    assert heard == [("hi", None)]


def test_on_message_can_be_removed():
    """Is a callback called after each message, and no longer after it is removed?"""
    chat = ChatBox(bot=echo)
    heard = []

    def listen(message, reply):
        heard.append(reply)

    chat.on_message(listen)
    chat.send("a")
    chat.on_message(listen, remove=True)
    chat.send("b")
    assert heard == ["You said a"]


def test_what_was_said_cannot_be_rewritten():
    """Can a child's code rewrite the transcript or the turn count a check reads? (It must not.)"""
    chat = ChatBox(bot=echo)
    chat.send("hi")
    with pytest.raises(TraitError, match="read-only"):
        chat.turns = 10
    with pytest.raises(TraitError, match="read-only"):
        chat.messages = (("bot", "fake"),)
    with pytest.raises(AttributeError):
        chat.messages.append(("bot", "fake"))
    chat.clear()
    assert chat.messages == () and chat.turns == 0 and "empty" in chat.text


def test_arabic_messages_read_right_to_left():
    """In an Arabic class, does the chat run right to left, each message with dir='auto'?"""
    try:
        i18n.set_language("ar")
        chat = ChatBox(bot=lambda m: "مرحبا " + m)
        chat.send("سلام")
        shown = chat._transcript.value
    finally:
        i18n.set_language("en")
    assert "dir='rtl'" in shown and shown.count("<bdi dir='auto'") == 2 and "مرحبا سلام" in shown
    chat = ChatBox(bot=echo)
    chat.send("<b>bold</b>")
    assert "dir='ltr'" in chat._transcript.value and "&lt;b&gt;bold" in chat._transcript.value


def test_state_round_trip_of_what_the_browser_shows():
    """Do the transcript and the input box survive a get_state()/set_state() round trip?"""
    chat = ChatBox(bot=echo)
    chat.send("hi")
    for part, fresh in ((chat._transcript, ipw.HTML()), (chat._input, ipw.Text())):
        fresh.set_state(part.get_state())
        assert fresh.get_state() == part.get_state()
    assert not chat._input.continuous_update, "Enter (not every key) must send"


def test_controls_are_named_and_texts_are_translated():
    """Have the box and the button a name, and do the chat's texts come through the translation function?"""
    with fake_catalog() as mark:
        chat = ChatBox(bot=lambda m: 1 / 0)
        assert chat._input.description == mark + "Message" and chat._send.description == mark + "Send"
        assert chat._send.tooltip.startswith(mark) and chat._input.placeholder.startswith(mark)
        assert not chat._send.icon, "an icon glyph would join the button's name"
        chat.send("hi")
        assert chat.text.startswith(mark + "You: hi") and chat.messages[-1][1].startswith(mark)
    assert ChatBox(bot=echo).bot_name == "Bot"
