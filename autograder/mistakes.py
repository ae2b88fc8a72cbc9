"""Plausible answers kept beside each unit (``<unit folder>/mistakes.yaml``).

Each entry replaces one answer cell. Most are mistakes a learner really makes (``wrong``,
``raises``, ``loops``): every test cell named in ``fails`` must lose points. Two kinds test the
tests themselves: ``correct`` is another right way, written differently from the solution,
that must score full marks in every cell named in ``passes``; ``tamper`` writes the state a
check reads or replaces a check, and must not score full marks in ``fails``. ``jazari demo``
uses the mistakes to make its "wrong", "raises" and "loops" submissions. The file is never
copied into a course.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from autograder.errors import JazariError

__all__ = ["KINDS", "Mistake", "load_mistakes"]

KINDS = ("wrong", "raises", "loops", "correct", "tamper")


@dataclass(frozen=True)
class Mistake:
    answer: str  #: grade_id of the answer cell it replaces
    kind: str  #: wrong, raises, loops, correct or tamper
    why: str  #: the mistake (or the other right way) in plain words
    fails: tuple[str, ...]  #: grade_ids of the test cells that must lose points
    code: str  #: the answer cell's whole new source
    passes: tuple[str, ...] = ()  #: for ``correct``: grade_ids that must score full marks


def load_mistakes(path: str | Path) -> list[Mistake]:
    """Read a unit's ``mistakes.yaml``; a malformed file raises one :class:`JazariError`."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JazariError(f"{path}: no mistakes file") from None
    except yaml.YAMLError as error:
        raise JazariError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(data, list):
        raise JazariError(f"{path}: must be a list of mistakes")
    mistakes = []
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) for key in ("answer", "kind", "why", "code")
        ):
            raise JazariError(f"{path}: mistake #{number} needs answer, kind, why, fails and code")
        if entry["kind"] not in KINDS:
            raise JazariError(f"{path}: mistake #{number}: kind must be one of {', '.join(KINDS)}")
        field = "passes" if entry["kind"] == "correct" else "fails"
        other = "fails" if field == "passes" else "passes"
        if not isinstance(entry.get(field), list) or not entry[field] or other in entry:
            if field == "passes":
                raise JazariError(f"{path}: mistake #{number}: a correct answer lists the cells "
                                  "it passes in passes (not fails)")
            raise JazariError(f"{path}: mistake #{number} needs answer, kind, why, fails and code")
        mistakes.append(Mistake(answer=entry["answer"], kind=entry["kind"], why=entry["why"],
                                fails=tuple(str(f) for f in entry.get("fails", ())),
                                passes=tuple(str(f) for f in entry.get("passes", ())),
                                code=entry["code"].rstrip("\n")))
    return mistakes
