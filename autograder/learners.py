"""Each learner's class group and track, stored beside the gradebook.

nbgrader's gradebook knows a learner's id and names but not their class or age track.
:func:`save` keeps them in a table of Jazari's own (``jazari_learner``) in the gradebook's
database (SQLite or PostgreSQL, the course's ``db_url``); reports read them back with
:func:`load` to count only the units of a learner's track. ``jazari roster`` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

__all__ = ["Learner", "load", "save"]

_metadata = sa.MetaData()
_table = sa.Table(
    "jazari_learner", _metadata,
    sa.Column("student", sa.String(128), primary_key=True),
    sa.Column("class_group", sa.String(128), nullable=False, default=""),
    sa.Column("track", sa.String(64), nullable=False, default=""),
)


@dataclass(frozen=True)
class Learner:
    """A learner as the roster gives them."""

    id: str  #: nbgrader's student id (also the login on a hub)
    first_name: str = ""
    last_name: str = ""
    group: str = ""  #: the class or group, e.g. "Tuesday 10:00"
    track: str = ""  #: the syllabus track id, e.g. "explorers" ("" when unknown)


def _engine(db_url: str) -> sa.Engine:
    engine = sa.create_engine(db_url)
    _metadata.create_all(engine, checkfirst=True)
    return engine


def save(db_url: str, learners) -> None:
    """Store each learner's group and track (replacing earlier values), in one transaction."""
    learners = list(learners)
    engine = _engine(db_url)
    try:
        with engine.begin() as connection:
            for learner in learners:
                connection.execute(_table.delete().where(_table.c.student == learner.id))
                connection.execute(_table.insert().values(
                    student=learner.id, class_group=learner.group, track=learner.track))
    finally:
        engine.dispose()


def load(db_url: str) -> dict[str, Learner]:
    """Every stored learner's group and track, by id (names come from nbgrader's gradebook)."""
    engine = _engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.select(_table)).mappings().all()
    finally:
        engine.dispose()
    return {row["student"]: Learner(id=row["student"], group=row["class_group"],
                                    track=row["track"]) for row in rows}
