# nbgrader settings of every user's server on a Littlest JupyterHub centre server, installed
# by install.sh as /opt/tljh/user/etc/jupyter/nbgrader_config.py. One machine: the exchange
# is nbgrader's own folder, shared by the system users TLJH makes (one per hub user).
import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = os.environ.get("JAZARI_COURSE_ID", "")
c.Exchange.root = "/srv/nbgrader/exchange"
if os.environ.get("JAZARI_ROLE") == "learner" and os.environ.get("JUPYTERHUB_USER"):
    # TLJH's system user is jupyter-<name>: the learner's nbgrader id is their hub name, the
    # roster id the trainer gave them
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
if os.environ.get("JAZARI_ROLE") == "trainer" and c.CourseDirectory.course_id:
    # the trainer builds each class's course in their home: ~/courses/<course id>
    c.CourseDirectory.root = os.path.expanduser(f"~/courses/{c.CourseDirectory.course_id}")

# Jazari's exchange classes: a quiet log, no .ipynb_checkpoints warnings (autograder/exchange.py)
c.ExchangeFactory.list = "autograder.exchange.QuietExchangeList"
c.ExchangeFactory.fetch_feedback = "autograder.exchange.QuietExchangeFetchFeedback"
c.ExchangeFactory.submit = "autograder.exchange.TidyExchangeSubmit"
