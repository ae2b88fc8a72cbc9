"""Plausible wrong answers kept beside each unit (``<unit folder>/mistakes.yaml``).

Each entry is a mistake a learner really makes in one answer cell. The tests check that
every graded test cell loses points to at least one of them; ``jazari demo`` uses them to
make its "wrong", "raises" and "loops" submissions. The file is never copied into a course.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from autograder.errors import JazariError

__all__ = ["KINDS", "Mistake", "load_mistakes"]

KINDS = ("wrong", "raises", "loops")


@dataclass(frozen=True)
class Mistake:
    answer: str  #: grade_id of the answer cell it replaces
    kind: str  #: wrong, raises or loops
    why: str  #: the mistake in plain words
    fails: tuple[str, ...]  #: grade_ids of the test cells that must lose points
    code: str  #: the answer cell's whole new source


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
        ) or not isinstance(entry.get("fails"), list):
            raise JazariError(f"{path}: mistake #{number} needs answer, kind, why, fails and code")
        if entry["kind"] not in KINDS:
            raise JazariError(f"{path}: mistake #{number}: kind must be one of {', '.join(KINDS)}")
        mistakes.append(Mistake(answer=entry["answer"], kind=entry["kind"], why=entry["why"],
                                fails=tuple(str(f) for f in entry["fails"]),
                                code=entry["code"].rstrip("\n")))
    return mistakes
