# The cluster's settings for one class's course folder, installed in the image as
# /etc/jazari/nbgrader_cluster.py and loaded by the lines of course_cluster_lines.py, which a
# trainer adds at the end of the course's own nbgrader_config.py (`jazari grade` reads only
# that file): the nbexchange service, and grading Jobs that wait for each other.
#
# In a grading Job, `jazari grade` runs with JAZARI_NO_EXCHANGE=1: it grades what `nbgrader
# collect` put in submitted/ and leaves returning the feedback to `nbgrader release_feedback`,
# so it holds no exchange token and calls no exchange (nbgrader's API lists the exchange as
# soon as it is opened).
import os

c = get_config()  # noqa: F821

if os.environ.get("JAZARI_NO_EXCHANGE") != "1":
    c.ExchangeFactory.exchange = "nbexchange.plugin.Exchange"
    c.ExchangeFactory.list = "nbexchange.plugin.ExchangeList"
    c.ExchangeFactory.release_assignment = "nbexchange.plugin.ExchangeReleaseAssignment"
    c.ExchangeFactory.fetch_assignment = "nbexchange.plugin.ExchangeFetchAssignment"
    c.ExchangeFactory.submit = "nbexchange.plugin.ExchangeSubmit"
    c.ExchangeFactory.collect = "nbexchange.plugin.ExchangeCollect"
    c.ExchangeFactory.release_feedback = "nbexchange.plugin.ExchangeReleaseFeedback"
    c.ExchangeFactory.fetch_feedback = "nbexchange.plugin.ExchangeFetchFeedback"

# Several units of one class may be graded by Jobs at the same time: each waits its turn
# (up to 30 minutes) rather than failing.
c.JazariGrade.wait_for_other_grader = 1800.0
