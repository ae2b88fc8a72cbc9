"""A chat window that talks to a bot the child writes.

``ChatBox(bot=my_bot)`` shows a transcript, a text box and a "Send" button; ``my_bot`` is a
function from the child's message (a ``str``) to the bot's reply (a ``str``). Enter in the
text box sends too. A bot that fails, or gives back something that is not words, gets a kind
note in the chat, never a traceback. Speakers are named in words ("You:", "Bot:"), and every
message is shown with ``dir="auto"`` so Arabic reads right to left beside French or English.
"""

from __future__ import annotations

import ipywidgets as ipw
from traitlets import Int, Tuple, Unicode

from widgets import draw
from widgets.i18n import _, is_rtl

__all__ = ["ChatBox"]

_SPEAKERS = ("you", "bot", "note")
_LONGEST = 2000  # characters of a reply shown; a runaway bot must not flood the page


class ChatBox(ipw.VBox):
    """A chat between the child and ``bot`` (a function: message ``str`` -> reply ``str``).

    ``send(text)`` does what typing ``text`` and pressing Enter does, and returns the reply
    shown (the bot's, or a note saying what went wrong). ``on_message(callback, remove=False)``
    calls ``callback(message, reply)`` after each message; ``reply`` is None when the bot
    failed. :attr:`messages` and :attr:`turns` are read-only: they are what was said.
    """

    bot_name = Unicode("", help="The bot's name in the transcript (default: Bot, in the class's language).")
    messages = Tuple(read_only=True, help="Everything said, as (speaker, text) pairs: you, bot or note.")
    turns = Int(0, read_only=True, help="How many messages the child has sent.")

    def __init__(self, bot=None, bot_name: str = "", **kwargs):
        self.bot = bot
        self._callbacks = ipw.CallbackDispatcher()
        self._lines: list[str] = []
        self._transcript = ipw.HTML(layout=ipw.Layout(max_height="22em", overflow="auto",
                                                      border="1px solid #888", padding="4px"))
        self._input = ipw.Text(placeholder=_("Write a message, then press Enter"),
                               description=_("Message"), continuous_update=False,
                               tooltip=_("Your message to the bot"))
        self._send = ipw.Button(description=_("Send"),
                                tooltip=_("Send your message to the bot"))
        self._send.on_click(lambda _button: self._send_input())
        # With continuous_update off, the box's value reaches Python when Enter is pressed.
        self._input.observe(lambda _change: self._send_input(), "value")
        super().__init__(children=[self._transcript, ipw.HBox([self._input, self._send])],
                         bot_name=bot_name or _("Bot"), **kwargs)
        self._draw()

    def on_message(self, callback, remove: bool = False) -> None:
        """Call ``callback(message, reply)`` after each message sent (or stop calling it)."""
        self._callbacks.register_callback(callback, remove=remove)

    def send(self, text) -> str | None:
        """Send ``text`` to the bot as if typed; return what the chat shows back (None if empty)."""
        message = str(text).strip()
        if not message:
            return None
        self._say("you", message)
        self.set_trait("turns", self.turns + 1)
        reply, note = self._ask(message)
        self._say("bot" if note is None else "note", reply if note is None else note)
        self._callbacks(message, reply)
        return reply if note is None else note

    def clear(self) -> None:
        """Forget the conversation."""
        self.set_trait("messages", ())
        self.set_trait("turns", 0)
        self._lines = []
        self._draw()

    @property
    def text(self) -> str:
        """The conversation in words, one message a line."""
        if not self.messages:
            return _("The chat is empty. Write a message to the bot.")
        return "\n".join(f"{self._speaker(who)}: {said}" for who, said in self.messages)

    # --- inside --------------------------------------------------------------------------
    def _send_input(self) -> None:
        message = self._input.value
        if message.strip():
            self._input.value = ""
            self.send(message)

    def _ask(self, message: str):
        """The bot's reply and None, or None and a kind note saying what went wrong."""
        if self.bot is None:
            return None, _("There is no bot yet. Write a function and give it to the chat: "
                           "ChatBox(bot=my_bot).")
        try:
            reply = self.bot(message)
        except Exception as problem:  # the child's code: explain, never show a traceback here
            what = f"{type(problem).__name__}: {problem}"
            return None, _("The bot had a problem with that message: {problem}. Look at your bot "
                           "function, fix it and send again.", problem=what)
        if reply is None:
            return None, _("The bot gave back nothing. Does your function end with return and "
                           "some words?")
        if not isinstance(reply, str):
            return None, _("The bot should give back words (a str), but it gave {value}, which is "
                           "of type {kind}. Put the words in quotes, or use str().",
                           kind=type(reply).__name__, value=repr(reply)[:80])
        if len(reply) > _LONGEST:
            reply = reply[:_LONGEST] + "…"
        return reply, None

    def _speaker(self, who: str) -> str:
        return {"you": _("You"), "bot": self.bot_name, "note": _("Note")}[who]

    def _say(self, who: str, said: str) -> None:
        self.set_trait("messages", (*self.messages, (who, said)))
        style = {"you": "", "bot": "background:#eef5fb;", "note": "background:#fff4e0;font-style:italic;"}
        self._lines.append(
            f"<div class='jazari-message jazari-{who}' style='padding:2px 4px;margin:2px 0;{style[who]}'>"
            f"<b>{draw.escape(self._speaker(who))}:</b> "
            f"<bdi dir='auto' style='white-space:pre-wrap'>{draw.escape(said)}</bdi></div>")
        self._draw()

    def _draw(self) -> None:
        direction = "rtl" if is_rtl() else "ltr"
        body = "".join(self._lines) or (
            f"<div class='jazari-empty' dir='auto'>{draw.escape(self.text)}</div>")
        label = draw.escape(_("Chat"))
        self._transcript.value = (f"<div role='log' aria-live='polite' dir='{direction}' "
                                  f"aria-label='{label}'>{body}</div>")
