
# On the cluster (deploy/README.md): the nbexchange service, and the class's gradebook in
# PostgreSQL. Its address (a postgresql+psycopg:// URL with the password) comes from the
# class's Secret, mounted in the trainer's server and the class's grading Jobs only, never in
# an environment variable; /srv is hidden from learners' code by `jazari grade`'s sandbox.
load_subconfig("/etc/jazari/nbgrader_cluster.py")  # noqa: F821
with open(f"/srv/jazari/gradebook/{c.CourseDirectory.course_id}/db_url", encoding="utf-8") as _url:  # noqa: F821
    c.CourseDirectory.db_url = _url.read().strip()  # noqa: F821
