"""Faster, same-result versions of slow spots in nbgrader's code, for the coordinator.

nbgrader opens its ``Gradebook`` about ten times per submission, each time with a new
SQLAlchemy engine, so every query is compiled again (SQLAlchemy caches compiled statements
per engine): :func:`install` makes nbgrader's ``create_engine`` hand back one engine per
database URL. ``Gradebook.close()`` still disposes of its connections, so no connection
outlives the gradebook that opened it; only the compiled statements are kept. SQLite
connections of this process do not wait for the disk at each commit (see ``_no_fsync``).

nbgrader checks every cell's metadata with ``jsonschema.validate``, which checks the schema
itself again on every call (about 6 ms a cell, so a quarter of a second per notebook, three
times per notebook while autograding). :func:`install` gives nbgrader's metadata checker a
``jsonschema`` whose ``validate`` checks each schema once and then validates exactly as
``jsonschema.validate`` does (same validator class, same best-matching error). nbgrader
makes a new metadata checker, which reads its schema file again, for every notebook it
checks and every cell ``OverwriteCells`` puts back: the checkers share one copy of each
schema, read once (nbgrader only reads it), so the validation above is prepared once too.
"""

from __future__ import annotations

import threading
import types

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from sqlalchemy import event

__all__ = ["install"]

_validators: dict[int, tuple[dict, object]] = {}
_engines: dict[tuple, object] = {}
_schemas: dict[int, dict] = {}
_lock = threading.Lock()


def _shared_engine(url, *args, **kwargs):
    from sqlalchemy import create_engine

    key = (str(url), args, tuple(sorted(kwargs.items())))
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = create_engine(url, *args, **kwargs)
            if str(url).startswith("sqlite"):
                event.listen(engine, "connect", _no_fsync)
    return engine


def _no_fsync(connection, record) -> None:
    # nbgrader commits about thirty times per submission; waiting for the disk at each costs
    # more than running the notebook. A killed grader loses nothing (the data is in the
    # operating system's hands); a power cut could, which is what the backup made before
    # every run is for.
    connection.execute("PRAGMA synchronous = OFF")


def _validate(instance, schema, cls=None, *args, **kwargs):
    key = id(schema)
    cached = _validators.get(key)
    if cached is None or cached[0] is not schema or cls is not None or args or kwargs:
        if cls is not None or args or kwargs:
            return jsonschema.validate(instance, schema, cls, *args, **kwargs)
        kind = validator_for(schema)
        kind.check_schema(schema)
        cached = (schema, kind(schema))
        _validators[key] = cached
    error = best_match(cached[1].iter_errors(instance))
    if error is not None:
        raise error


def _schema_once(read):
    def init(self) -> None:
        version = self.schema_version
        with _lock:
            if version not in _schemas:
                read(self)
                _schemas[version] = self.schema
        self.schema = _schemas[version]

    init.jazari_schema_once = True
    return init


def install() -> None:
    """Use the cached validation in nbgrader's metadata checker (idempotent)."""
    from nbgrader import api
    from nbgrader.nbgraderformat import common

    api.create_engine = _shared_engine
    init = common.BaseMetadataValidator.__init__
    if not getattr(init, "jazari_schema_once", False):
        common.BaseMetadataValidator.__init__ = _schema_once(init)
    if getattr(common.jsonschema, "__name__", "") == "jazari_cached_jsonschema":
        return
    shim = types.ModuleType("jazari_cached_jsonschema")
    shim.__dict__.update(vars(jsonschema))
    shim.validate = _validate
    common.jsonschema = shim
