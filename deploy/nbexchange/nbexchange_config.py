# nbexchange's settings for a Jazari cluster, mounted at /etc/config/nbexchange_config.py in
# the nbexchange service (deploy/kubernetes/nbexchange.yaml).
#
# nbexchange asks its configuration who is calling (NbExchange.user_plugin_class). Here the
# JupyterHub decides: nbexchange's nbgrader plugin sends the caller's hub token (NAAS_JWT: a
# single-user server's own token, deploy/image/jupyter_server_config.py, or the grading Jobs'
# service token) and the exchange asks the hub whose token it is, then reads that user's
# groups with its own service token:
#   trainers-<course>  an Instructor of <course> (release, collect, return feedback)
#   learners-<course>  a Student of <course> (fetch, submit, fetch feedback)
#   the hub service "jazari-grader" (the grading Jobs) is an Instructor of any course.
# Anyone else is refused. The course is the one the request names (nbgrader's course id).
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

try:
    from nbexchange.handlers.auth.user_handler import BaseUserHandler
except ImportError:  # the tests read this file without nbexchange installed
    BaseUserHandler = object

HUB_API = os.environ.get("JUPYTERHUB_API_URL", "http://hub:8081/hub/api").rstrip("/")
GRADER_SERVICE = os.environ.get("JAZARI_GRADER_SERVICE", "jazari-grader")
LEARNERS, TRAINERS = "learners-", "trainers-"
CACHE_SECONDS = 60.0


def hub_get(path, token):
    """GET ``path`` of the hub's REST API with ``token``; the JSON answer, or None if refused."""
    request = urllib.request.Request(f"{HUB_API}/{path}", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        if error.code in (401, 403, 404):
            return None
        raise


def exchange_user(whoami, groups, course):
    """nbexchange's user record for a caller, or None to refuse them.

    ``whoami`` is the hub's answer for the caller's token (``kind``, ``name``), ``groups``
    the names of the caller's groups and ``course`` the course id the request names (None:
    the caller's one class).
    """
    if not whoami or not whoami.get("name"):
        return None
    name = whoami["name"]
    if whoami.get("kind") == "service":
        if name != GRADER_SERVICE or not course:
            return None
        role = "Instructor"
    else:
        teaches = {g[len(TRAINERS):] for g in groups if g.startswith(TRAINERS)}
        learns = {g[len(LEARNERS):] for g in groups if g.startswith(LEARNERS)}
        if course is None:
            mine = sorted(teaches) or sorted(learns)
            if not mine:
                return None
            course = mine[0]
        if course in teaches:
            role = "Instructor"
        elif course in learns:
            role = "Student"
        else:
            return None
    return {"name": name, "full_name": name, "course_id": course, "course_title": course,
            "course_role": role, "org_id": 1}


class JazariUserHandler(BaseUserHandler):
    """Who calls the exchange, from the hub (cached for a minute per token)."""

    def __init__(self, *args, fetch=hub_get, service_token=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fetch = fetch
        self.service_token = service_token or os.environ.get("JUPYTERHUB_API_TOKEN", "")
        self.cache = {}

    def _lookup(self, token):
        now = time.monotonic()
        cached = self.cache.get(token)
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        whoami = self.fetch("user", token)
        groups = []
        if whoami and whoami.get("kind") == "user":
            model = self.fetch(f"users/{urllib.parse.quote(whoami['name'])}", self.service_token)
            groups = list((model or {}).get("groups") or [])
        self.cache[token] = (now, (whoami, groups))
        return whoami, groups

    def get_current_user(self, request):
        token = request.get_cookie("noteable_auth")
        if not token:
            return None
        whoami, groups = self._lookup(token)
        return exchange_user(whoami, groups, request.get_argument("course_id", None) or None)


if "get_config" in globals():
    c = get_config()  # noqa: F821
    c.NbExchange.user_plugin_class = JazariUserHandler
    c.NbExchange.base_url = "/services/nbexchange/"
    c.NbExchange.base_storage_location = "/var/lib/nbexchange/courses"
    c.NbExchange.db_url = os.environ.get("NBEX_DB_URL", "sqlite:////var/lib/nbexchange/nbexchange.sqlite")
    c.NbExchange.upgrade_db = True
    # a unit is a few notebooks and small data files
    c.NbExchange.max_buffer_size = 20 * 1000 * 1000
