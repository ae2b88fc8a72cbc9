"""Jazari's classroom tools: build an nbgrader course from the syllabus, release units,
grade submissions, report the gradebook. The ``jazari`` command is a thin layer over the
functions here; the checks in :mod:`widgets.checks` are used inside the notebooks."""

__all__ = ["__version__"]
__version__ = "0.1.0"
