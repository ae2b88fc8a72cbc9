# nbgrader settings of the Jazari single-user image (Kubernetes), for learners and trainers.
# Installed as /usr/local/etc/jupyter/nbgrader_config.py. The exchange is the nbexchange
# service (deploy/nbexchange/), reached at NAAS_BASE_URL; the class comes from the hub
# (JAZARI_COURSE_ID, set by deploy/hub/jazari_hub.py).
import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = os.environ.get("JAZARI_COURSE_ID", "")
if os.environ.get("JAZARI_ROLE") == "trainer" and c.CourseDirectory.course_id:
    # the class folder the hub mounts from the shared courses volume (the formgrader's course)
    c.CourseDirectory.root = f"/home/jovyan/courses/{c.CourseDirectory.course_id}"

c.ExchangeFactory.exchange = "nbexchange.plugin.Exchange"
c.ExchangeFactory.list = "nbexchange.plugin.ExchangeList"
c.ExchangeFactory.release_assignment = "nbexchange.plugin.ExchangeReleaseAssignment"
c.ExchangeFactory.fetch_assignment = "nbexchange.plugin.ExchangeFetchAssignment"
c.ExchangeFactory.submit = "nbexchange.plugin.ExchangeSubmit"
c.ExchangeFactory.collect = "nbexchange.plugin.ExchangeCollect"
c.ExchangeFactory.release_feedback = "nbexchange.plugin.ExchangeReleaseFeedback"
c.ExchangeFactory.fetch_feedback = "nbexchange.plugin.ExchangeFetchFeedback"
# a unit is a few notebooks and small data files: refuse anything bigger than 20 MB
c.Exchange.max_buffer_size = 20 * 1000 * 1000
