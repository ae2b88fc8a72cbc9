"""What happened to each submission: its status and reason, stored beside the gradebook.

nbgrader's gradebook keeps scores but not *why* a submission has none. ``jazari grade``
records one :class:`Outcome` per learner and unit in a table of its own
(``jazari_outcome``) in the same database as the gradebook (the course's ``db_url``: SQLite
or PostgreSQL), and ``jazari report`` reads them back. The table is separate from
nbgrader's, so nbgrader's own tools and migrations never see it.

Only the grading coordinator writes outcomes; :func:`record` replaces a learner's previous
outcome for the same unit in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

__all__ = ["STATUSES", "Outcome", "load", "record"]

#: Every status a submission can end with, and what it means.
STATUSES = {
    "graded": "graded: the score is in the gradebook",
    "late": "graded, handed in after the due date (nbgrader's late penalty applies)",
    "timed out": "stopped: took longer than the time limit",
    "crashed": "the notebook's run stopped before it was scored",
    "invalid": "the notebook could not be read or does not match the released unit",
    "flagged": "graded, but the notebook tried to change how it is checked: look at it",
}

_metadata = sa.MetaData()
_table = sa.Table(
    "jazari_outcome", _metadata,
    sa.Column("assignment", sa.String(128), primary_key=True),
    sa.Column("student", sa.String(128), primary_key=True),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("flags", sa.Text, nullable=False, default=""),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)


@dataclass(frozen=True)
class Outcome:
    """How one learner's submission of one unit ended."""

    assignment: str  #: the unit (nbgrader assignment id)
    student: str  #: the learner's id
    status: str  #: one of :data:`STATUSES`
    reason: str = ""  #: one plain line saying why, when not simply graded
    flags: tuple[str, ...] = ()  #: what the grader noticed (e.g. "rewrote a test cell")
    recorded_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}: use one of {', '.join(STATUSES)}")


#: The indexes Jazari adds to the gradebook, so a report reads each table in the order it
#: needs, from the index alone: each submitted notebook's grades side by side with their
#: scores (summed in one pass instead of sorting a million grades first), each unit's
#: submissions by learner, and the outcomes by unit and learner. The database keeps them up
#: to date on every write (nbgrader's own included); nbgrader's tools never see them.
GRADE_INDEX = "jazari_grade_by_notebook"
INDEXES = {
    GRADE_INDEX: ("grade", "notebook_id, cell_id, auto_score, manual_score, extra_credit"),
    "jazari_submission_by_unit": ("submitted_assignment", "assignment_id, student_id, id"),
    "jazari_outcome_by_unit": ("jazari_outcome", "assignment, student, status, reason, flags"),
}


def _engine(db_url: str) -> sa.Engine:
    """An engine on the gradebook, with Jazari's table and indexes made if missing."""
    engine = sa.create_engine(db_url)
    _metadata.create_all(engine, checkfirst=True)
    tables = set(sa.inspect(engine).get_table_names())
    for name, (table, columns) in INDEXES.items():
        if table not in tables:
            continue
        try:
            with engine.begin() as connection:  # one each: a failed one undoes no other
                connection.execute(sa.text(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"))
        except sa.exc.DatabaseError:
            pass  # not allowed here (a server database's rights): reports read without it
    return engine


def record(db_url: str, outcomes) -> None:
    """Store ``outcomes`` (replacing earlier ones for the same learner and unit), atomically."""
    outcomes = list(outcomes)
    if not outcomes:
        return
    engine = _engine(db_url)
    try:
        with engine.begin() as connection:
            for outcome in outcomes:
                connection.execute(_table.delete().where(
                    (_table.c.assignment == outcome.assignment)
                    & (_table.c.student == outcome.student)))
                connection.execute(_table.insert().values(
                    assignment=outcome.assignment, student=outcome.student,
                    status=outcome.status, reason=outcome.reason,
                    flags="\n".join(outcome.flags), recorded_at=outcome.recorded_at))
    finally:
        engine.dispose()


def load(db_url: str, assignment: str | None = None) -> list[Outcome]:
    """The stored outcomes (of one unit, or all), sorted by unit and learner."""
    engine = _engine(db_url)
    try:
        query = sa.select(_table).order_by(_table.c.assignment, _table.c.student)
        if assignment is not None:
            query = query.where(_table.c.assignment == assignment)
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
    finally:
        engine.dispose()
    return [Outcome(assignment=row["assignment"], student=row["student"], status=row["status"],
                    reason=row["reason"], flags=tuple(f for f in row["flags"].split("\n") if f),
                    recorded_at=row["recorded_at"]) for row in rows]
