"""Tests for autograder/exchange.py: nbgrader's exchange with a quiet log, tidy submits."""

from __future__ import annotations

import logging

from traitlets.config import Config

from autograder.classroom import fetch, submit
from autograder.course import Course, open_course
from autograder.exchange import QuietExchangeList


def _course_with_our_exchange(course_dir) -> Course:
    opened = open_course(course_dir)
    config = Config(opened.config)
    config.ExchangeFactory.submit = "autograder.exchange.TidyExchangeSubmit"
    return Course(root=opened.root, config=config)


def test_a_submit_leaves_checkpoints_out_without_a_warning(tmp_path, toy_course, caplog):
    """Does a submit with an .ipynb_checkpoints folder hand in the notebook only, with no
    "EXTRA" warning about the checkpoint?"""
    course = _course_with_our_exchange(toy_course)
    home = tmp_path / "amine"
    folder = fetch(course, "t01_toy", student="amine", home=home)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "toy-checkpoint.ipynb").write_text(
        (folder / "toy.ipynb").read_text())
    with caplog.at_level(logging.DEBUG):
        submit(course, "t01_toy", student="amine", home=home)
    inbound = list((toy_course / "exchange" / "jazari" / "inbound").iterdir())
    assert len(inbound) == 1
    assert sorted(p.name for p in inbound[0].iterdir()) == [
        "submission_secret.txt", "timestamp.txt", "toy.ipynb"]
    assert not any("EXTRA" in record.getMessage() or "extra notebooks" in record.getMessage()
                   for record in caplog.records)


def test_a_missing_notebook_is_still_reported(tmp_path, toy_course, caplog):
    """Does the tidy submit still warn when the released notebook is not handed in?"""
    course = _course_with_our_exchange(toy_course)
    home = tmp_path / "amine"
    folder = fetch(course, "t01_toy", student="amine", home=home)
    (folder / "toy.ipynb").rename(folder / "renamed.ipynb")
    with caplog.at_level(logging.WARNING):
        submit(course, "t01_toy", student="amine", home=home)
    assert any("missing toy.ipynb; extra renamed.ipynb" in record.getMessage()
               for record in caplog.records)


def test_listing_submissions_logs_no_line_per_submission(tmp_path, toy_course, caplog):
    """Does listing a learner's cached submissions log nothing at INFO (nbgrader logs a
    line per submission, "no feedback available", at every refresh of the Assignments tab)?"""
    from nbgrader.auth import Authenticator
    from nbgrader.exchange.default import ExchangeList

    course = open_course(toy_course)
    home = tmp_path / "amine"
    fetch(course, "t01_toy", student="amine", home=home)
    for _ in range(3):
        submit(course, "t01_toy", student="amine", home=home)
    config = Config(course.config)
    config.Exchange.cache = str(home / ".jupyter" / "data" / "nbgrader_cache")
    config.Exchange.assignment_dir = str(home)
    config.ExchangeList.cached = True
    logger = logging.getLogger("jazari-test-list")
    found = {}
    for kind in (ExchangeList, QuietExchangeList):
        caplog.clear()
        lister = kind(coursedir=course.coursedir(student_id="amine"),
                      authenticator=Authenticator(config=config), config=config, log=logger)
        with caplog.at_level(logging.INFO, logger="jazari-test-list"):
            found[kind] = lister.start()
        info = [r for r in caplog.records if r.levelno >= logging.INFO]
        if kind is ExchangeList:
            assert sum("no feedback available" in r.getMessage() for r in info) == 3
        else:
            assert info == []
    assert found[ExchangeList] == found[QuietExchangeList]
    assert len(found[QuietExchangeList][0]["submissions"]) == 3


def test_fetching_feedback_warns_not_for_submissions_without_any(tmp_path, toy_course, caplog):
    """Does fetching feedback stay quiet about submissions that have none (nbgrader warns
    once per such submission at every fetch), while still fetching as nbgrader does?"""
    from nbgrader.auth import Authenticator
    from nbgrader.exchange.default import ExchangeFetchFeedback

    from autograder.exchange import QuietExchangeFetchFeedback

    course = open_course(toy_course)
    home = tmp_path / "amine"
    fetch(course, "t01_toy", student="amine", home=home)
    submit(course, "t01_toy", student="amine", home=home)
    submit(course, "t01_toy", student="amine", home=home)
    (toy_course / "exchange" / "jazari" / "feedback").mkdir()  # none returned yet
    config = Config(course.config)
    config.Exchange.cache = str(home / ".jupyter" / "data" / "nbgrader_cache")
    config.Exchange.assignment_dir = str(home)
    logger = logging.getLogger("jazari-test-feedback")
    warned = {}
    for kind in (ExchangeFetchFeedback, QuietExchangeFetchFeedback):
        caplog.clear()
        fetcher = kind(coursedir=course.coursedir(assignment_id="t01_toy", student_id="amine"),
                       authenticator=Authenticator(config=config), config=config, log=logger)
        with caplog.at_level(logging.INFO, logger="jazari-test-feedback"):
            fetcher.start()
        warned[kind] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert fetcher.log is logger
    assert len(warned[ExchangeFetchFeedback]) == 2
    assert all(m.startswith("Could not find feedback") for m in warned[ExchangeFetchFeedback])
    assert warned[QuietExchangeFetchFeedback] == []


def test_the_trainers_and_the_learners_settings_agree():
    """Do the trainer's lab settings file and the learner's (EXCHANGE_CONFIG) choose the
    same exchange classes, and can nbgrader load each of them?"""
    from nbgrader.exchange import ExchangeFactory
    from traitlets.config.loader import PyFileConfigLoader

    from autograder.exchange import EXCHANGE_CONFIG
    from autograder.lab import TRAINER_CONFIG

    trainer = PyFileConfigLoader("nbgrader_config.py", path=str(TRAINER_CONFIG)).load_config()
    learner = Config()
    exec(compile(EXCHANGE_CONFIG, "EXCHANGE_CONFIG", "exec"), {"c": learner})
    assert trainer.ExchangeFactory == learner.ExchangeFactory
    assert len(trainer.ExchangeFactory) == 3
    factory = ExchangeFactory(config=trainer)
    assert factory.list.__module__ == factory.submit.__module__ == "autograder.exchange"
    assert factory.fetch_feedback.__name__ == "QuietExchangeFetchFeedback"
