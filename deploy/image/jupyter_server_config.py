# Jupyter Server settings of the Jazari single-user image (Kubernetes; The Littlest JupyterHub
# installs the same file), for every user. Installed as
# /usr/local/etc/jupyter/jupyter_server_config.py. Learners' defaults (no formgrader) are in
# jupyter_server_config.d/zz-jazari-learner.json beside it; a trainer's server also reads
# /etc/jazari/trainer (JUPYTER_CONFIG_PATH, set by the hub's deploy/hub/jazari_hub.py), which
# switches the formgrader back on. The role comes from the hub (JAZARI_ROLE).
import json
import os
from pathlib import Path

c = get_config()  # noqa: F821

# A terminal for trainers only: a child works in notebooks.
c.ServerApp.terminals_enabled = os.environ.get("JAZARI_ROLE") == "trainer"

# nbexchange's nbgrader plugin sends NAAS_JWT to the exchange service, which asks the hub whose
# token it is (deploy/nbexchange/nbexchange_config.py): the server's own hub token.
if os.environ.get("JUPYTERHUB_API_TOKEN"):
    os.environ.setdefault("NAAS_JWT", os.environ["JUPYTERHUB_API_TOKEN"])

# The class's language for JupyterLab's menus (JAZARI_LANG, from the class group's "lang"
# property), written once into the user's settings so a user may still change it.
_LOCALES = {"en": "en", "fr": "fr_FR", "ar": "ar_SA"}
_lang = os.environ.get("JAZARI_LANG")
if _lang in _LOCALES:
    _settings = Path(os.environ.get("JUPYTERLAB_SETTINGS_DIR")
                     or Path.home() / ".jupyter" / "lab" / "user-settings")
    _translation = _settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    if not _translation.exists():
        _translation.parent.mkdir(parents=True, exist_ok=True)
        _translation.write_text(json.dumps({"locale": _LOCALES[_lang]}) + "\n", encoding="utf-8")

# Offline and quiet: JupyterLab never fetches Jupyter news nor checks for a new version (its
# announcements plugin is off too, in labconfig/page_config.json), and the extension manager
# is off (lab-settings/overrides.json): nothing a child does calls the internet.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
