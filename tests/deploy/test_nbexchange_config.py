"""Does nbexchange's Jazari configuration (deploy/nbexchange/nbexchange_config.py) let each
caller do only what their class role allows?

nbexchange itself is not on PyPI, so it is not installed here: the file is run as nbexchange
runs it (a traitlets config file), and its user handler is called with stand-ins for the hub's
answers and for a tornado request.
"""

from __future__ import annotations

import runpy

import pytest
from traitlets.config import Config

from tests.deploy.test_manifests import DEPLOY

CONFIG = DEPLOY / "nbexchange" / "nbexchange_config.py"


@pytest.fixture(scope="module")
def loaded():
    config = Config()
    namespace = runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: config})
    return config, namespace


class _Request:
    """A tornado request handler's two methods the user handler calls."""

    def __init__(self, token, course=None):
        self.token, self.course = token, course

    def get_cookie(self, name):
        return self.token if name == "noteable_auth" else None

    def get_argument(self, name, default=None):
        return self.course if name == "course_id" and self.course else default


#: The hub, as the handler sees it: who owns each token, and each user's groups.
TOKENS = {"t-amine": {"kind": "user", "name": "amine"},
          "t-salma": {"kind": "user", "name": "salma"},
          "t-grader": {"kind": "service", "name": "jazari-grader"},
          "t-other-service": {"kind": "service", "name": "nbexchange"}}
GROUPS = {"amine": ["learners-tanger-a"], "salma": ["trainers-tanger-a", "trainers-tanger-b"]}


def _handler(namespace, calls):
    def fetch(path, token):
        calls.append((path, token))
        if path == "user":
            return TOKENS.get(token)
        if token != "service-token":
            return None
        return {"groups": GROUPS.get(path.removeprefix("users/"), [])}

    return namespace["JazariUserHandler"](fetch=fetch, service_token="service-token")


def test_the_config_sets_the_handler_and_where_nbexchange_keeps_things(loaded):
    """Does the file name its user handler, the hub's service path and a database?"""
    config, namespace = loaded
    assert config.NbExchange.user_plugin_class is namespace["JazariUserHandler"]
    assert config.NbExchange.base_url == "/services/nbexchange/"
    assert config.NbExchange.db_url


@pytest.mark.parametrize(("token", "course", "expected"), [
    ("t-amine", "tanger-a", ("amine", "tanger-a", "Student")),
    ("t-amine", None, ("amine", "tanger-a", "Student")),
    ("t-amine", "tanger-b", None),  # not his class
    ("t-salma", "tanger-b", ("salma", "tanger-b", "Instructor")),
    ("t-salma", None, ("salma", "tanger-a", "Instructor")),
    ("t-grader", "tanger-b", ("jazari-grader", "tanger-b", "Instructor")),
    ("t-grader", None, None),  # the grader must name its class
    ("t-other-service", "tanger-a", None),
    ("t-unknown", "tanger-a", None),  # the hub does not know this token
    (None, "tanger-a", None),  # no token at all
])
def test_each_caller_gets_the_role_of_their_class_or_nothing(loaded, token, course, expected):
    """Is a learner a Student of their own class only, a trainer an Instructor of theirs, the
    grading service an Instructor of the class it names, and everyone else refused?"""
    _, namespace = loaded
    user = _handler(namespace, []).get_current_user(_Request(token, course))
    got = None if user is None else (user["name"], user["course_id"], user["course_role"])
    assert got == expected


def test_the_hub_is_asked_once_a_minute_per_token(loaded):
    """Does a second request with the same token use the cached answer?"""
    _, namespace = loaded
    calls = []
    handler = _handler(namespace, calls)
    for _ in range(3):
        assert handler.get_current_user(_Request("t-amine", "tanger-a"))["course_role"] == "Student"
    assert calls == [("user", "t-amine"), ("users/amine", "service-token")]
