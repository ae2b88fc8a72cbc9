"""Small typed records that travel between the grading steps.

What a runner answers is data from inside the sandbox: :meth:`RunAnswer.from_message`
accepts only the shapes it expects and turns everything else into a flagged, failed cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CellReport", "GradeRun", "RunAnswer", "SubmissionResult"]

_OUTPUT_KEYS = {
    "stream": {"name", "text"},
    "execute_result": {"data", "metadata", "execution_count"},
    "display_data": {"data", "metadata"},
    "error": {"ename", "evalue", "traceback"},
}


@dataclass
class CellReport:
    """What happened when one code cell ran in the sandbox."""

    outputs: list[dict]  #: nbformat outputs, checked for shape
    execution_count: int | None
    raised: bool  #: did the cell end with an exception (the harness caught it)
    ename: str = ""  #: the exception's class name
    flags: list[str] = field(default_factory=list)


def _clean_output(output) -> dict | None:
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    keys = _OUTPUT_KEYS.get(kind)
    if keys is None:
        return None
    clean = {"output_type": kind}
    for key in keys:
        value = output.get(key)
        if key == "text" and isinstance(value, str):
            clean[key] = value
        elif key == "name" and value in ("stdout", "stderr"):
            clean[key] = value
        elif key in ("data", "metadata") and isinstance(value, dict) and all(
                isinstance(k, str) for k in value):
            clean[key] = value
        elif key == "execution_count" and (value is None or isinstance(value, int)):
            clean[key] = value
        elif key in ("ename", "evalue") and isinstance(value, str):
            clean[key] = value
        elif key == "traceback" and isinstance(value, list) and all(
                isinstance(line, str) for line in value):
            clean[key] = value
        else:
            return None
    return clean


@dataclass
class RunAnswer:
    """A runner's answer for one notebook."""

    status: str  #: "finished", "timed out" or "crashed"
    reason: str = ""
    cells: dict[int, CellReport] = field(default_factory=dict)  #: by cell index
    flags: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @classmethod
    def from_message(cls, message) -> RunAnswer:
        if not isinstance(message, dict) or message.get("status") not in (
                "finished", "timed out", "crashed"):
            return cls(status="crashed", reason="the grader's answer could not be read")
        answer = cls(status=message["status"], reason=str(message.get("reason", ""))[:500],
                     flags=[str(f)[:200] for f in message.get("flags", [])
                            if isinstance(f, str)][:50],
                     seconds=float(message.get("seconds", 0.0) or 0.0))
        cells = message.get("cells")
        if not isinstance(cells, dict):
            return answer
        for key, report in cells.items():
            if not (isinstance(key, str) and key.isdigit() and isinstance(report, dict)):
                continue
            outputs = [_clean_output(o) for o in report.get("outputs", [])
                       if isinstance(report.get("outputs"), list)]
            flags = [str(f)[:200] for f in report.get("flags", []) if isinstance(f, str)][:50]
            if any(o is None for o in outputs):
                flags.append("sent outputs of an unknown shape")
            count = report.get("execution_count")
            answer.cells[int(key)] = CellReport(
                outputs=[o for o in outputs if o is not None],
                execution_count=count if isinstance(count, int) else None,
                raised=report.get("raised") is not False,  # anything unclear counts as failed
                ename=str(report.get("ename", ""))[:100], flags=flags)
        return answer


@dataclass
class SubmissionResult:
    """How one learner's submission of one unit went."""

    student: str  #: the learner's id
    #: one of autograder.outcomes.STATUSES ("graded", "late", "timed out", "crashed",
    #: "invalid", "flagged")
    status: str
    score: float | None = None  #: points, when scored
    max_score: float | None = None  #: the unit's points, when scored
    problem: str = ""  #: one plain line saying what went wrong, when something did
    flags: list[str] = field(default_factory=list)  #: what the grader noticed
    seconds: float = 0.0  #: time spent running the notebooks

    @property
    def graded(self) -> bool:
        """Scored in full (possibly late or flagged for a look)."""
        return self.status in ("graded", "late", "flagged")


@dataclass
class GradeRun:
    """The outcome of grading one unit for the whole class."""

    assignment: str
    results: list[SubmissionResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  #: lines about collect, sandbox, feedback
    seconds: float = 0.0
    #: CPU seconds the sandboxed runners used (warm-up and every notebook), as they reported
    #: it when they ended: the sandbox's processes are not counted as this one's children
    runner_cpu_seconds: float = 0.0

    @property
    def problems(self) -> list[SubmissionResult]:
        return [result for result in self.results if not result.graded]
